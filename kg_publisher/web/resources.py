"""Linked data: every IRI minted under the base answers at its path, as HTML or RDF.

``GET /id/…`` negotiates (Accept, or ``?format=``) and answers 200 with ``Content-Location`` naming the
format-specific document (``/id/….ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``), ``Vary: Accept`` and
``Link`` alternates. Unknown IRIs get 404. See kg_publisher/web/README.md for why 200 and not 303.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from ..errors import BadParameter, NotFound, SearchError
from ..iris import IriMinter
from ..publish.changes import change_claims
from ..publish.evidence import evidence_for, findings_about, group_findings
from ..publish.figures import FIGURE_ORDERS, FIGURES_LIMIT, Figure, figures_of, select_figures
from ..publish.formats import GRAPH_SYNTAXES, RdfSyntax, rdf_syntax
from ..publish.overview import dataset_overview, wan, yuan_text
from ..publish.profile import department_profile
from ..publish.reference import vocabulary_reference
from ..publish.search import normalise_query
from ..publish.serialize import serialize_triples
from ..publish.store import best_label
from ..publish.versions import version_statements
from ..vocab import BGT, PROV
from .language import current_language
from .links import curie
from .negotiation import HTML, alternates, document_links, graph_type_for, requested_format

if TYPE_CHECKING:
    from . import Services

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUFFIXES: dict[str, str] = {**{s.extension: s.media_type for s in GRAPH_SYNTAXES}, "html": HTML}
#: Links to a resource listed per page of its "referenced by" list (``?referenced=N`` for page N): a department
#: is the object of every one of its figures, so its list runs to hundreds and is read in pages, never cut.
INCOMING_PAGE = 200
QB_DATASET = ox.NamedNode("http://purl.org/linked-data/cube#DataSet")
#: The vocabulary's document (``/def`` under the default base IRI): for people, a reference of its terms.
ONTOLOGY = str(BGT).removesuffix("#")
#: Enough links to hold a data set's whole quality report (hundreds of findings) besides its figures.
FINDINGS_LIMIT = 5000


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None
    note: str = ""  # language tag or datatype of a literal
    iri: str | None = None


@dataclass(frozen=True)
class IncomingPage:
    """One page of the triples pointing at a resource."""

    links: list[tuple[Value, Value]]
    number: int
    has_next: bool


def page_number(text: str | None, parameter: str = "referenced",
                hint: str = "Use ?referenced=1 for the first page of links to this resource, 2 for the next, …") -> int:
    """The page number a query parameter asks for (1 when absent); anything but 1, 2, … is a 400 naming it.

    >>> page_number(None), page_number("3")
    (1, 3)
    """
    if text is None or text == "":
        return 1
    if not text.isascii() or not text.isdigit() or int(text) < 1 or len(text) > 9:
        raise BadParameter(f"?{parameter}={text[:20]!r} is not a page number", hint)
    return int(text)


@dataclass(frozen=True)
class FigureTable:
    """The figures of a dataset page as shown: filtered and ordered, with each section's label."""

    rows: list[Figure]
    sections: dict[str, str]
    total: int
    text: str
    order: str
    descending: bool


def blueprint(services: Services) -> Blueprint:
    bp = Blueprint("resources", __name__)
    bp.add_app_template_filter(wan, "wan")
    bp.add_app_template_filter(yuan_text, "yuan")
    bp.add_app_template_filter(curie, "curie")
    store, links = services.store, services.links

    def label_of(iri: str) -> str | None:
        return best_label(store.labels(iri))

    def value(term: object) -> Value:
        if isinstance(term, ox.NamedNode):
            label = label_of(term.value) if term.value.startswith(links.base) else None
            return Value(label or curie(term.value), links.href(term.value), iri=term.value)
        if isinstance(term, ox.Literal):
            note = f"@{term.language}" if term.language else curie(term.datatype.value)
            return Value(term.value, note="" if note == "xsd:string" else note)
        return Value(f"_:{getattr(term, 'value', '')}")

    def figure_table(figures: list[Figure]) -> FigureTable:
        """The figures table as asked (``?figures=`` filters, ``?sort=`` orders; JavaScript does both in place)."""
        text = request.args.get("figures", "")
        order = request.args.get("sort", "document")
        descending = order.startswith("-")
        order = order.removeprefix("-")
        if order not in FIGURE_ORDERS:
            raise SearchError(f"The figures cannot be sorted by {order!r}",
                              f"Use ?sort= with one of {', '.join(FIGURE_ORDERS)} (a leading - for descending).")
        if text.strip():
            text = normalise_query(text)
        sections = {f.section: label_of(f.section) or f.section for f in figures}
        rows = select_figures(figures, sections, text, order, descending)
        return FigureTable(rows, sections, len(figures), text, order, descending)

    def incoming_page(iri: str) -> IncomingPage:
        """The page of the "referenced by" list that ``?referenced=`` asks for (one more link read to tell
        whether a next page exists); a page past the last is not found."""
        number = page_number(request.args.get("referenced"))
        found = store.incoming(iri, INCOMING_PAGE + 1, (number - 1) * INCOMING_PAGE)
        if number > 1 and not found:
            raise NotFound(f"There is no page {number} of links to <{iri}>",
                           f"Open {request.path} for the first page of links.")
        rows = [(value(t.subject), Value(curie(t.predicate.value), links.href(t.predicate.value)))
                for t in found[:INCOMING_PAGE]]
        return IncomingPage(rows, number, len(found) > INCOMING_PAGE)

    def html_page(iri: str, triples: list[ox.Triple], doc_path: str) -> str:
        node = ox.NamedNode(iri)
        rows: dict[str, list[Value]] = defaultdict(list)
        blanks: dict[str, dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
        for triple in triples:
            if triple.subject == node:
                rows[triple.predicate.value].append(value(triple.object))
            elif isinstance(triple.subject, ox.BlankNode):
                blanks[triple.subject.value][triple.predicate.value].append(value(triple.object))
        ordered = sorted(rows.items(), key=lambda item: (item[0] != RDF_TYPE, curie(item[0])))
        labels = store.labels(iri)
        # the label in the reader's language heads the page; the other language's, when there is one, follows
        lang = current_language()
        other = "zh" if lang == "en" else "en"
        title = best_label(labels, lang)
        title_lang = next((lit.language or lang for lit in labels if lit.value == title), lang)
        second = next((lit.value for lit in labels if (lit.language or "").startswith(other)), None)
        incoming = incoming_page(iri)
        has_provenance = any(t.subject == node and t.predicate.value == str(PROV.wasDerivedFrom) for t in triples)
        is_dataset = any(t.subject == node and t.object == QB_DATASET for t in triples)
        figures = figures_of(store, iri) if is_dataset else []
        findings = findings_about(store, iri, FINDINGS_LIMIT)
        key = services.index.key_of(iri)
        tables = services.index.tables(key) if is_dataset else []
        # a department's page: every disclosure it published, its key figures across them
        own = services.index.datasets_of(iri)
        return render_template(
            "resource.html", iri=iri, title=title or curie(iri), title_lang=title_lang.split("-")[0],
            second=second if second != title else None, second_lang=other,
            rows=[(Value(curie(p), links.href(p)), values) for p, values in ordered],
            blanks={b: [(curie(p), vs) for p, vs in props.items()] for b, props in blanks.items()},
            incoming=incoming,
            evidence=evidence_for(store, iri) if has_provenance else [],
            findings=findings,
            # a data set's page leads with its money and reads its quality report kind by kind
            overview=dataset_overview(store, iri, figures) if is_dataset else None,
            changes=change_claims(store, iri, figures) if is_dataset else [],
            finding_groups=group_findings(findings) if is_dataset else [],
            focus_labels={f.focus: label_of(f.focus) or curie(f.focus) for f in findings} if is_dataset else {},
            figures=figure_table(figures) if is_dataset else None,
            figures_limit=FIGURES_LIMIT,
            tables=tables,
            profile=department_profile(store, own, iri) if own else None,
            alternates=alternates(doc_path),
            services=services,
        )

    def reference_page(doc_path: str) -> str:
        """``/def`` for people: the vocabulary as a reference (publish/reference.py)."""
        manifest = services.release.manifest if services.release is not None else {}
        vocabulary = manifest.get("vocabulary_graph") or str(IriMinter(services.settings.base_iri).vocabulary_graph())
        return render_template("def.html", reference=vocabulary_reference(store.graph(vocabulary), ONTOLOGY),
                               alternates=alternates(doc_path), services=services)

    @lru_cache(maxsize=512)
    def rdf_document(iri: str, syntax: RdfSyntax) -> bytes:
        # Safe to cache: a running server never sees another release.
        return serialize_triples(describe(iri), syntax)

    hash_documents: dict[str, list[str]] = {}

    def hash_members(document: str) -> list[str]:
        """IRIs ``document#…`` (vocabulary terms): the document at ``/def`` describes them all."""
        if not hash_documents:
            hash_documents["\0"] = []  # computed once, on first use
            # Hash IRIs are the vocabulary's and the shapes' (graphs of a fixed size): reading only those two keeps
            # the first request from scanning every quad of the store, which grows with the disclosures.
            minter = IriMinter(services.settings.base_iri)
            subjects = {triple.subject.value for name in (minter.vocabulary_graph(), minter.shapes_graph())
                        for triple in store.graph(str(name)) if isinstance(triple.subject, ox.NamedNode)}
            for subject in sorted(subjects):
                if subject.startswith(links.base) and "#" in subject:
                    hash_documents.setdefault(subject.split("#", 1)[0], []).append(subject)
        return hash_documents.get(document, [])

    # The kept releases' version IRIs are stated in the catalogue files, not in the store (publish/versions.py).
    versions = version_statements(services.release) if services.release is not None else {}

    def exists(iri: str) -> bool:
        return iri in versions or store.exists(iri)

    def describe(iri: str) -> list[ox.Triple]:
        triples = store.describe(iri)
        for member in hash_members(iri):
            triples += store.describe(member)
        if iri in versions:
            triples = list(dict.fromkeys([*triples, *versions[iri]]))
        return triples

    def cached_page(iri: str, doc_path: str) -> str:
        return services.pages.page(links.root(), lambda: reference_page(doc_path) if iri == ONTOLOGY
                                   else html_page(iri, describe(iri), doc_path))

    def answer(iri: str, media_type: str, doc_path: str, negotiated: bool) -> Response:
        if media_type == HTML:
            response = Response(cached_page(iri, doc_path), mimetype=HTML)
        else:
            syntax = rdf_syntax(media_type)
            assert syntax is not None
            response = Response(rdf_document(iri, syntax), mimetype=syntax.media_type)
        extension = next(ext for ext, mt in SUFFIXES.items() if mt == media_type)
        if negotiated:
            response.headers["Vary"] = "Accept"
            response.headers["Content-Location"] = f"{doc_path}.{extension}"
        response.headers["Link"] = document_links(doc_path, services.settings.licence)
        return response

    def graph_answer(name: str, media_type: str, doc_path: str, negotiated: bool) -> Response:
        """A named graph's IRI: its triples in RDF; for people, what it holds and where to download it."""
        if media_type == HTML:
            row = services.index.dataset_of_graph(name)
            html = render_template("graph.html", iri=name, title=curie(name), size=store.graph_sizes()[name],
                                   dataset=row, quality=row is not None and row["quality_graph"] == name,
                                   key=row["key"] if row else None,
                                   alternates=alternates(doc_path), services=services)
            response = Response(html, mimetype=HTML)
        else:
            syntax = rdf_syntax(media_type)
            assert syntax is not None
            response = Response(graph_document(name, syntax), mimetype=syntax.media_type)
        if negotiated:
            response.headers["Vary"] = "Accept"
            extension = next(ext for ext, mt in SUFFIXES.items() if mt == media_type)
            response.headers["Content-Location"] = f"{doc_path}.{extension}"
        response.headers["Link"] = document_links(doc_path, services.settings.licence)
        return response

    @lru_cache(maxsize=64)
    def graph_document(name: str, syntax: RdfSyntax) -> bytes:
        return serialize_triples(store.graph(name), syntax)

    @bp.route("/", defaults={"path": ""})
    @bp.route("/<path:path>")
    def resource(path: str) -> Response:
        if path == "":
            from .site import home  # the home page lives with the other site pages

            return home(services)
        iri = links.iri(path)
        graphs = store.graph_sizes()
        if iri in graphs and not store.exists(iri):
            return graph_answer(iri, graph_type_for(requested_format(), html=True), "/" + path, negotiated=True)
        stem, _, extension = path.rpartition(".")
        if stem and extension in SUFFIXES and links.iri(stem) in graphs and not store.exists(links.iri(stem)):
            return graph_answer(links.iri(stem), SUFFIXES[extension], "/" + stem, negotiated=False)
        if exists(iri) or hash_members(iri):
            media_type = graph_type_for(requested_format(), html=True)
            return answer(iri, media_type, "/" + path, negotiated=True)
        stem, _, extension = path.rpartition(".")
        if stem and extension in SUFFIXES and (exists(links.iri(stem)) or hash_members(links.iri(stem))):
            return answer(links.iri(stem), SUFFIXES[extension], "/" + stem, negotiated=False)
        raise NotFound(f"Nothing is published at {request.path} (IRI <{iri}>)")

    return bp
