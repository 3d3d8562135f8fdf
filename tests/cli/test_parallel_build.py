"""A build with worker processes publishes the same release, byte for byte, as a serial build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_publisher.build import build
from kg_publisher.errors import BuildError
from kg_publisher.settings import load_settings

from ..conftest import ROOT

DOCUMENTS = [ROOT / "data" / "disclosures" / name for name in
             ("00_panjin-xinglongtai-zwfwzx-2022-budget.txt", "01_chongqing-jiaowei-2018-budget.txt")]


def _files(release: Path) -> dict[str, bytes]:
    """Every file of a release but the query store (a database, whose bytes are its own) and the build time."""
    files = {str(p.relative_to(release)): p.read_bytes() for p in sorted(release.rglob("*"))
             if p.is_file() and "store" not in p.relative_to(release).parts}
    manifest = json.loads(files.pop("manifest.json"))
    manifest.pop("build_time")
    files["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return files


def test_parallel_and_serial_builds_are_byte_identical(tmp_path: Path) -> None:
    settings = load_settings(environ={})
    seen: list[Path] = []
    serial = build(DOCUMENTS, tmp_path / "serial", settings, jobs=1)
    parallel = build(DOCUMENTS, tmp_path / "parallel", settings, progress=lambda paths: seen.extend(paths) or seen,
                     jobs=2)
    assert serial.release_dir is not None and parallel.release_dir is not None
    assert serial.release_dir.name == parallel.release_dir.name
    assert _files(serial.release_dir) == _files(parallel.release_dir)
    # the progress callback sees every document as it finishes, in each pass (extracted, then its outputs written)
    assert sorted(seen) == sorted(DOCUMENTS * 2)
    assert [d.cached for d in parallel.documents] == [False, False], "built by the workers, not found cached"
    again = build(DOCUMENTS, tmp_path / "parallel", settings, jobs=2)
    assert [d.cached for d in again.documents] == [True, True]
    assert again.release_dir == parallel.release_dir


def test_jobs_below_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="at least one worker"):
        build(DOCUMENTS, tmp_path, load_settings(environ={}), jobs=0)


def test_a_new_release_links_the_files_of_unchanged_documents(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in DOCUMENTS:
        (sources / path.name).write_bytes(path.read_bytes())
    settings = load_settings(environ={})
    first = build([sources], tmp_path / "out", settings, jobs=2)
    changed = sources / DOCUMENTS[1].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（本文件已更新）\n", encoding="utf-8")
    second = build([sources], tmp_path / "out", settings, jobs=2)
    assert first.release_dir is not None and second.release_dir is not None
    assert first.release_dir != second.release_dir
    assert [d.cached for d in second.documents] == [True, False]
    unchanged = first.documents[0].key
    for name in (f"dumps/{unchanged}.nq.gz", f"dumps/{unchanged}.ttl.gz", f"records/{unchanged}.json"):
        old, new = (first.release_dir / name).stat(), (second.release_dir / name).stat()
        assert (old.st_ino, old.st_dev) == (new.st_ino, new.st_dev), f"{name} is a copy, not a link"
    changed_key = first.documents[1].key
    assert ((first.release_dir / f"records/{changed_key}.json").stat().st_ino
            != (second.release_dir / f"records/{changed_key}.json").stat().st_ino)
