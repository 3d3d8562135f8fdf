"""The reader's language for page chrome and labels: ``?lang=zh|en`` (remembered in a cookie), else the cookie,
else ``Accept-Language``; Chinese when nothing says. Figures and glossary definitions stay as printed."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, g, request

LANGUAGES = ("zh", "en")
COOKIE = "lang"

#: Page chrome in both languages: key → (Chinese, English).
CHROME: dict[str, tuple[str, str]] = {
    "site": ("部门预算知识图谱", "Budget knowledge graph"),
    "home": ("首页", "Home"),
    "catalogue": ("数据目录", "Catalogue"),
    "departments": ("部门", "Departments"),
    "glossary": ("名词解释", "Glossary"),
    "codes": ("科目与代码", "Codes"),
    "codes_intro": ("数据所用的分类科目（功能分类、经济分类，按年度，类/款/项）与代码表，每个代码附中英文名称。",
                    "The classifications (functional and economic, per year, in 类/款/项) and code lists the data "
                    "uses, each code with its Chinese and English names."),
    "classifications": ("分类科目", "Classifications"),
    "code_lists": ("代码表", "Code lists"),
    "codes_count": ("{n}个代码", "{n} codes"),
    "levels": ("层级", "levels"),
    "printed_lines": ("公开文本所列的{n}个项目", "{n} lines printed by the disclosures"),
    "search": ("搜索", "Search"),
    "search_placeholder": ("搜索 部门、项目、名词", "Search departments, items, terms"),
    "data_version": ("数据版本", "data version"),
    "licence": ("许可", "licence"),
    "switch": ("English", "中文"),
    "home_title": ("部门预算与决算公开知识图谱", "Departmental budgets and final accounts as linked data"),
    "home_intro": ("各部门公开的预算、决算文本中的数字、声明、职责与名词解释；每个数字都链接到它在原文中的那句话。",
                   "The figures, statements, duties and glossaries of Chinese departments' budget and final-account "
                   "disclosures; every figure links back to the sentence of the document it was read from."),
    "home_departments": ("按地区列出的各部门及其历年公开", "every department by region, with its disclosures by year"),
    "home_glossary": ("各文本的名词解释并列", "every term the disclosures define, their definitions side by side"),
    "home_codes": ("功能分类、经济分类与代码表", "the functional and economic classifications and the code lists"),
    "vocabulary": ("词汇", "Vocabulary"),
    "home_def": ("数据所用的类与属性", "the classes and properties of the data"),
    "home_sparql": ("查询编辑器与示例查询", "query editor and example queries"),
    "home_catalogue": ("DCAT 数据目录与下载", "DCAT catalogue and downloads"),
    "datasets_heading": ("数据集", "Datasets"),
    "dataset": ("数据集", "Dataset"),
    "kind": ("类型", "Kind"),
    "figures_count": ("数字", "Figures"),
    "triples": ("三元组", "Triples"),
    "named_graphs": ("命名图", "Named graphs"),
    "triples_count": ("{n}个三元组", "{n} triples"),
    "at_a_glance": ("预算概览", "At a glance"),
    "headline_note": ("取每个数字在文中第一次出现之处（表中重复印出的数字只计一次）；每个金额都链接到它所在的那句话。",
                      "First printing of each figure in the document (a figure printed again in a table counts "
                      "once); each amount links to the sentence it was read from."),
    "spending_by_function": ("按功能分类的支出", "Spending by function"),
    "function_chart": ("按功能分类（类）的支出柱状图；数字见下表", "Bar chart of spending by function class (类); the "
                       "same figures are in the table below"),
    "code": ("科目编码", "Code"),
    "function_class": ("功能分类", "Function"),
    "share": ("占比", "Share"),
    "classes_sum": ("类合计", "Sum of the classes"),
    "spreadsheets": ("表格下载", "Figures for spreadsheets"),
    "quality_findings": ("质量问题", "Quality findings"),
    "findings_intro": ("源文件本身的问题，由下列检查发现；每个问题都指明出错的节点。",
                       "The source document's own faults, found by the checks named below; each finding names the "
                       "node at fault."),
    "severity_violation": ("错误", "Violation"),
    "severity_warning": ("警告", "Warning"),
    "severity_info": ("提示", "Note"),
    "finding": ("问题", "finding"),
    "source_text": ("原文", "Source text"),
    "characters": ("第{start}–{end}个字符", "characters {start}–{end}"),
    "span": ("文本片段", "span"),
    "document": ("源文件", "document"),
    "quote_differs": ("引文与该位置的字符不一致", "quoted text differs from the characters at these offsets"),
    "first_datasets": ("共 {total} 个数据集，此处列出前 {shown} 个：", "The first {shown} of {total} data sets:"),
    "more_in_catalogue": ("在数据目录中查看更多", "more in the catalogue"),
    "first_graphs": ("共 {total} 个命名图，此处列出前 {shown} 个；全部见",
                     "The first {shown} of {total} named graphs; all of them are in the"),
    "service_description": ("服务描述", "service description"),
    "figures_as_printed": ("数据", "Figures as printed"),
    "filter_what": ("按项目、金额、科目或出处筛选", "Filter by item, amount, code or section"),
    "filter": ("筛选", "Filter"),
    "shown": ("条", "shown"),
    "show_all": ("全部", "show all"),
    "number": ("序", "No."),
    "amount": ("金额", "Amount"),
    "section": ("出处", "Section"),
    "reprint_title": ("重复印出：只计一次", "printed again: counted once"),
    "reprint_mark": ("重", "again"),
    "first_shown": ("只列出前{n}条；全部请查询", "First {n} shown; for all, query"),
    "compared_with_last_year": ("与上年比较", "Compared with last year"),
    "statement": ("陈述", "Statement"),
    "this_year": ("本年（万元）", "This year (万元)"),
    "stated_change": ("陈述的增减（万元）", "Stated change (万元)"),
    "stated_percent": ("陈述的增减率", "Stated %"),
    "recomputed_percent": ("重算的增减率", "Recomputed %"),
    "direction_unclear": ("方向不明", "direction unclear"),
    "changes_note": ("重算：陈述的增减额除以上年金额（陈述中印出的，或本年金额减去增减额）。"
                     "“?”表示陈述的方向用词互相矛盾，见下方质量报告。",
                     "Recomputed: the stated change over last year's amount (printed in the statement, or this "
                     "year's less the change). “?” marks a statement whose direction words contradict each other; "
                     "the quality report below says which."),
    "disclosures_by_year": ("历年公开", "Disclosures by year"),
    "key_figures": ("主要数字", "Key figures"),
    "wan_yuan": ("万元", "in 万元 (10,000 yuan)"),
    "item": ("项目", "Item"),
    "year": ("年度", "Year"),
    "profile_chart": ("各份公开的支出合计柱状图；数字见下表", "Bar chart of total expenditure in each disclosure; the "
                      "same figures are in the table below"),
    "profile_change_note": ("变化：与上一份同类公开相比（预算比预算，决算比决算）。",
                            "Change: against the previous disclosure of the same kind (budget with budget, final "
                            "accounts with final accounts)."),
    "budget_execution": ("预算执行", "Budget execution"),
    "execution_rate": ("执行率", "Execution rate"),
    "departments_intro": ("已公开预算或决算的各部门，按地区列出；每个部门链接到其页面和历年公开。",
                          "Every department with a published disclosure, by region; each links to its page and its "
                          "disclosures by year."),
    "department": ("部门", "Department"),
    "disclosures": ("公开", "Disclosures"),
    "glossary_intro": ("各份公开文本所解释的名词，各文本的释义按原文并列；共{n}个名词。",
                       "Every term the disclosures define, with each disclosure's definition as printed side by "
                       "side; {n} terms."),
    "terms": ("名词", "Terms"),
    "search_what": ("部门、项目、名词或科目编码", "Department, item, term or code"),
    "results_for": ("“{q}”的{n}个结果", "{n} results for “{q}”"),
    "nothing_found": ("没有找到。可以减少字数、用部门简称，或浏览", "Nothing found. Try fewer characters or the "
                      "department's short name, or browse"),
    "duties_and_units": ("职责与内设机构", "Duties and internal units"),
    "duties": ("主要职责", "Duties"),
    "units": ("内设机构", "Internal units"),
    "kind_budget": ("预算", "budget"),
    "kind_final": ("决算", "final accounts"),
    "version": ("版本", "version"),
    "contents": ("目录", "Contents"),
    "classes": ("类", "Classes"),
    "properties": ("属性", "Properties"),
    "property": ("属性", "Property"),
    "structure": ("数据结构与质量度量", "Data structure and quality metrics"),
    "external_terms": ("所用外部词汇", "Terms of other vocabularies"),
    "external_intro": ("本词汇对其所用的其他标准词汇（OpenBudgets.eu、SDMX 等）的本地说明。",
                       "How this vocabulary uses the terms of other standards it builds on (OpenBudgets.eu, SDMX, …)."),
    "code_list": ("代码表", "Code list"),
    "code_lists_intro": ("编码维度及其取值所属的代码表；各代码表的全部代码见",
                         "The coded dimensions and the code lists their values come from; every code of each is on"),
    "example_queries": ("示例查询", "Example queries"),
    "open_in_sparql": ("在 SPARQL 查询页中打开", "Open on the SPARQL page"),
    "referenced_by": ("指向此处", "Referenced by"),
    "page": ("第{n}页", "page {n}"),
    "previous_page": ("上一页", "previous page"),
    "next_page": ("下一页", "next page"),
    "releases": ("历次发布", "Releases"),
    "releases_intro": ("本站保留的各个发布版本，最新在前；每个版本可按其版本号引用和下载。数据目录列出同样的版本。",
                       "The releases kept here, newest first; each can be cited and downloaded by its version. "
                       "The catalogue lists the same versions."),
    "issued": ("发布时间", "issued"),
    "datasets": ("数据集", "datasets"),
    "quads": ("四元组", "quads"),
    "downloads": ("下载", "downloads"),
    "current": ("当前版本", "current"),
    "previous": ("上一版本", "previous"),
    "diff": ("版本差异", "Changes between releases"),
    "change": ("变更", "change"),
    "change_added": ("新增", "added"),
    "change_removed": ("删除", "removed"),
    "change_changed": ("变更", "changed"),
    "figures": ("数字", "figures"),
    "findings": ("质量问题", "quality findings"),
    "figure": ("数字（金额以元计）", "figure (amounts in yuan)"),
    "before": ("原", "before"),
    "after": ("新", "after"),
    "concerns": ("所涉对象", "concerns"),
}


def current_language() -> str:
    """The language of this request's page (see the module docstring)."""
    if "lang" not in g:
        asked = request.args.get("lang", "")
        remembered = request.cookies.get(COOKIE, "")
        if asked in LANGUAGES:
            g.lang = asked
        elif remembered in LANGUAGES:
            g.lang = remembered
        else:
            g.lang = request.accept_languages.best_match(LANGUAGES, default="zh") or "zh"
    return str(g.lang)


def chrome(key: str) -> str:
    """A piece of page chrome in the reader's language."""
    zh, en = CHROME[key]
    return en if current_language() == "en" else zh


def switch_href() -> str:
    """This page in the other language (the same path and query, ``lang`` flipped)."""
    other = "zh" if current_language() == "en" else "en"
    args = [(k, v) for k, values in request.args.lists() if k != "lang" for v in values]
    return f"{request.script_root}{request.path}?{urlencode([*args, ('lang', other)])}"


def install(app: Flask) -> None:
    app.add_template_global(chrome, "chrome")
    app.add_template_global(current_language, "current_language")
    app.add_template_global(switch_href, "switch_href")

    @app.after_request
    def remember(response: Response) -> Response:
        asked = request.args.get("lang", "")
        if asked in LANGUAGES and response.mimetype == "text/html":
            response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
        if response.mimetype == "text/html":
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response
