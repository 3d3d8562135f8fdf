"""A fault of the text a line or page break runs through is still found: the phrase defects (doubled phrases,
unfilled alternatives, stray characters, placeholders) are looked for on the flowed text too (records/defects.py),
outside the tables, once per fault."""

from __future__ import annotations

import hashlib

from kg_publisher.extract.readers import read_source
from kg_publisher.extract.source import SourceText
from kg_publisher.records.parse import parse_disclosure
from tests.conftest import SEED


def test_phrase_defects_broken_over_lines_are_found_once() -> None:
    seed = read_source(SEED)
    as_printed = parse_disclosure(seed)
    text = seed.text
    for printed, broken in (("主要职责有主要职责有", "主要职责有\n主要职责有"), ("增加/减少", "增\n加/减少"),
                            ("主要原因是0", "主要原\n因是0")):
        text = text.replace(printed, broken, 1)
    d = parse_disclosure(SourceText(seed.name, hashlib.sha256(text.encode()).hexdigest(), "text/plain", text))
    kinds = [defect.kind for defect in as_printed.defects]
    assert [defect.kind for defect in d.defects] == kinds
    doubled = [defect for defect in d.defects if defect.kind == "doubled-phrase"]
    assert doubled[0].span.text == "主要职责有\n主要职责有" and "'主要职责有' printed twice" in doubled[0].message
    assert any(defect.span.text == "增\n加/减少" for defect in d.defects if defect.kind == "unfilled-alternative")
    assert any(defect.span.text == "主要原\n因是0" for defect in d.defects if defect.kind == "template-residue")
