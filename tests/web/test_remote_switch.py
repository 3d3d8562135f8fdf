"""Switching the release a remote engine serves is atomic for readers: each release is loaded into an engine of its
own, and the fronts (``store_url = loaded``) move to the new engine and release together only once
`kg-publisher load` has checked the load. A reader querying all the while sees the old release or the new one,
whole, never a mix or a half-loaded engine."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg_publisher.build import build
from kg_publisher.publish.release import Release
from kg_publisher.publish.versions import LOADED

from ..conftest import SEED
from .conftest import make_settings
from .oxigraph_server import oxigraph_server
from .test_server import serving

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Release, Release]:
    """A build folder holding the seed's release and, current, a release of the seed with 工会经费 printed anew."""
    out = tmp_path_factory.mktemp("switch")
    first = build([SEED], out, make_settings(), jobs=1)
    edited = tmp_path_factory.mktemp("edited") / SEED.name
    text = SEED.read_text(encoding="utf-8")
    edited.write_text(text.replace("工会经费8.46万元", "工会经费9.46万元", 1), encoding="utf-8")
    second = build([edited], out, make_settings(), jobs=1)
    assert first.release_dir is not None and second.release_dir is not None
    return out, Release.open(first.release_dir), Release.open(second.release_dir)


def _load(release: Path, store_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg_publisher", "load", str(release), "--store-url", store_url],
                          capture_output=True, text=True, timeout=600)


def _count(front: str) -> tuple[int, str, int]:
    """(status, X-Data-Version, number of quads) as one reader sees them."""
    url = front + "sparql?" + urllib.parse.urlencode({"query": COUNT})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
        return response.status, response.headers["X-Data-Version"], int(body["results"]["bindings"][0]["n"]["value"])


#: Answers in a row from the second release after which the front counts as switched.
SETTLED = 30


def test_fronts_move_to_the_new_engine_only_once_it_holds_the_new_release(
        two_releases: tuple[Path, Release, Release], tmp_path: Path) -> None:
    out, first, second = two_releases
    expected = {first.version: first.manifest["triples"], second.version: second.manifest["triples"]}
    assert first.version != second.version
    with oxigraph_server(tmp_path / "one", read_only=False) as one, \
            oxigraph_server(tmp_path / "two", read_only=False) as two:
        loaded = _load(first.path, f"{one}/query")
        assert loaded.returncode == 0, loaded.stderr
        assert json.loads((out / LOADED).read_text("utf-8")) == {"version": first.version,
                                                                  "store_url": f"{one}/query"}
        # `current` is the second release already; the fronts serve what the engine holds: the first.
        with serving(out, store_url="loaded") as front:
            assert _count(front) == (200, first.version, expected[first.version])
            seen: list[tuple[int, str, int]] = []
            stop = threading.Event()

            def read() -> None:
                while not stop.is_set():
                    try:
                        seen.append(_count(front))
                    except OSError as exc:  # a refused or dropped request would be a reader seeing the switch
                        seen.append((0, repr(exc), 0))

            reader = threading.Thread(target=read, daemon=True)
            reader.start()
            try:
                loaded = _load(out, f"{two}/query")  # the build folder: its current release, the second
                assert loaded.returncode == 0, loaded.stderr
                assert "recorded" in loaded.stdout
                deadline = time.monotonic() + 60
                # the workers are replaced one after the other, so for a while answers come from either; done when
                # the last SETTLED answers are all the second's (a handful can all come from a worker already replaced)
                while not (len(seen) > SETTLED
                           and all(version == second.version for _, version, _ in seen[-SETTLED:])):
                    assert time.monotonic() < deadline, f"the front did not switch: {len(seen)} answers, {seen[-3:]}"
                    time.sleep(0.2)
                switched = len(seen)
                time.sleep(1)
            finally:
                stop.set()
                reader.join(30)
    assert seen, "the reader made no request"
    assert [answer for answer in seen if answer[0] != 200] == []
    # every answer is one release, whole: its version with its own number of quads
    assert {(version, n) for _, version, n in seen} <= set(expected.items())
    # the first release until the second was loaded and checked, the second after the workers' graceful reload
    versions = [version for _, version, _ in seen]
    assert versions[0] == first.version and set(versions[switched - SETTLED:]) == {second.version}


def test_store_url_loaded_without_a_load_is_a_clear_error(tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    bare.mkdir()
    completed = subprocess.run([sys.executable, "-m", "kg_publisher", "serve", str(bare), "--store-url", "loaded",
                                "--port", "9"], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2 and "kg-publisher load" in completed.stderr
    assert "Traceback" not in completed.stderr
