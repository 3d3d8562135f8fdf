"""What the release of data/disclosures/ holds across documents."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ..conftest import whole_nquads

BASE = "https://w3id.org/cn-budget-kg/"


def test_one_department_has_one_iri_across_years(release_dir: Path) -> None:
    """上海市普陀区财政局's 2025 budget and 2024 final accounts are published by the same organisation."""
    data = Dataset()
    data.parse(data=whole_nquads(release_dir), format="nquads")
    publishers = {
        key: {o for _, _, o, _ in data.quads((URIRef(f"{BASE}id/dataset/{key}"), DCTERMS.publisher, None, None))}
        for key in ("shanghai-putuo-czj-2025-budget", "shanghai-putuo-czj-2024-final")
    }
    assert publishers["shanghai-putuo-czj-2025-budget"] == publishers["shanghai-putuo-czj-2024-final"] == {
        URIRef(f"{BASE}id/org/shanghai-putuo-czj")}
    org = URIRef(f"{BASE}id/org/shanghai-putuo-czj")
    names = {str(o) for _, _, o, _ in data.quads((org, SKOS.prefLabel, None, None))}
    assert names == {"上海市普陀区财政局"}
    aliases = {str(o) for _, _, o, _ in data.quads((org, SKOS.altLabel, None, None))}
    assert "普陀区财政局" in aliases


def test_every_disclosure_is_its_own_dataset_in_the_catalogue(release_dir: Path) -> None:
    data = Dataset()
    data.parse(data=whole_nquads(release_dir), format="nquads")
    catalog = data.graph(URIRef(f"{BASE}graph/catalog"))
    datasets = {str(o) for o in catalog.objects(URIRef(f"{BASE}catalog"), URIRef("http://www.w3.org/ns/dcat#dataset"))}
    assert {f"{BASE}id/dataset/{key}" for key in (
        "panjin-xinglongtai-zwfwzx-2022-budget", "chongqing-jiaowei-2018-budget",
        "shanghai-putuo-czj-2025-budget", "shanghai-putuo-czj-2024-final")} <= datasets
