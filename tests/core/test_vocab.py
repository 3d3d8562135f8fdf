"""rdflib's defined namespaces as kg_publisher.vocab leaves them: each declared term one object, the same IRI as
rdflib makes it, and an undeclared name still refused."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SH, SKOS, XSD

import kg_publisher.vocab  # noqa: F401  # what is tested is what importing it does


@pytest.mark.parametrize(("namespace", "name"), [(RDF, "type"), (DCTERMS, "title"), (SH, "focusNode"),
                                                 (SKOS, "prefLabel"), (XSD, "decimal")])
def test_a_declared_term_is_one_object_with_rdflibs_iri(namespace: type, name: str) -> None:
    term = getattr(namespace, name)
    assert term is getattr(namespace, name)
    assert type(term) is URIRef and term == URIRef(f"{namespace}{name}") == namespace[name]
    assert term in namespace


def test_an_undeclared_term_is_still_refused() -> None:
    with pytest.raises(AttributeError, match="not in namespace"):
        RDF.notATerm  # noqa: B018
