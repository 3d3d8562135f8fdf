"""Other layouts of the template: at least who, when and what kind, checked against the corpus's facts.json."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kg_publisher.extract.readers import read_source
from kg_publisher.records.parse import parse_disclosure

KINDS = {"预算": "budget", "决算": "final"}
CORPUS_IDS = ["01", "03", "07"]


def _facts(corpus_dir: Path, corpus_id: str) -> tuple[Path, dict]:  # type: ignore[type-arg]
    (facts_path,) = corpus_dir.glob(f"{corpus_id}_*.facts.json")
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    return corpus_dir / facts["text_file"], facts


@pytest.mark.parametrize("corpus_id", CORPUS_IDS)
def test_info_of_other_layouts(corpus_dir: Path, corpus_id: str) -> None:
    path, facts = _facts(corpus_dir, corpus_id)
    disclosure = parse_disclosure(read_source(path))
    assert disclosure.info.department == facts["department"]
    assert disclosure.info.year == facts["year"]
    assert disclosure.info.kind == KINDS[facts["document_kind"]]
    assert disclosure.glossary and disclosure.duties
    assert any(s.meaning == "glossary" for s in disclosure.sections)


@pytest.mark.parametrize("corpus_id", CORPUS_IDS)
def test_records_of_other_layouts_are_sound(corpus_dir: Path, corpus_id: str) -> None:
    path, _ = _facts(corpus_dir, corpus_id)
    disclosure = parse_disclosure(read_source(path))
    text = disclosure.source.text
    keys = [r.key for r in (*disclosure.facts, *disclosure.changes, *disclosure.counts, *disclosure.ratios)]
    assert len(keys) == len(set(keys))
    for record in (*disclosure.facts, *disclosure.changes, *disclosure.mentions, *disclosure.defects,
                   *disclosure.unparsed, *disclosure.sections, *disclosure.glossary, *disclosure.duties):
        for field in dataclasses.fields(record):
            span = getattr(record, field.name)
            if hasattr(span, "start") and hasattr(span, "text"):
                assert text[span.start:span.end] == span.text


def test_sangong_total_matches_corpus_facts(corpus_dir: Path) -> None:
    for corpus_id in ("01", "03"):
        path, facts = _facts(corpus_dir, corpus_id)
        disclosure = parse_disclosure(read_source(path))
        assert float(disclosure.fact("sangong-total").amount.value) == facts["sangong"]["total"]


def test_thousands_separators(corpus_dir: Path) -> None:
    path, facts = _facts(corpus_dir, "03")
    revenue = parse_disclosure(read_source(path)).fact("revenue-total")
    assert revenue.amount.printed == "3,121.42"
    assert float(revenue.amount.value) == facts["total_revenue"]["value"]
    assert revenue.span.text == facts["total_revenue"]["evidence"]


def test_repeated_block_is_a_defect(corpus_dir: Path) -> None:
    path, _ = _facts(corpus_dir, "03")
    disclosure = parse_disclosure(read_source(path))
    assert [d.kind for d in disclosure.defects].count("duplicated-paragraph") == 1
