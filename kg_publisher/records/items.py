"""Prose items named by their 支出功能分类 chain: "“一般公共服务支出（类）财政事务（款）行政运行（项）”1,623.18万元".

Budgets list what the money is spent on by 类/款/项 names; the code of each item is read from the
same document's tables (:mod:`.classification`), so the item can be compared with the table row it
repeats (a prose figure that disagrees with its table is a source fault the cross-check shapes report).
An item whose names no table of the document prints is an :class:`UnparsedSpan`. A figure printed
twice in one section (a duplicated page) is kept once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..extract.source import SourceText
from .classification import PrintedCodes
from .flow import Flowed
from .model import Amount, AmountFact, Section, UnparsedSpan
from .sections import innermost

_ITEM = re.compile(
    r"[“\"]?(?P<lei>[^，。；：、“”\"\d（）]+)（类）(?P<kuan>[^，。；：“”（）]+)（款）(?P<xiang>[^，。；：“”（）]+)（项）[”\"]?"
    r"\s*(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万元|亿元|元)")
_FUNDS = (("一般公共预算", "GENERAL_PUBLIC"), ("政府性基金", "GOV_FUND"), ("国有资本经营", "STATE_CAPITAL"),
          ("财政拨款", "FISCAL"))


@dataclass
class ClassifiedItems:
    facts: list[AmountFact] = field(default_factory=list)
    unparsed: list[UnparsedSpan] = field(default_factory=list)


def section_start(flow: Flowed, section: Section) -> int:
    """Flowed offset of a section's first character."""
    return next((i for i, offset in enumerate(flow.offsets) if offset >= section.span.start), len(flow.text))


def read_classified_items(source: SourceText, sections: tuple[Section, ...], kind: str) -> ClassifiedItems:
    """Every "X（类）Y（款）Z（项）” + amount" of the narrative, with the fund its paragraph names."""
    codes = PrintedCodes.read(source, sections)
    phase = "executed" if kind == "final" else "approved"
    out = ClassifiedItems()
    seen: set[tuple[str, str, str]] = set()
    flow = Flowed.of(source, 0, len(source.text))
    for match in _ITEM.finditer(flow.text):
        span = flow.span(match.start("lei"), match.end("unit"))
        section = innermost(sections, span.start)
        if section is None or section.code.startswith("table"):
            continue
        names = [match.group(name).strip() for name in ("lei", "kuan", "xiang")]
        code = codes.code_of("functional", names)
        if code is None:
            out.unparsed.append(UnparsedSpan(span, f"no table of this document prints the item {'/'.join(names)}",
                                             section.code))
            continue
        # the fund is named in the sentence that opens the list ("财政拨款支出主要内容如下：")
        opening = flow.text.rfind("如下", section_start(flow, section), match.start())
        lead = flow.text[flow.text.rfind("。", 0, opening) + 1:opening] if opening >= 0 else ""
        fund = next((c for word, c in _FUNDS if word in lead), "_T")
        identity = (code, fund, section.code)
        if identity in seen:
            continue
        seen.add(identity)
        out.facts.append(AmountFact(
            key=f"item-{len(out.facts) + 1}", label=f"{names[2]}（项）", span=span, context=section.code,
            amount=Amount.parse(match.group("number"), match.group("unit")), operation="expenditure",
            indicator="TOTAL", fund_source=fund, expenditure_type="_T", functional=code, phase=phase))
    return out
