"""Prose items named by their 支出功能分类 chain: "“一般公共服务支出（类）财政事务（款）行政运行（项）”1,623.18万元".

Budgets list what the money is spent on by 类/款/项 names; the code of each item is read from the
same document's tables (:mod:`.classification`), so the item can be compared with the table row it
repeats (a prose figure that disagrees with its table is a source fault the cross-check shapes report).
An item whose names no table of the document prints is an :class:`UnparsedSpan` (and, when its 类 is
printed, a ``misnamed-item`` defect). A figure printed twice in one section (a duplicated page) is kept once.

The rest of an item's paragraph is read too (Shanghai layout: "主要用于…。2023年当年预算执行数为…万元，
2024年预算安排…万元，比2023年预算执行数减少2.98%。主要原因是：…"): the change becomes the item's
:class:`ChangeStatement`; defects are a restated amount that differs from the item's
(``inconsistent-repeat``), a purpose or reason that names another item (``names-another-item``), and a
reason that states the opposite direction of the change (``reason-against-direction``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..codelists import CodeList
from .changes import read_clause, read_reason, to_statement
from .classification import PrintedCodes
from .context import ReadingContext
from .flow import Flowed
from .lexicon import FUND_SCOPES, code_of
from .model import Amount, AmountFact, Readings, Section, TextDefect, UnparsedSpan
from .patterns import AMOUNT, MONEY, amount_of, unwrap
from .sections import innermost

_ITEM = re.compile(
    rf"[“\"]?(?P<lei>[^，。；：、“”\"\d（）]+)（类）(?P<kuan>[^，。；：“”（）]+)（款）(?P<xiang>[^，。；：“”（）]+)（项）[”\"]?"
    rf"\s*(?:科目)?\s*{MONEY}")
_PURPOSE = re.compile(r"主要用于(?P<what>[^。；;，,]+)")
_RESTATED = re.compile(rf"(?P<year>\d{{4}})年(?:预算安排|预算数为|安排)\s*(?:{AMOUNT.pattern})")
#: The figure a change is measured against: "2023年当年预算执行数为60.13万元", "上年执行数为…".
_BASE = re.compile(rf"(?P<year>\d{{4}})年(?:当年)?(?:预算)?(?:执行数|决算数)为?\s*{MONEY}")
_COMPARED = re.compile(r"[，,]?\s*(?:比|较)(?:\d{4}年|上年)")
_UP, _DOWN = ("增加", "增长", "上升", "提高"), ("减少", "下降", "降低")
#: What a reason says after naming what changed ("…经费增加").
_REASON_TAIL = re.compile(r"(?:的)?(?:经费|支出|资金)?(?:增加|减少|增长|下降|持平|调整|变化)?$")
#: An item paragraph is read up to this many characters when no next item bounds it.
_PARAGRAPH = 400


def section_start(flow: Flowed, section: Section) -> int:
    """Flowed offset of a section's first character."""
    return next((i for i, offset in enumerate(flow.offsets) if offset >= section.span.start), len(flow.text))


def read_classified_items(ctx: ReadingContext) -> Readings:
    """Every "X（类）Y（款）Z（项）” + amount" of the narrative, with the fund its paragraph names."""
    codes, phase, sections, year = ctx.printed_codes, ctx.phase, ctx.sections, ctx.year
    out = Readings()
    seen: set[tuple[str, str, str]] = set()
    flow = ctx.view
    matches = list(_ITEM.finditer(flow.text))
    listed = {match.group("xiang").strip() for match in matches}
    for position, match in enumerate(matches):
        span = flow.span(match.start("lei"), match.end("unit"))
        section = innermost(sections, span.start)
        if section is None or section.code.startswith("table"):
            continue
        names = [match.group(name).strip() for name in ("lei", "kuan", "xiang")]
        code = codes.code_of("functional", names)
        if flow.broken(*match.span("number")):  # not read with certainty: never compared with its table row
            out.unparsed.append(UnparsedSpan(span, "an amount broken over a line or page (a page number may have run "
                                             "into it): not read", section.code))
            continue
        if code is None:
            out.unparsed.append(UnparsedSpan(span, f"no table of this document prints the item {'/'.join(names)}",
                                             section.code))
            if codes.code_of("functional", names[:1]) is not None:
                out.defects.append(TextDefect("misnamed-item", span, (
                    f"the item is named {names[1]}（款）{names[2]}（项） under {names[0]}, but no table of the "
                    "document prints these names there")))
            continue
        # the fund is named in the sentence that opens the list ("财政拨款支出主要内容如下：")
        opening = flow.text.rfind("如下", section_start(flow, section), match.start())
        lead = flow.text[flow.text.rfind("。", 0, opening) + 1:opening] if opening >= 0 else ""
        fund = code_of(lead, FUND_SCOPES) or "_T"
        identity = (code, fund, section.code)
        if identity in seen:
            continue
        seen.add(identity)
        fact = AmountFact(
            key=f"item-{len(out.facts) + 1}", label=f"{names[2]}（项）", span=span, context=section.code,
            amount=Amount.parse(match.group("number"), match.group("unit")), operation="expenditure",
            indicator="TOTAL", fund_source=fund, expenditure_type="_T", functional=code, phase=phase)
        out.facts.append(fact)
        section_end = flow.at(section.span.end)
        following = matches[position + 1].start() if position + 1 < len(matches) else section_end
        end = min(following, section_end, match.end() + _PARAGRAPH)
        _read_paragraph(flow, out, fact, names, codes, listed, match.end(), end, year)
    return out


def _read_paragraph(flow: Flowed, out: Readings, fact: AmountFact, names: list[str], codes: PrintedCodes,
                    listed: set[str], start: int, end: int, year: int) -> None:
    text = flow.text
    purpose = _PURPOSE.search(text, start, end)
    if purpose:
        _names_another(flow, out, fact, names, codes, listed, purpose.group("what"), purpose.span("what"),
                       "purpose")
    restated = _RESTATED.search(text, start, end)
    if restated and int(restated.group("year")) == year:
        again = amount_of(restated)
        out.read.append(flow.span(restated.start(), restated.end()))
        if again.unit == fact.amount.unit and again.value != fact.amount.value:
            out.defects.append(TextDefect("inconsistent-repeat", flow.span(restated.start(), restated.end()), (
                f"the item {fact.label} is {fact.amount.printed}{fact.amount.unit} but its paragraph says "
                f"{restated.group(0)}")))
    compared = _COMPARED.search(text, start, end)
    if compared is None:
        return
    read = read_clause(flow, compared.start(), end, year)
    if read is None:
        return
    reason = read_reason(flow, read.end, end)
    change = to_statement(f"{fact.key}-change", fact.key, read, reason)
    base = _BASE.search(text, start, compared.start())
    # the base a change is measured against, when its digits stand together (else it is no base: unread)
    if base and read.compared_year == int(base.group("year")) and not flow.broken(*base.span("number")):
        change = replace(change, base=amount_of(base), base_span=flow.span(base.start(), base.end()))
    out.changes.append(change)
    if reason is None:
        return
    said = unwrap(reason.text)
    stated = {*read.amount_words, *read.percent_words}
    for ours, theirs in ((_DOWN, _UP), (_UP, _DOWN)):
        if stated and stated <= set(ours) and any(w in said for w in theirs) and not any(w in said for w in ours):
            out.defects.append(TextDefect("reason-against-direction", reason, (
                f"the change of {fact.label} is stated as {'/'.join(sorted(stated))}, but its reason says "
                f"{said}")))
    reason_start = flow.at(reason.start)
    _names_another(flow, out, fact, names, codes, listed, said, (reason_start, flow.at(reason.end)), "reason")


def _names_another(flow: Flowed, out: Readings, fact: AmountFact, names: list[str], codes: PrintedCodes,
                   listed: set[str], said: str, where: tuple[int, int], what: str) -> None:
    """A purpose or reason naming another 项 (of the list, the tables or the code list) under this 款."""
    kuan, xiang = names[1], names[2]
    subject = _REASON_TAIL.sub("", said.strip()) if what == "reason" else said.strip()
    rest = subject.removeprefix(kuan)
    if not rest or rest.startswith(xiang) or xiang.startswith(rest) or (rest == subject and what == "purpose"):
        return
    kuan_code = fact.functional[:5]
    siblings = {name for code, name in codes.names["functional"].items()
                if len(code) == 7 and code.startswith(kuan_code)}
    siblings |= {c.name for c in CodeList.load("func").children(kuan_code)}
    if rest in siblings | listed and rest != xiang:
        out.defects.append(TextDefect("names-another-item", flow.span(*where), (
            f"the {what} of {kuan}（款）{xiang}（项） names another item: {said.strip()}")))
