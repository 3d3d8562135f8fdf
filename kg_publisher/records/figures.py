"""Money figures, counts and ratios of the narrative sections (收支, 三公, 机关运行经费, 采购, 资产, 绩效).

Each reader works inside one section found by :mod:`.sections` and records every figure where
it is printed: the same figure printed in two sections is two facts (the second key gets the
section code appended), so validation can compare them. A figure is recorded with the label
printed next to it; year-over-year clauses right after a figure become its
:class:`ChangeStatement`. Decisions on completeness of breakdowns (``breakdown_complete``):

* a list introduced by ``包括：`` or ``分项目如下`` is complete; by ``主要包括`` / ``其中`` it is not
  (机关运行经费 "主要包括：…" → incomplete; 资产总额 "其中，流动资产…固定资产…" → incomplete);
* "三公" and 公务用车购置及运行费 are complete by definition (the three 三公 items, 购置 + 运行),
  whatever word introduces them; so is a 政府采购 "其中" list of exactly 货物 / 工程 / 服务.

A budget that prints a fund's revenue and expenditure (一般公共预算财政拨款收入…, 政府性基金预算支出…)
but no total publishes them without ``part_of``, so validation can report the missing total. Parts
printed in a phase pair (年初预算 … 支出决算 …) are ``part_of`` the total of their own phase.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..codelists import CodeList
from .changes import compared_year, read_clause, read_reason, to_statement
from .context import ReadingContext, SectionReading, phase_of
from .flow import Flowed
from .lexicon import (
    FUND_SOURCES,
    PERFORMANCE_FUNDS_ITEMS,
    PERFORMANCE_RATINGS,
    PERFORMANCE_STAGES,
    SANGONG_WHOLE,
    SME_PART_OF,
    SME_PROCUREMENT,
    VEHICLE_TYPES,
    alternation,
    code_of,
)
from .model import (
    Amount,
    AmountFact,
    CountStatement,
    RatioStatement,
    Readings,
    Section,
    TextDefect,
)
from .patterns import AMOUNT, CJK, PERCENT_NUMBER, amount_of, percent_of, unwrap
from .projects import read_performance_projects

_AMOUNT = AMOUNT.pattern
#: Words allowed between a label and its number ("预算支出安排", "预算数为").
_FILLER = r"(?P<filler>(?:(?!增加|减少|增长|下降|持平|比|较)[^\d，。；：:、\n,;（）()]){0,14}?)"

#: Totals are not preceded by a fund qualifier (财政拨款支出预算 is a part, not the total).
_NOT_QUALIFIED = r"(?<!拨款)(?<!基金)(?<!经营)(?<!资本)(?<!资金)"
_REVENUE_TOTAL = re.compile(rf"{_NOT_QUALIFIED}(?P<label>收入预算|收入总计|本年收入合计|收入合计){_FILLER}{_AMOUNT}")
#: 收入支出总计 of a final account is the grand total of both sides, not the expenditure total.
_EXPENDITURE_TOTAL = re.compile(
    rf"{_NOT_QUALIFIED}(?<!收入)(?P<label>支出预算|支出总计|本年支出合计|支出合计){_FILLER}{_AMOUNT}"
)
_REVENUE_LINE = re.compile(rf"(?<![{CJK}])(?P<label>[{CJK}（）\n]{{2,24}}?(?:收入|结转|结余)){_AMOUNT}")
#: A fund's own revenue or expenditure ("2018年一般公共预算财政拨款收入324970.32万元"), printed as the
#: sentence's subject (after a year, punctuation or nothing), with a closed set of words before the number.
_FUND_FIGURE = re.compile(
    rf"(?:(?<=[年度，,。；;：:\s])|^)(?P<label>(?P<fund>一般公共预算|政府性基金(?:预算)?|国有资本经营预算)"
    rf"(?:财政拨款)?(?:预算)?(?P<side>收入|支出))(?P<filler>(?:预算|安排|为|共计|合计)*)\s*{_AMOUNT}",
    re.MULTILINE,
)
#: A fund's expenditure line after the total: 财政拨款支出预算 / 一般公共预算拨款支出预算 / 政府性基金拨款支出 ….
_EXPENDITURE_LINE = re.compile(
    rf"(?P<label>(?:财政拨款|(?:一般公共预算|政府性基金(?:预算)?|国有资本经营预算)(?:财政)?拨款)支出(?:预算)?)"
    rf"{_FILLER}{_AMOUNT}"
)
#: Where a summary goes on to what the money is spent on (the classified items).
_SPENDING_LIST = re.compile(r"主要内容|（类）|具体(?:情况|安排)")
_FUND_SLUGS = {"GENERAL_PUBLIC": "general-public", "GOV_FUND": "gov-fund", "STATE_CAPITAL": "state-capital"}
_BASIC = re.compile(rf"(?P<label>基本支出)\s*{_AMOUNT}")
_PROJECT = re.compile(rf"(?P<label>项目支出)\s*{_AMOUNT}")
#: A note in brackets between a label and its number: "政府采购金额（以合同签订为准）为251.25万元".
_NOTE = r"(?:[（(][^（）()\d\n]{1,20}[）)])"
#: The procurement total's label is closed: "政府采购项目预算金额" (reserved for SMEs …) is another figure.
_PROCUREMENT_TOTAL = re.compile(
    rf"(?<!预留)(?P<label>政府采购)(?P<filler>(?:预算|支出|资金)?(?:安排|总额|金额|合计|总计|共计)?{_NOTE}?"
    rf"(?:为|共|计|[:：])?\s*){_AMOUNT}"
)
_DEBT_TOTAL = re.compile(rf"(?P<label>债务支出){_FILLER}{_AMOUNT}")
_SERVICES_TOTAL = re.compile(rf"(?P<label>政府购买服务){_FILLER}{_AMOUNT}")
_SANGONG_TOTAL = re.compile(rf"(?P<label>“?三公”?经费){_FILLER}{_AMOUNT}")
_RUNNING_COST_TOTAL = re.compile(rf"(?P<label>机关运行经费|运行经费){_FILLER}{_AMOUNT}")
_LIST_ITEM = re.compile(rf"(?<![{CJK}）)”])(?P<label>[{CJK}（）()“”\n]{{2,30}}?){_AMOUNT}")
_ASSET_DATE = re.compile(r"截[至止]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

#: "三公" parts: (key, item code, pattern); vehicles purchase/operation are parts of the vehicles line.
_SANGONG_PARTS = (  # the operation label may have lost its head in the source (车运行维护费)
    ("sangong-overseas", "OVERSEAS_TRAVEL", rf"(?P<label>因公出国[（(]境[）)]费用?){_FILLER}{_AMOUNT}"),
    ("sangong-reception", "OFFICIAL_RECEPTION", rf"(?P<label>公务接待费){_FILLER}{_AMOUNT}"),
    ("sangong-vehicles", "OFFICIAL_VEHICLES", rf"(?P<label>公务用?车购置及运行(?:维护)?费){_FILLER}{_AMOUNT}"),
    ("sangong-vehicle-purchase", "VEHICLE_PURCHASE", rf"(?P<label>公务用?车购置费){_FILLER}{_AMOUNT}"),
    ("sangong-vehicle-operation", "VEHICLE_OPERATION",
     rf"(?P<label>(?:公务用?)?车(?:用车)?运行(?:维护)?费){_FILLER}{_AMOUNT}"),
)


def fund_source(label: str) -> str | None:
    """Fund source code of a revenue line label.

    >>> fund_source("一般公共预算收入"), fund_source("事业单位经营收入"), fund_source("上年结转")
    ('GENERAL_PUBLIC', 'OPERATING', 'CARRY_OVER')
    """
    return code_of(label, FUND_SOURCES)


def _first(pattern: re.Pattern[str], source: Flowed, start: int, end: int) -> re.Match[str] | None:
    return pattern.search(source.text, start, end)


def read_budget_summary(ctx: ReadingContext, section: Section) -> Readings:
    """收支总体情况: revenue total and lines, expenditure total, basic/project, procurement/debt/services."""
    book = ctx.reading(section)
    source, (start, end, _) = book.view, book.bounds()
    revenue = _first(_REVENUE_TOTAL, source, start, end)
    expenditure = _first(_EXPENDITURE_TOTAL, source, revenue.end() if revenue else start, end)
    if revenue:
        total = book.add("revenue-total", revenue, operation="revenue", indicator="TOTAL")
        lines_end = expenditure.start() if expenditure else end
        number = 0
        for line in _REVENUE_LINE.finditer(source.text, revenue.end(), lines_end):
            code = fund_source(unwrap(line.group("label")))
            if code is None:
                continue
            number += 1
            book.add(f"revenue-{number:02d}", line, operation="revenue", indicator="TOTAL",
                     fund_source=code, part_of=total.key)
    if expenditure:
        total = book.add("expenditure-total", expenditure, operation="expenditure", indicator="TOTAL",
                         expenditure_type="_T")
        by_type = False
        for base, pattern, kind in (("expenditure-basic", _BASIC, "BASIC"),
                                    ("expenditure-project", _PROJECT, "PROJECT")):
            match = _first(pattern, source, expenditure.end(), end)
            if match:
                by_type = True
                book.add(base, match, operation="expenditure", indicator="TOTAL", expenditure_type=kind,
                         part_of=total.key)
        _expenditure_fund_lines(book, expenditure.end(), end, None if by_type else total)
    if book.phase == "approved":  # a 决算's fund statements are read by .final
        _fund_figures(book, revenue_total=revenue is not None, expenditure_total=expenditure is not None)
    for base, pattern, indicator in (("procurement-total", _PROCUREMENT_TOTAL, "PROCUREMENT"),
                                     ("debt-total", _DEBT_TOTAL, "DEBT"),
                                     ("purchased-services-total", _SERVICES_TOTAL, "PURCHASED_SERVICES")):
        match = _first(pattern, source, start, end)
        if match:
            book.add(base, match, operation="expenditure", indicator=indicator)
    _summary_changes(book)
    return book.out


def _expenditure_fund_lines(book: SectionReading, start: int, end: int,
                            total: AmountFact | None) -> None:
    """"其中：财政拨款支出预算X万元…财政拨款支出预算中，一般公共预算拨款支出预算Y万元；政府性基金…": the fund
    lines after the expenditure total, up to the list of what the money is spent on. 财政拨款 is part of the
    total (unless the total is broken down by 基本/项目 already), the three funds are parts of 财政拨款."""
    source = book.view
    stop = _SPENDING_LIST.search(source.text, start, end)
    fiscal: AmountFact | None = None
    for line in _EXPENDITURE_LINE.finditer(source.text, start, stop.start() if stop else end):
        code = fund_source(line.group("label")) or "_T"
        parent = total if code == "FISCAL" else fiscal or total
        fact = book.add(f"expenditure-{_FUND_SLUGS.get(code, 'fiscal')}", line, operation="expenditure",
                        indicator="TOTAL", fund_source=code, expenditure_type="_T",
                        part_of=parent.key if parent else None)
        if code == "FISCAL":
            fiscal = fact


def _fund_figures(book: SectionReading, *, revenue_total: bool, expenditure_total: bool) -> None:
    """Revenue and expenditure of one fund printed where the section prints no total of that side.

    They are published without ``part_of`` (there is no total to be part of), so validation can say that
    the total is missing; 基本支出 / 项目支出 listed after "其中" are parts of the fund's expenditure.
    """
    source, (start, end, _) = book.view, book.bounds()
    found = list(_FUND_FIGURE.finditer(source.text, start, end))
    for position, match in enumerate(found):
        revenue = match.group("side") == "收入"
        if (revenue and revenue_total) or (not revenue and expenditure_total):
            continue
        code = fund_source(match.group("fund")) or "_T"
        side = "revenue" if revenue else "expenditure"
        dimensions: dict[str, Any] = {"expenditure_type": "_T"} if not revenue else {}  # Any: forwarded as **
        fact = book.add(f"{side}-{_FUND_SLUGS[code]}", match, operation=side, indicator="TOTAL",
                        fund_source=code, **dimensions)
        if revenue:
            continue
        stop = found[position + 1].start() if position + 1 < len(found) else end
        lead = re.compile(r"其中[:：，,]?").search(source.text, match.end(), stop)
        if lead is None:
            continue
        for base, pattern, kind in (("expenditure-basic", _BASIC, "BASIC"),
                                    ("expenditure-project", _PROJECT, "PROJECT")):
            part = _first(pattern, source, lead.end(), stop)
            if part:
                book.add(base, part, operation="expenditure", indicator="TOTAL", fund_source=code,
                         expenditure_type=kind, part_of=fact.key)


_SUMMARY_CHANGE = re.compile(r"(?:(?<=[，,；;。：:])|^)(?P<what>收入|支出)(?=增加|减少|增长|下降|持平)", re.MULTILINE)


def _summary_changes(book: SectionReading) -> None:
    """"2022年预算同上年比较，收入增加…；支出增加…。增减变化的主要原因是…": one claim per total, one reason."""
    source, (start, end, _) = book.view, book.bounds()
    found = []
    for match in _SUMMARY_CHANGE.finditer(source.text, start, end):
        about = book.in_section("revenue-total" if match.group("what") == "收入" else "expenditure-total")
        if about is None or any(c.about == about.key for c in book.out.changes):
            continue
        sentence_start = max(source.text.rfind(ch, 0, match.start()) for ch in "。\n") + 1
        context_year = compared_year(source.text[sentence_start:match.start()], book.year)
        read = read_clause(source, match.end(), end, book.year, needs_comparison=False,
                           context_year=context_year)
        if read is not None and (read.change or read.percent):
            # the claim is quoted with its subject: "收入增加107.84万元/与上年增长15%"
            found.append((about, replace(read, span=source.span(match.start(), read.end))))
    if not found:
        return
    reason = read_reason(source, found[-1][1].end, end)
    for about, read in found:
        book.out.changes.append(to_statement(book.key(f"{about.key}-change"), about.key, read, reason))


#: The executed figure printed right after an approved one: "年初预算为0.95万元，支出决算为0.00万元".
_EXECUTED_PAIR = re.compile(rf"[，,]\s*(?P<label>(?:支出)?决算(?:数)?)为?\s*{_AMOUNT}")
#: Words of a clause before a number that name (or refer back to) what the number is.
_LABEL_WORDS = re.compile(r"费|经费|出国|接待|车|三公|预算|决算|比|较|与|增加|减少|增长|下降|持平")


def read_sangong(ctx: ReadingContext, section: Section) -> Readings:
    """"三公" total, its three parts and the vehicles line's purchase/operation parts.

    A total printed as a phase pair (年初预算 …，支出决算 …) gives two totals; each part is ``part_of`` the
    total of its own phase. An amount of the parts list printed without any item label is left unread and
    recorded as a ``missing-label`` defect; a vehicle line whose label lost its head (车运行维护费) is read
    (no other "三公" item has 运行 costs) and recorded as a defect too.
    """
    book = ctx.reading(section)
    source, (start, end, _) = book.view, book.bounds()
    total_match = _first(_SANGONG_TOTAL, source, start, end)
    totals: dict[str, AmountFact] = {}
    if total_match:
        total = book.add("sangong-total", total_match, operation="expenditure", indicator="SANGONG")
        totals[total.phase] = total
        pair = _EXECUTED_PAIR.match(source.text, total_match.end(), end)
        if pair and total.phase != "executed":
            executed = book.add("sangong-total-executed", pair, operation="expenditure",
                                indicator="SANGONG", phase="executed",
                                label=total.label + unwrap(pair.group("label")))
            totals["executed"] = executed
    vehicles: dict[str, AmountFact] = {}
    for base, item, pattern in _SANGONG_PARTS:
        match = re.compile(pattern).search(source.text, start, end)
        if match is None:
            continue
        phase = phase_of(match, book.phase)
        parent = totals.get(phase)
        if base in ("sangong-vehicle-purchase", "sangong-vehicle-operation") and phase in vehicles:
            parent = vehicles[phase]
        fact = book.add(base, match, operation="expenditure", indicator="SANGONG", item=item,
                        part_of=parent.key if parent else None)
        if base == "sangong-vehicles":
            vehicles[fact.phase] = fact
        if item == "VEHICLE_OPERATION" and not fact.label.startswith("公务"):
            book.out.defects.append(TextDefect("missing-label", fact.span,
                                           f"the item label is cut short: {fact.label!r} (公务用车运行维护费)"))
    if total_match:
        _unlabelled_amounts(book, total_match.end(), totals.get(book.phase))
    return book.out


def _yuan(amount: Amount) -> Decimal:
    return amount.value.scaleb(amount.unit_multiplier)


def _unlabelled_amounts(book: SectionReading, start: int, total: AmountFact | None) -> None:
    """Amounts of a parts list whose clause names nothing: the item label was lost from the text.

    One such amount is read as the one "三公" item not printed when the printed parts and it add up to the
    total exactly (the three items are all of "三公"); any other is left unread. Both are defects.
    """
    view = book.view
    text = view.text
    covered = book.covered()
    unlabelled: list[tuple[re.Match[str], int, str]] = []
    for match in AMOUNT.finditer(text, start, book.bounds()[1]):
        first, last = view.offsets[match.start()], view.offsets[match.end() - 1] + 1
        if any(a <= first and last <= b for a, b in covered):
            continue
        clause_start = max(text.rfind(mark, start, match.start()) for mark in "，,;；:：。（(") + 1
        clause = text[max(clause_start, start):match.start()]
        if _LABEL_WORDS.search(clause) is None:
            unlabelled.append((match, max(clause_start, start), clause.strip()))
    inferred = _by_elimination(book, [m for m, _, _ in unlabelled], total)
    for match, clause_start, clause in unlabelled:
        read = inferred is not None and inferred.span.end == view.offsets[match.end() - 1] + 1
        what = f"read by elimination as {inferred.label}" if inferred is not None and read else "left unread"
        book.out.defects.append(TextDefect(
            "missing-label", view.span(clause_start, match.end()),
            (f"an amount of the \u201c三公\u201d parts is printed without its item: {clause}{match.group(0)!s} "
             f"— {what}")))


def _by_elimination(book: SectionReading, unlabelled: list[re.Match[str]],
                    total: AmountFact | None) -> AmountFact | None:
    if total is None or len(unlabelled) != 1:
        return None
    parts = [f for f in book.out.facts if f.part_of == total.key]
    missing = [(code, name) for code, codes, name in SANGONG_WHOLE if not any(f.item in codes for f in parts)]
    match = unlabelled[0]
    amount = amount_of(match)
    if len(missing) != 1 or sum((_yuan(f.amount) for f in parts), _yuan(amount)) != _yuan(total.amount):
        return None
    code, name = missing[0]
    return book.fact(AmountFact(
        key=f"sangong-{code.lower().replace('_', '-')}", label=name, amount=amount,
        span=book.view.span(match.start(), match.end()), operation="expenditure", indicator="SANGONG",
        context=total.context, phase=total.phase, item=code, part_of=total.key))


def read_running_cost(ctx: ReadingContext, section: Section) -> Readings:
    """机关运行经费: total, its change, and the listed items with their economic classification codes."""
    book = ctx.reading(section)
    source, (start, end, _) = book.view, book.bounds()
    match = _first(_RUNNING_COST_TOTAL, source, start, end)
    if match is None:
        return book.out
    total = book.add("running-cost-total", match, operation="expenditure", indicator="ORG_RUNNING_COST")
    intro = re.compile(r"(?P<main>主要)?(?:包括|用于)[:：]|其中[:：，,]").search(source.text, match.end(), end)
    if intro is None:
        return book.out
    book.set_breakdown(total, not (intro.group("main") or intro.group(0).startswith("其中")))
    economic = CodeList.load("econ-dept")
    stop = re.compile(r"。").search(source.text, intro.end(), end)
    for number, item in enumerate(_LIST_ITEM.finditer(source.text, intro.end(), stop.end() if stop else end), 1):
        code = economic.by_name(unwrap(item.group("label")))
        if code is not None:
            book.add(f"running-cost-{code.code}", item, operation="expenditure",
                     indicator="ORG_RUNNING_COST", economic=code.code, part_of=total.key)
        else:
            book.add(f"running-cost-line-{number}", item, operation="expenditure",
                     indicator="ORG_RUNNING_COST", item=f"line-{number}", part_of=total.key)
    return book.out


_PROCUREMENT_LIST = re.compile(r"(?P<what>政府采购|政府购买服务)(?:预算)?\s*[:：]|(?P<other>其\s*中)[:：]")
#: A sentence that is nothing but one more item of a list ("政务服务大厅搬迁费19.49万元。").
_LONE_ITEM = re.compile(rf"[ \t]*[{CJK}（）()“”]{{2,30}}?{_AMOUNT}[。；;]")


_PROCUREMENT_KINDS = ("货物", "工程", "服务")
#: A numbered paragraph after a sentence ("。2.政府购买服务…"); not a decimal ("…预算\n752.59万元").
_NUMBERED = re.compile(r"(?<=[。；;])\s*\d+[.．、](?!\d)")


def _list_end(text: str, start: int, end: int) -> int:
    """Where a list starting at ``start`` ends: at the first full stop not followed by a lone item."""
    position = start
    while True:
        stop = text.find("。", position, end)
        if stop < 0:
            return end
        lone = _LONE_ITEM.match(text, stop + 1, end)
        if lone is None:
            return stop + 1
        position = lone.end() - 1


#: The clause of an amount about SMEs starts after the sentence's subject ("2024年度本部门"), a list word
#: (其中) or punctuation; it ends before the amount without its linking word (为).
_CLAUSE_LEAD = re.compile(r"^(?:[，,；;：:\s]|其中)*(?:[^，,；;：:]*?(?:本部门|本单位)(?=面向|授予|预留))?")
_CLAUSE_TAIL = re.compile(r"(?:[为是共计：:，,\s])+$")


def _sme_amounts(book: SectionReading, start: int, end: int) -> list[AmountFact]:
    """Procurement reserved for, won by or awarded to SMEs (records/lexicon.py: SME_PROCUREMENT), in budgets
    ("面向中小企业预留政府采购项目预算金额664.98万元，其中，预留给小型和微型企业的…为465.49万元") and final
    accounts ("…面向小微企业预留…0万元。在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额
    246.47万元；…在其他政府采购项目中…4.79万元"; "授予中小企业合同金额…，其中：授予小微企业合同金额…").

    Each amount is what the words of its own clause (from the sentence start or the amount before) name. None
    is a part of the procurement total's goods/works/services breakdown; the small and micro enterprises'
    share is part of the SMEs' (SME_PART_OF), whose breakdown is then incomplete (the other SMEs' share is
    not printed)."""
    text = book.view.text
    read: dict[str, AmountFact] = {}
    clause_start = start
    for match in AMOUNT.finditer(text, start, end):
        clause_from = max(clause_start, *(text.rfind(mark, clause_start, match.start()) + 1 for mark in "。；;"))
        clause_start = match.end()
        clause = text[clause_from:match.start()]
        item = code_of(clause, SME_PROCUREMENT)
        if item is None or item in read:
            continue
        lead, tail = _CLAUSE_LEAD.match(clause), _CLAUSE_TAIL.search(clause)
        label_from = clause_from + (lead.end() if lead else 0)
        label_to = match.start() - (len(tail.group(0)) if tail else 0)
        if label_from >= label_to:
            continue
        whole = read.get(SME_PART_OF.get(item, ""))
        read[item] = book.add(f"procurement-{item.lower().replace('_', '-')}", match,
                              operation="expenditure", indicator="PROCUREMENT", item=item, phase=book.phase,
                              part_of=whole.key if whole else None, with_change=False,
                              label=unwrap(text[label_from:label_to]), start=label_from)
        if whole is not None:
            book.set_breakdown(whole, False)
    return [next(f for f in book.out.facts if f.key == fact.key) for fact in read.values()]


def read_procurement(ctx: ReadingContext, section: Section) -> Readings:
    """政府采购 and 政府购买服务 totals as printed here, their itemised lines, and the amounts reserved for,
    won by or awarded to SMEs (never lines of a list, whatever word introduces them)."""
    book = ctx.reading(section)
    source, (start, end, _) = book.view, book.bounds()
    totals: dict[str, AmountFact] = {}
    for base, pattern, indicator in (("procurement-total", _PROCUREMENT_TOTAL, "PROCUREMENT"),
                                     ("purchased-services-total", _SERVICES_TOTAL, "PURCHASED_SERVICES")):
        match = _first(pattern, source, start, end)
        if match:
            totals[indicator] = book.add(base, match, operation="expenditure", indicator=indicator)
    sme = [(book.view.at(fact.span.start), book.view.at(fact.span.end))
           for fact in _sme_amounts(book, start, end)]
    lists = list(_PROCUREMENT_LIST.finditer(source.text, start, end))
    numbers = {"PROCUREMENT": 0, "PURCHASED_SERVICES": 0}
    for position, intro in enumerate(lists):
        indicator = "PURCHASED_SERVICES" if intro.group("what") == "政府购买服务" else "PROCUREMENT"
        total = totals.get(indicator)
        list_end = lists[position + 1].start() if position + 1 < len(lists) else end
        next_line = _NUMBERED.search(source.text, intro.end(), list_end)
        list_end = _list_end(source.text, intro.end(), next_line.start() if next_line else list_end)
        labels = []
        for item in _LIST_ITEM.finditer(source.text, intro.end(), list_end):
            if any(a < item.end() and item.start() < b for a, b in sme):
                continue
            numbers[indicator] += 1
            base = "purchased-services-line" if indicator == "PURCHASED_SERVICES" else "procurement-line"
            number = numbers[indicator]
            labels.append(book.add(f"{base}-{number}", item, operation="expenditure", indicator=indicator,
                                   item=f"line-{number}", part_of=total.key if total else None).label)
        # "其中" names some parts only, unless they are the three kinds every purchase is one of
        if total is not None and labels and intro.group("other") and not (
                len(labels) == 3 and all(any(kind in label for label in labels) for kind in _PROCUREMENT_KINDS)):
            book.set_breakdown(total, False)
    return book.out


_ASSETS_TOTAL = re.compile(rf"(?P<label>资产总额){_FILLER}{_AMOUNT}")
_ASSET_PARTS = (
    ("assets-current", "CURRENT_ASSETS", re.compile(rf"(?P<label>流动资产){_FILLER}{_AMOUNT}")),
    ("assets-fixed", "FIXED_ASSETS", re.compile(rf"(?P<label>固定资产){_FILLER}{_AMOUNT}")),
)
_VEHICLE_VALUE = re.compile(rf"(?P<label>价值|账面价值|原值){_AMOUNT}")
_VEHICLES = re.compile(r"(?<!购置)车辆\s*(?P<n>\d+)\s*辆")
#: The vehicles a budget plans to buy ("2024年部门预算安排购置车辆1辆，其中：…").
_VEHICLES_PLANNED = re.compile(r"(?:预算)?安排购置车辆\s*(?P<n>\d+)\s*辆")
#: A count of vehicles in the list after the total: its type is the word printed before it (VEHICLE_TYPES).
_VEHICLE_TYPE = re.compile(rf"(?P<type>[{CJK}]{{2,12}}?)\s*(?P<n>\d+)\s*辆")


def read_assets(ctx: ReadingContext, section: Section) -> Readings:
    """国有资产: the date, total, 流动/固定资产 ("其中": incomplete), vehicles (count and value)."""
    book = ctx.reading(section)
    source, (start, end, _) = book.view, book.bounds()
    dated = _first(_ASSET_DATE, source, start, end)
    as_of = date(int(dated.group(1)), int(dated.group(2)), int(dated.group(3))) if dated else None
    total_match = _first(_ASSETS_TOTAL, source, start, end)
    total = None
    if total_match:
        total = book.add("assets-total", total_match, operation="_Z", indicator="ASSETS", as_of=as_of)
        if re.match(r"[，,]?\s*其中", source.text[total_match.end():end]):
            book.set_breakdown(total, False)
    parts: dict[str, AmountFact] = {}
    for base, item, pattern in _ASSET_PARTS:
        match = _first(pattern, source, total_match.end() if total_match else start, end)
        if match:
            parts[base] = book.add(base, match, operation="_Z", indicator="ASSETS", item=item,
                                   as_of=as_of, part_of=total.key if total else None)
    counts: dict[str, CountStatement] = {}
    held = _first(_VEHICLES, source, start, end)
    if held:
        counts["vehicles-count"] = book.count("vehicles-count", "VEHICLES", int(held.group("n")),
                                              source.span(held.start(), held.end()))
        _vehicle_types(book, counts, held.end(), end)
    planned = _first(_VEHICLES_PLANNED, source, start, end)
    if planned:
        counts["vehicles-planned-count"] = book.count("vehicles-planned-count", "VEHICLES_PLANNED",
                                                      int(planned.group("n")),
                                                      source.span(planned.start(), planned.end()))
    if "vehicles-count" in counts:
        value = _first(_VEHICLE_VALUE, source, source.at(counts["vehicles-count"].span.end), end)
        if value:
            fixed = parts.get("assets-fixed")
            book.add("assets-vehicles", value, operation="_Z", indicator="ASSETS", item="VEHICLE_ASSETS",
                     as_of=as_of, part_of=fixed.key if fixed else None)
            if fixed is not None:  # the vehicles are only one part of the fixed assets
                book.set_breakdown(fixed, False)
    return book.out


def _vehicle_types(book: SectionReading, counts: dict[str, CountStatement], start: int, end: int) -> None:
    """"共有车辆7辆，其中：部级领导干部用车0辆、…、其他用车7辆；" (or in brackets: "（一般公务用车0辆，其他用车0辆）"):
    the vehicles by type (VEHICLE_TYPES) up to the clause's end. They are parts of the total only when every count
    of the list names a known type (a count of the sum check is never a misreading)."""
    source = book.view
    stop = min((i for i in (source.text.find(mark, start, end) for mark in "；;。") if i >= 0), default=end)
    listed = list(_VEHICLE_TYPE.finditer(source.text, start, stop))
    typed = [(match, code_of(match.group("type"), VEHICLE_TYPES)) for match in listed]
    certain = all(code for _, code in typed)
    total = counts["vehicles-count"]
    for match, code in typed:
        if code is None or code in {c.what for c in counts.values()}:
            continue
        key = f"vehicles-{code.removeprefix('VEHICLES_').lower().replace('_', '-')}-count"
        word = next(word for word, notation in VEHICLE_TYPES if notation == code)
        first = match.start("type") + max(match.group("type").rfind(word), 0)
        counts[key] = book.count(key, code, int(match.group("n")), source.span(first, match.end()),
                                 part_of=total.key if certain else None)


_PERF_REQUIRED = re.compile(r"应编制绩效目标的项目共?\s*(?P<n>\d+)\s*个")
#: Projects counted at a stage of performance management (PERFORMANCE_STAGES): "编报绩效目标的项目50个",
#: "绩效跟踪评价的2024年度项目4个", "绩效自评的2024年度项目4个".
_PERF_STAGE = re.compile(rf"(?:实际编制|编报|编制了?)?(?P<stage>{alternation(PERFORMANCE_STAGES)})[{CJK}]{{0,6}}?的"
                         r"(?:\d{4}\s*年度?)?项目共?\s*(?P<n>\d+)\s*个")
_PERF_FUNDS = re.compile(rf"(?P<label>涉及[{CJK}]{{0,14}}?){_AMOUNT}")
_PERF_RATING = re.compile(rf"绩效评级为[“\"]?(?P<rating>{alternation(PERFORMANCE_RATINGS)})[”\"]?"
                          r"的项目\s*(?P<n>\d+)\s*个")
_PERF_COVERAGE = re.compile(rf"(?P<label>[^，。；\n]*覆盖率)[^，。；\n%]*?(?P<number>{PERCENT_NUMBER})\s*[%％]")


def read_performance(ctx: ReadingContext, section: Section) -> Readings:
    """绩效目标: projects required and set (counts), funds involved, and the stated coverage ratio; a 决算's
    projects and funds of the later stages (绩效跟踪评价, 绩效自评) and the self-evaluated projects by rating."""
    book = ctx.reading(section)
    source, (start, end, _) = book.view, book.bounds()
    required = _first(_PERF_REQUIRED, source, start, end)
    required_count = None
    if required:
        required_count = book.count("perf-projects-required", "PERF_PROJECTS_REQUIRED", int(required.group("n")),
                                    source.span(required.start(), required.end()))
    stages = list(_PERF_STAGE.finditer(source.text, required.end() if required else start, end))
    set_count = None
    seen: set[str] = set()
    for position, stage in enumerate(stages):
        what = code_of(stage.group("stage"), PERFORMANCE_STAGES)
        if what is None or what in seen:
            continue
        seen.add(what)
        key = "perf-" + what.removeprefix("PERF_").lower().replace("_", "-")
        count = book.count(key, what, int(stage.group("n")), source.span(stage.start(), stage.end()))
        if what == "PERF_PROJECTS_SET":
            set_count = count
            continue
        stop = stages[position + 1].start() if position + 1 < len(stages) else end
        funds = _first(_PERF_FUNDS, source, stage.end(), stop)
        item = code_of(stage.group("stage"), PERFORMANCE_FUNDS_ITEMS) or "_T"
        if funds:
            book.add(f"performance-funds-{item.removeprefix('PERF_').lower().replace('_', '-')}", funds,
                     operation="expenditure", indicator="PERFORMANCE_FUNDS", item=item)
        if what == "PERF_PROJECTS_SELF_EVALUATED":
            _perf_ratings(book, count, stage.end(), stop)
    funds = _first(_PERF_FUNDS, source, start, end)
    if funds:
        book.add("performance-funds", funds, operation="expenditure", indicator="PERFORMANCE_FUNDS")
    coverage = _first(_PERF_COVERAGE, source, start, end)
    if coverage and required_count and set_count:
        book.ratio(RatioStatement(
            key="perf-coverage", what="PERF_COVERAGE", percent=percent_of(coverage),
            numerator=set_count.key, denominator=required_count.key,
            span=source.span(coverage.start("label"), coverage.end()),
        ))
    read_performance_projects(book)
    return book.out


def _perf_ratings(book: SectionReading, evaluated: CountStatement, start: int, end: int) -> None:
    """"（其中，绩效评级为“优”的项目4个；…“不合格”的项目0个。": the self-evaluated projects by rating, parts of
    their count only when every rating is printed (else a missing one would make the sum check wrong)."""
    found = {}
    for match in _PERF_RATING.finditer(book.view.text, start, end):
        code = code_of(match.group("rating"), PERFORMANCE_RATINGS)
        if code is not None and code not in found:
            found[code] = match
    whole = len(found) == len(PERFORMANCE_RATINGS)
    for code, match in found.items():
        book.count("perf-" + code.removeprefix("PERF_").lower().replace("_", "-"), code, int(match.group("n")),
                   book.view.span(match.start(), match.end()), part_of=evaluated.key if whole else None)
