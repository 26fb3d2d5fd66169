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


def trend_chart(  # noqa: C901 - one SVG: axes, target line, band, fan and points share geometry
    s: Series, width: int = 560, height: int = 240, title: str = ""
) -> str:
    """The trend chart of one target × region (see module docstring)."""
    if not s.values:
        return ""
    left, right, top, bottom = 64, 20, 26, 34
    years = list(s.years)
    x_hi = max([*years, s.target_year or years[-1]])
    x_lo = min(years)
    levels = [*s.values, *[r for r in s.required if r is not None]]
    levels += [
        v
        for v in (s.projected_value, s.projected_lower, s.projected_upper, s.ci_lower, s.ci_upper)
        if v is not None
    ]
    margin = (max(levels) - min(levels)) * 0.08  # keep the target line off the axis
    ticks = nice_ticks(min(levels) - margin, max(levels) + margin)
    lo, hi = ticks[0], ticks[-1]

    def x(year: float) -> float:
        span = x_hi - x_lo or 1
        return left + (year - x_lo) / span * (width - left - right)

    def y(value: float) -> float:
        return top + (hi - value) / (hi - lo) * (height - top - bottom)

    out = [
        (
            f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        )
    ]
    # Axes with year ticks (every year up to the target year, thinned when crowded).
    base = height - bottom
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="{AXIS}"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="{AXIS}"/>')
    step = max(1, (x_hi - x_lo) // 8 + 1)
    for year in range(x_lo, x_hi + 1, step):
        out.append(
            f'<line x1="{x(year):.1f}" y1="{base}" x2="{x(year):.1f}" y2="{base + 4}" '
            f'stroke="{AXIS}"/><text class="axis-year" x="{x(year):.1f}" y="{base + 17}" '
            f'text-anchor="middle" font-size="11" fill="{AXIS}">{year}</text>'
        )
    for tick in ticks:
        out.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            'stroke="#e3e7ec"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{AXIS}">{escape(number(tick, s.unit))}</text>'
        )
    out.append(
        f'<text x="{left}" y="{top - 10}" text-anchor="middle" font-size="11" '
        f'fill="{AXIS}">{escape(s.unit_label)}</text>'
    )
    # Required level(s): dashed, labelled with the target year.
    end = x(s.target_year) if s.target_year else width - right
    for level in s.required:
        if level is None:
            continue
        out.append(
            f'<line class="target-line" x1="{left}" x2="{end:.1f}" y1="{y(level):.1f}" '
            f'y2="{y(level):.1f}" stroke="{TARGET}" stroke-dasharray="6,4" stroke-width="1.5"/>'
        )
    if s.target_year:
        out.append(
            f'<line x1="{end:.1f}" x2="{end:.1f}" y1="{top}" y2="{base}" stroke="{TARGET}" '
            'stroke-width="1" stroke-dasharray="2,3"/>'
        )
    # Interval of the latest value (band where one exists).
    if s.ci_lower is not None and s.ci_upper is not None and s.latest_year is not None:
        cx = x(s.latest_year)
        out.append(
            f'<rect class="interval" x="{cx - 6:.1f}" y="{y(s.ci_upper):.1f}" width="12" '
            f'height="{max(1.0, y(s.ci_lower) - y(s.ci_upper)):.1f}" fill="{LINE}" '
            'fill-opacity="0.18"/>'
        )
    # Projection from the last value to the target year, with its interval as a widening band.
    ahead = s.target_year is not None and s.target_year > years[-1]
    if ahead and s.projected_lower is not None and s.projected_upper is not None:
        out.append(
            f'<polygon class="projection-band" points="{x(years[-1]):.1f},{y(s.values[-1]):.1f} '
            f'{end:.1f},{y(s.projected_upper):.1f} {end:.1f},{y(s.projected_lower):.1f}" '
            f'fill="{LINE}" fill-opacity="0.12"/>'
        )
    if s.projected_value is not None and ahead:
        out.append(
            f'<line class="projection" x1="{x(years[-1]):.1f}" y1="{y(s.values[-1]):.1f}" '
            f'x2="{end:.1f}" y2="{y(s.projected_value):.1f}" stroke="{LINE}" '
            'stroke-dasharray="2,3" stroke-width="1.6"/>'
            f'<circle cx="{end:.1f}" cy="{y(s.projected_value):.1f}" r="3.5" fill="#fff" '
            f'stroke="{LINE}"/>'
        )
    points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(years, s.values, strict=True))
    out.append(f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="{points}"/>')
    for a, b in zip(years, s.values, strict=True):
        out.append(
            f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="3" fill="{LINE}">'
            f"<title>{a}: {escape(number(b, s.unit))} {escape(s.unit_label)}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)


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
