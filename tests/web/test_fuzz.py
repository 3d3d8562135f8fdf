"""A bounded fuzz test of /sparql (issue 7 §7): grammar-aware mutations of real queries plus random bytes.

Seeds are the W3C query-suite queries under ``../shared/standards/sparql`` (when present) and a few built in here.
Mutations work on the query's tokens (as :mod:`kg_publisher.publish.query_analysis` reads them): drop, repeat,
swap, splice from another seed, insert a hostile token (``SERVICE``, ``#\\r``, ``\"\"\"``, escapes, brackets …),
wrap in nesting. Fixed seed, a few thousand requests over a tiny store so even a cartesian product ends fast.
Every answer must be below 500 or a 503 for time/overload, and a control ``ASK {}`` is always answered.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from kg_publisher.publish.query_analysis import tokenize
from kg_publisher.publish.store import OxigraphStore
from kg_publisher.web import create_app

from .conftest import make_settings
from .w3c_query_cases import SUITES_DIR

REQUESTS = 3000
BUILT_IN = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "PREFIX ex: <http://example.org/> SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ex:p ?o OPTIONAL { ?o ex:q ?x } "
    "FILTER(?o > 1 && !BOUND(?x)) } GROUP BY ?s HAVING (COUNT(?o) > 0) ORDER BY DESC(?n)",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK { ?s <http://example.org/p>/<http://example.org/q>* ?o }",
    "DESCRIBE <http://example.org/a>",
    "SELECT ?x WHERE { VALUES (?x ?y) { (1 2) (UNDEF 3) } BIND(STR(?x) AS ?z) MINUS { ?x ?y ?z } }",
    'SELECT * WHERE { ?s ?p """long\n"""@en . FILTER(REGEX(STR(?s), "^http", "i")) } OFFSET 1',
    "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } } UNION { ?s a [ ?q ( 1 2 ) ] } }",
]
#: ``{R}`` becomes the URL of a listener that must see no connection.
HOSTILE = ["SERVICE", "SERVICE <{R}>", "SERVICE SILENT <{R}> { ?s ?p ?o }", "FROM <{R}>",
           "FROM", "FROM NAMED", "#\r", "#", '"""', "'''", "'", '"',
           "\\u0053", "\\U0000007B", "{", "}", "(", ")", "[", "]", "<", ">", "OPTIONAL {", "!", "-", "^^", "ORDER BY",
           "?x", "$y", "_:b", "ex:a\\#b", "1e9", ".5", "@en", "a", ";", ",", ".", "*", "+", "|", "/", "\x00",
           "\u2028", "INSERT", "LOAD", "GRAPH ?g", "FILTER(", "EXISTS {", "COUNT(*)", "GROUP BY", "LIMIT 1"]
OK_5XX = {"QueryTimeout", "QueryOverload"}


def _seeds() -> list[str]:
    found = sorted(SUITES_DIR.glob("**/*.rq")) if SUITES_DIR.is_dir() else []
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in found]
    return BUILT_IN + [text for text in texts if len(text) < 4000]


def _pieces(query: str) -> list[str]:
    """The query split at token boundaries (whitespace and comments kept, so a join gives the text back)."""
    out, last = [], 0
    for token in tokenize(query):
        out.append(query[last:token.start])
        out.append(token.text)
        last = token.start + len(token.text)
    out.append(query[last:])
    return [piece for piece in out if piece] or [query]


def _mutate(rng: random.Random, seeds: list[str], remote: str) -> str:
    pieces = _pieces(rng.choice(seeds))
    for _ in range(rng.randint(1, 3)):
        operation = rng.randrange(7)
        at = rng.randrange(len(pieces) + 1)
        if operation == 0 and pieces:
            del pieces[min(at, len(pieces) - 1)]
        elif operation == 1 and pieces:
            pieces.insert(at, pieces[min(at, len(pieces) - 1)])
        elif operation == 2 and len(pieces) > 1:
            i, j = rng.randrange(len(pieces)), rng.randrange(len(pieces))
            pieces[i], pieces[j] = pieces[j], pieces[i]
        elif operation == 3:
            other = _pieces(rng.choice(seeds))
            start = rng.randrange(len(other))
            pieces[at:at] = other[start:start + rng.randint(1, 8)]
        elif operation == 4:
            hostile = rng.choice(HOSTILE).replace("{R}", remote)
            pieces.insert(at, rng.choice([" ", ""]) + hostile + rng.choice([" ", "", "\n"]))
        elif operation == 5:
            depth = rng.choice([2, 10, 70, 300])
            opener, closer = rng.choice([("{", "}"), ("(", ")"), ("OPTIONAL {", "}"), ("!", "")])
            pieces[at:at] = [opener * depth]
            pieces.append(closer * depth)
        else:
            text = "".join(pieces)
            cut = rng.randrange(len(text) + 1)
            pieces = [text[:cut], text[cut:]]
    return "".join(pieces)


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A store of 15 triples in 2 graphs: small enough that any query (even a 4-way product) ends in ms."""
    path = tmp_path_factory.mktemp("fuzz") / "store"
    store = ox.Store(str(path))
    ex = "http://example.org/"
    for i in range(15):
        graph = ox.NamedNode(f"{ex}g{i % 2}")
        subject = ox.NamedNode(f"{ex}s{i % 5}")
        value: ox.NamedNode | ox.Literal = (ox.NamedNode(f"{ex}o{i}") if i % 3 == 0 else
                                            ox.Literal(str(i), datatype=ox.NamedNode(
                                                "http://www.w3.org/2001/XMLSchema#integer")) if i % 3 == 1
                                            else ox.Literal(f"标签{i}", language="zh"))
        store.add(ox.Quad(subject, ox.NamedNode(f"{ex}p{i % 3}"), value, graph))
    store.flush()
    del store
    settings = make_settings(query_timeout=2.0)
    fuzz_store = OxigraphStore(Path(path), settings)
    yield create_app(settings, fuzz_store)
    fuzz_store.close()


def _send(client: FlaskClient, rng: random.Random, query: str | bytes) -> tuple[int, str]:
    how = rng.randrange(3)
    if isinstance(query, bytes) or how == 0:
        body = query if isinstance(query, bytes) else query.encode("utf-8", "surrogatepass")
        response = client.post("/sparql", data=body, content_type="application/sparql-query")
    elif how == 1:
        response = client.get("/sparql", query_string={"query": query})
    else:
        response = client.post("/sparql", data={"query": query})
    kind = ""
    if response.status_code >= 400:
        error = response.get_json(silent=True) or {}
        kind = error.get("error", {}).get("type", "")
    return response.status_code, kind


def test_fuzzed_queries_never_fail_the_server(fuzz_app: Flask, listener: tuple[int, list[object]]) -> None:
    if not SUITES_DIR.is_dir():
        print(f"W3C suites not found at {SUITES_DIR}: fuzzing from the built-in seeds only")
    port, hits = listener
    remote = f"http://127.0.0.1:{port}/sparql"
    rng = random.Random(20260703)
    seeds = _seeds()
    client = fuzz_app.test_client()
    failures: list[str] = []
    statuses: dict[int, int] = {}
    for number in range(REQUESTS):
        query: str | bytes
        if number % 10 == 9:
            query = rng.randbytes(rng.randint(1, 300))
            if rng.random() < 0.5:
                query = query.decode("latin-1")
        else:
            query = _mutate(rng, seeds, remote)
        status, kind = _send(client, rng, query)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500 and not (status == 503 and kind in OK_5XX):
            failures.append(f"{status} {kind}: {query!r:.300}")
        if number % 100 == 0:
            control = client.get("/sparql", query_string={"query": "ASK {}"},
                                 headers={"Accept": "application/sparql-results+json"})
            assert control.status_code == 200 and control.get_json()["boolean"] is True, number
    print(f"fuzz: {REQUESTS} requests from {len(seeds)} seeds, statuses {dict(sorted(statuses.items()))}")
    assert not failures, f"{len(failures)} server errors of {REQUESTS}; first: {failures[:5]}"
    assert statuses.get(200, 0) > REQUESTS // 10, statuses  # the mutations still reach the engine often
    assert hits == []  # no query reached the listener
