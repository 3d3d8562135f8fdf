"""The only place that mints IRIs.

Every data IRI is ``base_iri`` + a path built here from content (checksums, registry slugs,
years, printed notations, character offsets), so the same input and base give the same IRIs.
Vocabulary and code-list IRIs are fixed (see :mod:`kg_publisher.vocab`).

>>> m = IriMinter("https://example.org/kg/")
>>> str(m.dataset("panjin-xinglongtai-zwfwzx", 2022, "budget"))
'https://example.org/kg/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget'
>>> str(m.span("3937e7ff47ea6b70e9361fe555adcb26baecd6ee56e4aec0d896a810ffac3ff2", 881, 893))
'https://example.org/kg/id/source/3937e7ff47ea6b70/span/881-893'
>>> m.local_path(m.organization("x"))
'id/org/x'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

from .vocab import CODE

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: Code notations may also be the SDMX "total"/"not applicable" codes ``_T`` / ``_Z``.
_NOTATION = re.compile(r"^_?[A-Za-z0-9][A-Za-z0-9._-]*$")


def short_hash(text: str, length: int = 10) -> str:
    """A stable short hex digest of a (NFC-normalised) string, for names that have no slug."""
    return hashlib.sha1(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:length]


def check_key(key: str) -> str:
    """Keys inside IRIs are ASCII words, so IRIs stay portable and readable."""
    if not _KEY.match(key):
        raise ValueError(f"not an IRI key (ASCII letters, digits, '.', '_', '-'): {key!r}")
    return key


class IriMinter:
    """Mints every data IRI under one base IRI."""

    def __init__(self, base_iri: str) -> None:
        if not base_iri.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {base_iri!r}")
        self.base = base_iri

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def local_path(self, iri: str) -> str | None:
        """The path of an IRI relative to the base, or None when it is not ours."""
        return iri[len(self.base):] if iri.startswith(self.base) else None

    # -- sources and provenance ------------------------------------------------------------
    def source(self, sha256: str) -> URIRef:
        return self._iri(f"id/source/{sha256[:16]}")

    def span(self, sha256: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.source(sha256)}/span/{start}-{end}")

    def checksum(self, sha256: str) -> URIRef:
        """The ``spdx:Checksum`` node of a source document's bytes."""
        return URIRef(f"{self.source(sha256)}/checksum/sha256")

    @staticmethod
    def selector(span: URIRef, kind: str) -> URIRef:
        """A Web Annotation selector of a span: ``position``, ``quote`` or ``page``."""
        return URIRef(f"{span}/{check_key(kind)}")

    def agent(self, version: str) -> URIRef:
        return self._iri(f"id/agent/kg-publisher-{check_key(version)}")

    # -- organisations and places ------------------------------------------------------------
    def organization(self, slug: str) -> URIRef:
        return self._iri(f"id/org/{check_key(slug)}")

    def internal_unit(self, org_slug: str, unit_name: str) -> URIRef:
        return URIRef(f"{self.organization(org_slug)}/unit/{short_hash(unit_name, 8)}")

    def place(self, key: str) -> URIRef:
        return self._iri(f"id/place/{check_key(key)}")

    # -- datasets and their parts -------------------------------------------------------------
    @staticmethod
    def dataset_key(org_slug: str, year: int, kind: str) -> str:
        return check_key(f"{org_slug}-{year}-{kind}")

    def dataset(self, org_slug: str, year: int, kind: str) -> URIRef:
        return self._iri(f"id/dataset/{self.dataset_key(org_slug, year, kind)}")

    def series(self, org_slug: str, kind: str) -> URIRef:
        return self._iri(f"id/series/{check_key(org_slug)}-{check_key(kind)}")

    def graph(self, dataset_key: str) -> URIRef:
        """Named graph holding one disclosure's facts."""
        return self._iri(f"graph/{check_key(dataset_key)}")

    def quality_graph(self, dataset_key: str) -> URIRef:
        """Named graph holding one disclosure's SHACL quality report."""
        return self._iri(f"graph/{check_key(dataset_key)}/quality")

    @staticmethod
    def part(dataset: URIRef, kind: str, key: str) -> URIRef:
        """A part of a dataset: ``obs``, ``claim``, ``duty``, ``glossary``, ``defect``, ``mention`` …"""
        return URIRef(f"{dataset}/{check_key(kind)}/{check_key(key)}")

    @staticmethod
    def scheme(dataset: URIRef, kind: str) -> URIRef:
        """A per-disclosure SKOS scheme: ``duties`` or ``glossary``."""
        return URIRef(f"{dataset}/{check_key(kind)}")

    @staticmethod
    def activity(dataset: URIRef) -> URIRef:
        return URIRef(f"{dataset}/extraction")

    # -- catalogue ---------------------------------------------------------------------------
    def catalog(self) -> URIRef:
        return self._iri("catalog")

    def sparql_service(self) -> URIRef:
        return self._iri("sparql")

    def distribution(self, key: str, fmt: str) -> URIRef:
        return self._iri(f"id/distribution/{check_key(key)}-{check_key(fmt)}")

    def download(self, key: str, extension: str) -> URIRef:
        return self._iri(f"dumps/{check_key(key)}.{extension}")

    def whole_dataset(self) -> URIRef:
        """The ``dcat:Dataset``/``void:Dataset`` of everything published (its dumps use the key ``all``)."""
        return self._iri("id/dataset/all")

    # -- releases ---------------------------------------------------------------------------
    def release(self, version: str) -> URIRef:
        """The version IRI of one release (``dcat:version`` = ``version``, the hash naming its folder)."""
        return self._iri(f"id/release/{check_key(version)}")

    def release_distribution(self, version: str, fmt: str) -> URIRef:
        return URIRef(f"{self.release(version)}/distribution/{check_key(fmt)}")

    def release_download(self, version: str, file_name: str) -> URIRef:
        """Where a file of a kept release is downloaded (``releases/{version}/{file}``, e.g. ``dumps/all.nq``)."""
        return self._iri(f"releases/{check_key(version)}/{file_name}")

    def release_diff(self, old: str, new: str) -> URIRef:
        """What changed from release ``old`` to release ``new``."""
        return URIRef(f"{self.release(new)}/diff/{check_key(old)}")

    @staticmethod
    def release_change(diff: URIRef, key: str) -> URIRef:
        """One figure or finding added, removed or changed in a diff (``key``: a hash of what changed)."""
        return URIRef(f"{diff}/change/{check_key(key)}")

    def catalog_graph(self) -> URIRef:
        return self._iri("graph/catalog")

    def vocabulary_graph(self) -> URIRef:
        return self._iri("graph/vocabulary")

    def shapes_graph(self) -> URIRef:
        """Named graph of the SHACL shapes the disclosures were validated with (``sh:sourceShape`` targets)."""
        return self._iri("graph/shapes")

    def publisher(self) -> URIRef:
        """The catalogue's publisher (the ``publisher_name`` setting)."""
        return self._iri("id/agent/publisher")

    def contact_point(self) -> URIRef:
        return self._iri("id/agent/contact")

    @staticmethod
    def checksum_of(resource: URIRef) -> URIRef:
        """The ``spdx:Checksum`` node of a published file (a distribution)."""
        return URIRef(f"{resource}/checksum/sha256")

    @staticmethod
    def class_partition(dataset: URIRef, class_iri: str) -> URIRef:
        """A VoID class partition of a dataset, keyed by a hash of the class IRI."""
        return URIRef(f"{dataset}/class/{short_hash(class_iri)}")

    def period(self, year: int) -> URIRef:
        """A calendar year as ``dct:PeriodOfTime`` (dataset temporal coverage)."""
        return self._iri(f"id/period/{int(year)}")


def check_notation(notation: str) -> str:
    """Like :func:`check_key`, but also accepts the SDMX codes ``_T`` (total) and ``_Z`` (not applicable)."""
    if not _NOTATION.match(notation):
        raise ValueError(f"not a code notation (ASCII letters, digits, '.', '_', '-'; or _T/_Z): {notation!r}")
    return notation


@lru_cache(maxsize=1 << 16)  # ≈ 7 codes per figure, of a few thousand: checked and made once each
def code(scheme: str, notation: str) -> URIRef:
    """A concept of one of our code lists, e.g. ``code("indicator", "TOTAL")`` or ``code("fund-source", "_T")``."""
    return CODE[f"{check_key(scheme)}/{check_notation(notation)}"]


def code_scheme(scheme: str) -> URIRef:
    return CODE[check_key(scheme)]
