"""Prose a budget reader did not read: 07 (a 决算) where it goes beyond a budget (procurement for SMEs, the stages of
performance management, each checked against the printed sentence where facts.json does not list the figure), and
the vehicles by type of the state-assets sections."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from .sources import CORPUS, document, load_facts

FINAL = "07_putuo-czj-2024-final"


def test_07_procurement_reserved_for_and_won_by_smes() -> None:
    doc = document(FINAL)
    facts = {fact.key: fact for fact in doc.disclosure.facts if fact.context == "narr-3-11-2"}
    printed = {  # item: (value, part of, the printed clause without line breaks)
        "SME_RESERVED": ("246.47", None, "面向中小企业预留政府采购项目预算金额246.47万元"),
        "SMALL_MICRO_RESERVED": ("0", "SME_RESERVED", "面向小微企业预留政府采购项目预算金额0万元"),
        "SME_AWARDED_RESERVED": ("246.47", None,
                                 "在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额246.47万元"),
        "SMALL_MICRO_AWARDED_RESERVED": ("0", "SME_AWARDED_RESERVED",
                                         "在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额0万元"),
        "SME_AWARDED_OTHER": ("4.79", None, "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额4.79万元"),
    }
    by_item = {fact.item: fact for fact in facts.values() if fact.item in printed}
    assert set(by_item) == set(printed)
    for item, (value, whole, clause) in printed.items():
        fact = by_item[item]
        assert (fact.amount.printed, fact.amount.unit, fact.phase) == (value, "万元", "executed"), item
        assert re.sub(r"\s", "", fact.span.text) == clause, item
        assert fact.part_of == (by_item[whole].key if whole else None), item
    # none of them is a line of the goods/works/services breakdown of the total
    total = facts["procurement-total"]
    lines = [fact for fact in facts.values() if fact.part_of == total.key]
    assert sorted(fact.amount.printed for fact in lines) == ["0", "246.47", "4.79"]
    assert by_item["SME_RESERVED"].breakdown_complete is False
    unread = [u.span.text for u in doc.disclosure.unparsed if u.context == "narr-3-11-2"]
    assert unread == []


def test_07_performance_stages_and_ratings() -> None:
    """"编报绩效目标的2024年度项目4个，涉及预算金额598.42万元；绩效跟踪评价的…4个，…598.42万元；绩效自评的…4个，…
    598.42万元，平均得分99.43分（其中，绩效评级为“优”的项目4个；…“不合格”的项目0个": every stage's count and funds."""
    doc = document(FINAL)
    expected = load_facts(CORPUS / f"{FINAL}.facts.json")["performance_targets"]
    counts = {count.what: count for count in doc.disclosure.counts}
    stages = ("PERF_PROJECTS_SET", "PERF_PROJECTS_MONITORED", "PERF_PROJECTS_SELF_EVALUATED")
    assert [counts[what].value for what in stages] == [expected["projects"]] * 3
    assert [re.sub(r"\s", "", counts[what].span.text) for what in stages] == [
        "编报绩效目标的2024年度项目4个", "绩效跟踪评价的2024年度项目4个", "绩效自评的2024年度项目4个"]
    funds = {fact.item: fact for fact in doc.disclosure.facts if fact.indicator == "PERFORMANCE_FUNDS"}
    assert set(funds) == {"_T", "PERF_MONITORED", "PERF_SELF_EVALUATED"}
    assert {fact.amount.value for fact in funds.values()} == {Decimal(str(expected["amount"]))}
    ratings = [count for count in doc.disclosure.counts if count.what.startswith("PERF_RATED_")]
    assert [(c.what, c.value, c.part_of) for c in ratings] == [
        (what, value, counts["PERF_PROJECTS_SELF_EVALUATED"].key) for what, value in
        (("PERF_RATED_EXCELLENT", 4), ("PERF_RATED_GOOD", 0), ("PERF_RATED_PASS", 0), ("PERF_RATED_FAIL", 0))]
    assert [u for u in doc.disclosure.unparsed if u.context == "narr-3-10"] == []


VEHICLE_TYPES = {"部级领导干部用车": "VEHICLES_MINISTERIAL", "主要领导干部用车": "VEHICLES_PRINCIPAL",
                 "机要通信用车": "VEHICLES_CONFIDENTIAL", "应急保障用车": "VEHICLES_EMERGENCY",
                 "执法执勤用车": "VEHICLES_LAW_ENFORCEMENT", "特种专业技术用车": "VEHICLES_SPECIAL",
                 "离退休干部用车": "VEHICLES_RETIRED", "其他用车": "VEHICLES_OTHER"}


@pytest.mark.parametrize("name", ["03_putuo-czj-2025-budget", FINAL, "12_putuo-wanli-2024-budget",
                                  "13_putuo-wanli-2025-budget"])
def test_vehicles_by_type(name: str) -> None:
    """共有车辆N辆，其中：部级领导干部用车0辆、…其他用车N辆: each type a part of the vehicles held (not of the
    vehicles the budget plans to buy, listed after them with the same words)."""
    doc = document(name)
    expected = load_facts(CORPUS / f"{name}.facts.json")
    by_type = (expected.get("state_assets") or {}).get("vehicles_by_type") or dict.fromkeys(VEHICLE_TYPES, 0)
    counts = {count.what: count for count in doc.disclosure.counts}
    total = counts["VEHICLES"]
    assert total.value == expected["vehicles"]
    for word, value in by_type.items():
        count = counts[VEHICLE_TYPES[word]]
        assert (count.value, count.part_of) == (value, total.key), word
        assert re.sub(r"\s", "", count.span.text) == f"{word}{value}辆"
        assert total.span.start < count.span.start < total.span.start + 200
    planned = [count for count in doc.disclosure.counts if count.what == "VEHICLES_PLANNED"]
    printed = re.search(r"安排购置车辆(\d+)辆", re.sub(r"\s", "", doc.source.text))  # 03: not in facts.json
    stated = (expected.get("state_assets") or {}).get("planned_vehicle_purchases",
                                                      int(printed.group(1)) if printed else None)
    assert [count.value for count in planned] == ([] if stated is None else [stated])
    assert all(re.sub(r"\s", "", count.span.text).endswith(f"购置车辆{count.value}辆") for count in planned)


def test_07_prose_is_read_whole() -> None:
    """Every money figure of 07's prose is in a record; a figure printed again in the same section
    ("一般公共预算财政拨款支出2940.05万元，主要用于以下方面：…" after its 总体情况) is read, and kept once."""
    doc = document(FINAL)
    tables = {s.code for s in doc.disclosure.sections if s.meaning == "tables" or s.code.startswith("table")}
    assert [u.span.text for u in doc.disclosure.unparsed if u.context not in tables] == []
    assert [f.key for f in doc.disclosure.facts if f.label == "一般公共预算财政拨款支出"] == ["fin-9"]
