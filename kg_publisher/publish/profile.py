"""A department across its disclosures: each one's headline figures side by side, by year, the change from the
previous disclosure of the same kind, and for a year with both its budget (预算) and final accounts (决算), the
execution rate (决算 / 预算)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from .overview import HEADLINES, Headline, Overview, dataset_overview

if TYPE_CHECKING:
    from .triples import Triples


@dataclass(frozen=True)
class Disclosure:
    key: str
    dataset: str
    title: str
    year: int
    kind: str
    overview: Overview


@dataclass(frozen=True)
class ProfileRow:
    headline: Headline
    #: One amount in yuan per disclosure (None: the disclosure does not print it), in :attr:`Profile.disclosures`
    #: order.
    amounts: list[Decimal | None]
    #: Per cent change from the previous disclosure of the same kind, one decimal (None: nothing to compare).
    changes: list[Decimal | None]


@dataclass(frozen=True)
class Execution:
    """预算 and 决算 of one year: how much of the approved budget was spent."""

    year: int
    headline: Headline
    budget: Decimal
    final: Decimal

    @property
    def rate(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.final * 100 / self.budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Profile:
    disclosures: list[Disclosure]
    rows: list[ProfileRow]
    execution: list[Execution]


def percent_change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """``after`` against ``before`` in per cent, one decimal; None when either is missing or ``before`` is 0.

    >>> percent_change(Decimal("29400500"), Decimal("31214200"))
    Decimal('6.2')
    """
    if before is None or after is None or not before:
        return None
    return ((after - before) * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def profile(disclosures: Iterable[Disclosure]) -> Profile:
    ordered = sorted(disclosures, key=lambda d: (d.year, d.kind))
    rows = []
    for headline in HEADLINES:
        amounts = [(line.yuan if (line := d.overview.headline(headline.key)) is not None else None) for d in ordered]
        if all(amount is None for amount in amounts):
            continue
        changes: list[Decimal | None] = []
        previous: dict[str, Decimal | None] = {}
        for disclosure, amount in zip(ordered, amounts, strict=True):
            changes.append(percent_change(previous.get(disclosure.kind), amount))
            previous[disclosure.kind] = amount
        rows.append(ProfileRow(headline, amounts, changes))
    execution = []
    by_year: dict[int, dict[str, Disclosure]] = {}
    for disclosure in ordered:
        by_year.setdefault(disclosure.year, {})[disclosure.kind] = disclosure
    for year, kinds in sorted(by_year.items()):
        if "budget" in kinds and "final" in kinds:
            for headline in HEADLINES:
                approved, spent = (kinds[k].overview.headline(headline.key) for k in ("budget", "final"))
                if approved is not None and spent is not None:
                    execution.append(Execution(year, headline, approved.yuan, spent.yuan))
    return Profile(ordered, rows, execution)


def department_profile(store: Triples, datasets: Iterable[Mapping[str, Any]]) -> Profile:
    """The profile of a department from its manifest ``datasets`` rows, every one of them (no cap)."""
    return profile(Disclosure(row["key"], row["dataset"], row["title"], int(row["year"]), row["kind"],
                              dataset_overview(store, row["dataset"])) for row in datasets)
