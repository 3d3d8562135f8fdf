"""The network namespace of query processes, and failing closed where none can be made."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from kg_publisher.publish import workers
from kg_publisher.web import create_app

from .conftest import make_settings

PROBE = """
import socket, sys
from kg_publisher.publish.workers import isolate_from_network
print(isolate_from_network())
print(sorted(name for _, name in socket.if_nameindex()))
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
    print("connected")
except OSError as exc:
    print("refused", exc.errno)
"""


def test_an_isolated_process_cannot_reach_a_listener_on_loopback(listener: tuple[int, list[object]]) -> None:
    port, hits = listener
    probe = subprocess.run([sys.executable, "-c", PROBE, str(port)], capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    how, interfaces, outcome = probe.stdout.splitlines()
    assert "network namespace" in how
    assert interfaces == "['lo']"  # a fresh loopback, down, and nothing else
    assert outcome.startswith("refused")
    assert hits == []


@pytest.fixture
def app_without_namespaces(tmp_path: Path, release_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """Query processes started as on a system without network namespaces (``sys.platform`` not Linux)."""
    wrapper = tmp_path / "python-elsewhere"
    wrapper.write_text(f"""#!/bin/sh
shift 2  # -m kg_publisher.publish.workers
exec {sys.executable} -c 'import sys, runpy; sys.platform = "sunos5"; sys.argv[0] = "workers"; \
runpy.run_module("kg_publisher.publish.workers", run_name="__main__")' "$@"
""")
    wrapper.chmod(0o755)
    monkeypatch.setattr(workers.sys, "executable", str(wrapper))
    application = create_app(make_settings(build_dir=str(release_dir)))
    yield application
    application.extensions["kg_publisher"].store.close()


def test_without_namespaces_sparql_fails_closed_and_pages_are_served(app_without_namespaces: Flask) -> None:
    client = app_without_namespaces.test_client()
    for _ in range(2):  # the second answer comes without starting processes again
        response = client.get("/sparql", query_string={"query": "ASK {}"})
        assert response.status_code == 503
        error = response.get_json()["error"]
        assert error["type"] == "QueryIsolationFailure" and "Linux only" in error["message"]
        assert response.headers["Retry-After"]
    assert client.get("/catalog", headers={"Accept": "text/turtle"}).status_code == 200
