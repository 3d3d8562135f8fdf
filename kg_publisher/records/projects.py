"""Printed lists of projects with their amounts, kept so that two lists of the same projects can be compared.

A disclosure may name its projects twice: with the performance targets (绩效目标: "涉及项目预算资金598.46万元。
其中：中介机构服务费418.80万元，财政业务费10.00万元，…") and in the project expenditure description (项目经费情况说明
… "年度预算安排：信息化系统日常维护费166.66万元，中介机构服务费418.80万元，财政业务费10万元。"). Each listed
project becomes an :class:`AmountFact` whose label is the project's name as printed (spaces between
characters dropped) and whose ``item`` is ``line-N`` (N = its place in the list):

* performance list: ``indicator`` PERFORMANCE_FUNDS, ``part_of`` the stated funds total; the total's
  breakdown is complete when the list names as many projects as the text says were set targets;
* project expenditure list: ``indicator`` TOTAL, ``expenditure_type`` PROJECT, ``context`` the section
  printing it (``part_of`` a total printed in front of the list — 共计/合计/安排X万元，其中 — if any).

Comparing the two lists (same name → same amount; a name in one list only; different sums) is left to
validation. Characters may be spaced out by the layout (财 政 业 务 费 10.00 万 元), so names and units
tolerate blanks between characters; spans cover the text as printed.
"""

from __future__ import annotations

import re

from .context import ReadingContext, SectionReading
from .model import Amount, AmountFact, Readings
from .patterns import CJK, MONEY

_BLANK = r"[ \t\n\f\u00a0\u3000]*"
#: One listed project: a name of 2–30 characters (blanks allowed between them), its amount and unit.
_ITEM = re.compile(
    rf"(?P<label>[{CJK}（）()“”](?:{_BLANK}[{CJK}（）()“”]){{1,29}}?){_BLANK}"
    rf"{_BLANK}{MONEY}"
)
_LIST_START = re.compile(rf"其{_BLANK}中{_BLANK}[:：]")
_LIST_END = re.compile(rf"{_BLANK}。")
#: A total printed in front of a project expenditure list.
_TOTAL = re.compile(rf"(?P<label>(?:共计|合计|总计|共|安排)[{CJK}]{{0,8}}?){_BLANK}"
                    rf"{MONEY}")
_BUDGET_HEADING = re.compile(r"(?:年度)?(?:预算|资金)安排")
#: The heading that opens a project's description (项目经费情况说明, 项目概述 …).
_PROJECT_HEADING = re.compile(r"项目(?:经费|支出|资金)?(?:情况)?(?:说明|概述|概况)")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fact(reading: SectionReading, key: str, match: re.Match[str], **codes: str | None) -> AmountFact:
    return reading.fact(AmountFact(
        key=key,
        label=_squeeze(match.group("label")),
        amount=Amount.parse(match.group("number"), _squeeze(match.group("unit"))),
        span=reading.ctx.source.span(match.start("label"), match.end()),
        operation="expenditure",
        context=reading.section.code,
        phase=reading.phase,
        **codes,  # type: ignore[arg-type]
    ))


def _items(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The listed items between ``start`` and the list's full stop, each starting after a separator."""
    stop = _LIST_END.search(text, start, end)
    items = []
    position = start
    for match in _ITEM.finditer(text, start, stop.start() if stop else end):
        if text[position:match.start()].strip(" \t\n\f\u00a0\u3000，,、；;") or not match.group("label").strip():
            break  # words between two items that are no separator: not a plain list any more
        items.append(match)
        position = match.end()
    return items


def read_performance_projects(reading: SectionReading) -> None:
    """The projects listed after a performance section's funds total (其中：A X万元，B Y万元…), read into the
    section's reading (the performance reader's): whether the total's breakdown is complete depends on them."""
    section = reading.section
    total = next((f for f in reading.out.facts if f.indicator == "PERFORMANCE_FUNDS" and f.item == "_T"), None)
    if total is None:
        return
    text = reading.ctx.source.text
    intro = _LIST_START.match(text, total.span.end + 1) or _LIST_START.search(text, total.span.end,
                                                                             min(total.span.end + 6, section.span.end))
    if intro is None:
        return
    items = _items(text, intro.end(), section.span.end)
    for number, item in enumerate(items, start=1):
        _fact(reading, f"performance-project-{number}", item, indicator="PERFORMANCE_FUNDS", item=f"line-{number}",
              part_of=total.key)
    stated = next((c.value for c in reading.out.counts if c.what == "PERF_PROJECTS_SET"
                   and section.span.start <= c.span.start < section.span.end), None)
    if items and stated != len(items):
        reading.set_breakdown(total, False)  # 其中 names some of the projects only (or their number is not stated)


def read_project_budget_lists(ctx: ReadingContext) -> Readings:
    """The projects listed under a project description's budget heading (六、年度预算安排)."""
    text = ctx.source.text
    reading: SectionReading | None = None
    in_project = False
    for section in ctx.sections:
        if _PROJECT_HEADING.search(section.heading):
            in_project = True
        elif section.level == 1 and section.meaning not in ("other", "performance", "narrative"):
            in_project = False
        if not in_project or not _BUDGET_HEADING.search(section.heading):
            continue
        reading = reading.moved_to(section) if reading else ctx.reading(section)
        start, end = section.heading_span.end, section.span.end
        total_match = _TOTAL.search(text, start, end)
        total = None
        if total_match and not text[start:total_match.start()].strip():
            total = _fact(reading, "project-budget-total", total_match, indicator="TOTAL", expenditure_type="PROJECT",
                          item="_T")
            intro = _LIST_START.search(text, total_match.end(), end)
            start = intro.end() if intro else total_match.end()
        items = _items(text, start, end)
        for number, item in enumerate(items, start=1):
            _fact(reading, f"project-budget-{number}", item, indicator="TOTAL", expenditure_type="PROJECT",
                  item=f"line-{number}", part_of=total.key if total else None)
        if total is not None and items and _LIST_START.search(text, total.span.end, items[0].start()):
            reading.set_breakdown(total, False)
    return reading.done() if reading else Readings()
