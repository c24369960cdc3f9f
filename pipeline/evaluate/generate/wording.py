"""Wording of generated reports: names, headings, table labels and phrase templates.

Written for the generator from the template (国办公开办函〔2019〕60号 / 〔2021〕30号 formats, as described in
docs/report-format.md) and from general knowledge of how these reports are phrased.  It is deliberately
independent of the extractor's patterns (pipeline/nlp, pipeline/data/claims.yaml): nothing here is read by
the extractor and nothing here is derived from it, so evaluation on generated reports measures how well
the extractor generalises to phrasings it was not written against.

Template syntax used by :mod:`pipeline.evaluate.generate.narrative`:

``{name}``    a slot filled with a quantity, a trap or a plain string given by the caller.
``{name|u}``  the same slot rendered with an explicit unit override ``u``.
Everything else is literal text.
"""

from __future__ import annotations

# ---------------------------------------------------------------- place and agency names
# Syllables for invented place names (two syllables make a name; none is meant to be a real place).
PLACE_A = list("青安平宁丰嘉永泰兴和瑞德康乐华昌明清云松鹤柏桐溪源阳")
PLACE_B = list("川原州山河泉岭峰湖江浦坪塘陵桥林台城门口渡岗")
PROVINCE_A = list("东西南北中")
PROVINCE_B = list("岳川湘林宁陇潞")

CITY_BUREAUS = [
    "教育局",
    "民政局",
    "财政局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "卫生健康委员会",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "人力资源和社会保障局",
    "文化广电和旅游局",
    "应急管理局",
    "司法局",
]
PROVINCE_OFFICES = ["人民政府办公厅", "发展和改革委员会", "教育厅", "财政厅", "交通运输厅", "生态环境厅", "卫生健康委员会", "市场监督管理局"]

# level -> (templates for the agency name, application magnitude lo/hi, can make 规章)
LEVELS: dict[str, dict] = {
    "county": {"names": ["{p}县人民政府", "{p}县人民政府办公室"], "apps": (0, 40), "rules": False, "license": (200, 6000)},
    "district": {"names": ["{c}市{p}区人民政府", "{p}区人民政府"], "apps": (3, 150), "rules": False, "license": (500, 12000)},
    "town": {"names": ["{p}县{q}镇人民政府", "{c}市{p}区{q}街道办事处"], "apps": (0, 8), "rules": False, "license": (0, 200)},
    "city_gov": {"names": ["{c}市人民政府", "{c}市人民政府办公室"], "apps": (40, 600), "rules": True, "license": (2000, 40000)},
    "city_bureau": {"names": ["{c}市{b}"], "apps": (0, 80), "rules": False, "license": (0, 3000)},
    "province_office": {"names": ["{s}省{o}"], "apps": (20, 900), "rules": True, "license": (0, 20000)},
}
# levels whose bodies plainly cannot make 规章 (plausibility injections put 规章 in their table 二)
PLAUSIBILITY_LEVELS = ["county", "district", "town", "city_bureau"]
LEVEL_WEIGHTS = {"county": 30, "district": 20, "town": 8, "city_gov": 10, "city_bureau": 22, "province_office": 10}

# ---------------------------------------------------------------- title block and preamble
TITLES = [
    "{year}年政府信息公开工作年度报告",
    "{agency}{year}年政府信息公开工作年度报告",
    "{year}年度政府信息公开工作年度报告",
    "{agency}{year}年度政府信息公开工作年报",
    "关于{year}年政府信息公开工作的年度报告",
]
PREAMBLES = [
    "本报告根据《中华人民共和国政府信息公开条例》（{decree}，以下简称《条例》）和{notice}要求编制。",
    "根据《中华人民共和国政府信息公开条例》（{decree}）规定，按照{notice}有关要求，编制本报告。",
    "依据《中华人民共和国政府信息公开条例》（{decree}）第五十条规定，结合{notice}，特向社会公布本年度报告。",
]
PREAMBLE_CONTENTS = [
    "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。",
    "报告内容包括：总体情况，主动公开政府信息情况，收到和处理政府信息公开申请情况，政府信息公开行政复议、行政诉讼情况，存在的主要问题及改进情况，其他需要报告的事项。",
]
PREAMBLE_PERIOD = [
    "本报告中所列数据的统计期限自{period_start}起至{period_end}止。",
    "报告所列数据统计期限为{period_start}至{period_end}。",
]
PREAMBLE_CONTACT = [
    "本报告电子版可在{site}下载。如对本报告有疑问，请与{agency}办公室联系（联系电话：{phone}）。",
    "如对报告内容有疑问，请联系{agency}政务公开办公室，电话：{phone}。",
    "本报告在{site}公开，欢迎社会各界监督。",
]
DECREES = ["国务院令第711号"]
NOTICES = {"v2019": "国办公开办函〔2019〕60号", "v2021": "国办公开办函〔2021〕30号"}

# ---------------------------------------------------------------- section headings
HEADINGS = {
    "s1": ["总体情况", "总体情况", "总体情况", "政府信息公开工作总体情况"],
    "s2": ["主动公开政府信息情况", "主动公开政府信息情况", "行政机关主动公开政府信息情况"],
    "s3": ["收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况"],
    "s4": [
        "政府信息公开行政复议、行政诉讼情况",
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "政府信息公开行政复议和行政诉讼情况",
    ],
    "s5": ["存在的主要问题及改进情况", "存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况", "存在问题及改进情况"],
    "s6": ["其他需要报告的事项", "其他需要报告的事项", "其他需要报告事项"],
}
HEADING_NUMERALS = {"s1": "一", "s2": "二", "s3": "三", "s4": "四", "s5": "五", "s6": "六"}
HEADING_SEPARATORS = ["、", "、", "、", "、", ".", "、"]
S1_SUBHEADS_V2021 = ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"]
S1_SUBHEADS_V2019 = ["（一）政府信息主动公开情况", "（二）依申请公开政府信息情况", "（三）政府信息公开管理运行情况", "（四）平台建设及监督保障情况"]

# ---------------------------------------------------------------- table labels (the printed template)
T2_BLOCK_TITLE = "第二十条第（{n}）项"
T2_HEADER_FIRST = "信息内容"
T2_V2019 = [
    ("一", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], [("rules", "规章"), ("normative_docs", "规范性文件")]),
    ("五", ["上一年项目数量", "本年增/减", "处理决定数量"], [("admin_license", "行政许可"), ("other_mgmt_services", "其他对外管理服务事项")]),
    ("六", ["上一年项目数量", "本年增/减", "处理决定数量"], [("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制")]),
    ("八", ["上一年项目数量", "本年增/减"], [("admin_fees", "行政事业性收费")]),
    ("九", ["采购项目数量", "采购总金额"], [("gov_procurement", "政府集中采购")]),
]
T2_V2019_COLS = {
    "一": ["new_made", "new_published", "published_total"],
    "五": ["prev_year_items", "items_change", "decisions"],
    "六": ["prev_year_items", "items_change", "decisions"],
    "八": ["prev_year_items", "items_change"],
    "九": ["projects", "amount"],
}
T2_V2021 = [
    ("一", ["本年制发件数", "本年废止件数", "现行有效件数"], [("rules", "规章"), ("normative_docs", "行政规范性文件")]),
    ("五", ["本年处理决定数量"], [("admin_license", "行政许可")]),
    ("六", ["本年处理决定数量"], [("admin_penalty", "行政处罚"), ("admin_coercion", "行政强制")]),
    ("八", ["本年收费金额（单位：万元）"], [("admin_fees", "行政事业性收费")]),
]
T2_V2021_COLS = {"一": ["issued", "repealed", "valid"], "五": ["decisions"], "六": ["decisions"], "八": ["amount"]}

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANT = "申请人情况"
T3_COL_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T3_ORG_GROUP = "法人或其他组织"
T3_COLS = ["natural_person", "org_commercial", "org_research", "org_social_welfare", "org_legal_service", "org_other", "total"]
T3_TOP = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "results": "三、本年度办理结果",
    "carry_forward": "四、结转下年度继续办理",
}
# (group label or None, [(row_key, leaf label)])
T3_RESULT_GROUPS_COMMON = [
    (None, [("granted", "（一）予以公开")]),
    (None, [("partial_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]),
    (
        "（三）不予公开",
        [
            ("denied_state_secret", "1.属于国家秘密"),
            ("denied_law_prohibited", "2.其他法律行政法规禁止公开"),
            ("denied_security_stability", "3.危及“三安全一稳定”"),
            ("denied_third_party", "4.保护第三方合法权益"),
            ("denied_internal_affairs", "5.属于三类内部事务信息"),
            ("denied_process_info", "6.属于四类过程性信息"),
            ("denied_enforcement_file", "7.属于行政执法案卷"),
            ("denied_admin_query", "8.属于行政查询事项"),
        ],
    ),
    (
        "（四）无法提供",
        [
            ("unable_not_held", "1.本机关不掌握相关政府信息"),
            ("unable_need_creation", "2.没有现成信息需要另行制作"),
            ("unable_unclear", "3.补正后申请内容仍不明确"),
        ],
    ),
    (
        "（五）不予处理",
        [
            ("unprocessed_petition", "1.信访举报投诉类申请"),
            ("unprocessed_repeat", "2.重复申请"),
            ("unprocessed_publication", "3.要求提供公开出版物"),
            ("unprocessed_excessive", "4.无正当理由大量反复申请"),
            ("unprocessed_confirm", "5.要求行政机关确认或重新出具已获取信息"),
        ],
    ),
]
T3_OTHER_V2019 = (None, [("other_handling", "（六）其他处理")])
T3_OTHER_V2021 = (
    "（六）其他处理",
    [
        ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other_misc", "3.其他"),
    ],
)
T3_TOTAL_ROW = (None, [("results_total", "（七）总计")])
# label variants seen in real reports' copies (typos, punctuation); used now and then for realism
T3_LABEL_VARIANTS = {
    "2.其他法律行政法规禁止公开": ["2.其他法律行政止公开", "2、其他法律行政法规禁止公开"],
    "1.本机关不掌握相关政府信息": ["1、本机关不掌握相关政府信息"],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": ["（二）部分公开(区分处理的,只计这一情形,不计其他情形)"],
}

T4_TOP = ["行政复议", "行政诉讼"]
T4_RESULT_COLS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_LIT_GROUPS = ["未经复议直接起诉", "复议后起诉"]
T4_BLOCKS = ["review", "litigation_direct", "litigation_after_review"]
T4_KEYS = ["upheld", "corrected", "other_result", "pending", "total"]

# ---------------------------------------------------------------- narrative phrase grammar
# Each entry: a template with slots.  The caller supplies the slots; see narrative.py for which slots
# each list needs.  Many ways to state each claim type.

# t3.new_received.total (slot n)
APPS_NEW = [
    "全年共收到政府信息公开申请{n}",
    "本年度新收政府信息公开申请{n}",
    "{year_t}，共受理依申请公开{n}",
    "全年新收依申请公开事项{n}",
    "本年度共接收政府信息公开申请{n}",
    "{year_t}我{unit_short}收到各类政府信息公开申请{n}",
    "全年受理群众提交的信息公开申请{n}",
    "新收到公民、法人和其他组织提出的政府信息公开申请{n}",
]
# statements about applications / review and litigation that give no number
APPS_NO_NUMBERS = ["依申请公开工作依法有序开展，答复及时规范。", "严格按照法定程序和时限办理政府信息公开申请。"]
REVIEW_NO_NUMBERS = ["认真做好政府信息公开行政复议、行政诉讼应诉工作。", "依法办理涉及政府信息公开的行政复议和行政诉讼案件。"]
# year-on-year change after the number of applications (slot pct: a percentage)
APPS_TREND = ["，同比增长{pct}", "，较上年下降{pct}", "，比上年增加{pct}"]
# parts of new_received (slots a = natural person, b = organisations, optional)
APPS_SPLIT = [
    "，其中自然人申请{a}、法人或其他组织申请{b}",
    "，其中个人申请{a}，法人及其他组织申请{b}",
    "（其中公民申请{a}，法人或其他组织申请{b}）",
    "。从申请主体看，自然人申请{a}，占比较大；法人或其他组织申请{b}",
]
# organisations named by type (slot c: 商业企业 only)
APPS_SPLIT_COMMERCIAL = ["，其中企业申请{c}", "，其中商业企业提出申请{c}"]
APPS_SPLIT_NP_ONLY = ["，均为自然人申请", "，申请人均为自然人"]
APPS_CARRIED = ["，另有上年结转申请{m}", "，加上年度结转{m}", "，上年度结转{m}"]
APPS_RESULTS = [
    "。全年办结{r}",
    "。本年度已答复{r}",
    "。截至{cutoff}，已办理完毕{r}",
    "，全部按期答复，共办结{r}",
]
# result breakdown: slots g (granted), p (partial), d (denied), u (unable), x (unprocessed), o (other)
RESULT_PARTS = {
    "granted": ["予以公开{v}", "同意公开{v}", "予以公开的{v}", "全部公开{v}"],
    "partial": ["部分公开{v}", "部分公开的{v}"],
    "denied": ["不予公开{v}", "依法不予公开{v}"],
    "unable": ["无法提供{v}", "因信息不存在等原因无法提供{v}", "告知本机关不掌握相关信息等无法提供的{v}"],
    "unprocessed": ["不予处理{v}", "不予处理的{v}", "作不予处理{v}"],
    "other": ["其他处理{v}", "作其他处理{v}"],
}
RESULT_INTRO = ["。从办理结果看，", "。其中，", "。办理结果中，", "，办理结果为："]
CARRY_FORWARD = ["；另有{v}结转下年度继续办理", "，结转下年度继续办理{v}", "；尚有{v}在法定期限内，结转至下一年度办理"]

# zero statements (no slots but {year_t}, {unit_short})
ZERO_APPS = [
    "{year_t}，我{unit_short}未收到政府信息公开申请",
    "本年度没有收到依申请公开政府信息的申请",
    "全年无依申请公开事项",
    "{year_t}度我{unit_short}没有相关申请公开信息情况",
    "本年度未收到公民、法人或其他组织提出的政府信息公开申请",
]
ZERO_REVIEW_LIT = [
    "全年未发生因政府信息公开引起的行政复议、行政诉讼",
    "本年度没有发生政府信息公开行政复议和行政诉讼案件",
    "未发生涉及政府信息公开的行政复议和行政诉讼",
    "全年无政府信息公开行政复议、行政诉讼情况",
]
# t4 numbers: r = review total, l = litigation total (either may be absent -> use the one-sided templates)
REVIEW_LIT = [
    "全年发生政府信息公开行政复议{r}、行政诉讼{l}",
    "本年度因政府信息公开被申请行政复议{r}，被提起行政诉讼{l}",
    "共收到涉及政府信息公开的行政复议申请{r}，行政诉讼{l}",
]
# {z}: a zero statement about the other kind of case
REVIEW_ONLY = ["本年度因政府信息公开被申请行政复议{r}，{z}", "全年发生政府信息公开行政复议案件{r}，{z}"]
ZERO_LIT_PART = ["未发生行政诉讼", "无行政诉讼案件", "没有被提起行政诉讼"]
LIT_ONLY = ["{z}，被提起行政诉讼{l}", "{z}，涉及政府信息公开的行政诉讼{l}"]
ZERO_REVIEW_PART = ["本年度未发生政府信息公开行政复议", "全年无行政复议案件"]

# table 二 facts. v2019 column names: new_made; v2021: issued / repealed / valid
NORMATIVE_V2019 = ["全年制发规范性文件{v}", "本年度新制作规范性文件{v}", "新出台规范性文件{v}"]
NORMATIVE_V2021 = ["全年制发行政规范性文件{v}", "本年度新出台行政规范性文件{v}", "印发行政规范性文件{v}"]
NORMATIVE_REPEALED = ["，废止{v}", "，清理废止{v}"]
NORMATIVE_VALID = ["，现行有效{v}", "，目前现行有效的行政规范性文件共{v}"]
RULES = ["制定政府规章{v}", "本年度新制定规章{v}", "出台规章{v}"]
LICENSE = ["全年办理行政许可事项{v}", "作出行政许可决定{v}", "办理行政许可{v}"]
PENALTY = ["作出行政处罚决定{v}", "全年实施行政处罚{v}", "办理行政处罚案件{v}"]
COERCION = ["实施行政强制{v}", "作出行政强制决定{v}"]
FEES_V2021 = ["收取行政事业性收费{v}", "全年征收行政事业性收费{v}"]
T2_INTRO = ["在主动公开方面，", "主动公开方面，", "", "同时，"]

# narrative-only topics (indicator keys follow pipeline/data/topics.yaml)
WEBSITE = [
    ("通过{site_name}主动公开各类政府信息{n}", "发布"),
    ("全年在{site_name}发布信息{n}", "发布"),
    ("{site_name}累计更新信息{n}", "更新"),
    ("共发布各类信息{n}", "发布"),
]
POLICY_INTERP = [
    "发布政策解读{n}，其中图文解读{a}、视频解读{b}",
    "围绕重要政策开展解读{n}，其中图解{a}，音视频解读{b}",
]
PRESS = ["召开新闻发布会{n}", "举办新闻发布会{n}"]
NEW_MEDIA = [
    "共有政务新媒体{k}，分别是{names}",
    "开设政务新媒体账号{k}，包括{names}",
]
NEW_MEDIA_POSTS = ["，全年发布信息{n}", "，累计推送信息{n}"]
MEDIA_NAMES = ["微信公众号", "政务微博", "抖音号", "头条号", "视频号", "快手号", "客户端"]
MESSAGES = [
    ("收到群众留言{r}，办结{d}", None),
    ("受理网民留言{r}，已全部办结{d}", None),
    ("共收到网民咨询{r}，办结{d}，公开答复{a}", "a"),
    ("通过{site_name}“领导信箱”收到来信{r}，办结{d}", None),
]
HOTLINE = [
    "通过{hotline}政务服务热线受理群众诉求{n}",
    "承办{hotline}热线转办工单{n}",
    "全年办理{hotline}热线诉求{n}",
]
TRAINING = [
    "组织政务公开专题培训{k}，参训{p}",
    "开展政府信息公开业务培训{k}，培训{p}",
    "举办政务公开培训班{k}，共培训工作人员{p}",
]
IT_SPENDING = [
    "全年投入网站运维经费{x}",
    "每年投入{x}用于平台维护",
    "投入信息化建设资金{x}",
]
GAZETTE = ["编印政府公报{k}，刊登规范性文件{n}", "全年编发政府公报{k}"]
OPEN_DAY = ["举办“政府开放日”活动{k}", "开展政府开放活动{k}"]
PROPOSALS = [
    "办理人大代表建议{a}、政协委员提案{b}，办结率{pct}",
    "全年承办人大代表建议{a}和政协提案{b}，按时办结率{pct}",
]
INFO_FEE_ZERO = ["本年度未收取信息处理费", "本机关未收取信息处理费", "{year_t}度没有收取信息处理费"]
INFO_FEE = ["本年度共发出收费通知{k}，收取信息处理费{x}。", "全年收取信息处理费{x}。"]
S6_NONE = ["无。", "无其他需要报告的事项。", "本年度无其他需要报告的事项。"]

# filler sentences and distractors (no quantities)
FILLER_S1 = [
    "我{unit_short}认真贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，坚持以公开为常态、不公开为例外",
    "围绕中心工作，持续深化决策、执行、管理、服务、结果公开",
    "严格落实政府信息公开审查机制，做好保密审查",
    "进一步规范依申请公开办理流程，确保答复内容合法、规范",
    "认真落实《条例》{art}规定，及时公开规章、规范性文件等重点信息",
    "{date}，召开全{unit_short}政务公开工作推进会，部署年度重点任务",
    "对照《条例》{art}、第二十一条要求，梳理完善主动公开基本目录",
    "按照{work_doc}要求，细化年度任务分工",
    "深入学习宣传贯彻党的{congress}精神，推进政务公开标准化规范化建设",
    "定期对门户网站进行检查，及时更新栏目内容",
    "将政务公开工作纳入年度绩效考核，考核分值占比不断提高",
]
WORK_DOCS = ["《{c}市{year_y}政务公开工作要点》（{docno}）", "《关于做好{year_y}政务公开工作的通知》（{docno}）"]
DOC_NUMBER_FORMS = ["{c_short}政办发〔{year}〕{k}号", "{c_short}政办函〔{year}〕{k}号", "{c_short}办发〔{year}〕{k}号"]
FILLER_DATES = ["3月15日", "4月2日", "6月18日", "9月8日", "11月20日"]
CONGRESSES = ["十九大和十九届历次全会", "二十大", "十九届五中全会", "二十届三中全会"]
PROBLEMS_INTRO = ["存在的主要问题：", "主要问题：", "一年来，我{unit_short}政府信息公开工作取得了一定成效，但也存在一些不足。"]
PROBLEMS = [
    "公开内容的深度和广度仍需拓展",
    "政策解读形式还不够丰富",
    "工作人员业务水平有待进一步提高",
    "依申请公开答复的规范性有待加强",
    "基层政务公开标准化规范化建设推进不够平衡",
]
IMPROVE_INTRO = ["改进措施：", "下一步，我{unit_short}将重点做好以下工作：", "针对上述问题，"]
IMPROVE = [
    "加强业务培训，提升工作人员专业能力",
    "丰富政策解读形式，提高解读质量",
    "严格执行保密审查制度，确保公开信息准确",
    "加强网站内容保障，及时更新公开目录",
    "进一步规范依申请公开办理程序",
]
ORDINALS = ["一是", "二是", "三是", "四是"]
SIGNATURE_DATES = ["{year1}年1月{d}日", "{year1}年2月{d}日", "{year1}年1月{d}日"]
CUTOFFS = ["12月31日", "年底", "年末"]
HOTLINES = ["12345"]
SITE_NAMES = ["政府门户网站", "门户网站", "政府网站", "官方网站"]

# measure words by claim kind
UNIT_APPS = ["件"]
UNIT_CASES = ["件", "起", "宗", "件"]
UNIT_DOCS = ["件", "件", "份"]
