"""The figures of one disclosure, as a reader of its dataset page wants them: item, amount as printed,
section, in the order of the document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..vocab import BGT, OBEU_MEASURE, PROV, QB

if TYPE_CHECKING:
    from .store import Store

#: Most figures listed on one page (a disclosure with its tables holds a few hundred).
FIGURES_LIMIT = 2000


@dataclass(frozen=True)
class Figure:
    iri: str
    label: str
    printed: str
    section: str
    #: Offset of the figure in its source (orders the table like the document).
    start: int


def figures_of(store: Store, dataset: str) -> list[Figure]:
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
        # span IRIs end in /span/{start}-{end} (kg_publisher.iris): the start orders figures as printed
        start = span.value.rsplit("/span/", 1)[-1].split("-", 1)[0] if isinstance(span, ox.NamedNode) else ""
        figures.append(Figure(
            iri=triple.subject.value,
            label=_text(label),
            printed=_text(value) + _text(unit),
            section=section.value if isinstance(section, ox.NamedNode) else "",
            start=int(start) if start.isdigit() else 0,
        ))
        if len(figures) >= FIGURES_LIMIT:
            break
    return sorted(figures, key=lambda f: (f.start, f.iri))


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.Literal) else ""
