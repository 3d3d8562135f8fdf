"""The same figure printed twice in one place.

An observation is identified by its dimension values (qb IC-12: no two observations of a data set
share them all). When a section prints the same figure twice ("…支出2940.05万元 … 支出决算为2940.05万元"),
the first printing is the observation and the repeat adds nothing; when the repeat carries another
value, the source contradicts itself: the first value is kept and the repeat becomes a
``inconsistent-repeat`` text defect, so the report shows it and nothing is silently chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .model import AmountFact, TextDefect


def figure_key(fact: AmountFact) -> tuple[object, ...]:
    """What a figure is, wherever it is printed: every dimension value but the reporting context."""
    return (fact.operation, fact.indicator, fact.fund_source, fact.expenditure_type, fact.economic,
            fact.functional, fact.item, fact.phase, fact.as_of)


def dimension_key(fact: AmountFact) -> tuple[object, ...]:
    """What identifies an observation (qb IC-12): the figure and the place it is printed in."""
    return (*figure_key(fact), fact.context)


def first_printings(facts: Iterable[AmountFact]) -> dict[str, str]:
    """Map each figure printed again in another table or section to the key of its first printing.

    One figure (支出合计 of a 类) is often printed in three tables; each printing stays an observation (its
    place is a dimension and its span is evidence), but a sum over figures must count it once. The first
    printing in reading order is the figure; the later ones are marked as reprints of it.
    """
    first: dict[tuple[object, ...], AmountFact] = {}
    reprints: dict[str, str] = {}
    for fact in sorted(facts, key=lambda f: (f.span.start, f.key)):
        earlier = first.setdefault(figure_key(fact), fact)
        if earlier is not fact:
            reprints[fact.key] = earlier.key
    return reprints


def drop_repeats(facts: Iterable[AmountFact]) -> tuple[list[AmountFact], list[TextDefect], dict[str, str]]:
    """Keep the first fact of each dimension key; a repeat with another value becomes a defect.

    Returns the kept facts, the defects, and a map from each dropped key to the key it repeats (claims
    about a dropped figure follow it).
    """
    first: dict[tuple[object, ...], AmountFact] = {}
    kept: list[AmountFact] = []
    defects: list[TextDefect] = []
    dropped: dict[str, str] = {}
    for fact in facts:
        key = dimension_key(fact)
        earlier = first.get(key)
        if earlier is None:
            first[key] = fact
            kept.append(fact)
            continue
        dropped[fact.key] = earlier.key
        if earlier.amount.yuan != fact.amount.yuan:
            defects.append(TextDefect(
                "inconsistent-repeat", fact.span,
                f"the same figure is printed as {earlier.amount.printed}{earlier.amount.unit} "
                f"({earlier.span.text!r}, at {earlier.span.start}) and as {fact.amount.printed}{fact.amount.unit} "
                "in the same section"))
    # Parts of a dropped repeat now belong to the figure it repeats.
    kept = [_relink(fact, dropped) for fact in kept]
    return kept, defects, dropped


def _relink(fact: AmountFact, dropped: dict[str, str]) -> AmountFact:
    if fact.part_of in dropped:
        return replace(fact, part_of=dropped[fact.part_of])
    return fact
