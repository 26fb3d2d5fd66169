"""Inline SVG charts for the report (no scripts, no external assets: the page opens offline).

* :func:`trend_chart` — a target's yearly values with years on the x axis, values on the y axis,
  the required level as a dashed line up to the target year, the projection to the target year
  (dotted) and the latest value's interval as a band where one exists.
* :func:`sparkline` — the same series small, for table cells.
* :func:`status_bars` — one stacked bar per group (plan or department), coloured by status.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from pipelines.report.fmt import number
from pipelines.translations import Status

AXIS = "#555"
LINE = "#2c5d8a"
TARGET = "#c0392b"


@dataclass(frozen=True)
class Series:
    """What the trend chart draws; values in the indicator's canonical unit."""

    years: Sequence[int]
    values: Sequence[float]
    unit: str
    unit_label: str
    required: Sequence[float | None] = ()
    target_year: int | None = None
    projected_value: float | None = None
    projected_lower: float | None = None
    projected_upper: float | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    latest_year: int | None = None


def nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 × 10^k) covering [lo, hi]."""
    span = hi - lo if hi > lo else abs(hi) or 1.0
    raw = span / n
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    ticks = [first]
    while ticks[-1] < hi - 1e-9 * span or len(ticks) < 2:
        ticks.append(ticks[-1] + step)
    return [round(t, 10) for t in ticks]


@dataclass(frozen=True)
class _Plot:
    """The trend chart's geometry: pixel position of a year (x) and of a value (y)."""

    width: int
    height: int
    x_lo: int
    x_hi: int
    lo: float
    hi: float
    left: int = 64
    right: int = 20
    top: int = 26
    bottom: int = 34

    @property
    def base(self) -> int:
        """The y of the x axis."""
        return self.height - self.bottom

    def x(self, year: float) -> float:
        span = self.x_hi - self.x_lo or 1
        return self.left + (year - self.x_lo) / span * (self.width - self.left - self.right)

    def y(self, value: float) -> float:
        return self.top + (self.hi - value) / (self.hi - self.lo) * (self.base - self.top)


def trend_chart(s: Series, width: int = 560, height: int = 240, title: str = "") -> str:
    """The trend chart of one target × region (see module docstring)."""
    if not s.values:
        return ""
    years = list(s.years)
    levels = [*s.values, *[r for r in s.required if r is not None]]
    levels += [
        v
        for v in (s.projected_value, s.projected_lower, s.projected_upper, s.ci_lower, s.ci_upper)
        if v is not None
    ]
    margin = (max(levels) - min(levels)) * 0.08  # keep the target line off the axis
    ticks = nice_ticks(min(levels) - margin, max(levels) + margin)
    x_hi = max([*years, s.target_year or years[-1]])
    plot = _Plot(width, height, min(years), x_hi, ticks[0], ticks[-1])
    out = [
        (
            f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        ),
        *_axes(plot, s, ticks),
        *_required(plot, s),
        *_interval_and_projection(plot, s),
        *_values(plot, s),
        "</svg>",
    ]
    return "".join(out)


def _axes(p: _Plot, s: Series, ticks: list[float]) -> list[str]:
    """Axes with year ticks (every year up to the target year, thinned when crowded), value
    gridlines and the unit."""
    left, base = p.left, p.base
    out = [
        f'<line x1="{left}" y1="{base}" x2="{p.width - p.right}" y2="{base}" stroke="{AXIS}"/>',
        f'<line x1="{left}" y1="{p.top}" x2="{left}" y2="{base}" stroke="{AXIS}"/>',
    ]
    step = max(1, (p.x_hi - p.x_lo) // 8 + 1)
    for year in range(p.x_lo, p.x_hi + 1, step):
        out.append(
            f'<line x1="{p.x(year):.1f}" y1="{base}" x2="{p.x(year):.1f}" y2="{base + 4}" '
            f'stroke="{AXIS}"/><text class="axis-year" x="{p.x(year):.1f}" y="{base + 17}" '
            f'text-anchor="middle" font-size="11" fill="{AXIS}">{year}</text>'
        )
    for tick in ticks:
        out.append(
            f'<line x1="{left}" y1="{p.y(tick):.1f}" x2="{p.width - p.right}" '
            f'y2="{p.y(tick):.1f}" stroke="#e3e7ec"/>'
            f'<text x="{left - 6}" y="{p.y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{AXIS}">{escape(number(tick, s.unit))}</text>'
        )
    out.append(
        f'<text x="{left}" y="{p.top - 10}" text-anchor="middle" font-size="11" '
        f'fill="{AXIS}">{escape(s.unit_label)}</text>'
    )
    return out


def _target_x(p: _Plot, s: Series) -> float:
    """Where the target year stands (the right edge without one)."""
    return p.x(s.target_year) if s.target_year else p.width - p.right


def _required(p: _Plot, s: Series) -> list[str]:
    """Required level(s): dashed up to the target year, which gets a dotted vertical."""
    end = _target_x(p, s)
    out = [
        f'<line class="target-line" x1="{p.left}" x2="{end:.1f}" y1="{p.y(level):.1f}" '
        f'y2="{p.y(level):.1f}" stroke="{TARGET}" stroke-dasharray="6,4" stroke-width="1.5"/>'
        for level in s.required
        if level is not None
    ]
    if s.target_year:
        out.append(
            f'<line x1="{end:.1f}" x2="{end:.1f}" y1="{p.top}" y2="{p.base}" stroke="{TARGET}" '
            'stroke-width="1" stroke-dasharray="2,3"/>'
        )
    return out


def _interval_and_projection(p: _Plot, s: Series) -> list[str]:
    """The latest value's interval (a band), and the projection from the last value to the
    target year with its interval as a widening band."""
    out = []
    if s.ci_lower is not None and s.ci_upper is not None and s.latest_year is not None:
        cx = p.x(s.latest_year)
        out.append(
            f'<rect class="interval" x="{cx - 6:.1f}" y="{p.y(s.ci_upper):.1f}" width="12" '
            f'height="{max(1.0, p.y(s.ci_lower) - p.y(s.ci_upper)):.1f}" fill="{LINE}" '
            'fill-opacity="0.18"/>'
        )
    last_year, last = s.years[-1], s.values[-1]
    if s.target_year is None or s.target_year <= last_year:
        return out
    end = _target_x(p, s)
    if s.projected_lower is not None and s.projected_upper is not None:
        out.append(
            f'<polygon class="projection-band" points="{p.x(last_year):.1f},{p.y(last):.1f} '
            f'{end:.1f},{p.y(s.projected_upper):.1f} {end:.1f},{p.y(s.projected_lower):.1f}" '
            f'fill="{LINE}" fill-opacity="0.12"/>'
        )
    if s.projected_value is not None:
        out.append(
            f'<line class="projection" x1="{p.x(last_year):.1f}" y1="{p.y(last):.1f}" '
            f'x2="{end:.1f}" y2="{p.y(s.projected_value):.1f}" stroke="{LINE}" '
            'stroke-dasharray="2,3" stroke-width="1.6"/>'
            f'<circle cx="{end:.1f}" cy="{p.y(s.projected_value):.1f}" r="3.5" fill="#fff" '
            f'stroke="{LINE}"/>'
        )
    return out


def _values(p: _Plot, s: Series) -> list[str]:
    """The observed values: a line through them and a point per year with its value as a tip."""
    pairs = list(zip(s.years, s.values, strict=True))
    points = " ".join(f"{p.x(a):.1f},{p.y(b):.1f}" for a, b in pairs)
    out = [f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="{points}"/>']
    out += [
        f'<circle cx="{p.x(a):.1f}" cy="{p.y(b):.1f}" r="3" fill="{LINE}">'
        f"<title>{a}: {escape(number(b, s.unit))} {escape(s.unit_label)}</title></circle>"
        for a, b in pairs
    ]
    return out


def sparkline(s: Series, width: int = 140, height: int = 36) -> str:
    """A small line of the values with the required level dashed and the first/last year."""
    if not s.values:
        return ""
    pad = 3
    levels = [*s.values, *[r for r in s.required if r is not None]]
    lo, hi = min(levels), max(levels)
    span = hi - lo or (abs(hi) or 1.0)
    y0, y1 = s.years[0], s.years[-1]

    def x(year: int) -> float:
        return pad + (year - y0) / ((y1 - y0) or 1) * (width - 2 * pad)

    def y(value: float) -> float:
        return pad + (hi - value) / span * (height - 14 - 2 * pad)

    parts = [
        (
            f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true">'
        )
    ]
    for level in s.required:
        if level is not None:
            parts.append(
                f'<line x1="{pad}" x2="{width - pad}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
                f'stroke="{TARGET}" stroke-dasharray="3,2"/>'
            )
    points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(s.years, s.values, strict=True))
    parts.append(f'<polyline fill="none" stroke="{LINE}" stroke-width="1.6" points="{points}"/>')
    parts.append(f'<circle cx="{x(y1):.1f}" cy="{y(s.values[-1]):.1f}" r="2.5" fill="{LINE}"/>')
    parts.append(
        f'<text x="{pad}" y="{height - 2}" font-size="9" fill="{AXIS}">{y0}</text>'
        f'<text x="{width - pad}" y="{height - 2}" font-size="9" fill="{AXIS}" '
        f'text-anchor="end">{y1}</text></svg>'
    )
    return "".join(parts)


def status_bars(
    groups: Sequence[tuple[str, dict[str, int]]],
    statuses: dict[str, Status],
    width: int = 720,
    title: str = "",
) -> str:
    """One horizontal stacked bar per group: target × region counts per status, in rank order."""
    if not groups:
        return ""
    label_w, bar_h, gap = 230, 18, 8
    height = len(groups) * (bar_h + gap) + 10
    most = max(sum(c.values()) for _, c in groups) or 1
    out = [
        (
            f'<svg class="status-bars" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        )
    ]
    for i, (name, counts) in enumerate(groups):
        top = 5 + i * (bar_h + gap)
        short = name if len(name) <= 16 else name[:15] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{top + 13}" text-anchor="end" font-size="12">'
            f"<title>{escape(name)}</title>{escape(short)}</text>"
        )
        left = float(label_w)
        for code, st in statuses.items():
            n = counts.get(code, 0)
            if not n:
                continue
            w = n / most * (width - label_w - 60)
            out.append(
                f'<rect x="{left:.1f}" y="{top}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{st.colour}"><title>{escape(st.zh)}：{n}</title></rect>'
            )
            left += w
        out.append(
            f'<text x="{left + 6:.1f}" y="{top + 13}" font-size="12">{sum(counts.values())}</text>'
        )
    out.append("</svg>")
    return "".join(out)
