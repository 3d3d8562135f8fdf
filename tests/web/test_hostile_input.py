"""Hostile paths, query strings and headers against every route family: never a 5xx, always the one error shape.

Issue 7's examples (``/id/a%20b``, ``%3C``, ``%22``, ``%7B``, ``%00``, ``/\\evil.example``, a 64-character Host
label with ``Accept: text/html``) were 500s, the last one with an error page that failed too.
"""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kg_publisher.web.http import logged_target

from .test_server import serving

DATASET = "/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget"

#: One working URL of each route family (home, catalogue, VoID, robots, sitemap, SPARQL, dumps, linked data,
#: the vocabulary document, static files, search and the department and glossary lists).
ROUTES = {
    "home": "/",
    "catalogue": "/catalog",
    "catalogue document": "/catalog.ttl",
    "void": "/.well-known/void",
    "robots": "/robots.txt",
    "sitemap": "/sitemap.xml",
    "service description": "/sparql",
    "service document": "/sparql.ttl",
    "query": "/sparql?query=ASK%7B%7D",
    "dump": "/dumps/all.trig",
    "resource": DATASET,
    "resource document": f"{DATASET}.ttl",
    "vocabulary": "/def",
    "static": "/static/style.css",
    "search": "/search?q=%E8%B4%A2%E6%94%BF",
    "departments": "/departments",
    "glossary": "/glossary",
}

#: Appended to each route's path: bad percent-encoding, IRIs with spaces, quotes, angle brackets, braces, control
#: characters, header injection, traversal, a backslash, a very long segment.
PATH_SUFFIXES = ["%20b", "%3C", "%22", "%7B%7D", "%00", "%01%7F", "%ZZ", "%E4%B8", "%0D%0ASet-Cookie:%20x=1",
                 "/..%2F..%2Fetc%2Fpasswd", "\\evil.example", "/" + "a" * 5000, ";x=1", "%25", "<script>", "%C0%AF"]

#: Whole paths from issue 7 and their relatives.
PATHS = ["/id/a%20b", "/id/%3C", "/id/%22", "/id/%7B", "/id/%00", "/\\evil.example", "//evil.example",
         "/%5Cevil.example", "/id/a%0Ab", "/id/%E2%80%AE", "/id/" + "%F0%9F" * 100, "/def%23x", "/%2e%2e/%2e%2e/"]

#: Appended to each route's URL as (extra) query parameters.
QUERY_STRINGS = ["format=%00", "format=" + "x" * 5000, "format=%3Cscript%3E", "format=ttl&format=html",
                 "%ZZ=%ZZ", "query=%00", "default-graph-uri=%20", "named-graph-uri=%3C%3E", "q=%00%22%3C%3E*",
                 "q=" + "%E8%B4%A2" * 2000, "q=%22%22%22%20OR%20NEAR(", "page=-1&limit=1e99"]

LONG_ACCEPT = ",".join(f"text/x-{i};q=0.{i % 10}" for i in range(2000))
HEADERS: list[dict[str, str]] = [
    {"Accept": "text/html;q=abc"},
    {"Accept": "*/*;q=2"},
    {"Accept": ";;;,,,="},
    {"Accept": LONG_ACCEPT},
    {"Accept": "text/html\x00"},
    {"Accept": 'application/ld+json;profile="\x7f'},
    {"Accept": "text/*;q=0.5, */*;q=NaN"},
    {"Accept": "text/html;q=inf"},
    {"Accept-Language": "zh-CN;q=nan,*;q=-1"},
    {"Accept-Language": "x" * 10000},
    {"Accept-Language": ",".join(["zh"] * 3000)},
    {"Accept-Encoding": "gzip;q=abc, br;q=-1, *;q=0"},
    {"If-None-Match": '"x", garbage, W/'},
    {"If-Modified-Since": "Thu, 01 Jan 99999 00:00:00 GMT"},
    {"If-Modified-Since": "garbage"},
    {"If-Unmodified-Since": "Mon, 31 Feb 2022 99:99:99 GMT"},
    {"Range": "bytes=abc"},
    {"Range": "bytes=99999999999999999999-"},
    {"If-Range": "garbage", "Range": "bytes=0-1"},
    {"Host": "a" * 64 + ".example", "Accept": "text/html"},
    {"Host": "a" * 64 + ".example"},
    {"Host": "a" * 300},
    {"Host": "[::1"},
    {"Host": "localhost:99999"},
    {"Host": "a b", "Accept": "text/html"},
    {"Host": "evil.example/x?y#z"},
    {"Host": ""},
    {"X-Huge": "x" * 100_000},
    {"Cookie": "a=" + "b" * 10000},
    {"Content-Type": "application/sparql-query; charset=\x00"},
    {"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example"},
]

POSTS: list[tuple[str, bytes]] = [
    ("application/sparql-query; charset=\x00", b"ASK {}"),
    ("application/sparql-query", b"\xff\xfe"),
    ("application/x-www-form-urlencoded", b"%ZZ=%ZZ&query=ASK%7B%7D"),
    ("application/x-www-form-urlencoded; charset=utf-7", b"query=ASK%7B%7D"),
    ("multipart/form-data; boundary=", b"--\r\n"),
    ("text/plain;;;", b"ASK {}"),
]


def check(response: TestResponse, what: str) -> str | None:
    """None when the answer is a non-5xx and, if an error, the one JSON/HTML error shape; else a complaint."""
    status = response.status_code
    if status >= 500:
        return f"{what}: {status}"
    if status < 400:
        return None
    if response.mimetype == "application/json":
        error = json.loads(response.data)["error"]
        if error["status"] != status or not error["message"] or not {"type", "hint"} <= set(error):
            return f"{what}: {status} with a malformed JSON error {error}"
    elif response.mimetype == "text/html":
        if f"<h1>{status} · ".encode() not in response.data or b'class="message"' not in response.data:
            return f"{what}: {status} with an HTML page that is not the error page"
    else:
        return f"{what}: {status} as {response.mimetype}, not the error shape"
    return None


def _join(url: str, suffix: str) -> str:
    path, sep, query = url.partition("?")
    return f"{path}{suffix}{sep}{query}"


def raw_get(client: FlaskClient, url: str, headers: dict[str, str]) -> TestResponse:
    """GET ``url`` exactly as a WSGI server hands it over: PATH_INFO is the percent-decoded bytes
    (as latin-1), the query string is untouched. (The test client's own URL parsing would read ``//x`` as a
    host, and refuses some of these URLs before the app sees them.)"""
    path, _, query = url.partition("?")
    environ = {"PATH_INFO": unquote_to_bytes(path).decode("latin-1"), "QUERY_STRING": query, "RAW_URI": url}
    return client.get("/", headers=headers, environ_overrides=environ)


def _failures(client: FlaskClient, requests: list[tuple[str, dict[str, str]]]) -> list[str]:
    failures = []
    for url, headers in requests:
        for accept in ("application/json", "text/html"):
            sent = {"Accept": accept, **headers}
            complaint = check(raw_get(client, url, sent), f"GET {url[:80]} {str(sent)[:120]}")
            if complaint:
                failures.append(complaint)
    return failures


@pytest.mark.parametrize("suffix", PATH_SUFFIXES)
def test_hostile_paths_on_every_route_family(client: FlaskClient, suffix: str) -> None:
    failures = _failures(client, [(_join(url, suffix), {}) for url in ROUTES.values()])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", PATHS)
def test_issue_7_paths_are_404_in_the_error_shape(client: FlaskClient, path: str) -> None:
    for accept in ("application/json", "text/html"):
        response = raw_get(client, path, {"Accept": accept})
        assert response.status_code == 404, (path, response.status_code)
        assert check(response, path) is None


@pytest.mark.parametrize("query", QUERY_STRINGS)
def test_hostile_query_strings_on_every_route_family(client: FlaskClient, query: str) -> None:
    urls = [f"{url}{'&' if '?' in url else '?'}{query}" for url in ROUTES.values()]
    failures = _failures(client, [(url, {}) for url in urls])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("headers", HEADERS, ids=[f"{i}-{next(iter(h))}" for i, h in enumerate(HEADERS)])
def test_hostile_headers_on_every_route_family(client: FlaskClient, headers: dict[str, str]) -> None:
    failures = _failures(client, [(url, headers) for url in ROUTES.values()])
    assert not failures, "\n".join(failures)


def test_a_64_character_host_label_is_a_400_error_page(client: FlaskClient) -> None:
    response = client.get("/", headers={"Host": "a" * 64 + ".example", "Accept": "text/html"})
    assert response.status_code == 400 and check(response, "64-character label") is None
    assert b"The Host header" in response.data or b"the Host header" in response.data


@pytest.mark.parametrize(("content_type", "body"), POSTS)
def test_hostile_posts_to_the_endpoint(client: FlaskClient, content_type: str, body: bytes) -> None:
    for accept in ("application/json", "text/html"):
        response = client.post("/sparql", data=body, headers={"Content-Type": content_type, "Accept": accept})
        assert check(response, f"POST {content_type!r}") is None


#: Raw request targets and Host values sent to the real server (the HTTP server parses them before Flask sees them).
RAW_TARGETS = [b"/id/a%20b", b"/id/%3C", b"/id/%22", b"/id/%7B", b"/id/%00", b"/\\evil.example", b"//evil.example",
               b"/id/a b", b"/id/\x01", b"/id/%ZZ", b"*", b"/sparql?query=%00"]
RAW_HOSTS = [b"a" * 64 + b".example", b"evil.example", b"", b"a b", b"[::1"]


def _raw(port: int, request: bytes) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_through_the_server_malformed_targets_and_hosts_are_4xx(release_dir: Path) -> None:
    """The same examples on the wire: what the HTTP server refuses itself (a space or control character in the
    request line, ``*``) is its own 400; everything that reaches the app is our 4xx error page, never a 5xx."""
    with serving(release_dir) as url:
        port = urlsplit(url).port
        assert port is not None
        for target in RAW_TARGETS:
            status, body = _raw(port, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
                                      b"Connection: close\r\n\r\n")
            assert 400 <= status < 500, (target, status)
        for host in RAW_HOSTS:
            status, body = _raw(port, b"GET / HTTP/1.1\r\nHost: " + host + b"\r\nAccept: text/html\r\n"
                                      b"Connection: close\r\n\r\n")
            assert status == 400 and b"<h1>400 \xc2\xb7 BadHost</h1>" in body, (host, status)
        status, _ = _raw(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"x" * 20000 +
                         b"\r\nConnection: close\r\n\r\n")
        assert status == 431


def test_a_decoded_line_break_in_a_path_does_not_forge_a_log_line(client: FlaskClient,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kg_publisher.web"):
        raw_get(client, "/id/a%0D%0A127.0.0.1%20%22GET%20/admin%22%20200?x=%0A", {})
    lines = [r.getMessage() for r in caplog.records if r.name == "kg_publisher.web.access"]
    assert lines and all("\n" not in line and "\r" not in line for line in lines)
    assert any("/id/a%0D%0A127.0.0.1%20%22GET%20/admin%22%20200?x=%0A" in line for line in lines), lines


@pytest.mark.parametrize(("sent", "logged"), [
    ("query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D&x=1", "query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D&x=1"),
    ('q="a b"\r\nX: 1', "q=%22a%20b%22%0D%0AX:%201"),  # raw characters a client should have encoded
    ("q=\u4e2d", "q=%C3%A4%C2%B8%C2%AD"),  # bytes past ASCII (read as latin-1 by WSGI), each encoded
])
def test_query_strings_are_logged_as_sent_or_encoded(app: Flask, sent: str, logged: str) -> None:
    with app.test_request_context("/sparql", environ_overrides={"QUERY_STRING": sent.encode().decode("latin-1")}):
        assert logged_target() == f"/sparql?{logged}"
