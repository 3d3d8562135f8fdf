"""Two printed lists of the same projects (绩效目标 and 项目经费 年度预算安排) are kept with names, amounts and spans,
so that validation can tell when they disagree (03: 援滇干部工作经费 3.00 万元 is only in the 绩效目标 list)."""

from __future__ import annotations

from decimal import Decimal

from kg_publisher.records.model import AmountFact

from .sources import document


def _lists(name: str) -> tuple[list[AmountFact], list[AmountFact]]:
    facts = document(name).disclosure.facts
    performance = [f for f in facts if f.indicator == "PERFORMANCE_FUNDS" and f.item.startswith("line-")]
    budget = [f for f in facts if f.expenditure_type == "PROJECT" and f.item.startswith("line-")]
    return performance, budget


def test_03_performance_projects_are_parts_of_the_stated_funds() -> None:
    doc = document("03_putuo-czj-2025-budget")
    performance, _ = _lists(doc.name)
    total = doc.disclosure.fact("performance-funds")
    assert {f.part_of for f in performance} == {total.key} and total.breakdown_complete
    assert sum(f.amount.value for f in performance) == total.amount.value == Decimal("598.46")
    for fact in performance:  # names printed with spaces between characters are read without them
        assert fact.span.text == doc.source.text[fact.span.start:fact.span.end]
        assert "".join(fact.span.text.split()).startswith(fact.label)


def test_03_the_two_lists_disagree_by_one_project() -> None:
    performance, budget = _lists("03_putuo-czj-2025-budget")
    by_name = {f.label: f.amount.value for f in budget}
    assert len(performance) == 4 and len(budget) == 3
    assert {f.label for f in performance} - set(by_name) == {"援滇干部工作经费"}
    assert all(by_name[f.label] == f.amount.value for f in performance if f.label in by_name)
    assert sum(by_name.values()) == Decimal("595.46")
    assert {f.context for f in budget} == {next(s.code for s in document("03_putuo-czj-2025-budget").disclosure.sections
                                                if "年度预算安排" in s.heading)}


def test_no_project_lists_where_none_are_printed() -> None:
    for name in ("01_chongqing-jiaowei-2018-budget", "07_putuo-czj-2024-final"):
        assert _lists(name) == ([], [])
