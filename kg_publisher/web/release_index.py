"""The release manifest's rows looked up by data set, graph and organisation, built once per process.

Pages used to scan the manifest's lists for their rows on every render: a graph page went through every dump and
spreadsheet of the release (7 a disclosure), a catalogue page did so for each of its data sets (0.9 s a page at
1,000 disclosures, ten times that at 10,000). A release never changes under a worker, so the lists are indexed
once, on first use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any


class ReleaseIndex:
    def __init__(self, manifest: Mapping[str, Any]) -> None:
        self._key_of: dict[str, str] = {}
        self._by_graph: dict[str, dict[str, Any]] = {}
        self._by_organization: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in manifest.get("datasets", []):
            self._key_of.setdefault(row["dataset"], row["key"])  # the first row of an IRI, as a scan found it
            for graph in (row["graph"], row["quality_graph"]):
                self._by_graph.setdefault(graph, row)
            self._by_organization[row["organization"]].append(row)
        self._dumps: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        for dump in manifest.get("dumps", []):
            self._dumps[dump["dataset"]].append(dump)
        self._tables: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        for table in manifest.get("tables", []):
            self._tables[table["dataset"]].append(table)

    def key_of(self, dataset: str) -> str | None:
        """The key of the data set with IRI ``dataset``."""
        return self._key_of.get(dataset)

    def dataset_of_graph(self, graph: str) -> dict[str, Any] | None:
        """The data set row whose graph or quality graph is ``graph``."""
        return self._by_graph.get(graph)

    def datasets_of(self, organization: str) -> list[dict[str, Any]]:
        """The data set rows of one organisation, in manifest order."""
        return self._by_organization.get(organization, [])

    def dumps(self, key: str | None) -> list[dict[str, Any]]:
        """The dump rows of the data set ``key`` (``all``: the whole release), in manifest order."""
        return self._dumps.get(key, []) if key is not None else []

    def tables(self, key: str | None) -> list[dict[str, Any]]:
        """The spreadsheet rows of the data set ``key``, in manifest order."""
        return self._tables.get(key, []) if key is not None else []
