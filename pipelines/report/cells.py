"""Cells of the report shared by the overview and the target pages (labels from the translations)."""

from __future__ import annotations

from html import escape

from pipelines.report.charts import Series
from pipelines.report.fmt import gap_text, with_unit
from pipelines.report.rows import ReportRow
from pipelines.report.timefmt import beijing
from pipelines.translations import Status, label, label_or


def heading(key: str, tag: str = "h2", anchor: str = "") -> str:
    """A heading: the Chinese label, then the English one in small type."""
    ident = f' id="{anchor}"' if anchor else ""
    return (
        f"<{tag}{ident}>{escape(label('report', key))}"
        f'<span class="en">{escape(label("report", key, "en"))}</span></{tag}>'
    )


def badge(status: str, statuses: dict[str, Status]) -> str:
    """The status as a coloured badge with its icon and Chinese label (never the code)."""
    st = statuses.get(status)
    if st is None:
        return escape(label_or("status", status, label("report", "unknown")))
    return (
        f'<span class="st" style="background:{st.colour}">{escape(st.icon)} {escape(st.zh)}</span>'
    )


def series(r: ReportRow) -> Series:
    return Series(
        years=r.trend_years,
        values=r.trend_values,
        unit=r.unit_code,
        unit_label=r.unit,
        required=[v for v in (r.required_lower, r.required_upper) if v is not None],
        target_year=r.target_year,
        projected_value=r.projected_value if r.verdict_basis == "projected" else None,
        projected_lower=r.projected_lower if r.verdict_basis == "projected" else None,
        projected_upper=r.projected_upper if r.verdict_basis == "projected" else None,
        ci_lower=r.latest_ci_lower,
        ci_upper=r.latest_ci_upper,
        latest_year=r.latest_year,
    )


def gap(r: ReportRow) -> str:
    """What the charts draw for one row: values, required level(s), projection, intervals."""
    words, share = gap_text(
        r.gap, r.gap_pct, r.verdict_value, r.required_upper, r.unit_code, r.unit
    )
    return f'<span class="neg">{escape(words)}</span><div class="muted">{escape(share)}</div>'


def observed(r: ReportRow) -> str:
    """The value judged, its year (or 预测值 and the target year), the illustrative marker."""
    value = escape(with_unit(r.verdict_value, r.unit_code, r.unit))
    basis = r.verdict_basis == "projected"
    note = (
        f"{label('verdict_basis', 'projected')}（{r.target_year}年）"
        if basis
        else (f"{r.latest_year}年" if r.latest_year is not None else "")
    )
    flag = (
        f' <span class="illustrative">{escape(label("data_nature", "illustrative"))}</span>'
        if r.illustrative
        else ""
    )
    return f'{value}<div class="muted">{escape(note)}</div>{flag}'


def since(r: ReportRow) -> str:
    """Since when the row has failed (Beijing time), marked 本次新增 when new in this run."""
    if not r.failing_since:
        return "—"
    new = f'<span class="new">{escape(label("report", "new_marker"))}</span>' if r.is_new else ""
    return f"{escape(beijing(r.failing_since))}{new}"
