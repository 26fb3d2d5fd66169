"""The messages of :func:`pipelines.notify.notify_findings`: what is new at the latest target
validation, in Chinese, from the report's own data access (``pipelines.report.load``)."""

from __future__ import annotations

import duckdb

from pipelines.history import read_sql
from pipelines.notify import Message
from pipelines.report.fmt import gap_text, requirement, with_unit
from pipelines.report.load import load_report_data
from pipelines.report.rows import ReportRow
from pipelines.report.timefmt import beijing
from pipelines.translations import label, label_or


def finding_kind(row: ReportRow) -> str:
    """``new_binding_miss`` for a binding target, else ``newly_off_track`` or ``new_miss``."""
    if row.severity == "critical":
        return "new_binding_miss"
    return "newly_off_track" if row.status == "off_track" else "new_miss"


def row_message(row: ReportRow, report_url: str | None) -> Message:
    """One message for one target × region whose failing streak starts at this validation."""
    kind = finding_kind(row)
    title = f"{label('alert', kind)}：{row.indicator_name} · {row.region_name}"
    words, share = gap_text(
        row.gap, row.gap_pct, row.verdict_value, row.required_upper, row.unit_code, row.unit
    )
    nature = label_or("data_nature", row.data_nature, row.data_nature or "—")
    basis = label("verdict_basis", row.verdict_basis)
    lines = [
        f"### {label('alert', 'header')}：{label('alert', kind)}",
        f"**{row.indicator_name} · {row.region_name}**（{row.plan_title}）",
        (
            f"> {label('report', 'required')}：{requirement(row.threshold, row.unit)}"
            f"（{row.target_year}年，{label('nature', row.nature)}）"
        ),
        (
            f"> {basis}：{with_unit(row.verdict_value, row.unit_code, row.unit)}"
            f"（{row.latest_year or '—'}年数据，{nature}）"
        ),
        f"> {label('report', 'gap')}：{words}" + (f"（{share}）" if share else ""),
        f"> {label('report', 'department')}：{'、'.join(row.departments)}",
        f"> {label('report', 'quote')}：“{row.source_quote}”",
        f"> {label('report', 'failing_since')}：{beijing(row.failing_since)}（北京时间）",
    ]
    if report_url:
        lines.append(f"[{label('alert', 'report_at')}]({report_url})")
    key = f"{kind}:{row.target_id}:{row.region_id}:{row.failing_since}"
    return Message(key, kind, title, "\n".join(lines))


def stale_messages(con: duckdb.DuckDBPyConnection, report_url: str | None) -> list[Message]:
    """One message per target × region whose latest assessment says its data is too old; the
    key carries the data year, so the same stale figure is announced once."""
    try:
        rows = con.execute(read_sql("stale_findings")).fetchall()
    except duckdb.Error:  # a warehouse without the assessment or reference tables
        return []
    out = []
    for target_id, region_id, indicator, region, latest_year, age, plan in rows:
        title = f"{label('alert', 'stale_data')}：{indicator} · {region}"
        lines = [
            f"### {label('alert', 'header')}：{label('alert', 'stale_data')}",
            f"**{indicator} · {region}**（{plan}）",
            f"> {label('report', 'data_year')}：{latest_year or '—'}年"
            + (f"（{label('report', 'years_old', n=age)}）" if age is not None else ""),
        ]
        if report_url:
            lines.append(f"[{label('alert', 'report_at')}]({report_url})")
        key = f"stale_data:{target_id}:{region_id}:{latest_year}"
        out.append(Message(key, "stale_data", title, "\n".join(lines)))
    return out


def finding_messages(con: duckdb.DuckDBPyConnection, report_url: str | None) -> list[Message]:
    """Messages for everything new at the latest target validation: binding first."""
    data = load_report_data(con, "")
    new = [r for r in data.rows if r.is_new]
    new.sort(key=lambda r: (r.severity != "critical", -(abs(r.gap_pct or 0))))
    messages = [row_message(r, report_url) for r in new]
    messages = [Message(m.key, m.kind, m.title, m.content, data.run_id) for m in messages]
    return messages + [
        Message(m.key, m.kind, m.title, m.content, data.run_id)
        for m in stale_messages(con, report_url)
    ]
