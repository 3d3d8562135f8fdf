"""A disclosure's year-over-year statements ("比上年增加107.84万元，增长15%") beside what their own figures give:
the change as stated, in yuan and per cent, and the per cent recomputed from the amount and the stated change
(or from the compared-with amount when the statement prints it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..vocab import BGT
from .figures import Figure

if TYPE_CHECKING:
    from .triples import Triples

_SIGN = {"INCREASE": 1, "DECREASE": -1, "NO_CHANGE": 0}
_LIMIT = 5000


@dataclass(frozen=True)
class ChangeClaim:
    iri: str
    label: str
    #: The figure the statement is about, when it names one.
    figure: Figure | None
    #: The change as stated, in yuan (its sign as printed).
    change: Decimal | None
    #: The direction stated, when the statement states exactly one (增加/减少/持平).
    direction: str | None
    stated_percent: Decimal | None
    compared_with: Decimal | None
    compared_year: str

    @property
    def base(self) -> Decimal | None:
        """Last year's amount: as printed in the statement, else this year's less the signed change."""
        if self.compared_with is not None:
            return self.compared_with
        if self.figure is None or self.figure.yuan is None or self.change is None:
            return None
        if self.direction is None:
            return None  # no direction, or contradictory ones: the sign of the change is unknown
        return self.figure.yuan - abs(self.change) * _SIGN[self.direction]

    @property
    def recomputed_percent(self) -> Decimal | None:
        """The change over last year's amount, in per cent to two decimals (None when it cannot be known)."""
        base = self.base
        if base is None or not base or self.change is None or self.direction is None:
            return None
        signed = abs(self.change) * _SIGN[self.direction]
        return (signed * 100 / base).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def change_claims(store: Triples, dataset: str, figures: list[Figure]) -> list[ChangeClaim]:
    """The change statements of ``dataset``, by the position of the figure they are about."""
    by_iri = {figure.iri: figure for figure in figures}
    claims = []
    for triple in store.incoming(dataset, _LIMIT):
        if triple.predicate.value != str(DCTERMS.isPartOf) or not isinstance(triple.subject, ox.NamedNode):
            continue
        facts: dict[str, list[object]] = {}
        for about in store.describe(triple.subject.value):
            if about.subject == triple.subject:
                facts.setdefault(about.predicate.value, []).append(about.object)
        if not any(isinstance(t, ox.NamedNode) and t.value == str(BGT.ChangeStatement)
                   for t in facts.get(str(RDF.type), [])):
            continue
        directions = {d.value.rsplit("/", 1)[-1] for d in facts.get(str(BGT.reportedDirection), [])
                      if isinstance(d, ox.NamedNode)}
        about_figure = next((by_iri[t.value] for t in facts.get(str(BGT.about), [])
                             if isinstance(t, ox.NamedNode) and t.value in by_iri), None)
        year = next((t.value.rsplit("/", 1)[-1] for t in facts.get(str(BGT.comparedWithYear), [])
                     if isinstance(t, ox.NamedNode)), "")
        label = next((t.value for t in facts.get(str(RDFS.label), []) if isinstance(t, ox.Literal)), "")
        claims.append(ChangeClaim(
            triple.subject.value, label, about_figure, _decimal(facts, BGT.reportedChangeInYuan),
            directions.pop() if len(directions) == 1 and directions <= set(_SIGN) else None,
            _decimal(facts, BGT.reportedChangePercent), _decimal(facts, BGT.comparedWithAmountInYuan), year))
    return sorted(claims, key=lambda c: (c.figure.start if c.figure else 10**9, c.iri))


def _decimal(facts: dict[str, list[object]], predicate: object) -> Decimal | None:
    for term in facts.get(str(predicate), []):
        if isinstance(term, ox.Literal):
            try:
                return Decimal(term.value)
            except InvalidOperation:
                return None
    return None
