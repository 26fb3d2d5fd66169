"""One page per missed target × region (``#t-N``): quote, facts, trend chart and data points."""

from __future__ import annotations

from html import escape

from pipelines.report.cells import badge, gap, observed, series
from pipelines.report.charts import trend_chart
from pipelines.report.fmt import requirement, with_unit
from pipelines.report.rows import ReportRow
from pipelines.report.timefmt import beijing
from pipelines.translations import Status, label, label_or


def _fact(key: str, value: str) -> str:
    return f"<dt>{escape(label('report', key))}</dt><dd>{value}</dd>"


def target_page(n: int, r: ReportRow, statuses: dict[str, Status]) -> str:
    """The page of report row ``r`` (anchor ``#t-n``): quote, facts, chart and data points."""
    title = f"{r.indicator_name} · {r.region_name}"
    return (
        f'<section class="target-page" id="t-{n}"><p><a href="#top">← '
        f"{escape(label('report', 'back'))}</a></p>"
        f"<h2>{escape(title)} {badge(r.status, statuses)}</h2>"
        f"<h3>{escape(label('report', 'quote'))}"
        f"{'（' + escape(r.source_section) + '）' if r.source_section else ''}</h3>"
        f"<blockquote>“{escape(r.source_quote)}”</blockquote>"
        f'<dl class="facts">{_facts(r)}</dl>'
        f"{trend_chart(series(r), title=title)}{_chart_legend(r)}"
        f"<table><thead><tr><th>{escape(label('report', 'year'))}</th>"
        f'<th class="num">{escape(label("report", "value"))}</th>'
        f"<th>{escape(label('report', 'source'))}</th>"
        f"<th>{escape(label('report', 'data_nature'))}</th></tr></thead>"
        f"<tbody>{_points(r)}</tbody></table></section>"
    )


def _facts(r: ReportRow) -> str:
    """The facts list: plan, departments, requirement, value, gap, history, projection, data."""
    age = label("report", "years_old", n=r.data_age_years) if r.data_age_years is not None else "—"
    since = (
        f"{beijing(r.failing_since)}（北京时间，连续 {r.failing_validations} 次校验未达标）"
        if r.failing_since
        else "—"
    )
    return "".join(
        [
            _fact("plan", escape(r.plan_title)),
            _fact("department", escape("、".join(r.departments))),
            _fact("co_departments", escape(r.co_departments.replace(";", "、")) or "—"),
            _fact(
                "required",
                f"{escape(requirement(r.threshold, r.unit))}（{r.target_year}年，"
                f"{escape(label_or('nature', r.nature, r.nature))}）",
            ),
            _fact("observed", observed(r)),
            _fact("gap", gap(r).replace("<div", " <span").replace("</div>", "</span>")),
            _fact("failing_since", escape(since)),
            _fact("projection", escape(_projection_text(r))),
            _fact("interval", escape(_interval_text(r))),
            _fact(
                "data_year",
                f"{r.latest_year or '—'}年（{escape(label('report', 'data_age'))}：{escape(age)}）",
            ),
            _fact("source", escape(r.latest_source or "—")),
            _fact(
                "data_nature", escape(label_or("data_nature", r.data_nature, r.data_nature or "—"))
            ),
            _fact("trend", escape(_trend_text(r))),
        ]
    )


def _interval_text(r: ReportRow) -> str:
    """The latest value's interval, or a dash."""
    if r.latest_ci_lower is None or r.latest_ci_upper is None:
        return "—"
    return (
        f"{with_unit(r.latest_ci_lower, r.unit_code, r.unit)} – "
        f"{with_unit(r.latest_ci_upper, r.unit_code, r.unit)}"
    )


def _projection_text(r: ReportRow) -> str:
    """The projected value with its year, interval and method; else why there is none."""
    if r.projected_value is None:
        if r.verdict_basis == "observed":
            return label("projection_method", "not_applicable")
        return label_or("projection_method", r.projection_method, "—")
    band = (
        f"，区间 {with_unit(r.projected_lower, r.unit_code, r.unit)} – "
        f"{with_unit(r.projected_upper, r.unit_code, r.unit)}"
        if r.projected_lower is not None and r.projected_upper is not None
        else ""
    )
    return (
        f"{with_unit(r.projected_value, r.unit_code, r.unit)}（{r.target_year}年{band}，"
        f"{label_or('projection_method', r.projection_method, r.projection_method)}）"
    )


def _points(r: ReportRow) -> str:
    """One table row per data point: year, value, source, data nature."""
    return "".join(
        f'<tr><td>{y}</td><td class="num">{escape(with_unit(v, r.unit_code, r.unit))}</td>'
        f"<td>{escape(src or '—')}</td><td>{escape(label_or('data_nature', nat, nat or '—'))}</td></tr>"
        for y, v, src, nat in zip(
            r.trend_years, r.trend_values, r.trend_sources, r.trend_natures, strict=False
        )
    )


def _trend_text(r: ReportRow) -> str:
    """The trend, how it was judged and the progress class where the assessment gives them."""
    parts = [label_or("trend", r.trend, r.trend)]
    if r.trend_method:
        parts.append(label_or("trend_method", r.trend_method, r.trend_method))
    if r.progress_class:
        parts.append(label_or("progress_ratio_class", r.progress_class, r.progress_class))
    return "；".join(parts)


def _chart_legend(r: ReportRow) -> str:
    keys = ["legend_observed", "legend_target"]
    if r.projected_value is not None and r.verdict_basis == "projected":
        keys.append("legend_projection")
    if r.projected_lower is not None and r.verdict_basis == "projected":
        keys.append("legend_projection_band")
    if r.latest_ci_lower is not None and r.latest_ci_upper is not None:
        keys.append("legend_interval")
    return '<p class="muted">' + " · ".join(escape(label("report", k)) for k in keys) + "</p>"
