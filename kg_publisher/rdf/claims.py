"""Claims the text makes — year-over-year changes, counts, ratios, the budget-unit composition —
kept apart from the amounts so validation can recompute them."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..iris import code
from ..records.lexicon import DIRECTION_OF_WORD
from ..records.model import ChangeStatement, CountStatement, RatioStatement
from ..vocab import BGT, SDMX_ATTR, YEAR
from .context import MappingContext, canonical_decimal, zh
from .provenance import derive


def add_change(ctx: MappingContext, change: ChangeStatement) -> None:
    g, claim = ctx.graph, ctx.claim(change.key)
    g.add((claim, RDF.type, BGT.ChangeStatement))
    g.add((claim, RDFS.label, zh(change.span.text)))  # the claim as printed
    g.add((claim, DCTERMS.isPartOf, ctx.dataset))
    g.add((claim, BGT.about, ctx.obs(change.about)))
    if change.compared_year is not None:
        g.add((claim, BGT.comparedWithYear, YEAR[str(change.compared_year)]))
    if change.change is not None:
        g.add((claim, BGT.reportedChange, canonical_decimal(change.change.value)))
        g.add((claim, BGT.reportedChangeInYuan, canonical_decimal(change.change.yuan)))
        g.add((claim, BGT.reportedChangeDecimals, Literal(change.change.decimals)))
        g.add((claim, SDMX_ATTR.unitMult, Literal(change.change.unit_multiplier)))
        g.add((claim, BGT.printedValue, Literal(change.change.printed)))
        g.add((claim, BGT.printedUnit, Literal(change.change.unit)))
    if change.percent is not None:
        g.add((claim, BGT.reportedChangePercent, canonical_decimal(change.percent.value)))
        g.add((claim, BGT.reportedPercentDecimals, Literal(change.percent.decimals)))
        g.add((claim, BGT.printedPercent, Literal(change.percent.printed)))
    for word in change.amount_direction_words:
        g.add((claim, BGT.amountDirectionWord, zh(word)))
    for word in change.percent_direction_words:
        g.add((claim, BGT.percentDirectionWord, zh(word)))
    for word in (*change.amount_direction_words, *change.percent_direction_words):
        if word in DIRECTION_OF_WORD:
            g.add((claim, BGT.reportedDirection, code("direction", DIRECTION_OF_WORD[word])))
    if change.reason:
        g.add((claim, BGT.reason, zh(change.reason)))
    if change.base is not None:
        g.add((claim, BGT.comparedWithAmountInYuan, canonical_decimal(change.base.yuan)))
        g.add((claim, BGT.comparedWithAmountDecimals, Literal(change.base.decimals)))
        derive(ctx, claim, change.base_span or change.span)
    derive(ctx, claim, change.span)
    if change.reason_span is not None:
        derive(ctx, claim, change.reason_span)


def add_count(ctx: MappingContext, count: CountStatement) -> None:
    g, claim = ctx.graph, ctx.claim(count.key)
    g.add((claim, RDF.type, BGT.CountStatement))
    g.add((claim, RDFS.label, zh(count.span.text)))  # the claim as printed
    g.add((claim, DCTERMS.isPartOf, ctx.dataset))
    g.add((claim, BGT.claimSubject, ctx.organization))
    g.add((claim, BGT.countKind, code("count-kind", count.what)))
    g.add((claim, BGT.statedCount, Literal(count.value, datatype=XSD.integer)))
    if count.part_of is not None:
        g.add((claim, BGT.countPartOf, ctx.claim(count.part_of)))
    derive(ctx, claim, count.span)


def _operand(ctx: MappingContext, key: str) -> URIRef:
    """Ratios are stated over counts or amounts: a fact key names an observation, else a claim."""
    if any(fact.key == key for fact in ctx.disclosure.facts):
        return ctx.obs(key)
    return ctx.claim(key)


def add_ratio(ctx: MappingContext, ratio: RatioStatement) -> None:
    g, claim = ctx.graph, ctx.claim(ratio.key)
    g.add((claim, RDF.type, BGT.RatioStatement))
    g.add((claim, RDFS.label, zh(ratio.span.text)))  # the claim as printed
    g.add((claim, DCTERMS.isPartOf, ctx.dataset))
    g.add((claim, BGT.claimSubject, ctx.organization))
    g.add((claim, BGT.ratioKind, code("ratio-kind", ratio.what)))
    g.add((claim, BGT.numerator, _operand(ctx, ratio.numerator)))
    g.add((claim, BGT.denominator, _operand(ctx, ratio.denominator)))
    g.add((claim, BGT.reportedPercent, canonical_decimal(ratio.percent.value)))
    g.add((claim, BGT.reportedPercentDecimals, Literal(ratio.percent.decimals)))
    g.add((claim, BGT.printedPercent, Literal(ratio.percent.printed)))
    derive(ctx, claim, ratio.span)


def add_composition(ctx: MappingContext) -> None:
    composition = ctx.disclosure.composition
    if composition is None:
        return
    g, claim = ctx.graph, ctx.claim("budget-unit-composition")
    g.add((claim, RDF.type, BGT.BudgetUnitComposition))
    g.add((claim, DCTERMS.isPartOf, ctx.dataset))
    g.add((claim, BGT.claimSubject, ctx.organization))
    g.add((claim, BGT.noSubordinateUnitsStated, Literal(composition.none_stated)))
    for name in composition.units:
        g.add((claim, BGT.budgetUnitName, zh(name)))
    derive(ctx, claim, composition.span)


def add_claims(ctx: MappingContext) -> None:
    for change in ctx.disclosure.changes:
        add_change(ctx, change)
    for count in ctx.disclosure.counts:
        add_count(ctx, count)
    for ratio in ctx.disclosure.ratios:
        add_ratio(ctx, ratio)
    add_composition(ctx)
