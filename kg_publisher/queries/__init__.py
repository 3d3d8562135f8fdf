"""Example SPARQL queries: the ones the README, the /sparql page and the tests share (package data, ``*.rq``).

Each file opens with ``# title@zh:`` and ``# title@en:`` lines, then comments saying why the query is written as
it is, then the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..package_data import queries_dir

_TITLE = re.compile(r"^# title@(zh|en): (.+)$", re.M)


@dataclass(frozen=True)
class ExampleQuery:
    #: File stem, e.g. ``expenditure-by-function-class``.
    key: str
    title_zh: str
    title_en: str
    #: The whole file: its comments are part of the query a reader sees.
    text: str


@cache
def example_queries() -> tuple[ExampleQuery, ...]:
    """Every example, in file-name order."""
    examples = []
    for entry in sorted(queries_dir().iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        titles = dict(_TITLE.findall(text))
        examples.append(ExampleQuery(entry.name.removesuffix(".rq"), titles["zh"], titles["en"], text))
    return tuple(examples)


def example_query(key: str) -> ExampleQuery:
    """The example named ``key`` (KeyError if there is none)."""
    for example in example_queries():
        if example.key == key:
            return example
    raise KeyError(key)
