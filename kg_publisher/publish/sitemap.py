"""What the sitemap lists, one catalogue page of data sets at a time (issue 9 §6: no response grows with the
number of disclosures, and no request scans the store).

Per data set: its page, the pages of its figures (the observations whose ``qb:dataSet`` it is, read from the
store's object index) and its department's page. The sitemap protocol allows 50,000 URLs a file; with one file
per catalogue page, a page of ``catalog_page_size`` data sets stays under that, and is cut there if not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pyoxigraph as ox

from ..vocab import QB

#: The sitemap protocol's maximum number of URLs in one file.
SITEMAP_LIMIT = 50_000
_DATASET_OF = str(QB.dataSet)


class _Incoming(Protocol):
    def incoming(self, iri: str, limit: int, offset: int = 0) -> list[ox.Triple]: ...


def sitemap_iris(datasets: Sequence[Mapping[str, Any]], store: _Incoming, limit: int = SITEMAP_LIMIT) -> list[str]:
    """The IRIs to list for these manifest rows (data sets), in order, each once, at most ``limit``."""
    found: dict[str, None] = {}
    for row in datasets:
        if len(found) >= limit:
            break
        found[str(row["dataset"])] = None
        if row.get("organization"):
            found[str(row["organization"])] = None
        for triple in store.incoming(str(row["dataset"]), limit - len(found) + 1):
            if triple.predicate.value == _DATASET_OF and isinstance(triple.subject, ox.NamedNode):
                found[triple.subject.value] = None
    return list(found)[:limit]
