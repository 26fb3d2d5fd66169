"""Render the failure report as ONE self-contained HTML page (inline CSS and SVG, no assets)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import groupby

from pipelines.report.rows import ReportData, ReportRow

STATUS_TEXT = {
    "not_met": "未达标 not met",
    "off_track": "进度滞后 off track",
    "met": "已达标 met",
    "met_early": "提前达标 met early",
    "on_track": "进度正常 on track",
}
NATURE_TEXT = {
    "binding": "约束性 binding",
    "expected": "预期性 expected",
    "unstated": "未注明 unstated",
}

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:2rem 0 .4rem;border-bottom:2px solid #345}
h3{font-size:1rem;margin:1.2rem 0 .3rem;color:#345}
.summary{background:#f3f6f9;padding:.6rem .9rem;border-radius:6px}
.warn{background:#fde2e2;border:1px solid #c33;padding:.5rem .8rem;border-radius:6px}
table{border-collapse:collapse;width:100%;margin-bottom:.6rem;font-size:.9rem}
th,td{border:1px solid #ccd;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#e8edf2}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.critical td:first-child{border-left:5px solid #c0392b}tr.warning td:first-child{border-left:5px solid #e6a23c}
blockquote{margin:.3rem 0 0;padding:.2rem .5rem;border-left:3px solid #99a;background:#fafafa;color:#444}
.tid{color:#777;font-size:.75rem}.badge{display:inline-block;padding:0 .35rem;border-radius:4px;font-size:.75rem}
.b-critical{background:#c0392b;color:#fff}.b-warning{background:#e6a23c;color:#fff}
.illustrative{background:#fff3bf;border:1px dashed #b08900;color:#6b5200}
.neg{color:#c0392b;font-weight:600}nav a{margin-right:.8rem}
"""


def _fmt(value: float | None, digits: int = 6) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}g}"


def sparkline(
    years: Sequence[int],
    values: Sequence[float],
    bounds: Sequence[float | None] = (),
    width: int = 150,
    height: int = 40,
) -> str:
    """Inline SVG: the yearly values as a line, the latest as a dot, required bounds dashed."""
    if not values:
        return '<span class="tid">无数据 no data</span>'
    pad = 4
    levels = [v for v in values] + [b for b in bounds if b is not None]
    lo, hi = min(levels), max(levels)
    span = hi - lo or (abs(hi) or 1.0)
    y0, y1 = min(years), max(years)
    xs = y1 - y0 or 1

    def x(year: int) -> float:
        return pad + (year - y0) / xs * (width - 2 * pad) if y1 != y0 else width / 2

    def y(value: float) -> float:
        return height - pad - (value - lo) / span * (height - 2 * pad)

    points = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in zip(years, values, strict=True))
    title = "; ".join(f"{yr}: {_fmt(v)}" for yr, v in zip(years, values, strict=True))
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        ),
        f"<title>{escape(title)}</title>",
    ]
    for bound in bounds:
        if bound is not None:
            parts.append(
                f'<line x1="{pad}" x2="{width - pad}" y1="{y(bound):.1f}" y2="{y(bound):.1f}" '
                'stroke="#c0392b" stroke-dasharray="3,2" stroke-width="1"/>'
            )
    parts.append(f'<polyline fill="none" stroke="#2c5d8a" stroke-width="1.6" points="{points}"/>')
    parts.append(
        f'<circle cx="{x(years[-1]):.1f}" cy="{y(values[-1]):.1f}" r="2.6" fill="#2c5d8a"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _row_html(r: ReportRow) -> str:
    sev = "critical" if r.severity == "critical" else "warning"
    illustrative = (
        '<div><span class="badge illustrative">示例数据 illustrative data</span></div>'
        if r.illustrative
        else ""
    )
    basis = "（预测 projected）" if r.verdict_basis == "projected" else ""
    latest = (
        f'<div class="tid">最新 latest {r.latest_year}: {_fmt(r.latest_value)}</div>'
        if r.latest_year is not None and r.verdict_basis == "projected"
        else (f'<div class="tid">{r.latest_year}年</div>' if r.latest_year is not None else "")
    )
    gap = f'<span class="neg">{_fmt(r.gap, 4)}</span>' if r.gap is not None else "—"
    bounds = [r.required_lower, r.required_upper]
    return (
        f'<tr class="{sev}">'
        f'<td><div class="target">{escape(r.target_text)}</div>'
        f"<blockquote>“{escape(r.source_quote)}”</blockquote>"
        f'<div class="tid">{escape(r.target_id)}'
        f"{' · ' + escape(r.source_section) if r.source_section else ''}</div></td>"
        f"<td>{escape(r.region_name)}"
        f'<div class="tid">{escape(r.region_id)}</div></td>'
        f'<td class="num">{_fmt(r.verdict_value)} {escape(r.unit)}{basis}{latest}{illustrative}</td>'
        f'<td class="num">{escape(r.threshold)} {escape(r.unit)}</td>'
        f'<td class="num">{gap}</td>'
        f"<td>{sparkline(r.trend_years, r.trend_values, bounds)}</td>"
        f'<td><span class="badge b-{sev}">{escape(r.severity)}</span> '
        f"{escape(NATURE_TEXT.get(r.nature, r.nature))}<br>"
        f"{escape(STATUS_TEXT.get(r.status, r.status))}"
        f'<div class="tid">趋势 trend: {escape(r.trend)}</div></td>'
        "</tr>"
    )


#: Rows shown per plan × lead department; a national run misses ~74,000 target × region rows,
#: which no browser page can usefully show. The CSV and JSON always hold every row.
HTML_ROWS_PER_DEPARTMENT = 500

HEAD = (
    "<tr><th>目标与原文 Target and quote</th><th>地区 Region</th><th>实际值 Observed</th>"
    "<th>要求 Required</th><th>差距 Gap</th><th>历年趋势 Trend</th><th>状态 Status</th></tr>"
)


def render_html(data: ReportData) -> str:
    """The whole page as a string."""
    rows = data.rows
    n_binding = sum(r.severity == "critical" for r in rows)
    n_illustrative = sum(r.illustrative for r in rows)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>未达标目标报告 Missed targets · {escape(data.run_id)}</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>健康规划目标监测：未达标目标报告 · Health-plan targets missed</h1>",
        '<div class="summary">',
        (
            f"<p>运行 Run <b>{escape(data.run_id)}</b> · 校验时间 validated {escape(data.validated_at)}"
            f" UTC · 检查目标 targets checked: {data.n_targets_checked}</p>"
        ),
        (
            f'<p id="counts">未达标 Missed: <b>{len(rows)}</b> 项（其中约束性 binding '
            f"<b>{n_binding}</b>）；示例数据 illustrative: {n_illustrative}</p>"
        ),
        (
            "<p>Sorted per plan, per lead department, binding targets first. Gap = how far the value "
            "falls short of the requirement, in the indicator's unit. The dashed line in each chart "
            "is the required level. 标有“示例数据”的行使用示例数据，不是官方统计。</p>"
        ),
        "</div>",
    ]
    if data.n_assessment_missed != len(rows):
        out.append(
            f'<p class="warn">注意 Note: the assessment mart marks {data.n_assessment_missed} '
            f"target × region rows as missed, this validation run flagged {len(rows)}. The mart "
            "may have been rebuilt after this validation: re-run the validation.</p>"
        )
    if not rows:
        out.append("<p><b>本次运行没有未达标的目标。No missed targets in this run.</b></p>")
    plans = [(k, list(g)) for k, g in groupby(rows, key=lambda r: (r.plan_id, r.plan_title))]
    if plans:
        out.append(
            "<nav>"
            + "".join(
                f'<a href="#plan-{escape(pid)}">{escape(title)} ({len(g)})</a>'
                for (pid, title), g in plans
            )
            + "</nav>"
        )
    for (plan_id, title), plan_rows in plans:
        out.append(
            f'<section id="plan-{escape(plan_id)}"><h2>{escape(title)} '
            f'<span class="tid">{escape(plan_id)} · {len(plan_rows)} 项未达标</span></h2>'
        )
        for dept, dept_rows in groupby(plan_rows, key=lambda r: r.lead_department):
            dept_list = list(dept_rows)
            out.append(f"<h3>牵头部门 Lead department：{escape(dept)}（{len(dept_list)}）</h3>")
            out.append(f"<table><thead>{HEAD}</thead><tbody>")
            out.extend(_row_html(r) for r in dept_list[:HTML_ROWS_PER_DEPARTMENT])
            out.append("</tbody></table>")
            hidden = len(dept_list) - HTML_ROWS_PER_DEPARTMENT
            if hidden > 0:
                out.append(
                    f'<p class="warn">另有 {hidden} 项未在此页显示 {hidden} more missed '
                    "target × region rows of this department are not shown here (binding "
                    "first, then by target and region): every row is in failure_report.csv and "
                    "failure_report.json.</p>"
                )
        out.append("</section>")
    if data.quality:
        out.append("<h2>数据质量 Data-quality findings</h2><table><thead><tr><th>suite</th>")
        out.append("<th>severity</th><th>structural</th><th>failed rules</th><th>rows</th></tr>")
        out.append("</thead><tbody>")
        for q in data.quality:
            out.append(
                f"<tr><td>{escape(str(q['suite_name']))}</td><td>{escape(str(q['severity']))}</td>"
                f"<td>{'yes' if q['is_structural'] else 'no'}</td>"
                f'<td class="num">{q["failed_rules"]}</td><td class="num">{q["failing_rows"]}</td>'
                "</tr>"
            )
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out)
