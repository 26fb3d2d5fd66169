"""The tiny expression language the comparator rules are written in.

Each node is evaluated in Python (``eval`` over the row's inputs) and rendered to SQL (``sql``
over the SQL expressions of the same inputs) from one definition, so that
:mod:`pipelines.rules.comparators` states each rule once and the generated dbt macros
(:mod:`pipelines.rules.comparator_sql`) compute exactly what Python computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Expr", "Input", "Nearest", "Offset", "Scaled", "Tolerance"]


@dataclass(frozen=True)
class Input:
    """One of :data:`pipelines.rules.comparators.INPUTS`, read as a double."""

    name: str

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        value = env[self.name]
        return None if value is None else float(value)

    def sql(self, args: Mapping[str, str]) -> str:
        return f"cast({args[self.name]} as double)"


@dataclass(frozen=True)
class Tolerance:
    """``tolerance_pct`` of the row, else ``default`` (the rules seed's, see
    :data:`pipelines.rules.comparators.DEFAULT_ABOUT_TOLERANCE_PCT`)."""

    default: float

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        value = env["tolerance_pct"]
        return self.default if value is None else float(value)

    def sql(self, args: Mapping[str, str]) -> str:
        return f"coalesce(cast({args['tolerance_pct']} as double), {self.default!r})"


@dataclass(frozen=True)
class Scaled:
    """``base · (100 + sign · pct) / 100`` — same operation order in Python and SQL; multiplying
    before dividing keeps round numbers exact (50 · 110 / 100 = 55, not 55.00000000000001)."""

    base: Input
    pct: Input | Tolerance
    sign: int

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        base, pct = self.base.eval(env), self.pct.eval(env)
        if base is None or pct is None:
            return None
        return base * (100.0 + self.sign * pct) / 100.0

    def sql(self, args: Mapping[str, str]) -> str:
        op = "+" if self.sign > 0 else "-"
        return f"({self.base.sql(args)} * (100.0 {op} {self.pct.sql(args)}) / 100.0)"


@dataclass(frozen=True)
class Offset:
    """``base − amount`` (an absolute change, in the indicator's unit: percentage points)."""

    base: Input
    amount: Input

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        base, amount = self.base.eval(env), self.amount.eval(env)
        if base is None or amount is None:
            return None
        return base - amount

    def sql(self, args: Mapping[str, str]) -> str:
        return f"({self.base.sql(args)} - {self.amount.sql(args)})"


Expr = Input | Tolerance | Scaled | Offset


@dataclass(frozen=True)
class Nearest:
    """The bound of ``[lower, upper]`` nearest to the baseline (null when the baseline is inside):
    where a range target asks the value to go."""

    lower: Input
    upper: Input

    def eval(self, env: Mapping[str, float | None]) -> float | None:
        base, lo, hi = env["baseline_value"], self.lower.eval(env), self.upper.eval(env)
        if base is None or lo is None or hi is None:
            return None
        return lo if base < lo else hi if base > hi else None

    def sql(self, args: Mapping[str, str]) -> str:
        base, lo, hi = args["baseline_value"], self.lower.sql(args), self.upper.sql(args)
        return f"(case when {base} < {lo} then {lo} when {base} > {hi} then {hi} end)"
