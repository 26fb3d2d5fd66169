"""Render the report as ONE self-contained HTML file (inline CSS and SVG, no scripts, no assets).

Chinese first (labels from ``translations.csv``), English second in small type. The file holds an
overview (counts by status per plan and per lead department, with the status icons and colours
of ``assessment_statuses.csv``; binding targets at risk first; a chart) and one page per missed
target × region (``#t-N``; shown alone when its address is opened, by CSS ``:target``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from html import escape

from pipelines.report.cells import badge, gap, heading, observed, series, since
from pipelines.report.charts import sparkline, status_bars
from pipelines.report.fmt import requirement
from pipelines.report.rows import ReportData, ReportRow
from pipelines.report.target_page import target_page
from pipelines.report.timefmt import beijing, run_name
from pipelines.translations import Status, bilingual, label, label_or, load_statuses

#: Rows shown per plan × lead department; a national run misses ~74,000 target × region rows,
#: which no browser page can usefully show. The CSV and JSON always hold every row.
HTML_ROWS_PER_DEPARTMENT = 200
#: Target pages written into the file (the most urgent first); the CSV/JSON hold every row.
HTML_TARGET_PAGES = 2000

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:0;color:#1f2933;background:#f5f7fa;line-height:1.5}
main{max-width:1180px;margin:0 auto;padding:1.2rem 1.5rem 3rem;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.8rem 0 .5rem;
border-bottom:2px solid #2c5d8a;padding-bottom:.2rem}h3{font-size:1.02rem;margin:1.2rem 0 .4rem;color:#2c5d8a}
.en{color:#7b8794;font-size:.8em;font-weight:normal;margin-left:.4em}
.summary{background:#eef3f8;padding:.6rem 1rem;border-radius:6px;margin:.6rem 0}
.summary b{font-size:1.1em}.warn{background:#fdecea;border:1px solid #c0392b;padding:.5rem .8rem;border-radius:6px}
table{border-collapse:collapse;width:100%;margin:.3rem 0 .8rem;font-size:.9rem}
th,td{border-bottom:1px solid #dde3ea;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#eef2f6;font-weight:600;white-space:nowrap}th.c{text-align:center}td.num,th.num{text-align:right;white-space:nowrap;
font-variant-numeric:tabular-nums}tr.critical td:first-child{box-shadow:inset 4px 0 #c0392b}
.st{display:inline-block;padding:0 .45rem;border-radius:10px;color:#fff;font-size:.82rem;white-space:nowrap}
.legend span{margin-right:.9rem;white-space:nowrap;font-size:.85rem}.dot{display:inline-block;width:.8em;
height:.8em;border-radius:2px;margin-right:.25em;vertical-align:-1px}
.binding{color:#c0392b;font-weight:600}.muted{color:#7b8794;font-size:.82rem}.neg{color:#c0392b;font-weight:600}
.new{background:#c0392b;color:#fff;border-radius:3px;padding:0 .3rem;font-size:.75rem;margin-left:.3rem}
.illustrative{background:#fff3bf;border:1px dashed #b08900;color:#6b5200;border-radius:3px;padding:0 .3rem;font-size:.75rem}
blockquote{margin:.4rem 0;padding:.4rem .7rem;border-left:4px solid #9aa5b1;background:#f8f9fb;color:#323f4b}
dl.facts{display:grid;grid-template-columns:9em 1fr;gap:.25rem .8rem;margin:.6rem 0}dl.facts dt{color:#52606d}
dl.facts dd{margin:0}a{color:#2c5d8a}nav.toc a{margin-right:1rem;white-space:nowrap}
.target-page{display:none}.target-page:target{display:block;scroll-margin-top:100vh}body:has(.target-page:target) #overview{display:none}
td.count{text-align:center;font-variant-numeric:tabular-nums}td.zero{color:#c5ccd3}
/* Count tables carry one column per status: let the headers wrap and keep the name readable. */
.scroll{overflow-x:auto}table.counts th.c{white-space:normal;font-size:.8rem;min-width:3.2em}
table.counts td:first-child{min-width:13em}
"""


def _table(rows: Iterable[tuple[int, ReportRow]], statuses: dict[str, Status]) -> str:
    head = "".join(
        f'<th class="{c}">{escape(label("report", k))}</th>'
        if c
        else f"<th>{escape(label('report', k))}</th>"
        for k, c in (
            ("indicator", ""),
            ("region", ""),
            ("observed", "num"),
            ("required", "num"),
            ("gap", "num"),
            ("failing_since", ""),
            ("trend", ""),
            ("status", ""),
        )
    )
    out = [f"<table><thead><tr>{head}</tr></thead><tbody>"]
    for n, r in rows:
        binding = r.severity == "critical"
        out.append(
            f'<tr class="{"critical" if binding else "warning"}">'
            f'<td><a href="#t-{n}">{escape(r.indicator_name)}</a>'
            f'<div class="muted">{escape(label_or("nature", r.nature, r.nature))}</div></td>'
            f"<td>{escape(r.region_name)}</td>"
            f'<td class="num">{observed(r)}</td>'
            f'<td class="num">{escape(requirement(r.threshold, r.unit))}'
            f'<div class="muted">{r.target_year or ""}年</div></td>'
            f'<td class="num">{gap(r)}</td><td>{since(r)}</td>'
            f"<td>{sparkline(series(r))}</td><td>{badge(r.status, statuses)}"
            f'<div class="muted">{escape(label_or("trend", r.trend, r.trend))}</div></td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def _counts_table(
    groups: list[tuple[str, dict[str, int], int]], statuses: dict[str, Status], key: str
) -> str:
    used = [s for s in statuses.values() if any(c.get(s.status) for _, c, _ in groups)]
    head = "".join(
        f'<th class="c"><span class="dot" style="background:{s.colour}"></span>{escape(s.zh)}</th>'
        for s in used
    )
    out = [
        (
            f'<div class="scroll"><table class="counts"><thead><tr><th>{escape(label("report", key))}</th>{head}'
            f'<th class="c">{escape(label("report", "total"))}</th>'
            f'<th class="c">{escape(label("report", "binding_failing"))}</th></tr></thead><tbody>'
        )
    ]
    for name, counts, binding_failing in groups:
        cells = "".join(
            f'<td class="count{" zero" if not counts.get(s.status) else ""}">'
            f"{counts.get(s.status, 0)}</td>"
            for s in used
        )
        out.append(
            f"<tr><td>{escape(name)}</td>{cells}<td class='count'>{sum(counts.values())}</td>"
            f"<td class='count binding'>{binding_failing or ''}</td></tr>"
        )
    out.append("</tbody></table></div>")
    return "".join(out)


def _groups(data: ReportData, grouping: str, statuses: dict[str, Status]):
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    binding: dict[str, int] = defaultdict(int)
    for c in data.status_counts:
        if c["grouping"] != grouping:
            continue
        name = (
            data.plan_titles.get(c["plan_id"], c["plan_id"])
            if grouping == "plan"
            else c["department"]
        )
        counts[name][c["status"]] = counts[name].get(c["status"], 0) + int(c["n"])
        st = statuses.get(c["status"])
        if st is not None and st.is_finding:
            binding[name] += int(c["n_binding"])
    none = label("department", "none")  # "the plan names no lead" goes last, not first
    order = sorted(counts, key=lambda k: (k == none, -binding[k], -sum(counts[k].values()), k))
    return [(k, counts[k], binding[k]) for k in order]


def _overview(data: ReportData, numbered: list[tuple[int, ReportRow]], statuses) -> list[str]:
    rows = data.rows
    legend = "".join(
        f'<span><span class="dot" style="background:{s.colour}"></span>{escape(s.icon)} '
        f"{escape(s.zh)}</span>"
        for s in statuses.values()
    )
    plans = _groups(data, "plan", statuses)
    depts = _groups(data, "department", statuses)
    out = [heading("overview", anchor="top"), f'<p class="legend">{legend}</p>']
    if plans:
        out.append(heading("chart_title", "h3"))
        out.append(
            status_bars(
                [(n, c) for n, c, _ in plans], statuses, title=label("report", "chart_title")
            )
        )
        out.append(heading("by_plan", "h3") + _counts_table(plans, statuses, "plan"))
    if depts:
        out.append(heading("by_department", "h3") + _counts_table(depts, statuses, "department"))
    if not rows:
        out.append(f"<p><b>{escape(label('report', 'no_missed'))}</b></p>")
        return out
    out += _binding_at_risk(numbered, statuses)
    out += _at_risk_by_plan(numbered, statuses)
    return out


def _binding_at_risk(
    numbered: list[tuple[int, ReportRow]], statuses: dict[str, Status]
) -> list[str]:
    """Binding targets at risk first, furthest off first (gap as % of the target)."""
    binding = sorted(
        ((n, r) for n, r in numbered if r.severity == "critical"),
        key=lambda p: -(abs(p[1].gap_pct) if p[1].gap_pct is not None else -1),
    )
    if not binding:
        return []
    out = [heading("binding_at_risk") + _table(binding[:HTML_ROWS_PER_DEPARTMENT], statuses)]
    hidden = len(binding) - HTML_ROWS_PER_DEPARTMENT
    if hidden > 0:
        out.append(f'<p class="warn">{escape(label("report", "not_shown", n=hidden))}</p>')
    return out


def _at_risk_by_plan(
    numbered: list[tuple[int, ReportRow]], statuses: dict[str, Status]
) -> list[str]:
    """Every row at risk, per plan (with a table of contents), then per lead department."""
    out = [heading("other_at_risk")]
    out.append(f'<p class="muted">{escape(label("report", "sorted_note"))}</p>')
    by_plan: dict[str, list[tuple[int, ReportRow]]] = defaultdict(list)
    for n, r in numbered:
        by_plan[r.plan_title].append((n, r))
    out.append(
        '<nav class="toc">'
        + "".join(
            f'<a href="#p-{i}">{escape(t)}（{len(v)}）</a>'
            for i, (t, v) in enumerate(by_plan.items())
        )
        + "</nav>"
    )
    for i, (title, plan_rows) in enumerate(by_plan.items()):
        out.append(f'<h3 id="p-{i}">{escape(title)}（{len(plan_rows)}）</h3>')
        by_dept: dict[str, list[tuple[int, ReportRow]]] = defaultdict(list)
        for n, r in plan_rows:
            for dept in r.departments:  # a jointly led target is listed under each lead
                by_dept[dept].append((n, r))
        for dept, dept_rows in sorted(
            by_dept.items(), key=lambda kv: kv[0] == label("department", "none")
        ):
            out.append(
                f"<h4>{escape(label('report', 'department'))}：{escape(dept)}（{len(dept_rows)}）</h4>"
            )
            out.append(_table(dept_rows[:HTML_ROWS_PER_DEPARTMENT], statuses))
            hidden = len(dept_rows) - HTML_ROWS_PER_DEPARTMENT
            if hidden > 0:
                out.append(f'<p class="warn">{escape(label("report", "not_shown", n=hidden))}</p>')
    return out


def render_html(data: ReportData, trigger: str = "manual") -> str:
    """The whole page as a string."""
    statuses = load_statuses()
    rows = data.rows
    numbered = list(enumerate(rows, start=1))
    name = run_name(data.validated_at, trigger) if data.validated_at else "—"
    n_binding = data.n_binding()
    n_illustrative = sum(r.illustrative for r in rows)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(label('report', 'title'))} · {escape(name)}</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>{escape(bilingual('report', 'title'))}</h1>",
        '<div class="summary">',
        (
            f"<p>{escape(label('report', 'run'))}：<b>{escape(name)}</b> · "
            f"{escape(label('report', 'validated_at'))}：{escape(beijing(data.validated_at, True))}"
            f"（{escape(label('report', 'beijing_time'))}） · "
            f"{escape(label('report', 'targets_checked'))}：{data.n_targets_checked}</p>"
        ),
        (
            f'<p id="counts">{escape(label("report", "missed"))}：<b>{len(rows)}</b> 项'
            f"（{escape(label('report', 'binding_missed'))} <b class='binding'>{n_binding}</b>）；"
            f"{escape(label('report', 'illustrative_rows'))}：{n_illustrative}</p>"
        ),
        f'<p class="muted">{escape(label("report", "illustrative_note"))}</p></div>',
    ]
    if data.n_assessment_missed != len(rows):
        out.append(
            '<p class="warn">'
            + escape(label("report", "mismatch", a=data.n_assessment_missed, b=len(rows)))
            + "</p>"
        )
    out.append('<section id="overview">')
    out.extend(_overview(data, numbered, statuses))
    if data.quality:
        out.append(heading("data_quality"))
        out.append(
            "<table><thead><tr>"
            + "".join(
                f"<th>{escape(label('report', k))}</th>"
                for k in ("suite", "structural", "failed_rules", "failing_rows")
            )
            + "</tr></thead><tbody>"
        )
        for q in data.quality:
            yes = label("report", "yes" if q["is_structural"] else "no")
            out.append(
                f"<tr><td>{escape(label_or('suite', q['suite_name'], q['suite_name']))}</td>"
                f"<td>{escape(yes)}</td>"
                f'<td class="num">{q["failed_rules"]}</td><td class="num">{q["failing_rows"]}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</section>")
    out.extend(target_page(n, r, statuses) for n, r in numbered[:HTML_TARGET_PAGES])
    out.append("</main></body></html>")
    return "\n".join(out)
