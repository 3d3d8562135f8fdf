"""The seed parsed once for every test of this package."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_publisher.extract.readers import read_source
from kg_publisher.records.model import Disclosure
from kg_publisher.records.parse import parse_disclosure


@pytest.fixture(scope="package")
def seed(seed_path: Path) -> Disclosure:
    return parse_disclosure(read_source(seed_path))
