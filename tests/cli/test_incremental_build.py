"""A rebuild with one document changed re-uses everything else: the other documents' parts come from the cache,
the store is the previous one updated (not loaded again), and the release is the one a cold build of the same
inputs gives, byte for byte (the store quad for quad)."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_publisher.build import build
from kg_publisher.publish import release
from kg_publisher.settings import load_settings

from ..conftest import ROOT

DOCUMENTS = [ROOT / "data" / "disclosures" / name for name in
             ("00_panjin-xinglongtai-zwfwzx-2022-budget.txt", "01_chongqing-jiaowei-2018-budget.txt")]
FIXED_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


#: What a release says about the releases before it (publish/versions.py): a cold build has none.
VERSION_FILES = ("catalog.nt", "diff.ttl", "manifest.json")


def _files(release_dir: Path) -> dict[str, bytes]:
    """Every file of a release but its store and what it says about earlier releases (its manifest without them)."""
    files = {str(p.relative_to(release_dir)): p.read_bytes() for p in sorted(release_dir.rglob("*"))
             if p.is_file() and "store" not in p.relative_to(release_dir).parts
             and str(p.relative_to(release_dir)) not in VERSION_FILES}
    for name in [name for name in files if name.startswith("catalog-pages/") and name.endswith(".nt.gz")]:
        # the catalogue's pages, like the catalogue, differ only by what they say about releases (which also
        # moves the other triples in a page)
        files[name] = b"\n".join(sorted(line for line in gzip.decompress(files[name]).splitlines()
                                        if b"/id/release/" not in line))
    for name in [name for name in files if name.startswith("catalog-pages/") and name.endswith("/index.json")]:
        index = json.loads(files[name])
        index.pop("sha256")  # (the pages' checksums: they differ as the pages do)
        files[name] = json.dumps(index).encode()
    manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("release", None)
    files["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return files


def _lines(release_dir: Path) -> list[bytes]:
    """The catalogue's lines but the ones about releases (their version IRIs)."""
    return [line for line in (release_dir / "catalog.nt").read_bytes().splitlines() if b"/id/release/" not in line]


def _store(release_dir: Path) -> list[str]:
    """The store's quads, blank nodes labelled by RDFC-1.0, the default graph's marked."""
    dataset = ox.Dataset(ox.Store.read_only(str(release_dir / "store")))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) if not isinstance(q.graph_name, ox.DefaultGraph) else f"{q.triple} <urn:x-default>"
                  for q in dataset)


def test_a_one_document_change_updates_the_previous_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(release, "build_time", lambda: FIXED_TIME)
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in DOCUMENTS:
        shutil.copy(path, sources / path.name)
    settings = load_settings(environ={})
    first = build([sources], tmp_path / "out", settings, jobs=1)
    assert first.release_dir is not None
    changed = sources / DOCUMENTS[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（本文件已更新）\n", encoding="utf-8")

    loads: list[Path] = []
    real_load = release.load_store
    monkeypatch.setattr(release, "load_store", lambda store, *args: loads.append(store) or real_load(store, *args))
    second = build([sources], tmp_path / "out", settings, jobs=1)
    assert second.release_dir is not None and second.release_dir != first.release_dir
    assert [d.cached for d in second.documents] == [False, True]
    assert loads == [], "the previous store was updated, not loaded again"

    cold = build([sources], tmp_path / "cold", settings, jobs=1)
    assert cold.release_dir is not None and cold.release_dir.name == second.release_dir.name
    assert len(loads) == 1, "a build without a previous release loads its store"
    assert _files(second.release_dir) == _files(cold.release_dir)
    assert _store(second.release_dir) == _store(cold.release_dir)
    # the catalogue files differ only by what they say about releases (the second build keeps the first)
    assert _lines(cold.release_dir) == _lines(second.release_dir)
    # the unchanged document's files are the ones the first release published (hard links), the changed one's new
    unchanged, edited = second.documents[1].key, second.documents[0].key
    for name in (f"dumps/{unchanged}.nq.gz", f"dumps/{unchanged}.jsonld.gz", f"records/{unchanged}.json"):
        assert (first.release_dir / name).stat().st_ino == (second.release_dir / name).stat().st_ino, name
    assert (first.release_dir / f"dumps/{edited}.nq.gz").stat().st_ino != (
        second.release_dir / f"dumps/{edited}.nq.gz").stat().st_ino
    manifest = json.loads((second.release_dir / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["parts"]) == sorted(d.key for d in second.documents)
    # a part's source text and records are its cache entry's files (hard links: one copy in the build folder)
    shared = 0
    for entry in (tmp_path / "out" / "cache").iterdir():
        for part in entry.glob("part-*") if (entry / "source.txt").is_file() else ():
            for name in ("source.txt", "records.json"):
                assert (part / name).samefile(entry / name), part / name
                shared += 1
    assert shared >= 2 * len(DOCUMENTS)
