"""What the text says about itself: its glossary (SKOS), the places it names the department,
its own faults, and stretches the extractor could not read."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..codelists import english_path, match_glossary_term
from ..iris import IriMinter, check_key, code
from ..records.lexicon import english_name
from ..records.model import UnparsedSpan
from ..vocab import BGT
from .context import MappingContext, en, zh
from .observations import classification_concept, functional_code
from .provenance import derive


def add_glossary(ctx: MappingContext) -> None:
    d, g = ctx.disclosure, ctx.graph
    if not d.glossary:
        return
    scheme = IriMinter.scheme(ctx.dataset, "glossary")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, zh(f"名词解释（{ctx.org.name}{d.info.year}年）")))
    g.add((scheme, SKOS.prefLabel, en(f"Glossary of {ctx.org.name} ({d.info.year})")))
    g.add((scheme, DCTERMS.source, ctx.source))
    g.add((scheme, DCTERMS.isPartOf, ctx.dataset))
    for number, term in enumerate(d.glossary, start=1):
        try:
            key = check_key(term.notation)
        except ValueError:
            key = str(number)
        iri = IriMinter.part(ctx.dataset, "glossary", key)
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, RDF.type, BGT.GlossaryTerm))
        g.add((iri, SKOS.inScheme, scheme))
        g.add((iri, SKOS.notation, Literal(term.notation)))
        g.add((iri, SKOS.prefLabel, zh(term.term)))
        g.add((iri, SKOS.definition, zh(term.definition)))
        # A term naming a classification item (住房保障（类）住房改革（款）住房公积金（项）) is that item.
        item = match_glossary_term(term.term, d.info.year)
        if item is not None:
            g.add((iri, SKOS.exactMatch, classification_concept(ctx, functional_code(d.info.year, item), item)))
        # its English name (the definition stays as printed): the classification item's, else the lexicon's
        english = (english_path(item, d.info.year) if item is not None else None) or english_name(term.term)
        if english:
            g.add((iri, SKOS.prefLabel, en(english)))
        derive(ctx, iri, term.span)


def add_mentions(ctx: MappingContext) -> None:
    g = ctx.graph
    for number, mention in enumerate(ctx.disclosure.mentions, start=1):
        iri = IriMinter.part(ctx.dataset, "mention", str(number))
        g.add((iri, RDF.type, BGT.OrganizationMention))
        g.add((iri, DCTERMS.isPartOf, ctx.dataset))
        g.add((iri, BGT.mentionedName, zh(mention.name)))
        g.add((iri, BGT.reportingContext, ctx.section(mention.context)))
        derive(ctx, iri, mention.span)


def add_defects(ctx: MappingContext) -> None:
    g = ctx.graph
    for number, defect in enumerate(ctx.disclosure.defects, start=1):
        iri = IriMinter.part(ctx.dataset, "defect", str(number))
        g.add((iri, RDF.type, BGT.TextDefect))
        g.add((iri, DCTERMS.isPartOf, ctx.dataset))
        g.add((iri, BGT.defectKind, code("defect-kind", defect.kind)))
        g.add((iri, RDFS.comment, en(defect.message)))  # our explanation, quoting the text
        derive(ctx, iri, defect.span)


def add_unparsed(ctx: MappingContext) -> None:
    """One node per section holding text that could not be read: derived from the stretch from its first to
    its last unread passage, its comment counting the passages and saying why (the records keep each one)."""
    g = ctx.graph
    by_section: dict[str, list[UnparsedSpan]] = {}
    for item in ctx.disclosure.unparsed:
        by_section.setdefault(item.context, []).append(item)
    for number, (context, items) in enumerate(by_section.items(), start=1):
        iri = IriMinter.part(ctx.dataset, "unparsed", str(number))
        g.add((iri, RDF.type, BGT.UnparsedText))
        g.add((iri, DCTERMS.isPartOf, ctx.dataset))
        reasons = sorted({item.reason for item in items})
        said = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} other reason(s)" if len(reasons) > 3 else "")
        unread = sum(item.span.end - item.span.start for item in items)
        g.add((iri, RDFS.comment, en(f"{len(items)} passage(s), {unread} characters, not read: {said}"
                                     if len(items) > 1 else items[0].reason)))
        g.add((iri, BGT.reportingContext, ctx.section(context)))
        start, end = min(i.span.start for i in items), max(i.span.end for i in items)
        derive(ctx, iri, ctx.disclosure.source.span(start, end))
