"""Turn a corpus ``*.facts.json`` (figures read by hand) into checkable expectations.

The mapping from the hand-written keys (``total_revenue``, ``sangong.reception`` …) to record codes
is this harness's own, written from the field meanings in ``records/model.py``, independently of
the extractors it measures. An expectation is *published* when some extracted fact has its codes
(and, for table figures, a ``table-*`` context); it is *found* when such a fact has its value, and
*wrong* when such a fact has another value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg_publisher.records.model import AmountFact

_UNIT_POWER = {"元": 0, "万元": 4, "亿元": 8}

#: Fund words of a printed label, most specific first (财政拨款 alone means all three fiscal funds).
_FUND_WORDS = (
    ("一般公共预算", "GENERAL_PUBLIC"),
    ("政府性基金", "GOV_FUND"),
    ("国有资本经营", "STATE_CAPITAL"),
    ("上级补助", "HIGHER_SUBSIDY"),
    ("附属单位", "SUBORDINATE"),
    ("经营收入", "OPERATING"),
    ("事业收入", "BUSINESS"),
    ("其他收入", "OTHER"),
    ("财政拨款", "FISCAL"),
)

_SANGONG_ITEMS = {
    "total": "_T",
    "outbound": "OVERSEAS_TRAVEL",
    "reception": "OFFICIAL_RECEPTION",
    "vehicle_total": "OFFICIAL_VEHICLES",
    "vehicle_purchase": "VEHICLE_PURCHASE",
    "vehicle_operation": "VEHICLE_OPERATION",
}

_PROCUREMENT_WORDS = {"goods": "货物", "works": "工程", "services": "服务"}


def fund_of(label: str | None) -> str:
    for word, code in _FUND_WORDS:
        if label and word in label:
            return code
    return "_T"


@dataclass(frozen=True)
class Expected:
    name: str
    value: Decimal
    unit: str
    #: Field of AmountFact → accepted values; fields not named are not constrained.
    codes: Mapping[str, frozenset[str]]
    #: "text" (a prose figure), "table" (a figure of a table) or "any".
    where: str = "any"
    label_contains: str | None = None
    evidence: tuple[str, ...] = field(default=())

    def describes(self, fact: AmountFact, *, anywhere: bool = False) -> bool:
        """The fact has this expectation's codes (and its place, unless ``anywhere``)."""
        if not anywhere and self.where != "any" and (self.where == "table") != fact.context.startswith("table"):
            return False
        if self.label_contains and self.label_contains not in fact.label:
            return False
        return all(getattr(fact, name) in allowed for name, allowed in self.codes.items())

    def agrees(self, fact: AmountFact) -> bool:
        """Same value: exactly when printed in the same unit, else within the coarser rounding."""
        if fact.amount.unit == self.unit:
            return fact.amount.value == self.value
        expected_yuan = self.value.scaleb(_UNIT_POWER[self.unit])
        printed_yuan = fact.amount.value.scaleb(fact.amount.unit_multiplier)
        decimals = max(-self.value.as_tuple().exponent, 0)  # type: ignore[operator]
        tolerance = max(Decimal(5).scaleb(_UNIT_POWER[self.unit] - decimals - 1),
                        Decimal(5).scaleb(fact.amount.unit_multiplier - fact.amount.decimals - 1))
        return abs(expected_yuan - printed_yuan) <= tolerance


def _codes(**fields: str | Iterable[str]) -> dict[str, frozenset[str]]:
    return {name: frozenset([value] if isinstance(value, str) else value) for name, value in fields.items()}


def _evidence(entry: Mapping[str, Any], key: str = "evidence") -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def load_facts(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)


def expectations(facts: Mapping[str, Any]) -> list[Expected]:
    """Every figure of one facts.json file that an extractor could publish as an AmountFact."""
    phase = "executed" if facts["document_kind"] == "决算" else "approved"
    out: list[Expected] = []
    whole = {"functional": "_T", "economic": "_T"}

    for key, operation, etype in (("total_revenue", "revenue", ("_Z", "_T")),
                                  ("total_expenditure", "expenditure", ("_T",))):
        entry = facts.get(key)
        if not entry:
            continue
        item = "_T"  # 本年收入合计 is the total of the year; balances are extra items
        codes = _codes(operation=operation, indicator="TOTAL", fund_source="_T", item=item,
                       expenditure_type=etype, phase=phase, **whole)
        out.append(Expected(key, entry["value"], entry["unit"], codes, "text", None, _evidence(entry)))
        if entry.get("table_value") is not None:
            out.append(Expected(f"{key}.table", entry["table_value"], entry["table_unit"], codes, "table",
                                None, _evidence(entry, "table_evidence")))
        if entry.get("grand_total") is not None:
            grand = _codes(operation=operation, indicator="TOTAL", fund_source="_T", item="GRAND_TOTAL",
                           expenditure_type=etype, phase=phase, **whole)
            out.append(Expected(f"{key}.grand_total", entry["grand_total"], entry["unit"], grand, "text",
                                None, _evidence(entry, "grand_total_evidence")))

    for key, operation, etype in (("revenue_parts", "revenue", ("_Z", "_T")),
                                  ("expenditure_parts", "expenditure", ("_T",))):
        for number, entry in enumerate(facts.get(key) or (), start=1):
            codes = _codes(operation=operation, indicator="TOTAL", fund_source=fund_of(entry.get("label")),
                           item="_T", expenditure_type=etype, phase=phase, **whole)
            out.append(Expected(f"{key}.{number}", entry["value"], entry["unit"], codes, "text", None,
                                _evidence(entry)))

    for key, etype in (("basic_expenditure", "BASIC"), ("project_expenditure", "PROJECT")):
        entry = facts.get(key)
        if not entry:
            continue
        codes = _codes(operation="expenditure", indicator="TOTAL", fund_source=fund_of(entry.get("scope")),
                       item="_T", expenditure_type=etype, phase=phase, **whole)
        where = "table" if entry.get("source") else "text"
        out.append(Expected(key, entry["value"], entry["unit"], codes, where, None, _evidence(entry)))

    sangong = facts.get("sangong")
    if sangong:
        fiscal = ("_T", "FISCAL", "GENERAL_PUBLIC")
        for key, item in _SANGONG_ITEMS.items():
            if sangong.get(key) is not None:
                codes = _codes(operation="expenditure", indicator="SANGONG", fund_source=fiscal, item=item,
                               phase=phase, **whole)
                out.append(Expected(f"sangong.{key}", sangong[key], sangong["unit"], codes, "text"))
        if sangong.get("budget_total") is not None:
            codes = _codes(operation="expenditure", indicator="SANGONG", fund_source=fiscal, item="_T",
                           phase="approved", **whole)
            out.append(Expected("sangong.budget_total", sangong["budget_total"], sangong["unit"], codes, "text"))

    running = facts.get("jiguan_yunxing_jingfei")
    if running:
        codes = _codes(operation="expenditure", indicator="ORG_RUNNING_COST", item="_T", phase=phase, **whole)
        out.append(Expected("running_cost", running["value"], running["unit"], codes, "text", None,
                            _evidence(running)))

    procurement = facts.get("government_procurement")
    if procurement:
        codes = _codes(operation="expenditure", indicator="PROCUREMENT", phase=phase, **whole)
        out.append(Expected("procurement.total", procurement["total"], procurement["unit"],
                            {**codes, **_codes(item="_T")}, "text"))
        for key, word in _PROCUREMENT_WORDS.items():
            if procurement.get(key) is not None:
                out.append(Expected(f"procurement.{key}", procurement[key], procurement["unit"], codes, "text",
                                    word))
        for key, item in (("sme_reserved", "SME_RESERVED"), ("small_micro_reserved", "SMALL_MICRO_RESERVED")):
            if procurement.get(key) is not None:
                out.append(Expected(f"procurement.{key}", procurement[key], procurement["unit"],
                                    {**codes, **_codes(item=item)}, "text"))

    performance = facts.get("performance_targets")
    if performance and performance.get("amount") is not None:
        codes = _codes(operation="expenditure", indicator="PERFORMANCE_FUNDS", item="_T", phase=phase, **whole)
        out.append(Expected("performance.amount", performance["amount"], performance["unit"], codes, "text",
                            None, _evidence(performance)))
    return out


@dataclass
class Score:
    expected: list[Expected]
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: (expectation, fact key, printed value) of facts that describe an expectation with another value.
    wrong: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.expected) if self.expected else 1.0

    def summary(self, name: str) -> str:
        return (f"{name}: recall {len(self.found)}/{len(self.expected)} = {self.recall:.0%}; "
                f"wrong {len(self.wrong)} {self.wrong}; missing {self.missing}")


def score(facts: Iterable[AmountFact], expected: list[Expected]) -> Score:
    facts = list(facts)
    result = Score(expected)
    for exp in expected:
        found = any(exp.describes(fact) and exp.agrees(fact) for fact in facts)
        (result.found if found else result.missing).append(exp.name)
        result.wrong += [(exp.name, fact.key, fact.amount.printed) for fact in facts
                         if exp.describes(fact, anywhere=True) and not exp.agrees(fact)]
    return result
