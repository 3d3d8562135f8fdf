"""Admission control (issue 7 §6): runaway queries cannot take every query process, and nobody waits past the
time limit. With 2 query processes, 4 clients sending a cartesian product and one sending lookups: the lookups
are answered promptly, the runaways get 503 (stopped at the limit, timed out waiting, or refused at once with
``Retry-After``), each within the limit of its arrival."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from kg_publisher.publish.query_analysis import analyse
from kg_publisher.publish.release import Release
from kg_publisher.web import create_app

from .conftest import make_settings, wait_until_ready, wait_until_whole

LIMIT = 3.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def busy_app(release_dir: Path) -> Iterator[Flask]:
    application = create_app(make_settings(build_dir=str(release_dir), query_timeout=LIMIT, query_workers=2))
    wait_until_ready(application)
    yield application
    application.extensions["kg_publisher"].store.close()


def test_cost_classes() -> None:
    assert analyse(RUNAWAY).cost == "expensive"
    assert analyse("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").cost == "expensive"
    assert analyse("SELECT * WHERE { ?s <urn:p>+ ?o }").cost == "expensive"
    assert analyse("SELECT ?p ?o WHERE { <urn:x> ?p ?o }").cost == "cheap"
    assert analyse("ASK { ?s ?p ?o }").cost == "cheap"
    assert analyse("SELECT ?o ?l WHERE { ?o a <urn:T> ; <urn:label> ?l . ?l <urn:q> ?x }").cost == "cheap"


def test_runaways_do_not_starve_lookups_and_end_within_the_limit(busy_app: Flask, release: Release) -> None:
    dataset = release.manifest["datasets"][0]["dataset"]
    outcomes: list[tuple[int, str, str | None, float]] = []
    lock = threading.Lock()

    def runaway(number: int) -> None:
        started = time.monotonic()
        response = busy_app.test_client().get("/sparql", query_string={"query": f"{RUNAWAY} # client {number}"})
        body = response.get_json(silent=True) or {}
        with lock:
            outcomes.append((response.status_code, body.get("error", {}).get("type", ""),
                             response.headers.get("Retry-After"), time.monotonic() - started))

    threads = [threading.Thread(target=runaway, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the runaways have taken what they may
    latencies = []
    client = busy_app.test_client()
    while any(thread.is_alive() for thread in threads):
        started = time.monotonic()
        response = client.get("/sparql", query_string={
            "query": f"SELECT ?p ?o WHERE {{ <{dataset}> ?p ?o }} LIMIT {len(latencies) + 1}"})
        latencies.append(time.monotonic() - started)
        assert response.status_code == 200, response.get_json()
        time.sleep(0.05)
    for thread in threads:
        thread.join(LIMIT * 3)
    print(f"lookups: {len(latencies)}, slowest {max(latencies) * 1000:.0f} ms; runaways (status, type, "
          f"Retry-After, s): {[(o[0], o[1], o[2], round(o[3], 2)) for o in sorted(outcomes, key=lambda o: o[3])]}")
    assert len(latencies) >= 10
    assert max(latencies) < 1.0, latencies
    assert len(outcomes) == 4
    for status, kind, retry_after, elapsed in outcomes:
        assert status == 503 and kind in ("QueryTimeout", "QueryOverload"), outcomes
        assert retry_after is not None and int(retry_after) >= 1
        assert elapsed < LIMIT + 1.0, outcomes  # never twice the limit
    kinds = sorted(kind for _, kind, _, _ in outcomes)
    assert kinds.count("QueryOverload") >= 2, outcomes  # refused at once, not queued
    overload = next(o for o in outcomes if o[1] == "QueryOverload")
    assert overload[3] < 1.0 and int(overload[2] or 0) == int(LIMIT)
    pool = busy_app.extensions["kg_publisher"].store._pool
    wait_until_whole(pool)
    again = client.get("/sparql", query_string={"query": f"SELECT ?p WHERE {{ <{dataset}> ?p ?o }} LIMIT 1"})
    assert again.status_code == 200
