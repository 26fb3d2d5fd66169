"""Real public series (issue 9): copied into ``raw/real/<source>/`` with a sidecar per file.

Each source is described once (:data:`SOURCES`): which files, the China extract, the column
mapping, the indicator it feeds, its unit, licence, definition and nature. The copy is a
*verbatim extract*: the header line(s) plus the lines naming China, byte for byte and in the
original order (the WDI and OWID files in ``/work/shared/realdata`` are already such extracts).
Ingestion reads them through the generic sidecar machinery — there is no per-file code.

``data_nature`` is ``international_estimate`` for every series here: they are modelled or
harmonised by WHO, IHME, UN IGME, the World Bank or UN WPP, never China's own statistics. The
indicator code follows the rule of ``docs/realdata-mapping.md``: a series whose *definition*
(numerator, denominator, population, unit) is the national indicator's is ingested under the
national code — a different estimate of the same quantity, flagged by its nature, so the
national framework is assessed on it; a series with a different definition keeps its own code
(seeds: ``definition_family`` set, ``comparable_to`` naming the national indicator it must not be
silently mixed with), e.g. WHO-GHED out-of-pocket share 35.1 % in 2015 vs the national
个人卫生支出占卫生总费用 29.3 %. At most one series feeds any national code (the Gapminder
gd010 maternal-mortality compilation keeps its own code beside the WHO series).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REALDATA_DIR = Path("/work/shared/realdata")


@dataclass(frozen=True)
class RealFile:
    """One real data file and how its sidecar describes it."""

    name: str
    indicator: str
    unit: str
    definition: str
    layout: str = "described"
    columns: dict[str, str] = field(default_factory=dict)
    china_prefix: str | None = None  # keep header + lines starting with this (None = as is)
    header_row: int | None = None
    filter: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class RealSource:
    """A source folder: its attribution and files."""

    folder: str
    source: str
    licence: str
    url: str
    files: tuple[RealFile, ...]


def _gap(concept: str, indicator: str, unit: str, definition: str, **kw) -> RealFile:
    return RealFile(
        name=f"ddf--datapoints--{concept}--by--geo--time.csv",
        indicator=indicator,
        unit=unit,
        definition=definition,
        columns={"region": "geo", "period": "time", "value": concept},
        china_prefix="chn,",
        **kw,
    )


#: Observed years of the Gapminder smoking series for China (2025 and 2030 are WHO projections).
SMOKING_OBSERVED = ["2000", "2005", "2007", "2010", "2015", "2020", "2021", "2022"]

#: First year read from a series ingested under a national code. Earlier values (IMR 195 ‰ in
#: 1950, life expectancy 32 in 1930) are real but outside the national indicators' plausible
#: ranges, which guard the plans' era; 1990 is where the WHO MMR and UN IGME series start.
NATIONAL_FROM = 1990


def _years(first: int, last: int) -> list[str]:
    return [str(y) for y in range(first, last + 1)]


SOURCES: tuple[RealSource, ...] = (
    RealSource(
        folder="gapminder_health",
        source="Gapminder, Systema Globalis (open-numbers/ddf--gapminder--systema_globalis "
        "@c63631ab)",
        licence="CC BY 4.0",
        url="https://github.com/open-numbers/ddf--gapminder--systema_globalis",
        files=(
            _gap(
                "infant_mortality_rate_per_1000_births",
                "infant_mortality_rate",
                "per_mille",
                "Deaths of children during first year of life per 1000 live births (same "
                "definition as 婴儿死亡率); IHME GBD 2017 modelled estimate, not China's "
                "surveillance figure (2015: 9.2 vs 8.1). Ends 2015.",
                filter={"time": _years(NATIONAL_FROM, 2015)},
                note="1950-1989 not read (see NATIONAL_FROM in pipelines/generate/realdata.py).",
            ),
            _gap(
                "maternal_mortality_ratio_per_100000_live_births",
                "maternal_mortality_ratio_gapminder",
                "per_100k",
                "Maternal deaths per 100000 live births; Gapminder compilation gd010 (42-day "
                "rule). Kept apart from the WHO series, which feeds maternal_mortality_ratio: "
                "the two disagree for the same years (1990: 97 vs 120).",
            ),
            _gap(
                "maternal_mortality_ratio_who",
                "maternal_mortality_ratio",
                "per_100k",
                "Maternal deaths (pregnancy or within 42 days of its end) per 100000 live births "
                "(same definition as 孕产妇死亡率); WHO GHO (UN MMEIG) model estimate, not "
                "China's surveillance figure. Ends 2010.",
            ),
            _gap(
                "medical_doctors_per_1000_people",
                "physicians_per_1000_wdi",
                "per_1000_pop",
                "Physicians (generalist and specialist medical practitioners) per 1000 people; "
                "World Bank WDI SH.MED.PHYS.ZS. Narrower than 执业（助理）医师; 2022 is a "
                "definition break.",
            ),
            _gap(
                "newborn_mortality_rate_per_1000",
                "neonatal_mortality_rate",
                "per_mille",
                "Children dying within the first 28 days per 1000 live births (same definition "
                "as 新生儿死亡率); UN IGME model estimate, not China's surveillance figure.",
            ),
            _gap(
                "out_of_pocket_share_of_total_health_spending_percent",
                "oop_share_who_ghed",
                "percent",
                "Out-of-pocket payments as a share of current health expenditure; WHO GHED. Not "
                "China's 个人卫生支出占卫生总费用 (national health accounts).",
            ),
            _gap(
                "smoking_adults_percent_of_population_over_age_15",
                "smoking_rate_15plus_who",
                "percent",
                "Age-standardised smoking prevalence, age 15+; WHO GHO modelled estimate. Not "
                "the crude survey rate of 15岁以上人群吸烟率 (age-standardised to the WHO "
                "standard population, tobacco smoking only).",
                filter={"time": SMOKING_OBSERVED},
                note="2025 and 2030 in the source are WHO projections; the filter keeps the "
                "observed years only.",
            ),
        ),
    ),
    RealSource(
        folder="owid_life_expectancy_china",
        source="Our World in Data, based on UN WPP 2022 et al. (via rfordatascience/tidytuesday "
        "2023-12-05 @a5da45fc)",
        licence="CC BY 4.0",
        url="https://ourworldindata.org/life-expectancy",
        files=(
            RealFile(
                name="life_expectancy_china.csv",
                indicator="life_expectancy",
                unit="years",
                definition="Period life expectancy at birth (same definition as 人均预期寿命); "
                "UN WPP 2022 estimate (OWID), not China's national life tables: 2015 = 76.98 "
                "vs the national 76.34.",
                columns={"region": "Code", "period": "Year", "value": "LifeExpectancy"},
                filter={"Year": _years(NATIONAL_FROM, 2021)},
                note="rows are not sorted (1930-1949 follow 2021 in the source); years before "
                "1990 are not read (see NATIONAL_FROM in pipelines/generate/realdata.py)",
            ),
        ),
    ),
    RealSource(
        folder="wdi_hospital_beds_china",
        source="World Bank, World Development Indicators SH.MED.BEDS.ZS (bulk download of "
        "2020-05-28 via pierpaolo28/Epidemics-Modelling @45b83f7e)",
        licence="CC BY 4.0",
        url="https://data.worldbank.org/indicator/SH.MED.BEDS.ZS",
        files=(
            RealFile(
                name="API_SH.MED.BEDS.ZS_china_rows.csv",
                indicator="hospital_beds_per_1000_wdi",
                unit="per_1000_pop",
                definition="Hospital beds per 1000 people (WDI); mixes hospital beds with "
                "China's broader 医疗卫生机构床位 (series break 2003-2009).",
                layout="wide",
                columns={"region": "Country Code"},
                header_row=5,
                note="wide: one column per year 1960-2019, empty string = missing",
            ),
        ),
    ),
)


def _extract(src: Path, dst: Path, prefix: str | None) -> None:
    """Copy ``src`` to ``dst``; with ``prefix``, only the header and lines starting with it."""
    if prefix is None:
        shutil.copyfile(src, dst)
        return
    data = src.read_bytes()
    lines = data.splitlines(keepends=True)
    kept = [lines[0]] + [ln for ln in lines[1:] if ln.startswith(prefix.encode())]
    dst.write_bytes(b"".join(kept))


def sidecar_text(source: RealSource, f: RealFile) -> str:
    """The ``.source.yml`` describing one real file (CONTRACTS §5)."""
    doc: dict[str, object] = {
        "layout": f.layout,
        "source": f"{source.source}, {source.url}",
        "licence": source.licence,
        "data_nature": "international_estimate",
        "indicator": f.indicator,
        "unit": f.unit,
        "definition": f.definition,
    }
    if f.columns:
        doc["columns"] = dict(f.columns)
    doc["region_map"] = {"chn" if f.china_prefix else "CHN": "china"}
    if f.header_row:
        doc["header_row"] = f.header_row
    if f.filter:
        doc["filter"] = dict(f.filter)
    if f.china_prefix:
        doc["note"] = (
            "verbatim extract: the header line and every China line of the source file, "
            "byte for byte, in source order. " + f.note
        ).strip()
    elif f.note:
        doc["note"] = f.note
    return yaml.safe_dump(
        doc, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )


def copy_real_data(out: Path, realdata_dir: Path = REALDATA_DIR) -> list[Path]:
    """Copy every described file (China extract), its sidecar and the source's SOURCE.md."""
    written: list[Path] = []
    for source in SOURCES:
        folder = out / source.folder
        folder.mkdir(parents=True, exist_ok=True)
        attribution = folder / "SOURCE.md"
        shutil.copyfile(realdata_dir / source.folder / "SOURCE.md", attribution)
        written.append(attribution)
        for f in source.files:
            dst = folder / f.name
            _extract(realdata_dir / source.folder / f.name, dst, f.china_prefix)
            sidecar = folder / (f.name + ".source.yml")
            sidecar.write_text(sidecar_text(source, f), encoding="utf-8")
            written += [dst, sidecar]
    return written
