"""Typed records of a budget disclosure, each with its source span (see :mod:`.model`)."""

from .model import (
    Amount,
    AmountFact,
    BudgetUnitComposition,
    ChangeStatement,
    CountStatement,
    Disclosure,
    DisclosureInfo,
    Duty,
    GlossaryTerm,
    InternalUnit,
    OrgMention,
    Percent,
    RatioStatement,
    Section,
    TextDefect,
    UnparsedSpan,
)

__all__ = [
    "Amount",
    "AmountFact",
    "BudgetUnitComposition",
    "ChangeStatement",
    "CountStatement",
    "Disclosure",
    "DisclosureInfo",
    "Duty",
    "GlossaryTerm",
    "InternalUnit",
    "OrgMention",
    "Percent",
    "RatioStatement",
    "Section",
    "TextDefect",
    "UnparsedSpan",
]
