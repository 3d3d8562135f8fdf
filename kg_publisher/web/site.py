"""Site pages: home, the DCAT catalogue (``/catalog``), VoID (``/.well-known/void``), sitemap and robots.txt."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from flask import Blueprint, Response, render_template

from ..errors import NotFound
from ..iris import IriMinter
from ..publish.formats import GRAPH_SYNTAXES, RdfSyntax, rdf_syntax
from ..publish.serialize import serialize_triples
from .negotiation import HTML, alternates, document_links, graph_type_for, requested_format

if TYPE_CHECKING:
    from . import Services

SITEMAP_LIMIT = 50000  # the sitemap protocol's maximum per file


#: Serialised catalogues per store and syntax: the release never changes under a running server.
_CATALOGUES: dict[tuple[int, str], bytes] = {}


def _catalog_bytes(services: Services, syntax: RdfSyntax) -> bytes:
    key = (id(services.store), syntax.name)
    if key not in _CATALOGUES:
        _CATALOGUES[key] = _serialise_catalog(services, syntax)
    return _CATALOGUES[key]


def _serialise_catalog(services: Services, syntax: RdfSyntax) -> bytes:
    release = services.release
    triples = release.catalog_triples() if release is not None else []
    if not triples:
        triples = services.store.graph(str(IriMinter(services.settings.base_iri).catalog_graph()))
    if not triples:
        raise NotFound("This store holds no catalogue graph", "Serve a release written by `kg-publisher build`.")
    return serialize_triples(triples, syntax)


def catalogue_response(services: Services, media_type: str, negotiated: bool, path: str) -> Response:
    if media_type == HTML:
        manifest = services.release.manifest if services.release is not None else {"datasets": [], "dumps": []}
        response = Response(render_template("catalog.html", manifest=manifest, services=services,
                                            alternates=alternates(path)), mimetype=HTML)
    else:
        syntax = rdf_syntax(media_type)
        assert syntax is not None
        response = Response(_catalog_bytes(services, syntax), mimetype=syntax.media_type)
    if negotiated:
        response.headers["Vary"] = "Accept"
        extension = "html" if media_type == HTML else rdf_syntax(media_type).extension  # type: ignore[union-attr]
        response.headers["Content-Location"] = f"{path}.{extension}"
    response.headers["Link"] = document_links(path, services.settings.licence)
    return response


def home(services: Services) -> Response:
    media_type = graph_type_for(requested_format(), html=True)
    if media_type != HTML:
        return catalogue_response(services, media_type, negotiated=True, path="/catalog")
    manifest = services.release.manifest if services.release is not None else {"datasets": [], "dumps": []}
    response = Response(render_template("home.html", manifest=manifest, services=services,
                                        graphs=services.store.graph_sizes(), alternates=alternates("/catalog")),
                        mimetype=HTML)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = document_links("/catalog", services.settings.licence)
    return response


def blueprint(services: Services) -> Blueprint:
    bp = Blueprint("site", __name__)
    subjects: list[str] = []

    @bp.route("/catalog")
    def catalog() -> Response:
        return catalogue_response(services, graph_type_for(requested_format(), html=True), True, "/catalog")

    @bp.route("/catalog.<extension>")
    def catalog_document(extension: str) -> Response:
        if extension != "html" and (rdf_syntax(extension) not in GRAPH_SYNTAXES):
            raise NotFound(f"No catalogue document /catalog.{extension}",
                           "Use /catalog.ttl, .jsonld, .nt, .rdf or .html.")
        media_type = HTML if extension == "html" else rdf_syntax(extension).media_type  # type: ignore[union-attr]
        return catalogue_response(services, media_type, False, "/catalog")

    @bp.route("/.well-known/void")
    def void() -> Response:
        # The catalogue graph carries the VoID description (void:Dataset, statistics, dumps, endpoint).
        media_type = graph_type_for(requested_format(), html=False)
        return catalogue_response(services, media_type, True, "/catalog")

    @bp.route("/robots.txt")
    def robots() -> Response:
        root = services.links.root()
        text = f"User-agent: *\nAllow: /\nDisallow: /sparql\nSitemap: {root}sitemap.xml\n"
        return Response(text, mimetype="text/plain")

    @bp.route("/sitemap.xml")
    def sitemap() -> Response:
        root = services.links.root()
        urls = [root, f"{root}catalog", f"{root}sparql"]
        if not subjects:
            subjects.extend(services.store.subjects(services.settings.base_iri + "id/", SITEMAP_LIMIT - len(urls)))
        urls += [services.links.href(iri) for iri in subjects]
        body = "".join(f"<url><loc>{escape(url)}</loc></url>" for url in urls)
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n')
        return Response(xml, mimetype="application/xml")

    return bp
