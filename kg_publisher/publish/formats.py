"""The RDF and SPARQL-results formats we write and serve: one table each, media type ↔ suffix ↔ serialiser."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat


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


TURTLE = RdfSyntax("ttl", "text/turtle", "ttl", RdfFormat.TURTLE, "Turtle", "RDF_TURTLE", ("application/x-turtle",))
NTRIPLES = RdfSyntax("nt", "application/n-triples", "nt", RdfFormat.N_TRIPLES, "N-Triples", "RDF_N_TRIPLES")
NQUADS = RdfSyntax("nq", "application/n-quads", "nq", RdfFormat.N_QUADS, "N-Quads", "RDF_N_QUADS")
TRIG = RdfSyntax("trig", "application/trig", "trig", RdfFormat.TRIG, "TriG", "RDF_TRIG")
JSONLD = RdfSyntax("jsonld", "application/ld+json", "jsonld", RdfFormat.JSON_LD, "JSON-LD", "JSON_LD")
RDFXML = RdfSyntax("rdf", "application/rdf+xml", "rdf", RdfFormat.RDF_XML, "RDF/XML", "RDF_XML")

#: Formats of the downloadable dumps (whole graph and each disclosure).
DUMP_SYNTAXES: tuple[RdfSyntax, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD)
#: Formats a graph (resource description, CONSTRUCT/DESCRIBE result, catalogue) is served in.
GRAPH_SYNTAXES: tuple[RdfSyntax, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML)
ALL_SYNTAXES: tuple[RdfSyntax, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)


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
            "rdfxml": RDFXML, "xml": RDFXML}.get(wanted)


def results_syntax(key: str) -> ResultsSyntax | None:
    wanted = key.strip().lower()
    for syntax in RESULTS_SYNTAXES:
        if wanted in {syntax.name, syntax.media_type, *syntax.aliases}:
            return syntax
    return None
