"""A department across its disclosures: each one's headline figures side by side, by year, the change from the
previous disclosure of the same kind, and for a year with both its budget (预算) and final accounts (决算), the
execution rate (决算 / 预算); and what each disclosure says the department does: its duties (职责) and internal
units (内设机构) with theirs, by year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from ..vocab import OA
from .overview import HEADLINES, Headline, Overview, dataset_overview

if TYPE_CHECKING:
    from .triples import Triples


@dataclass(frozen=True)
class Disclosure:
    key: str
    dataset: str
    title: str
    year: int
    kind: str
    overview: Overview


@dataclass(frozen=True)
class ProfileRow:
    headline: Headline
    #: One amount in yuan per disclosure (None: the disclosure does not print it), in :attr:`Profile.disclosures`
    #: order.
    amounts: list[Decimal | None]
    #: Per cent change from the previous disclosure of the same kind, one decimal (None: nothing to compare).
    changes: list[Decimal | None]


@dataclass(frozen=True)
class Execution:
    """预算 and 决算 of one year: how much of the approved budget was spent."""

    year: int
    headline: Headline
    budget: Decimal
    final: Decimal

    @property
    def rate(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.final * 100 / self.budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DutyEntry:
    """One duty as its disclosure prints it."""

    iri: str
    notation: str
    text: str


@dataclass(frozen=True)
class UnitEntry:
    """One internal unit (内设机构) named by a disclosure, with the duties that disclosure gives it."""

    iri: str
    name: str
    notation: str
    duties: list[DutyEntry]


@dataclass(frozen=True)
class Structure:
    """What one disclosure says the department does: its own duties and its internal units, in printed order."""

    disclosure: Disclosure
    duties: list[DutyEntry]
    units: list[UnitEntry]


@dataclass(frozen=True)
class Profile:
    disclosures: list[Disclosure]
    rows: list[ProfileRow]
    execution: list[Execution]
    #: One entry per disclosure that prints duties or units, in :attr:`disclosures` order.
    structure: list[Structure] = field(default_factory=list)


def percent_change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """``after`` against ``before`` in per cent, one decimal; None when either is missing or ``before`` is 0.

    >>> percent_change(Decimal("29400500"), Decimal("31214200"))
    Decimal('6.2')
    """
    if before is None or after is None or not before:
        return None
    return ((after - before) * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def profile(disclosures: Iterable[Disclosure]) -> Profile:
    ordered = sorted(disclosures, key=lambda d: (d.year, d.kind))
    rows = []
    for headline in HEADLINES:
        amounts = [(line.yuan if (line := d.overview.headline(headline.key)) is not None else None) for d in ordered]
        if all(amount is None for amount in amounts):
            continue
        changes: list[Decimal | None] = []
        previous: dict[str, Decimal | None] = {}
        for disclosure, amount in zip(ordered, amounts, strict=True):
            changes.append(percent_change(previous.get(disclosure.kind), amount))
            previous[disclosure.kind] = amount
        rows.append(ProfileRow(headline, amounts, changes))
    execution = []
    by_year: dict[int, dict[str, Disclosure]] = {}
    for disclosure in ordered:
        by_year.setdefault(disclosure.year, {})[disclosure.kind] = disclosure
    for year, kinds in sorted(by_year.items()):
        if "budget" in kinds and "final" in kinds:
            for headline in HEADLINES:
                approved, spent = (kinds[k].overview.headline(headline.key) for k in ("budget", "final"))
                if approved is not None and spent is not None:
                    execution.append(Execution(year, headline, approved.yuan, spent.yuan))
    return Profile(ordered, rows, execution)


def department_profile(store: Triples, datasets: Iterable[Mapping[str, Any]], organisation: str = "") -> Profile:
    """The profile of a department from its manifest ``datasets`` rows, every one of them (no cap); with the
    ``organisation``'s IRI, its duties and internal units by disclosure too."""
    result = profile(Disclosure(row["key"], row["dataset"], row["title"], int(row["year"]), row["kind"],
                                dataset_overview(store, row["dataset"])) for row in datasets)
    if not organisation:
        return result
    return replace(result, structure=structure(store, organisation, result.disclosures))


def _objects(triples: Iterable[Any], subject: str, predicate: object) -> list[Any]:
    return [t.object for t in triples if t.subject.value == subject and t.predicate.value == str(predicate)]


def _text(triples: list[Any], subject: str, predicate: object) -> str:
    return next((term.value for term in _objects(triples, subject, predicate)), "")


class _Printed:
    """Where a resource was read: the source documents and first character offset of its spans
    (``prov:wasDerivedFrom`` → ``oa:hasSource`` and the position selector's ``oa:start``)."""

    def __init__(self, store: Triples) -> None:
        self.store = store
        self._spans: dict[str, tuple[str, int]] = {}

    def span(self, span: str) -> tuple[str, int]:
        if span not in self._spans:
            about = self.store.describe(span)
            source = _text(about, span, OA.hasSource)
            starts = [int(_text(self.store.describe(selector.value), selector.value, OA.start) or -1)
                      for selector in _objects(about, span, OA.hasSelector)]
            self._spans[span] = (source, max(starts, default=-1))
        return self._spans[span]

    def places(self, about: list[Any], iri: str) -> dict[str, int]:
        """Source IRI → the first offset ``iri`` was read at in it."""
        found: dict[str, int] = {}
        for span in _objects(about, iri, PROV.wasDerivedFrom):
            source, start = self.span(span.value)
            if source:
                found[source] = min(start, found.get(source, start))
        return found


def structure(store: Triples, organisation: str, disclosures: list[Disclosure]) -> list[Structure]:
    """The duties and internal units ``organisation`` has in each of ``disclosures``: a duty or unit belongs to
    the disclosures whose source document it was read from (one unit, named in several years, is in each)."""
    sources: dict[str, Disclosure] = {}
    for disclosure in disclosures:
        for source in _objects(store.describe(disclosure.dataset), disclosure.dataset, DCTERMS.source):
            sources[source.value] = disclosure
    printed = _Printed(store)
    about_org = store.describe(organisation)

    def duties_of(holder: str, about: list[Any]) -> dict[str, list[tuple[int, DutyEntry]]]:
        by_source: dict[str, list[tuple[int, DutyEntry]]] = {}
        for duty in _objects(about, holder, ORG.purpose):
            facts = store.describe(duty.value)
            entry = DutyEntry(duty.value, _text(facts, duty.value, SKOS.notation),
                              _text(facts, duty.value, SKOS.definition))
            for source, start in printed.places(facts, duty.value).items():
                by_source.setdefault(source, []).append((start, entry))
        return by_source

    own = duties_of(organisation, about_org)
    units: dict[str, list[tuple[int, UnitEntry]]] = {}
    for unit in _objects(about_org, organisation, ORG.hasUnit):
        facts = store.describe(unit.value)
        its_duties = duties_of(unit.value, facts)
        name, notation = _text(facts, unit.value, SKOS.prefLabel), _text(facts, unit.value, SKOS.notation)
        for source, start in printed.places(facts, unit.value).items():
            ordered = sorted(its_duties.get(source, []), key=lambda pair: pair[0])
            entry = UnitEntry(unit.value, name, notation, [duty for _, duty in ordered])
            units.setdefault(source, []).append((start, entry))
    result = []
    for source, disclosure in sorted(sources.items(), key=lambda item: disclosures.index(item[1])):
        duties = [entry for _, entry in sorted(own.get(source, []), key=lambda pair: pair[0])]
        its_units = [entry for _, entry in sorted(units.get(source, []), key=lambda pair: pair[0])]
        if duties or its_units:
            result.append(Structure(disclosure, duties, its_units))
    return result
