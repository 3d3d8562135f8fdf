"""The publishing department (W3C ORG + SEMIC CPOV), its place, internal units and duties (SKOS)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from ..iris import IriMinter
from ..records.model import Duty
from ..vocab import BGT, CV
from .context import MappingContext, en, zh
from .provenance import derive


def add_organization(ctx: MappingContext) -> None:
    g, org, registered = ctx.graph, ctx.organization, ctx.org
    g.add((org, RDF.type, ORG.FormalOrganization))
    g.add((org, RDF.type, CV.PublicOrganisation))
    g.add((org, SKOS.prefLabel, zh(registered.name)))
    # One organisation across documents and years: the registry's aliases and the name this document
    # prints (when it differs) are alternative labels of the one IRI.
    printed = ctx.disclosure.info.department
    for alias in sorted({*registered.aliases, printed} - {registered.name}):
        g.add((org, SKOS.altLabel, zh(alias)))
    if registered.region_code:
        place = ctx.minter.place(f"cn-{registered.region_code}")
        g.add((org, DCTERMS.spatial, place))
        _add_place(ctx, place, registered.region or registered.region_code, registered.region_code)
        if registered.parent_region_code:
            parent = ctx.minter.place(f"cn-{registered.parent_region_code}")
            g.add((place, SKOS.broader, parent))
            _add_place(ctx, parent, registered.parent_region or registered.parent_region_code,
                       registered.parent_region_code)


def _add_place(ctx: MappingContext, place: URIRef, name: str, gbt2260: str) -> None:
    g = ctx.graph
    g.add((place, RDF.type, DCTERMS.Location))
    g.add((place, SKOS.prefLabel, zh(name)))
    g.add((place, SKOS.notation, Literal(gbt2260)))


def _add_duty(ctx: MappingContext, scheme: URIRef, key: str, duty: Duty, holder: str, number: int) -> URIRef:
    g, iri = ctx.graph, IriMinter.part(ctx.dataset, "duty", key)
    g.add((iri, RDF.type, SKOS.Concept))
    g.add((iri, RDF.type, BGT.Duty))
    g.add((iri, SKOS.inScheme, scheme))
    g.add((iri, SKOS.notation, Literal(duty.notation)))
    g.add((iri, SKOS.prefLabel, zh(f"{holder}职责{duty.notation}")))
    g.add((iri, SKOS.prefLabel, en(f"{holder}: duty {number}")))
    g.add((iri, SKOS.definition, zh(duty.text)))
    derive(ctx, iri, duty.span)
    return iri


def add_units_and_duties(ctx: MappingContext) -> None:
    d, g = ctx.disclosure, ctx.graph
    if not d.duties and not d.units:
        return
    scheme = IriMinter.scheme(ctx.dataset, "duties")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, zh(f"{ctx.org.name}主要职责（{d.info.year}年）")))
    g.add((scheme, SKOS.prefLabel, en(f"Duties of {ctx.org.name} ({d.info.year})")))
    g.add((scheme, DCTERMS.source, ctx.source))
    g.add((scheme, DCTERMS.isPartOf, ctx.dataset))
    for number, duty in enumerate(d.duties, start=1):
        g.add((ctx.organization, ORG.purpose, _add_duty(ctx, scheme, str(number), duty, ctx.org.name, number)))
    for unit_number, unit in enumerate(d.units, start=1):
        iri = ctx.minter.internal_unit(ctx.org.slug, unit.name)
        g.add((iri, RDF.type, ORG.OrganizationalUnit))
        g.add((iri, SKOS.prefLabel, zh(unit.name)))
        g.add((iri, SKOS.notation, Literal(unit.notation)))
        g.add((iri, ORG.unitOf, ctx.organization))
        g.add((ctx.organization, ORG.hasUnit, iri))
        derive(ctx, iri, unit.span)
        for number, duty in enumerate(unit.duties, start=1):
            key = f"unit-{unit_number}-{number}"
            g.add((iri, ORG.purpose, _add_duty(ctx, scheme, key, duty, unit.name, number)))
