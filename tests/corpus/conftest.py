"""Every corpus test needs ../shared/corpus: each is marked needs_shared (tests/conftest.py skips them, under one
summary line, when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent == CORPUS_TESTS:
            item.add_marker(pytest.mark.needs_shared("corpus"))
