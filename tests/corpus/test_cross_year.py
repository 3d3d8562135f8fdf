"""13 (2025) says how its figures changed from 2024; 12 is the 2024 disclosure of the same department.
Every statement our readers read is compared with 12's own figure; facts.json lists them all as agreeing."""

from __future__ import annotations

import hashlib

import pytest

from kg_publisher.extract.source import SourceText
from kg_publisher.records.crossyear import compare_years
from kg_publisher.records.parse import parse_disclosure

from .sources import CORPUS, document, load_facts


def test_2025_statements_about_2024_agree_with_the_2024_disclosure(capsys: pytest.CaptureFixture[str]) -> None:
    current, prior = document("13_putuo-wanli-2025-budget"), document("12_putuo-wanli-2024-budget")
    checks = compare_years(current.disclosure, prior.disclosure)
    pairs = load_facts(CORPUS / "13_putuo-wanli-2025-budget.facts.json")["cross_year"]["pairs"]
    with capsys.disabled():
        print(f"\n13 vs 12: {len(checks)} statements compared ({len(pairs)} hand-read), "
              f"{sum(c.agrees for c in checks)} agree")
        for check in checks:
            print(f"  {check.claim}: implied {check.implied_yuan:f} 元, 2024 printed {check.prior_printed} "
                  f"({check.prior}) → {'agrees' if check.agrees else 'DISAGREES'}")
    assert all(check.agrees for check in checks)
    assert all(pair["agree"] == "yes" for pair in pairs)
    assert len(checks) >= 0.8 * len(pairs)
    assert compare_years(prior.disclosure, current.disclosure) == []  # only the later year speaks of the earlier


def test_a_wrong_statement_about_the_year_before_disagrees() -> None:
    current, prior = document("13_putuo-wanli-2025-budget"), document("12_putuo-wanli-2024-budget")
    text = current.source.text.replace("比2024年预算增加\n3,355.65万元；", "比2024年预算增加\n3,356.65万元；", 1)
    assert text != current.source.text
    changed = parse_disclosure(SourceText("13.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain", text))
    checks = {check.claim: check for check in compare_years(changed, prior.disclosure)}
    assert not checks["revenue-01-change"].agrees
    assert checks["revenue-01-change"].prior_printed == "15621.11万元"
    assert all(check.agrees for key, check in checks.items() if key != "revenue-01-change")
