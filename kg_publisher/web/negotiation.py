"""Content negotiation on werkzeug's Accept parsing (q-values, wildcards), plus the ``format`` parameter."""

from __future__ import annotations

from functools import lru_cache

from flask import request
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable
from werkzeug.http import parse_accept_header

from ..publish.formats import GRAPH_SYNTAXES, RESULTS_SYNTAXES, RdfSyntax, rdf_syntax, results_syntax

HTML = "text/html"


def graph_offers(html: bool) -> list[str]:
    """Media types of a graph, default first: Turtle for clients that do not say, HTML only when asked for."""
    offers = [syntax.media_type for syntax in GRAPH_SYNTAXES]
    offers += [alias for syntax in GRAPH_SYNTAXES for alias in syntax.aliases]
    offers += ["text/plain"]  # N-Triples is plain text; curl users get something readable
    return [*offers, HTML, "application/xhtml+xml"] if html else offers


def alternates(doc_path: str) -> list[tuple[str, str, str]]:
    """(label, media type, href) of every format-specific document of a negotiated resource."""
    return [*((s.label, s.media_type, f"{doc_path}.{s.extension}") for s in GRAPH_SYNTAXES),
            ("HTML", HTML, f"{doc_path}.html")]


def document_links(doc_path: str, licence: str) -> str:
    """``Link`` header of a negotiated resource: every format-specific document, and the licence (GUIDE §5 L10)."""
    links = [f'<{href}>; rel="alternate"; type="{media_type}"' for _label, media_type, href in alternates(doc_path)]
    return ", ".join([*links, f'<{licence}>; rel="license"'])


def results_offers() -> list[str]:
    return [syntax.media_type for syntax in RESULTS_SYNTAXES] + [
        alias for syntax in RESULTS_SYNTAXES for alias in syntax.aliases]


def negotiate(offers: list[str]) -> str | None:
    """The offer the Accept header prefers by q-value; ties and ``*/*`` go to the earliest offer."""
    return _best_match(request.accept_mimetypes, offers)


def _best_match(accept: MIMEAccept, offers: list[str]) -> str | None:
    if not accept:
        return offers[0]
    return accept.best_match(offers)


def canonical_graph_type(media_type: str) -> str:
    if media_type == "text/plain":
        return "application/n-triples"
    if media_type == "application/xhtml+xml":
        return HTML
    syntax = rdf_syntax(media_type)
    return syntax.media_type if syntax else media_type


def requested_format() -> str | None:
    """The ``format`` parameter. SPARQLWrapper sends it twice for RDF/XML, JSON-LD and TSV (``rdf+xml`` and
    ``application/rdf+xml``): the first value that names a format of ours counts, else the first one (→ 406)."""
    values = request.args.getlist("format")
    if not values and request.mimetype == "application/x-www-form-urlencoded":
        values = request.form.getlist("format")
    values = [value.strip() for value in values if value.strip()]
    known = [value for value in values if rdf_syntax(value) or results_syntax(value)]
    chosen = known or values
    return chosen[0] if chosen else None


def graph_type_for(fmt: str | None, html: bool) -> str:
    """Media type for a graph answer, from ``format`` or Accept; 406 when none fits."""
    if fmt:
        if html and fmt.lower() in ("html", HTML):
            return HTML
        syntax = rdf_syntax(fmt)
        if syntax is None or syntax not in GRAPH_SYNTAXES:
            raise NotAcceptable(f"Unknown format {fmt!r}; use one of {_graph_names(html)}")
        return syntax.media_type
    chosen = negotiate(graph_offers(html))
    if chosen is None:
        raise NotAcceptable(f"None of the requested media types is served here; available: {_graph_names(html)}")
    return canonical_graph_type(chosen)


def _graph_names(html: bool) -> str:
    names = [f"{s.name} ({s.media_type})" for s in GRAPH_SYNTAXES]
    return ", ".join([*names, "html (text/html)"] if html else names)


def query_types(fmt: str | None) -> tuple[str | None, str | None]:
    """(results media type, graph media type) for a SPARQL answer; None where the client accepts none of ours.
    Worked out once per (format, Accept header) and remembered: clients send the same few headers."""
    return query_types_for(fmt, request.headers.get("Accept"))


@lru_cache(maxsize=512)
def query_types_for(fmt: str | None, accept_header: str | None) -> tuple[str | None, str | None]:
    accept = parse_accept_header(accept_header, MIMEAccept)
    if fmt:
        results = results_syntax(fmt)
        graph: RdfSyntax | None = rdf_syntax(fmt)
        if graph is not None and graph not in GRAPH_SYNTAXES:
            graph = None
        if results is None and graph is None:
            raise NotAcceptable(f"Unknown format {fmt!r}; use json, xml, csv, tsv (results) or ttl, jsonld, nt, "
                                "rdfxml (graphs)")
        return (results.media_type if results else None, graph.media_type if graph else None)
    results_type = _best_match(accept, results_offers())
    graph_type = _best_match(accept, graph_offers(html=False))
    # Clients such as rdflib's SPARQLStore send one Accept for every query form: when it names only result
    # formats (or only graph formats), the other form gets our default instead of a 406.
    if results_type is None and graph_type is not None:
        results_type = RESULTS_SYNTAXES[0].media_type
    elif graph_type is None and results_type is not None:
        graph_type = GRAPH_SYNTAXES[0].media_type
    return (results_type, canonical_graph_type(graph_type) if graph_type else None)
