"""Indicators and aliases that plans 002/003, 健康中国2030 and the issue-9 real series need.

Only codes missing from the shared catalogue (``dbt_project/seeds/indicators.csv``) are written
to the drafts; :mod:`build_drafts_b` drops any code or alias the shared catalogue already has.
The international-estimate series are documented in ``REALDATA_MAPPING.md``.
"""

from __future__ import annotations


def ind(code: str, zh: str, en: str, unit: str, direction: str, vtype: str, definition: str,
        num: str = "", den: str = "", lo: float = 0, hi: float = 100, counts: bool = False,
        family: str = "", comparable_to: str = "") -> dict[str, str]:  # fmt: skip
    """One ``indicators`` row (columns of CONTRACTS §1)."""
    return {
        "indicator_code": code,
        "name_zh": zh,
        "name_en": en,
        "canonical_unit": unit,
        "direction": direction,
        "value_type": vtype,
        "definition": definition,
        "numerator": num,
        "denominator": den,
        "plausible_min": str(lo),
        "plausible_max": str(hi),
        "computed_from_counts": "true" if counts else "false",
        "definition_family": family,
        "comparable_to": comparable_to,
    }


H, L = "higher_is_better", "lower_is_better"


def pct(code: str, zh: str, en: str, definition: str, num: str, den: str,
        direction: str = H) -> dict[str, str]:  # fmt: skip
    """A percentage (0-100) proportion."""
    return ind(code, zh, en, "percent", direction, "proportion", definition, num, den)


def cnt(code: str, zh: str, en: str, definition: str, hi: float = 10000,
        unit: str = "count") -> dict[str, str]:  # fmt: skip
    """A count of facilities, people or units."""
    return ind(code, zh, en, unit, H, "count", definition, lo=0, hi=hi)


LOCAL_INDICATORS: list[dict[str, str]] = [
    pct("regular_exercise_rate", "经常参加体育锻炼人数比例", "Share of people exercising regularly",
        "People who take part in physical exercise regularly as a share of the resident population "
        "(a share; the national outline counts people, see regular_exercise_population).",
        "people exercising regularly", "resident population"),
    ind("school_health_education_hours", "中小学每学期健康教育课时", "Health-education class hours per "
        "school term", "count", H, "level", "Health-education class hours per term in primary and "
        "secondary schools.", lo=0, hi=100),
    pct("health_promoting_school_rate", "健康促进学校比例", "Share of health-promoting schools",
        "Schools certified as health-promoting schools as a share of all schools.",
        "certified health-promoting schools", "schools"),
    pct("smi_poor_free_treatment_rate", "经济困难肇事肇祸严重精神障碍患者免费救治率",
        "Free-treatment rate of poor severe-mental-disorder patients with violent incidents",
        "Economically disadvantaged patients with severe mental disorders who caused incidents and "
        "receive free treatment, as a share of such patients.", "patients treated free",
        "eligible patients"),
    pct("town_fitness_centre_coverage", "镇（街道）全民健身中心和多功能运动场覆盖率",
        "Town fitness-centre coverage", "Towns (streets) with a public fitness centre and "
        "multi-purpose sports ground as a share of towns (streets).", "towns with facilities",
        "towns"),
    pct("village_sports_room_coverage", "行政村（社区）体育活动室和多功能运动场覆盖率",
        "Village sports-room coverage", "Administrative villages (communities) with a sports room "
        "and multi-purpose sports ground as a share of villages (communities).",
        "villages with facilities", "villages"),
    pct("fitness_circle_10min_coverage", "社区10分钟健身圈覆盖率", "10-minute fitness-circle coverage",
        "Communities with fitness facilities within a 10-minute walk as a share of communities.",
        "communities covered", "communities"),
    pct("fitness_circle_15min_coverage", "城市社区15分钟健身圈覆盖率",
        "15-minute fitness-circle coverage", "Urban communities with fitness facilities within a "
        "15-minute walk as a share of urban communities.", "communities covered",
        "urban communities"),
    pct("radioactive_source_storage_rate", "放射性废源安全收贮率", "Safe storage rate of disused "
        "radioactive sources", "Disused radioactive sources safely collected and stored as a share "
        "of disused sources.", "sources safely stored", "disused sources"),
    pct("domestic_waste_harmless_rate", "城乡生活垃圾无害化处理率", "Harmless treatment rate of "
        "domestic waste", "Urban and rural domestic waste treated harmlessly as a share of waste "
        "collected.", "waste treated harmlessly", "waste collected"),
    pct("national_hygienic_city_coverage", "国家卫生城市（县城）覆盖率", "National hygienic city "
        "(county seat) coverage", "Cities and county seats holding the national hygienic city "
        "title as a share of cities and county seats.", "titled cities/county seats",
        "cities and county seats"),
    pct("township_hc_town_coverage", "建制镇政府办镇卫生院覆盖率", "Share of towns with a government "
        "township health centre", "Incorporated towns (建制镇) with at least one government-run "
        "township health centre as a share of towns.", "towns with a centre", "towns"),
    pct("chc_street_coverage", "街道社区卫生服务中心覆盖率", "Share of streets with a community "
        "health service centre", "Streets (or blocks of 30 000-100 000 residents) with a "
        "community health service centre as a share of them.", "streets with a centre", "streets"),
    pct("village_clinic_coverage", "行政村村卫生室覆盖率", "Share of administrative villages with a "
        "village clinic", "Administrative villages with a village clinic as a share of "
        "administrative villages.", "villages with a clinic", "administrative villages"),
    ind("township_health_centre_staff_per_10000", "镇卫生院每万常住人口医疗卫生技术人员数",
        "Township health-centre health professionals per 10000 population", "per_10000_pop", H,
        "ratio", "Health professionals of township health centres per 10000 resident population "
        "of the town.", "health professionals", "resident population", 0, 100),
    ind("village_doctors_per_1000_served", "村卫生室每千服务人口乡村医生数",
        "Village doctors per 1000 population served", "per_1000_pop", H, "ratio",
        "Village doctors per 1000 population served by the village clinic.", "village doctors",
        "population served", 0, 20),
    cnt("chc_gp_staff_per_centre", "每所城市社区卫生服务中心全科执业类别医疗卫生技术人员数",
        "General-practice professionals per urban community health centre", "General-practice "
        "category health professionals per urban community health service centre.", hi=500,
        unit="persons"),
    cnt("shanghai_partner_medical_schools", "与上海合作的医学院系数",
        "Shanghai medical schools in partnership", "Shanghai medical schools with a cooperation "
        "agreement (“102030” programme).", hi=100),
    cnt("shanghai_partner_hospitals", "与上海合作的三级甲等医院数",
        "Shanghai tertiary-A hospitals in partnership", "Shanghai tertiary-A hospitals in "
        "technical cooperation (“102030” programme).", hi=200),
    cnt("shanghai_linked_key_specialties", "与上海对接的重点学科（专科）数",
        "Key specialties linked with Shanghai", "Key disciplines (specialties) fully linked with "
        "Shanghai tertiary-A hospitals (“102030” programme).", hi=500),
    ind("road_traffic_deaths_per_10k_vehicles", "道路交通万车死亡率", "Road traffic deaths per 10000 "
        "vehicles", "per_10000_vehicles", L, "rate", "Road traffic deaths per 10000 motor "
        "vehicles.", "road traffic deaths", "motor vehicles", 0, 50),
    pct("port_symptomatic_screening_rate", "口岸有症状者现场排查率", "On-site screening rate of "
        "symptomatic travellers at ports", "Symptomatic travellers found at ports who are "
        "screened on site as a share of those found.", "screened", "found"),
    pct("mch_hospital_county_coverage", "县（市）妇幼保健院覆盖率", "Share of counties with a maternal "
        "and child health hospital", "County-level units (counties, county-level cities, 通州区) "
        "with a maternal and child health hospital as a share of them.",
        "counties with an MCH hospital", "county-level units"),
    ind("birth_defect_rate", "新生儿出生缺陷发生率", "Birth defect rate", "per_mille", L, "rate",
        "Births with birth defects per 1000 births (perinatal births).", "births with defects",
        "births", 0, 100),
    pct("disabled_rehab_service_coverage", "有适应指征的残疾人基本康复服务覆盖率",
        "Basic rehabilitation coverage of people with disabilities", "People with disabilities "
        "who have an indication and receive basic rehabilitation services as a share of those "
        "with an indication.", "people served", "people with an indication"),
    pct("hypertension_diabetes_management_coverage", "高血压、糖尿病患者管理干预覆盖率",
        "Management coverage of hypertension and diabetes patients", "Hypertension and diabetes "
        "patients under management/intervention as a share of such patients.",
        "patients managed", "patients"),
    cnt("national_ncd_demo_zones", "国家级慢性病综合防控示范区数", "National NCD comprehensive "
        "prevention demonstration zones", "Districts/counties recognised as national NCD "
        "demonstration zones.", hi=100),
    pct("caries_rate_age12", "12岁儿童患龋率", "Caries prevalence at age 12", "Children aged 12 with "
        "dental caries as a share of children examined.", "children with caries",
        "children examined", L),
    pct("primary_facilities_tcm_capacity_rate", "具备中医药服务能力的基层医疗卫生机构比例",
        "Share of primary-care facilities able to provide TCM", "Primary-care facilities able to "
        "provide TCM services as a share of primary-care facilities.", "facilities with TCM",
        "primary-care facilities"),
    cnt("new_provincial_tcm_key_specialties", "新增省级中医重点专科数", "New provincial TCM key "
        "specialties", "Provincial TCM key specialties added during the plan period.", hi=100),
    cnt("new_municipal_tcm_key_specialties", "新增市级中医重点专科数", "New municipal TCM key "
        "specialties", "Municipal TCM key specialties added during the plan period.", hi=500),
    cnt("national_tcm_expert_studios", "全国基层名老中医药专家传承工作室数", "National primary-care "
        "senior TCM expert studios", "National primary-care studios for passing on senior TCM "
        "experts' experience.", hi=100),
    ind("critical_illness_insurance_funding", "大病保险筹资标准", "Critical-illness insurance funding "
        "per insured person", "yuan", H, "amount", "Annual critical-illness insurance "
        "funding per insured person.", lo=0, hi=10000),
    pct("long_term_care_insurance_coverage", "基本照护保险覆盖率", "Long-term (basic) care insurance "
        "coverage", "Residents covered by basic care (long-term care) insurance as a share of the "
        "target population.", "residents covered", "target population"),
    ind("pharma_revenue_growth_rate", "医药产业主营业务收入年均增速", "Average annual growth of "
        "pharmaceutical industry revenue", "percent", H, "rate",
        "Average annual growth rate of the "
        "main business revenue of the pharmaceutical industry.", lo=-100, hi=100),
    pct("health_databases_population_coverage", "五大健康数据库人口覆盖率", "Population coverage of "
        "the five health databases", "Resident population covered by the population, resource, "
        "e-health-record, e-medical-record and knowledge databases, as a share of the population.",
        "residents covered", "resident population"),
    pct("telemedicine_county_coverage", "远程医疗覆盖县（市）区比例", "Share of counties/districts "
        "covered by telemedicine", "Counties (cities, districts) with internet health services and "
        "telemedicine for primary care as a share of all.", "counties covered", "counties"),
    cnt("medical_doctorate_staff", "医疗卫生单位博士数", "Staff with a doctorate in health "
        "institutions", "Staff holding a doctoral degree in the area's health institutions.",
        hi=100000, unit="persons"),
    cnt("talent_333_226_trained", "省333人才、市226人才培养数", "Provincial 333 and municipal 226 "
        "talents trained", "Health professionals trained under the provincial 333 and municipal "
        "226 talent programmes (cumulative).", hi=100000, unit="persons"),
    ind("healthy_life_expectancy", "人均健康预期寿命", "Healthy life expectancy at birth", "years", H,
        "level", "Expected years lived in good health at birth (health-adjusted life expectancy).",
        lo=30, hi=90),
    pct("nutritional_deficiency_incidence", "营养缺乏疾病发生率", "Incidence of nutritional-deficiency "
        "diseases", "Residents with a nutritional-deficiency disease as a share of residents "
        "surveyed.", "residents with a deficiency disease", "residents surveyed", L),
    ind("overweight_obesity_growth_rate", "居民超重、肥胖增长速度", "Growth rate of overweight and "
        "obesity prevalence", "percent", L, "rate", "Annual relative change of the prevalence of "
        "overweight and obesity among residents.", lo=-100, hi=100),
    pct("commercial_insurance_payout_share", "商业健康保险赔付支出占卫生总费用比重",
        "Commercial health-insurance payouts as a share of total health expenditure",
        "Commercial health-insurance claims paid as a share of total health expenditure.",
        "commercial health-insurance payouts", "total health expenditure"),
    pct("health_service_industry_gdp_share", "健康服务业占GDP的比重", "Health service industry as a "
        "share of GDP", "Value added of the health service industry as a share of GDP (health "
        "services only; health_industry_value_added_share also counts the wider health industry).",
        "health service industry value added", "GDP"),
    pct("mch_hospital_grade3_standard_rate", "县级妇幼保健院达到三级建设标准比例", "County MCH hospitals "
        "meeting the grade-3 construction standard", "County-level maternal and child health "
        "hospitals meeting the grade-3 MCH hospital construction standard as a share of them.",
        "hospitals meeting the standard", "county-level MCH hospitals"),
    ind("student_daily_pe_minutes", "学生校内每天体育活动时间", "Students' daily physical activity "
        "time at school", "minutes", H, "level", "Daily physical activity time of students at "
        "school.", lo=0, hi=600),
    pct("school_sports_equipment_compliance_rate", "学校体育器材配置达标率", "Schools meeting the "
        "sports-equipment standard", "Schools whose sports equipment meets the standard as a "
        "share of schools.", "compliant schools", "schools"),
    pct("school_sports_facility_compliance_rate", "学校体育场地设施达标率", "Schools meeting the "
        "sports-ground standard", "Schools whose sports grounds and facilities meet the standard "
        "as a share of schools.", "compliant schools", "schools"),
    ind("youth_weekly_pe_sessions", "青少年每周参与体育活动次数", "Weekly physical activity sessions "
        "of young people", "count", H, "level", "Sessions of physical activity per week of "
        "young people.", lo=0, hi=30),
    ind("stroke_incidence_rate", "脑卒中发病率", "Stroke incidence rate", "per_100k", L, "rate",
        "New stroke cases per 100000 population.", "new stroke cases", "population", 0, 2000),
    ind("stroke_mortality_rate", "脑卒中死亡率", "Stroke mortality rate", "per_100k", L, "rate",
        "Stroke deaths (ICD-10 I60-I69) per 100000 population.", "stroke deaths", "population",
        0, 1000),
    pct("foodborne_disease_network_coverage", "食品安全风险监测与食源性疾病报告网络覆盖率",
        "Coverage of the food-safety risk monitoring and foodborne-disease reporting network",
        "Facilities/areas covered by the network as a share of those to be covered.",
        "covered", "to be covered"),
    pct("public_fire_facility_coverage", "城乡公共消防设施覆盖率", "Public fire-facility coverage",
        "Urban and rural areas with public fire facilities as a share of areas.", "areas covered",
        "areas"),
    pct("health_card_population_coverage", "居民健康卡覆盖率", "Resident health card coverage",
        "Residents with a fully functional resident health card as a share of the resident "
        "population.", "residents with a card", "resident population"),
]  # fmt: skip

#: International-estimate series of issue 9 whose definition differs from the national indicator.
REALDATA_INDICATORS: list[dict[str, str]] = [
    ind("infant_mortality_rate_ihme", "婴儿死亡率（IHME GBD估计）", "Infant mortality rate, IHME GBD "
        "estimate (via Gapminder)", "per_mille", L, "rate", "Modelled probability of dying before "
        "age 1 per 1000 live births (IHME Global Burden of Disease 2017, compiled by Gapminder). "
        "Not China's surveillance ratio: China 2015 = 9.2 here vs 8.1 nationally.",
        lo=0, hi=300, family="ihme_gbd", comparable_to="infant_mortality_rate"),
    ind("neonatal_mortality_rate_un_igme", "新生儿死亡率（UN IGME估计）", "Neonatal mortality rate, "
        "UN IGME estimate", "per_mille", L, "rate", "Modelled probability of dying within 28 days "
        "per 1000 live births (UN Inter-agency Group for Child Mortality Estimation).",
        lo=0, hi=100, family="un_igme", comparable_to="neonatal_mortality_rate"),
    ind("maternal_mortality_ratio_gapminder", "孕产妇死亡率（Gapminder汇编）", "Maternal mortality "
        "ratio, Gapminder compilation (gd010)", "per_100k", L, "ratio", "Maternal deaths per "
        "100000 live births as compiled by Gapminder (gd010) from modelled and reported sources.",
        lo=0, hi=3000, family="gapminder_gd010", comparable_to="maternal_mortality_ratio"),
    ind("maternal_mortality_ratio_who", "孕产妇死亡率（WHO估计）", "Maternal mortality ratio, WHO "
        "estimate (GHO)", "per_100k", L, "ratio", "Maternal deaths per 100000 live births, WHO "
        "Global Health Observatory model estimate; differs from both the "
        "national surveillance ratio and the Gapminder series (China 1990: 120 vs 97).",
        lo=0, hi=3000, family="who_gho", comparable_to="maternal_mortality_ratio"),
    ind("physicians_per_1000_wdi", "每千人口医生数（世界银行WDI）", "Physicians per 1000 people, "
        "World Bank WDI (SH.MED.PHYS.ZS)", "per_1000_pop", H, "ratio", "Generalist and specialist "
        "medical practitioners per 1000 people (WDI, via Gapminder). Narrower than 执业（助理）医师 "
        "(which includes assistant physicians): China 2015 = 1.797 vs 2.2 nationally; series break "
        "in 2022.", lo=0, hi=15, family="wb_wdi", comparable_to="physicians_per_1000"),
    ind("oop_share_who_ghed", "个人自付卫生支出占比（WHO GHED）", "Out-of-pocket share of current "
        "health expenditure, WHO GHED", "percent", L, "proportion", "Out-of-pocket payments as a "
        "share of health expenditure in the WHO Global Health Expenditure Database accounts "
        "(via Gapminder). Not China's 个人卫生支出占卫生总费用: China 2015 = 35.09 vs 29.3.",
        "out-of-pocket payments", "current health expenditure", 0, 100, family="who_ghed",
        comparable_to="oop_share_of_health_expenditure"),
    ind("smoking_rate_15plus_who", "15岁以上人群吸烟率（WHO估计）", "Smoking prevalence age 15+, WHO "
        "GHO estimate", "percent", L, "proportion", "WHO Global Health Observatory modelled "
        "prevalence of smoking among people aged 15+ (via Gapminder); the file also holds "
        "projections for 2025 and 2030 which are not observations.", "smokers 15+",
        "population 15+", 0, 100, family="who_gho_tobacco", comparable_to="smoking_rate_15plus"),
    ind("life_expectancy_un_wpp", "人均预期寿命（UN WPP估计）", "Life expectancy at birth, UN World "
        "Population Prospects 2022 (via Our World in Data)", "years", H, "level", "Period life "
        "expectancy at birth estimated by UN WPP 2022 (OWID). China 2015 = 76.98 vs 76.34 "
        "nationally (different estimation method).", lo=20, hi=95, family="un_wpp",
        comparable_to="life_expectancy"),
    ind("hospital_beds_per_1000_wdi", "每千人口医院床位数（世界银行WDI）", "Hospital beds per 1000 "
        "people, World Bank WDI (SH.MED.BEDS.ZS)", "per_1000_pop", H, "ratio", "Hospital beds per "
        "1000 people (WDI); China's row mixes hospital beds with all 医疗卫生机构床位 (visible "
        "break 2003-2009), so it is not the national beds_per_1000.", lo=0, hi=30,
        family="wb_wdi", comparable_to="beds_per_1000"),
]  # fmt: skip

INDICATORS: list[dict[str, str]] = LOCAL_INDICATORS + REALDATA_INDICATORS

#: Spellings used by plans 002/003, the national table and the real-data files.
ALIASES: list[tuple[str, str]] = [
    # spellings of shared indicators in 002/003/健康中国2030
    ("城乡居民达到《国民体质测定标准》合格以上人数比例", "physical_fitness_pass_rate"),
    ("每千常驻人口执业（助理）医师数", "physicians_per_1000"),
    ("每千常住人口注册执业（助理）医师", "physicians_per_1000"),
    ("每千常住人口拥有执业（助理）医师数", "physicians_per_1000"),
    ("每千常住人口拥有注册护士数", "nurses_per_1000"),
    ("每万常住人口拥有全科医生数", "gps_per_10000"),
    ("个人卫生支出占卫生总费用的比例", "oop_share_of_health_expenditure"),
    ("空气质量达到优良天数的比例", "air_quality_good_days_ratio"),
    ("地级市以上城市空气质量优良天数比例", "air_quality_good_days_ratio"),
    ("地表水省级以上考核断面优于Ⅲ类水质的比例", "surface_water_class3_ratio"),
    ("人均预期寿命（岁）", "life_expectancy"),
    # new local indicators
    ("经常参加体育锻炼人数比例", "regular_exercise_rate"),
    ("经常参加体育锻炼人数的比例", "regular_exercise_rate"),
    ("经常参加体育锻炼的人数占总人数的比例", "regular_exercise_rate"),
    ("农村无害化卫生户厕普及率", "rural_sanitary_toilet_coverage"),
    ("医药制造业工业总产值", "pharma_manufacturing_output"),
    ("健康促进学校比例", "health_promoting_school_rate"),
    ("每万人口精神科执业（助理）医师数", "psychiatrists_per_10000"),
    ("每万人口精神科床位数", "psychiatric_beds_per_10000"),
    ("严重精神障碍患者管理率", "severe_mental_disorder_management_rate"),
    ("登记在册的严重精神障碍患者管理率", "severe_mental_disorder_management_rate"),
    ("社区10分钟健身圈覆盖率", "fitness_circle_10min_coverage"),
    ("10分钟健康圈覆盖率", "fitness_circle_10min_coverage"),
    ("每千名常住居民拥有社会体育指导员数", "social_sports_instructors_per_10000"),
    ("国家卫生镇占比", "national_hygienic_town_coverage"),
    ("家庭医生签约服务人群覆盖率", "family_doctor_contract_coverage"),
    ("县域内就诊率", "local_treatment_rate"),
    ("体育主题公园数", "sports_parks"),
    ("省级健康村镇（社区）数", "healthy_villages_communities_built"),
    ("道路交通万车死亡率", "road_traffic_deaths_per_10k_vehicles"),
    ("每千常住人口公共卫生人员数", "public_health_staff_per_10000"),
    ("住院分娩率", "hospital_delivery_rate"),
    ("新生儿出生缺陷发生率", "birth_defect_rate"),
    ("12岁儿童患龋率", "caries_rate_age12"),
    ("每千常住人口中医床位数", "tcm_beds_per_1000"),
    ("每千常住人口中医执业（助理）医师数", "tcm_physicians_per_1000"),
    ("大病保险筹资标准", "critical_illness_insurance_funding"),
    ("人均体育场地面积", "sports_area_per_capita"),
    ("学校体育器材配置达标率", "school_sports_equipment_compliance_rate"),
    ("学校体育场地设施达标率", "school_sports_facility_compliance_rate"),
    ("脑卒中发病率", "stroke_incidence_rate"),
    ("脑卒中死亡率", "stroke_mortality_rate"),
    # real-data series names (Gapminder concepts, WDI code) → their own codes
    ("infant_mortality_rate_per_1000_births", "infant_mortality_rate_ihme"),
    ("newborn_mortality_rate_per_1000", "neonatal_mortality_rate_un_igme"),
    ("maternal_mortality_ratio_per_100000_live_births", "maternal_mortality_ratio_gapminder"),
    ("maternal_mortality_ratio_who", "maternal_mortality_ratio_who"),
    ("medical_doctors_per_1000_people", "physicians_per_1000_wdi"),
    ("SH.MED.PHYS.ZS", "physicians_per_1000_wdi"),
    ("out_of_pocket_share_of_total_health_spending_percent", "oop_share_who_ghed"),
    ("smoking_adults_percent_of_population_over_age_15", "smoking_rate_15plus_who"),
    ("SH.MED.BEDS.ZS", "hospital_beds_per_1000_wdi"),
    ("Hospital beds (per 1,000 people)", "hospital_beds_per_1000_wdi"),
]
