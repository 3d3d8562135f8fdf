"""What every reader of one disclosure is given (:class:`ReadingContext`), and how a reader writes what it read.

A reader is a function ``reader(ctx, section) -> Readings`` (or ``reader(ctx) -> Readings`` for what spans
sections): it reads the text through ``ctx`` and returns every record it read, changing nothing outside.
:func:`.parse.parse_disclosure` calls the readers in document order and merges their :class:`Readings`
(:func:`merge_readings`), the way :func:`kg_publisher.rdf.graph.disclosure_graph` calls one ``add_<thing>`` per
record kind.

What a narrative reader records (:class:`SectionReading`): every figure where it is printed, with the label
printed next to it (the same figure printed in two sections is two facts, so validation can compare them); a
year-over-year clause right after a figure (比2021年度增加…) becomes its :class:`ChangeStatement`, with the
reason printed after it; whether a total's printed parts are meant to be complete (``breakdown_complete``) is
decided by the words introducing them (see each topic's module).

Certainty. A number whose digits a line or page break of the source runs through (``Flowed.broken``: a page
number run into it, two cells run together) is not read: the figure or count becomes unread text, its claims
and ratios go with it, its parts are part of nothing and the total it is part of is no longer said to be their
sum (:meth:`SectionReading.done`, :func:`without_unsure`), so no arithmetic or count finding is ever raised over
a number the product was not sure of.

Keys. A reader names each record by what it is (``revenue-total``, ``sangong-vehicles``); a name asked for
again within one reading is suffixed ``#2``, ``#3`` … there, which no published key contains. The merge
settles the keys of the whole document: the first record to ask for a name gets it, a later figure gets
``-<its section>`` (and ``-2`` … within one section), a later claim or count ``-2`` …; references between the
records of one reading (``part_of``, a claim's figure, a ratio's terms) follow their records, and a claim is
named after the figure it is about (``<figure key>-change``).

>>> from kg_publisher.extract.source import SourceText
>>> from kg_publisher.records.model import Amount, AmountFact
>>> src = SourceText("x.txt", "0" * 64, "text/plain", "收入预算5万元")
>>> def one(context: str) -> Readings:
...     fact = AmountFact("revenue-total", "收入预算", Amount.parse("5", "万元"), src.span(0, 7), "revenue",
...                       "TOTAL", context)
...     return Readings(facts=[fact])
>>> [f.key for f in merge_readings([one("sec-1"), one("sec-2")]).facts]
['revenue-total', 'revenue-total-sec-2']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..extract.source import SourceText, Span
from .changes import read_clause, read_reason, to_statement
from .classification import PrintedCodes
from .flow import Flowed
from .lexicon import PHASE_OF_KIND, PHASES, code_of
from .model import AmountFact, ChangeStatement, CountStatement, RatioStatement, Readings, Section, UnparsedSpan
from .patterns import amount_of, unwrap

__all__ = ["ReadingContext", "SectionReading", "merge_readings", "phase_of", "without_unsure"]


@dataclass(frozen=True)
class ReadingContext:
    """One disclosure's text and what is known of it before its figures are read. Nothing a reader does
    changes it; what it computes on first use (the flowed text, the printed classification codes) is kept."""

    source: SourceText
    sections: tuple[Section, ...]
    year: int
    #: ``budget`` or ``final``.
    kind: str

    @property
    def phase(self) -> str:
        """The phase of a figure whose words name none: 预算 → approved, 决算 → executed."""
        return PHASE_OF_KIND[self.kind]

    @cached_property
    def view(self) -> Flowed:
        """The whole text without the layout's line breaks: the readers' patterns run on it (spans map back)."""
        return Flowed.whole(self.source)

    @cached_property
    def printed_codes(self) -> PrintedCodes:
        """The classification codes and names the document's own tables print."""
        return PrintedCodes.read(self.source, self.sections)

    def bounds(self, section: Section) -> tuple[int, int, int]:
        """Flowed offsets of a section's body start and end, and of its heading start."""
        return (self.view.at(section.heading_span.end), self.view.at(section.span.end),
                self.view.at(section.span.start))

    def reading(self, section: Section) -> SectionReading:
        """A new, empty reading of ``section``."""
        return SectionReading(self, section)


@dataclass
class SectionReading:
    """The records one reader draws from one section, while it reads; :attr:`out` is what it returns.

    Only the reader that made it writes to it: every reader starts from an empty one."""

    ctx: ReadingContext
    section: Section
    out: Readings = field(default_factory=Readings)
    #: The names this reading has given (:meth:`key`).
    names: set[str] = field(default_factory=set)
    #: Keys of the figures whose number was not read with certainty (:meth:`done` leaves them out).
    unsure: set[str] = field(default_factory=set)

    @property
    def view(self) -> Flowed:
        return self.ctx.view

    @property
    def phase(self) -> str:
        return self.ctx.phase

    @property
    def year(self) -> int:
        return self.ctx.year

    def bounds(self) -> tuple[int, int, int]:
        return self.ctx.bounds(self.section)

    def key(self, name: str) -> str:
        """``name``, or ``name#2`` … when this reading has used it already (see the module docstring)."""
        candidate, n = name, 1
        while candidate in self.names:
            n += 1
            candidate = f"{name}#{n}"
        self.names.add(candidate)
        return candidate

    def moved_to(self, section: Section) -> SectionReading:
        """The same reading going on in another section (a reader of what spans sections)."""
        return SectionReading(self.ctx, section, self.out, self.names, self.unsure)

    def done(self) -> Readings:
        """What the reader returns: what it read, without the figures whose number it could not read with
        certainty (see :meth:`add`). Their claims and ratios go with them, their parts are part of nothing, and
        the total they are part of is no longer meant to be complete: no sum is checked over a misreading."""
        return without_unsure(self.out, self.unsure)


    def in_section(self, name: str) -> AmountFact | None:
        """The first figure of this reading asked for as ``name``."""
        return next((f for f in self.out.facts if asked_name(f.key) == name), None)

    def add(self, name: str, match: re.Match[str], *, operation: str, indicator: str, with_change: bool = True,
            label: str | None = None, start: int | None = None, **dimensions: object) -> AmountFact:
        """Record the labelled figure matched by ``match`` (groups ``label``, ``number``, ``unit``) on the
        flowed text; ``label`` replaces the printed one where the number's own words only name its phase
        (支出决算), or names a figure whose match is its amount alone (then ``start`` is where its label
        starts, and ``phase`` is given)."""
        phase = str(dimensions.pop("phase", None) or phase_of(match, self.phase))
        fact = AmountFact(
            key=self.key(name),
            label=label or unwrap(match.group("label")),
            amount=amount_of(match),
            span=self.view.span(match.start("label") if start is None else start, match.end()),
            operation=operation,
            indicator=indicator,
            context=self.section.code,
            phase=phase,
            **dimensions,  # type: ignore[arg-type]
        )
        self.out.facts.append(fact)
        if not self.unbroken(match, "number"):
            self.unsure.add(fact.key)
            self.unread(fact.span, "an amount broken over a line or page (a page number may have run into it): "
                                   "not read")
        if with_change:
            self.change_after(fact, match.end(), self.bounds()[1])
        return fact

    def fact(self, fact: AmountFact) -> AmountFact:
        """Record a figure built by the reader itself (its key is settled here)."""
        fact = replace(fact, key=self.key(fact.key))
        self.out.facts.append(fact)
        return fact

    def change_after(self, fact: AmountFact, start: int, limit: int) -> None:
        """A change clause printed right after the figure (比2021年度增加…), with its reason."""
        read = read_clause(self.view, start, limit, self.year)
        if read is None:
            return
        reason = read_reason(self.view, read.end, limit)
        self.out.changes.append(to_statement(self.key(f"{fact.key}-change"), fact.key, read, reason))

    def set_breakdown(self, fact: AmountFact, complete: bool) -> AmountFact:
        facts = self.out.facts
        index = next(i for i, f in enumerate(facts) if f.key == fact.key)
        facts[index] = replace(facts[index], breakdown_complete=complete)
        return facts[index]

    def count(self, name: str, what: str, match: re.Match[str], *, start: int | None = None,
              part_of: str | None = None) -> CountStatement | None:
        """Record the count matched by ``match`` (its number as group ``n``; its span from ``start``, default the
        match start, to the match end), or None: a count whose digits a line or page break runs through is not
        read with certainty (a page number may have run into it), so it is unread text, never a count."""
        span = self.view.span(match.start() if start is None else start, match.end())
        if not self.unbroken(match, "n"):
            self.unread(span, "a count broken over a line or page (a page number may have run into it): not read")
            return None
        statement = CountStatement(self.key(name), what, int(match.group("n")), span, part_of)
        self.out.counts.append(statement)
        return statement

    def unbroken(self, match: re.Match[str], group: str) -> bool:
        """Whether the characters of ``group`` stand together in the source: no line or page break among them."""
        return not self.view.broken(*match.span(group))

    def unread(self, span: Span, reason: str) -> None:
        """What this reader recognised but could not read with certainty (reported once per section)."""
        self.out.unparsed.append(UnparsedSpan(span, reason, self.section.code))

    def ratio(self, ratio: RatioStatement) -> None:
        self.out.ratios.append(replace(ratio, key=self.key(ratio.key)))

    def covered(self) -> list[tuple[int, int]]:
        """Source offsets of what this reading has read so far."""
        out = self.out
        spans = [*(f.span for f in out.facts), *(c.span for c in out.changes), *(c.span for c in out.counts),
                 *(r.span for r in out.ratios)]
        return [(s.start, s.end) for s in spans]


def phase_of(match: re.Match[str], default: str) -> str:
    """The phase the words of a figure's label (and filler) name, or ``default``."""
    said = match.group("label") + (match.groupdict().get("filler") or "")
    return code_of(said, PHASES) or default


def asked_name(key: str) -> str:
    """The name a record was asked for under (``revenue-total#2`` → ``revenue-total``)."""
    return key.partition("#")[0]


class _Keys:
    """The keys given so far in one document, and the rule giving the next one."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def give(self, name: str, context: str = "") -> str:
        stem = f"{name}-{context}" if context else name
        candidate, n = (name if name not in self.taken else stem), 1
        while candidate in self.taken:
            n += 1
            candidate = f"{stem}-{n}"
        self.taken.add(candidate)
        return candidate


def merge_readings(readings: Iterable[Readings]) -> Readings:
    """One :class:`Readings` of the readings of one document, in their order, every key unique (see the
    module docstring); the records keep their order."""
    keys = _Keys()
    merged = Readings()
    for reading in readings:
        names = {f.key: keys.give(asked_name(f.key), f.context) for f in reading.facts}
        names |= {c.key: keys.give(asked_name(c.key)) for c in reading.counts}
        merged.facts += [replace(f, key=names[f.key], part_of=names.get(f.part_of, f.part_of) if f.part_of else None)
                         for f in reading.facts]
        merged.changes += [_renamed_change(c, names, keys) for c in reading.changes]
        merged.counts += [replace(c, key=names[c.key], part_of=names.get(c.part_of, c.part_of) if c.part_of else None)
                          for c in reading.counts]
        merged.ratios += [replace(r, key=keys.give(asked_name(r.key)), numerator=names.get(r.numerator, r.numerator),
                                  denominator=names.get(r.denominator, r.denominator)) for r in reading.ratios]
        merged.none_stated += reading.none_stated
        merged.defects += reading.defects
        merged.unparsed += reading.unparsed
        merged.read += reading.read
    return merged


def _renamed_change(change: ChangeStatement, names: dict[str, str], keys: _Keys) -> ChangeStatement:
    about = names.get(change.about, change.about)
    return replace(change, key=keys.give(f"{about}-change"), about=about)


def without_unsure(out: Readings, unsure: set[str]) -> Readings:
    """``out`` without the figures keyed in ``unsure`` (numbers not read with certainty), their claims and
    ratios; their parts are part of nothing, the totals they are part of no longer meant to be complete."""
    if not unsure:
        return out
    wholes = {f.part_of for f in out.facts if f.key in unsure}
    facts = [replace(f, part_of=None if f.part_of in unsure else f.part_of,
                     breakdown_complete=f.breakdown_complete and f.key not in wholes)
             for f in out.facts if f.key not in unsure]
    return replace(out, facts=facts, changes=[c for c in out.changes if c.about not in unsure],
                   ratios=[r for r in out.ratios if not {r.numerator, r.denominator} & unsure])
