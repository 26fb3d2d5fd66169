"""Hand-extracted targets and domains of 健康南通2030 (002), 健康昌江2030 (003) and 健康中国2030.

Extraction rules (see REALDATA_MAPPING.md and the final report for the ambiguous cases):

- A bare number in a main-indicator table means "reach": ``ge`` for higher-is-better indicators,
  ``le`` for lower-is-better ones. ≥/≤/＞/＜ map to ge/le/gt/lt; 以上/不少于/不低于 → ge;
  以内/以下/控制在 → le; 高于 → gt; 左右 → about (tolerance blank = the default of
  ``pipelines.rules.comparators``); 比X年降低N% / 下降N% → reduce_by_pct; 提高N% → increase_by_pct;
  保持较好控制水平 / 维持在较高水平 → maintain; 持续改善 / 持续下降 → improve; 全覆盖 / 100% /
  所有 / 全部 / 人人 → eq 100; a closed range "15~18" → range.
- A body-text restatement of a table target (same year, comparator and value) is not repeated.
- A body-text target without a year gets the plan horizon (2030) and says so in ``note``.
- A relative target without a reference year gets the plan's baseline year (Nantong 2017,
  Changjiang 2018) and says so in ``note``.
- Values are in the indicator's canonical unit (亿元 → yuan_trillion for 健康服务业总规模 whose
  catalogue unit is 万亿元; 1小时 → 60 minutes; 0.61‰ → 61 per 100k).
"""

from __future__ import annotations

from dataclasses import dataclass

NT, CJ, CN = "nantong_2030", "changjiang_2030", "china_2030"
NT_TABLE = "健康南通建设主要指标"
CJ_TABLE = "健康昌江建设主要指标"
CN_TABLE = "健康中国2030规划纲要 主要指标"
NO_YEAR = "no target year in the text; plan horizon 2030 assumed"


@dataclass(frozen=True)
class TargetSpec:
    """One target as read from the text (departments come from the domain unless given)."""

    plan_id: str
    indicator_code: str
    target_year: int
    comparator: str
    value: float | int | str | None
    domain_id: str
    section: str
    quote: str
    note: str = ""
    upper: float | int | None = None
    relative_to_year: int | None = None
    baseline_year: int | None = None
    baseline_value: float | str | None = None
    scope: str = "region"
    lead: str | None = None
    co: str | None = None
    lead_from: str | None = None


def t(plan: str, code: str, year: int, comp: str, value, domain: str, section: str, quote: str,
      note: str = "", **kw) -> TargetSpec:  # fmt: skip
    """Shorthand constructor used by the tables below."""
    return TargetSpec(plan, code, year, comp, value, domain, section, quote, note, **kw)


# ---------------------------------------------------------------------------------------------
# 健康南通2030 — main indicator table (2017 baseline). Each row is one line of the file; the
# quote is that line from the indicator name on (tab-separated cells).
# ---------------------------------------------------------------------------------------------
_NT_ROWS = [
    # code, domain, line quote, baseline, (2020 comp, value), (2030 comp, value), note, lead_from
    ("life_expectancy", "nt_ind_health_level", "人均预期寿命（岁）\t81.86\t≥82\t≥83", 81.86,
     ("ge", 82), ("ge", 83), "2030 target restated in 发展目标: 2030 年人均预期寿命达到 83 岁以上", None),
    ("infant_mortality_rate", "nt_ind_health_level", "婴儿死亡率（‰）\t2.91\t保持较好控制水平\t保持较好控制水平",
     2.91, ("maintain", None), ("maintain", None),
     "保持较好控制水平: no worse than the 2017 baseline", None),
    ("under5_mortality_rate", "nt_ind_health_level",
     "5岁以下儿童死亡率（‰）\t4.17\t保持较好控制水平\t保持较好控制水平", 4.17,
     ("maintain", None), ("maintain", None), "保持较好控制水平: no worse than the 2017 baseline", None),
    ("maternal_mortality_ratio", "nt_ind_health_level",
     "孕产妇死亡率（1/10万）\t7.32\t保持较好控制水平\t保持较好控制水平", 7.32,
     ("maintain", None), ("maintain", None), "保持较好控制水平: no worse than the 2017 baseline", None),
    ("physical_fitness_pass_rate", "nt_ind_health_level",
     "城乡居民达到《国民体质测定标准》合格以上人数比例（%）\t94.5\t≥95\t≥96", 94.5,
     ("ge", 95), ("ge", 96), "", None),
    ("health_literacy_rate", "nt_ind_healthy_living", "居民健康素养水平（%）\t22.8\t≥25\t≥30", 22.8,
     ("ge", 25), ("ge", 30), "", None),
    ("regular_exercise_rate", "nt_ind_healthy_living", "经常参加体育锻炼人数比例（%）\t37\t≥40\t≥45", 37,
     ("ge", 40), ("ge", 45),
     "restated in task 全民健身运动 (40%以上 / 45%以上); lead department from that task", "nt_a02_3"),
    ("premature_ncd_mortality", "nt_ind_services", "重大慢性病过早死亡率（%）\t10.4\t≤11\t≤10", 10.4,
     ("le", 11), ("le", 10), "", None),
    ("physicians_per_1000", "nt_ind_services", "每千常住人口执业（助理）医师数（人）\t2.57\t≥2.7\t≥3.5",
     2.57, ("ge", 2.7), ("ge", 3.5),
     "restated in task 健全医疗服务体系 (2.7 / 3.5 人以上); lead department from that task", "nt_a04_1"),
    ("oop_share_of_health_expenditure", "nt_ind_services",
     "个人卫生支出占卫生总费用的比重（%）\t≤30\t28左右\t25左右", None,
     ("about", 28), ("about", 25),
     ("2017 baseline printed as '≤30' (an upper bound, not a measurement): "
     "baseline_value left blank"),
     None),
    ("air_quality_good_days_ratio", "nt_ind_environment", "空气质量达到优良天数的比例（%）\t72.9\t≥73.7\t持续改善",
     72.9, ("ge", 73.7), ("improve", None),
     "2030: 持续改善 (better than the previous observation)", None),
    ("surface_water_class3_ratio", "nt_ind_environment",
     "地表水省级以上考核断面优于Ⅲ类水质的比例（%）\t67.7\t≥74.2\t持续改善", 67.7, ("ge", 74.2),
     ("improve", None),
     ("Nantong measures provincially assessed sections 优于Ⅲ类; mapped to the national indicator "
     "(same concept, assessed-section basis); 2030: 持续改善"), None),
    ("rural_sanitary_toilet_coverage", "nt_ind_environment",
     "农村无害化卫生户厕普及率（%）\t95.2\t≥96\t≥98", 95.2,
     ("ge", 96), ("ge", 98), "", None),
    ("pharma_manufacturing_output", "nt_ind_industry", "医药制造业工业总产值（亿元）\t396.75 (快报数)\t542\t1160",
     396.75, ("ge", 542), ("ge", 1160),
     "bare value read as 'reach' (ge); 2017 baseline is a flash estimate (快报数)", None),
    ("health_service_industry_scale", "nt_ind_industry", "健康服务业总规模（亿元）\t—\t750\t1500", None,
     ("ge", 0.075), ("ge", 0.15),
     ("table unit 亿元 converted to the catalogue unit 万亿元 (750 亿元 = 0.075, 1500 亿元 = 0.15); "
     "bare value read as 'reach' (ge); no 2017 baseline (—)"), None),
]  # fmt: skip


def _nt_table() -> list[TargetSpec]:
    out: list[TargetSpec] = []
    for code, domain, quote, base, t2020, t2030, note, lead_from in _NT_ROWS:
        for year, (comp, value) in ((2020, t2020), (2030, t2030)):
            out.append(
                t(NT, code, year, comp, value, domain, NT_TABLE, quote, note,
                  baseline_year=2017 if base is not None else None, baseline_value=base,
                  lead_from=lead_from)
            )  # fmt: skip
    return out


def _nt_body() -> list[TargetSpec]:
    s = "第三章 重点任务"
    a1, a2, a3, a4 = (f"{s} 第一节 全民健康素养提升行动", f"{s} 第二节 全民身体素质提高行动",
                      f"{s} 第三节 健康环境绿色发展行动", f"{s} 第四节 医疗服务提优行动")  # fmt: skip
    a5, a7, a8, a9 = (f"{s} 第五节 公共安全保障行动", f"{s} 第七节 公共卫生服务维护健康行动",
                      f"{s} 第八节 重点人群健康服务行动", f"{s} 第九节 中医药复兴传承行动")  # fmt: skip
    a10, a11, a12 = (f"{s} 第十节 健康保障完善行动", f"{s} 第十一节 健康产业发展行动",
                     f"{s} 第十二节 智慧健康工程建设行动")  # fmt: skip
    hr = "第四章 支撑保障 第二节 加强健康人力资源建设"
    base17 = "no reference year in the text; plan baseline year 2017 assumed"
    return [
        # 第一节
        t(NT, "school_health_education_hours", 2030, "ge", 7, "nt_a01_1_2", f"{a1}（一）2",
          "中小学每学期开设健康教育课不少于7课时", f"class hours per term; {NO_YEAR}"),
        t(NT, "health_promoting_school_rate", 2020, "ge", 85, "nt_a01_1_2", f"{a1}（一）2",
          "全市健康促进学校比例达到85%以上"),
        t(NT, "health_promoting_school_rate", 2030, "ge", 95, "nt_a01_1_2", f"{a1}（一）2",
          "到2030年，达到95%以上"),
        t(NT, "healthy_lifestyle_instructors_trained", 2020, "ge", 3000, "nt_a01_2_1", f"{a1}（二）1",
          "全市培训健康生活方式指导员3000名"),
        t(NT, "healthy_lifestyle_action_coverage", 2020, "eq", 100, "nt_a01_2_1", f"{a1}（二）1",
          "实现全民健康生活方式行动全覆盖", "全覆盖 = eq 100"),
        t(NT, "salt_intake_per_capita", 2030, "reduce_by_pct", 20, "nt_a01_2_2", f"{a1}（二）2",
          "人均每日食盐摄入量降低20%", base17, relative_to_year=2017),
        t(NT, "smoking_rate_15plus", 2030, "le", 20, "nt_a01_2_3", f"{a1}（二）3",
          "15岁以上人群吸烟率降低到20%"),
        t(NT, "community_mental_rehab_coverage", 2030, "eq", 100, "nt_a01_3", f"{a1}（三）",
          "以镇（街道）为单位，建立精神障碍社区康复机构",
          f"every town/street needs a community mental-rehabilitation facility (or contracted "
          f"service): eq 100 per town; {NO_YEAR}", scope="each_subregion"),
        t(NT, "smi_poor_free_treatment_rate", 2030, "eq", 100, "nt_a01_3", f"{a1}（三）",
          "对经济困难的肇事肇祸等严重精神障碍患者全部实施免费救治", f"全部 = eq 100; {NO_YEAR}"),
        t(NT, "psychiatrists_per_10000", 2030, "ge", 0.5, "nt_a01_3", f"{a1}（三）",
          "市每万人口拥有精神科执业（助理）医师数达到 0.5 人以上"),
        t(NT, "psychiatric_beds_per_10000", 2030, "ge", 5, "nt_a01_3", f"{a1}（三）",
          "拥有精神科床位达到 5 张以上"),
        t(NT, "severe_mental_disorder_management_rate", 2030, "ge", 95, "nt_a01_3", f"{a1}（三）",
          "登记在册的严重精神障碍患者管理率达到 95% 以上"),
        t(NT, "healthy_villages_communities_built", 2020, "ge", 120, "nt_a01_4", f"{a1}（四）",
          "全市建成省级健康村镇（社区）120 个", "provincial-level healthy villages/towns, cumulative"),
        t(NT, "healthy_villages_communities_built", 2030, "ge", 300, "nt_a01_4", f"{a1}（四）",
          "全市建成省级健康村镇（社区）300 个",
          "provincial-level healthy villages/towns, cumulative"),
        # 第二节
        t(NT, "sports_parks", 2020, "ge", 80, "nt_a02_1", f"{a2}（一）", "全市建成体育主题公园80个",
          "体育主题公园 = sports parks"),
        t(NT, "town_fitness_centre_coverage", 2020, "ge", 80, "nt_a02_1", f"{a2}（一）",
          "镇（街道）全民健身中心和多功能运动场覆盖率达到80%以上"),
        t(NT, "village_sports_room_coverage", 2020, "ge", 70, "nt_a02_1", f"{a2}（一）",
          "行政村（社区）体育活动室和多功能运动场覆盖率达到70%以上"),
        t(NT, "town_fitness_centre_coverage", 2030, "eq", 100, "nt_a02_1", f"{a2}（一）",
          "到2030年，镇（街道）全民健身中心和多功能运动场、行政村（社区）体育活动室和多功能运动场基本实现全覆盖",
          "基本实现全覆盖 = eq 100"),
        t(NT, "village_sports_room_coverage", 2030, "eq", 100, "nt_a02_1", f"{a2}（一）",
          "到2030年，镇（街道）全民健身中心和多功能运动场、行政村（社区）体育活动室和多功能运动场基本实现全覆盖",
          "基本实现全覆盖 = eq 100"),
        t(NT, "fitness_circle_10min_coverage", 2020, "ge", 80, "nt_a02_2", f"{a2}（二）",
          "社区10分钟健身圈覆盖率达到80%以上"),
        t(NT, "fitness_circle_10min_coverage", 2030, "eq", 100, "nt_a02_2", f"{a2}（二）",
          "10分钟健康圈覆盖率达到100%", "the text writes 健康圈 for the 2030 target of 健身圈"),
        t(NT, "social_sports_instructors_per_10000", 2020, "ge", 30, "nt_a02_4", f"{a2}（四）",
          "区每千名常住居民拥有社会体育指导员数不少于3人",
          "3 per 1000 = 30 per 10000 (catalogue unit); urban districts (市区) only"),
        t(NT, "social_sports_instructors_per_10000", 2030, "ge", 80, "nt_a02_4", f"{a2}（四）",
          "拥有社会体育指导员数不少于8人",
          "8 per 1000 = 80 per 10000 (catalogue unit); urban districts (市区) only"),
        # 第三节
        t(NT, "radioactive_source_storage_rate", 2030, "eq", 100, "nt_a03_1_2", f"{a3}（一）2",
          "确保 100%安全收贮放射性废源", NO_YEAR),
        t(NT, "domestic_waste_harmless_rate", 2030, "eq", 100, "nt_a03_2_2", f"{a3}（二）2",
          "实现城乡生活垃圾处理全面无害化", "全面无害化 = eq 100"),
        t(NT, "national_hygienic_city_coverage", 2020, "eq", 100, "nt_a03_4", f"{a3}（四）",
          "保持国家卫生城市(县城)全覆盖", "保持…全覆盖 = eq 100"),
        t(NT, "national_hygienic_town_coverage", 2020, "ge", 40, "nt_a03_4", f"{a3}（四）",
          "力争国家卫生镇占比达到40%以上"),
        t(NT, "national_hygienic_town_coverage", 2030, "ge", 80, "nt_a03_4", f"{a3}（四）",
          "全市国家卫生镇占比达到80%以上"),
        # 第四节
        t(NT, "gps_per_10000", 2020, "ge", 3.5, "nt_a04_1", f"{a4}（一）",
          "全市每万常住人口拥有全科医生数达到 3.5 人以上"),
        t(NT, "nurses_per_1000", 2020, "ge", 3.34, "nt_a04_1", f"{a4}（一）",
          "每千常住人口拥有注册护士数达到 3.34 人以上"),
        t(NT, "nurses_per_1000", 2030, "ge", 5, "nt_a04_1", f"{a4}（一）",
          "每千常住人口拥有注册护士数达到 5 人以上"),
        t(NT, "family_doctor_contract_coverage", 2020, "ge", 60, "nt_a04_2", f"{a4}（二）",
          "全市家庭医生签约服务人群覆盖率达到 60%以上"),
        t(NT, "local_treatment_rate", 2020, "ge", 90, "nt_a04_2", f"{a4}（二）",
          "县域内就诊率达到 90%以上"),
        t(NT, "family_doctor_contract_coverage", 2030, "ge", 90, "nt_a04_2", f"{a4}（二）",
          "全市家庭医生签约服务人群覆盖率达到 90%以上"),
        t(NT, "local_treatment_rate", 2030, "ge", 95, "nt_a04_2", f"{a4}（二）",
          "县域内就诊率达到 95%以上"),
        t(NT, "township_hc_town_coverage", 2030, "eq", 100, "nt_a04_3", f"{a4}（三）",
          "坚持每个建制镇办好 1 所政府举办的镇卫生院",
          f"every town has one government township health centre = 100 % of towns; {NO_YEAR}"),
        t(NT, "village_clinic_coverage", 2030, "eq", 100, "nt_a04_3", f"{a4}（三）",
          "每个行政村设置 1 个村卫生室",
          f"every administrative village has a village clinic = 100 % of villages; {NO_YEAR}"),
        t(NT, "chc_street_coverage", 2030, "eq", 100, "nt_a04_3", f"{a4}（三）",
          "每个街道或每 3~10 万居民设置 1 所社区卫生服务中心",
          "every street (or block of 30 000-100 000 residents) has a community health service "
          f"centre = 100 %; {NO_YEAR}"),
        t(NT, "township_health_centre_staff_per_10000", 2030, "range", 15, "nt_a04_3", f"{a4}（三）",
          "镇卫生院每万常住人口配置 15~18 名医疗卫生技术人员", NO_YEAR, upper=18),
        t(NT, "village_doctors_per_1000_served", 2030, "ge", 1, "nt_a04_3", f"{a4}（三）",
          "村卫生室每千服务人口配置 1 名乡村医生", NO_YEAR),
        t(NT, "chc_gp_staff_per_centre", 2030, "range", 55, "nt_a04_3", f"{a4}（三）",
          "每所城市社区卫生服务中心配置 55~60 名全科执业类别的医疗卫生技术人员",
          f"per urban community health service centre; {NO_YEAR}", upper=60),
        t(NT, "shanghai_partner_medical_schools", 2030, "ge", 10, "nt_a04_4", f"{a4}（四）",
          "与上海10所医学院系建立合作关系", f"“102030” programme; {NO_YEAR}"),
        t(NT, "shanghai_partner_hospitals", 2030, "ge", 20, "nt_a04_4", f"{a4}（四）",
          "与上海20家以上的三级甲等医院开展全方位医疗技术交流合作", f"“102030” programme; {NO_YEAR}"),
        t(NT, "shanghai_linked_key_specialties", 2030, "ge", 30, "nt_a04_4", f"{a4}（四）",
          "至少有30个以上的重点学科（专科）全面对接", f"“102030” programme; {NO_YEAR}"),
        # 第五节
        t(NT, "road_traffic_deaths_per_10k_vehicles", 2030, "reduce_by_pct", 30, "nt_a05_4",
          f"{a5}（四）", "力争实现道路交通万车死亡率下降 30%", base17, relative_to_year=2017),
        t(NT, "port_symptomatic_screening_rate", 2030, "eq", 100, "nt_a05_6", f"{a5}（六）",
          "口岸发现有症状者现场排查率 100%", NO_YEAR),
        # 第七节
        t(NT, "public_health_staff_per_10000", 2020, "ge", 8.3, "nt_a07_1", f"{a7}（一）",
          "全市每千常住人口拥有公共卫生人员数达到 0.83 人以上",
          "0.83 per 1000 = 8.3 per 10000 (catalogue unit)"),
        t(NT, "sex_ratio_at_birth", 2030, "range", 103, "nt_a07_3", f"{a7}（三）",
          "出生人口性别比保持自然平衡",
          f"自然平衡 read as the normal range 103-107 (the range plan 004 prints); {NO_YEAR}",
          upper=107),
        # 第八节
        t(NT, "mch_hospital_county_coverage", 2020, "eq", 100, "nt_a08_1", f"{a8}（一）",
          "各县（市）及通州区建成妇幼保健院",
          "every county (市) and 通州区 has a maternal and child health hospital = 100 %"),
        t(NT, "hospital_delivery_rate", 2020, "ge", 99, "nt_a08_1", f"{a8}（一）",
          "全市住院分娩率稳定在 99% 以上"),
        t(NT, "birth_defect_rate", 2030, "le", 4, "nt_a08_1", f"{a8}（一）",
          "全市新生儿出生缺陷发生率控制在 4‰ 以内"),
        t(NT, "elderly_care_medical_service_coverage", 2020, "eq", 100, "nt_a08_2", f"{a8}（二）",
          "实现社区居家养老和养老机构的医疗卫生服务全覆盖"),
        t(NT, "disabled_rehab_service_coverage", 2030, "eq", 100, "nt_a08_3", f"{a8}（三）",
          "有适应指征的残疾人基本康复服务实现全覆盖"),
        t(NT, "hypertension_diabetes_management_coverage", 2030, "eq", 100, "nt_a08_4", f"{a8}（四）",
          "基本实现对高血压、糖尿病等慢性病患者管理干预全覆盖", f"基本实现…全覆盖 = eq 100; {NO_YEAR}"),
        t(NT, "national_ncd_demo_zones", 2030, "range", 3, "nt_a08_4", f"{a8}（四）",
          "建成 3~4 个国家级慢性病综合防控示范区", upper=4),
        t(NT, "cancer_5yr_survival_rate", 2030, "increase_by_pct", 15, "nt_a08_4", f"{a8}（四）",
          "总体癌症 5 年生存率提高 15% 以上",
          f"提高15%以上 read as a relative increase; {base17}", relative_to_year=2017),
        t(NT, "caries_rate_age12", 2030, "le", 25, "nt_a08_4", f"{a8}（四）",
          "12 岁儿童患龋率控制在 25% 以内", "in the 到 2030 年 sentence group"),
        # 第九节
        t(NT, "tcm_beds_per_1000", 2020, "ge", 0.8, "nt_a09_1", f"{a9}（一）",
          "每千常住人口拥有中医床位数达到0.8张"),
        t(NT, "tcm_physicians_per_1000", 2020, "ge", 0.4, "nt_a09_1", f"{a9}（一）",
          "中医执业（助理）医师数达到0.4人"),
        t(NT, "primary_facilities_tcm_capacity_rate", 2020, "ge", 95, "nt_a09_1", f"{a9}（一）",
          "95%以上的基层医疗卫生机构具备中医药服务能力"),
        t(NT, "new_provincial_tcm_key_specialties", 2020, "range", 2, "nt_a09_3", f"{a9}（三）",
          "新增2~4个省级中医重点专科", "new specialties over the period", upper=4),
        t(NT, "new_municipal_tcm_key_specialties", 2020, "ge", 15, "nt_a09_3", f"{a9}（三）",
          "新增15个市级中医重点专科", "new specialties over the period; 新增15个 read as ≥ 15"),
        t(NT, "national_tcm_expert_studios", 2020, "ge", 1, "nt_a09_3", f"{a9}（三）",
          "建成1个全国基层名老中医药专家传承工作室"),
        # 第十节
        t(NT, "critical_illness_insurance_funding", 2020, "ge", 100, "nt_a10_1", f"{a10}（一）",
          "大病保险筹资标准不低于 100 元/人", "yuan per insured person per year"),
        t(NT, "long_term_care_insurance_coverage", 2020, "eq", 100, "nt_a10_3", f"{a10}（三）",
          "实现基本照护保险全覆盖"),
        # 第十一节
        t(NT, "private_hospital_beds_share", 2020, "ge", 25, "nt_a11_2", f"{a11}（二）",
          "社会资本举办的医疗机构床位数和服务量占比均达 25%以上"),
        t(NT, "private_service_volume_share", 2020, "ge", 25, "nt_a11_2", f"{a11}（二）",
          "社会资本举办的医疗机构床位数和服务量占比均达 25%以上"),
        t(NT, "pharma_revenue_growth_rate", 2030, "gt", 10, "nt_a11_4", f"{a11}（四）",
          "主营业务收入年均增速高于 10%", f"average annual growth; {NO_YEAR}"),
        # 第十二节
        t(NT, "health_databases_population_coverage", 2020, "ge", 80, "nt_a12_1", f"{a12}（一）",
          "五大数据库覆盖全市 80%以上人口"),
        t(NT, "health_databases_population_coverage", 2030, "eq", 100, "nt_a12_1", f"{a12}（一）",
          "实现五大数据库覆盖全人口", "全人口 = eq 100"),
        t(NT, "emr_application_level", 2020, "ge", 4, "nt_a12_2", f"{a12}（二）",
          "全市三级公立医院电子病历应用水平基本达到四级及以上标准",
          "institution-level grade: each tertiary public hospital"),
        t(NT, "emr_application_level", 2020, "ge", 3, "nt_a12_2", f"{a12}（二）",
          "二级公立医院基本达到三级及以上标准", "institution-level grade: each secondary public hospital"),
        t(NT, "emr_application_level", 2030, "ge", 4, "nt_a12_2", f"{a12}（二）",
          "二级以上公立医院全面达到四级及以上标准",
          "institution-level grade: each secondary or tertiary public hospital"),
        t(NT, "telemedicine_county_coverage", 2020, "ge", 80, "nt_a12_3", f"{a12}（三）",
          "基于互联网的健康服务和面向基层的远程医疗覆盖 80%以上县（市）区"),
        t(NT, "telemedicine_county_coverage", 2030, "eq", 100, "nt_a12_3", f"{a12}（三）",
          "到 2030 年，实现全覆盖"),
        # 第四章
        t(NT, "medical_doctorate_staff", 2020, "ge", 150, "nt_s2", hr, "全市医疗卫生单位博士增加到 150 名"),
        t(NT, "talent_333_226_trained", 2020, "ge", 200, "nt_s2", hr,
          "省 333 人才、市 226 人才培养达到 200 名"),
        t(NT, "medical_doctorate_staff", 2030, "ge", 300, "nt_s2", hr, "全市医疗卫生单位博士增加到 300 名"),
        t(NT, "talent_333_226_trained", 2030, "ge", 400, "nt_s2", hr,
          "省 333 人才、市 226 人才培养达到 400 名"),
        # directional statements on measurable indicators (no number)
        t(NT, "healthy_life_expectancy", 2030, "improve", None, "nt_goals", "第二章 第三节 发展目标",
          "人均健康预期寿命显著提高", "显著提高 with no number → improve"),
        t(NT, "nutritional_deficiency_incidence", 2030, "improve", None, "nt_a01_2_2", f"{a1}（二）2",
          "营养缺乏疾病发生率显著下降", "显著下降 with no number → improve"),
        t(NT, "overweight_obesity_growth_rate", 2030, "improve", None, "nt_a01_2_2", f"{a1}（二）2",
          "居民超重、肥胖的增长速度明显放缓", "明显放缓 → improve (growth keeps slowing)"),
        t(NT, "hiv_prevalence_rate", 2030, "maintain", None, "nt_a07_2", f"{a7}（二）",
          "疫情保持在低流行水平",
          f"艾滋病 epidemic kept at a low level → maintain vs the plan baseline year 2017; {NO_YEAR}",
          baseline_year=2017),
        t(NT, "gynaecological_disease_incidence", 2020, "improve", None, "nt_a08_1", f"{a8}（一）",
          "妇女病发病率稳中有降", "稳中有降 → improve"),
        t(NT, "mch_hospital_grade3_standard_rate", 2030, "eq", 100, "nt_a08_1", f"{a8}（一）",
          "县级妇幼保健院达到三级妇幼保健院建设标准",
          "every county-level MCH hospital meets the grade-3 construction standard → eq 100"),
        t(NT, "commercial_insurance_payout_share", 2030, "improve", None, "nt_a10_4", f"{a10}（四）",
          "商业健康保险赔付支出占医疗卫生总费用比重显著提高", "显著提高 with no number → improve"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# 健康昌江2030 — table cells sit on separate lines: the quote is the cell.
# Baselines from 一、基本现状分析 (2018): 婴儿死亡率4.24‰, 孕产妇死亡率0.61‰.
# ---------------------------------------------------------------------------------------------
_CJ_ROWS = [
    # code, domain, (2020 comp, value, quote), (2030 comp, value, quote), baseline, note
    ("life_expectancy", "cj_ind_health_level", ("ge", 77, "77.0"), ("ge", 79, "79.0"), None,
     "bare value read as 'reach' (ge); 2030 restated in 规划目标 (达到79.0岁)"),
    ("infant_mortality_rate", "cj_ind_health_level", ("le", 7.5, "≤7.5"), ("le", 5, "≤5.0"),
     (2018, 4.24), "2018 baseline 4.24‰ from 基本现状分析 (婴儿死亡率4.24‰)"),
    ("under5_mortality_rate", "cj_ind_health_level", ("le", 9.5, "≤9.5"), ("le", 6, "≤6.0"),
     None, ""),
    ("maternal_mortality_ratio", "cj_ind_health_level", ("le", 18, "≤18.0"), ("le", 12, "≤12.0"),
     (2018, 61), "2018 baseline printed as 孕产妇死亡率0.61‰ = 61 per 100 000"),
    ("physical_fitness_pass_rate", "cj_ind_health_level", ("ge", 90.6, "90.6"),
     ("ge", 92.2, "92.2"),
     None, "bare value read as 'reach' (ge)"),
    ("health_literacy_rate", "cj_ind_healthy_living", ("ge", 20, "≥20"), ("ge", 30, "≥30"),
     None, ""),
    ("regular_exercise_rate", "cj_ind_healthy_living", ("ge", 35, "≥35"), ("ge", 36, "≥36"), None,
     "2030 restated in 适量运动 (36﹪以上)"),
    ("premature_ncd_mortality", "cj_ind_services", ("reduce_by_pct", 10, "比2015年降低10％"),
     ("reduce_by_pct", 30, "比2015年降低30％"), None, "relative to the 2015 value"),
    ("physicians_per_1000", "cj_ind_services", ("ge", 2, "2.0"), ("ge", 3, "3.0"), None,
     "table writes 常驻; bare value read as 'reach' (ge); 2030 restated in 服务体系的完善"),
    ("oop_share_of_health_expenditure", "cj_ind_services", ("about", 28, "28左右"),
     ("about", 25, "25左右"), None, "2030 restated in 深化医药卫生体制改革 (降到25﹪左右)"),
    ("air_quality_good_days_ratio", "cj_ind_environment", ("gt", 90, "＞90"),
     ("improve", None, "持续改善"), None, "2030: 持续改善"),
    ("surface_water_class3_ratio", "cj_ind_environment", ("gt", 85, "＞85"),
     ("improve", None, "持续改善"), None, "2030: 持续改善"),
    ("health_service_industry_scale", "cj_ind_industry", ("gt", 0.002, "＞20"), ("ge", 0.005, "50"),
     None, ("table unit 亿元 converted to 万亿元 (20 亿元 = 0.002, 50 亿元 = 0.005); 2030 bare value "
     "read as 'reach' (ge)")),
]  # fmt: skip


#: Row labels of the Changjiang table (each cell is a line of its own; the quote is the label line,
#: the value cell is named in ``note``).
_CJ_LABELS: dict[str, str] = {
    "life_expectancy": "人均预期寿命（岁）",
    "infant_mortality_rate": "婴儿死亡率（‰）",
    "under5_mortality_rate": "5岁以下儿童死亡率（‰）",
    "maternal_mortality_ratio": "孕产妇死亡率（1/10万）",
    "physical_fitness_pass_rate": "城乡居民达到《国民体质测定标准》合格以上的人数比例（％）",
    "health_literacy_rate": "居民健康素养水平（％）",
    "regular_exercise_rate": "经常参加体育锻炼人数的比例（％）",
    "premature_ncd_mortality": "重大慢性病过早死亡率（％）",
    "physicians_per_1000": "每千常驻人口执业（助理）医师数（人）",
    "oop_share_of_health_expenditure": "个人卫生支出占卫生总费用的比重（％）",
    "air_quality_good_days_ratio": "地级市以上城市空气质量优良天数比例（％）",
    "surface_water_class3_ratio": "地表水质量达到或好于Ⅲ类水体比例（％）",
    "health_service_industry_scale": "健康服务业总规模（亿元）",
}


def _cj_table() -> list[TargetSpec]:
    out: list[TargetSpec] = []
    for code, domain, t2020, t2030, base, note in _CJ_ROWS:
        for year, (comp, value, cell) in ((2020, t2020), (2030, t2030)):
            cell_note = f"table cell {year}: '{cell}'" + (f"; {note}" if note else "")
            out.append(
                t(CJ, code, year, comp, value, domain, CJ_TABLE, _CJ_LABELS[code], cell_note,
                  relative_to_year=2015 if comp == "reduce_by_pct" else None,
                  baseline_year=base[0] if base else None,
                  baseline_value=base[1] if base else None)
            )  # fmt: skip
    return out


def _cj_body() -> list[TargetSpec]:
    base18 = "no reference year in the text; plan baseline year 2018 assumed"
    return [
        t(CJ, "healthy_lifestyle_action_coverage", 2030, "eq", 100, "cj_04", "四、普及健康知识（一）强化健康理念",
          "到2030年基本实现以乡（镇、街道）为单位全覆盖",
          "健康体重/口腔/骨骼 special actions cover every township", scope="each_subregion"),
        t(CJ, "student_daily_pe_minutes", 2030, "ge", 60, "cj_04", "四、普及健康知识（二）突出学校健康教育",
          "确保学生学校内每天体育活动时间不少于1小时", f"1小时 = 60 minutes; {NO_YEAR}"),
        t(CJ, "healthy_life_expectancy", 2030, "improve", None, "cj_03", "三、规划目标",
          "人均健康预期寿命显著提高", "显著提高 with no number → improve"),
        t(CJ, "nutritional_deficiency_incidence", 2030, "improve", None, "cj_05",
          "五、倡导健康行为（一）合理膳食", "营养缺乏疾病发生率显著下降", "显著下降 with no number → improve"),
        t(CJ, "overweight_obesity_growth_rate", 2030, "improve", None, "cj_05",
          "五、倡导健康行为（一）合理膳食", "超重、肥胖人口增长速度明显放缓", "明显放缓 → improve"),
        t(CJ, "salt_intake_per_capita", 2030, "reduce_by_pct", 20, "cj_05", "五、倡导健康行为（一）合理膳食",
          "全区人均每日食盐摄入量降低20%", base18, relative_to_year=2018),
        t(CJ, "smoking_rate_15plus", 2030, "le", 20, "cj_05", "五、倡导健康行为（二）控烟限酒",
          "15岁以上人群吸烟率降低到20%"),
        t(CJ, "sports_area_per_capita", 2030, "ge", 2, "cj_06", "六、增强健康体质（一）",
          "人均体育场地面积达到2.0平方米"),
        t(CJ, "fitness_circle_15min_coverage", 2030, "eq", 100, "cj_06", "六、增强健康体质（一）",
          "城市社区实现15分钟健身圈全覆盖"),
        t(CJ, "school_sports_equipment_compliance_rate", 2020, "eq", 100, "cj_06", "六、增强健康体质（四）",
          "学校体育器材配置达标率达到100%"),
        t(CJ, "school_sports_facility_compliance_rate", 2030, "eq", 100, "cj_06", "六、增强健康体质（四）",
          "学校体育场地设施达标率达到100%"),
        t(CJ, "youth_weekly_pe_sessions", 2030, "ge", 5, "cj_06", "六、增强健康体质（四）",
          "青少年每周参与体育活动达到5次以上"),
        t(CJ, "hypertension_diabetes_management_coverage", 2030, "eq", 100, "cj_07",
          "七、提供优质公共卫生服务（一）重大疾病的防控", "基本实现高血压、糖尿病患者管理干预全覆盖",
          f"基本实现…全覆盖 = eq 100; {NO_YEAR}"),
        t(CJ, "stroke_incidence_rate", 2030, "reduce_by_pct", -5, "cj_07",
          "七、提供优质公共卫生服务（一）重大疾病的防控", "脑卒中发病率上升幅度控制在5%以内",
          f"a cap on the rise: value ≤ ref·1.05, i.e. reduce_by_pct −5; {base18}",
          relative_to_year=2018),
        t(CJ, "stroke_mortality_rate", 2030, "reduce_by_pct", 5, "cj_07",
          "七、提供优质公共卫生服务（一）重大疾病的防控", "死亡率下降5%",
          f"脑卒中 mortality; {base18}", relative_to_year=2018),
        t(CJ, "caries_rate_age12", 2030, "le", 25, "cj_07", "七、提供优质公共卫生服务（一）重大疾病的防控",
          "12岁儿童患龋率控制在25%以内", "in the 到2030年 sentence group"),
        t(CJ, "immunization_coverage", 2030, "maintain", None, "cj_07",
          "七、提供优质公共卫生服务（一）重大疾病的防控", "适龄儿童国家免疫规划疫苗接种率维持在较高水平",
          "维持在较高水平 = maintain; no baseline printed: reference = observed value in the plan "
          f"baseline year 2018; {NO_YEAR}", baseline_year=2018),
        t(CJ, "hiv_prevalence_rate", 2030, "maintain", None, "cj_07",
          "七、提供优质公共卫生服务（一）重大疾病的防控", "疫情保持在低流行水平",
          "艾滋病 epidemic kept at a low level → maintain vs the plan baseline year 2018; "
          f"{NO_YEAR}", baseline_year=2018),
        t(CJ, "tb_incidence_rate", 2030, "improve", None, "cj_07",
          "七、提供优质公共卫生服务（一）重大疾病的防控", "全区肺结核疫情持续下降",
          f"持续下降 = improve; {NO_YEAR}"),
        t(CJ, "sex_ratio_at_birth", 2030, "range", 103, "cj_07", "七、提供优质公共卫生服务（二）计划生育服务的改进",
          "全区出生人口性别比实现自然平衡",
          "自然平衡 read as the normal range 103-107 (the range plan 004 prints)", upper=107),
        t(CJ, "primary_facilities_tcm_capacity_rate", 2030, "eq", 100, "cj_09",
          "九、大力弘扬传统中医中药（二）中医药服务能力的提升", "所有基层医疗卫生机构都能够提供中医药服务",
          f"所有 = eq 100; {NO_YEAR}"),
        t(CJ, "cervical_cancer_screening_coverage", 2030, "eq", 100, "cj_10",
          "十、提高对重点人群健康的关注（一）妇女及儿童的健康", "实现妇女“两癌”筛查全覆盖",
          f"两癌 = cervical and breast cancer; {NO_YEAR}"),
        t(CJ, "breast_cancer_screening_coverage", 2030, "eq", 100, "cj_10",
          "十、提高对重点人群健康的关注（一）妇女及儿童的健康", "实现妇女“两癌”筛查全覆盖",
          f"两癌 = cervical and breast cancer; {NO_YEAR}"),
        t(CJ, "rural_sanitary_toilet_coverage", 2030, "eq", 100, "cj_13",
          "十三、广泛开展爱国卫生运动（一）综合整治城乡环境卫生", "全区农村居民基本都能用上无害化卫生厕所",
          "基本都能用上 = eq 100"),
        t(CJ, "foodborne_disease_network_coverage", 2030, "eq", 100, "cj_15",
          "十五、加强食品药品安全管理（一）食品安全的监管", "食品安全风险监测与食源性疾病报告网络实现全覆盖"),
        t(CJ, "commercial_insurance_payout_share", 2030, "improve", None, "cj_11",
          "十一、加强医疗保障体系建设（三）商业保险补充", "商业健康保险赔付支出占卫生总费用比重显著提高",
          "显著提高 with no number → improve"),
        t(CJ, "road_traffic_deaths_per_10k_vehicles", 2030, "reduce_by_pct", 30, "cj_16",
          "十六、加强公共安全体系建设（二）道路交通安全的治理", "力争实现道路交通万车死亡率下降30%", base18,
          relative_to_year=2018),
        t(CJ, "public_fire_facility_coverage", 2030, "eq", 100, "cj_16",
          "十六、加强公共安全体系建设（四）突发事件的应急处置", "城乡公共消防设施基本实现全覆盖"),
        t(CJ, "health_service_industry_gdp_share", 2030, "improve", None, "cj_18",
          "十八、新业态健康服务产业的发展（一）培育新的健康服务业", "健康服务业占GDP的比重明显提高",
          "明显提高 with no number → improve"),
        t(CJ, "social_sports_instructors_per_10000", 2030, "ge", 20, "cj_21",
          "二十一、健康人力资源建设（一）重点培养健康所需人才", "实现每千人拥有社会体育指导员2.0名",
          "2.0 per 1000 = 20 per 10000 (catalogue unit)"),
        t(CJ, "ehr_coverage", 2030, "eq", 100, "cj_22",
          "二十二、大力推进健康服务信息化建设（一）搭建人口健康服务信息平台",
          "人人拥有规范化的电子健康档案和功能完备的健康卡", "人人拥有 = eq 100"),
        t(CJ, "health_card_population_coverage", 2030, "eq", 100, "cj_22",
          "二十二、大力推进健康服务信息化建设（一）搭建人口健康服务信息平台",
          "人人拥有规范化的电子健康档案和功能完备的健康卡", "人人拥有 = eq 100"),
        t(CJ, "telemedicine_coverage", 2030, "eq", 100, "cj_22",
          "二十二、大力推进健康服务信息化建设（一）搭建人口健康服务信息平台",
          "远程医疗覆盖县、乡二级医疗卫生机构", "all county- and township-level health institutions"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# 健康中国2030 — issue 9's table (2015 baseline unless stated). Quote = the cell as issue 9 gives it.
# ---------------------------------------------------------------------------------------------
_CN_ROWS = [
    # code, domain, baseline (year, value), (2020 comp, value, cell), (2030 comp, value, cell), note
    ("life_expectancy", "cn_health_level", (2015, 76.34), ("ge", 77.3, "77.3"), ("ge", 79, "79.0"),
     "bare value read as 'reach' (ge)"),
    ("infant_mortality_rate", "cn_health_level", (2015, 8.1), ("le", 7.5, "7.5"), ("le", 5, "5.0"),
     "bare value on a lower-is-better indicator read as ≤"),
    ("under5_mortality_rate", "cn_health_level", (2015, 10.7), ("le", 9.5, "9.5"), ("le", 6, "6.0"),
     "bare value on a lower-is-better indicator read as ≤"),
    ("maternal_mortality_ratio", "cn_health_level", (2015, 20.1), ("le", 18, "18.0"),
     ("le", 12, "12.0"),
     "bare value on a lower-is-better indicator read as ≤"),
    ("physical_fitness_pass_rate", "cn_health_level", (2014, 89.6), ("ge", 90.6, "90.6"),
     ("ge", 92.2, "92.2"), "baseline is for 2014, not 2015"),
    ("health_literacy_rate", "cn_healthy_living", (2015, 10), ("ge", 20, "20"), ("ge", 30, "30"),
     "bare value read as 'reach' (ge)"),
    ("regular_exercise_population", "cn_healthy_living", (2014, 3.6), ("ge", 4.35, "4.35"),
     ("ge", 5.3, "5.3"), "亿人 (persons_100m); baseline is for 2014, not 2015"),
    ("premature_ncd_mortality", "cn_services", (2013, 19.1), ("reduce_by_pct", 10, "比2015年降低10%"),
     ("reduce_by_pct", 30, "比2015年降低30%"),
     ("baseline 19.1 is for 2013 but the targets are relative to the 2015 value: never "
      "substitute the "
     "2013 baseline for the missing 2015 reference")),
    ("physicians_per_1000", "cn_services", (2015, 2.2), ("ge", 2.5, "2.5"), ("ge", 3, "3.0"),
     "bare value read as 'reach' (ge)"),
    ("oop_share_of_health_expenditure", "cn_services", (2015, 29.3), ("about", 28, "28左右"),
     ("about", 25, "25左右"), "左右 = about (default tolerance)"),
    ("air_quality_good_days_ratio", "cn_environment", (2015, 76.7), ("gt", 80, ">80"),
     ("improve", None, "持续改善"), "2030: 持续改善"),
    ("surface_water_class3_ratio", "cn_environment", (2015, 66), ("gt", 70, ">70"),
     ("improve", None, "持续改善"), "2030: 持续改善"),
    ("health_service_industry_scale", "cn_industry", None, ("gt", 8, ">8"), ("ge", 16, "16"),
     "baseline missing (—); 2030 bare value read as 'reach' (ge)"),
]  # fmt: skip


def _cn_table() -> list[TargetSpec]:
    out: list[TargetSpec] = []
    for code, domain, base, t2020, t2030, note in _CN_ROWS:
        for year, (comp, value, cell) in ((2020, t2020), (2030, t2030)):
            out.append(
                t(CN, code, year, comp, value, domain, CN_TABLE, cell, note,
                  relative_to_year=2015 if comp == "reduce_by_pct" else None,
                  baseline_year=base[0] if base else None,
                  baseline_value=base[1] if base else None)
            )  # fmt: skip
    return out


TARGETS: list[TargetSpec] = _nt_table() + _nt_body() + _cj_table() + _cj_body() + _cn_table()


# ---------------------------------------------------------------------------------------------
# Domains
# ---------------------------------------------------------------------------------------------
#: Nantong tasks in the order of their 64 "牵头部门" notes (departments are parsed from the text).
NANTONG_TASKS: list[tuple[str, str, str]] = [
    ("nt_a01_1_1", "建立全民健康教育制度", "Establish a health-education system for all"),
    ("nt_a01_1_2", "加强学校健康教育", "Strengthen school health education"),
    (
        "nt_a01_1_3",
        "加强机关企事业单位健康教育",
        "Health education in public bodies and enterprises",
    ),
    ("nt_a01_2_1", "强化生活方式指导及干预", "Lifestyle guidance and intervention"),
    ("nt_a01_2_2", "促进居民合理膳食", "Promote a balanced diet"),
    ("nt_a01_2_3", "加强控烟限酒工作", "Tobacco and alcohol control"),
    ("nt_a01_2_4a", "减少不安全性行为", "Reduce unsafe sexual behaviour"),
    ("nt_a01_2_4b", "减少毒品危害", "Reduce drug harm"),
    ("nt_a01_3", "加强心理健康促进", "Mental health promotion"),
    ("nt_a01_4", "建设健康城市和健康村镇", "Healthy cities, towns and villages"),
    ("nt_a02_1", "加强全民健身场地设施建设", "Build public fitness facilities"),
    ("nt_a02_2", "健全全民健身服务网络", "Public fitness service network"),
    ("nt_a02_3", "广泛开展全民健身运动", "Mass fitness activities"),
    ("nt_a02_4", "提升全民健身指导服务水平", "Fitness guidance services"),
    ("nt_a03_1_1", "推进联防联控和流域共治", "Joint pollution control and river-basin governance"),
    (
        "nt_a03_1_2",
        "加强环境风险防控与应急管理",
        "Environmental risk prevention and emergency management",
    ),
    ("nt_a03_2_1", "持续推进城乡环境卫生整洁行动", "Urban and rural sanitation campaign"),
    ("nt_a03_2_2", "加强城乡环境基础设施建设", "Urban and rural environmental infrastructure"),
    ("nt_a03_3", "建立健康环境与健康监测评价制度", "Environment-and-health monitoring"),
    ("nt_a03_4", "深入开展爱国卫生运动", "Patriotic health campaign"),
    ("nt_a04_1", "健全医疗服务体系", "Medical service system"),
    ("nt_a04_2", "创新医疗卫生服务供给模式", "New models of care delivery"),
    ("nt_a04_3", "加强基层医疗卫生服务体系建设", "Primary care system"),
    ("nt_a04_4", "提高医疗技术水平", "Medical technology"),
    ("nt_a04_5", "加强医疗质量安全管理", "Quality and safety of care"),
    ("nt_a05_1", "加强食品安全监管", "Food safety regulation"),
    ("nt_a05_2", "加强药品、医疗器械安全监管", "Drug and medical-device safety"),
    ("nt_a05_3", "强化安全生产和职业健康", "Work safety and occupational health"),
    ("nt_a05_4", "促进道路交通安全", "Road traffic safety"),
    ("nt_a05_5", "预防和减少人身伤害", "Injury prevention"),
    ("nt_a05_6", "加强口岸公共卫生", "Port public health"),
    ("nt_a06_1", "加强卫生应急体系建设", "Health emergency system"),
    ("nt_a06_2", "全面提升防灾减灾救灾能力", "Disaster prevention and relief"),
    ("nt_a06_3", "大力提升全民自救互救能力", "Self-rescue and mutual-aid skills"),
    ("nt_a07_1", "推进公共卫生体系现代化建设", "Modern public health system"),
    ("nt_a07_2", "全面防控重大疾病", "Control of major diseases"),
    ("nt_a07_3", "完善计划生育服务管理", "Family planning services"),
    ("nt_a07_4", "推进基本卫生计生公共服务均等化", "Equal basic public health services"),
    ("nt_a08_1", "加强妇女儿童健康管理和疾病防治", "Women's and children's health"),
    ("nt_a08_2", "顺应老龄化健康需求", "Health needs of an ageing population"),
    ("nt_a08_3", "维护残疾人健康", "Health of people with disabilities"),
    ("nt_a08_4", "强化慢性病人群防控", "Chronic disease prevention and control"),
    ("nt_a09_1", "提升中医药服务能力", "TCM service capacity"),
    ("nt_a09_2", "发展中医治未病服务", "TCM preventive care"),
    ("nt_a09_3", "推进中医药传承创新", "TCM heritage and innovation"),
    ("nt_a10_1", "完善基本医疗保险制度", "Basic medical insurance"),
    ("nt_a10_2", "强化重大疾病医疗保障", "Cover for critical illness"),
    ("nt_a10_3", "建立长期护理保险制度", "Long-term care insurance"),
    ("nt_a10_4", "积极发展商业健康保险", "Commercial health insurance"),
    ("nt_a10_5", "完善药品供应保障体系", "Drug supply"),
    ("nt_a11_1", "发展健康服务新业态", "New health service businesses"),
    ("nt_a11_2", "优化社会办医格局", "Private (social) provision of care"),
    ("nt_a11_3", "打造健康产业园区", "Health industry parks"),
    ("nt_a11_4", "促进医药产业发展", "Pharmaceutical industry"),
    ("nt_a11_5", "加快发展健身休闲运动产业", "Fitness and leisure industry"),
    ("nt_a12_1", "健全健康信息服务平台和网络", "Health information platform"),
    ("nt_a12_2", "加强医疗卫生机构信息化建设", "IT in health institutions"),
    ("nt_a12_3", "推进医疗健康互联网服务", "Internet health services"),
    ("nt_a12_4", "促进医疗健康大数据应用", "Health big data"),
    ("nt_s1", "深化体制机制改革", "Institutional reform"),
    ("nt_s2", "加强健康人力资源建设", "Health workforce"),
    ("nt_s3", "完善健康筹资机制", "Health financing"),
    ("nt_s4", "进一步加强科技创新", "Science and innovation"),
    ("nt_s5", "促进健康交流合作", "Exchange and cooperation"),
]

_NT_ACTIONS = [
    ("nt_a01", "全民健康素养提升行动", "Health literacy action"),
    ("nt_a02", "全民身体素质提高行动", "Physical fitness action"),
    ("nt_a03", "健康环境绿色发展行动", "Healthy environment action"),
    ("nt_a04", "医疗服务提优行动", "Medical services action"),
    ("nt_a05", "公共安全保障行动", "Public safety action"),
    ("nt_a06", "突发事件应急能力提升行动", "Emergency response action"),
    ("nt_a07", "公共卫生服务维护健康行动", "Public health services action"),
    ("nt_a08", "重点人群健康服务行动", "Key populations action"),
    ("nt_a09", "中医药复兴传承行动", "Traditional Chinese medicine action"),
    ("nt_a10", "健康保障完善行动", "Health security action"),
    ("nt_a11", "健康产业发展行动", "Health industry action"),
    ("nt_a12", "智慧健康工程建设行动", "Smart health action"),
]

_TABLE_DOMAINS = [
    ("health_level", "健康水平", "Health status"),
    ("healthy_living", "健康生活", "Healthy living"),
    ("services", "健康服务与保障", "Health services and security"),
    ("environment", "健康环境", "Healthy environment"),
    ("industry", "健康产业", "Health industry"),
]

#: Changjiang sections (no department is named anywhere in the outline).
CHANGJIANG_DOMAINS: list[tuple[str, str, str, str]] = [
    ("cj_04", "普及健康知识", "Spread health knowledge", "四、普及健康知识"),
    ("cj_05", "倡导健康行为", "Promote healthy behaviour", "五、倡导健康行为"),
    ("cj_06", "增强健康体质", "Improve physical fitness", "六、增强健康体质"),
    ("cj_07", "提供优质公共卫生服务", "Quality public health services", "七、提供优质公共卫生服务"),
    ("cj_08", "医疗服务的优化", "Better medical services", "医疗服务的优化"),
    ("cj_09", "大力弘扬传统中医中药", "Traditional Chinese medicine", "九、大力弘扬传统中医中药"),
    ("cj_10", "提高对重点人群健康的关注", "Key populations", "十、提高对重点人群健康的关注"),
    ("cj_11", "加强医疗保障体系建设", "Medical security", "十一、加强医疗保障体系建设"),
    ("cj_12", "确保药品保障供应", "Drug supply", "十二、确保药品保障供应"),
    ("cj_13", "广泛开展爱国卫生运动", "Patriotic health campaign", "十三、广泛开展爱国卫生运动"),
    ("cj_14", "重点治理健康相关环境问题", "Environmental health problems", "十四、重点治理健康相关环境问题"),
    ("cj_15", "加强食品药品安全管理", "Food and drug safety", "十五、加强食品药品安全管理"),
    ("cj_16", "加强公共安全体系建设", "Public safety", "十六、加强公共安全体系建设"),
    ("cj_17", "鼓励社会办医，发展健康产业", "Private provision and health industry",
     "十七、鼓励社会办医，发展健康产业"),
    ("cj_18", "新业态健康服务产业的发展", "New health service businesses", "十八、新业态健康服务产业的发展"),
    ("cj_19", "大力发展健身休闲运动产业", "Fitness and leisure industry", "十九、大力发展健身休闲运动产业"),
    ("cj_20", "继续深化体制机制改革", "Institutional reform", "二十、继续深化体制机制改革"),
    ("cj_21", "健康人力资源建设", "Health workforce", "二十一、健康人力资源建设"),
    ("cj_22", "大力推进健康服务信息化建设", "Health information systems", "二十二、大力推进健康服务信息化建设"),
    ("cj_23", "健康的法律保障", "Legal safeguards", "二十三、健康的法律保障"),
    ("cj_24", "加强区域交流合作", "Regional cooperation", "二十四、加强区域交流合作"),
]  # fmt: skip


def _row(plan: str, domain_id: str, zh: str, en: str, quote: str) -> dict[str, str]:
    return {
        "plan_id": plan,
        "domain_id": domain_id,
        "domain_zh": zh,
        "domain_en": en,
        "lead_department": "",
        "co_departments": "",
        "source_quote": quote,
    }


def domain_rows_static() -> list[dict[str, str]]:
    """Table domains of the three plans and Nantong's twelve actions (no departments named)."""
    rows: list[dict[str, str]] = []
    for prefix, plan in (("nt_ind_", NT), ("cj_ind_", CJ), ("cn_", CN)):
        for key, zh, en in _TABLE_DOMAINS:
            rows.append(_row(plan, prefix + key, zh, en, zh))
    for domain_id, zh, en in _NT_ACTIONS:
        rows.append(_row(NT, domain_id, zh, en, zh))
    rows.append(
        _row(NT, "nt_goals", "发展目标", "Development goals", "到 2030 年具体实现以下目标：")
    )
    rows.append(_row(CJ, "cj_03", "规划目标", "Plan goals", "三、规划目标"))
    return rows


#: Sub-regions the each_subregion targets need (regions.csv has none under nantong/changjiang).
#: Changjiang's six towns/streets are named in 003 (一、基本现状分析); Nantong's towns are not
#: listed in 002, so only its county-level units are given (admin codes left blank: not in the
#: source). Columns: region_id, name_zh, name_en, level, parent_region_id.
SUBREGIONS: list[tuple[str, str, str, str, str]] = [
    ("changjiang_nianyushan", "鲇鱼山镇", "Nianyushan Town", "town", "changjiang"),
    ("changjiang_liyang", "丽阳镇", "Liyang Town", "town", "changjiang"),
    ("changjiang_lvmeng", "吕蒙乡", "Lümeng Township", "town", "changjiang"),
    ("changjiang_hetang", "荷塘乡", "Hetang Township", "town", "changjiang"),
    ("changjiang_xijiao", "西郊街道", "Xijiao Subdistrict", "town", "changjiang"),
    ("changjiang_xinfeng", "新枫街道", "Xinfeng Subdistrict", "town", "changjiang"),
    ("nantong_chongchuan", "崇川区", "Chongchuan District", "district", "nantong"),
    ("nantong_gangzha", "港闸区", "Gangzha District", "district", "nantong"),
    ("nantong_tongzhou", "通州区", "Tongzhou District", "district", "nantong"),
    ("nantong_haian", "海安市", "Hai'an", "county", "nantong"),
    ("nantong_rudong", "如东县", "Rudong County", "county", "nantong"),
    ("nantong_qidong", "启东市", "Qidong", "county", "nantong"),
    ("nantong_rugao", "如皋市", "Rugao", "county", "nantong"),
    ("nantong_haimen", "海门市", "Haimen", "county", "nantong"),
]
