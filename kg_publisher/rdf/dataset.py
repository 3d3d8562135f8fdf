"""The disclosure as a ``dcat:Dataset`` that is also the ``qb:DataSet`` of its amounts, and its sections."""

from __future__ import annotations

from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..records.lexicon import PHASE_OF_KIND
from ..vocab import BGT, EU_LANG, OBEU_DIM, OBEU_PHASE, QB, YEAR
from .context import MappingContext, en, zh
from .provenance import derive

#: The data structure definition every disclosure's amounts follow (ontology/budget.ttl).
AMOUNTS_DSD = BGT["dsd-disclosure-amounts"]
KIND_NAMES = {"budget": ("部门预算", "departmental budget"), "final": ("部门决算", "departmental final accounts")}
INTERVAL_YEAR = URIRef("http://reference.data.gov.uk/def/intervals/Year")


def add_dataset(ctx: MappingContext, activity: URIRef) -> None:
    g, ds, info = ctx.graph, ctx.dataset, ctx.disclosure.info
    zh_kind, en_kind = KIND_NAMES[info.kind]
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, QB.DataSet))
    g.add((ds, DCTERMS.title, zh(f"{ctx.org.name}{info.year}年{zh_kind}")))
    g.add((ds, DCTERMS.title, en(f"{ctx.org.name}: {en_kind} {info.year}")))
    g.add((ds, DCTERMS.description, zh(f"{info.title}（公开文本中的金额、声明、职责与名词解释）")))
    g.add((ds, DCTERMS.description, en(f"Amounts, claims, duties and glossary read from the {en_kind} "
                                       f"{info.year} of {ctx.org.name}.")))
    g.add((ds, DCTERMS.publisher, ctx.organization))
    g.add((ds, DCTERMS.language, EU_LANG.ZHO))
    g.add((ds, DCTERMS.source, ctx.source))
    g.add((ds, PROV.wasDerivedFrom, ctx.source))
    g.add((ds, PROV.wasGeneratedBy, activity))
    g.add((ds, QB.structure, AMOUNTS_DSD))
    g.add((ds, OBEU_DIM.fiscalYear, YEAR[str(info.year)]))
    g.add((ds, OBEU_DIM.budgetPhase, OBEU_PHASE[PHASE_OF_KIND[info.kind]]))
    g.add((ds, OBEU_DIM.organization, ctx.organization))
    g.add((ds, BGT.printedTitle, zh(info.title)))
    derive(ctx, ds, info.title_span)
    period = ctx.minter.period(info.year)
    g.add((ds, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(date(info.year, 1, 1), datatype=XSD.date)))
    g.add((period, DCAT.endDate, Literal(date(info.year, 12, 31), datatype=XSD.date)))
    year = YEAR[str(info.year)]
    g.add((year, RDF.type, INTERVAL_YEAR))
    g.add((year, RDFS.label, Literal(str(info.year))))


def add_sections(ctx: MappingContext) -> None:
    """Sections the parser found, plus any section code a record names without a section record."""
    g = ctx.graph
    for section in ctx.disclosure.sections:
        iri = ctx.section(section.code)
        g.add((iri, RDF.type, BGT.Section))
        g.add((iri, SKOS.notation, Literal(section.code)))
        g.add((iri, RDFS.label, zh(section.heading)))
        g.add((iri, BGT.sectionMeaning, Literal(section.meaning)))
        g.add((iri, BGT.sectionLevel, Literal(section.level)))
        g.add((iri, DCTERMS.isPartOf, ctx.dataset))
        derive(ctx, iri, section.span)
    known = {section.code for section in ctx.disclosure.sections}
    named = [fact.context for fact in ctx.disclosure.facts]
    named += [mention.context for mention in ctx.disclosure.mentions]
    named += [item.context for item in ctx.disclosure.unparsed]
    named += [item.context for item in ctx.disclosure.none_stated]
    for code in sorted(set(named) - known):
        iri = ctx.section(code)
        g.add((iri, RDF.type, BGT.Section))
        g.add((iri, SKOS.notation, Literal(code)))
        g.add((iri, DCTERMS.isPartOf, ctx.dataset))
