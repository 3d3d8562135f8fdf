"""The RDF and SPARQL-results formats we write and serve: one table each, media type ↔ suffix ↔ serialiser."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, QueryResultsFormat, RdfFormat, Triple


@dataclass(frozen=True)
class RdfSyntax:
    #: Short name used in ``?format=`` and distribution IRIs (``ttl``, ``nt`` …).
    name: str
    media_type: str
    extension: str
    oxigraph: RdfFormat
    #: Label for humans (catalogue titles, HTML links).
    label: str
    #: EU file-type authority code (DCAT-AP ``dct:format``).
    eu_file_type: str
    #: Extra media types clients send for the same syntax.
    aliases: tuple[str, ...] = ()

    @property
    def holds_graph_names(self) -> bool:
        return bool(self.oxigraph.supports_datasets)


def written(data: bytes | None) -> bytes:
    """The bytes of a pyoxigraph ``serialize`` called without ``output`` (its stubs say ``bytes | None``)."""
    assert data is not None, "pyoxigraph serialize without output returns bytes"
    return data


#: What XML 1.0 cannot carry, not even as a character reference: C0 controls but tab, LF and CR; U+FFFE, U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` as XML 1.0 can carry it: a page break (U+000C, how PDF pages are joined in our source texts)
    becomes a line feed, any other forbidden character U+FFFD. Only the XML formats (RDF/XML, SPARQL XML results)
    need this; every other format carries the text exactly."""
    if not _NOT_IN_XML.search(text):
        return text
    return _NOT_IN_XML.sub(lambda m: "\n" if m.group() == "\x0c" else "\ufffd", text)


def xml_safe_triples(triples: Iterable[Triple]) -> list[Triple]:
    """``triples`` with every literal made :func:`xml_safe` (IRIs never hold such characters)."""
    safe = []
    for triple in triples:
        value = triple.object
        if isinstance(value, Literal) and _NOT_IN_XML.search(value.value):
            clean = xml_safe(value.value)
            value = (Literal(clean, language=value.language) if value.language
                     else Literal(clean, datatype=value.datatype))
            triple = Triple(triple.subject, triple.predicate, value)
        safe.append(triple)
    return safe


TURTLE = RdfSyntax("ttl", "text/turtle", "ttl", RdfFormat.TURTLE, "Turtle", "RDF_TURTLE", ("application/x-turtle",))
NTRIPLES = RdfSyntax("nt", "application/n-triples", "nt", RdfFormat.N_TRIPLES, "N-Triples", "RDF_N_TRIPLES")
NQUADS = RdfSyntax("nq", "application/n-quads", "nq", RdfFormat.N_QUADS, "N-Quads", "RDF_N_QUADS")
TRIG = RdfSyntax("trig", "application/trig", "trig", RdfFormat.TRIG, "TriG", "RDF_TRIG")
JSONLD = RdfSyntax("jsonld", "application/ld+json", "jsonld", RdfFormat.JSON_LD, "JSON-LD", "JSON_LD")
RDFXML = RdfSyntax("rdf", "application/rdf+xml", "rdf", RdfFormat.RDF_XML, "RDF/XML", "RDF_XML")

#: Formats of the downloadable dumps (whole graph and each disclosure).
DUMP_SYNTAXES: tuple[RdfSyntax, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD)
#: Formats of the whole-release dump: the ones that keep graph names, which harvesters load (N-Quads, TriG).
#: Each is the disclosures' dumps one after the other, so a release never holds the whole graph in memory; the
#: triple-only syntaxes would merge the graphs, and a compacted JSON-LD document of the whole release costs
#: more than the rest of the release together and is loaded by no one.
WHOLE_DUMP_SYNTAXES: tuple[RdfSyntax, ...] = (NQUADS, TRIG)
#: Formats a graph (resource description, CONSTRUCT/DESCRIBE result, catalogue) is served in.
GRAPH_SYNTAXES: tuple[RdfSyntax, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML)
ALL_SYNTAXES: tuple[RdfSyntax, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)


@dataclass(frozen=True)
class TableSyntax:
    """A spreadsheet format of a disclosure's figures (one row per figure, :mod:`kg_publisher.publish.spreadsheet`)."""

    name: str
    media_type: str
    extension: str
    label: str
    eu_file_type: str


CSV = TableSyntax("csv", "text/csv", "csv", "CSV", "CSV")
XLSX = TableSyntax("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
                   "Excel (XLSX)", "XLSX")
#: Formats of each disclosure's table of figures.
TABLE_SYNTAXES: tuple[TableSyntax, ...] = (CSV, XLSX)


@dataclass(frozen=True)
class ResultsSyntax:
    name: str
    media_type: str
    oxigraph: QueryResultsFormat
    aliases: tuple[str, ...] = ()


RESULTS_JSON = ResultsSyntax("json", "application/sparql-results+json", QueryResultsFormat.JSON,
                             ("application/json",))
RESULTS_XML = ResultsSyntax("xml", "application/sparql-results+xml", QueryResultsFormat.XML,
                            ("application/xml", "text/xml"))
RESULTS_CSV = ResultsSyntax("csv", "text/csv", QueryResultsFormat.CSV)
RESULTS_TSV = ResultsSyntax("tsv", "text/tab-separated-values", QueryResultsFormat.TSV)
RESULTS_SYNTAXES: tuple[ResultsSyntax, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)


def rdf_syntax(key: str) -> RdfSyntax | None:
    """The syntax named by a short name, suffix or media type (``ttl``, ``turtle``, ``text/turtle``)."""
    wanted = key.strip().lower()
    for syntax in ALL_SYNTAXES:
        names = {syntax.name, syntax.extension, syntax.media_type, syntax.label.lower(), *syntax.aliases}
        if wanted in names or wanted.replace("-", "") in {n.replace("-", "") for n in names}:
            return syntax
    return {"turtle": TURTLE, "ntriples": NTRIPLES, "nquads": NQUADS, "json-ld": JSONLD,
            "rdfxml": RDFXML, "rdf+xml": RDFXML, "xml": RDFXML}.get(wanted)


def results_syntax(key: str) -> ResultsSyntax | None:
    wanted = key.strip().lower()
    for syntax in RESULTS_SYNTAXES:
        if wanted in {syntax.name, syntax.media_type, *syntax.aliases}:
            return syntax
    return None
