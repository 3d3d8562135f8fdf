"""The state one disclosure's mapping shares: the graph being built, its IRIs, and literal helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..iris import IriMinter
from ..records.model import Disclosure
from ..registry import Organization

#: How many distinct literals of each kind a process keeps made (rdflib's ``Literal()`` costs 5–15 µs: it casts
#: the value through its tables of datatypes; literals are immutable, so one object can stand in every graph).
_KEPT = 1 << 15


def literal(value: str | int | bool | date, datatype: URIRef | None = None) -> Literal:
    """``Literal(value, datatype=datatype)``, made once for each value while it is among the :data:`_KEPT` last
    used: a unit, a count, a notation, an offset recur in many figures and documents."""
    return _literal(type(value).__name__, value, datatype)


@lru_cache(maxsize=_KEPT)
def _literal(kind: str, value: str | int | bool | date, datatype: URIRef | None) -> Literal:
    # ``kind`` keeps True and 1 (equal, with one hash) apart, and a date and a datetime
    return Literal(value, datatype=datatype)


@lru_cache(maxsize=_KEPT)  # numerically equal decimals have one canonical form: the Decimal is the key
def canonical_decimal(value: Decimal) -> Literal:
    """``xsd:decimal`` in its canonical lexical form (``5.00`` → ``5.0``, ``21`` → ``21.0``).

    >>> [str(canonical_decimal(Decimal(text))) for text in ("5.00", "-0", "1E+1", "819.82")]
    ['5.0', '0.0', '10.0', '819.82']
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0")
        text = text + "0" if text.endswith(".") else text
    else:
        text += ".0"
    if text in ("-0.0", "+0.0"):
        text = "0.0"
    return Literal(text, datatype=XSD.decimal)


@lru_cache(maxsize=_KEPT)
def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


@lru_cache(maxsize=_KEPT)
def en(text: str) -> Literal:
    return Literal(text, lang="en")


class Triples(dict[tuple[Node, Node, Node], None]):
    """The triples of a graph being mapped, each once, in the order first added; ``triple in triples`` asks whether
    one was. Made into an rdflib graph once, when the mapping is done (:func:`kg_publisher.ntriples.filled_graph`):
    adding to rdflib's store triple by triple costs ten times as much."""

    #: ``add(triple)``: the C method ``dict.setdefault`` (a key with the value None), no Python call per triple.
    add: Callable[[tuple[Node, Node, Node]], None] = dict.setdefault  # type: ignore[assignment]


@dataclass
class MappingContext:
    """Everything the per-record mappers need; they add triples to :attr:`graph`."""

    graph: Triples
    disclosure: Disclosure
    minter: IriMinter
    org: Organization
    dataset: URIRef
    source: URIRef
    organization: URIRef

    @property
    def year(self) -> int:
        return self.disclosure.info.year

    def obs(self, key: str) -> URIRef:
        return IriMinter.part(self.dataset, "obs", key)

    def claim(self, key: str) -> URIRef:
        return IriMinter.part(self.dataset, "claim", key)

    def section(self, code: str) -> URIRef:
        return IriMinter.part(self.dataset, "section", code)
