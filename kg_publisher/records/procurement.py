"""政府采购 and 政府购买服务: the totals, their itemised lines, and the amounts reserved for, won by or awarded
to SMEs (records/lexicon.py: SME_PROCUREMENT).

A "其中" list names some parts only, unless it lists exactly the three kinds every purchase is one of
(货物 / 工程 / 服务): then the breakdown is complete.
"""

from __future__ import annotations

import re

from .context import ReadingContext, SectionReading
from .lexicon import SME_PART_OF, SME_PROCUREMENT, code_of
from .model import AmountFact, Readings, Section
from .patterns import AMOUNT, CJK, FILLER, LIST_ITEM, first, unwrap

_AMOUNT = AMOUNT.pattern

#: A note in brackets between a label and its number: "政府采购金额（以合同签订为准）为251.25万元".
_NOTE = r"(?:[（(][^（）()\d\n]{1,20}[）)])"
#: The procurement total's label is closed: "政府采购项目预算金额" (reserved for SMEs …) is another figure.
PROCUREMENT_TOTAL = re.compile(
    rf"(?<!预留)(?P<label>政府采购)(?P<filler>(?:预算|支出|资金)?(?:安排|总额|金额|合计|总计|共计)?{_NOTE}?"
    rf"(?:为|共|计|[:：])?\s*){_AMOUNT}"
)
SERVICES_TOTAL = re.compile(rf"(?P<label>政府购买服务){FILLER}{_AMOUNT}")


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


def _sme_amounts(reading: SectionReading, start: int, end: int) -> list[AmountFact]:
    """Procurement reserved for, won by or awarded to SMEs (records/lexicon.py: SME_PROCUREMENT), in budgets
    ("面向中小企业预留政府采购项目预算金额664.98万元，其中，预留给小型和微型企业的…为465.49万元") and final
    accounts ("…面向小微企业预留…0万元。在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额
    246.47万元；…在其他政府采购项目中…4.79万元"; "授予中小企业合同金额…，其中：授予小微企业合同金额…").

    Each amount is what the words of its own clause (from the sentence start or the amount before) name. None
    is a part of the procurement total's goods/works/services breakdown; the small and micro enterprises'
    share is part of the SMEs' (SME_PART_OF), whose breakdown is then incomplete (the other SMEs' share is
    not printed)."""
    text = reading.view.text
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
        read[item] = reading.add(f"procurement-{item.lower().replace('_', '-')}", match,
                                 operation="expenditure", indicator="PROCUREMENT", item=item, phase=reading.phase,
                                 part_of=whole.key if whole else None, with_change=False,
                                 label=unwrap(text[label_from:label_to]), start=label_from)
        if whole is not None:
            reading.set_breakdown(whole, False)
    return [next(f for f in reading.out.facts if f.key == fact.key) for fact in read.values()]


def read_procurement(ctx: ReadingContext, section: Section) -> Readings:
    """政府采购 and 政府购买服务 totals as printed here, their itemised lines, and the amounts reserved for,
    won by or awarded to SMEs (never lines of a list, whatever word introduces them)."""
    reading = ctx.reading(section)
    source, (start, end, _) = reading.view, reading.bounds()
    totals: dict[str, AmountFact] = {}
    for base, pattern, indicator in (("procurement-total", PROCUREMENT_TOTAL, "PROCUREMENT"),
                                     ("purchased-services-total", SERVICES_TOTAL, "PURCHASED_SERVICES")):
        match = first(pattern, source, start, end)
        if match:
            totals[indicator] = reading.add(base, match, operation="expenditure", indicator=indicator)
    sme = [(reading.view.at(fact.span.start), reading.view.at(fact.span.end))
           for fact in _sme_amounts(reading, start, end)]
    lists = list(_PROCUREMENT_LIST.finditer(source.text, start, end))
    numbers = {"PROCUREMENT": 0, "PURCHASED_SERVICES": 0}
    for position, intro in enumerate(lists):
        indicator = "PURCHASED_SERVICES" if intro.group("what") == "政府购买服务" else "PROCUREMENT"
        total = totals.get(indicator)
        list_end = lists[position + 1].start() if position + 1 < len(lists) else end
        next_line = _NUMBERED.search(source.text, intro.end(), list_end)
        list_end = _list_end(source.text, intro.end(), next_line.start() if next_line else list_end)
        labels = []
        for item in LIST_ITEM.finditer(source.text, intro.end(), list_end):
            if any(a < item.end() and item.start() < b for a, b in sme):
                continue
            numbers[indicator] += 1
            base = "purchased-services-line" if indicator == "PURCHASED_SERVICES" else "procurement-line"
            number = numbers[indicator]
            labels.append(reading.add(f"{base}-{number}", item, operation="expenditure", indicator=indicator,
                                      item=f"line-{number}", part_of=total.key if total else None).label)
        # "其中" names some parts only, unless they are the three kinds every purchase is one of
        if total is not None and labels and intro.group("other") and not (
                len(labels) == 3 and all(any(kind in label for label in labels) for kind in _PROCUREMENT_KINDS)):
            reading.set_breakdown(total, False)
    return reading.done()
