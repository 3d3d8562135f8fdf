"""A runaway query is stopped at the time limit (its worker process is ended), while other requests go on."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from kg_publisher.web import create_app

from .conftest import make_settings, wait_until_ready, wait_until_whole

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def slow_app(release_dir: Path) -> Iterator[Flask]:
    application = create_app(make_settings(build_dir=str(release_dir), query_timeout=1.5, query_workers=2))
    yield application
    application.extensions["kg_publisher"].store.close()


def test_runaway_query_is_stopped_while_another_request_is_answered(slow_app: Flask) -> None:
    pool = slow_app.extensions["kg_publisher"].store._pool
    outcome: dict[str, object] = {}
    wait_until_ready(slow_app)

    def runaway() -> None:
        response = slow_app.test_client().get("/sparql", query_string={"query": RUNAWAY})
        outcome["status"] = response.status_code
        outcome["error"] = response.get_json()["error"]

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)  # let the runaway query occupy one worker
    busy_pids = {worker.process.pid for worker in pool._all}
    other = slow_app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert other.status_code == 200 and json.loads(other.data)["boolean"] is True
    page = slow_app.test_client().get("/catalog", headers={"Accept": "text/turtle"})
    assert page.status_code == 200
    thread.join(30)
    assert not thread.is_alive()
    assert outcome["status"] == 503
    error = outcome["error"]
    assert isinstance(error, dict) and error["type"] == "QueryTimeout" and "1.5 s" in error["message"]
    # The worker that ran it was ended and replaced (in the background): the pool is whole again and answers.
    wait_until_whole(pool)
    pids = {worker.process.pid for worker in pool._all}
    assert len(pids) == 2 and pids != busy_pids
    assert all(worker.process.poll() is None for worker in pool._all)
    again = slow_app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert again.status_code == 200


def test_a_query_process_that_dies_is_an_honest_500_and_is_replaced(slow_app: Flask) -> None:
    """If the engine's process dies mid-query (seen with pyoxigraph on some ORDER BYs), the client gets a
    500 saying so — not a timeout, not 'rebuild the store' — and the pool heals."""
    pool = slow_app.extensions["kg_publisher"].store._pool
    outcome: dict[str, object] = {}

    def doomed() -> None:
        response = slow_app.test_client().get("/sparql", query_string={"query": RUNAWAY + " # doomed"})
        outcome["status"] = response.status_code
        outcome["error"] = response.get_json()["error"]

    before = {worker.process.pid for worker in pool._all}
    thread = threading.Thread(target=doomed)
    thread.start()
    deadline = time.monotonic() + 10
    busy: list = []
    while not busy and time.monotonic() < deadline:  # wait until the query has taken a worker
        time.sleep(0.1)
        busy = [worker for worker in pool._all if worker not in list(pool._idle)]
    assert busy, "the query did not reach a worker"
    busy[0].process.kill()  # the engine's process dies while answering
    thread.join(30)
    assert outcome["status"] == 500
    error = outcome["error"]
    assert isinstance(error, dict) and error["type"] == "QueryEngineFailure" and "data is intact" in error["hint"]
    wait_until_whole(pool)
    assert {worker.process.pid for worker in pool._all} != before
    assert slow_app.test_client().get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
