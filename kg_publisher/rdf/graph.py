"""One disclosure → one rdflib Graph (the content of its named graph)."""

from __future__ import annotations

from rdflib import Graph

from ..iris import IriMinter
from ..ntriples import filled_graph
from ..records.model import Disclosure
from ..registry import Organization
from ..vocab import bind_prefixes
from .claims import add_claims
from .context import MappingContext, Triples
from .dataset import add_dataset, add_sections
from .observations import add_none_statement, add_observations
from .organization import add_organization, add_units_and_duties
from .provenance import add_activity, add_source
from .text import add_defects, add_glossary, add_mentions, add_unparsed


def disclosure_graph(d: Disclosure, minter: IriMinter, org: Organization, agent_version: str) -> Graph:
    """Map every record of ``d`` to RDF. IRIs come from ``minter`` only, so the same input gives the same graph."""
    ctx = MappingContext(
        graph=Triples(), disclosure=d, minter=minter, org=org,
        dataset=minter.dataset(org.slug, d.info.year, d.info.kind),
        source=minter.source(d.source.sha256), organization=minter.organization(org.slug),
    )
    add_source(ctx)
    activity = add_activity(ctx, agent_version)
    add_dataset(ctx, activity)
    add_sections(ctx)
    add_organization(ctx)
    add_units_and_duties(ctx)
    add_observations(ctx)
    for statement in d.none_stated:
        add_none_statement(ctx, statement)
    add_claims(ctx)
    add_glossary(ctx)
    add_mentions(ctx)
    add_defects(ctx)
    add_unparsed(ctx)
    graph = filled_graph(ctx.graph)
    bind_prefixes(graph)
    return graph
