"""``/sparql``: the SPARQL 1.1 Protocol (query operation only), the service description and the query editor."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Iterable
from threading import Lock
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, render_template, request
from werkzeug.exceptions import BadRequest, HTTPException, NotAcceptable, SecurityError, UnsupportedMediaType
from werkzeug.http import http_date
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request as WerkzeugRequest

from ..errors import NotFound, UpdateForbidden
from ..iris import IriMinter
from ..publish.catalog import service_description
from ..publish.formats import GRAPH_SYNTAXES, RdfSyntax, rdf_syntax
from ..publish.serialize import graph_triples, serialize_triples
from ..publish.sparql import QueryAnswer, QueryJob
from ..queries import example_queries
from .http import CONDITIONAL_HEADERS, EXPOSED, MAX_AGE, data_etag, log_access, target_as_sent
from .language import current_language
from .negotiation import (
    HTML,
    alternates,
    document_links,
    graph_type_for,
    query_types,
    query_types_for,
    requested_format,
)
from .site import served_catalogue

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from . import Services

#: Answers kept per process (the data cannot change under a running server); small ones only.
_CACHE_ENTRIES = 256
_CACHE_MAX_BODY = 1 << 20


class _AnswerCache:
    def __init__(self) -> None:
        self._items: OrderedDict[str, QueryAnswer] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str) -> QueryAnswer | None:
        with self._lock:
            answer = self._items.get(key)
            if answer is not None:
                self._items.move_to_end(key)
            return answer

    def put(self, key: str, answer: QueryAnswer) -> None:
        if len(answer.body) > _CACHE_MAX_BODY:
            return
        with self._lock:
            self._items[key] = answer
            while len(self._items) > _CACHE_ENTRIES:
                self._items.popitem(last=False)


class SparqlAnswers:
    """A query's answer, from the per-process answer cache or the store: shared by the Flask view and
    :class:`DirectAnswers`, so both answer a request alike and fill one cache."""

    def __init__(self, services: Services) -> None:
        self.settings = services.settings
        self.store = services.store
        self._cache = _AnswerCache()

    def job(self, query: str, default_graphs: list[str], named_graphs: list[str], results_type: str | None,
            graph_type: str | None, root: str) -> QueryJob:
        return QueryJob(query=query, default_graphs=tuple(default_graphs), named_graphs=tuple(named_graphs),
                        results_media_type=results_type, graph_media_type=graph_type,
                        max_rows=self.settings.max_rows, base_iri=root + "sparql")

    def answer(self, job: QueryJob) -> QueryAnswer:
        key = hashlib.sha256(repr(job).encode("utf-8")).hexdigest()
        answer = self._cache.get(key)
        if answer is None:
            answer = self.store.query(job)
            self._cache.put(key, answer)
        return answer


def answer_headers(answer: QueryAnswer, max_rows: int) -> list[tuple[str, str]]:
    """The headers every answer of /sparql has besides its type and length."""
    headers = [("Vary", "Accept"), ("X-Result-Rows", str(answer.rows))]
    if answer.truncated:
        headers.append(("X-Result-Truncated", f"true; max_rows={max_rows}"))
    return headers


def answer_type(answer: QueryAnswer, results_type: str | None) -> str:
    """The answer's media type: a client that asked for an alias (application/json) gets the type it named."""
    return results_type if answer.kind != "graph" and results_type else str(answer.media_type)


#: Where :class:`DirectAnswers` leaves what it worked out for the Flask view (an answer it does not send itself,
#: or the error a query raised), so the view neither runs the query again nor maps errors in a second place.
OUTCOME = "kg_publisher.sparql_outcome"


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"The request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _read_request() -> tuple[str | None, list[str], list[str]]:
    """(query text, default-graph-uri list, named-graph-uri list) of a GET or POST; refuses updates."""
    args = request.args
    if request.method in ("GET", "HEAD"):  # HEAD: the same answer without a body
        if "update" in args:
            raise UpdateForbidden("SPARQL Update is not accepted (update= parameter): this endpoint is read-only")
        return (_single(args.getlist("query"), "query"), args.getlist("default-graph-uri"),
                args.getlist("named-graph-uri"))
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        form = request.form
        if "update" in form or "update" in args:
            raise UpdateForbidden("SPARQL Update is not accepted (update= parameter): this endpoint is read-only")
        query = _single(form.getlist("query") + args.getlist("query"), "query")
        if query is None:
            raise BadRequest("The form has no 'query' parameter")
        return (query, form.getlist("default-graph-uri") + args.getlist("default-graph-uri"),
                form.getlist("named-graph-uri") + args.getlist("named-graph-uri"))
    if mimetype == "application/sparql-query":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"The query is sent as {charset}; SPARQL queries must be UTF-8")
        try:
            query = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("The query body is not valid UTF-8") from None
        return (query, args.getlist("default-graph-uri"), args.getlist("named-graph-uri"))
    if mimetype == "application/sparql-update":
        raise UpdateForbidden("SPARQL Update is not accepted (application/sparql-update): this endpoint is read-only")
    if not mimetype:
        raise UnsupportedMediaType("The POST has no Content-Type; send application/sparql-query or a "
                                   "application/x-www-form-urlencoded form")
    raise UnsupportedMediaType(f"POST bodies of type {mimetype} are not accepted")


def blueprint(services: Services, answers: SparqlAnswers | None = None) -> Blueprint:
    bp = Blueprint("sparql", __name__)
    settings, store = services.settings, services.store
    answers = answers or SparqlAnswers(services)
    minter = IriMinter(settings.base_iri)

    #: The service description in RDF as sent, per (endpoint, media type); the HTML page is kept in the page
    #: cache. Both list every named graph (two a disclosure): writing one cost 0.4–0.5 s of CPU at 1,000
    #: disclosures, on every request.
    descriptions: dict[tuple[str, str], bytes] = {}
    descriptions_lock = Lock()

    def description_rdf(endpoint: str, syntax: RdfSyntax) -> bytes:
        with descriptions_lock:
            body = descriptions.get((endpoint, syntax.media_type))
        if body is None:
            sd = service_description(endpoint, store.graph_sizes(), str(minter.whole_dataset()),
                                     store.graph_sizes())
            described = served_catalogue(store.describe(str(minter.sparql_service())), services.links,
                                         services.links.root())
            body = serialize_triples(graph_triples(sd) + described, syntax)
            with descriptions_lock:
                descriptions[(endpoint, syntax.media_type)] = body
        return body

    def describe_service(media_type: str, negotiated: bool) -> Response:
        """The service description, plus what the catalogue says about the service's IRI ``{base}sparql``."""
        endpoint = services.links.root() + "sparql"  # public_url, else the (allowed) host the client used
        if media_type == HTML:
            response = Response(services.pages.page(services.links.root(), lambda: render_template(
                "sparql.html", endpoint=endpoint, services=services, graphs=sorted(store.graph_sizes().items()),
                examples=example_queries(), example_tabs=_example_tabs(current_language()),
                alternates=alternates("/sparql"))), mimetype=HTML)
        else:
            syntax = rdf_syntax(media_type)
            if syntax is None:
                raise NotAcceptable(f"{media_type} is not an RDF syntax")
            response = Response(description_rdf(endpoint, syntax), mimetype=syntax.media_type)
        if negotiated:
            response.headers["Vary"] = "Accept"
            extension = "html" if media_type == HTML else rdf_syntax(media_type).extension  # type: ignore[union-attr]
            response.headers["Content-Location"] = f"/sparql.{extension}"
        response.headers["Link"] = document_links("/sparql", settings.licence)
        return response

    @bp.route("/sparql.<extension>")
    def service_document(extension: str) -> Response:
        syntax = rdf_syntax(extension)
        if extension != "html" and (syntax is None or syntax not in GRAPH_SYNTAXES or syntax.extension != extension):
            raise NotFound(f"No service description document /sparql.{extension}",
                           "Use /sparql.ttl, .jsonld, .nt, .rdf or .html.")
        return describe_service(HTML if extension == "html" else syntax.media_type, negotiated=False)  # type: ignore[union-attr]

    @bp.route("/sparql", methods=["GET", "POST"])
    def endpoint() -> Response:
        query, default_graphs, named_graphs = _read_request()
        if query is None:
            if default_graphs or named_graphs:
                raise BadRequest("default-graph-uri/named-graph-uri were given without a query")
            return describe_service(graph_type_for(requested_format(), html=True), negotiated=True)
        results_type, graph_type = query_types(requested_format())
        outcome = request.environ.pop(OUTCOME, None)
        if isinstance(outcome, Exception):
            raise outcome
        answer = outcome if isinstance(outcome, QueryAnswer) else answers.answer(answers.job(
            query, default_graphs, named_graphs, results_type, graph_type, services.links.root()))
        if answer.media_type is None:
            kind = "a graph (CONSTRUCT/DESCRIBE)" if answer.kind == "graph" else "a result set (SELECT/ASK)"
            raise NotAcceptable(f"The query returns {kind}, and none of its formats was acceptable: for result "
                                "sets json, xml, csv, tsv; for graphs ttl, jsonld, nt, rdfxml (Accept or ?format=)")
        response = Response(answer.body, mimetype=answer_type(answer, results_type))
        response.headers.extend(answer_headers(answer, settings.max_rows))
        if request.method == "POST":
            response.headers["Cache-Control"] = "no-cache"
        return response

    return bp


def _example_tabs(language: str) -> list[dict[str, str]]:
    """The example queries as the editor's tabs: a title in the page's language, and the query."""
    return [{"title": example.title_en if language == "en" else example.title_zh, "text": example.text}
            for example in example_queries()]


class DirectAnswers:
    """WSGI in front of the Flask app: the commonest request, ``GET /sparql?query=…`` with nothing else that
    changes its answer (no other parameter, no conditional answer, no compression: no Accept-Encoding or only
    ``identity``, which Python's http.client sends by default; an allowed host), is
    answered here with the headers the Flask path gives it, without Flask's request context, routing, hooks and
    response object: those cost more than answering a cached query. Everything else, and every error a query
    raises, goes to the Flask app (errors are mapped in one place, ``web/errors.py``; the outcome worked out here
    is handed over in ``environ[OUTCOME]``, so nothing runs twice). ``tests/web/test_direct_answers.py`` compares
    both paths' status, headers and bodies."""

    def __init__(self, app: WSGIApplication, flask_app: Flask, services: Services, answers: SparqlAnswers) -> None:
        self.app = app
        self.services = services
        self.answers = answers
        self.trusted_hosts = flask_app.config.get("TRUSTED_HOSTS")
        release = services.release
        self.last_modified = http_date(release.build_time) if release is not None else None
        self.version = services.store.version

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        if (environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql"
                or environ.get("SCRIPT_NAME") or environ.get("HTTP_ACCEPT_ENCODING", "identity") != "identity"
                or any(name in environ for name in CONDITIONAL_HEADERS)):
            return self.app(environ, start_response)
        wsgi_request = WerkzeugRequest(environ)
        wsgi_request.trusted_hosts = self.trusted_hosts
        args = wsgi_request.args
        if list(args) != ["query"] or len(args.getlist("query")) != 1:
            return self.app(environ, start_response)
        try:
            root = self.services.settings.public_url or wsgi_request.host_url  # refuses hosts not allowed
            results_type, graph_type = query_types_for(None, environ.get("HTTP_ACCEPT"))
        except (SecurityError, HTTPException):
            return self.app(environ, start_response)
        job = self.answers.job(args["query"], [], [], results_type, graph_type, root)
        try:
            answer = self.answers.answer(job)
        except Exception as exc:  # mapped to its status by the Flask app's error handlers
            environ[OUTCOME] = exc
            return self.app(environ, start_response)
        if answer.media_type is None:
            environ[OUTCOME] = answer
            return self.app(environ, start_response)
        mimetype = answer_type(answer, results_type)
        headers = [("Content-Type", get_content_type(mimetype, "utf-8")), ("Content-Length", str(len(answer.body))),
                   *answer_headers(answer, self.services.settings.max_rows)]
        headers[2] = ("Vary", "Accept, Accept-Encoding")  # what Flask-Compress adds to every answer
        headers += [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", EXPOSED),
                    ("X-Data-Version", self.version),
                    ("ETag", f'"{data_etag(self.version, root, wsgi_request.full_path, mimetype)}"')]
        if self.last_modified is not None:
            headers.append(("Last-Modified", self.last_modified))
        headers += [("Cache-Control", f"public, max-age={MAX_AGE}"), ("Date", http_date())]
        start_response("200 OK", headers)
        log_access(wsgi_request.remote_addr, "GET", target_as_sent(wsgi_request.path, wsgi_request.query_string),
                   200, str(len(answer.body)), started)
        return [answer.body]
