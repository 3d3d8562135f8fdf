"""Headers every read route gets: CORS, caching tied to the data version, conditional GET, request logging."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from typing import TYPE_CHECKING
from urllib.parse import quote

from flask import Flask, Response, g, request
from werkzeug.http import http_date

if TYPE_CHECKING:
    from . import Services

log = logging.getLogger("kg_publisher.web.access")

EXPOSED = "ETag, Content-Location, Link, Vary, X-Result-Truncated, X-Result-Rows, X-Data-Version"
ALLOWED_HEADERS = "Accept, Accept-Encoding, Content-Type, If-None-Match, If-Modified-Since"
#: The data only changes with a new release, which gives new ETags; clients may reuse answers a while.
MAX_AGE = 300


#: Characters of a query string kept as they are in the log (it arrives percent-encoded already).
URL_QUERY_SAFE = "/:@!$&'()*+,;=~?%"


#: A query string of only characters ``quote(…, safe=URL_QUERY_SAFE)`` keeps (what clients send: it is
#: percent-encoded already) is logged as it is; quoting a long SPARQL query character by character cost more than
#: the rest of answering it from the cache.
_KEPT_AS_SENT = re.compile(r"[A-Za-z0-9_.~/:@!$&'()*+,;=?%-]*")


def logged_target() -> str:
    """The request's path and query as sent on the wire (percent-encoded): a decoded ``%0A`` in a path must not
    start a forged line in the log."""
    return target_as_sent(request.path, request.query_string)


def target_as_sent(path: str, query_string: bytes) -> str:
    """:func:`logged_target` of a decoded path and the raw query string."""
    target = quote(path, safe="/:@!$&'()*+,;=~")
    query = query_string.decode("latin-1")
    if not query:
        return target
    return f"{target}?{query if _KEPT_AS_SENT.fullmatch(query) else quote(query, safe=URL_QUERY_SAFE)}"


def data_etag(version: str, root: str, full_path: str, mimetype: str, encoding: str = "") -> str:
    """The ETag of an answer made from the data (not a file): the release version and a hash of what else decides
    the bytes. The root is part of the key: without public_url, absolute URLs in the body follow the Host."""
    key = f"{root}|{full_path}|{mimetype}|{encoding}"
    return f"{version}-{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def log_access(remote: str | None, method: str, target: str, status: int, length: str, started: float | None) -> None:
    elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    log.info('%s "%s %s" %s %s %.1fms', remote, method, target, status, length, elapsed)


#: Request headers that make a GET conditional (or partial): only then is werkzeug's make_conditional needed.
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
                       "HTTP_RANGE")


def install(app: Flask, services: Services) -> None:
    version = services.store.version
    release = services.release
    last_modified = release.build_time if release is not None else None

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
        response.headers["X-Data-Version"] = version
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = "86400"
        elif request.method in ("GET", "HEAD") and response.status_code == 200 \
                and "no-store" not in (response.headers.get("Cache-Control") or ""):
            if response.get_etag()[0] is None:
                response.set_etag(data_etag(version, services.links.root(), request.full_path,
                                            str(response.mimetype), response.headers.get("Content-Encoding", "")))
            if last_modified is not None and response.last_modified is None:
                response.last_modified = last_modified
            response.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
            environ = request.environ
            if any(name in environ for name in CONDITIONAL_HEADERS):
                response.make_conditional(request)
            elif "Date" not in response.headers:  # what make_conditional adds to an unconditional GET
                response.headers["Date"] = http_date()
        log_access(request.remote_addr, request.method, logged_target(), response.status_code,
                   response.headers.get("Content-Length", "-"), g.get("started"))
        return response
