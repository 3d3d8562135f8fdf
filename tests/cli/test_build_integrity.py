"""Integrity of builds on the real seed: damaged cache entries are rebuilt (never published in part), a cold and a
cached build give the same bytes, write failures end with a message and exit 2 leaving `current` as it was, and
what an interrupted build left behind is removed by the next one."""

from __future__ import annotations

import errno
import fcntl
import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg_publisher import files
from kg_publisher.cli import main
from kg_publisher.publish import release

from ..conftest import whole_nquads

#: One clock for every build of this module, so manifest.json and the catalogue's dates match too.
FIXED_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
#: A setting that changes the catalogue only: the next build makes a new release from the cached document.
NEW_PUBLISHER = {"KGP_PUBLISHER_NAME": "Integrity test publisher"}


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(release, "build_time", lambda: FIXED_TIME)


@pytest.fixture(scope="module")
def cold_build(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    """The seed built from nothing (no cache)."""
    out = tmp_path_factory.mktemp("cold")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(release, "build_time", lambda: FIXED_TIME)
        code, stdout, stderr = run("build", str(seed_path), "--out", str(out), "-q")
    assert code == 0, stdout + stderr
    assert "cached" not in stdout
    return out


def entry_dir(build_dir: Path) -> Path:
    """The one document's entry (``cache/graphs/`` holds the parts of the vocabulary and shapes graphs; the file
    ``compiled-shapes-*`` what the compiled shapes' SPARQL constraints match)."""
    (entry,) = (p for p in (build_dir / "cache").iterdir()
                if p.is_dir() and not p.name.startswith(".") and p.name != "graphs")
    return entry


def release_files(release_dir: Path) -> dict[str, bytes]:
    """Every file of a release but the store's (RocksDB writes its own ids and timestamps into them)."""
    return {str(p.relative_to(release_dir)): p.read_bytes() for p in sorted(release_dir.rglob("*"))
            if p.is_file() and "store" not in p.relative_to(release_dir).parts}


def _canonical(quads: Iterable[ox.Quad]) -> list[str]:
    """Quads with blank nodes labelled by RDFC-1.0 (the store labels them its own way on loading)."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) if not isinstance(q.graph_name, ox.DefaultGraph) else f"{q.triple} <urn:x-default>"
                  for q in dataset)


def store_quads(release_dir: Path) -> list[str]:
    return _canonical(ox.Store.read_only(str(release_dir / "store")))


def kg_quads(release_dir: Path) -> list[str]:
    return _canonical(ox.parse(whole_nquads(release_dir), format=ox.RdfFormat.N_QUADS))


def test_a_cached_build_gives_the_same_release_as_a_cold_one(cold_build: Path, seed_path: Path,
                                                             tmp_path: Path) -> None:
    shutil.copytree(cold_build / "cache", tmp_path / "cache")
    code, stdout, stderr = run("build", str(seed_path), "--out", str(tmp_path), "-q")
    assert code == 0 and "(unchanged, cached)" in stdout, stdout + stderr
    cold, cached = (cold_build / "current").resolve(), (tmp_path / "current").resolve()
    cold_files, cached_files = release_files(cold), release_files(cached)
    assert len(cold_files) > 15 and "catalog.nq.gz" in cold_files and "report.ttl" in cold_files
    assert cold_files.keys() == cached_files.keys()
    assert [name for name in cold_files if cold_files[name] != cached_files[name]] == []
    # the store holds literals in canonical form ("15.0" → "15"), so it is compared with the other store, and counted
    assert store_quads(cached) == store_quads(cold)
    # The store holds the release's named graphs and, as its default graph, their merge (each triple once).
    named = [quad for quad in store_quads(cold) if not quad.endswith("<urn:x-default>")]
    assert len(named) == len(kg_quads(cold)) == whole_nquads(cold).count(b"\n")
    shapes = [q for q in kg_quads(cold) if q.endswith("<https://w3id.org/cn-budget-kg/graph/shapes>")]
    assert shapes and not any("owl#Class> <http://www.w3.org/2000/01/rdf-schema#subClassOf>" in q for q in shapes)


def _truncate_at_a_line(entry: Path) -> None:
    data = gzip.decompress((entry / "graph.nt.gz").read_bytes())
    (entry / "graph.nt.gz").write_bytes(gzip.compress(data[:data.index(b"\n", len(data) * 3 // 4) + 1]))


def _append_garbage_with_its_checksum(entry: Path) -> None:
    """A garbage line whose checksum is recorded too: the parse catches it."""
    data = gzip.compress(gzip.decompress((entry / "graph.nt.gz").read_bytes()) + b"<garbage> this is not N-Triples\n")
    (entry / "graph.nt.gz").write_bytes(data)
    index = json.loads((entry / "entry.json").read_text("utf-8"))
    index["graph.nt.gz"] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (entry / "entry.json").write_text(json.dumps(index), encoding="utf-8")


def _change_a_byte(entry: Path) -> None:
    """Same size, one byte different: only the checksum tells."""
    data = bytearray((entry / "graph.nt.gz").read_bytes())
    data[len(data) // 2] ^= 0x01
    (entry / "graph.nt.gz").write_bytes(bytes(data))


def _make_unreadable(entry: Path) -> None:
    (entry / "quality.nt.gz").unlink()
    (entry / "quality.nt.gz").mkdir()


@pytest.mark.parametrize(("damage", "said"), [
    (_truncate_at_a_line, "graph.nt.gz: truncated"),
    (_append_garbage_with_its_checksum, "does not parse"),
    (_change_a_byte, "graph.nt.gz: checksum mismatch"),
    (_make_unreadable, "unreadable"),
], ids=["truncated", "garbage", "checksum", "unreadable"])
def test_a_damaged_cache_entry_is_rebuilt_from_source_and_said_so(damage: Callable[[Path], None], said: str,
                                                                   cold_build: Path, seed_path: Path,
                                                                   tmp_path: Path) -> None:
    shutil.copytree(cold_build / "cache", tmp_path / "cache")
    damage(entry_dir(tmp_path))
    code, stdout, stderr = run("build", str(seed_path), "--out", str(tmp_path), "-q")
    assert code == 0, stdout + stderr
    lines = [line for line in stderr.splitlines() if line.startswith("rebuilt")]
    assert len(lines) == 1 and said in lines[0] and "rebuilt from source" in lines[0], stderr
    assert seed_path.name in lines[0]
    assert "(unchanged, cached)" not in stdout
    assert release_files((tmp_path / "current").resolve()) == release_files((cold_build / "current").resolve())
    # the entry is whole again: the next build uses it and says nothing about damage
    code, stdout, stderr = run("build", str(seed_path), "--out", str(tmp_path), "-q")
    assert code == 0 and "(unchanged, cached)" in stdout and "rebuilt" not in stderr


def test_an_interrupted_build_leaves_nothing_the_next_build_keeps(cold_build: Path, seed_path: Path,
                                                                  tmp_path: Path) -> None:
    """A real kill (SIGKILL) while the release is being staged; the next build removes the staging folder."""
    out = tmp_path / "out"
    shutil.copytree(cold_build, out, symlinks=True)
    before = os.readlink(out / "current")
    process = subprocess.Popen([sys.executable, "-m", "kg_publisher.cli", "build", str(seed_path), "--out", str(out),
                                "-q"], env={**os.environ, **NEW_PUBLISHER}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not list((out / "releases").glob(".staging-*/*")):
            assert process.poll() is None, f"the build ended before staging was seen: {process.stderr!r}"
            assert time.monotonic() < deadline, "no staging folder appeared"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert list((out / "releases").glob(".staging-*")), "the kill left a staging folder (what this test repairs)"
    assert os.readlink(out / "current") == before
    (out / "cache" / ".entry-left-by-a-kill").mkdir()
    code, stdout, stderr = run("build", str(seed_path), "--out", str(out), "-q", env=NEW_PUBLISHER)
    assert code == 0, stdout + stderr
    assert list((out / "releases").glob(".staging-*")) == []
    assert list((out / "cache").glob(".entry-*")) == []
    assert os.readlink(out / "current") != before


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(cold_build: Path, seed_path: Path,
                                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(cold_build, out, symlinks=True)
    with open(out / ".lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        code, _, stderr = run("build", str(seed_path), "--out", str(out), "-q")
    assert code == 2
    assert "another build is writing to this folder" in stderr and str(out) in stderr


def test_a_failing_low_level_write_of_the_cache_is_exit_2_naming_the_file(cold_build: Path, seed_path: Path,
                                                                          tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    shutil.copytree(cold_build, out, symlinks=True)
    shutil.rmtree(entry_dir(out))  # the seed is processed again and its result written to the cache
    before = os.readlink(out / "current")

    def disk_full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "write", disk_full)
    code, stdout, stderr = run("build", str(seed_path), "--out", str(out), "-q", env=NEW_PUBLISHER)
    assert code == 2, stdout + stderr
    assert "Traceback" not in stderr
    assert str(out / "cache") in stderr and "No space left on device" in stderr and "disk is full" in stderr
    assert f"is unchanged (still {before})" in stderr
    assert os.readlink(out / "current") == before
    assert list((out / "cache").glob(".entry-*")) == [] and list((out / "releases").glob(".staging-*")) == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 48 MB tmpfs (needs root and permission to mount; skipped otherwise)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'mount failed'}): full-disk test skipped")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path, leave_bytes: int) -> Path:
    filler = disk / f"filler-{uuid.uuid4().hex}"
    free = shutil.disk_usage(disk).free
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(free - leave_bytes, 0))
    return filler


def test_a_full_disk_is_exit_2_with_a_message_and_current_untouched(cold_build: Path, seed_path: Path,
                                                                     tiny_disk: Path) -> None:
    out = tiny_disk / "out"
    shutil.copytree(cold_build, out, symlinks=True)
    before = os.readlink(out / "current")
    published = whole_nquads(out / "current")
    filler = _fill(tiny_disk, leave_bytes=512 * 1024)
    code, stdout, stderr = run("build", str(seed_path), "--out", str(out), "-q", env=NEW_PUBLISHER)
    assert code == 2, stdout + stderr
    assert "Traceback" not in stderr
    assert str(out) in stderr and "No space left on device" in stderr and "disk is full" in stderr
    assert os.readlink(out / "current") == before
    assert whole_nquads(out / "current") == published
    assert list((out / "releases").glob(".staging-*")) == []
    filler.unlink()
    code, stdout, stderr = run("build", str(seed_path), "--out", str(out), "-q", env=NEW_PUBLISHER)
    assert code == 0, stdout + stderr
    assert os.readlink(out / "current") != before


def test_a_read_only_disk_is_exit_2_with_a_message(cold_build: Path, seed_path: Path, tiny_disk: Path) -> None:
    out = tiny_disk / "out"
    shutil.copytree(cold_build, out, symlinks=True)
    before = os.readlink(out / "current")
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    code, stdout, stderr = run("build", str(seed_path), "--out", str(out), "-q", env=NEW_PUBLISHER)
    assert code == 2, stdout + stderr
    assert "Traceback" not in stderr
    assert str(out) in stderr and "Read-only file system" in stderr and "writable disk" in stderr
    assert os.readlink(out / "current") == before
