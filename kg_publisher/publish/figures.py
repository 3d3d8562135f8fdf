"""The figures of one disclosure, as its readers want them: item, amount as printed and in yuan, section, the
codes that place it (revenue or expenditure, indicator, fund source, function class, …), in document order.

The dataset page, its spreadsheets (:mod:`kg_publisher.publish.spreadsheet`) and its overview
(:mod:`kg_publisher.publish.overview`) all read the figures from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..vocab import BGT, OBEU_DIM, OBEU_MEASURE, PROV, QB

if TYPE_CHECKING:
    from .triples import Triples

#: Most figures listed on one page (a disclosure with its tables holds a few hundred).
FIGURES_LIMIT = 2000

#: The code-valued dimensions of a figure, by the short name used on pages and in spreadsheets.
DIMENSIONS: dict[str, str] = {
    "operation": str(BGT.operationCharacter),
    "indicator": str(BGT.indicator),
    "fund_source": str(BGT.fundSource),
    "expenditure_type": str(BGT.expenditureType),
    "function": str(BGT.functionalClassification),
    "economic": str(BGT.economicClassification),
    "item": str(BGT.item),
    "phase": str(OBEU_DIM.budgetPhase),
    "year": str(OBEU_DIM.fiscalYear),
    "organization": str(OBEU_DIM.organization),
}


@dataclass(frozen=True)
class Figure:
    iri: str
    label: str
    printed: str
    section: str
    #: Offsets of the figure in its source (``start`` orders the table like the document).
    start: int
    end: int = 0
    printed_value: str = ""
    printed_unit: str = ""
    #: The amount in 元 (``bgt:amountInYuan``), exact.
    yuan: Decimal | None = None
    #: Dimension short name (:data:`DIMENSIONS`) → the code IRI it takes.
    codes: Mapping[str, str] = field(default_factory=dict)
    #: The first printing of the same figure when this is a later one (``bgt:reprintOf``); sums skip reprints.
    reprint_of: str | None = None
    span: str = ""

    def notation(self, dimension: str) -> str | None:
        """The code's notation, the last segment of its IRI (``…/code/fund-source/_T`` → ``_T``)."""
        iri = self.codes.get(dimension)
        return iri.rstrip("/").rsplit("/", 1)[-1] if iri else None


def figures_of(store: Triples, dataset: str) -> list[Figure]:
    """Every observation of ``dataset``, in document order."""
    figures = []
    for triple in store.incoming(dataset, 4 * FIGURES_LIMIT):
        if triple.predicate.value != str(QB.dataSet) or not isinstance(triple.subject, ox.NamedNode):
            continue
        facts: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {}
        for about in store.describe(triple.subject.value):
            if about.subject == triple.subject:
                facts.setdefault(about.predicate.value, about.object)
        if str(OBEU_MEASURE.amount) not in facts:
            continue
        label, value, unit = (facts.get(str(BGT[name])) for name in ("printedLabel", "printedValue", "printedUnit"))
        section = facts.get(str(BGT.reportingContext))
        span = facts.get(str(PROV.wasDerivedFrom))
        reprint = facts.get(str(BGT.reprintOf))
        # span IRIs end in /span/{start}-{end} (kg_publisher.iris): the start orders figures as printed
        start, _, end = (span.value.rsplit("/span/", 1)[-1] if isinstance(span, ox.NamedNode) else "").partition("-")
        figures.append(Figure(
            iri=triple.subject.value,
            label=_text(label),
            printed=_text(value) + _text(unit),
            section=section.value if isinstance(section, ox.NamedNode) else "",
            start=int(start) if start.isdigit() else 0,
            end=int(end) if end.isdigit() else 0,
            printed_value=_text(value),
            printed_unit=_text(unit),
            yuan=_decimal(facts.get(str(BGT.amountInYuan))),
            codes={name: term.value for name, predicate in DIMENSIONS.items()
                   if isinstance(term := facts.get(predicate), ox.NamedNode)},
            reprint_of=reprint.value if isinstance(reprint, ox.NamedNode) else None,
            span=span.value if isinstance(span, ox.NamedNode) else "",
        ))
        if len(figures) >= FIGURES_LIMIT:
            break
    return sorted(figures, key=lambda f: (f.start, f.iri))


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.Literal) else ""


def _decimal(term: object) -> Decimal | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None
