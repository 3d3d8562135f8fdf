"""Soak: serve a built release with `kg-publisher serve` on localhost and keep it busy, with runaway queries.

    .venv/bin/python bench/soak.py build                  # 5 minutes, c=32 mix + 4 runaway clients
    .venv/bin/python bench/soak.py build --duration 60    # a shorter run

The server is started as ``kg-publisher serve`` starts it (granian, the settings' defaults: 2 workers × 64
threads, 4 query processes per worker, query_timeout 10 s). ``--concurrency`` clients (default 32) loop over a mix
of lookups (SPARQL by subject IRI), linked-data RDF documents, HTML pages, dumps and aggregates (the bench/queries
mix); query texts carry a counter so answers are evaluated, not served from the answer cache. At the same time
``--runaway`` clients (default 4) repeat a cartesian product that can only end at the time limit (503).

Every ``--interval`` seconds (default 10) one line: requests and errors by status in the interval, p50/p99 per
kind, RSS of the server's process tree (main process, workers, query processes; from /proc) and the load
average. At the end a summary: errors other than the runaway's 503, the RSS peak of the last minute against
minute 1's (and min/median/max per minute), and the
lookups' p99 while a runaway query was in flight. Bounded: it stops after ``--duration`` seconds or
``--max-requests`` requests, whichever comes first, and sends traffic to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.proc import tree_rss
from bench.queries import render
from bench.run import free_port, start_server
from kg_publisher.publish.release import Release

HOST = "127.0.0.1"  # never anywhere else
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LOOKUP = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 100"
AGGREGATES = ("sum by category", "top departments", "count", "year over year")
#: What one mix client does in turn: mostly lookups, then pages, aggregates, RDF documents, dumps.
MIX = ("lookup", "page", "lookup", "aggregate", "resource", "lookup", "page", "dump", "lookup", "aggregate")
KINDS = ("lookup", "resource", "page", "dump", "aggregate", "runaway")
REQUEST_TIMEOUT = 120.0
MB = 1 << 20


@dataclass
class Sample:
    kind: str
    started: float  # seconds since the soak began
    seconds: float
    status: str  # HTTP status, or "timeout"/"connection" when none came back
    during_runaway: bool
    error: str = ""  # the error body's type (QueryTimeout, QueryOverload, …) of a 4xx/5xx


@dataclass
class Recorder:
    began: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    runaways_in_flight: int = 0
    count: int = 0

    def now(self) -> float:
        return time.monotonic() - self.began


class Client:
    """One keep-alive HTTP/1.1 connection to the server under test (reopened after an error)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str, headers: dict[str, str]) -> tuple[str, str]:
        """(status, error type from the JSON error body, or "")."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return str(response.status), error_type(response.status, response.getheader("Content-Type"), body)
            except TimeoutError:
                self.close()
                return "timeout", ""
            except (ConnectionError, http.client.HTTPException):
                self.close()  # the server closed an idle keep-alive connection: one retry on a new one
                if attempt == 2:
                    return "connection", ""
        return "connection", ""

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def error_type(status: int, content_type: str | None, body: bytes) -> str:
    if status < 400 or not (content_type or "").startswith("application/json"):
        return ""
    try:
        return str(json.loads(body)["error"]["type"])
    except (ValueError, KeyError, TypeError):
        return "?"


def code_version() -> str:
    """The commit of the checkout being measured (``git describe``), or "unknown" outside a git checkout."""
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=10,
                              cwd=Path(__file__).resolve().parent, check=True)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip()


def sparql_path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def targets(release: Release, port: int) -> dict[str, list[str]]:
    """Paths each kind cycles through, read from the release and the running server."""
    base = release.manifest["base_iri"]
    client = Client(port)
    client.connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    client.connection.request("GET", sparql_path(
        "SELECT DISTINCT ?s WHERE { ?s a <http://purl.org/linked-data/cube#Observation> } ORDER BY ?s LIMIT 400"),
        headers={"Accept": "application/sparql-results+json"})
    rows = json.loads(client.connection.getresponse().read())["results"]["bindings"]
    client.close()
    observations = [row["s"]["value"] for row in rows]
    datasets = [row["dataset"] for row in release.manifest["datasets"]]
    subjects = datasets + observations
    local = [iri[len(base) - 1:] for iri in subjects if iri.startswith(base)]
    return {
        "lookup": subjects,
        "resource": local,
        "page": local[: len(datasets)] + local[len(datasets):: 20],
        "dump": ["/" + row["path"] for row in release.manifest["dumps"]],
    }


def mix_client(number: int, port: int, paths: dict[str, list[str]], recorder: Recorder, row: dict[str, object],
               stop: threading.Event, max_requests: int) -> None:
    client = Client(port)
    counter = itertools.count()
    kinds = itertools.cycle(MIX[number % len(MIX):] + MIX[: number % len(MIX)])
    while not stop.is_set():
        kind = next(kinds)
        n = next(counter) * 1000 + number
        pool = paths.get(kind, [])
        if kind == "lookup":
            path = sparql_path(LOOKUP.format(iri=pool[n % len(pool)]) + f"\n# soak {n}")
            headers = {"Accept": "application/sparql-results+json"}
        elif kind == "aggregate":
            name = AGGREGATES[n % len(AGGREGATES)]
            text = render(name, str(row["organization"]), int(str(row["year"])))
            path, headers = sparql_path(f"{text}\n# soak {n}"), {"Accept": "application/sparql-results+json"}
        elif kind == "resource":
            path, headers = pool[n % len(pool)], {"Accept": "text/turtle"}
        elif kind == "page":
            path, headers = pool[n % len(pool)], {"Accept": "text/html", "Accept-Language": "zh-CN,zh;q=0.9"}
        else:
            path, headers = pool[n % len(pool)], {"Accept-Encoding": "gzip"}
        if not record(recorder, kind, client, path, headers, max_requests):
            stop.set()
    client.close()


def runaway_client(port: int, recorder: Recorder, stop: threading.Event, max_requests: int) -> None:
    client = Client(port)
    for n in itertools.count():
        if stop.is_set():
            break
        path = sparql_path(f"{RUNAWAY}\n# soak runaway {n}")
        with recorder.lock:
            recorder.runaways_in_flight += 1
        try:
            if not record(recorder, "runaway", client, path, {"Accept": "application/sparql-results+json"},
                          max_requests):
                stop.set()
        finally:
            with recorder.lock:
                recorder.runaways_in_flight -= 1
    client.close()


def record(recorder: Recorder, kind: str, client: Client, path: str, headers: dict[str, str],
           max_requests: int) -> bool:
    """Send one request and keep its sample; False once ``max_requests`` have been sent."""
    with recorder.lock:
        if recorder.count >= max_requests:
            return False
        recorder.count += 1
        during = recorder.runaways_in_flight > 0 and kind != "runaway"
    started = recorder.now()
    status, error = client.get(path, headers)
    sample = Sample(kind, started, recorder.now() - started, status, during, error)
    with recorder.lock:
        recorder.samples.append(sample)
    return True


def rss_by_minute(samples: list[tuple[float, int]]) -> list[tuple[float, float, int]]:
    """(min, median, max) RSS of the samples of each started minute of the run."""
    minutes: dict[int, list[int]] = defaultdict(list)
    for t, rss in samples:
        minutes[max(0, int((t - 0.5) // 60))].append(rss)
    return [(min(v), statistics.median(v), max(v)) for _, v in sorted(minutes.items())]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def describe(samples: list[Sample]) -> str:
    statuses = Counter(s.status for s in samples)
    errors = {status: n for status, n in sorted(statuses.items()) if not status.startswith("2")}
    parts = [f"{len(samples):6d} req", f"errors {errors or '{}'}"]
    for kind in KINDS:
        times = [s.seconds * 1000 for s in samples if s.kind == kind]
        if times:
            parts.append(f"{kind} p50 {statistics.median(times):.0f} p99 {percentile(times, 0.99):.0f} ms")
    return " | ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path, help="build folder (with current) or release folder")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load (default 300)")
    parser.add_argument("--concurrency", type=int, default=32, help="clients of the mix (default 32)")
    parser.add_argument("--runaway", type=int, default=4, help="clients repeating the runaway query (default 4)")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between report lines (default 10)")
    parser.add_argument("--max-requests", type=int, default=2_000_000, help="most requests in all (default 2e6)")
    parser.add_argument("--workers", type=int, default=2, help="web server workers (default 2, the setting's)")
    parser.add_argument("--json", type=Path, help="also write every interval and the summary to this file")
    args = parser.parse_args()
    if not 0 < args.duration <= 3600 or not 0 < args.concurrency <= 256 or not 0 <= args.runaway <= 64:
        parser.error("--duration must be in (0, 3600], --concurrency in 1..256, --runaway in 0..64")

    release = Release.open(args.build)
    port = free_port()
    server = start_server(release.path, port, args.workers)
    print(f"code {code_version()}, release {release.version} ({release.manifest['triples']} quads), "
          f"server pid {server.pid} on http://{HOST}:{port}/, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} at start; "
          f"{args.duration:.0f} s, c={args.concurrency} mix + c={args.runaway} runaway", flush=True)
    intervals: list[dict[str, object]] = []
    try:
        paths = targets(release, port)
        row = release.manifest["datasets"][0]
        recorder, stop = Recorder(), threading.Event()
        threads = [threading.Thread(target=mix_client, args=(i, port, paths, recorder, row, stop, args.max_requests),
                                    daemon=True) for i in range(args.concurrency)]
        threads += [threading.Thread(target=runaway_client, args=(port, recorder, stop, args.max_requests),
                                     daemon=True) for _ in range(args.runaway)]
        for thread in threads:
            thread.start()
        seen = 0
        rss_samples: list[tuple[float, int]] = []
        while not stop.is_set() and recorder.now() < args.duration:
            stop.wait(max(0.0, min(args.interval, args.duration - recorder.now())))
            with recorder.lock:
                fresh = recorder.samples[seen:]
                seen = len(recorder.samples)
            processes, rss = tree_rss(server.pid)
            rss_samples.append((recorder.now(), rss))
            load = os.getloadavg()[0]
            print(f"t={recorder.now():5.0f}s {describe(fresh)} | RSS {rss / MB:.0f} MB in {processes} processes"
                  f" | load {load:.2f}", flush=True)
            intervals.append({"t": round(recorder.now(), 1), "requests": len(fresh), "rss_mb": round(rss / MB, 1),
                              "processes": processes, "load": load,
                              "statuses": dict(Counter(s.status for s in fresh))})
        stop.set()
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + 5)
        samples = list(recorder.samples)
    finally:
        server.terminate()
        server.wait(30)

    errors = Counter((s.kind, s.status, s.error) for s in samples if not s.status.startswith("2")
                     and not (s.kind == "runaway" and s.status == "503"))
    runaway = Counter(f"{s.status} {s.error}".strip() for s in samples if s.kind == "runaway")
    # One sample swings by a query process (≈100 MB) whenever one is ended at the time limit and replaced, so
    # minutes are compared by their peak (every process alive) besides the single first/last samples.
    minutes = rss_by_minute(rss_samples)
    minute_one = minutes[0][2] if minutes else 0
    end_rss = minutes[-1][2] if minutes else 0
    lookups = [s.seconds * 1000 for s in samples if s.kind == "lookup" and s.during_runaway]
    runaway_times = [s.seconds for s in samples if s.kind == "runaway"]
    print("\nsummary")
    print(f"  requests            {len(samples)} in {args.duration:.0f} s ({len(samples) / args.duration:.0f}/s)")
    print(f"  per kind            {dict(Counter(s.kind for s in samples))}")
    print(f"  errors (not the runaway's 503): {sum(errors.values())} {dict(errors) or ''}")
    median_runaway = statistics.median(runaway_times) if runaway_times else 0.0
    print(f"  runaway answers     {dict(runaway)}; median {median_runaway:.1f} s")
    change = (end_rss - minute_one) / minute_one * 100 if minute_one else float("nan")
    print(f"  RSS peak            minute 1 {minute_one / MB:.0f} MB, last minute {end_rss / MB:.0f} MB "
          f"({change:+.1f} %); per minute min/median/max MB: "
          + ", ".join(f"{low / MB:.0f}/{middle / MB:.0f}/{high / MB:.0f}" for low, middle, high in minutes))
    print(f"  lookups during a runaway: {len(lookups)}, p50 {statistics.median(lookups) if lookups else 0:.0f} ms,"
          f" p99 {percentile(lookups, 0.99):.0f} ms")
    print(f"  all kinds           {describe(samples)}")
    times = os.times()
    print(f"  load average        {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) at the end; "
          f"this client used {times.user + times.system:.0f} s of CPU")
    if args.json:
        args.json.write_text(json.dumps({
            "release": release.version, "intervals": intervals,
            "errors": {" ".join(key).strip(): n for key, n in errors.items()}, "runaway": dict(runaway),
            "rss_peak_minute_1_mb": minute_one / MB, "rss_peak_last_minute_mb": end_rss / MB,
            "lookup_p99_during_runaway_ms": percentile(lookups, 0.99),
        }, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
