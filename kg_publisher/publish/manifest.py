"""A release's ``manifest.json`` read one top-level entry at a time, when it is first asked for.

The manifest grows with the release (≈ 4.4 MB at 1,000 disclosures, tens of MB at 10,000: every data set, dump,
spreadsheet and graph has a row). Parsing it whole cost the server's start 0.52 s of CPU at 10,000 (44 MB) before a
worker could answer anything, and its objects stayed in every process, used or not. The build writes it with
``indent=2`` (:func:`write_manifest`), so each top-level entry starts a line with exactly two blanks and a quote:
line breaks inside a JSON value are never raw, and deeper entries are indented further. Opening finds those
lines with a byte search and parses the small entries (version, base IRI, counts); a list such as ``datasets`` is
parsed the first time it is read. A manifest laid out otherwise is parsed whole, as before.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import BuildError

#: Entries up to this many bytes of JSON are parsed when the manifest is opened (all but the per-disclosure lists).
EAGER_BYTES = 1 << 16
_ENTRY = b'\n  "'


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    """Write ``manifest`` as the build always has, in the layout :class:`Manifest` reads an entry at a time."""
    path.write_text(json.dumps(dict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")


def _entries(raw: bytes) -> dict[str, tuple[int, int]] | None:
    """Each top-level key's value as (start, end) offsets into ``raw``, or None when ``raw`` is not laid out as
    :func:`write_manifest` writes it."""
    body = raw.rstrip()
    if not body.startswith(b"{" + _ENTRY) or not body.endswith(b"\n}"):
        return None
    spans: dict[str, tuple[int, int]] = {}
    at = 1
    last = len(body) - 2  # the line break before the closing brace
    while at < last:
        following = body.find(_ENTRY, at + 1, last)
        end = last if following == -1 else following
        colon = body.find(b'": ', at + 3, end)
        if colon == -1:
            return None
        try:
            key = json.loads(body[at + 3:colon + 1])
        except ValueError:
            return None
        value_end = end if following == -1 else end - 1
        if not isinstance(key, str) or (following != -1 and body[value_end:end] != b","):
            return None
        spans[key] = (colon + 3, value_end)
        at = end
    return spans


class Manifest(Mapping[str, Any]):
    """The manifest of the release at ``path``: a read-only mapping whose large entries are parsed on first use
    (thread-safe: a worker's request threads parse an entry once)."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self.path = path
        self._raw: bytes | None = raw
        self._lock = threading.Lock()
        spans = _entries(raw)
        if spans is None:  # another layout: parsed whole
            self._values = self._parse(raw)
            self._spans: dict[str, tuple[int, int]] = {}
            self._raw = None
            if not isinstance(self._values, dict):
                raise BuildError(f"{path}: cannot be read (not a JSON object)")
            return
        self._spans = spans
        self._values = {key: self._parse(raw[start:end]) for key, (start, end) in spans.items()
                        if end - start <= EAGER_BYTES}

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls(path, path.read_bytes())

    def _parse(self, data: bytes) -> Any:
        try:
            return json.loads(data)
        except ValueError as exc:
            raise BuildError(f"{self.path}: cannot be read ({exc})") from None

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            if key not in self._spans:
                raise
        with self._lock:
            if key not in self._values:
                start, end = self._spans[key]
                assert self._raw is not None
                self._values[key] = self._parse(self._raw[start:end])
                if len(self._values) == len(self._spans):
                    self._raw = None  # every entry parsed: the text is no longer needed
            return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans or self._values)

    def __len__(self) -> int:
        return len(self._spans or self._values)

    def __contains__(self, key: object) -> bool:
        return key in (self._spans or self._values)


__all__ = ["EAGER_BYTES", "Manifest", "write_manifest"]
