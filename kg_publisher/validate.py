"""SHACL validation of one disclosure graph, and its publication as a DQV quality report.

Non-conformance is a normal result (:class:`ValidationOutcome`), never an exception; only shape or
ontology files that cannot be loaded raise :class:`~kg_publisher.errors.ShapesError`.
Severity policy (``shapes/README.md``): ``sh:Violation`` = a fault of our data (the disclosure is
not published); ``sh:Warning`` = a fault of the source document (published with the data);
``sh:Info`` = a note for review.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, cast

from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import BNode, Identifier, Node

from .compiled_shapes import CompiledShapes, Result
from .errors import ShapesError, SourceError
from .iris import IriMinter
from .package_data import shapes_dir
from .rdf.vocabulary import load_turtle, vocabulary_graph
from .vocab import BGT, DQV, OA, QB, bind_prefixes

_CJK = re.compile(r"[\u3400-\u9fff]")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|(?<![A-Za-z])\'[^\']*\'|https?://\S+|[0-9.%,:/_-]+')
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    """One SHACL result, readable (``message`` in Chinese, ``message_en`` in English)."""

    severity: str
    focus_node: str
    message: str
    message_en: str
    source_shape: str
    value: str | None = None
    path: str | None = None
    #: True when ``value`` is an IRI (the node at fault), not a literal.
    value_is_iri: bool = False


@dataclass
class ValidationOutcome:
    #: True when there is no sh:Violation (warnings and notes do not block publication).
    conforms: bool
    violations: int
    warnings: int
    infos: int
    #: The results graph (see :attr:`results`); None until the compiled engine's is first asked for.
    report: Graph | None = field(default=None, repr=False)
    rows: list[Finding] = field(default_factory=list)
    #: The compiled engine's results, from which :attr:`results` is written on first use.
    compiled: list[Result] = field(default_factory=list, repr=False)

    @property
    def results(self) -> Graph:
        """pyshacl's results graph (sh:ValidationReport with blank-node results); the compiled engine's results
        written the same way, on first use (the build publishes :attr:`rows` and never asks for it)."""
        if self.report is None:
            self.report = _results_graph(self.compiled)
        return self.report

    def by_shape(self, shape: str) -> list[Finding]:
        return [row for row in self.rows if row.source_shape == shape]


def comparable_results(outcome: ValidationOutcome) -> Counter[tuple[object, ...]]:
    """The results of a validation as rows that compare alike whichever engine gave them: focus node, path, value,
    source shape, source constraint, constraint component, severity and messages (blank nodes compare as blank:
    pyshacl copies them into its report under new labels). tests/shapes/test_compiled_shapes.py and
    bench/validation.py compare the two engines with it."""
    def term(node: Node | None) -> object:
        if isinstance(node, BNode):
            return "_:blank"
        if isinstance(node, Literal):
            return (str(node), node.language, node.datatype)
        return node

    results = outcome.results
    rows: Counter[tuple[object, ...]] = Counter()
    for result in results.subjects(SH.resultSeverity, None):
        fields = [term(results.value(result, p)) for p in (
            SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraint,
            SH.sourceConstraintComponent, SH.resultSeverity)]
        rows[(*fields, tuple(sorted(str(m) for m in results.objects(result, SH.resultMessage))))] += 1
    return rows


@cache
def _shapes(directory: Path) -> Graph:
    paths = sorted(directory.glob("*.ttl"))
    if not paths:
        raise ShapesError(f"{directory}: holds no SHACL shapes (*.ttl)")
    return load_turtle(paths, Graph())


def shapes_graph(directory: Path | None = None) -> Graph:
    """All ``shapes/*.ttl`` in one graph, exactly as written (parsed once per process; each call gets its own
    copy, so what a caller does to it is not seen by the next)."""
    return _copy(_shapes((directory or shapes_dir()).resolve()))


@cache
def _validation_shapes() -> Graph:
    """The shapes graph handed to pyshacl, which adds its own "system triples" to it (``owl:Class rdfs:subClassOf
    rdfs:Class`` …). A copy of its own, so the shapes the build publishes stay the files' triples: a release built
    after a validation in the same process (cold) and one built from the cache alone are the same."""
    return shapes_graph()


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    copy += graph
    return copy


@cache
def _default_vocabulary() -> Graph:
    return vocabulary_graph()


_PREPARED: dict[tuple[str, str | None, frozenset[tuple[str, str]]], Query] = {}
_PATCH_LOCK = threading.Lock()


@contextmanager
def _prepared_sparql() -> Iterator[None]:
    """pyshacl hands rdflib the same SHACL-SPARQL text for every focus node and rdflib parses it
    anew each time (~0.1 s a parse, most of a validation's cost). While we validate, parsed queries
    are reused; rdflib's prepared queries are meant to be evaluated with different bindings."""
    original = SPARQLProcessor.query

    def query(self: SPARQLProcessor, strOrQuery: str | Query,  # rdflib's own parameter names
              initBindings: Mapping[str, Any] | None = None, initNs: Mapping[str, Any] | None = None,
              base: str | None = None, DEBUG: bool = False) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, frozenset((k, str(v)) for k, v in (initNs or {}).items()))
            if key not in _PREPARED:
                _PREPARED[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = _PREPARED[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    with _PATCH_LOCK:
        SPARQLProcessor.query = query  # type: ignore[method-assign]
        try:
            yield
        finally:
            SPARQLProcessor.query = original  # type: ignore[method-assign]


def _needed_vocabulary(data: Graph, vocabularies: Sequence[Graph]) -> Graph:
    """The vocabulary the shapes consult: descriptions of the terms the data points to (code-list
    membership, labels), one hop. Keeps the validation's work proportional to one disclosure."""
    needed = Graph()
    for term in {o for o in data.objects() if isinstance(o, URIRef)}:
        for vocabulary in vocabularies:
            for triple in vocabulary.triples((term, None, None)):
                needed.add(triple)
    return needed


#: ``pyshacl``: the reference validator; ``compiled``: the same results ≥ 20× cheaper (compiled_shapes.py).
ENGINES = ("pyshacl", "compiled")
_COMPILED: dict[int, tuple[Graph, CompiledShapes]] = {}


def compiled_shapes(shapes: Graph | None = None,
                    predicates: Mapping[str, Any] | None = None) -> CompiledShapes:
    """A shapes graph (default: shapes/*.ttl) compiled once per process (keyed by the graph object). The compiled
    engine only reads the graph. ``predicates``: what :meth:`CompiledShapes.predicates_by_query` gave for these
    shapes before (the build keeps it in its cache), which spares parsing every SPARQL constraint now."""
    shapes = _shapes(shapes_dir().resolve()) if shapes is None else shapes
    entry = _COMPILED.get(id(shapes))
    if entry is None or entry[0] is not shapes:
        try:
            entry = (shapes, CompiledShapes(shapes, predicates))
        except Exception as exc:  # rdflib's query parser and our reader raise several types
            raise ShapesError(f"SHACL shapes cannot be compiled: {exc}",
                              "Fix the shape, or validate with the reference engine (pyshacl).") from None
        _COMPILED[id(shapes)] = entry
    return entry[1]


def validate_graph(data: Graph, vocabulary: Graph | Sequence[Graph] | None = None, shapes: Graph | None = None,
                   engine: str = "pyshacl", ntriples: bytes | None = None) -> ValidationOutcome:
    """Validate one disclosure graph with the shapes; the vocabulary supplies the code lists. It may be given as
    several graphs (the vocabulary, a year's classification schemes), which is the same as their union without
    the copy.

    ``engine="compiled"`` gives exactly pyshacl's results (tests/shapes/test_compiled_shapes.py) at a fraction
    of the cost; the build uses it, ``kg-publisher validate`` and the shape tests use pyshacl. The compiled engine
    may be given ``data`` as N-Triples too (``ntriples``, :func:`kg_publisher.ntriples.graph_ntriples`), which
    spares it writing them again."""
    if vocabulary is None:
        vocabularies: Sequence[Graph] = (_default_vocabulary(),)
    else:
        vocabularies = (vocabulary,) if isinstance(vocabulary, Graph) else tuple(vocabulary)
    if engine == "compiled":
        try:
            return _compiled_outcome(compiled_shapes(shapes).validate(data, vocabularies, ntriples))
        except (NotImplementedError, SyntaxError, ValueError) as exc:
            raise ShapesError(f"SHACL shapes cannot be applied by the compiled engine: {exc}",
                              "Validate with the reference engine (pyshacl).") from None
    if engine != "pyshacl":
        raise ShapesError(f"unknown validation engine {engine!r}", f"Use one of {', '.join(ENGINES)}.")
    shapes = _validation_shapes() if shapes is None else _copy(shapes)  # pyshacl writes into the graph it is given
    work = Graph()
    for triple in data:
        work.add(triple)
    for triple in _needed_vocabulary(data, vocabularies):
        work.add(triple)
    try:
        with _prepared_sparql():
            _, results, _ = validate(work, shacl_graph=shapes, inference="none", allow_warnings=True,
                                     advanced=True, abort_on_first=False)
    except Exception as exc:  # pyshacl reports broken shapes with its own exception types
        raise ShapesError(f"SHACL shapes cannot be applied: {exc}") from None
    if not isinstance(results, Graph):  # pyshacl returns some runtime errors instead of raising them
        raise ShapesError(f"SHACL shapes cannot be applied: {results}")
    return _outcome(results)


def _results_graph(results: list[Result]) -> Graph:
    """Compiled-engine results written as pyshacl writes its results graph (blank-node sh:ValidationResults)."""
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not any(r.shape.severity == SH.Violation for r in results))))
    for result in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.sourceShape, result.shape.node))
        graph.add((node, SH.resultSeverity, result.shape.severity))
        graph.add((node, SH.sourceConstraintComponent, result.component))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
        if result.source_constraint is not None:
            graph.add((node, SH.sourceConstraint, result.source_constraint))
        for message in result.messages:
            graph.add((node, SH.resultMessage, message))
    return graph


def _outcome(results: Graph) -> ValidationOutcome:
    return _counted(list(_findings(results)), report=results)


def _compiled_outcome(results: list[Result]) -> ValidationOutcome:
    """The compiled engine's results as the findings :func:`_findings` reads from the graph they make."""
    findings = []
    for result in results:
        messages = {getattr(m, "language", None) or _language(m): str(m) for m in sorted(set(result.messages))}
        zh = messages.get("zh") or next(iter(messages.values()), "")
        findings.append(Finding(
            severity=_severity(result.shape.severity), focus_node=str(result.focus), message=zh,
            message_en=messages.get("en", zh), source_shape=_text(result.shape.node) or "(anonymous shape)",
            value=_text(result.value), value_is_iri=isinstance(result.value, URIRef), path=_text(result.path),
        ))
    return _counted(findings, compiled=results)


def _counted(findings: list[Finding], report: Graph | None = None,
             compiled: list[Result] | None = None) -> ValidationOutcome:
    rows = sorted(findings, key=lambda f: (f.severity, f.source_shape, f.focus_node, f.message, f.value or ""))
    counts = {name: sum(1 for f in rows if f.severity == name) for name in SEVERITIES.values()}
    return ValidationOutcome(
        conforms=counts["Violation"] == 0, violations=counts["Violation"], warnings=counts["Warning"],
        infos=counts["Info"], report=report, rows=rows, compiled=compiled or [],
    )


def _text(node: Node | None) -> str | None:
    return None if node is None or isinstance(node, BNode) else str(node)


def _language(message: str) -> str:
    """pyshacl drops the language tag of the messages it fills in ({?var}); tell zh from en by script,
    ignoring quoted values, IRIs and numbers (English messages quote the Chinese names they cite).

    >>> _language('The text names the department "盘锦市政务服务中心"'), _language("合计 819.82万元 不符")
    ('en', 'zh')
    """
    bare = _QUOTED.sub("", message)
    letters = [c for c in bare if not c.isspace()]
    chinese = sum(1 for c in letters if _CJK.match(c))
    return "zh" if letters and chinese / len(letters) >= 0.2 else "en"


def _severity(node: Node | None) -> str:
    """The name of an ``sh:resultSeverity``; a missing or unknown one counts as a violation."""
    return SEVERITIES.get(node, "Violation") if isinstance(node, URIRef) else "Violation"


def _findings(results: Graph) -> Iterable[Finding]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        # Every object an rdflib graph holds is an Identifier (a str); the check only tells mypy so.
        texts = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, Identifier)]
        messages = {getattr(m, "language", None) or _language(m): str(m) for m in sorted(texts)}
        zh = messages.get("zh") or next(iter(messages.values()), "")
        yield Finding(
            severity=_severity(results.value(result, SH.resultSeverity)),
            focus_node=str(results.value(result, SH.focusNode)),
            message=zh,
            message_en=messages.get("en", zh),
            source_shape=_text(results.value(result, SH.sourceShape)) or "(anonymous shape)",
            value=_text(results.value(result, SH.value)),
            value_is_iri=isinstance(results.value(result, SH.value), URIRef),
            path=_text(results.value(result, SH.resultPath)),
        )


def quality_graph(outcome: ValidationOutcome, dataset_iri: URIRef, checked_with: str = "pyshacl") -> Graph:
    """The findings published with the data (W3C DQV): one ``dqv:QualityAnnotation`` per finding
    (an ``sh:ValidationResult`` too), plus measurements of the violation, warning and note counts.
    IRIs are derived from the data set IRI and the finding's content, so the graph is deterministic."""
    graph = Graph()
    bind_prefixes(graph)
    report = IriMinter.part(dataset_iri, "quality", "report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(outcome.violations == 0)))
    graph.add((report, DCTERMS.subject, dataset_iri))
    graph.add((report, RDFS.comment, Literal(f"SHACL validation ({checked_with}) of shapes/*.ttl", lang="en")))
    for metric, value in ((BGT.violationCount, outcome.violations), (BGT.warningCount, outcome.warnings),
                          (BGT.infoCount, outcome.infos)):
        name = str(metric).rsplit("#", 1)[1]
        measurement = IriMinter.part(dataset_iri, "quality", name)
        graph.add((dataset_iri, DQV.hasQualityMeasurement, measurement))
        graph.add((measurement, RDF.type, DQV.QualityMeasurement))
        graph.add((measurement, DQV.computedOn, dataset_iri))
        graph.add((measurement, DQV.isMeasurementOf, metric))
        graph.add((measurement, DQV.value, Literal(value, datatype=XSD.integer)))
        graph.add((measurement, PROV.wasDerivedFrom, report))
    for finding in outcome.rows:
        _add_finding(graph, report, dataset_iri, finding)
    return graph


def add_findings(quality: Graph, outcome: ValidationOutcome, dataset_iri: URIRef) -> None:
    """Add the findings of a later check of ``dataset_iri`` (the build's cross-year checks) to its quality graph
    made by :func:`quality_graph`, counting them in its measurements."""
    report = IriMinter.part(dataset_iri, "quality", "report")
    for metric, value in ((BGT.violationCount, outcome.violations), (BGT.warningCount, outcome.warnings),
                          (BGT.infoCount, outcome.infos)):
        measurement = IriMinter.part(dataset_iri, "quality", str(metric).rsplit("#", 1)[1])
        before = quality.value(measurement, DQV.value)
        total = (before.toPython() if isinstance(before, Literal) else 0) + value
        quality.set((measurement, DQV.value, Literal(total, datatype=XSD.integer)))
    if outcome.violations:
        quality.set((report, SH.conforms, Literal(False)))
    for finding in outcome.rows:
        _add_finding(quality, report, dataset_iri, finding)


def _add_finding(graph: Graph, report: URIRef, dataset_iri: URIRef, finding: Finding) -> None:
    key = hashlib.sha1("|".join((finding.severity, finding.source_shape, finding.focus_node, finding.value or "",
                                 finding.path or "", finding.message)).encode()).hexdigest()[:16]
    annotation = IriMinter.part(dataset_iri, "finding", key)
    graph.add((dataset_iri, DQV.hasQualityAnnotation, annotation))
    graph.add((report, SH.result, annotation))
    graph.add((annotation, RDF.type, DQV.QualityAnnotation))
    graph.add((annotation, RDF.type, SH.ValidationResult))
    graph.add((annotation, OA.hasTarget, dataset_iri))
    graph.add((annotation, OA.motivatedBy, DQV.qualityAssessment))
    graph.add((annotation, DQV.inDimension, BGT.consistency))
    graph.add((annotation, SH.resultSeverity, getattr(SH, finding.severity)))
    graph.add((annotation, SH.focusNode, URIRef(finding.focus_node)))
    if finding.source_shape.startswith(("http://", "https://")):
        graph.add((annotation, SH.sourceShape, URIRef(finding.source_shape)))
    graph.add((annotation, SH.resultMessage, Literal(finding.message, lang="zh")))
    if finding.message_en != finding.message:
        graph.add((annotation, SH.resultMessage, Literal(finding.message_en, lang="en")))
    if finding.path:
        graph.add((annotation, SH.resultPath, URIRef(finding.path)))
    if finding.value is not None:
        # the node at fault (cross-checks report it as the value) stays a link
        value_node = URIRef(finding.value) if finding.value_is_iri else Literal(finding.value)
        graph.add((annotation, SH.value, value_node))
    graph.add((annotation, RDFS.comment, Literal(finding.message, lang="zh")))


_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".rdf": "xml"}


def validate_files(paths: Sequence[Path | tuple[str, IO[bytes]]], fmt: str | None = None) -> ValidationOutcome:
    """Validate RDF files, or ``(name, stream)`` pairs (e.g. a release's whole graph,
    :meth:`~kg_publisher.publish.release.Release.open_nquads`), each read in the syntax its name's suffix says (a
    ``.gz`` file decompressed): each named graph holding a ``qb:DataSet`` is validated on its own (one disclosure
    at a time); input without data sets is validated whole."""
    dataset = Dataset()
    for item in paths:
        path, stream = (Path(item[0]), item[1]) if isinstance(item, tuple) else (Path(item), None)
        suffixes = path.suffixes
        zipped = bool(suffixes) and suffixes[-1].lower() == ".gz"
        suffix = (suffixes[-2] if zipped and len(suffixes) > 1 else path.suffix).lower()
        syntax = fmt or _FORMATS.get(suffix)
        if syntax is None:
            known = ", ".join(_FORMATS.values())
            raise SourceError(f"{path}: unknown RDF syntax", f"Name the syntax with --format ({known}).")
        try:
            opened = stream or cast(IO[bytes], gzip.open(path, "rb") if zipped else open(path, "rb"))
            with opened:
                dataset.parse(source=opened, format=syntax)
        except FileNotFoundError:
            raise SourceError(f"{path}: no such file", "Give RDF files to validate.") from None
        except Exception as exc:  # rdflib raises several unrelated types for bad syntax
            raise SourceError(f"{path}: not valid {syntax} ({exc})", "Give RDF files (Turtle, N-Quads …).") from None
    graphs = [graph for graph in dataset.graphs() if (None, RDF.type, QB.DataSet) in graph]
    if not graphs:
        whole = Graph()
        for triple in dataset.triples((None, None, None)):
            whole.add(triple)
        graphs = [whole]
    outcomes = [validate_graph(graph) for graph in graphs]
    results = Graph()
    for outcome in outcomes:
        results += outcome.results
    return ValidationOutcome(
        conforms=all(o.conforms for o in outcomes), violations=sum(o.violations for o in outcomes),
        warnings=sum(o.warnings for o in outcomes), infos=sum(o.infos for o in outcomes), report=results,
        rows=[row for outcome in outcomes for row in outcome.rows],
    )
