"""Statements peculiar to final accounts (部门决算) prose, read into records.

What a 决算情况说明 says that a budget does not:

* balances: 收入支出总计 (the year's flows plus 年初/年末结转和结余) next to 本年收入合计 / 本年支出合计;
  the grand total becomes item ``GRAND_TOTAL`` so it never collides with the year's total (``_T``);
* phase pairs: "年初预算为1560.05万元，支出决算为1511.89万元" → one ``approved`` and one ``executed``
  figure of the same item (全年预算 / 调整预算 → ``revised``), plus the stated 完成预算的98.20% as an
  ``EXECUTION`` ratio;
* shares: "一般公共服务支出（类）2106.66万元，占71.73%" → the figure, ``part_of`` its total, and the
  stated share as a ``SHARE`` ratio (validation recomputes it); a 项 of a phase statement is ``part_of``
  its 类 when that is printed in the same phase, else of the section's total of that phase;
* changes named by their subject: "与2023年度相比，财政拨款收入支出总计持平。主要原因：…减少支付" →
  a :class:`ChangeStatement` about the one figure of the section so labelled (direction words as printed,
  so validation can set 持平 against a reason that says 减少).

The subject of a phase statement is the phrase before it ("“三公”经费财政拨款支出年初预算为…"), or, when
the sentence starts with 年初预算, the classification chain "X（类）Y（款）Z（项）" heading its numbered item;
its code comes from the document's own tables (:mod:`.classification`). A figure whose subject cannot be
named is not published: it becomes an :class:`UnparsedSpan`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..extract.source import SourceText
from .changes import compared_year, read_clause, read_reason, to_statement
from .classification import PrintedCodes
from .context import ReadingContext, without_unsure
from .flow import Flowed
from .lexicon import FUND_SCOPES, PHASES, SANGONG_ITEMS, code_of
from .model import Amount, AmountFact, Percent, RatioStatement, Readings, Section, TextDefect, UnparsedSpan
from .patterns import MONEY, PERCENT_NUMBER
from .sections import innermost

#: Codes of a figure, forwarded as ``**codes`` to :meth:`_Reader.fact` (Any: mypy would match them to its
#: other parameters too).
_Codes = dict[str, Any]
_NUMBER = MONEY
_PERCENT = rf"(?P<pct>{PERCENT_NUMBER})\s*[%％]"

_GRAND_TOTAL = re.compile(rf"(?P<label>(?P<fiscal>财政拨款)?收入支出(?:决算)?总计)(?:为)?{_NUMBER}")
_YEAR_TOTAL = re.compile(rf"(?P<label>本年(?P<side>收入|支出)合计)(?:为)?{_NUMBER}")
_FUND_TOTAL = re.compile(
    rf"(?<![（(])(?P<label>(?:一般公共预算|政府性基金预算|国有资本经营预算)财政拨款(?:基本)?支出)(?:决算)?{_NUMBER}")
#: A part with its stated share: "其他收入6.2万元，占0.21%", "住房保障支出（类）445.69万元，占15.16%".
_SHARE_PART = re.compile(rf"(?P<label>[^，,；;：:。\d]{{2,40}}?){_NUMBER}[，,]\s*占{_PERCENT}")
_SHARE_OF = re.compile(rf"占(?P<of>[^，。；的]{{2,20}})的{_PERCENT}")
_PERSONNEL = re.compile(rf"(?P<label>人员经费|公用经费){_NUMBER}")
#: Phases printed before an approved or revised figure (决算 is read by _EXECUTED).
_PHASES = {word: phase for word, phase in PHASES if phase != "executed"}
_PHASE = re.compile(
    rf"(?P<subject>[^，,；;：:。]*?)(?P<phase>{'|'.join(_PHASES)})(?:数)?为\s*{_NUMBER}"
)
_EXECUTED = re.compile(
    rf"(?P<subject>[^，,；;：:。]*?)(?:支出)?决算(?:数)?为\s*{_NUMBER}(?:[，,]\s*完成(?:年初|全年)?预算的{_PERCENT})?"
)
_CHAIN = re.compile(
    r"(?P<lei>[^，。；：、\d（）]+)（类）(?P<kuan>[^，。；：（）]+)（款）(?P<xiang>[^，。；：（）]+)（项）")

_DIRECTION_WORD = r"(?P<dir>增加|减少|增长|下降|持平|基本持平|一致)"
#: "与2023年度相比，S减少…" or "S与2023年度持平".
_CHANGE_LEAD = re.compile(
    rf"(?:(?P<lead>与|同|较|比)(?P<year>\d{{4}}\s*年度?|上年度?|上一年度?)(?:相比|比较)[，,]\s*"
    rf"(?P<subject>[^，,。；;：:\d]{{2,40}}?)|(?<=[。；;\s])(?P<flat_subject>[^，,。；;：:]{{2,40}}?)"
    rf"(?:与|同)(?P<flat_year>\d{{4}}\s*年度?|上年度?)(?:相比)?)"
    rf"(?=增加|减少|增长|下降|持平|基本持平|一致){_DIRECTION_WORD}"
)
_FLAT = ("持平", "基本持平", "一致")
_LIST_OPENING = re.compile(r"[。，,]?\s*其中[：:，,]\s*")
#: One item of "其中：因公出国（境）费支出决算持平；公务接待费支出决算持平".
_LISTED_CHANGE = re.compile(rf"(?:^|(?<=[；;，,：:]))\s*(?P<subject>[^，,。；;：:\d]{{2,40}}?){_DIRECTION_WORD}",
                            re.MULTILINE)
_LIST_LEAD = re.compile(r"^(?:其中|主要用于以下方面)?[：:，,；;\s]*")
#: Headings run into the next sentence in flowed text; a subject starts after them.
_HEADING_END = re.compile(r"^.*(?:情况|说明)[。]?")
_PARTS = {"财政拨款收入": ("fund_source", "FISCAL"), "其他收入": ("fund_source", "OTHER"),
          "事业收入": ("fund_source", "BUSINESS"), "经营收入": ("fund_source", "OPERATING"),
          "上级补助收入": ("fund_source", "HIGHER_SUBSIDY"), "附属单位上缴收入": ("fund_source", "SUBORDINATE"),
          "基本支出": ("expenditure_type", "BASIC"), "项目支出": ("expenditure_type", "PROJECT")}
#: 三公 items, most specific wording first, then "三公" itself (the total).
_SANGONG = (*SANGONG_ITEMS, ("三公", "_T"))


def _fund(text: str) -> str:
    return code_of(text, FUND_SCOPES) or "_T"


class _Reader:
    def __init__(self, source: SourceText, sections: tuple[Section, ...], codes: PrintedCodes,
                 year: int | None = None) -> None:
        #: The document's year (change statements compare with another one); None when not known.
        self.year = year
        #: Figures of a 决算 are executed unless the sentence names another phase.
        self.phase = "executed"
        self.source = source
        self.sections = sections
        self.codes = codes
        self.out = Readings()
        #: (codes, context) → fact already published, so a figure repeated in one section is kept once.
        self.seen: dict[tuple[object, ...], AmountFact] = {}
        #: Keys of the figures whose number a line or page break runs through (left out at the end).
        self.unsure: set[str] = set()

    # -- publishing ------------------------------------------------------------------------
    def context(self, offset: int) -> str:
        section = innermost(self.sections, offset)
        return section.code if section else "document"

    def fact(self, flow: Flowed, match: re.Match[str], label: str, start: int | None = None,
             **codes: object) -> AmountFact:
        """Publish the figure of ``match`` (span from ``start``, default the match start) once per context."""
        span = flow.span(match.start() if start is None else start, match.end("unit"))
        amount = Amount.parse(match.group("number"), match.group("unit"))
        context = self.context(span.start)
        fields = {"operation": "expenditure", "indicator": "TOTAL", "phase": self.phase, **codes}
        fields.setdefault("expenditure_type", "_T" if fields["operation"] == "expenditure" else "_Z")
        identity = (tuple(sorted((k, v) for k, v in fields.items() if k != "part_of")), context)
        if identity in self.seen:
            first = self.seen[identity]
            if first.amount.yuan != amount.yuan:
                self.out.defects.append(TextDefect(
                    "inconsistent-repeat", span,
                    f"{label} is printed as {first.amount.printed}{first.amount.unit} and as "
                    f"{amount.printed}{amount.unit} in the same section"))
            else:
                self.out.read.append(span)  # the same figure printed again: read, kept once
            return first
        fact = AmountFact(key=f"fin-{len(self.out.facts) + 1}", label=label, amount=amount, span=span,
                          context=context, **fields)  # type: ignore[arg-type]
        self.seen[identity] = fact
        self.out.facts.append(fact)
        if flow.broken(*match.span("number")):
            self.unsure.add(fact.key)
            self.unparsed(flow, match, "an amount broken over a line or page (a page number may have run into it): "
                                       "not read")
        return fact

    def ratio(self, flow: Flowed, match: re.Match[str], what: str, numerator: AmountFact,
              denominator: AmountFact | None) -> None:
        if denominator is None or match.group("pct") is None or flow.broken(*match.span("pct")):
            return  # no ratio stated, or not read with certainty
        span = flow.span(match.start(), match.end("pct") + 1)
        self.out.ratios.append(RatioStatement(f"fin-ratio-{len(self.out.ratios) + 1}", what,
                                              Percent.parse(match.group("pct")), numerator.key,
                                              denominator.key, span))

    def unparsed(self, flow: Flowed, match: re.Match[str], reason: str) -> None:
        span = flow.span(match.start("number"), match.end("unit"))
        self.out.unparsed.append(UnparsedSpan(span, reason, self.context(span.start)))

    # -- statements ------------------------------------------------------------------------
    def read(self, section: Section) -> None:
        flow = Flowed.of(self.source, section.span.start, section.span.end)
        text = flow.text
        totals: dict[str, AmountFact] = {}
        for match in _GRAND_TOTAL.finditer(text):
            self.fact(flow, match, match.group("label"), operation="revenue", item="GRAND_TOTAL",
                      fund_source="FISCAL" if match.group("fiscal") else "_T", expenditure_type="_Z")
        for match in _YEAR_TOTAL.finditer(text):
            revenue = match.group("side") == "收入"
            total = self.fact(flow, match, match.group("label"), operation="revenue" if revenue else "expenditure",
                              expenditure_type="_Z" if revenue else "_T", breakdown_complete=False)
            totals[match.group("label")] = total
            self.share_parts(flow, match.end(), total)
        for match in _FUND_TOTAL.finditer(text):
            label = match.group("label")
            basic = "基本支出" in label
            total = self.fact(flow, match, label, fund_source=_fund(label), breakdown_complete=False,
                              expenditure_type="BASIC" if basic else "_T")
            share_of = _SHARE_OF.match(text, match.end() + 1) if match.end() < len(text) else None
            if share_of and share_of.group("of") in totals:
                self.ratio(flow, share_of, "SHARE", total, totals[share_of.group("of")])
            if basic:
                self.personnel_parts(flow, match.end(), total)
            else:
                self.share_parts(flow, match.end(), total, functional=True)
        self.phase_statements(flow, section)
        self.subject_changes(flow, section)

    def sentence_end(self, text: str, start: int) -> int:
        end = text.find("。", start)
        return len(text) if end < 0 else end

    def share_parts(self, flow: Flowed, start: int, total: AmountFact, functional: bool = False) -> None:
        """The "label X万元，占p%" list following a total, each a part of it."""
        text = flow.text
        end = self.sentence_end(text, start)
        for match in _SHARE_PART.finditer(text, start, end):
            label = _LIST_LEAD.sub("", match.group("label"))
            codes: dict[str, object]
            if functional and label.endswith("（类）"):
                code = self.codes.code_of("functional", [label.removesuffix("（类）")])
                if code is None:
                    self.unparsed(flow, match, f"no table of this document prints the 类 {label!r}")
                    continue
                codes = {"functional": code, "fund_source": total.fund_source}
            elif label in _PARTS:
                name, value = _PARTS[label]
                codes = {name: value}
            else:
                self.unparsed(flow, match, f"share of an item not known as a part of {total.label}: {label!r}")
                continue
            base = {"operation": total.operation, "expenditure_type": total.expenditure_type,
                    "fund_source": total.fund_source}
            part = self.fact(flow, match, label, start=match.start("label") + len(match.group("label")) - len(label),
                             part_of=total.key, **{**base, **codes})
            self.ratio(flow, match, "SHARE", part, total)

    def personnel_parts(self, flow: Flowed, start: int, total: AmountFact) -> None:
        text = flow.text
        stop = text.find("。", text.find("公用经费", start)) if "公用经费" in text[start:] else -1
        for match in _PERSONNEL.finditer(text, start, stop if stop > 0 else len(text)):
            kind = "PERSONNEL" if match.group("label") == "人员经费" else "PUBLIC_OPERATING"
            self.fact(flow, match, match.group("label"), fund_source=total.fund_source, expenditure_type=kind,
                      part_of=total.key)

    def subject_codes(self, subject: str, flow: Flowed, before: int, section: Section,
                      parent: _Codes | None) -> _Codes | None:
        """Codes of what a phase statement is about, or None when it cannot be named."""
        subject = subject.strip()
        for word, item in _SANGONG:
            if word in subject:
                fund = _fund(subject) if "三公" in subject or parent is None else parent.get("fund_source", "_T")
                return {"indicator": "SANGONG", "item": item, "fund_source": fund}
        if subject and code_of(subject, FUND_SCOPES) and subject.endswith("支出"):
            return {"fund_source": _fund(subject), "expenditure_type": "_T"}
        if not subject:
            chains = list(_CHAIN.finditer(flow.text, 0, before))
            if chains:
                chain = chains[-1]
                code = self.codes.code_of("functional", [name.strip() for name in chain.group("lei", "kuan", "xiang")])
                if code:
                    return {"functional": code, "fund_source": _fund(section.heading),
                            "label": chain.group("xiang").strip() + "（项）"}
        return None

    def whole_of(self, codes: dict[str, object], wholes: dict[tuple[str, str], AmountFact], phase: str,
                 section: Section) -> AmountFact | None:
        """What a classified item of a phase statement is part of: the 类/款 of its code printed in this
        section in the same phase (the deepest), else the section's total of that phase."""
        code = codes.get("functional")
        if not isinstance(code, str):
            return None
        enclosing = [f for f in self.out.facts if f.context == section.code and f.phase == phase
                     and f.functional not in ("_T", "_Z") and len(f.functional) < len(code)
                     and code.startswith(f.functional) and f.fund_source == codes.get("fund_source")]
        if enclosing:
            return max(enclosing, key=lambda f: len(f.functional))
        return wholes.get(("TOTAL", phase))

    def phase_statements(self, flow: Flowed, section: Section) -> None:
        text = flow.text
        previous: _Codes | None = None  # codes of the last whole (e.g. 三公 total) for its parts
        wholes: dict[tuple[str, str], AmountFact] = {}
        taken: set[int] = set()
        for match in _PHASE.finditer(text):
            codes = self.subject_codes(match.group("subject"), flow, match.start("phase"), section, previous)
            executed = _EXECUTED.match(text, match.end("unit") + 1) if match.end("unit") < len(text) else None
            if codes is None:
                self.unparsed(flow, match, f"cannot tell what {match.group('phase')} is about")
                if executed:
                    taken.add(executed.start("number"))
                continue
            subject = _HEADING_END.sub("", match.group("subject").strip()) or str(codes.pop("label", ""))
            label = subject + match.group("phase")
            whole = self.whole_of(codes, wholes, _PHASES[match.group("phase")], section)
            approved = self.fact(flow, match, label, start=match.start("phase"), phase=_PHASES[match.group("phase")],
                                 part_of=whole.key if whole else None, **codes)
            if "functional" not in codes and codes.get("item", "_T") == "_T":
                wholes[(str(codes.get("indicator", "TOTAL")), approved.phase)] = approved
            if executed and not executed.group("subject").strip():
                taken.add(executed.start("number"))
                whole = self.whole_of(codes, wholes, "executed", section)
                done = self.fact(flow, executed, subject + "决算", phase="executed",
                                 part_of=whole.key if whole else None, **codes)
                self.ratio(flow, executed, "EXECUTION", done, approved)
                if "functional" not in codes and codes.get("item", "_T") == "_T":
                    wholes[(str(codes.get("indicator", "TOTAL")), "executed")] = done
            if codes.get("item") == "_T":
                previous = codes
        for match in _EXECUTED.finditer(text):
            if match.start("number") in taken or not match.group("subject").strip():
                continue
            codes = self.subject_codes(match.group("subject"), flow, match.start(), section, previous)
            if codes is None:
                self.unparsed(flow, match, "cannot tell what this 决算 figure is about")
                continue
            whole = wholes.get((str(codes.get("indicator", "TOTAL")), "executed"))
            part_of = whole.key if whole and codes.get("item") not in (None, "_T") else None
            self.fact(flow, match, match.group("subject").strip() + "决算", phase="executed", part_of=part_of, **codes)


    def subject_changes(self, flow: Flowed, section: Section) -> None:
        """"与2023年度相比，S减少…" / "S决算数与2023年度持平。其中：T持平；…" → claims about the section's figures.

        S is tied to the one figure of this section whose label, without phase words, is S; when no figure
        or several fit, the statement is left alone.
        """
        text = flow.text
        for match in _CHANGE_LEAD.finditer(text):
            group = "subject" if match.group("subject") else "flat_subject"
            year = compared_year(match.group("year") or match.group("flat_year"), self.year) if self.year else None
            self.subject_change(flow, section, match.group(group), match.start(group), match.start("dir"), year)
            sentence_end = self.sentence_end(text, match.end())
            listed = _LIST_OPENING.match(text, match.end() if match.group("dir") in _FLAT else
                                         min(sentence_end + 1, len(text)))
            if listed is None:
                continue
            stop = self.sentence_end(text, listed.end())
            for item in _LISTED_CHANGE.finditer(text, listed.end(), stop):
                self.subject_change(flow, section, item.group("subject"), item.start("subject"),
                                    item.start("dir"), year)

    def subject_change(self, flow: Flowed, section: Section, subject: str, subject_start: int, at: int,
                       year: int | None) -> None:
        about = [fact for fact in self.out.facts if fact.context == section.code
                 and _bare(fact.label) == _bare(subject) and fact.phase == "executed"]
        # the same figure printed twice in a section (总体情况 and 具体情况) is still one subject
        if len({(f.amount.yuan, f.fund_source, f.functional, f.item,
                 f.expenditure_type, f.indicator) for f in about}) != 1:
            return
        # read on the flowed text: a direction word may be broken over two lines ("减\n少")
        read = read_clause(flow, at, len(flow.text), self.year or 0, needs_comparison=False, context_year=year)
        if read is None:
            return
        span = flow.span(subject_start, read.end)
        reason = read_reason(flow, read.end, len(flow.text))
        key = f"{about[0].key}-change"
        if any(change.key == key for change in self.out.changes):
            return
        self.out.changes.append(to_statement(key, about[0].key, replace(read, span=span), reason))


def _bare(label: str) -> str:
    """A label without its year, phase words and trailing 支出: what a change statement names it by."""
    label = re.sub(r"^.*?\d{4}\s*年度?", "", label.strip())
    previous = None
    while previous != label:
        previous = label
        label = re.sub(r"(?:决算数|预算数|年初预算|全年预算|调整预算|决算|支出)$", "", label)
    return label


def read_final_statements(ctx: ReadingContext) -> Readings:
    """Read the 决算-specific statements of every narrative section (tables and glossary left out) of a final
    account (nothing of a budget); the document's year dates the comparisons of change statements."""
    if ctx.kind != "final":
        return Readings()
    sections = ctx.sections
    reader = _Reader(ctx.source, sections, ctx.printed_codes, ctx.year)
    leaves = [section for section in sections
              if not section.code.startswith(("table", "part-2", "glossary"))
              and section.meaning not in ("tables", "glossary", "duties", "composition", "overview")
              and not any(other is not section and other.level > section.level
                          and section.span.start <= other.span.start < section.span.end for other in sections)]
    for section in leaves:
        reader.read(section)
    return without_unsure(reader.out, reader.unsure)
