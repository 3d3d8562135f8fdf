"""The release manifest is read an entry at a time (publish/manifest.py): a server's start does not parse its
per-disclosure lists, and what it reads is what a whole parse gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_publisher.errors import BuildError
from kg_publisher.publish.manifest import EAGER_BYTES, Manifest
from kg_publisher.publish.release import MANIFEST, Release


def test_the_built_manifest_is_read_an_entry_at_a_time_and_equals_a_whole_parse(release: Release) -> None:
    whole = json.loads((release.path / MANIFEST).read_text(encoding="utf-8"))
    manifest = Manifest.read(release.path / MANIFEST)
    assert list(manifest) == list(whole)  # the build's layout was recognised: every key found, in order
    large = [key for key in whole if len(json.dumps(whole[key], ensure_ascii=False, indent=2)) > EAGER_BYTES]
    assert not set(large) & set(manifest._values)  # not parsed at opening
    assert {key: manifest[key] for key in manifest} == whole
    assert manifest.get("no such key") is None and "no such key" not in manifest


def test_many_entries_large_and_small_read_back_exactly(tmp_path: Path) -> None:
    big = [{"key": f"k{n}", "title": f"标题 {n}\n\"quoted\"\n  \"indented\": 1", "n": n} for n in range(3000)]
    written = {"version": "0123456789abcdef", "datasets": big, "graphs": {f"g{n}": n for n in range(5000)},
               "nested": {"a": {"b": [1, 2, {"c": "d"}]}}, "empty": [], "last": "x"}
    path = tmp_path / MANIFEST
    path.write_text(json.dumps(written, ensure_ascii=False, indent=2), encoding="utf-8")
    manifest = Manifest.read(path)
    assert "datasets" not in manifest._values and "graphs" not in manifest._values
    assert manifest["version"] == "0123456789abcdef" and len(manifest) == len(written)
    assert dict(manifest) == written


@pytest.mark.parametrize("text", [json.dumps({"version": "v", "datasets": [1, 2]}),  # compact
                                  json.dumps({"version": "v", "datasets": [1, 2]}, indent=4),
                                  "{}", json.dumps({"version": "v"}, indent=2) + "\n\n"])
def test_other_layouts_are_parsed_whole(tmp_path: Path, text: str) -> None:
    path = tmp_path / MANIFEST
    path.write_text(text, encoding="utf-8")
    assert dict(Manifest.read(path)) == json.loads(text)


def test_a_damaged_manifest_is_refused_with_its_path(tmp_path: Path, release: Release) -> None:
    folder = tmp_path / "release"
    (folder / "store").mkdir(parents=True)
    raw = (release.path / MANIFEST).read_text(encoding="utf-8")
    (folder / MANIFEST).write_text(raw[: len(raw) // 2], encoding="utf-8")  # cut short
    with pytest.raises(BuildError, match=r"manifest\.json: cannot be read"):
        Release.open(folder)
    broken = json.dumps({"version": "v", "datasets": [{"key": "a"}] * 5000}, indent=2).replace('"a"', "a", 1)
    (folder / MANIFEST).write_text(broken, encoding="utf-8")
    opened = Release.open(folder)  # the large entry is only read when asked for
    with pytest.raises(BuildError, match=r"manifest\.json: cannot be read"):
        opened.manifest["datasets"]
