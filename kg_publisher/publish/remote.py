"""A read-only :class:`~kg_publisher.publish.store.Store` over a SPARQL 1.1 endpoint this process does not run.

For a publisher whose corpus outgrows one machine: the fronts (any number of stateless app processes) send every
query to one engine (Oxigraph server, QLever, Virtuoso, Fuseki) at the ``store_url`` setting. What holds on the
embedded path holds here too, because it is decided before the request leaves: the same parse-based refusals
(updates, SERVICE, FROM of graphs we do not hold), the same size limit, the time limit (the whole answer must
arrive within ``query_timeout``; the engine should be started with its own timeout as well), the row cap
(results are parsed as they arrive and the connection is dropped after ``max_rows + 1``), and a concurrency limit
of ``query_workers`` queries per front. Answers are re-serialised here in the format the client asked for, so an
engine that writes only SPARQL JSON and N-Triples (QLever has no RDF/XML or JSON-LD) serves every format.

The engine must hold the release with its default graph as the merge of the named graphs (``kg-publisher load``
writes it so), which makes the default graph a set whatever the engine's own "union" mode does.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pyoxigraph as ox

from .. import __version__
from ..errors import QueryError, QuerySyntaxError, QueryTimeout, StoreError
from ..settings import Settings
from .formats import NTRIPLES, RESULTS_JSON, TURTLE
from .release import Release
from .sparql import QueryAnswer, QueryJob, answer, check_request
from .triples import LABEL_PREDICATES

T = TypeVar("T")

#: What we ask the engine for: result sets as SPARQL JSON, graphs as N-Triples or Turtle (QLever writes no
#: N-Triples media type but its Turtle is line-based), each parsed as it arrives.
_ACCEPT = f"{RESULTS_JSON.media_type}, {NTRIPLES.media_type};q=0.9, {TURTLE.media_type};q=0.8, text/plain;q=0.1"
_GRAPH_FORMATS = {NTRIPLES.media_type: ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                  TURTLE.media_type: ox.RdfFormat.TURTLE}


class _Deadline(io.RawIOBase):
    """A file view of a streamed HTTP body that fails once the time limit passes (parsers read it lazily)."""

    def __init__(self, chunks: Iterator[bytes], deadline: float, timeout: float) -> None:
        super().__init__()
        self._chunks, self._deadline, self._timeout = chunks, deadline, timeout
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._pending:
            if time.monotonic() > self._deadline:
                raise QueryTimeout(f"The query did not finish within {self._timeout:g} s")
            self._pending = next(self._chunks, b"")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class RemoteStore:
    """The :class:`~kg_publisher.publish.store.Store` protocol over HTTP (SPARQL 1.1 Protocol, query operation)."""

    def __init__(self, endpoint: str, settings: Settings, release: Release | None = None) -> None:
        self.endpoint = endpoint
        self.settings = settings
        self.release = release
        self._client = httpx.Client(headers={"User-Agent": f"kg-publisher/{__version__}"},
                                    timeout=httpx.Timeout(settings.query_timeout, connect=5.0), follow_redirects=False)
        self._slots = threading.BoundedSemaphore(settings.query_workers)
        self._graph_sizes: dict[str, int] | None = None
        self.version = release.version if release is not None else self._remote_version()

    @classmethod
    def from_release(cls, release: Release | None, settings: Settings) -> RemoteStore:
        return cls(settings.store_url, settings, release)

    # ---- the protocol round trip ------------------------------------------------------------------------------

    def _run(self, query: str, job: QueryJob | None = None, consume: Callable[[Any], T] = list) -> T:  # type: ignore[assignment]
        """Send ``query`` and hand its parsed result (lazy for solutions and triples) to ``consume``, inside the
        query slot and the time limit; raises a QueryError or StoreError."""
        timeout = self.settings.query_timeout
        deadline = time.monotonic() + timeout
        # Waiting for a free slot counts against the time limit: a query never takes twice the limit.
        if not self._slots.acquire(timeout=timeout):
            raise QueryTimeout(f"No query slot became free within {timeout:g} s: the store is busy")
        try:
            params: list[tuple[str, str | int | float | bool | None]] = []
            if job is not None:
                params += [("default-graph-uri", iri) for iri in job.default_graphs]
                params += [("named-graph-uri", iri) for iri in job.named_graphs]
            request = self._client.build_request(
                "POST", self.endpoint, params=params, content=query.encode("utf-8"),
                headers={"Content-Type": "application/sparql-query", "Accept": _ACCEPT})
            try:
                response = self._client.send(request, stream=True)
                try:
                    return consume(self._parse(response, deadline, timeout))
                finally:
                    response.close()
            except httpx.TimeoutException:
                raise QueryTimeout(f"The store did not answer within {timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise StoreError(f"The SPARQL store at {self.endpoint} cannot be reached: {exc}",
                                 "Check the store_url setting and that the store is running.") from None
            except SyntaxError as exc:  # the answer stopped parsing half way (e.g. the connection dropped)
                raise StoreError(f"The store's answer does not parse: {exc}") from None
        finally:
            self._slots.release()

    def _parse(self, response: httpx.Response, deadline: float, timeout: float) -> Any:
        if response.status_code != 200:
            message = response.read().decode("utf-8", "replace")[:500].strip()
            if response.status_code == 400:
                raise QuerySyntaxError(f"The store refused the query: {message}")
            if response.status_code in (408, 503, 504) or "timeout" in message.lower():
                raise QueryTimeout(f"The store stopped the query (HTTP {response.status_code}): {message}")
            raise StoreError(f"The SPARQL store answered HTTP {response.status_code}: {message}",
                             "See the store's own log; the data served is unchanged.")
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        body = io.BufferedReader(_Deadline(response.iter_bytes(), deadline, timeout))
        if media_type in (RESULTS_JSON.media_type, "application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if media_type in _GRAPH_FORMATS:
            return (quad.triple for quad in ox.parse(body, format=_GRAPH_FORMATS[media_type]))
        raise StoreError(f"The store answered {media_type or 'no media type'}, not SPARQL JSON, N-Triples or Turtle")

    def _triples(self, query: str) -> list[ox.Triple]:
        return self._run(query)

    def _rows(self, query: str) -> list[ox.QuerySolution]:
        return self._run(query)

    # ---- Store ------------------------------------------------------------------------------------------------

    def query(self, job: QueryJob) -> QueryAnswer:
        # The engine gets the text as the checks read it (escapes applied, comments blanked).
        shape = check_request(job, self.graph_sizes(), self.settings.max_query_bytes)
        return self._run(shape.text, job, lambda result: answer(result, job))

    def describe(self, iri: str) -> list[ox.Triple]:
        node = ox.NamedNode(iri)  # validates the IRI: nothing but an IRI reaches the query text
        # The triples about the node and those of blank nodes reached from it, two levels deep (a SPARQL path
        # cannot be kept to blank nodes; our data has none deeper).
        return _unique(self._triples(
            f"CONSTRUCT {{ {node} ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 }} WHERE {{ {node} ?p ?o . "
            f"OPTIONAL {{ ?o ?p2 ?o2 . FILTER (isBlank(?o)) OPTIONAL {{ ?o2 ?p3 ?o3 . FILTER (isBlank(?o2)) }} }} }}"))

    def incoming(self, iri: str, limit: int, offset: int = 0) -> list[ox.Triple]:
        node = ox.NamedNode(iri)
        # Ordered, so that pages (OFFSET) neither overlap nor leave gaps whatever order the engine scans in.
        return _unique(self._triples(
            f"CONSTRUCT {{ ?s ?p {node} }} WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} }} "
            f"ORDER BY ?s ?p LIMIT {int(limit)} OFFSET {int(offset)} }}"))

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return self._run(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}", consume=bool)

    def graph(self, name: str) -> list[ox.Triple]:
        return self._triples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(name)} {{ ?s ?p ?o }} }}")

    def subjects(self, prefix: str, limit: int) -> list[str]:
        # Sorted here: an engine's ORDER BY over every subject costs seconds (Oxigraph: 4 s of a 0.6 s query).
        start = ox.Literal(prefix)
        rows = self._rows(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o . FILTER (STRSTARTS(STR(?s), {start})) }}")
        return sorted(row["s"].value for row in rows if isinstance(row["s"], ox.NamedNode))[:limit]

    def labels(self, iri: str) -> list[ox.Literal]:
        node = ox.NamedNode(iri)
        values = " ".join(str(ox.NamedNode(p)) for p in LABEL_PREDICATES)
        rows = self._rows(f"SELECT ?p ?label WHERE {{ VALUES ?p {{ {values} }} {node} ?p ?label . "
                          f"FILTER (isLiteral(?label)) }}")
        for predicate in LABEL_PREDICATES:
            found = [row["label"] for row in rows if row["p"].value == predicate]
            if found:
                return sorted(set(found), key=str)
        return []

    def graph_sizes(self) -> dict[str, int]:
        if self._graph_sizes is None:
            if self.release is not None:
                self._graph_sizes = {str(g): int(n) for g, n in self.release.manifest["graphs"].items()}
            else:
                # GRAPH ?g { OPTIONAL … } names every graph, empty ones too.
                rows = self._rows("SELECT ?g (COUNT(?s) AS ?n) WHERE { GRAPH ?g { OPTIONAL { ?s ?p ?o } } } "
                                  "GROUP BY ?g")
                self._graph_sizes = {row["g"].value: int(row["n"].value) for row in rows}
        return self._graph_sizes

    def close(self) -> None:
        self._client.close()

    def _remote_version(self) -> str:
        try:
            return "remote-" + str(sum(self.graph_sizes().values()))
        except QueryError as exc:
            raise StoreError(f"The SPARQL store at {self.endpoint} does not answer: {exc}") from None


def _unique(triples: list[ox.Triple]) -> list[ox.Triple]:
    return list(dict.fromkeys(triples))


def graph_store_url(store_url: str) -> str:
    """The Graph Store endpoint beside a query endpoint, where the engine's layout tells it (Oxigraph's /query →
    /store, Fuseki's /ds/query or /ds/sparql → /ds/data); '' when it cannot be told."""
    for query_path, store_path in (("/query", "/store"), ("/sparql", "/data")):
        if store_url.endswith(query_path):
            return store_url[: -len(query_path)] + store_path
    return ""


def _chunks(lines: Iterator[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    buffer: list[bytes] = []
    length = 0
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield b"".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield b"".join(buffer)


def load_release(release: Release, settings: Settings, graph_store: str, timeout: float = 3600.0) -> dict[str, int]:
    """Load ``release`` into the engine at ``graph_store`` (its Graph Store Protocol endpoint) and check it
    against the engine's query endpoint, the ``store_url`` setting.

    Two streamed POSTs: the release's N-Quads to the dataset (Oxigraph and Fuseki take quads there), then the same
    triples without their graph names to the default graph, which makes it the merge of the named graphs (the
    engine keeps each triple once). Then every named graph's size is asked at ``store_url`` and compared with the
    manifest; a difference raises StoreError. Returns graph IRI → triples found.
    """
    client = httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0),
                          headers={"User-Agent": f"kg-publisher/{__version__}"})
    try:
        def post(params: dict[str, str], media_type: str, body: Iterator[bytes]) -> None:
            try:
                response = client.post(graph_store, params=params, content=body, headers={"Content-Type": media_type})
            except httpx.HTTPError as exc:
                raise StoreError(f"The graph store at {graph_store} cannot be reached: {exc}",
                                 "Check --graph-store-url and that the engine is running and writable.") from None
            if response.status_code not in (200, 201, 204):
                raise StoreError(f"The graph store answered HTTP {response.status_code} to the load: "
                                 f"{response.text[:300]}", "Is the engine writable (not started read-only)?")

        with release.open_nquads() as quads:
            post({}, "application/n-quads", _chunks(iter(quads)))
        with release.open_nquads() as quads:
            triples = (f"{quad.triple} .\n".encode() for quad in ox.parse(quads, format=ox.RdfFormat.N_QUADS))
            post({"default": ""}, NTRIPLES.media_type, _chunks(triples))
    finally:
        client.close()
    store = RemoteStore(settings.store_url, settings, None)
    try:
        found = {iri: size for iri, size in store.graph_sizes().items()}
    finally:
        store.close()
    expected = {str(g): int(n) for g, n in release.manifest["graphs"].items()}
    wrong = {iri: (n, found.get(iri, 0)) for iri, n in expected.items() if found.get(iri, 0) != n}
    if wrong:
        listed = "; ".join(f"{iri}: {n} expected, {got} found" for iri, (n, got) in sorted(wrong.items())[:5])
        raise StoreError(f"After loading, {len(wrong)} graph(s) differ from the release: {listed}",
                         "Load into an empty engine (a graph already holding other triples keeps them).")
    return found
