"""Cross-year checks: a disclosure's statements about the year before, against that year's own disclosure.

"财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元" implies 15,621.11万元 for 2024; when the 2024 disclosure of
the same department is at hand, its own figure with the same codes either agrees (within the rounding of the
coarser printing) or not. A 持平 statement implies the same figure. Each comparison is kept as data
(:class:`CrossYearCheck`), agreements as well as disagreements; only statements whose figure, change and
direction were all read are compared.

The build compares documents at release time, when it knows which years are present, from each document's
:class:`YearFigures`: the little of its records a comparison needs (kept in the build's cache beside the
graph, as JSON), never from whole graphs.

>>> from decimal import Decimal
>>> implied_prior(Decimal("18976.76"), Decimal("3355.65"), "INCREASE")
Decimal('15621.11')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .lexicon import DIRECTION_OF_WORD
from .model import Amount, AmountFact, ChangeStatement, Disclosure

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
    #: The earlier figure in yuan, and how far apart the two may be for the rounding of the three printings.
    prior_yuan: Decimal = Decimal(0)
    tolerance_yuan: Decimal = Decimal(0)
    #: The statement as printed.
    said: str = ""


@dataclass(frozen=True)
class Figure:
    """A printed figure reduced to what a comparison needs: its key, its codes (see :data:`_CODES`), its amount."""

    key: str
    codes: tuple[str, ...]
    amount: Amount


@dataclass(frozen=True)
class PriorYearStatement:
    """A statement that ``figure`` changed from ``compared_year`` in ``direction`` by ``change``."""

    claim: str
    figure: Figure
    compared_year: int
    direction: str
    change: Amount | None
    #: The statement as printed (its span's text, lines joined).
    said: str = ""


@dataclass(frozen=True)
class YearFigures:
    """One disclosure for cross-year checks: its year, the first printing of each figure (prose before tables:
    what the year's own disclosure says the figure is), and its statements about an earlier year."""

    year: int
    figures: tuple[Figure, ...]
    statements: tuple[PriorYearStatement, ...]

    @classmethod
    def of(cls, disclosure: Disclosure) -> YearFigures:
        first: dict[tuple[str, ...], AmountFact] = {}
        for printed in sorted(disclosure.facts, key=lambda f: (f.context.startswith("table"), f.span.start)):
            first.setdefault(_codes(printed), printed)
        facts = {fact.key: fact for fact in disclosure.facts}
        statements = []
        for claim in disclosure.changes:
            fact, direction = facts.get(claim.about), _direction(claim)
            if fact is None or claim.compared_year is None or direction is None:
                continue
            if direction != "NO_CHANGE" and claim.change is None:
                continue
            statements.append(PriorYearStatement(claim.key, _figure(fact), claim.compared_year, direction,
                                                 claim.change if direction != "NO_CHANGE" else None,
                                                 "".join(claim.span.text.split())))
        return cls(disclosure.info.year, tuple(_figure(fact) for fact in first.values()), tuple(statements))

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON (amounts as printed, so reading it back gives the same figures to the digit)."""
        return {"year": self.year, "figures": [_figure_json(f) for f in self.figures],
                "statements": [[s.claim, _figure_json(s.figure), s.compared_year, s.direction,
                                None if s.change is None else [s.change.printed, s.change.unit], s.said]
                               for s in self.statements]}

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> YearFigures:
        return cls(int(data["year"]), tuple(_figure_of(row) for row in data["figures"]),
                   tuple(PriorYearStatement(claim, _figure_of(figure), int(year), direction,
                                            None if change is None else Amount.parse(*change), said)
                         for claim, figure, year, direction, change, said in data["statements"]))


def implied_prior(current: Decimal, change: Decimal, direction: str) -> Decimal:
    """The earlier year's figure a stated change implies (same unit as ``current``)."""
    return current - change if direction == "INCREASE" else current + change if direction == "DECREASE" else current


def compare(current: YearFigures, prior: YearFigures) -> list[CrossYearCheck]:
    """Every statement of ``current`` about ``prior``'s year whose implied figure ``prior`` prints (the caller
    makes sure both are of the same department and kind)."""
    if prior.year != current.year - 1:
        return []
    printed = {figure.codes: figure for figure in prior.figures}
    checks = []
    for statement in current.statements:
        earlier = printed.get(statement.figure.codes)
        if statement.compared_year != prior.year or earlier is None:
            continue
        amount, change = statement.figure.amount, statement.change
        implied = implied_prior(amount.yuan, abs(change.yuan) if change else Decimal(0), statement.direction)
        tolerance = _half_unit(amount) + (_half_unit(change) if change else 0) + _half_unit(earlier.amount)
        prior_yuan = earlier.amount.yuan
        checks.append(CrossYearCheck(statement.claim, statement.figure.key, implied, earlier.key,
                                     f"{earlier.amount.printed}{earlier.amount.unit}",
                                     abs(implied - prior_yuan) <= tolerance, prior_yuan, tolerance, statement.said))
    return checks


def compare_years(current: Disclosure, prior: Disclosure) -> list[CrossYearCheck]:
    """Every claim of ``current`` about ``prior``'s year whose implied figure ``prior`` prints."""
    if prior.info.department != current.info.department:
        return []
    return compare(YearFigures.of(current), YearFigures.of(prior))


def _codes(fact: AmountFact) -> tuple[str, ...]:
    return tuple(getattr(fact, code) for code in _CODES)


def _figure(fact: AmountFact) -> Figure:
    return Figure(fact.key, _codes(fact), fact.amount)


def _figure_json(figure: Figure) -> list[Any]:
    return [figure.key, list(figure.codes), figure.amount.printed, figure.amount.unit]


def _figure_of(row: list[Any]) -> Figure:
    key, codes, printed, unit = row
    return Figure(str(key), tuple(str(c) for c in codes), Amount.parse(str(printed), str(unit)))


def _half_unit(amount: Amount) -> Decimal:
    return Decimal(5).scaleb(amount.unit_multiplier - amount.decimals - 1)


def _direction(change: ChangeStatement) -> str | None:
    words = (*change.amount_direction_words, *change.percent_direction_words)
    kinds = {DIRECTION_OF_WORD[word] for word in words if word in DIRECTION_OF_WORD}
    return kinds.pop() if len(kinds) == 1 else None
