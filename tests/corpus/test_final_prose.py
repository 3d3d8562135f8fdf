"""07 (a 决算) read where its prose goes beyond a budget's: what the procurement section says about SMEs, as
printed (facts.json does not list these figures, so each is checked against the printed sentence)."""

from __future__ import annotations

import re

from .sources import document

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
