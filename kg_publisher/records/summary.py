"""收支总体情况 (the budget summary): the revenue and expenditure totals and their lines.

The revenue total (收入预算 / 收入总计 / 本年收入合计) and its lines by fund source (records/lexicon.py:
FUND_SOURCES), the expenditure total and its 基本/项目 parts, the fund lines after it (财政拨款支出预算… of which
一般公共预算 / 政府性基金 / 国有资本经营), the 政府采购 / 债务 / 政府购买服务 totals printed here, and the
year-over-year claims ("收入增加…；支出增加…。增减变化的主要原因是…": one claim per total, one reason).

A budget that prints a fund's revenue and expenditure (一般公共预算财政拨款收入…, 政府性基金预算支出…) but no
total publishes them without ``part_of``, so validation can report the missing total.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .changes import compared_year, read_clause, read_reason, to_statement
from .context import ReadingContext, SectionReading
from .lexicon import FUND_SOURCES, code_of
from .model import AmountFact, Readings, Section
from .patterns import AMOUNT, CJK, FILLER, first, unwrap
from .procurement import PROCUREMENT_TOTAL, SERVICES_TOTAL

_AMOUNT = AMOUNT.pattern

#: Totals are not preceded by a fund qualifier (财政拨款支出预算 is a part, not the total).
_NOT_QUALIFIED = r"(?<!拨款)(?<!基金)(?<!经营)(?<!资本)(?<!资金)"
_REVENUE_TOTAL = re.compile(rf"{_NOT_QUALIFIED}(?P<label>收入预算|收入总计|本年收入合计|收入合计){FILLER}{_AMOUNT}")
#: 收入支出总计 of a final account is the grand total of both sides, not the expenditure total.
_EXPENDITURE_TOTAL = re.compile(
    rf"{_NOT_QUALIFIED}(?<!收入)(?P<label>支出预算|支出总计|本年支出合计|支出合计){FILLER}{_AMOUNT}"
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
    rf"{FILLER}{_AMOUNT}"
)
#: Where a summary goes on to what the money is spent on (the classified items).
_SPENDING_LIST = re.compile(r"主要内容|（类）|具体(?:情况|安排)")
_FUND_SLUGS = {"GENERAL_PUBLIC": "general-public", "GOV_FUND": "gov-fund", "STATE_CAPITAL": "state-capital"}
_BASIC = re.compile(rf"(?P<label>基本支出)\s*{_AMOUNT}")
_PROJECT = re.compile(rf"(?P<label>项目支出)\s*{_AMOUNT}")
_DEBT_TOTAL = re.compile(rf"(?P<label>债务支出){FILLER}{_AMOUNT}")


def fund_source(label: str) -> str | None:
    """Fund source code of a revenue line label.

    >>> fund_source("一般公共预算收入"), fund_source("事业单位经营收入"), fund_source("上年结转")
    ('GENERAL_PUBLIC', 'OPERATING', 'CARRY_OVER')
    """
    return code_of(label, FUND_SOURCES)


def read_budget_summary(ctx: ReadingContext, section: Section) -> Readings:
    """收支总体情况: revenue total and lines, expenditure total, basic/project, procurement/debt/services."""
    reading = ctx.reading(section)
    source, (start, end, _) = reading.view, reading.bounds()
    revenue = first(_REVENUE_TOTAL, source, start, end)
    expenditure = first(_EXPENDITURE_TOTAL, source, revenue.end() if revenue else start, end)
    if revenue:
        total = reading.add("revenue-total", revenue, operation="revenue", indicator="TOTAL")
        lines_end = expenditure.start() if expenditure else end
        number = 0
        for line in _REVENUE_LINE.finditer(source.text, revenue.end(), lines_end):
            code = fund_source(unwrap(line.group("label")))
            if code is None:
                continue
            number += 1
            reading.add(f"revenue-{number:02d}", line, operation="revenue", indicator="TOTAL",
                        fund_source=code, part_of=total.key)
    if expenditure:
        total = reading.add("expenditure-total", expenditure, operation="expenditure", indicator="TOTAL",
                            expenditure_type="_T")
        by_type = False
        for base, pattern, kind in (("expenditure-basic", _BASIC, "BASIC"),
                                    ("expenditure-project", _PROJECT, "PROJECT")):
            match = first(pattern, source, expenditure.end(), end)
            if match:
                by_type = True
                reading.add(base, match, operation="expenditure", indicator="TOTAL", expenditure_type=kind,
                            part_of=total.key)
        _expenditure_fund_lines(reading, expenditure.end(), end, None if by_type else total)
    if reading.phase == "approved":  # a 决算's fund statements are read by .final
        _fund_figures(reading, revenue_total=revenue is not None, expenditure_total=expenditure is not None)
    for base, pattern, indicator in (("procurement-total", PROCUREMENT_TOTAL, "PROCUREMENT"),
                                     ("debt-total", _DEBT_TOTAL, "DEBT"),
                                     ("purchased-services-total", SERVICES_TOTAL, "PURCHASED_SERVICES")):
        match = first(pattern, source, start, end)
        if match:
            reading.add(base, match, operation="expenditure", indicator=indicator)
    _summary_changes(reading)
    return reading.done()


def _expenditure_fund_lines(reading: SectionReading, start: int, end: int,
                            total: AmountFact | None) -> None:
    """"其中：财政拨款支出预算X万元…财政拨款支出预算中，一般公共预算拨款支出预算Y万元；政府性基金…": the fund
    lines after the expenditure total, up to the list of what the money is spent on. 财政拨款 is part of the
    total (unless the total is broken down by 基本/项目 already), the three funds are parts of 财政拨款."""
    source = reading.view
    stop = _SPENDING_LIST.search(source.text, start, end)
    fiscal: AmountFact | None = None
    for line in _EXPENDITURE_LINE.finditer(source.text, start, stop.start() if stop else end):
        code = fund_source(line.group("label")) or "_T"
        parent = total if code == "FISCAL" else fiscal or total
        fact = reading.add(f"expenditure-{_FUND_SLUGS.get(code, 'fiscal')}", line, operation="expenditure",
                           indicator="TOTAL", fund_source=code, expenditure_type="_T",
                           part_of=parent.key if parent else None)
        if code == "FISCAL":
            fiscal = fact


def _fund_figures(reading: SectionReading, *, revenue_total: bool, expenditure_total: bool) -> None:
    """Revenue and expenditure of one fund printed where the section prints no total of that side.

    They are published without ``part_of`` (there is no total to be part of), so validation can say that
    the total is missing; 基本支出 / 项目支出 listed after "其中" are parts of the fund's expenditure.
    """
    source, (start, end, _) = reading.view, reading.bounds()
    found = list(_FUND_FIGURE.finditer(source.text, start, end))
    for position, match in enumerate(found):
        revenue = match.group("side") == "收入"
        if (revenue and revenue_total) or (not revenue and expenditure_total):
            continue
        code = fund_source(match.group("fund")) or "_T"
        side = "revenue" if revenue else "expenditure"
        dimensions: dict[str, Any] = {"expenditure_type": "_T"} if not revenue else {}  # Any: forwarded as **
        fact = reading.add(f"{side}-{_FUND_SLUGS[code]}", match, operation=side, indicator="TOTAL",
                           fund_source=code, **dimensions)
        if revenue:
            continue
        stop = found[position + 1].start() if position + 1 < len(found) else end
        lead = re.compile(r"其中[:：，,]?").search(source.text, match.end(), stop)
        if lead is None:
            continue
        for base, pattern, kind in (("expenditure-basic", _BASIC, "BASIC"),
                                    ("expenditure-project", _PROJECT, "PROJECT")):
            part = first(pattern, source, lead.end(), stop)
            if part:
                reading.add(base, part, operation="expenditure", indicator="TOTAL", fund_source=code,
                            expenditure_type=kind, part_of=fact.key)


_SUMMARY_CHANGE = re.compile(r"(?:(?<=[，,；;。：:])|^)(?P<what>收入|支出)(?=增加|减少|增长|下降|持平)", re.MULTILINE)


def _summary_changes(reading: SectionReading) -> None:
    """"2022年预算同上年比较，收入增加…；支出增加…。增减变化的主要原因是…": one claim per total, one reason."""
    source, (start, end, _) = reading.view, reading.bounds()
    found = []
    for match in _SUMMARY_CHANGE.finditer(source.text, start, end):
        about = reading.in_section("revenue-total" if match.group("what") == "收入" else "expenditure-total")
        if about is None or any(c.about == about.key for c in reading.out.changes):
            continue
        sentence_start = max(source.text.rfind(ch, 0, match.start()) for ch in "。\n") + 1
        context_year = compared_year(source.text[sentence_start:match.start()], reading.year)
        read = read_clause(source, match.end(), end, reading.year, needs_comparison=False,
                           context_year=context_year)
        if read is not None and (read.change or read.percent):
            # the claim is quoted with its subject: "收入增加107.84万元/与上年增长15%"
            found.append((about, replace(read, span=source.span(match.start(), read.end))))
    if not found:
        return
    reason = read_reason(source, found[-1][1].end, end)
    for about, read in found:
        reading.out.changes.append(to_statement(reading.key(f"{about.key}-change"), about.key, read, reason))
