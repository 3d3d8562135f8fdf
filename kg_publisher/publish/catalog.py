"""The release's self-description, computed from the data: DCAT-AP catalogue, VoID statistics, SPARQL service
description.

The catalogue and VoID go into the named graph ``{base}graph/catalog``. No blank nodes and no build time are
written, so the same data gives the same catalogue (and the release version, a hash of the data and of this graph,
stays stable).
The service description is made per request, because ``sd:endpoint`` names where the server is reached
(``public_url``, or the allowed host the client used).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, NamedNode, Quad
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, VOID, XSD

from ..iris import IriMinter
from ..settings import Settings
from ..vocab import (
    BGT,
    DCAT3,
    DCATAP,
    EU_AVAILABILITY,
    EU_COUNTRY,
    EU_FILETYPE,
    EU_FREQ,
    EU_LANG,
    EU_THEME,
    IANA_MEDIA,
    PREFIXES,
    SD,
    SPDX,
    VCARD,
)
from .formats import (
    DUMP_SYNTAXES,
    GRAPH_SYNTAXES,
    RESULTS_JSON,
    RESULTS_SYNTAXES,
    TABLE_SYNTAXES,
    RdfSyntax,
    ResultsSyntax,
    TableSyntax,
)

if TYPE_CHECKING:
    from .spreadsheet import TableFile

SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
#: The media type and EU file type of what the SPARQL access point answers by default (its results, in JSON).
SPARQL_RESULTS_MEDIA_TYPE = RESULTS_JSON.media_type
SPARQL_RESULTS_FILE_TYPE = "SPARQLQRES"
FORMATS_NS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {
    "text/turtle": "Turtle", "application/n-triples": "N-Triples", "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML", "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML", "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
}
KIND_TITLES = {"budget": ("部门预算", "departmental budget"), "final": ("部门决算", "departmental final accounts")}
WHOLE_KEY = "all"
#: Our vocabulary (ontology/budget.ttl, served at /def): the model every dataset's data follows.
VOCABULARY_DOCUMENT = URIRef(str(BGT).rstrip("#"))
#: Dumps stay at their URLs from release to release (their content follows the data).
AVAILABILITY = EU_AVAILABILITY.STABLE


#: What a gzip-compressed download is compressed with (``dcat:compressFormat``).
GZIP_MEDIA_TYPE = "application/gzip"


@dataclass(frozen=True)
class DumpFile:
    """One dump and its gzip twin (``<path>.gz``). The whole-release dumps are not stored whole (their ``.gz`` is
    the parts' gzip files one after the other): their checksums are not known (None)."""

    key: str
    syntax: RdfSyntax
    path: str
    byte_size: int
    sha256: str | None
    gzip_byte_size: int
    gzip_sha256: str | None


@dataclass(frozen=True)
class GraphStats:
    """VoID numbers of a set of quads."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    properties: int
    classes: Counter[str] = field(default_factory=Counter)
    vocabularies: frozenset[str] = frozenset()

    @classmethod
    def of(cls, quads: Iterable[Quad]) -> GraphStats:
        triples = 0
        subjects: set[object] = set()
        objects: set[object] = set()
        predicates: set[str] = set()
        classes: Counter[str] = Counter()
        typed: set[object] = set()
        rdf_type = str(RDF.type)
        for quad in quads:
            triples += 1
            subjects.add(quad.subject)
            objects.add(quad.object)
            predicates.add(quad.predicate.value)
            if quad.predicate.value == rdf_type and isinstance(quad.object, NamedNode):
                classes[quad.object.value] += 1
                typed.add(quad.subject)
        entities = sum(1 for s in subjects if not isinstance(s, BlankNode))
        return cls(triples, entities, len(subjects), len(objects), len(predicates), classes,
                   frozenset(vocabularies(predicates | set(classes))))


def vocabularies(iris: Iterable[str]) -> Iterable[str]:
    known = sorted((str(ns) for ns in PREFIXES.values()), key=len, reverse=True)
    for iri in iris:
        for namespace in known:
            if iri.startswith(namespace):
                yield namespace
                break


@dataclass(frozen=True)
class DatasetEntry:
    """What the catalogue says about one disclosure's dataset."""

    key: str
    dataset: URIRef
    title: str
    department: str
    organization: URIRef
    year: int
    kind: str
    region: str | None
    source: URIRef
    source_name: str
    source_sha256: str
    source_media_type: str
    observations: int
    stats: GraphStats
    dumps: tuple[DumpFile, ...]
    #: Its figures for spreadsheets (CSV, XLSX; kg_publisher.publish.spreadsheet).
    tables: tuple[TableFile, ...] = ()
    #: dct:title / dct:description literals the disclosure graph gives its dataset (one source of truth:
    #: the catalogue repeats them rather than writing a second title per language).
    titles: tuple[Literal, ...] = ()
    descriptions: tuple[Literal, ...] = ()


def catalog_graph(settings: Settings, datasets: list[DatasetEntry], whole_stats: GraphStats,
                  whole_dumps: tuple[DumpFile, ...], describe_datasets: bool = True) -> Graph:
    """DCAT-AP 3 catalogue plus VoID statistics of everything in the release.

    With ``describe_datasets=False`` each dataset is only listed (in the catalogue, the whole dataset, the service
    and its series), its description left to :func:`dataset_catalog_graph` (written once per disclosure, with its
    part: the release adds the two)."""
    minter = IriMinter(settings.base_iri)
    g = Graph()
    for prefix in ("dcat", "dct", "foaf", "vcard", "void", "spdx", "skos", "xsd", "sd", "qb"):
        g.bind(prefix, PREFIXES[prefix])
    catalog, service, publisher, contact = (minter.catalog(), minter.sparql_service(), minter.publisher(),
                                            minter.contact_point())
    licence = URIRef(settings.licence)
    base = URIRef(settings.base_iri)
    years = sorted({entry.year for entry in datasets})
    year_text = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")

    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("部门预算与决算公开数据目录", lang="zh")))
    g.add((catalog, DCTERMS.title, Literal("Catalogue of departmental budget and final-account disclosures",
                                           lang="en")))
    g.add((catalog, DCTERMS.description, Literal(
        f"{len(datasets)} 份部门预算/决算公开文件（{year_text}）转换而成的关联数据，"
        "每个数值均可追溯到原文位置。", lang="zh")))
    g.add((catalog, DCTERMS.description, Literal(
        f"{len(datasets)} Chinese departmental budget and final-account disclosures ({year_text}) as linked "
        "data; every figure points back to the characters of the source text it was read from.", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, FOAF.homepage, base))
    g.add((catalog, DCTERMS.language, EU_LANG.ZHO))
    g.add((catalog, DCTERMS.spatial, EU_COUNTRY.CHN))
    g.add((catalog, DCTERMS.license, licence))
    g.add((catalog, DCAT.themeTaxonomy, URIRef(str(EU_THEME).rstrip("/"))))
    g.add((catalog, DCAT.service, service))

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(settings.publisher_name)))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal(settings.publisher_name)))
    g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.contact_email}")))

    whole = minter.whole_dataset()
    _dataset_common(g, minter, whole, settings, contact, publisher, licence)
    g.add((catalog, DCAT.dataset, whole))
    g.add((whole, DCTERMS.identifier, Literal(WHOLE_KEY)))
    g.add((whole, DCTERMS.title, Literal("全部部门预算与决算公开数据", lang="zh")))
    g.add((whole, DCTERMS.title, Literal("All departmental budget and final-account disclosures", lang="en")))
    g.add((whole, DCTERMS.description, Literal(
        f"全部 {len(datasets)} 份公开文件的数据、质量报告和词表，共 {whole_stats.triples} 条三元组。", lang="zh")))
    g.add((whole, DCTERMS.description, Literal(
        f"Facts, quality reports and vocabulary of all {len(datasets)} disclosures: {whole_stats.triples} triples.",
        lang="en")))
    for year in years:
        g.add((whole, DCTERMS.temporal, _period(g, minter, year)))
    _distributions(g, minter, whole, WHOLE_KEY, whole_dumps, licence, service)
    _void(g, minter, whole, whole_stats, whole_dumps, settings)
    g.add((whole, VOID.uriSpace, Literal(f"{settings.base_iri}id/")))

    for entry in datasets:
        g.add((catalog, DCAT.dataset, entry.dataset))
        g.add((whole, VOID.subset, entry.dataset))
        g.add((service, DCAT.servesDataset, entry.dataset))
        if describe_datasets:
            _describe(g, minter, settings, entry)

    _series(g, minter, catalog, datasets, contact, licence)

    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("部门预算知识图谱 SPARQL 1.1 查询服务", lang="zh")))
    g.add((service, DCTERMS.title, Literal("Budget knowledge graph SPARQL 1.1 query service", lang="en")))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.endpointDescription, service))
    g.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    g.add((service, DCTERMS.license, licence))
    g.add((service, DCAT.servesDataset, whole))
    g.add((service, DCTERMS.publisher, publisher))
    g.add((service, DCAT.contactPoint, contact))
    g.add((service, DCAT.theme, EU_THEME.GOVE))
    for keyword in (Literal("SPARQL"), Literal("部门预算", lang="zh"), Literal("budget", lang="en")):
        g.add((service, DCAT.keyword, keyword))
    g.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))
    _controlled_vocabulary_terms(g, licence, base)
    return g


def dataset_catalog_graph(settings: Settings, entry: DatasetEntry) -> Graph:
    """What the catalogue says about one disclosure's dataset, but its place in the catalogue and its series."""
    g = Graph()
    _describe(g, IriMinter(settings.base_iri), settings, entry)
    return g


def _describe(g: Graph, minter: IriMinter, settings: Settings, entry: DatasetEntry) -> None:
    contact, licence, service = minter.contact_point(), URIRef(settings.licence), minter.sparql_service()
    ds = entry.dataset
    _dataset_common(g, minter, ds, settings, contact, entry.organization, licence)
    g.add((entry.organization, RDF.type, FOAF.Agent))
    g.add((entry.organization, FOAF.name, Literal(entry.department, lang="zh")))
    zh_kind, en_kind = KIND_TITLES.get(entry.kind, (entry.kind, entry.kind))
    g.add((ds, DCTERMS.identifier, Literal(entry.key)))
    titles = entry.titles or (Literal(entry.title, lang="zh"),
                              Literal(f"{entry.year} {en_kind} of {entry.department}", lang="en"))
    descriptions = entry.descriptions or (
        Literal(f"{entry.department}{entry.year}年{zh_kind}公开文件（{entry.source_name}）中的金额及其说明、"
                "职责、名词解释，每项注明原文位置。", lang="zh"),
        Literal(f"Amounts, statements, duties and glossary terms read from the {entry.year} {en_kind} "
                f"disclosure of {entry.department} ({entry.source_name}), each with its source span.", lang="en"))
    for title in titles:
        g.add((ds, DCTERMS.title, title))
    for description in descriptions:
        g.add((ds, DCTERMS.description, description))
    g.add((ds, DCAT.keyword, Literal(zh_kind, lang="zh")))
    g.add((ds, DCAT.keyword, Literal(entry.department, lang="zh")))
    if entry.region:
        g.add((ds, DCAT.keyword, Literal(entry.region, lang="zh")))
    g.add((ds, DCTERMS.temporal, _period(g, minter, entry.year)))
    # The disclosure document: its checksum pins the exact bytes every span points into.
    g.add((ds, DCTERMS.relation, entry.source))
    g.add((entry.source, RDF.type, FOAF.Document))
    g.add((entry.source, DCTERMS.title, Literal(entry.source_name)))
    g.add((entry.source, DCTERMS.format, Literal(entry.source_media_type)))
    _checksum(g, minter.checksum(entry.source_sha256), entry.source, entry.source_sha256)
    _distributions(g, minter, ds, entry.key, entry.dumps, licence, service)
    _table_distributions(g, minter, ds, entry.tables, licence)
    _void(g, minter, ds, entry.stats, entry.dumps, settings)


def _series(g: Graph, minter: IriMinter, catalog: URIRef, datasets: list[DatasetEntry], contact: URIRef,
            licence: URIRef) -> None:
    """Each department's yearly disclosures of one kind (预算, 决算) as a DCAT-AP 3 ``dcat:DatasetSeries``: its
    datasets ``dcat:inSeries`` it, chained by ``dcat:prev``/``dcat:next`` in year order, ``dcat:first``/``dcat:last``
    on the series (what portals harvesting yearly releases show as one series)."""
    groups: dict[tuple[str, str], list[DatasetEntry]] = {}
    for entry in datasets:
        groups.setdefault((str(entry.organization), entry.kind), []).append(entry)
    for (organization, kind), members in sorted(groups.items()):
        members.sort(key=lambda entry: (entry.year, entry.key))
        series = minter.series(organization.rsplit("/", 1)[-1], kind)
        zh_kind, en_kind = KIND_TITLES.get(kind, (kind, kind))
        department = members[-1].department
        years = [entry.year for entry in members]
        g.add((catalog, DCAT.dataset, series))
        g.add((series, RDF.type, DCAT3.DatasetSeries))
        g.add((series, RDF.type, DCAT.Dataset))  # DCAT 3: every series is a dataset (listed by dcat:dataset)
        g.add((series, DCTERMS.title, Literal(f"{department}{zh_kind}公开（历年）", lang="zh")))
        g.add((series, DCTERMS.title, Literal(f"{department}: {en_kind} disclosures by year", lang="en")))
        g.add((series, DCTERMS.description, Literal(
            f"{department}各年度{zh_kind}公开文件的数据集（{years[0]}–{years[-1]}，共 {len(members)} 份）。",
            lang="zh")))
        g.add((series, DCTERMS.description, Literal(
            f"The yearly {en_kind} disclosures of {department} as datasets ({years[0]}–{years[-1]}, "
            f"{len(members)} in this release).", lang="en")))
        g.add((series, DCTERMS.publisher, URIRef(organization)))
        g.add((series, DCAT.contactPoint, contact))
        g.add((series, DCTERMS.accrualPeriodicity, EU_FREQ.ANNUAL))
        g.add((series, DCTERMS.spatial, EU_COUNTRY.CHN))
        g.add((series, DCTERMS.license, licence))
        for year in sorted(set(years)):
            g.add((series, DCTERMS.temporal, _period(g, minter, year)))
        g.add((series, DCAT3.first, members[0].dataset))
        g.add((series, DCAT3.last, members[-1].dataset))
        for earlier, later in pairwise(members):
            g.add((later.dataset, DCAT3.prev, earlier.dataset))
            g.add((earlier.dataset, DCAT3.next, later.dataset))
        for entry in members:
            g.add((entry.dataset, DCAT3.inSeries, series))


def _dataset_common(g: Graph, minter: IriMinter, ds: URIRef, settings: Settings, contact: URIRef,
                    publisher: URIRef, licence: URIRef) -> None:
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, DCAT.contactPoint, contact))
    g.add((ds, DCAT.theme, EU_THEME.GOVE))
    g.add((ds, DCTERMS.language, EU_LANG.ZHO))
    g.add((ds, DCTERMS.spatial, EU_COUNTRY.CHN))
    g.add((ds, DCTERMS.accrualPeriodicity, EU_FREQ.ANNUAL))
    g.add((ds, DCTERMS.license, licence))
    g.add((ds, DCAT.keyword, Literal("部门预算", lang="zh")))
    g.add((ds, DCAT.keyword, Literal("budget", lang="en")))
    g.add((ds, DCTERMS.conformsTo, VOCABULARY_DOCUMENT))
    g.add((ds, VOID.sparqlEndpoint, minter.sparql_service()))


def _period(g: Graph, minter: IriMinter, year: int) -> URIRef:
    period = minter.period(year)
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(f"{year}-01-01", datatype=XSD.date)))
    g.add((period, DCAT.endDate, Literal(f"{year}-12-31", datatype=XSD.date)))
    return period


def _checksum(g: Graph, node: URIRef, owner: URIRef, sha256: str) -> None:
    g.add((owner, SPDX.checksum, node))
    g.add((node, RDF.type, SPDX.Checksum))
    g.add((node, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((node, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))


def _distributions(g: Graph, minter: IriMinter, ds: URIRef, key: str, dumps: tuple[DumpFile, ...],
                   licence: URIRef, service: URIRef) -> None:
    for dump in dumps:
        dist = minter.distribution(key, dump.syntax.name)
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"{dump.syntax.label} dump ({key})", lang="en")))
        if key == WHOLE_KEY:
            # What harvesters load: the whole release gzip-compressed (the parts' gzip files, never stored whole,
            # so its size is stated and no checksum); the plain file is served decompressed on the fly.
            g.add((dist, DCTERMS.description, Literal(
                f"全部数据的 {dump.syntax.label} 下载文件（gzip 压缩；去掉 .gz 即为未压缩文件）。", lang="zh")))
            g.add((dist, DCTERMS.description, Literal(
                f"The whole release as one gzip-compressed {dump.syntax.label} file (media type "
                f"{dump.syntax.media_type}); the same without .gz is sent uncompressed.", lang="en")))
            g.add((dist, DCAT.compressFormat, IANA_MEDIA[GZIP_MEDIA_TYPE]))
            file_distribution(g, minter, dist, minter.download(key, f"{dump.syntax.extension}.gz"),
                              dump.syntax.media_type, dump.syntax.eu_file_type, dump.gzip_byte_size,
                              dump.gzip_sha256, licence)
            continue
        g.add((dist, DCTERMS.description, Literal(
            f"{key} 的 {dump.syntax.label} 下载文件（另有 gzip 压缩版：下载地址加 .gz）。", lang="zh")))
        g.add((dist, DCTERMS.description, Literal(
            f"The {key} as one {dump.syntax.label} file (media type {dump.syntax.media_type}); the same bytes "
            "gzip-compressed at the download URL + .gz.", lang="en")))
        file_distribution(g, minter, dist, minter.download(key, dump.syntax.extension), dump.syntax.media_type,
                          dump.syntax.eu_file_type, dump.byte_size, dump.sha256, licence)
    sparql = minter.distribution(key, "sparql")
    g.add((ds, DCAT.distribution, sparql))
    g.add((sparql, RDF.type, DCAT.Distribution))
    g.add((sparql, DCTERMS.title, Literal(f"SPARQL endpoint ({key})", lang="en")))
    g.add((sparql, DCAT.accessURL, service))
    g.add((sparql, DCAT.accessService, service))
    g.add((sparql, DCTERMS.license, licence))
    g.add((sparql, DCTERMS.description, Literal(
        f"SPARQL 1.1 查询服务；{'全部数据' if key == WHOLE_KEY else '该数据集的数据在命名图 graph/' + key + ' 中'}。",
        lang="zh")))
    g.add((sparql, DCTERMS.description, Literal(
        "SPARQL 1.1 Query endpoint over every graph of the release"
        + ("." if key == WHOLE_KEY else f"; this dataset's data is the named graph graph/{key}."), lang="en")))
    g.add((sparql, DCATAP.availability, AVAILABILITY))
    # What the access point answers: SPARQL results (JSON by default; XML, CSV, TSV and RDF by negotiation),
    # under the SPARQL 1.1 Protocol its service conforms to.
    g.add((sparql, DCAT.mediaType, IANA_MEDIA[SPARQL_RESULTS_MEDIA_TYPE]))
    g.add((sparql, DCTERMS["format"], EU_FILETYPE[SPARQL_RESULTS_FILE_TYPE]))
    g.add((sparql, DCTERMS.conformsTo, SPARQL_PROTOCOL))


def file_distribution(g: Graph, minter: IriMinter, dist: URIRef, download: URIRef, media_type: str, eu_file_type: str,
                      byte_size: int, sha256: str | None, licence: URIRef) -> None:
    """What every downloadable file's distribution states: where, what format, how big, its checksum (when
    known)."""
    g.add((dist, DCATAP.availability, AVAILABILITY))
    g.add((dist, DCAT.accessURL, download))
    g.add((dist, DCAT.downloadURL, download))
    g.add((dist, DCAT.mediaType, IANA_MEDIA[media_type]))
    g.add((dist, DCTERMS["format"], EU_FILETYPE[eu_file_type]))
    g.add((dist, DCTERMS.license, licence))
    g.add((dist, DCAT.byteSize, Literal(byte_size, datatype=XSD.nonNegativeInteger)))
    if sha256 is not None:
        _checksum(g, minter.checksum_of(dist), dist, sha256)


def _table_distributions(g: Graph, minter: IriMinter, ds: URIRef, tables: tuple[TableFile, ...],
                         licence: URIRef) -> None:
    for table in tables:
        dist = minter.distribution(table.key, table.syntax.name)
        download = minter.download(table.key, table.syntax.extension)
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"Figures as a {table.syntax.label} table ({table.key})", lang="en")))
        g.add((dist, DCTERMS.description, Literal(
            f"{table.key} 的全部数字，每行一项：部门、年度、类型、部分、项目、科目编码、金额（元）、"
            "原文数值与单位、原文位置、质量问题数。", lang="zh")))
        g.add((dist, DCTERMS.description, Literal(
            f"Every figure of {table.key}, one row each: department, year, kind, section, item, codes, amount in "
            "yuan, printed value and unit, source span, number of quality findings. Sum only the rows whose "
            "reprint_of is empty.", lang="en")))
        file_distribution(g, minter, dist, download, table.syntax.media_type, table.syntax.eu_file_type,
                          table.byte_size, table.sha256, licence)


def _void(g: Graph, minter: IriMinter, ds: URIRef, stats: GraphStats, dumps: tuple[DumpFile, ...],
          settings: Settings) -> None:
    g.add((ds, VOID.triples, Literal(stats.triples)))
    g.add((ds, VOID.entities, Literal(stats.entities)))
    g.add((ds, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    g.add((ds, VOID.distinctObjects, Literal(stats.distinct_objects)))
    g.add((ds, VOID.properties, Literal(stats.properties)))
    g.add((ds, VOID.classes, Literal(len(stats.classes))))
    for dump in dumps:
        zipped = ".gz" if dump.key == WHOLE_KEY else ""  # what the whole dataset's distributions name
        g.add((ds, VOID.dataDump, minter.download(dump.key, dump.syntax.extension + zipped)))
    for namespace in sorted(stats.vocabularies):
        g.add((ds, VOID.vocabulary, URIRef(namespace)))
    for class_iri, count in sorted(stats.classes.items()):
        partition = minter.class_partition(ds, class_iri)
        g.add((ds, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(class_iri)))
        g.add((partition, VOID.entities, Literal(count)))


def _controlled_vocabulary_terms(g: Graph, licence: URIRef, homepage: URIRef) -> None:
    """Type the authority-table IRIs we use, as DCAT-AP's range shapes expect (no remote tables are loaded)."""
    concepts = (
        (EU_LANG.ZHO, DCTERMS.LinguisticSystem, "Chinese", EU_LANG),
        (EU_THEME.GOVE, None, "Government and public sector", EU_THEME),
        (EU_COUNTRY.CHN, DCTERMS.Location, "China", EU_COUNTRY),
        (EU_FREQ.ANNUAL, DCTERMS.Frequency, "annual", EU_FREQ),
        (AVAILABILITY, None, "stable", EU_AVAILABILITY),
    )
    for concept, dct_class, label, namespace in concepts:
        scheme = URIRef(str(namespace).rstrip("/"))
        g.add((concept, RDF.type, SKOS.Concept))
        if dct_class is not None:
            g.add((concept, RDF.type, dct_class))
        g.add((concept, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((concept, SKOS.inScheme, scheme))
    theme_scheme = URIRef(str(EU_THEME).rstrip("/"))
    g.add((theme_scheme, RDF.type, SKOS.ConceptScheme))
    g.add((theme_scheme, DCTERMS.title, Literal("Data theme", lang="en")))
    syntaxes: tuple[RdfSyntax | TableSyntax, ...] = (*DUMP_SYNTAXES, *TABLE_SYNTAXES)
    for syntax in syntaxes:
        file_type = EU_FILETYPE[syntax.eu_file_type]
        g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        g.add((file_type, RDF.type, SKOS.Concept))
        g.add((file_type, SKOS.prefLabel, Literal(syntax.label, lang="en")))
        g.add((file_type, SKOS.inScheme, URIRef(str(EU_FILETYPE).rstrip("/"))))
        g.add((IANA_MEDIA[syntax.media_type], RDF.type, DCTERMS.MediaType))
    results_type = EU_FILETYPE[SPARQL_RESULTS_FILE_TYPE]
    g.add((results_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((results_type, RDF.type, SKOS.Concept))
    g.add((results_type, SKOS.prefLabel, Literal("SPARQL query results", lang="en")))
    g.add((results_type, SKOS.inScheme, URIRef(str(EU_FILETYPE).rstrip("/"))))
    g.add((IANA_MEDIA[SPARQL_RESULTS_MEDIA_TYPE], RDF.type, DCTERMS.MediaType))
    g.add((IANA_MEDIA[GZIP_MEDIA_TYPE], RDF.type, DCTERMS.MediaType))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((VOCABULARY_DOCUMENT, RDF.type, DCTERMS.Standard))
    g.add((VOCABULARY_DOCUMENT, DCTERMS.title, Literal("部门预算知识图谱词表", lang="zh")))
    g.add((VOCABULARY_DOCUMENT, DCTERMS.title, Literal("Budget knowledge graph vocabulary", lang="en")))
    g.add((homepage, RDF.type, FOAF.Document))


def service_description(endpoint: str, graph_names: Iterable[str], whole_dataset: str,
                        stats: dict[str, int] | None = None) -> Graph:
    """SPARQL 1.1 Service Description of the read-only endpoint at ``endpoint`` (where it is reached)."""
    g = Graph()
    for prefix in ("sd", "void", "dct", "rdfs"):
        g.bind(prefix, PREFIXES[prefix])
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    # The default graph of a query is the RDF merge of all named graphs (stored as such: release.load_store).
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, RDFS.comment, Literal(
        "Read-only SPARQL 1.1 Query endpoint. The default graph is the RDF merge of all named graphs (each "
        "triple once, so COUNT and SUM count it once). Amounts: bgt:amountInYuan is every amount in yuan; "
        "observations with bgt:reprintOf print again a figure printed earlier, leave them out of sums. Updates, "
        "SERVICE and FROM of graphs not listed here are refused; queries are stopped at the time limit and "
        "results are cut at the row limit (header X-Result-Truncated).", lang="en")))
    served: tuple[ResultsSyntax | RdfSyntax, ...] = (*RESULTS_SYNTAXES, *GRAPH_SYNTAXES)
    for syntax in served:
        name = _FORMAT_IRIS.get(syntax.media_type)
        if name:
            g.add((service, SD.resultFormat, URIRef(FORMATS_NS + name)))
    dataset = URIRef(f"{endpoint}#dataset")
    default_graph = URIRef(f"{endpoint}#default-graph")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, DCTERMS.source, URIRef(whole_dataset)))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, RDFS.comment, Literal("Union of all named graphs", lang="en")))
    for name in sorted(graph_names):
        node = URIRef(f"{endpoint}#graph-{name}")
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
        if stats and name in stats:
            graph_node = URIRef(f"{endpoint}#graph-{name}-description")
            g.add((node, SD.graph, graph_node))
            g.add((graph_node, RDF.type, SD.Graph))
            g.add((graph_node, VOID.triples, Literal(stats[name])))
    return g


__all__ = ["DatasetEntry", "DumpFile", "GraphStats", "catalog_graph", "file_distribution", "service_description"]
