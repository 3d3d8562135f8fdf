"""Serve a built release with `kg-publisher serve` on 127.0.0.1 and measure the query mix at concurrency 1 and 8.

    .venv/bin/python bench/run.py build            # a build folder (DIR/current) or a release folder
    .venv/bin/python bench/run.py build --requests 100 --seconds 5

Each (query, concurrency) cell sends at most --requests requests and runs at most --seconds seconds; the
figures are requests/s, p50 and p99 latency. Answers are cached by the server per release, so repeated
identical queries measure the cached path; --no-cache varies each query text (a comment with a counter) to
measure evaluation too.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.queries import QUERIES, render
from kg_publisher.publish.release import Release


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(release: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KGP_WORKERS": str(workers), "KGP_SETTINGS_FILE": ""}
    process = subprocess.Popen([sys.executable, "-m", "kg_publisher", "serve", str(release), "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


def measure(url: str, query: str, concurrency: int, requests: int, seconds: float, vary: bool) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        while time.monotonic() < stop_at:
            with lock:
                number = next(counter)
                if number >= requests:
                    return
            text = f"{query}\n# {number}" if vary else query
            request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": text}),
                                             headers={"Accept": "application/sparql-results+json, text/turtle"})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
            except OSError:
                with lock:
                    errors += 1
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed, **latency_ms(latencies)}


def latency_ms(latencies: list[float]) -> dict[str, float]:
    """p50 and p99 in milliseconds of latencies in seconds (NaN when there are none)."""
    ordered = sorted(latencies) or [float("nan")]
    return {"p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path, help="build folder (with current) or release folder")
    parser.add_argument("--requests", type=int, default=200, help="most requests per cell (default 200)")
    parser.add_argument("--seconds", type=float, default=10.0, help="most seconds per cell (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="web server workers (default 2)")
    parser.add_argument("--no-cache", action="store_true", help="vary query texts so answers are not cached")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    release = Release.open(args.build)
    row = release.manifest["datasets"][0]
    port = free_port()
    server = start_server(release.path, port, args.workers)
    url = f"http://127.0.0.1:{port}/sparql"
    results = []
    try:
        for name in QUERIES:
            query = render(name, row["organization"], row["year"])
            for concurrency in (1, 8):
                figures = measure(url, query, concurrency, args.requests, args.seconds, args.no_cache)
                results.append({"query": name, "concurrency": concurrency, **figures})
                if not args.json:
                    print(f"{name:<20} c={concurrency}  {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.1f} ms"
                          f"  p99 {figures['p99_ms']:7.1f} ms  ({figures['requests']:.0f} ok, "
                          f"{figures['errors']:.0f} errors)", flush=True)
    finally:
        server.terminate()
        server.wait(15)
    if args.json:
        print(json.dumps({"release": release.version, "triples": release.manifest["triples"],
                          "results": results}, indent=2))


if __name__ == "__main__":
    main()
