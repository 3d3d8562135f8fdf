"""Provenance: the source document pinned by its checksum, text spans as Web Annotation resources,
and the extraction activity with its software agent."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, XSD

from ..extract.source import Span
from ..vocab import EU_LANG, IANA_MEDIA, OA, SPDX
from .context import MappingContext, en, literal, zh

#: Characters of context kept before/after a quote (enough to make the quote unique in practice).
QUOTE_CONTEXT = 12
RFC3778 = URIRef("http://tools.ietf.org/rfc/rfc3778")


def add_source(ctx: MappingContext) -> None:
    g, src, text = ctx.graph, ctx.source, ctx.disclosure.source
    checksum = ctx.minter.checksum(text.sha256)
    g.add((src, RDF.type, FOAF.Document))
    g.add((src, RDF.type, PROV.Entity))
    g.add((src, RDFS.label, Literal(text.name)))
    g.add((src, DCAT.mediaType, IANA_MEDIA[text.media_type]))
    g.add((src, DCAT.byteSize, Literal(text.byte_size, datatype=XSD.nonNegativeInteger)))
    g.add((src, DCTERMS.language, EU_LANG.ZHO))
    g.add((src, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(text.sha256, datatype=XSD.hexBinary)))


def add_activity(ctx: MappingContext, agent_version: str) -> URIRef:
    g = ctx.graph
    activity = ctx.minter.activity(ctx.dataset)
    agent = ctx.minter.agent(agent_version)
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, zh(f"从 {ctx.disclosure.source.name} 抽取数据")))
    g.add((activity, RDFS.label, en(f"extraction of {ctx.disclosure.source.name}")))
    g.add((activity, PROV.used, ctx.source))
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"kg-publisher {agent_version}")))
    return activity


def span_resource(ctx: MappingContext, span: Span) -> URIRef:
    """The ``oa:SpecificResource`` of a span (position + quote selectors, page when known)."""
    g, text = ctx.graph, ctx.disclosure.source.text
    iri = ctx.minter.span(ctx.disclosure.source.sha256, span.start, span.end)
    if (iri, RDF.type, OA.SpecificResource) in g:
        return iri
    position = ctx.minter.selector(iri, "position")
    quote = ctx.minter.selector(iri, "quote")
    g.add((iri, RDF.type, OA.SpecificResource))
    g.add((iri, OA.hasSource, ctx.source))
    g.add((iri, OA.hasSelector, position))
    g.add((iri, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, literal(span.start, XSD.nonNegativeInteger)))
    g.add((position, OA.end, literal(span.end, XSD.nonNegativeInteger)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, literal(span.text)))
    prefix = text[max(0, span.start - QUOTE_CONTEXT):span.start]
    suffix = text[span.end:span.end + QUOTE_CONTEXT]
    if prefix:
        g.add((quote, OA.prefix, literal(prefix)))
    if suffix:
        g.add((quote, OA.suffix, literal(suffix)))
    if span.page is not None:
        page = ctx.minter.selector(iri, "page")
        g.add((iri, OA.hasSelector, page))
        g.add((page, RDF.type, OA.FragmentSelector))
        g.add((page, DCTERMS.conformsTo, RFC3778))
        g.add((page, RDF.value, literal(f"page={span.page}")))
    return iri


def derive(ctx: MappingContext, subject: URIRef, span: Span) -> None:
    """``subject prov:wasDerivedFrom`` the span resource."""
    ctx.graph.add((subject, PROV.wasDerivedFrom, span_resource(ctx, span)))
