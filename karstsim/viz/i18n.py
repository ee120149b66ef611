"""Every text the web app shows, in English and Chinese.

Labels of the interface (:data:`UI`), of parameters (:data:`PARAMETER_LABELS`, with
Chinese explanations of the levers in :data:`LEVER_HELP_ZH`), of units and of map classes
live here and nowhere else; the other viz modules ask :func:`tr` and friends.
"""

from __future__ import annotations

from typing import Literal

from karstsim.model import parameters

Lang = Literal["en", "zh"]
LANGUAGES: tuple[Lang, ...] = ("en", "zh")

UI: dict[str, tuple[str, str]] = {
    # page
    "app_title": ("Guizhou karst restoration simulator", "贵州喀斯特生态修复模拟器"),
    "app_subtitle": (
        "Try the policy levers of Guizhou's 14th Five-Year Plan and watch forest cover, "
        "rocky desertification, carbon and rural incomes change year by year.",
        "尝试贵州“十四五”规划的政策杠杆，逐年观察森林覆盖率、石漠化、碳汇和农村收入的变化。",
    ),
    "language": ("Language", "语言"),
    "classroom_mode": ("Classroom mode", "课堂模式"),
    # setup
    "setup": ("Run set-up", "运行设置"),
    "preset": ("Scenario preset", "情景预设"),
    "seed": ("Random seed", "随机种子"),
    "grid": ("Map size", "地图大小"),
    "grid_classroom": ("classroom: Guanling county (fast)", "课堂：关岭县（快速）"),
    "grid_county": ("synthetic county (200 × 200 km)", "合成县域（200 × 200 km）"),
    "grid_custom": ("custom W×H", "自定义 宽×高"),
    "grid_custom_size": ("Width × height in cells (e.g. 80x50)", "宽 × 高（格数，如 80x50）"),
    "levers": ("Policy levers", "政策杠杆"),
    "advanced": ("Advanced: uncertain parameters", "高级：不确定参数"),
    "advanced_note": (
        "What nature and behaviour set, not policy. Researchers vary these in sensitivity "
        "analyses.",
        "这些由自然和人的行为决定，而非政策；研究者在敏感性分析中改变它们。",
    ),
    "editing": ("Editing lever set", "正在编辑的杠杆组"),
    "range": ("range", "范围"),
    "on": ("on", "开"),
    "off": ("off", "关"),
    "restart_note": (
        "Changing a lever, preset, seed or map re-runs the model from {start} to the shown year.",
        "修改杠杆、预设、种子或地图后，模型会从 {start} 年重新运行到当前年份。",
    ),
    # run controls
    "step": ("Step one year", "前进一年"),
    "run": ("Run", "运行"),
    "pause": ("Pause", "暂停"),
    "reset": ("Reset", "重置"),
    "target_year": ("Target year", "目标年份"),
    "running": ("running…", "运行中…"),
    "year_now": ("Year {year}", "{year} 年"),
    # compare
    "compare": ("Compare two lever sets", "比较两组杠杆"),
    "compare_note": (
        "Set B starts as a copy of A and runs on the same seed and map; change its levers "
        "to see what differs.",
        "B 组从 A 组复制而来，使用相同的随机种子和地图；修改 B 组的杠杆，看看有什么不同。",
    ),
    "copy_a_to_b": ("Copy A to B", "把 A 复制到 B"),
    # errors
    "invalid_input": ("Invalid input", "输入无效"),
    "invalid_set": ("Lever set {arm}: {message}", "杠杆组 {arm}：{message}"),
    # map
    "map": ("Map", "地图"),
    "layer": ("Map layer", "地图图层"),
    "layer_land_cover": ("Land cover", "土地覆盖"),
    "layer_severity": ("Rocky desertification", "石漠化程度"),
    "layer_carbon": ("Carbon stock", "碳储量"),
    "layer_treatment": ("Treatment", "治理方式"),
    "layer_corridors": ("Ecological corridors", "生态廊道"),
    "map_title": ("{layer} — set {arm}", "{layer} — {arm} 组"),
    "map_scale": ("1 cell = {area:g} km²", "每格 = {area:g} km²"),
    "carbon_unit": ("biomass carbon, tC/ha", "生物量碳密度，tC/ha"),
    "legend_classes": ("class of each cell", "每格的类别"),
    "diff_title": ("Where B differs from A", "B 与 A 的差异"),
    "diff_same": ("same in A and B", "A、B 相同"),
    "diff_wooded_b": ("forest or shrub only in B", "仅 B 为森林或灌丛"),
    "diff_wooded_a": ("forest or shrub only in A", "仅 A 为森林或灌丛"),
    "diff_other": ("other land-cover difference", "其他土地覆盖差异"),
    "diff_differs": ("differs", "不同"),
    "diff_severity": ("severity class, B − A", "石漠化等级差，B − A"),
    "diff_carbon": ("carbon, B − A, tC/ha", "碳密度差，B − A，tC/ha"),
    "diff_none": ("A and B are the same everywhere", "A、B 处处相同"),
    "no_run": ("no valid run", "无有效运行"),
    # actors (labels of karstsim.experiments.figures.draw_actors)
    "ecological corridor": ("ecological corridor", "生态廊道"),
    "village": ("village", "村庄"),
    "ranger post": ("ranger post", "护林员站点"),
    "active mine": ("active mine", "在产矿山"),
    "green mine": ("green mine", "绿色矿山"),
    "closed mine": ("closed mine", "关停矿山"),
    "legacy mine": ("legacy mine", "历史遗留矿山"),
    "mine under restoration": ("mine under restoration", "修复中矿山"),
    "restored mine": ("restored mine", "已修复矿山"),
    # land-cover, severity and treatment classes
    "forest": ("forest", "森林"),
    "special shrubland": ("special shrubland", "特灌林"),
    "grass and open land": ("grass and open land", "草地和空地"),
    "cropland": ("cropland", "耕地"),
    "bare rock": ("bare rock", "裸岩"),
    "mine": ("mine", "矿山"),
    "built": ("built", "建设用地"),
    "water": ("water", "水域"),
    "none": ("none", "无"),
    "potential": ("potential", "潜在"),
    "light": ("light", "轻度"),
    "moderate": ("moderate", "中度"),
    "severe": ("severe", "重度"),
    "extreme": ("extreme", "极重度"),
    "treat_none": ("not treated", "未治理"),
    "treat_enclosure": ("enclosure", "封山育林"),
    "treat_afforestation": ("afforestation", "人工造林"),
    "treat_grass": ("grass planting", "人工种草"),
    "treat_eco": ("eco-economic stands", "生态经济林"),
    "corridor_none": ("no corridor", "非廊道"),
    # charts
    "year": ("year", "年份"),
    "chart_forest": ("Forest cover", "森林覆盖率"),
    "chart_desert": ("Rocky-desertified area by class", "各等级石漠化面积"),
    "chart_carbon": ("Carbon stock and carbon revenue", "碳储量与碳汇收入"),
    "chart_income": ("Household income and poverty", "农户收入与贫困"),
    "chart_budget": ("Budget spent by use", "各项预算支出"),
    "pct_land": ("% of land", "占土地 %"),
    "forest_line": ("forest cover", "森林覆盖率"),
    "target_line": ("{threshold:g} % target ({deadline})", "{threshold:g}% 目标（{deadline} 年）"),
    "reached": ("{arm}reached {year}", "{arm}{year} 年达标"),
    "km2": ("km²", "km²"),
    "carbon_stock": ("carbon stock", "碳储量"),
    "carbon_revenue": ("carbon revenue", "碳汇收入"),
    "mean_income": ("mean household income", "户均收入"),
    "poverty_share": ("poverty share", "贫困比例"),
    "unit_poverty_axis": ("% of people", "人口 %"),
    "budget_axis": ("M yuan/yr", "百万元/年"),
    "use_treatment": ("desertification treatment", "石漠化治理"),
    "use_afforestation": ("afforestation", "营造林"),
    "use_gfg": ("Grain-for-Green", "退耕还林"),
    "use_rangers": ("rangers", "护林员"),
    "use_mines": ("legacy mines", "历史遗留矿山"),
    "use_carbon": ("single-tree carbon", "单株碳汇"),
    "use_zoning": ("protected areas", "自然保护地"),
    "use_grassland": ("degraded grassland", "退化草原治理"),
    "use_wetland": ("wetland restoration", "湿地修复"),
    "use_relocation": ("relocation", "易地搬迁"),
    "solid_dashed": ("solid: A, dashed: B", "实线：A，虚线：B"),
    "explain_forest": (
        "Forest plus special shrubland over all land (the plan's definition). The dashed "
        "line is the binding 2025 goal.",
        "森林加特灌林占土地总面积（规划口径）。虚线为 2025 年约束性目标。",
    ),
    "explain_desert": (
        "Area of each rocky-desertification class on the map.",
        "地图上各等级石漠化的面积。",
    ),
    "explain_carbon": (
        "Biomass carbon on the map, and what households earn from carbon-sink schemes.",
        "地图上的生物量碳储量，以及农户从碳汇项目获得的收入。",
    ),
    "explain_income": (
        "Mean household income and the share of people below the poverty line.",
        "农户平均收入，以及低于贫困线的人口比例。",
    ),
    "explain_budget": (
        "What the government spends each year, by programme.",
        "政府每年在各项目上的支出。",
    ),
    # cards
    "key_figures": ("Key figures", "关键指标"),
    "card_year": ("Year", "年份"),
    "card_forest": ("Forest cover", "森林覆盖率"),
    "card_target": ("{threshold:g} % reached", "达到 {threshold:g}%"),
    "card_not_reached": ("not yet", "尚未"),
    "card_desert": ("Desertified area", "石漠化面积"),
    "card_carbon": ("Carbon stock", "碳储量"),
    "card_revenue": ("Carbon revenue", "碳汇收入"),
    "card_income": ("Household income", "户均收入"),
    "card_poverty": ("Poverty share", "贫困比例"),
    "card_budget": ("Budget spent", "预算支出"),
    "unit_year": ("", ""),
    "unit_pct": ("%", "%"),
    "unit_km2": ("km²", "km²"),
    "unit_MtC": ("MtC", "MtC"),
    "unit_Myuan_yr": ("M yuan/yr", "百万元/年"),
    "unit_yuan_hh": ("yuan/household/yr", "元/户/年"),
    "map_area_note": (
        "Figures are for the simulated map ({area:,.0f} km² of land); policy amounts are "
        "set province-wide and scaled to it.",
        "数值针对模拟地图（陆地 {area:,.0f} km²）；政策数量按全省设定并按面积折算。",
    ),
    # classroom
    "question": ("Question", "问题"),
    "about_preset": ("About this scenario", "关于这个情景"),
    # downloads
    "downloads": ("Downloads", "下载"),
    "download_csv": ("Yearly table (CSV)", "逐年数据表（CSV）"),
    "download_png": ("Current figures (PNG)", "当前图表（PNG）"),
}

# --- the real Guizhou: map choice, regions, table by region (issue 10) ---------------------
REGION_UI: dict[str, tuple[str, str]] = {
    "grid_province": ("Guizhou province (whole, ~176 000 km²)", "贵州省（全省，约 17.6 万 km²）"),
    "grid_search": ("type to search a prefecture or county", "输入名称查找市州或区县"),
    "grid_group_quick": ("Whole province and classroom", "全省与课堂"),
    "grid_group_prefectures": ("Prefectures", "市州"),
    "grid_group_counties": ("Counties of {prefecture}", "{prefecture}的区县"),
    "grid_group_synthetic": ("Synthetic maps", "合成地图"),
    "grid_county_of": ("{county} ({prefecture})", "{county}（{prefecture}）"),
    "region": ("Figures for", "显示范围"),
    "region_all": ("the whole map", "整个地图"),
    "region_shown": ("Cards and charts: {name}", "指标卡与图表：{name}"),
    "region_note": (
        "Choose a region here, or click its row of the table below the map, to see its cards "
        "and charts (the map itself cannot be clicked); budget and carbon revenue are kept "
        "for the whole map only.",
        "在此选择一个地区，或点击地图下方表格中它的一行，即可查看它的指标卡和图表（地图本身不能点击）；"
        "预算和碳汇收入只按整个地图统计。",
    ),
    "whole_map_only": ("kept for the whole map only", "只按整个地图统计"),
    "table_title": ("Key figures by {level}, {year}", "各{level}关键指标，{year} 年"),
    "level_prefecture": ("prefecture", "市州"),
    "level_county": ("county", "区县"),
    "col_region": ("Region", "地区"),
    "col_set": ("Set", "杠杆组"),
    "col_forest": ("Forest cover, %", "森林覆盖率，%"),
    "col_desert": ("Desertified, km²", "石漠化面积，km²"),
    "col_carbon": ("Carbon, MtC", "碳储量，MtC"),
    "col_treated": ("Treated since start, km²", "累计治理，km²"),
    "col_income": ("Income, yuan/person/yr", "人均收入，元/人/年"),
    "col_poverty": ("Poverty, % of people", "贫困人口比例，%"),
    "download_regions_csv": ("Table by region, every year (CSV)", "分地区逐年数据表（CSV）"),
}
"""Texts of the real map's choices, regions and table by region (English, Chinese)."""
UI.update(REGION_UI)

PARAMETER_LABELS: dict[str, tuple[str, str]] = {
    # landscape
    "cell_size_km": ("Cell size", "网格边长"),
    "carbonate_share": ("Carbonate (karst) share of land", "碳酸盐岩（喀斯特）占比"),
    "villages_per_100km2": ("Village density", "村庄密度"),
    "young_afforestation_ha_per_year": (
        "Planting in the years before the start",
        "起始年之前的造林面积",
    ),
    "young_gfg_ha_per_year": (
        "Grain-for-Green in the years before the start",
        "起始年之前的退耕还林面积",
    ),
    # vegetation
    "grass_years": ("Years to grass stage", "恢复到草本阶段的年数"),
    "shrub_years": ("Years to shrub stage", "恢复到灌丛阶段的年数"),
    "forest_years": ("Years to forest stage", "恢复到森林阶段的年数"),
    "thin_soil_slowdown": ("Slowdown on thin soil", "薄土减缓系数"),
    "steep_slope_slowdown": ("Slowdown on steep slopes", "陡坡减缓系数"),
    "forest_neighbour_speedup": ("Speed-up next to forest", "邻近森林加速系数"),
    "cover_relaxation_rate": ("Vegetation cover adjustment rate", "植被覆盖度调整速率"),
    "rock_cover_penalty": ("Bare-rock cover penalty", "裸岩对覆盖度的抑制"),
    "stand_volume_max_m3_ha": ("Maximum stand growing stock", "林分蓄积上限"),
    "stand_volume_k_per_yr": ("Stand growth rate", "林分生长速率"),
    "rock_carbon_penalty": ("Bare-rock carbon penalty", "裸岩对碳上限的抑制"),
    "shrub_carbon_tC_ha": ("Shrubland carbon", "灌丛碳密度"),
    "grass_carbon_tC_ha": ("Grass and cropland carbon", "草地和耕地碳密度"),
    "wood_density_t_m3": ("Wood density", "木材基本密度"),
    "biomass_expansion_factor": ("Biomass expansion factor", "生物量扩展因子"),
    "root_shoot_ratio": ("Root-to-shoot ratio", "根茎比"),
    "carbon_fraction": ("Carbon fraction of biomass", "生物量含碳率"),
    "dead_organic_matter_fraction": ("Dead wood and litter share", "枯落物与枯死木碳比例"),
    "forest_tending_ha_per_year": ("Forest tending", "森林抚育面积"),
    "erosion_control_ha_per_year": ("Soil-erosion control", "水土流失治理面积"),
    "erosion_control_effect": ("Effect of erosion-control works", "水土保持措施减蚀效果"),
    "erosion_control_cost_yuan_ha": ("Erosion-control cost", "水土流失治理成本"),
    "tending_growth_gain": ("Growth gain of tended stands", "抚育后生长增益"),
    "tending_effect_years": ("Years a tending lasts", "抚育效果年限"),
    "tending_max_age_yr": ("Oldest stand tended", "抚育林分最大年龄"),
    "tending_cost_yuan_ha": ("Tending cost", "抚育成本"),
    "timber_harvest_m3_ha_yr": ("Timber harvest", "木材采伐强度"),
    "harvest_rotation_yr": ("Harvest rotation age", "主伐年龄"),
    # soil
    "erosion_base_t_km2_yr": ("Base soil loss", "基准土壤侵蚀模数"),
    "grazing_erosion_factor": ("Erosion on grazed land", "放牧地侵蚀系数"),
    "natural_erosion_factor": ("Erosion on unused land", "未利用地侵蚀系数"),
    "soil_loss_tolerance_t_km2_yr": ("Tolerable soil loss", "容许土壤流失量"),
    "karst_soil_loss_tolerance_t_km2_yr": ("Tolerable soil loss on karst", "岩溶区容许土壤流失量"),
    "soil_bulk_density_t_m3": ("Soil bulk density", "土壤容重"),
    "exposure_gain_per_cm": ("Bedrock bared per cm of soil lost", "每流失 1 cm 土壤增加的基岩裸露"),
    "exposure_recovery_rate": ("Bedrock re-covering rate", "基岩裸露恢复速率"),
    "grazing_distance_km": ("Grazing distance from village", "离村放牧距离"),
    "grazing_pressure": ("Grazing pressure", "放牧强度"),
    "grazing_cover_loss": ("Cover lost to grazing", "放牧造成的覆盖度损失"),
    # restoration
    "treatment_ha_per_year": ("Desertification treatment", "石漠化治理面积"),
    "grazing_ban_severe": ("Grazing ban on severe land", "重度石漠化区禁牧"),
    "moderate_afforestation_share": ("Afforestation share on moderate land", "中度石漠化造林比例"),
    "enclosure_cost_yuan_ha": ("Enclosure cost", "封山育林成本"),
    "afforestation_cost_yuan_ha": ("Afforestation cost", "人工造林成本"),
    "grass_planting_cost_yuan_ha": ("Grass planting cost", "人工种草成本"),
    "eco_economic_cost_yuan_ha": ("Eco-economic planting cost", "生态经济林成本"),
    "enclosure_years": ("Enclosure duration", "封育年限"),
    "afforestation_establish_years": ("Years for planted trees to establish", "造林成林年数"),
    "grass_establish_years": ("Years for sown grass to establish", "种草见效年数"),
    "eco_economic_establish_years": (
        "Years for eco-economic stands to establish",
        "经济林成林年数",
    ),
    "afforestation_failure_prob": ("Afforestation failure", "造林失败概率"),
    "grass_failure_prob": ("Grass planting failure", "种草失败概率"),
    "eco_economic_failure_prob": ("Eco-economic planting failure", "经济林失败概率"),
    "sown_grass_cover_bonus": ("Extra cover from sown grass", "人工种草增加的覆盖度"),
    "eco_economic_net_yuan_ha": ("Eco-economic stand income", "生态经济林净收益"),
    "eco_economic_carbon_factor": ("Carbon of eco-economic stands", "经济林碳密度系数"),
    "treatment_exposure_cut": (
        "Bedrock cover gained when treatment starts",
        "治理工程减少的基岩裸露",
    ),
    # forestry and carbon
    "afforestation_ha_per_year": ("Afforestation", "营造林面积"),
    "desert_planting_priority": ("Planting priority of desertified land", "石漠化土地造林优先度"),
    "single_tree_price_yuan": ("Single-tree carbon price", "单株碳汇价格"),
    "single_tree_scheme_trees": ("Single-tree scheme size", "单株碳汇规模"),
    "single_tree_cap_trees": ("Trees per household, at most", "每户单株碳汇上限"),
    "plantation_share": ("Plantation share of forest", "人工林比例"),
    "trees_per_ha": ("Trees per hectare", "每公顷株数"),
    "single_tree_join_cost_yuan": ("Cost of joining the tree scheme", "参与单株碳汇的成本"),
    "forest_carbon_price_yuan_tCO2": ("Forest carbon price", "林业碳汇价格"),
    "carbon_project_household_share": ("Households' share of carbon revenue", "农户碳汇收益分成"),
    "carbon_project_cost_yuan_ha": ("Carbon project cost", "碳汇项目成本"),
    # people
    "rural_households": ("Rural households (province)", "农村户数（全省）"),
    "households_per_agent": ("Households per agent", "每个主体代表的户数"),
    "household_size": ("Household size", "户均人口"),
    "labour_share": ("Workers per person", "劳动力比例"),
    "crop_net_income_yuan_ha": ("Crop net income", "种植业净收入"),
    "crop_labour_ha_per_worker": ("Cropland per worker", "每个劳动力耕种面积"),
    "livestock_income_yuan_ha": ("Livestock income", "畜牧业收入"),
    "understory_net_yuan_ha": ("Understory economy income", "林下经济净收入"),
    "understory_ha_per_household": ("Understory area per household", "户均林下经济面积"),
    "offfarm_remittance_yuan": ("Off-farm earnings", "外出务工收入"),
    "migration_cost_yuan": ("Cost of working away", "外出务工成本"),
    "migration_scale_yuan": ("Migration sensitivity scale", "外出务工决策尺度"),
    "migration_adjust_rate": ("Migration adjustment rate", "外出务工调整速率"),
    "other_income_yuan_pc": ("Other income", "其他收入"),
    "market_income_growth_per_yr": ("Growth of wages and prices", "工资与价格年增长率"),
    "poverty_line_yuan": ("Poverty line", "贫困线"),
    "discount_rate": ("Discount rate", "贴现率"),
    "payment_risk": ("Risk that payments stop", "补助中断风险"),
    "social_weight": ("Weight of neighbours' choices", "邻里影响权重"),
    "income_dispersion": ("Income dispersion", "收入离散度"),
    "status_quo_bias": ("Status-quo bias", "维持现状倾向"),
    "decision_noise_yuan": ("Decision noise", "决策噪声"),
    "scheme_noise_yuan": ("Noise in joining carbon schemes", "参与碳汇项目的决策噪声"),
    "gfg_quota_ha_per_year": ("Grain-for-Green quota", "退耕还林指标"),
    "gfg_payment_yuan_mu": ("Grain-for-Green payment", "退耕还林补助"),
    "gfg_min_slope_deg": ("Grain-for-Green minimum slope", "退耕还林最低坡度"),
    # rangers
    "rangers": ("Forest rangers (province)", "生态护林员（全省）"),
    "rangers_per_agent": ("Rangers per agent", "每个主体代表的护林员数"),
    "ranger_wage_yuan": ("Ranger wage", "护林员工资"),
    "patrol_effectiveness": ("Patrol effectiveness", "巡护效率"),
    "patrol_radius_km": ("Patrol radius", "巡护半径"),
    "fine_yuan_ha": ("Fine for violations", "违法罚款"),
    "illegal_grazing_temptation": ("Temptation to graze closed land", "封育区偷牧倾向"),
    "clearing_temptation": ("Temptation to clear forest", "毁林开垦倾向"),
    "fire_ignition_prob": ("Fire ignition", "火灾发生概率"),
    # mines
    "mines": ("Mines (province)", "矿山数量（全省）"),
    "initial_green_share": ("Green-mine share at start", "起始绿色矿山比例"),
    "legacy_mine_share": ("Legacy (abandoned) mine share", "历史遗留矿山比例"),
    "green_mine_share_target": ("Green-mine target", "绿色矿山目标比例"),
    "new_mines_green": ("New mines must be green", "新建矿山须为绿色矿山"),
    "new_mines_per_year": ("New mines per year", "每年新建矿山数"),
    "mine_closure_rate": ("Mine closure rate", "矿山关停率"),
    "legacy_restoration_ha_per_year": ("Legacy-mine restoration", "历史遗留矿山修复面积"),
    "mine_restoration_cost_yuan_ha": ("Mine restoration cost", "矿山修复成本"),
    "mine_restoration_years": ("Years to restore a mine", "矿山修复年数"),
    "mine_revenue_Myuan": ("Mine revenue", "矿山收入"),
    "mine_jobs": ("Jobs per mine", "每个矿山的就业"),
    "mine_dust_cover_loss": ("Cover lost near dirty mines", "矿山粉尘造成的覆盖度损失"),
    # corridors
    "corridor_priority": ("Corridor priority", "生态廊道优先"),
    "corridor_priority_weight": ("Corridor priority weight", "廊道优先权重"),
    "belt_corridor_width_km": ("Mountain-belt corridor width", "山脉廊道宽度"),
    "river_corridor_width_km": ("River corridor width", "河流廊道宽度"),
    "habitat_min_age_yr": ("Minimum habitat age", "栖息地最低林龄"),
    "dispersal_distance_km": ("Dispersal distance", "物种扩散距离"),
    # budget
    "total_budget_mode": ("Spend one total budget by shares", "按比例分配总预算"),
    "total_budget_Myuan": ("Total budget (province)", "总预算（全省）"),
    "share_treatment": ("Share: desertification treatment", "份额：石漠化治理"),
    "share_afforestation": ("Share: afforestation", "份额：营造林"),
    "share_gfg": ("Share: Grain-for-Green", "份额：退耕还林"),
    "share_rangers": ("Share: rangers", "份额：护林员"),
    "share_mines": ("Share: legacy mines", "份额：历史遗留矿山"),
    "share_carbon": ("Share: single-tree carbon", "份额：单株碳汇"),
    # issue 13 (a): mines as the plan counts them
    "renewed_mines_green": ("Renewed mines must be green", "延续矿山须为绿色矿山"),
    "mine_licence_years": ("Mining licence term", "采矿许可证期限"),
    "renewal_exit_share": ("Renewing mines that exit", "延续时退出市场的矿山比例"),
    "green_upgrade_cost_Myuan": ("Green-mine upgrade cost", "绿色矿山改造成本"),
    # issue 13 (b): ecological red line and protected areas
    "red_line_share": ("Ecological red line", "生态保护红线比例"),
    "protected_area_share": ("Protected areas", "自然保护地比例"),
    "red_line_expansion_pp_per_year": ("Red-line extension per year", "生态保护红线年扩展"),
    "protected_area_expansion_pp_per_year": (
        "Protected-area extension per year",
        "自然保护地年扩展",
    ),
    "red_line_grazing_ban": ("No grazing in the whole red line", "红线内全面禁牧"),
    "zone_monitoring_detection": ("Remote-sensing monitoring", "遥感监测发现率"),
    "zone_management_cost_yuan_ha": ("Protected-area management cost", "自然保护地管护成本"),
    # issue 13 (c): grassland and livestock
    "livestock_herds": ("Herds grow to the plan's offtake", "牛羊按规划扩群"),
    "cattle_offtake_target": ("Beef cattle sold in 2025", "2025 年肉牛出栏"),
    "sheep_offtake_target": ("Sheep and goats sold in 2025", "2025 年肉羊出栏"),
    "grassland_restoration_ha_per_year": ("Degraded grassland restored", "退化草原治理面积"),
    "cattle_offtake_2020": ("Beef cattle sold in 2020", "2020 年肉牛出栏"),
    "sheep_offtake_2020": ("Sheep and goats sold in 2020", "2020 年肉羊出栏"),
    "cattle_offtake_rate": ("Cattle offtake rate", "肉牛出栏率"),
    "sheep_offtake_rate": ("Sheep offtake rate", "肉羊出栏率"),
    "grazed_forage_share": ("Forage from grazing", "放牧采食比例"),
    "grass_yield_t_dm_ha": ("Grass forage yield", "草地产草量"),
    "fodder_price_yuan_t": ("Bought forage price", "外购饲草价格"),
    # issue 13 (d): wetlands
    "wetland_share": ("Wetland sites", "湿地比例"),
    "wetland_protection_2020": ("Wetland protected in 2020", "2020 年湿地保护率"),
    "wetland_protection_gain_pp_per_year": ("Wetland protection gain", "湿地保护率年提升"),
    "wetland_reclamation_rate": ("Wetland reclamation", "湿地被开垦概率"),
    "wetland_restoration_ha_per_year": ("Wetland restored", "退化湿地修复面积"),
    "wetland_restoration_cost_yuan_ha": ("Wetland restoration cost", "湿地修复成本"),
    # issue 13 (e): relocation
    "relocation_people_per_year": ("People relocated per year", "每年搬迁人口"),
    "relocation_hazard_weight": (
        "Relocate from steep (1) or desertified (0) land",
        "搬迁对象：陡坡（1）或石漠化（0）",
    ),
    "relocation_plots_afforested": ("Plant the plots left behind", "搬迁后耕地造林"),
    "relocation_cost_yuan_pc": ("Relocation cost per person", "人均搬迁成本"),
    # issue 13 (f): carbon beyond the trees; traded forest carbon
    "soc_reference_tC_ha": ("Reference soil organic carbon", "土壤有机碳参考储量"),
    "soc_transition_yr": ("Soil carbon transition time", "土壤碳变化时间常数"),
    "soc_factor_cropland": ("Soil carbon factor, cropland", "耕地土壤碳系数"),
    "soc_factor_grazed": ("Soil carbon factor, grazed grass", "放牧草地土壤碳系数"),
    "soc_factor_improved_grass": ("Soil carbon factor, improved grass", "改良草地土壤碳系数"),
    "soc_factor_degraded": ("Soil carbon factor, degraded land", "严重退化土地土壤碳系数"),
    "soc_enrichment_ratio": ("Carbon enrichment of eroded soil", "侵蚀泥沙碳富集比"),
    "wetland_carbon_accumulation_tC_ha_yr": ("Wetland carbon burial", "湿地固碳速率"),
    "wetland_unprotected_factor": ("Burial of unprotected wetland", "未保护湿地固碳比例"),
    "carbon_credit_issuance_share": ("Forest carbon credits issued", "林业碳汇签发比例"),
    "carbon_credit_cost_yuan_tCO2": ("Carbon credit costs", "碳汇开发与核证成本"),
}
"""Short labels of every parameter (English, Chinese)."""

LEVER_HELP_ZH: dict[str, str] = {
    "treatment_ha_per_year": "每年石漠化综合治理面积（按全省计）。",
    "grazing_ban_severe": "重度和极重度石漠化土地禁牧，恢复到轻度以下才解除。",
    "moderate_afforestation_share": "中度石漠化中用人工造林治理的比例（其余人工种草）。",
    "enclosure_cost_yuan_ha": "封山育林的成本（围栏、标牌、看护）。",
    "afforestation_cost_yuan_ha": "石漠化土地人工造林的成本。",
    "grass_planting_cost_yuan_ha": "人工种草和草地改良的成本。",
    "eco_economic_cost_yuan_ha": "生态经济型治理（果、茶、核桃、刺梨）的成本。",
    "enclosure_years": "封育地块禁止放牧和砍伐的年数。",
    "erosion_control_ha_per_year": "每年新增水土流失综合治理面积（按全省计）：坡耕地梯田、小流域治理和林草覆盖，优先治理侵蚀最强的土地。",
    "forest_tending_ha_per_year": "每年抚育的中幼林面积（按全省计）：抚育后的林分在效果年限内生长更快，由中央森林抚育补助支付。",
    "afforestation_ha_per_year": "石漠化治理之外，在草地和裸地上的新造林面积（按全省计）。",
    "understory_net_yuan_ha": "林下经济（食用菌、中药材、林下养鸡）的净收入。",
    "gfg_quota_ha_per_year": "每年新增退耕还林指标（按全省计）。",
    "gfg_payment_yuan_mu": "退耕还林补助：80% 现金分第 1、3、5 年发放（5:3:4），20% 为种苗。",
    "gfg_min_slope_deg": "坡度不低于此值的耕地可以退耕还林。",
    "single_tree_price_yuan": "单株碳汇项目每株每年支付的价格。",
    "single_tree_scheme_trees": "单株碳汇项目收购的树木总数（按全省计）。",
    "single_tree_cap_trees": "每户最多可登记的树木数。",
    "forest_carbon_price_yuan_tCO2": "农户林业碳汇项目的碳信用价格（全国碳市场 / CCER）。",
    "rangers": "聘用的生态护林员人数（按全省计）。",
    "ranger_wage_yuan": "护林员工资，计入护林员家庭收入。",
    "fine_yuan_ha": "违法行为被发现后每公顷的罚款和损失。",
    "green_mine_share_target": "2025 年要求达到的绿色矿山比例（自 2020 年起逐步提升）。",
    "new_mines_green": "新建矿山必须是绿色矿山。",
    "new_mines_per_year": "每年新开矿山数量（按全省计）。",
    "mine_closure_rate": "每年关停的非绿色在产矿山比例，由矿主负责修复。",
    "legacy_restoration_ha_per_year": "政府每年修复的历史遗留矿山面积（按全省计）。",
    "mine_restoration_cost_yuan_ha": "矿山土地修复的成本。",
    "corridor_priority": "生态廊道内的地块优先治理和造林，并禁止放牧。",
    "total_budget_mode": "按比例分配一笔总预算，而不是按各项目杠杆的数量。",
    "total_budget_Myuan": "总预算模式下每年的总预算（按全省计）。",
    "share_treatment": "总预算中用于石漠化治理的份额。",
    "share_afforestation": "总预算中用于营造林的份额。",
    "share_gfg": "总预算中用于退耕还林补助的份额。",
    "share_rangers": "总预算中用于护林员工资的份额。",
    "share_mines": "总预算中用于历史遗留矿山修复的份额。",
    "share_carbon": "总预算中用于收购单株碳汇的份额。",
    # issue 13 (a)
    "renewed_mines_green": "延续（换证）的矿山也须建成绿色矿山：未达标的改造升级，达不到标准的退出市场并由矿主修复。",
    # issue 13 (b)
    "red_line_share": "起始年生态保护红线占土地面积的比例，划在生境价值最高的土地上（廊道、森林、陡坡岩溶、水源地）；0 表示不划定。",
    "protected_area_share": "起始年自然保护地占土地面积的比例，位于红线内价值最高处，禁止放牧。",
    "red_line_expansion_pp_per_year": "每年把生态保护红线扩展到次高价值土地上的面积（占土地面积的百分点）。",
    "protected_area_expansion_pp_per_year": "每年扩展自然保护地的面积（占土地面积的百分点）。",
    "red_line_grazing_ban": "整个生态保护红线内禁止放牧，而不只是自然保护地。",
    "zone_monitoring_detection": "遥感监测在红线内发现违法放牧、毁林开垦的概率（在护林员巡护之外）。",
    "zone_management_cost_yuan_ha": "每公顷自然保护地每年的管护与补偿费用。",
    # issue 13 (c)
    "livestock_herds": "牛羊出栏按规划在 2025 年达到目标，并与草地承载力对照：超载时放牧更多、偷牧更多，缺口饲草需外购。",
    "cattle_offtake_target": "2025 年及以后全省肉牛出栏头数（自 2020 年线性增长）。",
    "sheep_offtake_target": "2025 年及以后全省肉羊出栏只数（自 2020 年线性增长）。",
    "grassland_restoration_ha_per_year": "每年治理的退化草原面积（人工种草、草地改良、围栏封育），优先植被盖度最低的草地（按全省计）。",
    # issue 13 (d)
    "wetland_protection_gain_pp_per_year": "每年新纳入保护的湿地（湿地公园、湿地保护小区），占湿地面积的百分点；受保护湿地禁止放牧和开垦。",
    "wetland_restoration_ha_per_year": "每年把被开垦的湿地恢复为水域的面积（按全省计）。",
    "wetland_restoration_cost_yuan_ha": "每公顷退化湿地修复（水系连通、植被恢复）的成本。",
    # issue 13 (e)
    "relocation_people_per_year": "每年从最脆弱村庄整户搬出的人口（按全省计）；其土地收归集体，劳动力全部外出务工。",
    "relocation_hazard_weight": "搬迁从哪里开始：0 为中度以上石漠化最多的村，1 为坡度最陡（地质灾害风险）的村，中间为两者兼顾。",
    "relocation_plots_afforested": "搬迁户留下的耕地造林（否则撂荒为草地）。",
    # issue 13 (f)
    "carbon_credit_issuance_share": "2020 年以来规划新造林（造林、退耕还林、石漠化治理造林）当年生长量中登记、核证、签发并作为林业碳汇（CCER）出售的比例；已由农户碳汇项目或单株碳汇出售的部分不计入。",
}
"""Chinese explanations of the levers (the English ones are the declared descriptions)."""

UNITS_ZH: dict[str, str] = {
    "-": "-",
    "1/cell/yr": "1/格/年",
    "1/cm": "1/cm",
    "1/yr": "1/年",
    "M yuan/mine/yr": "百万元/矿/年",
    "M yuan/mine": "百万元/矿",
    "pp of land/yr": "百分点/年",
    "head/yr": "头（只）/年",
    "pp/yr": "百分点/年",
    "people/yr": "人/年",
    "yuan/person": "元/人",
    "t DM/ha/yr": "吨干物质/公顷/年",
    "yuan/t DM": "元/吨干物质",
    "M yuan/yr": "百万元/年",
    "degrees": "度",
    "fraction": "比例",
    "fraction of active mines": "占在产矿山比例",
    "fraction of forest": "占森林比例",
    "fraction of land": "占土地比例",
    "fraction of map": "占地图比例",
    "ha / household": "公顷/户",
    "m³/ha": "m³/公顷",
    "m³/ha of forest/yr": "m³/公顷森林/年",
    "t dry matter/m³": "t 干物质/m³",
    "tC/t dry matter": "tC/t 干物质",
    "ha / worker": "公顷/劳动力",
    "ha/yr": "公顷/年",
    "households": "户",
    "households / agent": "户/主体",
    "jobs/mine": "人/矿",
    "km": "km",
    "km²/ranger": "km²/人",
    "logit units": "logit 单位",
    "mines": "个",
    "mines/yr": "个/年",
    "persons": "人",
    "probability": "概率",
    "rangers": "人",
    "rangers / agent": "人/主体",
    "share": "份额",
    "t/km²/yr": "t/km²/年",
    "t/m³": "t/m³",
    "tC/ha": "tC/公顷",
    "tC/ha/yr": "tC/公顷/年",
    "tC/m³": "tC/m³",
    "trees": "株",
    "trees / household": "株/户",
    "trees/ha": "株/公顷",
    "villages / 100 km²": "个/100 km²",
    "workers / person": "劳动力/人",
    "yr": "年",
    "yuan": "元",
    "yuan/ha": "元/公顷",
    "yuan/ha/yr": "元/公顷/年",
    "yuan/household/yr": "元/户/年",
    "yuan/mu": "元/亩",
    "yuan/person/yr": "元/人/年",
    "yuan/ranger/yr": "元/人/年",
    "yuan/tCO₂": "元/tCO₂",
    "yuan/tree/yr": "元/株/年",
    "yuan/worker/yr": "元/劳动力/年",
}
"""Chinese spelling of every unit used in the parameter declaration."""

GROUPS_ZH: dict[str, str] = {
    "landscape": "景观与初始状态",
    "vegetation": "植被演替与碳",
    "soil": "土壤侵蚀与石漠化",
    "restoration": "石漠化治理",
    "forestry": "林业与碳汇",
    "people": "农户与生计",
    "rangers": "生态护林员",
    "mines": "矿山",
    "corridors": "生态廊道",
    "zoning": "生态保护红线与自然保护地",
    "grassland": "草地与畜牧",
    "wetland": "湿地",
    "carbon": "土壤、草地与湿地碳汇；碳汇交易",
    "budget": "政府预算",
}
"""Chinese names of the parameter groups (the English ones are ``parameters.GROUPS``)."""


def tr(key: str, lang: Lang, **values: object) -> str:
    """The interface text ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = UI[key][LANGUAGES.index(lang)]
    return text.format(**values) if values else text


def parameter_label(name: str, lang: Lang) -> str:
    """Short label of parameter ``name`` (its name, if a new parameter has no label yet)."""
    labels = PARAMETER_LABELS.get(name)
    return labels[LANGUAGES.index(lang)] if labels else name.replace("_", " ")


def parameter_help(name: str, lang: Lang) -> str:
    """Explanation of parameter ``name``: the declared description in English; in Chinese,
    the lever's explanation, or ``""`` for an uncertainty (they are explained in English only)."""
    if lang == "zh":
        return LEVER_HELP_ZH.get(name, "")
    return parameters.get(name).description


def unit(text: str, lang: Lang) -> str:
    """A unit of the parameter declaration, spelled for ``lang``."""
    return UNITS_ZH.get(text, text) if lang == "zh" else text


def group_title(group: str, lang: Lang) -> str:
    """Title of parameter group ``group``."""
    return GROUPS_ZH[group] if lang == "zh" else parameters.GROUPS[group]
