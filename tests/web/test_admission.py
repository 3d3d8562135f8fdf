"""Admission control (issue 7 §6): runaway queries cannot take every query process, and nobody waits past the
time limit. With 2 query processes, 4 clients sending a cartesian product and one sending lookups: the lookups
are answered promptly, the runaways get 503 (stopped at the limit, timed out waiting, or refused at once with
``Retry-After``), each within the limit of its arrival. Expensive queries are counted across the processes of
a server (slots held as file locks), run at the lowest CPU priority, and whole-store scans wait their turn
instead of being refused."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from kg_publisher.errors import QueryOverload, QueryTimeout
from kg_publisher.publish.admission import SharedSlots
from kg_publisher.publish.query_analysis import analyse
from kg_publisher.publish.release import Release
from kg_publisher.publish.sparql import QueryJob
from kg_publisher.publish.workers import EXPENSIVE_NICENESS, QUERY_NICENESS, QueryPool
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
    assert analyse("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").cost == "scan"
    assert analyse("SELECT ?v WHERE { ?s ?p ?v } ORDER BY ?v").cost == "scan"
    assert analyse("SELECT * WHERE { ?s ?p ?o . ?o ?q ?r }").cost == "expensive"
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
    # One runs, as many as the pool lets wait (its size) wait for the slot, the rest are refused at once.
    at_once = [o for o in outcomes if o[1] == "QueryOverload" and o[3] < 1.0]
    assert len(at_once) == 4 - 1 - pool_size(busy_app), outcomes
    assert int(at_once[0][2] or 0) == int(LIMIT)
    pool = busy_app.extensions["kg_publisher"].store._pool
    wait_until_whole(pool)
    again = client.get("/sparql", query_string={"query": f"SELECT ?p WHERE {{ <{dataset}> ?p ?o }} LIMIT 1"})
    assert again.status_code == 200


def test_slots_are_shared_across_processes_and_freed_when_the_holder_dies(tmp_path: Path) -> None:
    import subprocess
    import sys

    slots = SharedSlots(tmp_path / "slots", 1)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from kg_publisher.publish.admission import SharedSlots; "
         "slot = SharedSlots(Path(sys.argv[1]), 1).try_take(); assert slot; print('held', flush=True); "
         "time.sleep(60)", str(tmp_path / "slots")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert slots.try_take() is None  # another process holds the only slot
        assert slots.held() == 1
    finally:
        holder.kill()
        holder.wait(10)
    slot = slots.try_take()  # the kernel dropped the killed holder's lock
    assert slot is not None
    assert slots.try_take() is None  # and one slot is still one
    slot.release()
    assert slots.held() == 0


@pytest.fixture(scope="module")
def two_pools(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[QueryPool, QueryPool]]:
    """Two pools on one slot folder: what two worker processes of one server have."""
    slots = SharedSlots(tmp_path_factory.mktemp("admission") / "slots", 1)
    pools = (QueryPool(str(release.store_path), 2, LIMIT, slots), QueryPool(str(release.store_path), 2, LIMIT, slots))
    for pool in pools:
        pool.start()
        pool.run(_job("ASK {}"))
    yield pools
    for pool in pools:
        pool.close()


def test_expensive_queries_are_counted_per_server_and_run_at_the_lowest_priority(
        two_pools: tuple[QueryPool, QueryPool]) -> None:
    first, second = two_pools
    errors: list[BaseException] = []
    thread = threading.Thread(target=lambda: _run_collecting(first, RUNAWAY, errors))
    thread.start()
    try:
        deadline = time.monotonic() + LIMIT
        while first._running["expensive"] == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # the job is sent to its process after it is niced
        busy = [w for w in first._all if w not in first._idle]
        assert len(busy) == 1
        assert os.getpriority(os.PRIO_PROCESS, busy[0].process.pid) == EXPENSIVE_NICENESS
        # The other worker's pool: the server's one slot is taken. With no room left to wait, refused at once.
        room = second.wait_limit["expensive"]
        second.wait_limit["expensive"] = 0
        started = time.monotonic()
        try:
            with pytest.raises(QueryOverload) as refused:
                second.run(_job(RUNAWAY + " # other worker"), "expensive")
        finally:
            second.wait_limit["expensive"] = room
        assert time.monotonic() - started < 0.5 and refused.value.retry_after == LIMIT
        # A whole-store scan is not refused: it waits for a process (never the last idle one) and is answered.
        answer = second.run(_job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), "scan")
        assert answer.kind == "select" and answer.rows == 1
        # Lookups in the runaway's own pool are answered by the other processes meanwhile.
        first.run(_job("ASK { ?s ?p ?o }"), "cheap")
    finally:
        thread.join(LIMIT * 3)
    assert errors and type(errors[0]).__name__ == "QueryTimeout", errors
    wait_until_whole(first)
    # The niced process was replaced: every process of the pool runs at the query processes' priority again, a
    # little below the server's own threads.
    query_priority = min(19, os.getpriority(os.PRIO_PROCESS, 0) + QUERY_NICENESS)
    assert {os.getpriority(os.PRIO_PROCESS, w.process.pid) for w in first._all} == {query_priority}


def test_an_expensive_query_waits_for_the_slot_within_its_own_limit(
        two_pools: tuple[QueryPool, QueryPool]) -> None:
    """A second runaway waits for the server's one slot instead of being refused (so a client repeating it is not
    answered at once, again and again), and is still answered (503) within the limit of its own arrival."""
    first, second = two_pools
    wait_until_whole(first)
    wait_until_whole(second)
    errors: list[BaseException] = []
    holder = threading.Thread(target=lambda: _run_collecting(first, RUNAWAY + " # holder", errors))
    holder.start()
    try:
        deadline = time.monotonic() + LIMIT
        while first._running["expensive"] == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        started = time.monotonic()
        with pytest.raises((QueryOverload, QueryTimeout)):
            second.run(_job(RUNAWAY + " # waits"), "expensive")
        waited = time.monotonic() - started
    finally:
        holder.join(LIMIT * 3)
    assert 0.5 < waited < LIMIT + 1.0, waited  # it waited (not refused at once), and never twice the limit
    assert errors and type(errors[0]).__name__ == "QueryTimeout", errors
    wait_until_whole(first)
    wait_until_whole(second)


def pool_size(app: Flask) -> int:
    return int(app.extensions["kg_publisher"].store._pool.wait_limit["expensive"])


def _job(query: str) -> QueryJob:
    return QueryJob(query, max_rows=100)


def _run_collecting(pool: QueryPool, query: str, errors: list[BaseException]) -> None:
    try:
        pool.run(_job(query), "expensive")
    except BaseException as exc:
        errors.append(exc)
