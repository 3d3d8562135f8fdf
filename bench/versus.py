"""The product's SPARQL endpoint side by side with Oxigraph server, on the same release.

    .venv/bin/python bench/versus.py build                       # a build folder (DIR/current) or a release
    .venv/bin/python bench/versus.py build --concurrency 8 --requests 400 --seconds 10
    .venv/bin/python bench/versus.py build --json figures.json

Starts ``kg-publisher serve`` (granian on 127.0.0.1, the production set-up, answer cache and admission as
configured) and ``oxigraph serve-read-only`` (the server binary the PyPI ``oxigraph`` wheel installs, opening the
release's own store read-only, so both answer from the same files), side by side. Each query of
``bench/queries.py`` is sent to both at ``--concurrency`` clients (one keep-alive connection each), twice:
``distinct`` (every request a different text: a counter in a comment, so nothing is answered from a cache) and
``repeated`` (the same text every time: what the product's answer cache serves). For each cell it prints
req/s and p99 of both, the CPU time each server's process tree spent per answer (read from /proc: what a
machine shared with other work changes least) and the product's req/s as a share of Oxigraph's. Both servers get
the same client and the same machine, each cell measured on one right after the other; the client's own CPU is
part of what both are measured with. It also prints how long each took from its start to its first answer and
the resident memory of its processes at rest and at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.proc import tree_cpu_seconds, tree_pss, tree_rss
from bench.queries import QUERIES, render
from bench.run import free_port, latency_ms, start_server
from kg_publisher.publish.release import Release

ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def oxigraph_binary() -> str:
    """The ``oxigraph`` command beside this Python (the wheel's scripts folder), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise SystemExit("no oxigraph server binary: pip install oxigraph (it ships `oxigraph`)")
    return found


def start_oxigraph(store: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/query?query=" + urllib.parse.quote("ASK {}"))
            connection.getresponse().read()
            connection.close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("oxigraph serve-read-only did not start within 60 s")


#: What the product's query processes run (``python -m …``): their share of its CPU is printed apart.
QUERY_PROCESS = "kg_publisher.publish.workers"


def measure(port: int, path: str, query: str, concurrency: int, requests: int, seconds: float,
            distinct: bool, server: int | None = None, salt: str = "") -> dict[str, float]:
    """``requests`` GETs (at most ``seconds`` s) from ``concurrency`` keep-alive clients; with ``server`` (its
    pid) also the CPU time its process tree spent per answer, which a machine shared with other work changes much
    less than req/s. Distinct texts end in a comment with ``salt`` and a counter: another salt, other texts."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal failures
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                number = next(counter)
            if number >= requests:
                break
            text = f"{query}\n# {salt}{number}" if distinct else query
            target = f"{path}?{urllib.parse.urlencode({'query': text})}"
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers={"Accept": ACCEPT})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures += 1
        connection.close()

    cpu_before = tree_cpu_seconds(server) if server is not None else 0.0
    queries_before = tree_cpu_seconds(server, QUERY_PROCESS) if server is not None else 0.0
    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    cpu = tree_cpu_seconds(server) - cpu_before if server is not None else float("nan")
    queries = tree_cpu_seconds(server, QUERY_PROCESS) - queries_before if server is not None else float("nan")
    return {"ok": len(latencies), "failures": failures, "rps": len(latencies) / wall,
            "cpu_ms": cpu * 1000 / len(latencies) if latencies else float("nan"),
            "query_process_ms": queries * 1000 / len(latencies) if latencies else float("nan"),
            **latency_ms(latencies)}


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("build", type=Path, help="build folder (with current) or release folder")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once (default 8)")
    parser.add_argument("--requests", type=int, default=400, help="most requests per cell (default 400)")
    parser.add_argument("--seconds", type=float, default=10.0, help="most seconds per cell (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="web server workers of the product (default 2)")
    parser.add_argument("--query", action="append", help="only these queries of bench/queries.py (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    release = Release.open(args.build)
    row = release.manifest["datasets"][0]
    names = args.query or list(QUERIES)
    unknown = [name for name in names if name not in QUERIES]
    if unknown:
        raise SystemExit(f"unknown queries {unknown}; bench/queries.py has {list(QUERIES)}")
    print(f"release {release.version}: {release.manifest['triples']:,} triples; c={args.concurrency}, "
          f"≤ {args.requests} requests or {args.seconds:g} s per cell; load average at start {load_average()}")
    figures: dict[str, dict[str, dict[str, float]]] = {}
    # Both servers run at once (the idle one costs nothing) and each cell is measured on one right after the
    # other, so both see about the same load from the rest of the machine.
    servers = {"product": (free_port(), "/sparql"), "oxigraph": (free_port(), "/query")}
    started = time.perf_counter()
    processes = {"product": start_server(release.path, servers["product"][0], args.workers)}
    startup = {"product": time.perf_counter() - started}
    started = time.perf_counter()
    processes["oxigraph"] = start_oxigraph(release.store_path, servers["oxigraph"][0])
    startup["oxigraph"] = time.perf_counter() - started
    time.sleep(2)  # the product's query processes finish starting in the background
    at_rest = {name: tree_rss(process.pid) for name, process in processes.items()}
    pss_at_rest = {name: tree_pss(process.pid) for name, process in processes.items()}
    try:
        # The product's pools start two query processes each and grow when queries wait: one round at the cells'
        # concurrency makes them grow, and the pause lets the new processes join before the warm-ups below.
        first = render(names[0], row["organization"], row["year"])
        measure(servers["product"][0], "/sparql", first, args.concurrency, 10 * args.concurrency, 10.0,
                distinct=True, salt="fill ")
        time.sleep(2)
        for name in names:
            query = render(name, row["organization"], row["year"])
            # Warm both alike, at the cell's concurrency: every query process the cell will use has answered
            # before (each has engine caches of its own; a process's first answers cost it about twice the CPU).
            for port, path in servers.values():
                measure(port, path, query, args.concurrency, 10 * args.concurrency, 10.0, distinct=True,
                        salt="warm-up ")  # texts the cells do not send: their first answers are not cached
            for mode in ("distinct", "repeated"):
                for server_name, (port, path) in servers.items():
                    figures.setdefault(f"{name} | {mode}", {})[server_name] = measure(
                        port, path, query, args.concurrency, args.requests, args.seconds, mode == "distinct",
                        processes[server_name].pid)
        after = {name: tree_rss(process.pid) for name, process in processes.items()}
        pss_after = {name: tree_pss(process.pid) for name, process in processes.items()}
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(15)
    for name in servers:
        print(f"{name:<9} ready {startup[name]:5.2f} s after start; RSS of its {at_rest[name][0]} processes "
              f"{at_rest[name][1] / 2**20:,.0f} MB at rest, {after[name][1] / 2**20:,.0f} MB at the end; PSS "
              f"{pss_at_rest[name] / 2**20:,.0f} MB at rest, {pss_after[name] / 2**20:,.0f} MB at the end")
    # "in queries": the part of the product's CPU spent in its query processes (the engine, behind the pipe); the
    # rest is the web workers (HTTP, checks, lookups answered in the worker, the pipe's other end).
    print(f"{'query':<20} {'texts':<9} {'product req/s':>13} {'p99 ms':>8} {'CPU ms':>7} {'in queries':>10} "
          f"{'oxigraph req/s':>15} {'p99 ms':>8} {'CPU ms':>7} {'ratio':>6}")
    for cell, pair in figures.items():
        name, mode = cell.split(" | ")
        ours, theirs = pair["product"], pair["oxigraph"]
        ratio = ours["rps"] / theirs["rps"] if theirs["rps"] else float("nan")
        failed = "" if not (ours["failures"] or theirs["failures"]) else \
            f"  (failures: product {ours['failures']:.0f}, oxigraph {theirs['failures']:.0f})"
        print(f"{name:<20} {mode:<9} {ours['rps']:>13.1f} {ours['p99_ms']:>8.1f} {ours['cpu_ms']:>7.2f} "
              f"{ours['query_process_ms']:>10.2f} {theirs['rps']:>15.1f} {theirs['p99_ms']:>8.1f} "
              f"{theirs['cpu_ms']:>7.2f} {ratio:>5.2f}×{failed}")
    print(f"load average at end {load_average()}")
    if args.json:
        args.json.write_text(json.dumps({"release": release.version, "triples": release.manifest["triples"],
                                         "concurrency": args.concurrency, "startup_s": startup,
                                         "rss_at_rest": {name: rss for name, (_, rss) in at_rest.items()},
                                         "pss_at_rest": pss_at_rest,
                                         "figures": figures}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
