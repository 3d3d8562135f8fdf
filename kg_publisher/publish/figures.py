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

    def classification(self) -> str | None:
        """The function (else economic) classification code that places the figure; None for totals (_T, _Z)."""
        for dimension in ("function", "economic"):
            notation = self.notation(dimension)
            if notation and notation not in ("_T", "_Z"):
                return notation
        return None


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


#: Orders of the figures table (``?sort=`` on a dataset page, so it sorts without JavaScript too).
FIGURE_ORDERS = ("document", "item", "amount", "code", "section")


def select_figures(figures: list[Figure], sections: Mapping[str, str], text: str = "", order: str = "document",
                   descending: bool = False) -> list[Figure]:
    """The figures whose item, printed amount, code notation or section label (``sections``: section IRI →
    label) contain ``text`` (case-insensitive), in ``order`` (one of :data:`FIGURE_ORDERS`; amounts in yuan,
    figures without one last).

    >>> a = Figure("a", "三公经费", "9.5万元", "s", 2, yuan=Decimal("95000"))
    >>> b = Figure("b", "支出合计", "3121.42万元", "s", 1, yuan=Decimal("31214200"))
    >>> [f.iri for f in select_figures([a, b], {}, order="amount", descending=True)]
    ['b', 'a']
    >>> [f.iri for f in select_figures([a, b], {}, text="三公")]
    ['a']
    """
    if order not in FIGURE_ORDERS:
        raise ValueError(f"unknown order {order!r}: one of {', '.join(FIGURE_ORDERS)}")
    needle = text.strip().casefold()

    def haystack(figure: Figure) -> str:
        code = figure.classification() or ""
        return f"{figure.label} {figure.printed} {code} {sections.get(figure.section, '')}".casefold()

    chosen = [f for f in figures if needle in haystack(f)] if needle else list(figures)
    keys = {
        "document": lambda f: (f.start, f.iri),
        "item": lambda f: (f.label, f.start),
        "amount": lambda f: (f.yuan is None, f.yuan if f.yuan is not None else Decimal(0), f.start),
        "code": lambda f: (f.classification() or "~", f.start),
        "section": lambda f: (sections.get(f.section, f.section), f.start),
    }
    ordered = sorted(chosen, key=keys[order], reverse=descending)
    if order == "amount" and descending:  # figures without an amount stay last either way
        ordered = [f for f in ordered if f.yuan is not None] + [f for f in ordered if f.yuan is None]
    return ordered
