"""The corpus generator of bench/: deterministic, and the source errors it injects are reported by the build."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from bench.generate import generate
from kg_publisher.build import build
from kg_publisher.settings import load_settings

SEED_TEXT = "00_panjin-xinglongtai-zwfwzx-2022-budget.txt"


def test_same_seed_same_corpus(tmp_path: Path) -> None:
    first = generate(6, tmp_path / "a", seed=3)
    second = generate(6, tmp_path / "b", seed=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in generate(6, tmp_path / "c", seed=4)]


def test_generated_disclosures_are_distinct_and_renamed(tmp_path: Path) -> None:
    paths = generate(8, tmp_path, seed=1)
    metas = [json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8")) for p in paths]
    assert len({(m["department"], m["year"], m["kind"]) for m in metas}) == 8
    for path, meta in zip(paths, metas, strict=True):
        text = path.read_text(encoding="utf-8")
        assert meta["department"] in text
        assert "盘锦" not in text and "普陀区财政局" not in text and "重庆市交通委员会" not in text


def test_injected_errors_are_reported(tmp_path: Path) -> None:
    paths = generate(2, tmp_path / "corpus", seed=5, error_share=1.0, templates=[SEED_TEXT])
    metas = [json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8")) for p in paths]
    expected = [finding for meta in metas for finding in meta["injected"]]
    assert expected, "error share 1 injects errors into every seed-based document"
    result = build([tmp_path / "corpus"], tmp_path / "out", load_settings(environ={}))
    assert result.exit_code == 0 and result.release_dir is not None
    report = Graph().parse(result.release_dir / "report.ttl", format="turtle")
    for finding in expected:
        matches = [r for r in report.subjects(SH.focusNode, URIRef(finding["focus_node"]))
                   if report.value(r, SH.sourceShape) == URIRef(finding["source_shape"])]
        assert matches, f"{finding['error']} not reported: {finding}"
        messages = [str(m) for r in matches for m in report.objects(r, SH.resultMessage)]
        assert any(finding["message_contains"] in m for m in messages), messages
        assert all(str(report.value(r, SH.resultSeverity)).endswith(finding["severity"]) for r in matches)
