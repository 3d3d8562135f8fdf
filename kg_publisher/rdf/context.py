"""The state one disclosure's mapping shares: the graph being built, its IRIs, and literal helpers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..iris import IriMinter
from ..records.model import Disclosure
from ..registry import Organization


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


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


@dataclass
class MappingContext:
    """Everything the per-record mappers need; they add triples to :attr:`graph`."""

    graph: Graph
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
