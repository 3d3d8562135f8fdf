"""The one place that maps errors to HTTP: ``kg_publisher.errors`` classes → status codes, one error shape.

Every error answers ``{"error": {"status", "type", "message", "hint"}}`` as JSON, or the same fields as an HTML
page when a browser asks for HTML. Client faults keep their own 4xx; only unexpected failures become 500.
"""

from __future__ import annotations

import logging
import math
import re

from flask import Flask, Response, jsonify, render_template, request
from markupsafe import Markup, escape
from werkzeug.exceptions import BadHost, HTTPException, SecurityError

from .. import errors
from .http import logged_target

log = logging.getLogger("kg_publisher.web")

#: Most specific first: the first class an error is an instance of decides.
STATUS: tuple[tuple[type[errors.KgPublisherError], int], ...] = (
    (errors.NotFound, 404),
    (errors.SearchError, 400),
    (errors.BadParameter, 400),
    (errors.QueryTooLarge, 413),
    (errors.UpdateForbidden, 403),
    (errors.RemoteAccessForbidden, 403),
    (errors.DatasetNotAvailable, 400),
    (errors.QuerySyntaxError, 400),
    (errors.QueryTooComplex, 400),
    (errors.QueryTimeout, 503),
    (errors.QueryOverload, 503),
    (errors.QueryIsolationFailure, 503),
    (errors.QueryEngineFailure, 500),
    (errors.QueryError, 400),
    (errors.StoreError, 503),
    (errors.BuildError, 503),
    (errors.SettingsError, 500),
    (errors.SourceError, 500),
    (errors.ShapesError, 500),
    (errors.KgPublisherError, 500),
)

#: Hints for HTTP-level faults that do not come from our code.
HTTP_HINTS = {
    404: "Browse /catalog or query /sparql to find the IRIs this server holds.",
    405: "See the Allow header for the methods this URL accepts.",
    406: "Ask for one of the media types listed in the message (Accept header or ?format=).",
    415: "Send the query as application/sparql-query or as an application/x-www-form-urlencoded form.",
    413: "Send a shorter request.",
}


def status_of(exc: errors.KgPublisherError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def error_response(status: int, kind: str, message: str, hint: str) -> Response:
    body = {"status": status, "type": kind, "message": message, "hint": hint}
    best = request.accept_mimetypes.best_match(["application/json", "text/html"], default="application/json")
    if best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]:
        response = Response(render_template("error.html", error=body), status=status, mimetype="text/html")
    else:
        response = jsonify(error=body)
        response.status_code = status
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "no-store"
    return response


#: Site paths named in hints (``/catalog``, ``/sparql``, ``/dumps/…``): shown as links on the HTML error page.
_SITE_PATH = re.compile(r"(?<![\w/.])(/(?:catalog|sparql|search|departments|glossary|codes|dumps|id|def)\b[\w./-]*)")


def link_paths(hint: str, script_root: str = "") -> Markup:
    """``hint`` as HTML, escaped, with the site paths it names as links.

    >>> str(link_paths("Browse /catalog or query /sparql <now>."))
    'Browse <a href="/catalog">/catalog</a> or query <a href="/sparql">/sparql</a> &lt;now&gt;.'
    """
    parts = _SITE_PATH.split(hint)
    html = [str(escape(part)) if i % 2 == 0 else f'<a href="{escape(script_root + part)}">{escape(part)}</a>'
            for i, part in enumerate(parts)]
    return Markup("".join(html))


def register_error_handlers(app: Flask) -> None:
    app.add_template_filter(link_paths, "link_paths")
    @app.errorhandler(errors.KgPublisherError)
    def known(exc: errors.KgPublisherError) -> Response:
        status = status_of(exc)
        if status >= 500:
            log.error("%s %s: %s", request.method, logged_target(), exc)
        response = error_response(status, type(exc).__name__, exc.message, exc.hint)
        if status == 503 and isinstance(exc, errors.QueryError):
            retry_after = getattr(exc, "retry_after", None)
            response.headers["Retry-After"] = str(max(1, math.ceil(retry_after if retry_after is not None else 1)))
        return response

    @app.errorhandler(HTTPException)
    def http(exc: HTTPException) -> Response:
        status = exc.code or 500
        response = error_response(status, type(exc).__name__, exc.description or exc.name,
                                  HTTP_HINTS.get(status, ""))
        if status == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(BadHost)
    @app.errorhandler(SecurityError)
    def bad_host(exc: HTTPException) -> Response:
        # Raised while the request is bound, before routing: a Host that is no host name, or (with the
        # TRUSTED_HOSTS of the allowed_hosts setting) one this server does not answer for.
        host = request.headers.get("Host", "")
        shown = repr(host[:100] + ("…" if len(host) > 100 else ""))
        allowed = app.config.get("TRUSTED_HOSTS") or []
        if isinstance(exc, SecurityError) and allowed:
            message = f"This server does not answer for the Host header {shown}: it is not one of its allowed hosts"
            hint = (f"Use one of {', '.join(allowed)}; the publisher lists more names in the allowed_hosts setting "
                    "or sets public_url.")
        else:
            message = (f"The Host header {shown} is not a host name (labels of at most 63 letters, digits or "
                       "'-', separated by '.', an optional :port)")
            hint = "Send the host name of the URL you are fetching."
        return error_response(400, "BadHost", message, hint)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, logged_target())
        return error_response(500, "InternalServerError", "The server failed while answering this request.",
                              "Try again; if it persists, report the URL and time to the publisher.")
