"""Build the shipped sample data in ``raw/`` (``healthplan generate --sample --out raw``).

What it writes (see docs/sample-data.md)::

    reported/<plan_id>.csv                 the plans' own figures (official, quoted)
    reported/official_counts.csv           counts the plans print (official)
    illustrative/jiangyin_series.csv       UTF-8 long, indicator codes
    illustrative/anon_district_series.csv  UTF-8 long, indicator codes
    illustrative/nantong_series_gb18030.csv  GB18030 long, Chinese headers and names
    illustrative/changjiang_yearbook.xlsx  wide yearbook table, one sheet per domain (+ sidecar)
    illustrative/counts/<region>_counts.csv  births, deaths by age × sex × cause, population …
    real/<source>/…                        real public series with sidecars (pipelines.generate.realdata)
    real/nhc_statistical_bulletins/…       China's official national series (pipelines.generate.official)

Everything but ``reported/`` and ``real/`` is illustrative and says so in every row (or in the
sidecar of the workbook). The output is a pure function of the seeds and ``seed``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.config import SEEDS_DIR
from pipelines.generate import mortality, official, realdata, series
from pipelines.generate.columns import COUNTS_HEADER
from pipelines.generate.reported import (
    CHANGJIANG_2018_CRUDE,
    PLAN_SOURCE,
    REPORTED,
    REPORTED_COUNTS,
    ReportedFigure,
)
from pipelines.reference import normalise_label, normalise_unit
from pipelines.rules.units import Unit, conversion, load_units

SEED = 20260101
#: The folders of the landing zone this module writes (``raw/examples`` belongs to ingestion).
OWNED_FOLDERS = ("reported", "illustrative", "real")
#: Regions with illustrative series (the five local plans; 健康中国2030 uses real data only).
PLAN_REGIONS = ("jiangyin", "nantong", "changjiang", "anon_district")
ILLUSTRATIVE_SOURCE = "healthplan sample generator (illustrative, not official)"
COUNT_MEASURES_PER_POP = {
    "physicians": ("physicians_per_1000", 1000),
    "nurses": ("nurses_per_1000", 1000),
    "beds": ("beds_per_1000", 1000),
    "gps": ("gps_per_10000", 10000),
    "public_health_staff": ("public_health_staff_per_10000", 10000),
}
#: Indicators the warehouse computes from the counts; their series must be dense.
COUNT_DRIVEN = (
    "life_expectancy",
    "infant_mortality_rate",
    "under5_mortality_rate",
    "maternal_mortality_ratio",
    "neonatal_mortality_rate",
    "premature_ncd_mortality",
    *(code for code, _ in COUNT_MEASURES_PER_POP.values()),
)

#: Steering overrides: (region_id, indicator_code) -> (scenario, why). Every other group gets
#: series.default_scenario. Chosen so each assessment status occurs on a plausible story.
STEERING: dict[tuple[str, str], tuple[str, str]] = {
    ("jiangyin", "life_expectancy"): ("meet", "82.40 in 2020, +0.15 a year reaches 83 by 2025"),
    ("jiangyin", "smoking_rate_15plus"): ("miss", "21.86 % in 2020 and stuck above the <21 % aim"),
    ("jiangyin", "elderly_health_management_rate"): ("miss", "72 % in 2020, short of ≥73 %"),
    ("jiangyin", "crd_mortality_70_under"): ("baseline", "only the 2020 figure (4.69) exists"),
    ("jiangyin", "cancer_5yr_survival_rate"): ("baseline", "survival is measured rarely"),
    ("jiangyin", "hypertension_standardized_management_rate"): ("single", "one survey, 2023"),
    ("jiangyin", "geriatric_hospitals"): ("none", "no statistics published yet"),
    ("anon_district", "pm25_concentration"): ("miss", "PM2.5 above 48.5 µg/m³ in 2019"),
    ("anon_district", "elderly_care_beds"): ("none", "no statistics published yet"),
    ("nantong", "life_expectancy"): ("on_track", "81.86 (2017) rising towards ≥83 by 2030"),
    ("nantong", "health_literacy_rate"): ("meet", "22.8 % (2017) already past ≥30 % (2030)"),
    ("nantong", "premature_ncd_mortality"): ("miss", "10.4 % (2017), flat: off track for ≤10 %"),
    ("nantong", "regular_exercise_rate"): ("on_track", "37 % (2017) rising towards ≥45 %"),
    ("nantong", "physicians_per_1000"): ("meet", "2.57 (2017) reaching ≥3.5 before 2030"),
    ("nantong", "air_quality_good_days_ratio"): ("sparse", "two recent reports, still below ≥73.7"),
    ("nantong", "rural_sanitary_toilet_coverage"): ("single", "one survey since 2017: no trend"),
    ("changjiang", "life_expectancy"): ("on_track", "rising towards 79 by 2030"),
    ("changjiang", "infant_mortality_rate"): ("meet", "4.24 ‰ (2018) well below ≤5.0"),
    ("changjiang", "health_service_industry_scale"): ("none", "no statistics published yet"),
}


@dataclass(frozen=True)
class Seeds:
    """The seed tables the sample needs, read from ``dbt_project/seeds``."""

    indicators: dict[str, series.IndicatorInfo]
    indicator_rows: dict[str, dict[str, str]]
    targets: list[series.Target]
    target_domains: dict[str, str]
    indicator_lookup: dict[str, str]
    unit_lookup: dict[str, str]
    units: dict[str, Unit]
    region_names: dict[str, str]


def _f(value: str | None) -> float | None:
    return float(value) if value else None


def _i(value: str | None) -> int | None:
    return int(value) if value else None


def _read(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    path = seeds_dir / f"{name}.csv"
    if not path.exists():
        return []
    return pl.read_csv(path, infer_schema=False).to_dicts()


def load_seeds(seeds_dir: Path = SEEDS_DIR) -> Seeds:
    """Read indicators, aliases, units, regions and plan_targets from the seed CSVs."""
    ind_rows = {r["indicator_code"]: r for r in _read(seeds_dir, "indicators")}
    indicators = {
        code: series.IndicatorInfo(
            code=code,
            unit=r["canonical_unit"],
            direction=r["direction"],
            value_type=r["value_type"],
            plausible_min=float(r["plausible_min"]),
            plausible_max=float(r["plausible_max"]),
        )
        for code, r in ind_rows.items()
    }
    lookup: dict[str, str] = {}
    for code, r in ind_rows.items():
        for label in (code, r.get("name_zh"), r.get("name_en")):
            if label:
                lookup.setdefault(normalise_label(label), code)
    for r in _read(seeds_dir, "indicator_aliases"):
        lookup.setdefault(normalise_label(r["alias"]), r["indicator_code"])
    units = load_units(seeds_dir)
    unit_lookup = {normalise_unit(u): u for u in units}
    for r in _read(seeds_dir, "unit_aliases"):
        unit_lookup.setdefault(normalise_unit(r["alias"]), r["unit"])
    targets, domains = [], {}
    for r in _read(seeds_dir, "plan_targets"):
        if r["scope"] != "region" or r["indicator_code"] not in indicators:
            continue
        targets.append(
            series.Target(
                target_id=r["target_id"],
                indicator_code=r["indicator_code"],
                region_id=r["region_id"],
                target_year=int(r["target_year"]),
                comparator=r["comparator"],
                target_value=_f(r["target_value"]),
                target_upper=_f(r["target_upper"]),
                relative_to_year=_i(r["relative_to_year"]),
                baseline_year=_i(r["baseline_year"]),
                baseline_value=_f(r["baseline_value"]),
            )
        )
        domains[r["target_id"]] = r.get("domain_id") or "other"
    regions = {r["region_id"]: r["name_zh"] for r in _read(seeds_dir, "regions")}
    return Seeds(indicators, ind_rows, targets, domains, lookup, unit_lookup, units, regions)


@dataclass(frozen=True)
class ResolvedFigure:
    """A reported figure with its indicator code and its value in the canonical unit."""

    figure: ReportedFigure
    code: str
    unit_written: str
    canonical_value: float


def resolve_reported(seeds: Seeds) -> tuple[list[ResolvedFigure], list[ReportedFigure]]:
    """Resolve every reported figure's indicator and unit; returns (resolved, unresolved)."""
    resolved, unresolved = [], []
    for fig in REPORTED:
        code = seeds.indicator_lookup.get(normalise_label(fig.label))
        if code is None or code not in seeds.indicators:
            unresolved.append(fig)
            continue
        canonical = seeds.indicators[code].unit
        printed = seeds.unit_lookup.get(normalise_unit(fig.unit)) if fig.unit else None
        if printed is None or printed == canonical:
            resolved.append(ResolvedFigure(fig, code, canonical, float(fig.value)))
            continue
        converted = conversion(printed, canonical, seeds.units)
        if converted.factor is None:  # a figure the sample would otherwise load wrongly
            raise ValueError(f"{fig.label} {fig.value} {fig.unit}: {converted.problem}")
        written = canonical if converted.is_label else fig.unit  # 5.5张 is 5.5 per_1000_pop
        resolved.append(ResolvedFigure(fig, code, written, float(fig.value) * converted.factor))
    return resolved, unresolved


def build_groups(seeds: Seeds, resolved: list[ResolvedFigure]) -> list[series.Group]:
    """One group per plan region × indicator with a target, with its anchors and scenario."""
    anchors: dict[tuple[str, str], dict[int, float]] = {}
    for r in resolved:
        anchors.setdefault((r.figure.region_id, r.code), {})[r.figure.year] = r.canonical_value
    typical: dict[str, float] = {}
    for t in seeds.targets:
        if t.baseline_value is not None:
            typical.setdefault(t.indicator_code, t.baseline_value)
    by_key: dict[tuple[str, str], list[series.Target]] = {}
    for t in seeds.targets:
        if t.region_id in PLAN_REGIONS:
            by_key.setdefault((t.region_id, t.indicator_code), []).append(t)
    # counts feed the computed indicators in every plan region, with or without a target
    for region in PLAN_REGIONS:
        for code in COUNT_DRIVEN:
            if code in seeds.indicators:
                by_key.setdefault((region, code), [])
    groups = []
    for (region, code), targets in sorted(by_key.items()):
        info = seeds.indicators[code]
        if info.unit not in seeds.units:
            continue  # the seeds lack this canonical unit: rows could not be converted
        group = series.Group(region, info, targets, anchors.get((region, code), {}))
        # a realistic level for series no figure pins: the count model's fallback, else a
        # baseline some plan prints for the indicator
        group.typical = FALLBACK[code][0] if code in FALLBACK else typical.get(code)
        primary = series.primary_target(targets)
        future = any(t.target_year > series.CURRENT_YEAR for t in targets)
        met = _already_met(group, primary)
        scenario = STEERING.get((region, code), (None, ""))[0]
        if scenario is None:
            scenario = series.default_scenario(region, code, future, met)
        if code in COUNT_DRIVEN and scenario in ("baseline", "single", "sparse", "none"):
            scenario = "meet"  # counts make these dense anyway
        group.scenario = scenario
        groups.append(group)
    return groups


def _already_met(group: series.Group, target: series.Target | None) -> bool:
    if not group.anchors or target is None or target.target_value is None:
        return False
    if target.comparator not in ("ge", "gt", "le", "lt"):
        return False
    last = group.anchors[max(group.anchors)]
    sign = -1 if group.indicator.direction == "lower_is_better" else 1
    return sign * (last - target.target_value) > 0.05 * abs(target.target_value)


def full_path(group: series.Group, seed: int = SEED) -> dict[int, float]:
    """Anchors plus illustrative values: the whole series a region shows for the indicator.

    A group without a target (an indicator only computed from counts there) follows the
    FALLBACK slope through its anchor, or the FALLBACK level when the plan prints nothing.
    """
    if not group.targets:
        code, region = group.indicator.code, group.region_id
        base, step = FALLBACK.get(code, (0.0, 0.0))
        if group.anchors:
            year0 = max(group.anchors)
            base = group.anchors[year0]
        else:
            year0 = DEMOGRAPHY[region][0]
        path = {y: round(base + step * (y - year0), 2) for y in series.YEARS}
        return {**path, **group.anchors}
    return {**series.build_series(group, seed), **group.anchors}


# --------------------------------------------------------------------------- writers


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _write_csv(
    path: Path, header: list[str], rows: list[list], encoding: str = "utf-8"
) -> Path | None:
    """Write one CSV; a table without rows is not written (ingestion rejects header-only files)."""
    if not rows:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
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
        header = [
            "region",
            "indicator",
            "period",
            "value",
            "unit",
            "source",
            "source_quote",
            "data_nature",
        ]
        written.append(_write_csv(out / "reported" / f"{plan_id}.csv", header, rows))
    rows = [
        [
            region,
            year,
            measure,
            value,
            "all",
            "all",
            "all",
            f"{PLAN_SOURCE[plan][1]}: {quote}",
            "official",
        ]
        for plan, region, year, measure, value, quote in REPORTED_COUNTS
        if measure != "population"  # the population stays an age × sex breakdown (see docs)
    ]
    header = COUNTS_HEADER
    written.append(_write_csv(out / "reported" / "official_counts.csv", header, rows))
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
    header = ["region", "indicator", "period", "value", "unit", "source", "data_nature"]
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
        written.append(_write_csv(out / "illustrative" / f"{region}_series.csv", header, body))
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
        _write_csv(out / "illustrative" / "nantong_series_gb18030.csv", zh_header, body, "gb18030")
    )
    written.extend(_write_yearbook(out, seeds, groups, rows.get("changjiang", [])))
    return [p for p in written if p is not None]


def _write_yearbook(out, seeds, groups, rows) -> list[Path]:
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


# --------------------------------------------------------------------------- counts

#: Demography per plan region: (anchor year, mid-year population, live births, annual growth of
#: population, annual change of births). Jiangyin and Changjiang population are the plans' own.
DEMOGRAPHY = {
    "jiangyin": (2020, 1_779_500, 13_230, 0.004, -0.03),
    "nantong": (2017, 7_310_000, 52_000, -0.001, -0.04),
    "changjiang": (2018, 164_700, 1_899, 0.005, -0.02),
    "anon_district": (2018, 1_100_000, 11_000, 0.02, -0.03),
}
#: Fallback paths (anchor year value, change per year) for regions without such a series.
FALLBACK = {
    "life_expectancy": (80.5, 0.2),
    "infant_mortality_rate": (3.0, -0.05),
    "under5_mortality_rate": (4.2, -0.07),
    "maternal_mortality_ratio": (9.0, -0.2),
    "neonatal_mortality_rate": (1.6, -0.03),
    "premature_ncd_mortality": (11.0, -0.15),
    "physicians_per_1000": (2.6, 0.1),
    "nurses_per_1000": (2.9, 0.15),
    "beds_per_1000": (5.2, 0.1),
    "gps_per_10000": (3.0, 0.15),
    "public_health_staff_per_10000": (1.0, 0.05),
}


def _demography(region: str, year: int) -> tuple[int, int]:
    y0, pop0, births0, g_pop, g_births = DEMOGRAPHY[region]
    pop = round(pop0 * (1 + g_pop) ** (year - y0))
    births = round(births0 * (1 + g_births) ** (year - y0))
    return pop, births


def _path_value(paths: dict[str, dict[int, float]], code: str, year: int, region: str) -> float:
    path = paths.get(code, {})
    if year in path:
        return path[year]
    if path:  # nearest year of the series
        return path[min(path, key=lambda y: abs(y - year))]
    base, step = FALLBACK[code]
    return base + step * (year - DEMOGRAPHY[region][0])


def count_rows(region: str, groups: list[series.Group]) -> list[list]:
    """Count-level rows for one region and every year, calibrated to its series."""
    paths = {g.indicator.code: full_path(g) for g in groups if g.region_id == region}
    official = {(r, y, m) for _, r, y, m, _, _ in REPORTED_COUNTS if m != "population"}
    tilt = 0.0
    if region == "changjiang":
        pop, births = _demography(region, 2018)
        tilt = mortality.tilt_for_crude_death_rate(
            population=pop,
            births=round(CHANGJIANG_2018_CRUDE["birth_rate_per_mille"] * pop / 1000),
            e0=_path_value(paths, "life_expectancy", 2018, region),
            imr=_path_value(paths, "infant_mortality_rate", 2018, region),
            u5mr=_path_value(paths, "under5_mortality_rate", 2018, region),
            per_mille=CHANGJIANG_2018_CRUDE["death_rate_per_mille"],
        )
    rows: list[list] = []

    def add(year, measure, value, age="all", sex="all", cause="all"):
        rows.append(
            [
                region,
                year,
                measure,
                int(value),
                age,
                sex,
                cause,
                ILLUSTRATIVE_SOURCE,
                "illustrative",
            ]
        )

    for year in series.YEARS:
        pop, births = _demography(region, year)
        if region == "changjiang" and year == 2018:
            births = round(CHANGJIANG_2018_CRUDE["birth_rate_per_mille"] * pop / 1000)
        imr = _path_value(paths, "infant_mortality_rate", year, region)
        u5 = max(_path_value(paths, "under5_mortality_rate", year, region), imr)
        ry = mortality.calibrate_region_year(
            population=pop,
            births=births,
            e0=_path_value(paths, "life_expectancy", year, region),
            imr=imr,
            u5mr=u5,
            premature_ncd_pct=_path_value(paths, "premature_ncd_mortality", year, region),
            mmr=_path_value(paths, "maternal_mortality_ratio", year, region),
            nmr_share=min(1.0, _path_value(paths, "neonatal_mortality_rate", year, region) / imr),
            tilt=tilt,
        )
        add(year, "live_births", ry.births)
        add(year, "infant_deaths", ry.infant_deaths)
        add(year, "under5_deaths", ry.under5_deaths)
        add(year, "neonatal_deaths", ry.neonatal_deaths)
        add(year, "maternal_deaths", ry.maternal_deaths)
        for i, age in enumerate(mortality.AGE_LABELS):
            for s, sex in enumerate(("male", "female")):
                add(year, "population", ry.population[i, s], age, sex)
                for c, cause in enumerate(mortality.CAUSES):
                    if ry.deaths[i, s, c]:
                        add(year, "deaths", ry.deaths[i, s, c], age, sex, cause)
        for measure, (code, per) in COUNT_MEASURES_PER_POP.items():
            if (region, year, measure) in official:
                continue
            add(year, measure, round(_path_value(paths, code, year, region) * pop / per))
    return rows


def write_counts(out: Path, groups: list[series.Group]) -> list[Path]:
    """One counts CSV per plan region (illustrative)."""
    header = COUNTS_HEADER
    paths = (
        _write_csv(
            out / "illustrative" / "counts" / f"{region}_counts.csv",
            header,
            count_rows(region, groups),
        )
        for region in PLAN_REGIONS
    )
    return [p for p in paths if p is not None]


def build_sample(out: Path, seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write the whole shipped sample into ``out`` (normally ``raw/``); returns the files."""
    seeds = load_seeds(seeds_dir)
    resolved, _unresolved = resolve_reported(seeds)
    groups = build_groups(seeds, resolved)
    for owned in OWNED_FOLDERS:  # rebuilt from scratch: no stale file survives a seed change
        shutil.rmtree(out / owned, ignore_errors=True)
    written = write_reported(out, resolved)
    written += write_series(out, seeds, groups)
    written += write_counts(out, groups)
    written += realdata.copy_real_data(out / "real")
    written += official.copy_official_series(out / "real")
    return [p for p in written if p is not None]


def scenario_table(seeds_dir: Path = SEEDS_DIR) -> list[tuple[str, str, str, str]]:
    """(region, indicator, scenario, why) of every group — the steering documented in docs."""
    seeds = load_seeds(seeds_dir)
    resolved, _ = resolve_reported(seeds)
    return [
        (
            g.region_id,
            g.indicator.code,
            g.scenario,
            STEERING.get((g.region_id, g.indicator.code), ("", "default (CRC spread)"))[1],
        )
        for g in build_groups(seeds, resolved)
    ]
