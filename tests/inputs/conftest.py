"""Sources read once per session: the corpus text twins and the PDF originals."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_publisher.extract.readers import read_source
from kg_publisher.extract.source import SourceText
from kg_publisher.extract.tables import TextTable, find_tables


@pytest.fixture(scope="session")
def budget_03(corpus_dir: Path) -> SourceText:
    return read_source(corpus_dir / "03_putuo-czj-2025-budget.txt")


@pytest.fixture(scope="session")
def final_07(corpus_dir: Path) -> SourceText:
    return read_source(corpus_dir / "07_putuo-czj-2024-final.txt")


@pytest.fixture(scope="session")
def pdf_03(corpus_dir: Path) -> SourceText:
    return read_source(corpus_dir / "originals" / "03_putuo-czj-2025-budget.pdf")


@pytest.fixture(scope="session")
def pdf_07(corpus_dir: Path) -> SourceText:
    return read_source(corpus_dir / "originals" / "07_putuo-czj-2024-final.pdf")


@pytest.fixture(scope="session")
def tables_03(budget_03: SourceText) -> list[TextTable]:
    return find_tables(budget_03)


@pytest.fixture(scope="session")
def tables_07(final_07: SourceText) -> list[TextTable]:
    return find_tables(final_07)
