"""The corpus tests need ../shared/corpus; on a clone without it they are skipped, saying so once each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CORPUS.is_dir():
        return
    skip = pytest.mark.skip(reason=f"shared corpus not found at {CORPUS}")
    for item in items:
        if item.path.parent == CORPUS_TESTS:
            item.add_marker(skip)


CORPUS_TESTS = Path(__file__).resolve().parent
