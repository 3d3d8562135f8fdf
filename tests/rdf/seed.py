"""The seed disclosure read by the real parser and mapped to RDF (built once per test session).

Regenerate the golden graph after an intended change of the mapping or the parser::

    .venv/bin/python -m tests.rdf.seed --write-golden
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from rdflib import Graph

from kg_publisher import __version__
from kg_publisher.extract.readers import read_source
from kg_publisher.iris import IriMinter
from kg_publisher.rdf import disclosure_graph
from kg_publisher.records.model import Disclosure
from kg_publisher.records.parse import parse_disclosure
from kg_publisher.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt"
GOLDEN = Path(__file__).resolve().parent / "golden_seed.ttl"
BASE_IRI = "https://w3id.org/cn-budget-kg/"


@cache
def seed_disclosure() -> Disclosure:
    return parse_disclosure(read_source(SEED))


def build_seed_graph(version: str = __version__) -> Graph:
    """A fresh graph each call (used to check that two builds are identical)."""
    d = seed_disclosure()
    return disclosure_graph(d, IriMinter(BASE_IRI), Registry.load().resolve(d.info.department), version)


@cache
def seed_graph() -> Graph:
    return build_seed_graph()


def write_golden() -> None:
    # The agent version is pinned so a version bump alone does not change the golden file.
    build_seed_graph("golden").serialize(GOLDEN, format="turtle", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-golden"]:
        sys.exit("usage: python -m tests.rdf.seed --write-golden")
    write_golden()
    print(f"wrote {GOLDEN}")
