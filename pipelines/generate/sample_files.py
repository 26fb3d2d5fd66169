"""The sample's observation files: the plans' own figures and the illustrative series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pipelines.generate import series
from pipelines.generate.columns import (
    COUNTS_HEADER,
    ILLUSTRATIVE_SOURCE,
    LONG_HEADER,
    QUOTED_LONG_HEADER,
    count_row,
    write_csv,
)
from pipelines.generate.reported import PLAN_SOURCE, REPORTED_COUNTS
from pipelines.generate.sample_seeds import ResolvedFigure, Seeds
from pipelines.generate.steering import SEED


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def write_sample_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], encoding: str = "utf-8"
) -> Path | None:
    """Write one CSV; a table without rows is not written (ingestion rejects header-only files)."""
    if not rows:
        return None
    write_csv(path, header, rows, encoding)
    return path


def write_reported(out: Path, resolved: list[ResolvedFigure]) -> list[Path]:
    """One long CSV per plan: the plan's own figures, official, with the exact phrase."""
    written: list[Path | None] = []
    for plan_id in sorted({r.figure.plan_id for r in resolved}):
        source = PLAN_SOURCE[plan_id][1]
        rows = [
            [
                r.figure.region_id,
                r.code,
                r.figure.year,
                r.figure.value,
                r.unit_written,
                source,
                r.figure.quote,
                "official",
            ]
            for r in resolved
            if r.figure.plan_id == plan_id
        ]
        path = out / "reported" / f"{plan_id}.csv"
        written.append(write_sample_csv(path, QUOTED_LONG_HEADER, rows))
    counts = [
        count_row(
            region,
            year,
            measure,
            value,
            source=f"{PLAN_SOURCE[plan][1]}: {quote}",
            data_nature="official",
        )
        for plan, region, year, measure, value, quote in REPORTED_COUNTS
        if measure != "population"  # the population stays an age × sex breakdown (see docs)
    ]
    path = out / "reported" / "official_counts.csv"
    written.append(write_sample_csv(path, COUNTS_HEADER, counts))
    return [p for p in written if p is not None]


def _series_rows(groups: list[series.Group]) -> dict[str, list[tuple[str, int, float]]]:
    out: dict[str, list[tuple[str, int, float]]] = {}
    for g in groups:
        if not g.targets:
            continue  # no target here: the counts carry it
        for year, value in sorted(series.build_series(g, SEED).items()):
            out.setdefault(g.region_id, []).append((g.indicator.code, year, value))
    return out


def write_series(out: Path, seeds: Seeds, groups: list[series.Group]) -> list[Path]:
    """The illustrative series: UTF-8 CSV, GB18030 CSV with Chinese headers, wide XLSX."""
    rows = _series_rows(groups)
    units = {code: info.unit for code, info in seeds.indicators.items()}
    written: list[Path | None] = []
    # the yearbook has no cell for a year whose figure is official; such indicators go long
    anchored = {g.indicator.code for g in groups if g.region_id == "changjiang" and g.anchors}
    rows["changjiang_long"] = [r for r in rows.get("changjiang", []) if r[0] in anchored]
    rows["changjiang"] = [r for r in rows.get("changjiang", []) if r[0] not in anchored]
    for key, region in (
        ("jiangyin", "jiangyin"),
        ("anon_district", "anon_district"),
        ("changjiang_long", "changjiang"),
    ):
        body = [
            [region, c, y, _fmt(v), units[c], ILLUSTRATIVE_SOURCE, "illustrative"]
            for c, y, v in rows.get(key, [])
        ]
        written.append(
            write_sample_csv(out / "illustrative" / f"{region}_series.csv", LONG_HEADER, body)
        )
    names = {c: r["name_zh"] for c, r in seeds.indicator_rows.items()}
    zh_header = ["地区", "指标", "年份", "数值", "单位", "来源", "数据性质"]
    body = [
        [
            seeds.region_names.get("nantong", "南通市"),
            names[c],
            y,
            _fmt(v),
            units[c],
            "健康数据示例生成器（示例数据，非官方）",
            "示例",
        ]
        for c, y, v in rows.get("nantong", [])
    ]
    written.append(
        write_sample_csv(
            out / "illustrative" / "nantong_series_gb18030.csv", zh_header, body, "gb18030"
        )
    )
    written.extend(_write_yearbook(out, seeds, groups, rows.get("changjiang", [])))
    return [p for p in written if p is not None]


def _write_yearbook(
    out: Path, seeds: Seeds, groups: list[series.Group], rows: list[tuple[str, int, float]]
) -> list[Path]:
    """Changjiang as a yearbook: a title row, then 地区 | 指标 | 单位 | 2015 … 2026, per domain."""
    import xlsxwriter

    domain_of: dict[str, str] = {}
    for g in groups:
        if g.region_id == "changjiang":
            tid = g.targets[0].target_id if g.targets else ""
            domain_of[g.indicator.code] = seeds.target_domains.get(tid, "computed")
    table: dict[str, dict[int, float]] = {}
    for code, year, value in rows:
        table.setdefault(code, {})[year] = value
    path = out / "illustrative" / "changjiang_yearbook.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    # a fixed creation time keeps the workbook byte-identical from run to run
    wb.set_properties({"created": dt.datetime(2026, 1, 1), "title": "illustrative, not official"})
    if not table:
        return []
    for domain in sorted({domain_of.get(c, "other") for c in table}):
        ws = wb.add_worksheet(domain[:31])
        ws.write_string(0, 0, "昌江区卫生健康主要指标（示例数据，非官方统计）")
        header = ["地区", "指标", "单位", *[str(y) for y in series.YEARS]]
        for j, h in enumerate(header):
            ws.write_string(1, j, h)
        r = 2
        for code in sorted(c for c in table if domain_of.get(c, "other") == domain):
            ws.write_string(r, 0, "昌江区")
            ws.write_string(r, 1, code)
            ws.write_string(r, 2, seeds.indicators[code].unit)
            for j, year in enumerate(series.YEARS, start=3):
                if year in table[code]:
                    ws.write_number(r, j, table[code][year])
            r += 1
    wb.close()
    sidecar = path.with_name(path.name + ".source.yml")
    sidecar.write_text(
        "layout: wide\n"
        f'source: "{ILLUSTRATIVE_SOURCE}"\n'
        "data_nature: illustrative\n"
        "note: >-\n"
        "  Illustrative yearbook-style workbook for Changjiang district (one sheet per plan\n"
        "  domain, a title row above the header, years across). Not official statistics.\n",
        encoding="utf-8",
    )
    return [path, sidecar]
