"""Words raw files use for columns and coded values (CONTRACTS §5), in English and Chinese.

Headers are matched after :func:`pipelines.reference.normalise_label`, so case, full-width
characters, spaces, brackets and underscores do not matter.
"""

from __future__ import annotations

from pipelines.reference import normalise_label

#: canonical column -> header spellings.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "region": ("region", "region_id", "地区", "区域", "地区名称", "行政区划", "area", "地区代码"),
    "indicator": (
        "indicator",
        "indicator_code",
        "indicator_name",
        "指标",
        "指标名称",
        "指标代码",
        "指标名",
        "项目",
    ),
    "period": ("period", "year", "time", "年份", "时间", "期间", "年度", "统计期"),
    "value": ("value", "数值", "值", "数据", "指标值"),
    "unit": ("unit", "单位", "计量单位"),
    "source": ("source", "来源", "数据来源", "资料来源"),
    "source_quote": ("source_quote", "quote", "原文", "引文"),
    "data_nature": ("data_nature", "nature", "数据性质"),
    "data_status": ("data_status", "数据状态", "发布状态"),
    "ci_lower": ("ci_lower", "lower", "置信区间下限", "下限"),
    "ci_upper": ("ci_upper", "upper", "置信区间上限", "上限"),
    "measure": ("measure", "计数项", "统计项", "计数指标"),
    "age_group": ("age_group", "年龄组", "年龄段"),
    "sex": ("sex", "gender", "性别"),
    "cause_group": ("cause_group", "cause", "死因", "死因分类", "死因组"),
    # register columns
    "death_date": ("death_date", "date_of_death", "死亡日期"),
    "birth_date": ("birth_date", "date_of_birth", "出生日期"),
    "age": ("age", "年龄", "死亡年龄"),
    "age_days": ("age_days", "日龄"),
    "icd10": ("icd10", "icd", "icd10_code", "根本死因", "根本死因编码", "死因编码"),
    "maternal": ("maternal", "maternal_death", "孕产妇死亡", "是否孕产妇死亡"),
}

#: normalised header -> canonical column.
HEADER_LOOKUP: dict[str, str] = {
    normalise_label(spelling): canonical
    for canonical, spellings in COLUMN_SYNONYMS.items()
    for spelling in spellings
}

#: count measures (CONTRACTS §2) -> spellings.
MEASURE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "live_births": ("live_births", "活产数", "活产", "活产婴儿数", "出生数"),
    "infant_deaths": ("infant_deaths", "婴儿死亡数", "婴儿死亡人数"),
    "under5_deaths": ("under5_deaths", "5岁以下儿童死亡数", "5岁以下儿童死亡人数"),
    "neonatal_deaths": ("neonatal_deaths", "新生儿死亡数", "新生儿死亡人数"),
    "maternal_deaths": ("maternal_deaths", "孕产妇死亡数", "孕产妇死亡人数"),
    "deaths": ("deaths", "死亡数", "死亡人数"),
    "population": ("population", "年中人口", "常住人口", "年中常住人口", "人口数"),
    "physicians": ("physicians", "执业（助理）医师数", "执业医师数", "执业助理医师数"),
    "nurses": ("nurses", "注册护士数", "护士数"),
    "beds": ("beds", "床位数", "医疗卫生机构床位数"),
    "gps": ("gps", "全科医生数"),
    "public_health_staff": ("public_health_staff", "公共卫生人员数", "专业公共卫生机构人员数"),
}
MEASURE_LOOKUP: dict[str, str] = {
    normalise_label(s): m for m, spellings in MEASURE_SYNONYMS.items() for s in spellings
}

SEX_LOOKUP: dict[str, str] = {
    normalise_label(s): v
    for v, spellings in {
        "male": ("male", "m", "男", "男性", "1"),
        "female": ("female", "f", "女", "女性", "2"),
        "all": ("all", "total", "both", "合计", "全部", "总计", "男女合计"),
    }.items()
    for s in spellings
}

#: cause groups beyond the ICD-10 seed's NCD groups (whose ids and labels are added at runtime).
EXTRA_CAUSE_GROUPS: dict[str, tuple[str, ...]] = {
    "all": ("all", "total", "合计", "全部", "全死因"),
    "other": ("other", "其他", "其它"),
    "maternal": ("maternal", "孕产妇", "孕产期"),
    # common spellings beyond the seed's label_zh/label_en
    "cvd": ("心血管疾病", "心脑血管病", "循环系统疾病"),
    "cancer": ("恶性肿瘤", "肿瘤"),
    "crd": ("慢性呼吸系统疾病", "慢阻肺"),
}

DATA_NATURE_LOOKUP: dict[str, str] = {
    normalise_label(s): v
    for v, spellings in {
        "official": ("official", "官方", "官方统计"),
        "illustrative": ("illustrative", "示例", "示意"),
        "international_estimate": ("international_estimate", "国际估计"),
    }.items()
    for s in spellings
}
DATA_NATURES = ("official", "illustrative", "international_estimate")

#: publication status of a figure: a preliminary estimate (预计, 初步推算 …) gives way to the
#: final figure in dbt (int_observation_duplicates); unstated means final.
DATA_STATUS_LOOKUP: dict[str, str] = {
    normalise_label(s): v
    for v, spellings in {
        "final": ("final", "最终", "正式", "终核", "最终核实", "确定"),
        "preliminary": (
            "preliminary",
            "provisional",
            "预计",
            "初步",
            "初步推算",
            "初步核算",
            "快报",
            "预估",
        ),
    }.items()
    for s in spellings
}
DATA_STATUSES = ("final", "preliminary")

#: values of age_group meaning "all ages".
AGE_ALL = ("all", "total", "合计", "全部", "全年龄", "")


def canonical_column(header: str | None) -> str | None:
    """Canonical column name for a header cell, or None if it is not a known column."""
    return HEADER_LOOKUP.get(normalise_label(header))
