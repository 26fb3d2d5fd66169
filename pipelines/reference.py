"""Reference lookups read from the dbt seed CSVs (the single place for aliases, units, bands).

Ingestion resolves indicators, regions and units against these lookups; dbt loads the very same
CSVs as seeds, so Python and SQL can never disagree. :func:`normalise_label` is the one matching
rule for labels: both the seed alias and the raw file's text are normalised before comparing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from pipelines.config import SEEDS_DIR

__all__ = [
    "Reference",
    "ReferenceDataError",
    "load_reference",
    "normalise_label",
    "normalise_unit",
]

# Unicode categories dropped by normalise_label: punctuation, symbols, separators, controls.
_DROP_CATEGORIES = ("P", "S", "Z", "C")


class ReferenceDataError(ValueError):
    """A seed file is missing, malformed or ambiguous (e.g. one alias naming two indicators)."""


def normalise_label(text: str | None) -> str:
    """Normalise a label for matching: NFKC, case-folded, without punctuation, symbols or spaces.

    ``"每千常住人口执业（助理）医师数"`` and ``"每千常住人口执业(助理) 医师数"`` both become
    ``"每千常住人口执业助理医师数"``; ``"Life Expectancy"`` becomes ``"lifeexpectancy"``.
    ``None`` becomes ``""``.
    """
    if text is None:
        return ""
    return _normalised(str(text))


@lru_cache(maxsize=1 << 16)
def _normalised(text: str) -> str:
    # cached: every file of a batch spells the same few thousand regions and labels, and the
    # per-character Unicode lookups are most of a count table's resolution time
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in _DROP_CATEGORIES)


def normalise_unit(text: str | None) -> str:
    """Normalise a unit spelling: NFKC, case-folded, no spaces or brackets; keeps ``% ‰ /``."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "()[]{}（）【】")


def _read_seed(seeds_dir: Path, name: str, required: list[str]) -> pl.DataFrame:
    path = seeds_dir / f"{name}.csv"
    if not path.exists():
        raise ReferenceDataError(f"seed {path} is missing")
    frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"seed {path} lacks column(s) {missing}")
    return frame


def _lookup(frame: pl.DataFrame, key_col: str, value_col: str, what: str) -> pl.DataFrame:
    """Build a (key, value) lookup on normalised keys; refuse keys naming two different values."""
    lookup = (
        frame.select(
            pl.col(key_col).map_elements(normalise_label, return_dtype=pl.String).alias("key"),
            pl.col(value_col).alias("value"),
        )
        .filter(pl.col("key") != "")
        .unique()
    )
    clashes = (
        lookup.group_by("key")
        .agg(pl.col("value").unique().sort())
        .filter(pl.col("value").list.len() > 1)
    )
    if clashes.height:
        detail = "; ".join(f"{k!r} -> {v}" for k, v in clashes.iter_rows())
        raise ReferenceDataError(f"ambiguous {what} after normalise_label: {detail}")
    return lookup.sort("key")


@dataclass(frozen=True)
class Reference:
    """Reference lookups as polars frames, ready to join against raw data.

    Attributes:
        indicators: indicator_code, canonical_unit, plausible_min, plausible_max (floats).
        indicator_lookup: key (normalised code/name/alias) -> value (indicator_code).
        region_lookup: key (normalised id/admin code/name/alias) -> value (region_id).
        units: unit, kind, factor_to_base (float) (rules: pipelines/rules/units.py).
        unit_lookup: key (normalise_unit of unit id or alias) -> value (unit id).
        age_groups: age_group, age_lower, age_upper (null = open), sort_order.
        cause_groups: cause_group, icd_from, icd_to (+ label_en, label_zh when present).
        seeds_dir: where the CSVs were read from.
    """

    indicators: pl.DataFrame
    indicator_lookup: pl.DataFrame
    region_lookup: pl.DataFrame
    units: pl.DataFrame
    unit_lookup: pl.DataFrame
    age_groups: pl.DataFrame
    cause_groups: pl.DataFrame
    seeds_dir: Path

    def with_region_aliases(self, extra: dict[str, str]) -> Reference:
        """Return a copy whose region lookup also knows ``extra`` (alias -> region_id).

        Raises:
            ReferenceDataError: if a target region_id is unknown or an alias would be ambiguous.
        """
        if not extra:
            return self
        known = set(self.region_lookup["value"].to_list())
        unknown = sorted({v for v in extra.values() if v not in known})
        if unknown:
            raise ReferenceDataError(f"region_map names unknown region_id(s) {unknown}")
        added = pl.DataFrame(
            {"alias": list(extra), "region_id": list(extra.values())},
            schema={"alias": pl.String, "region_id": pl.String},
        )
        base = self.region_lookup.rename({"key": "alias", "value": "region_id"})
        lookup = _lookup(pl.concat([base, added]), "alias", "region_id", "region alias")
        return Reference(**{**self.__dict__, "region_lookup": lookup})

    def with_indicator_aliases(self, extra: dict[str, str]) -> Reference:
        """Return a copy whose indicator lookup also knows ``extra`` (alias -> indicator_code)."""
        if not extra:
            return self
        known = set(self.indicators["indicator_code"].to_list())
        unknown = sorted({v for v in extra.values() if v not in known})
        if unknown:
            raise ReferenceDataError(f"indicator_map names unknown indicator_code(s) {unknown}")
        added = pl.DataFrame(
            {"alias": list(extra), "indicator_code": list(extra.values())},
            schema={"alias": pl.String, "indicator_code": pl.String},
        )
        base = self.indicator_lookup.rename({"key": "alias", "value": "indicator_code"})
        lookup = _lookup(pl.concat([base, added]), "alias", "indicator_code", "indicator alias")
        return Reference(**{**self.__dict__, "indicator_lookup": lookup})

    def unit_factor(self, unit: str) -> tuple[str, float]:
        """(kind, factor_to_base) of a canonical unit id; KeyError if unknown."""
        row = self.units.filter(pl.col("unit") == unit)
        if row.height == 0:
            raise KeyError(unit)
        return row["kind"][0], float(row["factor_to_base"][0])


def _stack(frame: pl.DataFrame, keys: list[str], value: str) -> pl.DataFrame:
    """Stack several key columns of a seed into one (alias, value) frame."""
    parts = [
        frame.select(pl.col(k).cast(pl.String).alias("alias"), pl.col(value).alias("v"))
        for k in keys
        if k in frame.columns
    ]
    return pl.concat(parts).drop_nulls("alias").rename({"v": value})


def load_reference(seeds_dir: Path | None = None) -> Reference:
    """Load every lookup ingestion needs from the seed CSVs in ``seeds_dir`` (default SEEDS_DIR).

    Raises:
        ReferenceDataError: a seed is missing, lacks a column, or an alias is ambiguous.
    """
    seeds_dir = Path(seeds_dir or SEEDS_DIR)
    return _load_reference_cached(seeds_dir.resolve(), _seeds_stamp(seeds_dir))


def _seeds_stamp(seeds_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Cache key that changes whenever a seed CSV changes (name, size, mtime)."""
    return tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(seeds_dir.glob("*.csv"))
    )


def _alias_lookup(
    table: pl.DataFrame, names: list[str], aliases: pl.DataFrame, id_col: str
) -> pl.DataFrame:
    """(key, value) lookup of ``id_col`` by every name column of ``table`` and by ``aliases``."""
    return _lookup(
        pl.concat([_stack(table, names, id_col), aliases.select("alias", id_col)]),
        "alias",
        id_col,
        f"{id_col.split('_')[0]} alias",
    )


def _unit_keys(units: pl.DataFrame, unit_aliases: pl.DataFrame) -> pl.DataFrame:
    """(key, value) rows: each unit and unit alias, normalised, → its unit.

    Raises :class:`ReferenceDataError` when a spelling names two units or an alias names a unit
    ``units.csv`` does not hold.
    """
    unit_keys = pl.concat(
        [
            units.select(pl.col("unit").alias("alias"), "unit"),
            unit_aliases.select("alias", "unit"),
        ]
    ).select(
        pl.col("alias").map_elements(normalise_unit, return_dtype=pl.String).alias("key"),
        pl.col("unit").alias("value"),
    )
    unit_clash = (
        unit_keys.unique()
        .group_by("key")
        .agg(pl.col("value").unique())
        .filter(pl.col("value").list.len() > 1)
    )
    if unit_clash.height:
        raise ReferenceDataError(f"ambiguous unit aliases: {unit_clash.rows()}")
    unknown_units = set(unit_keys["value"].to_list()) - set(units["unit"].to_list())
    if unknown_units:
        raise ReferenceDataError(f"unit_aliases name unknown unit(s) {sorted(unknown_units)}")
    return unit_keys


@lru_cache(maxsize=8)
def _load_reference_cached(seeds_dir: Path, _stamp: tuple) -> Reference:
    """The seeds of ``seeds_dir`` read and checked once per ``_stamp`` (see :func:`_seeds_stamp`)."""
    indicators = _read_seed(
        seeds_dir,
        "indicators",
        [
            "indicator_code",
            "name_zh",
            "name_en",
            "canonical_unit",
            "plausible_min",
            "plausible_max",
        ],
    )
    ind_aliases = _read_seed(seeds_dir, "indicator_aliases", ["alias", "indicator_code"])
    regions = _read_seed(seeds_dir, "regions", ["region_id", "name_zh", "name_en", "admin_code"])
    reg_aliases = _read_seed(seeds_dir, "region_aliases", ["alias", "region_id"])
    units = _read_seed(seeds_dir, "units", ["unit", "kind", "factor_to_base"])
    unit_aliases = _read_seed(seeds_dir, "unit_aliases", ["alias", "unit"])
    age_groups = _read_seed(seeds_dir, "age_groups", ["age_group", "age_lower", "age_upper"])
    causes = _read_seed(seeds_dir, "icd10_cause_groups", ["cause_group", "icd_from", "icd_to"])

    indicator_lookup = _alias_lookup(
        indicators, ["indicator_code", "name_zh", "name_en"], ind_aliases, "indicator_code"
    )
    region_lookup = _alias_lookup(
        regions, ["region_id", "admin_code", "name_zh", "name_en"], reg_aliases, "region_id"
    )
    unit_keys = _unit_keys(units, unit_aliases)

    return Reference(
        indicators=indicators.select(
            "indicator_code",
            "canonical_unit",
            pl.col("plausible_min").cast(pl.Float64, strict=False),
            pl.col("plausible_max").cast(pl.Float64, strict=False),
        ),
        indicator_lookup=indicator_lookup,
        region_lookup=region_lookup,
        units=units.select("unit", "kind", pl.col("factor_to_base").cast(pl.Float64, strict=True)),
        unit_lookup=unit_keys.unique().sort("key"),
        age_groups=age_groups.select(
            "age_group",
            pl.col("age_lower").cast(pl.Int64),
            pl.col("age_upper").cast(pl.Int64, strict=False),
            pl.col("sort_order").cast(pl.Int64, strict=False)
            if "sort_order" in age_groups.columns
            else pl.lit(None, pl.Int64).alias("sort_order"),
        ),
        cause_groups=causes.select(
            "cause_group",
            "icd_from",
            "icd_to",
            *[pl.col(c) for c in ("label_en", "label_zh") if c in causes.columns],
        ),
        seeds_dir=seeds_dir,
    )
