"""The printed words of budget disclosures and the code-list notations they stand for.

One table per kind of word. Each is a tuple of ``(printed word, notation)`` tried in order, the most
specific word first: a label takes the notation of the first word it contains (:func:`code_of`), so
事业单位经营收入 is OPERATING before 事业收入 could make it BUSINESS. Notations are those of
``ontology/codelists.ttl`` (fund-source, item, expenditure-type) or of the OBEU budget phases;
``tests/extract/test_lexicon.py`` checks every one against the code lists.

A template variant that prints a known thing in other words (专业性名词解释 for 名词解释, 事业单位经营收入
for 经营收入) is a new row here plus a sentence in ``tests/extract/readers/`` — no reader changes.

>>> code_of("一般公共预算财政拨款收入", FUND_SOURCES), code_of("事业单位经营收入", FUND_SOURCES)
('GENERAL_PUBLIC', 'OPERATING')
>>> code_of("公务用车购置费", SANGONG_ITEMS), code_of("全年预算数", PHASES)
('VEHICLE_PURCHASE', 'revised')
"""

from __future__ import annotations

#: (printed word, notation) pairs, most specific first.
Words = tuple[tuple[str, str], ...]

# ---- fund sources (code:fund-source) -----------------------------------------------------------------
#: The three fiscal funds (财政拨款 is all three together).
FISCAL_FUNDS: Words = (("一般公共预算", "GENERAL_PUBLIC"), ("政府性基金", "GOV_FUND"),
                       ("国有资本经营", "STATE_CAPITAL"))
#: What a table title or a fund line names as the money's scope.
FUND_SCOPES: Words = (*FISCAL_FUNDS, ("财政专户", "SPECIAL_ACCOUNT"), ("财政拨款", "FISCAL"))
#: The other revenue kinds (收入来源), 经营 before 事业 (事业单位经营收入 is operating revenue).
REVENUE_KINDS: Words = (
    ("事业单位经营", "OPERATING"), ("经营收入", "OPERATING"), ("事业收入", "BUSINESS"),
    ("上级补助", "HIGHER_SUBSIDY"), ("附属单位", "SUBORDINATE"), ("其他收入", "OTHER"), ("上年结转", "CARRY_OVER"),
)
#: Balances brought forward, named on revenue lines (上年财政拨款结转 is a carry-over, not fiscal revenue).
CARRY_OVER: Words = (("结转", "CARRY_OVER"), ("结余", "CARRY_OVER"))
#: Any revenue or expenditure line's fund source: named funds, then revenue kinds, then 财政拨款 itself.
FUND_SOURCES: Words = (*FUND_SCOPES[:-1], *REVENUE_KINDS, *CARRY_OVER, FUND_SCOPES[-1])

# ---- "三公" parts (code:item) ---------------------------------------------------------------------------
SANGONG_ITEMS: Words = (
    ("公务用车购置及运行", "OFFICIAL_VEHICLES"), ("公务用车购置", "VEHICLE_PURCHASE"),
    ("公务用车运行", "VEHICLE_OPERATION"), ("因公出国", "OVERSEAS_TRAVEL"), ("公务接待", "OFFICIAL_RECEPTION"),
)
#: A "三公" table prints the vehicle parts as 小计 / 购置费 / 运行费 under a 公务用车购置及运行费 header.
SANGONG_COLUMNS: Words = (SANGONG_ITEMS[0], ("小计", "OFFICIAL_VEHICLES"), ("购置", "VEHICLE_PURCHASE"),
                          ("运行", "VEHICLE_OPERATION"), *SANGONG_ITEMS[3:])
#: The three items that make up "三公" by definition, each with the items that stand for it and its name.
SANGONG_WHOLE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("OVERSEAS_TRAVEL", ("OVERSEAS_TRAVEL",), "因公出国（境）费"),
    ("OFFICIAL_RECEPTION", ("OFFICIAL_RECEPTION",), "公务接待费"),
    ("OFFICIAL_VEHICLES", ("OFFICIAL_VEHICLES", "VEHICLE_PURCHASE", "VEHICLE_OPERATION"), "公务用车购置及运行费"),
)

# ---- procurement reserved for and awarded to SMEs (code:item) ------------------------------------------
#: What a procurement sentence says about small and medium-sized enterprises, by the words of the clause
#: before its amount, most specific first: budgets print the amounts reserved (面向中小企业预留…，其中，预留给
#: 小型和微型企业…), final accounts also what SMEs won (在面向中小企业预留的…中，由中小企业供应商中标或成交的，采购
#: 金额…; 在其他政府采购项目中…) or the contracts awarded to them (授予中小企业合同金额…，其中：授予小微企业…).
SME_PROCUREMENT: Words = (
    ("其他政府采购项目", "SME_AWARDED_OTHER"),
    ("小微企业供应商中标或成交", "SMALL_MICRO_AWARDED_RESERVED"), ("中小企业供应商中标或成交", "SME_AWARDED_RESERVED"),
    ("授予小微企业", "SMALL_MICRO_AWARDED"), ("授予小型和微型企业", "SMALL_MICRO_AWARDED"),
    ("授予中小企业", "SME_AWARDED"),
    ("面向小微企业预留", "SMALL_MICRO_RESERVED"), ("预留给小型和微型企业", "SMALL_MICRO_RESERVED"),
    ("预留给小微企业", "SMALL_MICRO_RESERVED"), ("面向中小企业预留", "SME_RESERVED"),
)
#: Which of them is a share of which (small and micro enterprises are among the SMEs).
SME_PART_OF = {"SMALL_MICRO_RESERVED": "SME_RESERVED", "SMALL_MICRO_AWARDED_RESERVED": "SME_AWARDED_RESERVED",
               "SMALL_MICRO_AWARDED": "SME_AWARDED"}

# ---- vehicles and performance management (code:count-kind, code:item) -----------------------------------
#: Vehicles by type as the state-assets section lists them (共有车辆7辆，其中：部级领导干部用车0辆、…其他用车7辆).
VEHICLE_TYPES: Words = (
    ("部级领导干部用车", "VEHICLES_MINISTERIAL"), ("主要领导干部用车", "VEHICLES_PRINCIPAL"),
    ("机要通信用车", "VEHICLES_CONFIDENTIAL"), ("应急保障用车", "VEHICLES_EMERGENCY"),
    ("执法执勤用车", "VEHICLES_LAW_ENFORCEMENT"), ("特种专业技术用车", "VEHICLES_SPECIAL"),
    ("离退休干部用车", "VEHICLES_RETIRED"), ("一般公务用车", "VEHICLES_GENERAL"), ("其他用车", "VEHICLES_OTHER"),
)
#: The stages of performance management whose projects a disclosure counts (编报绩效目标的项目50个; a 决算 also
#: 绩效跟踪评价的2024年度项目4个 and 绩效自评的…), each with the item of the funds it states for them.
PERFORMANCE_STAGES: Words = (("绩效目标", "PERF_PROJECTS_SET"), ("绩效跟踪", "PERF_PROJECTS_MONITORED"),
                             ("绩效自评", "PERF_PROJECTS_SELF_EVALUATED"))
PERFORMANCE_FUNDS_ITEMS: Words = (("绩效目标", "_T"), ("绩效跟踪", "PERF_MONITORED"),
                                  ("绩效自评", "PERF_SELF_EVALUATED"))
#: The ratings of self-evaluated projects (绩效评级为“优”的项目4个), 不合格 before the 合格 it contains.
PERFORMANCE_RATINGS: Words = (("不合格", "PERF_RATED_FAIL"), ("合格", "PERF_RATED_PASS"), ("良", "PERF_RATED_GOOD"),
                              ("优", "PERF_RATED_EXCELLENT"))

# ---- balances of a 决算 summary (code:item) -------------------------------------------------------------
BALANCES: Words = (("年初", "YEAR_START_BALANCE"), ("年末", "YEAR_END_BALANCE"),
                   ("使用非财政拨款结余", "SURPLUS_USE"), ("结余分配", "SURPLUS_DISTRIBUTION"))

# ---- budget phases (OBEU budget-phase) ------------------------------------------------------------------
#: Words next to a figure or in a column header naming its phase, whatever the document's kind.
PHASES: Words = (("年初预算", "approved"), ("全年预算", "revised"), ("调整预算", "revised"), ("决算", "executed"))
#: Column headers also say 执行数 for the executed figure.
PHASE_COLUMNS: Words = (*PHASES, ("执行", "executed"))
#: The phase of a document of each kind.
PHASE_OF_KIND = {"budget": "approved", "final": "executed"}

# ---- expenditure types (code:expenditure-type) ----------------------------------------------------------
EXPENDITURE_TYPES: Words = (("基本支出", "BASIC"), ("项目支出", "PROJECT"), ("人员经费", "PERSONNEL"),
                            ("公用经费", "PUBLIC_OPERATING"))

# ---- directions of a stated change (code:direction) -----------------------------------------------------
#: A change statement's direction words, each a whole printed word (增 / 减 as in 增长15%、减少3项).
DIRECTIONS: Words = (
    ("增加", "INCREASE"), ("增长", "INCREASE"), ("上升", "INCREASE"), ("提高", "INCREASE"), ("增", "INCREASE"),
    ("减少", "DECREASE"), ("下降", "DECREASE"), ("降低", "DECREASE"), ("减", "DECREASE"),
    ("持平", "NO_CHANGE"), ("不变", "NO_CHANGE"), ("无变化", "NO_CHANGE"), ("一致", "NO_CHANGE"), ("相同", "NO_CHANGE"),
)
#: Direction word → direction (words are matched whole: a statement keeps the words it printed).
DIRECTION_OF_WORD = dict(DIRECTIONS)

# ---- government levels ----------------------------------------------------------------------------------
#: One-character level names as in 区级 / 市级 (a disclosure's title and its template wording).
LEVELS = "省市区县"

# ---- English names of printed terms (glossary terms, printed lines that have no code) ----------------------
#: A term a disclosure defines (名词解释) or a line it prints without a code (项目, 政府采购) → its English name,
#: for the concept we mint for it (``skos:prefLabel @en``; the definition stays as printed). Terms are looked up
#: as :func:`english_name` normalises them. A term naming a classification item (X（类）Y（款）Z（项）) takes the
#: English names of the codes instead (``data/codelists/``). ``tests/corpus/test_english_labels.py`` checks that
#: every term and line of the corpus has one: a new one is a new row here.
ENGLISH_NAMES: dict[str, str] = {
    # glossary terms
    "三公经费": "three public expenses (overseas travel, official vehicles, official receptions)",
    "机关运行经费": "running costs of the administration",
    "财政拨款收入": "fiscal appropriation revenue",
    "一般公共预算财政拨款收入": "general public budget fiscal appropriation revenue",
    "政府性基金收入": "government fund revenue",
    "政府性基金预算财政拨款收入": "government fund budget fiscal appropriation revenue",
    "行政事业性收费收入": "administrative and public-institution fee revenue",
    "事业收入": "revenue from public-service activities",
    "事业单位经营收入": "operating revenue of public institutions",
    "经营收入": "operating revenue",
    "其他收入": "other revenue",
    "基本支出": "basic expenditure",
    "基本支出预算": "basic expenditure budget",
    "项目支出": "project expenditure",
    "项目支出预算": "project expenditure budget",
    "经营支出": "operating expenditure",
    "年初结转和结余": "balances brought forward at the start of the year",
    "年末结转和结余": "balances carried forward at the end of the year",
    # printed lines without a code: procurement and projects
    "政府采购货物预算": "government procurement budget: goods",
    "政府采购工程预算": "government procurement budget: works",
    "政府采购服务预算": "government procurement budget: services",
    "货物采购金额": "procurement of goods",
    "工程采购金额": "procurement of works",
    "服务采购金额": "procurement of services",
    "中介机构服务费": "intermediary services",
    "信息化系统日常维护费": "routine maintenance of information systems",
    "援滇干部工作经费": "work funds for cadres assisting Yunnan",
    "财政业务费": "finance operations",
    "政务服务大厅搬迁费": "relocation of the government service hall",
    "新搬迁政务服务大厅办公设备购置费": "office equipment for the relocated government service hall",
    "车位租赁费": "parking space rental",
    "第一季度用款计划": "spending plan, first quarter",
    "第二季度用款计划": "spending plan, second quarter",
    "第三季度用款计划": "spending plan, third quarter",
    "第四季度用款计划": "spending plan, fourth quarter",
}


def english_name(term: str) -> str | None:
    """The English name of a printed term, or None when :data:`ENGLISH_NAMES` has none.

    >>> english_name("“三公”经费")
    'three public expenses (overseas travel, official vehicles, official receptions)'
    >>> english_name("没有的词") is None
    True
    """
    key = "".join(term.split()).translate(_QUOTES)
    return ENGLISH_NAMES.get(key)


_QUOTES = str.maketrans("", "", "“”\"\'‘’「」")

#: Every table above that maps to a code list, with the scheme its notations belong to (for the test).
CODED: tuple[tuple[str, Words], ...] = (
    ("fund-source", FUND_SOURCES), ("item", SANGONG_COLUMNS), ("item", BALANCES), ("item", SME_PROCUREMENT),
    ("count-kind", VEHICLE_TYPES), ("count-kind", PERFORMANCE_STAGES), ("item", PERFORMANCE_FUNDS_ITEMS[1:]),
    ("count-kind", PERFORMANCE_RATINGS),
    ("expenditure-type", EXPENDITURE_TYPES), ("budget-phase", PHASE_COLUMNS), ("direction", DIRECTIONS),
)


def code_of(text: str, words: Words) -> str | None:
    """The notation of the first word of ``words`` that ``text`` contains, or None."""
    return next((code for word, code in words if word in text), None)


def alternation(words: Words) -> str:
    """A regular-expression alternation of the printed words (longest first, so none shadows a longer one)."""
    return "|".join(sorted({word for word, _ in words}, key=len, reverse=True))
