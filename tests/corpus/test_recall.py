"""Each corpus document's facts against its hand-read ``*.facts.json``: no wrong value, recall reported."""

from __future__ import annotations

import pytest

from .expectations import score
from .sources import DOCUMENTS, document

#: Recall reached when the table and 决算 readers run next to the text parser (a floor, not a target).
RECALL_FLOOR = {"01": 0.94, "03": 1.0, "07": 1.0, "12": 0.98, "13": 0.98}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_wrong_value_and_recall(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = document(name)
    result = score(doc.all_facts, list(doc.expected))
    with capsys.disabled():
        print("\n" + result.summary(name))
    assert result.wrong == []
    assert result.recall >= RECALL_FLOOR[name[:2]]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_table_and_final_readers_publish_no_wrong_value(name: str) -> None:
    doc = document(name)
    assert score(doc.table_facts, list(doc.expected)).wrong == []
    assert score(doc.final_facts, list(doc.expected)).wrong == []


def test_final_accounts_balances_and_phases() -> None:
    """07: the grand total, and every 项 with both a 年初预算 and a 决算 figure printed in prose."""
    doc = document("07_putuo-czj-2024-final")
    grand = [f for f in doc.final_facts if f.item == "GRAND_TOTAL" and f.fund_source == "_T"]
    assert [f.amount.printed for f in grand] == ["2995.39"]
    items = [f for f in doc.final_facts if len(f.functional) == 7]
    approved = {f.functional for f in items if f.phase == "approved"}
    executed = {f.functional for f in items if f.phase == "executed"}
    table_items = {f.functional for f in doc.table_facts if f.context == "table-5" and len(f.functional) == 7}
    assert approved == executed == table_items
    for fact in items:  # part of the 类 printed in the same phase, else of the phase's total
        total = doc.final_facts[[f.key for f in doc.final_facts].index(fact.part_of)]
        assert total.phase == fact.phase
        assert total.functional == "_T" or fact.functional.startswith(total.functional)
