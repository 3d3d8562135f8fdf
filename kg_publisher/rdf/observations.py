"""Printed money figures → ``qb:Observation``s in normalised form (every dimension and required
attribute on each observation): each amount exactly as printed (``obeu-measure:amount`` in the printed unit,
``sdmx-attribute:unitMult``) and in yuan (``bgt:amountInYuan``), so amounts of any table or document add up;
a figure printed in several places is one figure, its later printings marked ``bgt:reprintOf`` the first."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..iris import IriMinter, code, code_scheme, short_hash
from ..records.lexicon import english_name
from ..records.model import AmountFact, NoneStatement
from ..records.repeats import first_printings
from ..vocab import BGT, CNY, OBEU_ATTR, OBEU_DIM, OBEU_MEASURE, OBEU_PHASE, QB, SDMX_ATTR, YEAR
from .context import MappingContext, canonical_decimal, en, literal, zh
from .provenance import derive

#: Codes that are not classification codes but the SDMX total / not-applicable codes.
SDMX_SPECIAL = {"_T": "合计", "_Z": "不适用"}


def economic_code(year: int, notation: str) -> URIRef:
    return code(f"econ-dept-{year}", notation)


def functional_code(year: int, notation: str) -> URIRef:
    return code(f"func-{year}", notation)


def classification_concept(ctx: MappingContext, concept: URIRef, notation: str) -> URIRef:
    """State the notation inside the disclosure graph so nothing depends on the shared schemes."""
    ctx.graph.add((concept, SKOS.notation, literal(notation)))
    return concept


def add_dimensions(ctx: MappingContext, subject: URIRef, *, operation: str, indicator: str, fund_source: str,
                   expenditure_type: str, economic: str, functional: str, item: str, phase: str,
                   context: str, label: str = "") -> None:
    """The dimension values of an observation (also used for none-stated claims)."""
    g, year = ctx.graph, ctx.year
    g.add((subject, OBEU_DIM.organization, ctx.organization))
    g.add((subject, OBEU_DIM.fiscalYear, YEAR[str(year)]))
    g.add((subject, OBEU_DIM.budgetPhase, OBEU_PHASE[phase]))
    g.add((subject, BGT.operationCharacter, code("operation", operation)))
    g.add((subject, BGT.indicator, code("indicator", indicator)))
    g.add((subject, BGT.fundSource, code("fund-source", fund_source)))
    g.add((subject, BGT.expenditureType, code("expenditure-type", expenditure_type)))
    g.add((subject, BGT.economicClassification,
           classification_concept(ctx, economic_code(year, economic), economic)))
    g.add((subject, BGT.functionalClassification,
           classification_concept(ctx, functional_code(year, functional), functional)))
    g.add((subject, BGT.item, line_item(ctx, item, label) if item.startswith("line-") else code("item", item)))
    g.add((subject, BGT.reportingContext, ctx.section(context)))


def line_item(ctx: MappingContext, notation: str, label: str) -> URIRef:
    """A printed line with no code (新搬迁政务服务大厅办公设备购置费) is a concept of this disclosure, named by
    its label, and extends the item code list (qb IC-19: every dimension value is a code of its list)."""
    g = ctx.graph
    concept = IriMinter.part(ctx.dataset, "item", short_hash(label))
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.inScheme, code_scheme("item")))
    g.add((concept, SKOS.prefLabel, zh(label)))
    english = english_name(label)
    if english:
        g.add((concept, SKOS.prefLabel, en(english)))
    g.add((concept, SKOS.notation, Literal(notation)))  # its printed position in its list
    g.add((concept, DCTERMS.isPartOf, ctx.dataset))
    return concept


def add_observation(ctx: MappingContext, fact: AmountFact, totals: set[str], first_printing: str | None) -> None:
    g, obs = ctx.graph, ctx.obs(fact.key)
    g.add((obs, RDF.type, QB.Observation))
    g.add((obs, QB.dataSet, ctx.dataset))
    add_dimensions(ctx, obs, operation=fact.operation, indicator=fact.indicator, fund_source=fact.fund_source,
                   expenditure_type=fact.expenditure_type, economic=fact.economic, functional=fact.functional,
                   item=fact.item, phase=fact.phase, context=fact.context, label=fact.label)
    g.add((obs, OBEU_MEASURE.amount, canonical_decimal(fact.amount.value)))
    g.add((obs, BGT.amountInYuan, canonical_decimal(fact.amount.yuan)))
    g.add((obs, OBEU_ATTR.currency, CNY))
    g.add((obs, SDMX_ATTR.unitMult, literal(fact.amount.unit_multiplier)))
    g.add((obs, SDMX_ATTR.decimals, literal(fact.amount.decimals)))
    g.add((obs, BGT.printedValue, literal(fact.amount.printed)))
    g.add((obs, BGT.printedUnit, literal(fact.amount.unit)))
    g.add((obs, BGT.printedLabel, zh(fact.label)))
    # A reader-facing name: the item and the figure as printed ("基本支出 623.44万元").
    g.add((obs, RDFS.label, zh(f"{fact.label} {fact.amount.printed}{fact.amount.unit}")))
    if fact.part_of is not None:
        g.add((obs, BGT.partOf, ctx.obs(fact.part_of)))
    if first_printing is not None:
        g.add((obs, BGT.reprintOf, ctx.obs(first_printing)))
    if fact.key in totals:
        g.add((obs, BGT.breakdownComplete, literal(fact.breakdown_complete)))
    if fact.as_of is not None:
        g.add((obs, BGT.asOf, literal(fact.as_of, XSD.date)))
    derive(ctx, obs, fact.span)


def add_observations(ctx: MappingContext) -> None:
    # A part_of naming no fact still becomes a link: the shapes report it (bad records are a result).
    facts = ctx.disclosure.facts
    totals = {fact.part_of for fact in facts if fact.part_of is not None}
    reprints = first_printings(facts)
    for fact in facts:
        add_observation(ctx, fact, totals, reprints.get(fact.key))


def add_none_statement(ctx: MappingContext, statement: NoneStatement) -> None:
    """"无……" statements: a claim carrying the dimensions of what is absent, never an amount of 0."""
    g, claim = ctx.graph, ctx.claim(statement.key)
    g.add((claim, RDF.type, BGT.NoneStatement))
    g.add((claim, DCTERMS.isPartOf, ctx.dataset))
    add_dimensions(ctx, claim, operation=statement.operation, indicator=statement.indicator,
                   fund_source=statement.fund_source, expenditure_type="_T", economic="_T", functional="_T",
                   item="_T", phase=statement.phase, context=statement.context)
    derive(ctx, claim, statement.span)
