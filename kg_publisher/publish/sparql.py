"""SPARQL requests against the read-only store: what we refuse before running a query, and how a query runs
and is serialised (inside a query worker process, see :mod:`kg_publisher.publish.workers`).

Refused before running (the query read by :mod:`~kg_publisher.publish.query_analysis`): texts over
``max_query_bytes``; nesting or size past the engine's safe bounds; every SPARQL Update; ``SERVICE`` (we never
call other endpoints); ``FROM``/``FROM NAMED`` and protocol dataset IRIs that name a graph we do not hold (we
never fetch graphs from the web). Results are cut after ``max_rows`` rows or triples and flagged.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyoxigraph as ox

from ..errors import DatasetNotAvailable, QueryError, QueryTooLarge, RemoteAccessForbidden, UpdateForbidden
from .formats import RDFXML, RESULTS_JSON, RESULTS_XML, rdf_syntax, results_syntax, written, xml_safe, xml_safe_triples
from .query_analysis import QueryShape, analyse

#: Our prefixes as strings, for Turtle answers; None until first needed (see :func:`turtle_prefixes`).
_TURTLE_PREFIXES: dict[str, str] | None = None


def turtle_prefixes() -> dict[str, str]:
    """Prefix → namespace of our vocabulary table (:data:`kg_publisher.vocab.PREFIXES`), for Turtle answers. A query
    process is handed them when it starts (:mod:`.workers`: :func:`use_turtle_prefixes`), so it never imports
    rdflib, which would cost each of them ~20 MB and half a second of start-up."""
    global _TURTLE_PREFIXES
    if _TURTLE_PREFIXES is None:
        from ..vocab import PREFIXES

        _TURTLE_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return _TURTLE_PREFIXES


def use_turtle_prefixes(prefixes: dict[str, str]) -> None:
    global _TURTLE_PREFIXES
    _TURTLE_PREFIXES = dict(prefixes)


#: Where the row cap is documented; named in result bodies that were cut (SPARQL JSON/XML ``link``).
TRUNCATION_NOTE = "urn:kg-publisher:result-truncated"

def looks_like_update(text: str) -> bool:
    """True for SPARQL Update requests (``INSERT DATA …``, ``PREFIX … DELETE WHERE …``, ``LOAD <…>`` …)."""
    try:
        return analyse(text).is_update
    except QueryError:
        return False


@dataclass(frozen=True)
class QueryJob:
    """One query to run, with everything the worker needs to answer it."""

    query: str
    #: The ``max_rows`` setting (its default lives in the settings registry only).
    max_rows: int
    #: Protocol dataset (``default-graph-uri``/``named-graph-uri``); empty = the store's (the merge of its graphs).
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    #: Media types chosen by negotiation for a result set (SELECT/ASK) and a graph (CONSTRUCT/DESCRIBE);
    #: None when the client accepts none of ours for that kind.
    results_media_type: str | None = RESULTS_JSON.media_type
    graph_media_type: str | None = "text/turtle"
    base_iri: str | None = None
    #: The text the checks read (escapes applied, comments blanked: ``QueryShape.text``), set by the store once it
    #: checked the request, so the query process runs it without reading the query a second time.
    engine_text: str | None = None
    #: The query's own top-level LIMIT (``QueryShape.limit``), set with ``engine_text``: when it is within
    #: ``max_rows`` no answer can be cut, and the engine writes SPARQL JSON itself.
    row_limit: int | None = None


@dataclass(frozen=True)
class QueryAnswer:
    #: ``select``, ``ask`` or ``graph``.
    kind: str
    #: Serialised answer; empty when ``media_type`` is None (the client accepts no format of this kind).
    body: bytes
    media_type: str | None
    rows: int
    truncated: bool


def check_request(job: QueryJob, held_graphs: Container[str], max_query_bytes: int) -> QueryShape:
    """Refuse what this endpoint never runs (raises a :class:`~kg_publisher.errors.QueryError` subclass); returns
    the query's shape (its cost class decides which query processes may take it). ``held_graphs`` is looked up,
    never copied: the store's graph sizes, two graphs a disclosure (a set of them cost every query 0.07 ms at
    1,000 disclosures, ~1 ms at 10,000)."""
    size = len(job.query.encode("utf-8"))
    if size > max_query_bytes:
        raise QueryTooLarge(f"The query is {size} bytes long; this endpoint accepts at most {max_query_bytes}")
    shape = analyse(job.query, job.base_iri)
    if shape.is_update:
        raise UpdateForbidden("SPARQL Update is not accepted: this endpoint is read-only")
    if shape.uses_service:
        raise RemoteAccessForbidden("The query uses SERVICE; this endpoint never queries other endpoints")
    for iri in shape.from_graphs:
        if iri not in held_graphs:
            raise RemoteAccessForbidden(
                f"FROM <{iri}>: this endpoint holds no graph of that name and never fetches graphs from the web",
                "Use FROM only with graph IRIs listed in the service description (GET /sparql), or leave it "
                "out: the default graph is the merge of all named graphs (each triple once).")
    for iri in (*job.default_graphs, *job.named_graphs):
        if iri not in held_graphs:
            raise DatasetNotAvailable(f"Graph <{iri}> (default-graph-uri/named-graph-uri) is not held here")
    return shape


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _solutions_json(variables: list[str], rows: list[ox.QuerySolution], truncated: bool) -> dict[str, Any]:
    head: dict[str, Any] = {"vars": variables}
    if truncated:
        head["link"] = [TRUNCATION_NOTE]
    bindings = []
    for row in rows:
        binding = {}
        for name in variables:
            value = row[name]
            if value is not None:
                binding[name] = _term_json(value)
        bindings.append(binding)
    return {"head": head, "results": {"bindings": bindings}}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: JSON string writing in C, characters beyond ASCII kept (what ``json.dumps(..., ensure_ascii=False)`` uses).
_json_string = json.encoder.encode_basestring


def _term_json_text(term: Any) -> str:
    """One term as SPARQL JSON (the text :func:`_term_json` gives through ``json.dumps``), written directly."""
    if isinstance(term, ox.NamedNode):
        return '{"type": "uri", "value": ' + _json_string(term.value) + "}"
    if isinstance(term, ox.Literal):
        value = _json_string(term.value)
        if term.language:
            return '{"type": "literal", "value": ' + value + ', "xml:lang": ' + _json_string(term.language) + "}"
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return '{"type": "literal", "value": ' + value + "}"
        return '{"type": "literal", "value": ' + value + ', "datatype": ' + _json_string(datatype) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type": "bnode", "value": ' + _json_string(term.value) + "}"
    return json.dumps(_term_json(term), ensure_ascii=False)


def _solutions_json_bytes(variables: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    """SPARQL JSON of the solutions, byte for byte what ``json.dumps(_solutions_json(...), ensure_ascii=False)``
    writes, without building a dictionary per term first."""
    head: dict[str, Any] = {"vars": variables}
    if truncated:
        head["link"] = [TRUNCATION_NOTE]
    names = [(name, _json_string(name) + ": ") for name in variables]
    bindings = []
    for row in rows:
        cells = []
        for name, key in names:
            value = row[name]
            if value is not None:
                cells.append(key + _term_json_text(value))
        bindings.append("{" + ", ".join(cells) + "}")
    text = ('{"head": ' + json.dumps(head, ensure_ascii=False) + ', "results": {"bindings": ['
            + ", ".join(bindings) + "]}}")
    return text.encode("utf-8")


def _xml_with_link(body: bytes) -> bytes:
    """Add ``<link href="…truncated"/>`` to a SPARQL XML result head (the format's place for such notes)."""
    link = f'<link href="{TRUNCATION_NOTE}"/>'.encode()
    if b"<head/>" in body:
        return body.replace(b"<head/>", b"<head>" + link + b"</head>", 1)
    return body.replace(b"</head>", link + b"</head>", 1)


def _graph_comment(body: bytes, media_type: str, rows: int) -> bytes:
    note = f"Result truncated at {rows} triples (max_rows): make the query more selective."
    if media_type in ("text/turtle", "application/n-triples"):
        return f"# {note}\n".encode() + body
    if media_type == "application/rdf+xml" and body.startswith(b"<?xml"):
        end = body.index(b"?>") + 2
        return body[:end] + f"\n<!-- {note} -->".encode() + body[end:]
    return body


def execute(store: ox.Store, job: QueryJob) -> QueryAnswer:
    """Run ``job`` on ``store`` and serialise the answer (raises SyntaxError with the parser's message)."""
    # The engine runs the text as the checks read it (escapes applied, comments blanked).
    text = job.engine_text if job.engine_text is not None else analyse(job.query, job.base_iri).text
    kwargs: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs or job.named_graphs:
        kwargs["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
    # Otherwise the query's own FROM/FROM NAMED choose its dataset, or the store's default graph answers: the
    # RDF merge of the named graphs, stored as such (release.load_store), so each triple counts once.
    return answer(store.query(text, **kwargs), job)


def answer(result: ox.QueryBoolean | ox.QuerySolutions | Iterator[ox.Triple], job: QueryJob) -> QueryAnswer:
    """Serialise a query's result as ``job`` asks (row cap included), whichever engine computed it: results may
    be lazy (a remote store's answer being parsed as it arrives), so at most ``max_rows + 1`` are read."""
    if isinstance(result, ox.QueryBoolean):
        return _boolean(bool(result), job)
    if isinstance(result, ox.QuerySolutions):
        if (job.row_limit is not None and job.row_limit <= job.max_rows and job.results_media_type
                and results_syntax(job.results_media_type) is RESULTS_JSON):
            # The query's own LIMIT keeps it within the cap: the engine writes the whole answer, in native code
            # (writing it term by term in Python cost more than evaluating it). The rows are counted by reading
            # it back (C), a tenth of what writing it cost.
            native = written(result.serialize(format=RESULTS_JSON.oxigraph))
            count = len(json.loads(native)["results"]["bindings"])
            return QueryAnswer("select", native, RESULTS_JSON.media_type, count, False)
        variables = [variable.value for variable in result.variables]
        rows = list(islice(result, job.max_rows + 1))
        truncated = len(rows) > job.max_rows
        rows = rows[: job.max_rows]
        syntax = results_syntax(job.results_media_type) if job.results_media_type else None
        if syntax is None:
            return QueryAnswer("select", b"", None, len(rows), truncated)
        if syntax is RESULTS_JSON:
            body = _solutions_json_bytes(variables, rows, truncated)
        else:
            document = _solutions_json(variables, rows, truncated)
            if truncated:
                del document["head"]["link"]
            if syntax is RESULTS_XML:
                for row in document["results"]["bindings"]:
                    for cell in row.values():
                        cell["value"] = xml_safe(cell["value"])
            parsed = ox.parse_query_results(json.dumps(document).encode("utf-8"), format=RESULTS_JSON.oxigraph)
            body = written(parsed.serialize(format=syntax.oxigraph))
            if truncated and syntax is RESULTS_XML:
                body = _xml_with_link(body)
        return QueryAnswer("select", body, syntax.media_type, len(rows), truncated)
    triples = list(islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    triples = triples[: job.max_rows]
    graph_syntax = rdf_syntax(job.graph_media_type) if job.graph_media_type else None
    if graph_syntax is None:
        return QueryAnswer("graph", b"", None, len(triples), truncated)
    prefixes = turtle_prefixes() if graph_syntax.name == "ttl" else None
    if graph_syntax is RDFXML:
        triples = xml_safe_triples(triples)
    body = written(ox.serialize(triples, format=graph_syntax.oxigraph, prefixes=prefixes))
    if truncated:
        body = _graph_comment(body, graph_syntax.media_type, len(triples))
    return QueryAnswer("graph", body, graph_syntax.media_type, len(triples), truncated)


def _boolean(value: bool, job: QueryJob) -> QueryAnswer:
    syntax = results_syntax(job.results_media_type) if job.results_media_type else None
    if syntax is None:
        return QueryAnswer("ask", b"", None, 1, False)
    document = json.dumps({"head": {}, "boolean": value}).encode()
    if syntax is RESULTS_JSON:
        return QueryAnswer("ask", document, syntax.media_type, 1, False)
    body = written(ox.parse_query_results(document, format=RESULTS_JSON.oxigraph).serialize(format=syntax.oxigraph))
    return QueryAnswer("ask", body, syntax.media_type, 1, False)
