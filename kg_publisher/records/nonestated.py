"""Statements that something does not exist: "无“三公”经费财政拨款支出", "本表无数据".

Budgets and final accounts alike say so in prose and in notes under empty tables. Such a
statement is a :class:`NoneStatement`, never an amount of 0. A note under a table that names
another fund than the table's own title (the 国有资本经营 table saying "无政府性基金预算…") is a
copied template note: it becomes a ``template-residue`` :class:`TextDefect`.
"""

from __future__ import annotations

import re

from .context import ReadingContext
from .lexicon import FISCAL_FUNDS
from .model import NoneStatement, Readings, TextDefect
from .sections import innermost

#: "无" + what is absent, up to the end of the clause.
_NONE = re.compile(r"(?<![有并])无(?P<what>[^，,。；;：:]{2,40}?)(?:[，,。；;]|故)")
_WHAT = (  # (word, indicator, fund_source), most specific first
    ("三公", "SANGONG", "FISCAL"),
    ("机关运行经费", "ORG_RUNNING_COST", "_T"),
    ("政府采购", "PROCUREMENT", "_T"),
    ("政府性基金", "TOTAL", "GOV_FUND"),
    ("国有资本经营", "TOTAL", "STATE_CAPITAL"),
)
#: The funds a table of one fund's budget is about (一般公共预算 tables have money in every disclosure).
_FUND_WORDS = {code: word for word, code in FISCAL_FUNDS if code != "GENERAL_PUBLIC"}


def _operations(what: str) -> tuple[str, ...]:
    revenue, expenditure = "收入" in what, "支出" in what or "预算" in what or "经费" in what
    if revenue and expenditure:
        return ("revenue", "expenditure")
    return ("revenue",) if revenue else ("expenditure",)


def read_none_statements(ctx: ReadingContext) -> Readings:
    """Every "无…" statement about a fund or a reported indicator; unknown subjects are left alone."""
    phase, sections = ctx.phase, ctx.sections
    found = Readings()
    flow = ctx.view
    for match in _NONE.finditer(flow.text):
        what = match.group("what")
        known = next(((indicator, fund) for word, indicator, fund in _WHAT if word in what), None)
        if known is None:
            continue
        indicator, fund = known
        span = flow.span(match.start(), match.end("what"))
        section = innermost(sections, span.start)
        context = section.code if section else "document"
        for operation in _operations(what):
            found.none_stated.append(NoneStatement(f"none-{len(found.none_stated) + 1}", operation, indicator,
                                                  fund, phase, span, context))
        if section is not None and section.code.startswith("table"):
            title_funds = [code for code, name in _FUND_WORDS.items() if name in section.heading]
            if title_funds and fund in _FUND_WORDS and fund not in title_funds:
                found.defects.append(TextDefect(
                    "template-residue", span,
                    f"the note under table {section.heading!r} says {span.text!r}, which names "
                    f"{_FUND_WORDS[fund]} instead of the table's own {_FUND_WORDS[title_funds[0]]}"))
    return found
