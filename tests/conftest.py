"""Fixtures shared by every test package: where the corpus and the seed are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS
