"""The seed built once per session (the build's own per-document cache makes later sessions fast) and its
published graph, all named graphs of the release together."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from kg_publisher.build import build
from kg_publisher.settings import load_settings

from ..conftest import require_shared, shared_fixture, whole_nquads

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
@shared_fixture("standards")
def standards_dir() -> Path:
    return require_shared("standards")


@pytest.fixture(scope="session")
def seed_release(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    out = cache.mkdir("kg-standards-build") if cache is not None else tmp_path_factory.mktemp("kg-standards-build")
    result = build([ROOT / "data" / "disclosures"], out, load_settings(environ={}))
    assert result.release_dir is not None, f"the seed build published nothing: {result.documents}"
    return result.release_dir


@pytest.fixture(scope="session")
def published(seed_release: Path) -> Dataset:
    dataset = Dataset(default_union=True)  # plain triple patterns see every named graph
    dataset.parse(data=whole_nquads(seed_release), format="nquads")
    return dataset
