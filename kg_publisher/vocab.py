"""Namespaces used throughout the package (rdflib Namespace constants)."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Namespace as _RdflibNamespace
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD


class Namespace(_RdflibNamespace):
    """rdflib's ``Namespace``, each of its terms made once per process, as rdflib's own defined namespaces (RDF,
    SKOS …) are: making a ``URIRef`` checks its text (≈ 3 µs), and a graph's dicts compare two equal terms that are
    not one object in Python (rdflib's ``__eq__``), one object by identity. Mapping a disclosure names ≈ 10,000
    terms of these namespaces."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # as rdflib's: special Python names are not terms
            raise AttributeError(name)
        found = self.__dict__[name] = self.term(name)  # found by plain attribute lookup from now on
        return found

    def term(self, name: str) -> URIRef:
        return _term(self, name if isinstance(name, str) else "")


@lru_cache(maxsize=1 << 16)  # the terms of our code lists, years, phases …: a few thousand
def _term(namespace: _RdflibNamespace, name: str) -> URIRef:
    return URIRef(str.__add__(namespace, name))


#: Our own vocabulary (ontology/budget.ttl). Fixed: it names terms, not data.
BGT = Namespace("https://w3id.org/cn-budget-kg/def#")
#: Our code lists (ontology/codelists/*.ttl); fixed like the vocabulary.
CODE = Namespace("https://w3id.org/cn-budget-kg/code/")

QB = Namespace("http://purl.org/linked-data/cube#")
OBEU = Namespace("http://data.openbudgets.eu/ontology/")
OBEU_DIM = Namespace("http://data.openbudgets.eu/ontology/dsd/dimension/")
OBEU_MEASURE = Namespace("http://data.openbudgets.eu/ontology/dsd/measure/")
OBEU_ATTR = Namespace("http://data.openbudgets.eu/ontology/dsd/attribute/")
OBEU_PHASE = Namespace("http://data.openbudgets.eu/resource/codelist/budget-phase/")
OBEU_OP = Namespace("http://data.openbudgets.eu/resource/codelist/operation-character/")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_CODE = Namespace("http://purl.org/linked-data/sdmx/2009/code#")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
XKOS = Namespace("http://rdf-vocabulary.ddialliance.org/xkos#")
CV = Namespace("http://data.europa.eu/m8g/")
OA = Namespace("http://www.w3.org/ns/oa#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DQV = Namespace("http://www.w3.org/ns/dqv#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
#: DCAT 3 terms rdflib's DCAT namespace does not define (dcat:DatasetSeries, inSeries, prev, next, first, last).
DCAT3 = Namespace(str(DCAT))
EU_CURRENCY = Namespace("http://publications.europa.eu/resource/authority/currency/")
EU_LANG = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_FILETYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_AVAILABILITY = Namespace("http://publications.europa.eu/resource/authority/planned-availability/")
YEAR = Namespace("http://reference.data.gov.uk/id/year/")
IANA_MEDIA = Namespace("http://www.iana.org/assignments/media-types/")
#: Hydra: the served catalogue's pages link each other as a partial collection view (ckanext-dcat follows it).
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

CNY = EU_CURRENCY.CNY

#: Prefixes bound on every graph we serialise (order = output order in Turtle).
PREFIXES: dict[str, Namespace] = {
    "bgt": BGT,
    "code": CODE,
    "qb": QB,
    "obeu": OBEU,
    "obeu-dimension": OBEU_DIM,
    "obeu-measure": OBEU_MEASURE,
    "obeu-attribute": OBEU_ATTR,
    "obeu-budgetphase": OBEU_PHASE,
    "obeu-operation": OBEU_OP,
    "sdmx-attribute": SDMX_ATTR,
    "sdmx-code": SDMX_CODE,
    "skos": Namespace(str(SKOS)),
    "skosxl": SKOSXL,
    "xkos": XKOS,
    "org": Namespace(str(ORG)),
    "cv": CV,
    "prov": Namespace(str(PROV)),
    "oa": OA,
    "spdx": SPDX,
    "dqv": DQV,
    "dcat": Namespace(str(DCAT)),
    "hydra": HYDRA,
    "dct": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "sd": SD,
    "void": Namespace(str(VOID)),
    "vcard": VCARD,
    "sh": Namespace(str(SH)),
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}


def bind_prefixes(graph: object) -> None:
    """Bind our prefixes on an rdflib Graph or Dataset (replacing rdflib's defaults)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)  # type: ignore[attr-defined]
