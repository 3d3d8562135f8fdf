"""One table per corpus document: key figures found (value and codes as published), wrong values, and
the inconsistencies listed in its facts.json found among the published findings.

00 has no facts.json: its expectations are every row of tests/extract/expected_seed.csv (key, printed value,
unit, span). The other documents' key figures are read from facts.json by :mod:`.expectations`; each listed
inconsistency is tied here to the finding that reports it (shape, words of its message or value)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg_publisher.extract.readers import read_source
from kg_publisher.records.parse import parse_disclosure
from tests.conftest import SEED

from .expectations import score
from .sources import CORPUS, DOCUMENTS, document, load_facts
from .test_crosschecks import found

SEED_EXPECTED = Path(__file__).resolve().parents[1] / "extract" / "expected_seed.csv"

#: facts.json inconsistency (its first words) → (shape, words the finding's message or value holds).
INCONSISTENCIES: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "01_chongqing-jiaowei-2018-budget": [
        ("三公 paragraph has lost text", "TextDefectShape", ("missing-label", "严控290.5万元")),
        ("No total revenue/expenditure is stated", "CrossCheck-missingTotal", ("revenue",)),
        # "Repository file is named budget2017.jsp": about the file's name, not its text — nothing to find
    ],
    "03_putuo-czj-2025-budget": [
        ("Item 7 …887.36万元", "CrossCheck-samefigure", ("887.36", "873,617.00")),
        ("Items 5, 10, 11 are truncated", "CrossCheck-samefigure", ("204.91", "2,049,197.00")),
        ("国有资本经营预算 table note", "TextDefectShape", ("国有资本经营",)),
        ("The whole 编制说明 text appears twice", "TextDefectShape", ("printed twice",)),
        ("项目经费 lists … 援滇干部工作经费 3.00 omitted", "CrossCheck-projectLists", ("援滇干部工作经费",)),
    ],
    "07_putuo-czj-2024-final": [
        ("财政拨款收入支出总计0.3万元", "CrossCheck-grandTotal", ("0.3万元",)),
        ("'flat' contradicts the stated reasons", "CrossCheck-contradictoryDirection", ("持平",)),
        ("一般公共服务支出 占71.73%", "RatioValueShape", ("71.73",)),
        ("the four shares add to 100.07%", "CrossCheck-sharesTotal", ("100.07",)),
        ("社会保障和就业支出 326.71 / 326.72", "CrossCheck-samefigure", ("326.7",)),
        ("Procurement parts 4.79 + 0 + 246.47 = 251.26", "PartsRoundingShape", ("251.25", "251.26")),
    ],
    "12_putuo-wanli-2024-budget": [
        ("三公 table … '本表为空表'", "TextDefectShape", ("says the table is empty", "47.91")),
        ("Item 31 住房公积金 … 352.67", "TextDefectShape", ("inconsistent-repeat", "352.67")),
        ("Item 4 宣传事务 减少 but reason 增加", "TextDefectShape", ("reason-against-direction", "宣传事务")),
        ("Item 15 reason copied from item 13", "TextDefectShape", ("names-another-item", "事业单位离退休经费增加")),
        ("Item 26 城管执法 purpose and reason copied", "TextDefectShape", ("names-another-item", "城管执法")),
        ("名词解释 uses city-level wording", "TextDefectShape", ("市级", "区级")),
        ("经济分类表 codes '301 2' / '301 7'", "TextDefectShape", ("'301 2'",)),
        ("33 items sum to 15,621.10 vs 15,621.11", "PartsRoundingShape", ("15621.11",)),
    ],
    "13_putuo-wanli-2025-budget": [
        ("212 01 款 line 1 元 too high", "PartsRoundingShape", ("94995790", "17,887,739元")),
        ("Item 21 label … wrong 款/项 names", "TextDefectShape", ("misnamed-item", "计划生育事务（项）")),
        ("Item 1 purpose names another 项", "TextDefectShape", ("names-another-item", "统计信息事务统计管理")),
        # "33 items sum to 18,976.74 vs 18,976.76": item 21 cannot be classified, so the items' sum is not
        # checked (a sum is only checked when every part was read) — the misnamed item is the finding.
        ("33 items sum to 18,976.74 (rounding)", "TextDefectShape", ("misnamed-item",)),
    ],
}


def _seed_row() -> tuple[str, int, int, int, str, str]:
    seed = parse_disclosure(read_source(SEED))
    rows = list(csv.DictReader(SEED_EXPECTED.open(encoding="utf-8")))
    facts = {fact.key: fact for fact in seed.facts}
    good = [r for r in rows if r["key"] in facts and facts[r["key"]].amount.printed == r["value"]
            and facts[r["key"]].amount.unit == r["unit"] and facts[r["key"]].span.text == r["span_text"]]
    wrong = [r for r in rows if r["key"] in facts and r not in good]
    return (SEED.stem, len(good), len(rows), len(wrong), "—", "")


def _row(name: str) -> tuple[str, int, int, int, str, str]:
    doc = document(name)
    result = score(doc.all_facts, list(doc.expected))
    listed = load_facts(CORPUS / f"{name}.facts.json")["inconsistencies"]
    checks = INCONSISTENCIES[name]
    missing = [what for what, shape, words in checks if not found(name, shape, *words)]
    return (name, len(result.found), len(result.expected), len(result.wrong),
            f"{len(checks) - len(missing)}/{len(checks)} (listed {len(listed)})", "; ".join(missing))


def test_scorecard(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [_seed_row(), *(_row(name) for name in DOCUMENTS)]
    with capsys.disabled():
        print(f"\n{'document':42} {'key figures':>14} {'wrong':>5}  inconsistencies found")
        for name, good, total, wrong, inconsistencies, missing in rows:
            print(f"{name:42} {good:>4}/{total:<4} {good / total:>4.0%} {wrong:>5}  {inconsistencies} {missing}")
    for name, good, total, wrong, _, missing in rows:
        assert wrong == 0, name
        assert good / total >= 0.98, name
        assert not missing, (name, missing)
