"""Cross-year checks: a disclosure's statements about the year before, against that year's own disclosure.

"财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元" implies 15,621.11万元 for 2024; when the 2024 disclosure of
the same department is at hand, its own figure with the same codes either agrees (within the rounding of the
coarser printing) or not. A 持平 statement implies the same figure. Each comparison is kept as data
(:class:`CrossYearCheck`), agreements as well as disagreements; only statements whose figure, change and
direction were all read are compared.

>>> from decimal import Decimal
>>> implied_prior(Decimal("18976.76"), Decimal("3355.65"), "INCREASE")
Decimal('15621.11')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import Amount, AmountFact, ChangeStatement, Disclosure

_UP = {"增加", "增长", "上升", "提高"}
_DOWN = {"减少", "下降", "降低"}
_FLAT = {"持平", "不变", "一致"}
#: The codes that make two years' figures the same figure.
_CODES = ("operation", "indicator", "fund_source", "expenditure_type", "functional", "economic", "item", "phase")


@dataclass(frozen=True)
class CrossYearCheck:
    #: Key of the claim in the later disclosure, and of the figure it is about.
    claim: str
    about: str
    #: What the claim implies for the earlier year, in yuan.
    implied_yuan: Decimal
    #: Key and printing of the earlier disclosure's own figure.
    prior: str
    prior_printed: str
    agrees: bool


def implied_prior(current: Decimal, change: Decimal, direction: str) -> Decimal:
    """The earlier year's figure a stated change implies (same unit as ``current``)."""
    return current - change if direction == "INCREASE" else current + change if direction == "DECREASE" else current


def _yuan(amount: Amount) -> Decimal:
    return amount.value.scaleb(amount.unit_multiplier)


def _half_unit(amount: Amount) -> Decimal:
    return Decimal(5).scaleb(amount.unit_multiplier - amount.decimals - 1)


def _direction(change: ChangeStatement) -> str | None:
    words = set(change.amount_direction_words) | set(change.percent_direction_words)
    kinds = {kind for kind, vocabulary in (("INCREASE", _UP), ("DECREASE", _DOWN), ("NO_CHANGE", _FLAT))
             if words & vocabulary}
    return kinds.pop() if len(kinds) == 1 else None


def _counterpart(fact: AmountFact, prior: Disclosure) -> AmountFact | None:
    """The earlier disclosure's first printing of the same figure, prose before tables."""
    same = [f for f in prior.facts if all(getattr(f, code) == getattr(fact, code) for code in _CODES)]
    same.sort(key=lambda f: (f.context.startswith("table"), f.span.start))
    return same[0] if same else None


def compare_years(current: Disclosure, prior: Disclosure) -> list[CrossYearCheck]:
    """Every claim of ``current`` about ``prior``'s year whose implied figure ``prior`` prints."""
    if prior.info.year != current.info.year - 1 or prior.info.department != current.info.department:
        return []
    facts = {fact.key: fact for fact in current.facts}
    checks = []
    for claim in current.changes:
        fact = facts.get(claim.about)
        direction = _direction(claim)
        if fact is None or claim.compared_year != prior.info.year or direction is None:
            continue
        if direction != "NO_CHANGE" and claim.change is None:
            continue
        change = _yuan(claim.change) if claim.change is not None and direction != "NO_CHANGE" else Decimal(0)
        implied = implied_prior(_yuan(fact.amount), abs(change), direction)
        earlier = _counterpart(fact, prior)
        if earlier is None:
            continue
        tolerance = _half_unit(fact.amount) + (_half_unit(claim.change) if claim.change and change else 0) \
            + _half_unit(earlier.amount)
        checks.append(CrossYearCheck(claim.key, fact.key, implied, earlier.key,
                                     f"{earlier.amount.printed}{earlier.amount.unit}",
                                     abs(implied - _yuan(earlier.amount)) <= tolerance))
    return checks
