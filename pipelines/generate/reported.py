"""The plans' own reported figures: every actual value a seed document states for a past year.

These rows are *real* (``data_nature=official``): each carries the plan it comes from and the
exact phrase of the seed text (``source_quote``). Quotes from body text are verbatim substrings
of the seed; quotes from an indicator table are the table cells of one row joined by single
spaces, because the seed lays a table out one cell per line (tabs and newlines between cells).
:func:`quote_is_verbatim` is the one check both kinds must pass (tested for every row).

Values that a plan only implies (e.g. "较2015年增长了53.90%") or states as a bound ("≤30",
"70%以上") are not point figures and are deliberately left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Where the plan documents live (read-only shared input).
SEEDS_TEXT_DIR = Path("/work/shared/seeds")

PLAN_SOURCE = {
    "jy_fyp14": (
        "004_59ac81d9e3b3f288.txt",
        "江阴市“十四五”卫生健康发展规划 (004_59ac81d9e3b3f288.txt)",
    ),
    "nantong_2030": (
        "002_5016c072d5ffe20f.txt",
        "“健康南通2030”规划纲要 通委发〔2018〕12号 (002_5016c072d5ffe20f.txt)",
    ),
    "changjiang_2030": (
        "003_4c826d7c3469937e.txt",
        "“健康昌江2030”规划纲要 昌党发〔2019〕6号 (003_4c826d7c3469937e.txt)",
    ),
}


@dataclass(frozen=True)
class ReportedFigure:
    """One value a plan reports for a past year, with the phrase that states it.

    ``label`` is the indicator as the plan writes it (resolved through ``indicator_aliases``);
    ``unit`` is the unit as written in the plan (resolved through ``unit_aliases``).
    """

    plan_id: str
    region_id: str
    year: int
    label: str
    value: str
    unit: str
    quote: str
    note: str = ""


def _jy(label: str, value: str, unit: str, quote: str, note: str = "") -> ReportedFigure:
    return ReportedFigure("jy_fyp14", "jiangyin", 2020, label, value, unit, quote, note)


def _nt(label: str, value: str, unit: str, quote: str, note: str = "") -> ReportedFigure:
    return ReportedFigure("nantong_2030", "nantong", 2017, label, value, unit, quote, note)


def _cj(label: str, value: str, unit: str, quote: str, note: str = "") -> ReportedFigure:
    return ReportedFigure("changjiang_2030", "changjiang", 2018, label, value, unit, quote, note)


#: Jiangyin 14th FYP: the 2020 column of the main-indicator table, body text where it says more.
JIANGYIN_2020: tuple[ReportedFigure, ...] = (
    _jy("人均预期寿命", "82.40", "岁", "全市居民平均期望寿命提高到82.40岁"),
    _jy("孕产妇死亡率", "0", "/10万", "孕产妇死亡率 /10万 0 <7"),
    _jy("婴儿死亡率", "2.57", "‰", "婴儿死亡率和5岁以下儿童死亡率分别为2.57‰和3.52‰"),
    _jy("5岁以下儿童死亡率", "3.52", "‰", "婴儿死亡率和5岁以下儿童死亡率分别为2.57‰和3.52‰"),
    _jy("出生人口性别比", "104", "", "出生人口性别比 104 103-107"),
    _jy("居民健康素养水平", "29.05", "%", "居民健康素养水平达29.05%"),
    _jy("15岁以上人群吸烟率", "21.86", "%", "15岁以上人群吸烟率 % 21.86 <21"),
    _jy(
        "适龄儿童免疫规划疫苗接种率",
        "99.7",
        "%",
        "适龄儿童免疫规划疫苗接种率 % 99.7 >95",
        "the body text says 99.00% (以镇（街道）为单位); the table value is kept",
    ),
    _jy("艾滋病全人群感染率", "44.36", "/10万", "艾滋病全人群感染率 /10万 44.36 -"),
    _jy("肺结核报告发病率", "30", "/10万", "肺结核报告发病率 /10万 30 28"),
    _jy(
        "因心脑血管疾病、癌症、慢性呼吸系统疾病和糖尿病导致的过早死亡率",
        "9.03",
        "%",
        "因心脑血管疾病、癌症、慢性呼吸系统疾病和糖尿病导致的过早死亡率 % 9.03 <8.5",
    ),
    _jy("总体癌症5年生存率", "39.04", "%", "总体癌症5年生存率 % 39.04 ≥44"),
    _jy(
        "70岁及以下人群慢性呼吸系统疾病死亡率",
        "4.69",
        "/10万",
        "70岁及以下人群慢性呼吸系统疾病死亡率 /10万 4.69 ≤4.1",
    ),
    _jy("每千常住人口医疗卫生机构床位数", "5.5", "张", "每千常住人口医疗卫生机构床位数为5.5张"),
    _jy(
        "每千常住人口执业（助理）医师数",
        "2.94",
        "人",
        "每千常住人口执业（助理）医师数、注册护士数为2.94人和3.01人",
    ),
    _jy(
        "每千人口注册护士数",
        "3.01",
        "人",
        "每千常住人口执业（助理）医师数、注册护士数为2.94人和3.01人",
    ),
    _jy("毎万人口全科医生数", "3.71", "人/万人", "毎万人口全科医生数 人 3.71 4.5"),
    _jy("毎万人口公卫人数", "1.11", "人", "毎万人口公卫人数 人 1.11 1.7"),
    _jy("孕产妇系统管理率", "90.8", "%", "孕产妇系统管理率 % 90.8 ≥90"),
    _jy("0-6岁儿童健康管理率", "100", "%", "0-6岁儿童健康管理率 % 100 ≥95"),
    _jy("孕前优生检查目标人群覆盖率", "100", "%", "孕前优生检查目标人群覆盖率 % 100 100"),
    _jy("0-6岁眼保健和视力检查覆盖率", "100", "%", "0-6岁眼保健和视力检查覆盖率 % 100 ≥90"),
    _jy("65岁以上老年人健康管理率", "72", "%", "65岁以上老年人健康管理率 % 72 ≥73"),
    _jy("三级医院平均住院日", "8.0", "天", "三级医院平均住院日 天 8.0 7.7"),
    _jy(
        "抗菌药物使用强度（CCDs）门诊处方抗菌药物使用率",
        "25",
        "%",
        "抗菌药物使用强度（CCDs）门诊处方抗菌药物使用率 /人天% 25 20",
        "the table writes the unit as /人天%; the value is the outpatient prescription share",
    ),
    _jy("每千人3岁以下婴幼儿托位数", "2.2", "个", "每千人3岁以下婴幼儿托位数 个 2.2 4.5"),
    _jy(
        "基层医疗机构诊疗量占总诊疗量的比例",
        "60",
        "%",
        "基层医疗机构诊疗量占总诊疗量的比例 % 60 65",
    ),
    _jy(
        "卫生院、社区卫生服务中心达到国家推荐标准比例",
        "5",
        "%",
        "卫生院、社区卫生服务中心达到国家推荐标准比例 % 5 30",
    ),
    _jy("国家卫生镇覆盖率", "92.8", "%", "国家卫生镇覆盖率 % 92.8 100"),
    _jy("个人卫生支出占卫生总费用比重", "21", "%", "个人卫生支出占卫生总费用比重 % 21% 20"),
    _jy("万人精神科床位数", "3.14", "张/万人", "万人精神科床位数3.14张"),
    _jy("万人精神科执业（助理）医师数", "0.22", "人/万人", "万人精神科执业（助理）医师数0.22名"),
)

#: Nantong outline: the 2017 column of the main-indicator table (body text for the first four).
NANTONG_2017: tuple[ReportedFigure, ...] = (
    _nt("人均预期寿命", "81.86", "岁", "2017年，我市人均预期寿命达到81.86岁"),
    _nt(
        "婴儿死亡率",
        "2.91",
        "‰",
        "婴儿死亡率、5岁以下儿童死亡率、孕产妇死亡率分别下降到2.91‰、4.17‰和7.32/10万",
    ),
    _nt(
        "5岁以下儿童死亡率",
        "4.17",
        "‰",
        "婴儿死亡率、5岁以下儿童死亡率、孕产妇死亡率分别下降到2.91‰、4.17‰和7.32/10万",
    ),
    _nt(
        "孕产妇死亡率",
        "7.32",
        "/10万",
        "婴儿死亡率、5岁以下儿童死亡率、孕产妇死亡率分别下降到2.91‰、4.17‰和7.32/10万",
    ),
    _nt(
        "城乡居民达到《国民体质测定标准》合格以上人数比例",
        "94.5",
        "%",
        "城乡居民达到《国民体质测定标准》合格以上人数比例（%） 94.5 ≥95",
    ),
    _nt("居民健康素养水平", "22.8", "%", "居民健康素养水平（%） 22.8 ≥25"),
    _nt("经常参加体育锻炼人数比例", "37", "%", "经常参加体育锻炼人数比例（%） 37 ≥40"),
    _nt("重大慢性病过早死亡率", "10.4", "%", "重大慢性病过早死亡率（%） 10.4 ≤11"),
    _nt(
        "每千常住人口执业（助理）医师数",
        "2.57",
        "人",
        "每千常住人口执业（助理）医师数（人） 2.57 ≥2.7",
    ),
    _nt("空气质量达到优良天数的比例", "72.9", "%", "空气质量达到优良天数的比例（%） 72.9 ≥73.7"),
    _nt(
        "地表水省级以上考核断面优于Ⅲ类水质的比例",
        "67.7",
        "%",
        "地表水省级以上考核断面优于Ⅲ类水质的比例（%） 67.7 ≥74.2",
    ),
    _nt("农村无害化卫生户厕普及率", "95.2", "%", "农村无害化卫生户厕普及率（%） 95.2 ≥96"),
    _nt(
        "医药制造业工业总产值",
        "396.75",
        "亿元",
        "医药制造业工业总产值（亿元） 396.75 (快报数)",
        "快报数: a preliminary (flash) figure",
    ),
)

#: Changjiang outline: the 2018 figures of the situation analysis (no 2015 figure is printed).
CHANGJIANG_2018: tuple[ReportedFigure, ...] = (
    _cj("婴儿死亡率", "4.24", "‰", "婴儿死亡率4.24‰"),
    _cj(
        "孕产妇死亡率",
        "0.61",
        "‰",
        "孕产妇死亡率0.61‰",
        "printed in per mille (= 61 per 100000 live births); kept as printed, converted on load",
    ),
    _cj(
        "每千人口医院床位数",
        "2.7",
        "张",
        "平均每千人口医院床位数2.7张",
        "hospital beds only (医院床位), narrower than 医疗卫生机构床位",
    ),
)

REPORTED: tuple[ReportedFigure, ...] = JIANGYIN_2020 + NANTONG_2017 + CHANGJIANG_2018

#: Reported counts (also real) used to anchor the count-level sample data.
#: (plan_id, region_id, year, measure, value, quote)
REPORTED_COUNTS: tuple[tuple[str, str, int, str, int, str], ...] = (
    ("jy_fyp14", "jiangyin", 2020, "population", 1_779_500, "2020年末常住人口177.95万人"),
    ("jy_fyp14", "jiangyin", 2020, "physicians", 5231, "全市执业（助理）医师5231人"),
    ("jy_fyp14", "jiangyin", 2020, "nurses", 5359, "注册护士5359人"),
    ("jy_fyp14", "jiangyin", 2020, "beds", 9789, "全市医疗机构开放床位9789张"),
    ("changjiang_2030", "changjiang", 2018, "population", 164_700, "2018年，全区总人口16.47万"),
)

#: Crude rates Changjiang reports for 2018 (no indicator of their own; they calibrate the counts).
CHANGJIANG_2018_CRUDE = {"birth_rate_per_mille": 11.53, "death_rate_per_mille": 4.53}
CHANGJIANG_2018_CRUDE_QUOTE = "人口出生率11.53‰，死亡率4.53‰"

_WS = re.compile(r"\s+")


def collapse_ws(text: str) -> str:
    """Collapse every whitespace run to one space (table cells are one per line in the seeds)."""
    return _WS.sub(" ", text).strip()


def seed_text(plan_id: str, seeds_dir: Path = SEEDS_TEXT_DIR) -> str:
    """The full text of the seed document a plan was extracted from."""
    return (seeds_dir / PLAN_SOURCE[plan_id][0]).read_text(encoding="utf-8")


def quote_is_verbatim(quote: str, text: str) -> bool:
    """True if ``quote`` occurs in ``text`` verbatim, or cell-for-cell in a table row.

    A quote without whitespace must be an exact substring; a quote with spaces (a table row)
    must be an exact substring once every whitespace run in both is collapsed to one space.
    """
    if quote in text:
        return True
    return " " in quote and collapse_ws(quote) in collapse_ws(text)
