"""The W3C SPARQL query test suites as plain data, and how their expected results are compared with ours.

Manifests are read with rdflib under the IRIs the suites were published at, so test, query and data IRIs are the
ones the expected results name; :func:`local_path` maps such an IRI back to the copy in ``shared/standards``.
Comparison follows the suites' rules: solutions as multisets with blank nodes matched up to renaming, order
only where the outermost query has ORDER BY, graphs by isomorphism, literals as RDF 1.1 terms (``"a"`` is
``"a"^^xsd:string``, language tags case-insensitive, lexical forms exact).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin

import rdflib
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.query import Result

from ..conftest import SHARED

SUITES_DIR = SHARED / "standards" / "sparql"
#: Local folder → the IRI its files were published under (the manifests' base).
PUBLISHED_AT = {
    "sparql11": "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/",
    "sparql10": "http://www.w3.org/2001/sw/DataAccess/tests/data-r2/",
}

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
RDF_LANG_STRING = str(RDF.langString)

EVALUATION = "evaluation"
POSITIVE = "positive syntax"
NEGATIVE = "negative syntax"
_KINDS = {
    MF.QueryEvaluationTest: EVALUATION, MF.CSVResultFormatTest: EVALUATION,
    MF.PositiveSyntaxTest: POSITIVE, MF.PositiveSyntaxTest11: POSITIVE,
    MF.NegativeSyntaxTest: NEGATIVE, MF.NegativeSyntaxTest11: NEGATIVE,
}


@dataclass(frozen=True)
class Case:
    """One W3C test: its short id (``sparql10/basic/manifest#base-prefix-1``) and what it runs."""

    id: str
    kind: str
    query: str
    data: tuple[str, ...] = ()
    graph_data: tuple[str, ...] = ()
    result: str | None = None
    #: ``mf:LaxCardinality``: duplicates may or may not be eliminated (REDUCED).
    lax: bool = False

    def query_text(self) -> str:
        """The query as a client sends it: prefixed with ``BASE <its own IRI>``, as the suites expect."""
        return f"BASE <{self.query}>\n" + local_path(self.query).read_text(encoding="utf-8")


def local_path(iri: str) -> Path:
    for folder, published in PUBLISHED_AT.items():
        if iri.startswith(published):
            return SUITES_DIR / folder / iri[len(published):]
    raise ValueError(f"{iri} is not an IRI of the W3C test suites")


def published_iri(path: Path) -> str:
    relative = path.relative_to(SUITES_DIR)
    return PUBLISHED_AT[relative.parts[0]] + "/".join(relative.parts[1:])


def _short_id(iri: str) -> str:
    for folder, published in PUBLISHED_AT.items():
        if iri.startswith(published):
            return folder + "/" + iri[len(published):]
    return iri


def read_manifest(path: Path) -> list[Case]:
    """Every test of ``path`` and of the manifests it includes, in manifest order."""
    graph = Graph().parse(path, format="turtle", publicID=published_iri(path))
    manifest = URIRef(published_iri(path))
    cases: list[Case] = []
    for include_list in graph.objects(manifest, MF.include):
        for included in Collection(graph, include_list):
            cases += read_manifest(local_path(str(included)))
    for entry_list in graph.objects(manifest, MF.entries):
        for entry in Collection(graph, entry_list):
            case = _case(graph, entry)
            if case is not None:
                cases.append(case)
    return cases


def _case(graph: Graph, entry: rdflib.term.Node) -> Case | None:
    kind = next((_KINDS[t] for t in graph.objects(entry, RDF.type) if t in _KINDS), None)
    if kind is None:
        return None  # update, protocol and service tests are run elsewhere (or refused by design)
    action = graph.value(entry, MF.action)
    if kind != EVALUATION:
        return Case(_short_id(str(entry)), kind, str(action))
    result = graph.value(entry, MF.result)
    lax = (entry, MF.resultCardinality, MF.LaxCardinality) in graph
    return Case(
        _short_id(str(entry)), kind, str(graph.value(action, QT.query)),
        data=tuple(sorted(str(d) for d in graph.objects(action, QT.data))),
        graph_data=tuple(sorted(str(d) for d in graph.objects(action, QT.graphData))),
        result=str(result) if result is not None else None, lax=lax,
    )


# --- the query text --------------------------------------------------------------------------------------------

_LEXEMES = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                      r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def _masked(query: str) -> str:
    return _LEXEMES.sub(lambda m: " " * len(m.group(0)), query)


def _outermost(query: str) -> str:
    """The query text outside any ``{…}`` (strings, IRIs and comments blanked)."""
    depth, out = 0, []
    for char in _masked(query):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def order_variables(query: str) -> list[str] | None:
    """Variables of the outermost ORDER BY (None when the query's answer is unordered)."""
    match = re.search(r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|\bVALUES\b|$)", _outermost(query), re.I | re.S)
    if match is None:
        return None
    return re.findall(r"[?$]([A-Za-z0-9_]+)", match.group(1))


def from_iris(case: Case) -> list[str]:
    """The graphs the query's own FROM / FROM NAMED clauses name, resolved against the query's IRI."""
    text = local_path(case.query).read_text(encoding="utf-8")
    masked = _LEXEMES.sub(lambda m: m.group(0) if m.group(0).startswith("<") else " " * len(m.group(0)), text)
    return [urljoin(case.query, iri) for iri in re.findall(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", masked, re.I)]


# --- results ---------------------------------------------------------------------------------------------------

@contextmanager
def lexical_forms_kept() -> Iterator[None]:
    """rdflib rewrites literals it parses (``"01"^^xsd:integer`` → ``"1"``) unless told not to; we compare the
    lexical forms the server wrote, so switch that off while parsing."""
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = previous


@dataclass
class Answer:
    """A parsed answer: a boolean, a graph, or solutions (rows of variable → term key; ``ordered`` when the
    document fixes an order)."""

    boolean: bool | None = None
    graph: Graph | None = None
    variables: frozenset[str] | None = None
    rows: list[dict[str, tuple[str, ...]]] | None = None


Term = tuple[str, ...]


def term_key(term: rdflib.term.Node) -> Term:
    if isinstance(term, Literal):
        language = term.language.lower() if term.language else None
        if language:
            return ("literal", str(term), RDF_LANG_STRING, language)
        return ("literal", str(term), str(term.datatype or XSD.string))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    return ("iri", str(term))


def engine_answer(result: object) -> Answer:
    """pyoxigraph's own answer to a query (``Store.query``), to tell its deviations from our serialisers'."""
    import pyoxigraph as ox

    def key(term: object) -> Term:
        if isinstance(term, ox.Literal):
            if term.language:
                return ("literal", term.value, RDF_LANG_STRING, term.language.lower())
            return ("literal", term.value, term.datatype.value)
        if isinstance(term, ox.BlankNode):
            return ("bnode", term.value)
        assert isinstance(term, ox.NamedNode), term
        return ("iri", term.value)

    if isinstance(result, ox.QueryBoolean):
        return Answer(boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [{name: key(row[name]) for name in names if row[name] is not None} for row in result]
        return Answer(variables=frozenset(names), rows=rows)
    data = ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES)  # type: ignore[call-overload]
    with lexical_forms_kept():
        return Answer(graph=Graph().parse(data=data, format="nt"))


def as_csv(answer: Answer) -> Answer:
    """What survives of an answer written as CSV: literals become plain strings."""
    if answer.rows is None:
        return answer
    rows = [{v: ("literal", t[1], str(XSD.string)) if t[0] == "literal" else t for v, t in row.items()}
            for row in answer.rows]
    return Answer(variables=answer.variables, rows=rows)


def _from_result(result: Result) -> Answer:
    if result.type == "ASK":
        return Answer(boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        rows = [{str(v): term_key(t) for v, t in row.items() if t is not None} for row in result.bindings]
        return Answer(variables=frozenset(str(v) for v in result.vars or ()), rows=rows)
    assert result.graph is not None
    return Answer(graph=result.graph)


def _from_result_set_graph(graph: Graph) -> Answer:
    """A SPARQL 1.0 result set written in the ``rs:`` vocabulary (solutions ordered by ``rs:index`` if given)."""
    result_set = graph.value(predicate=RDF.type, object=RS.ResultSet)
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return Answer(boolean=bool(boolean.toPython()))
    solutions = []
    for solution in graph.objects(result_set, RS.solution):
        row = {str(graph.value(b, RS.variable)): term_key(graph.value(b, RS.value))
               for b in graph.objects(solution, RS.binding)}
        index = graph.value(solution, RS["index"])  # RS.index is str.index
        solutions.append((int(index) if index is not None else 0, row))
    solutions.sort(key=lambda pair: pair[0])
    return Answer(variables=frozenset(str(v) for v in graph.objects(result_set, RS.resultVariable)),
                  rows=[row for _, row in solutions])


_RESULT_FORMATS = {".srx": "xml", ".srj": "json", ".csv": "csv", ".tsv": "tsv"}
_GRAPH_FORMATS = {".ttl": "turtle", ".rdf": "xml", ".nt": "nt"}


def expected_answer(result_iri: str) -> Answer:
    path = local_path(result_iri)
    with lexical_forms_kept():
        if path.suffix in _RESULT_FORMATS:
            return _from_result(Result.parse(BytesIO(path.read_bytes()), format=_RESULT_FORMATS[path.suffix]))
        graph = Graph().parse(path, format=_GRAPH_FORMATS[path.suffix], publicID=result_iri)
    if (None, RDF.type, RS.ResultSet) in graph:
        return _from_result_set_graph(graph)
    return Answer(graph=graph)


#: Response media type → (rdflib results format | None, rdflib graph format | None).
_RESPONSE_FORMATS = {
    "application/sparql-results+json": ("json", None), "application/json": ("json", None),
    "application/sparql-results+xml": ("xml", None),
    "text/csv": ("csv", None), "text/tab-separated-values": ("tsv", None),
    "text/turtle": (None, "turtle"), "application/n-triples": (None, "nt"), "application/rdf+xml": (None, "xml"),
    "application/ld+json": (None, "json-ld"),
}


def response_answer(body: bytes, media_type: str) -> Answer:
    if media_type not in _RESPONSE_FORMATS:
        raise ValueError(f"unexpected response media type {media_type}")
    results, graph_format = _RESPONSE_FORMATS[media_type]
    with lexical_forms_kept():
        if results is not None:
            return _from_result(Result.parse(BytesIO(body), format=results))
        return Answer(graph=Graph().parse(data=body, format=graph_format))


# --- comparison ------------------------------------------------------------------------------------------------

Row = dict[str, Term]


def _skeleton(row: Row) -> frozenset[tuple[str, Term]]:
    return frozenset((v, ("bnode",) if t[0] == "bnode" else t) for v, t in row.items())


def _extend(mapping: dict[str, str], back: dict[str, str], ours: Row, theirs: Row) -> list[tuple[str, str]] | None:
    """Bind blank nodes of ``ours`` to those of ``theirs`` (both ways one-to-one); the new pairs, or None."""
    added: list[tuple[str, str]] = []
    for variable, term in ours.items():
        if term[0] != "bnode":
            continue
        other = theirs[variable][1]
        known, known_back = mapping.get(term[1]), back.get(other)
        if known is None and known_back is None:
            mapping[term[1]], back[other] = other, term[1]
            added.append((term[1], other))
        elif known != other or known_back != term[1]:
            for a, b in added:
                del mapping[a], back[b]
            return None
    return added


def _rows_match(ours: list[Row], theirs: list[Row]) -> bool:
    """Multiset equality with blank nodes equal up to a consistent renaming (backtracking over candidates)."""
    if len(ours) != len(theirs) or Counter(map(_skeleton, ours)) != Counter(map(_skeleton, theirs)):
        return False
    if not any(t[0] == "bnode" for row in ours for t in row.values()):
        return True
    mapping: dict[str, str] = {}
    back: dict[str, str] = {}
    used = [False] * len(theirs)
    skeletons = [_skeleton(row) for row in theirs]

    def place(i: int) -> bool:
        if i == len(ours):
            return True
        shape = _skeleton(ours[i])
        for j, candidate in enumerate(theirs):
            if used[j] or skeletons[j] != shape:
                continue
            added = _extend(mapping, back, ours[i], candidate)
            if added is None:
                continue
            used[j] = True
            if place(i + 1):
                return True
            used[j] = False
            for a, b in added:
                del mapping[a], back[b]
        return False

    return place(0)


def _dedupe(rows: list[Row]) -> list[Row]:
    seen: dict[frozenset[tuple[str, Term]], Row] = {}
    for row in rows:
        seen.setdefault(frozenset(row.items()), row)
    return list(seen.values())


def _normalised(graph: Graph) -> Graph:
    """Literals as RDF 1.1 terms: no explicit xsd:string, lower-case language tags."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal):
            if o.language:
                o = Literal(str(o), lang=o.language.lower())
            elif o.datatype == XSD.string:
                o = Literal(str(o))
        out.add((s, p, o))
    return out


def difference(ours: Answer, expected: Answer, order: list[str] | None, lax: bool) -> str | None:
    """None when ``ours`` answers as ``expected`` does; otherwise a short description of how they differ."""
    if expected.boolean is not None:
        return None if ours.boolean == expected.boolean else f"boolean {ours.boolean}, expected {expected.boolean}"
    if expected.graph is not None:
        if ours.graph is None:
            return "a result set where a graph was expected"
        with lexical_forms_kept():
            same = isomorphic(_normalised(ours.graph), _normalised(expected.graph))
        if same:
            return None
        return f"graph of {len(ours.graph)} triples not isomorphic to the expected {len(expected.graph)}"
    if ours.rows is None or expected.rows is None:
        return "a graph or boolean where solutions were expected"
    if expected.variables and ours.variables != expected.variables:
        return f"variables {sorted(ours.variables or ())}, expected {sorted(expected.variables)}"
    our_rows, their_rows = (_dedupe(ours.rows), _dedupe(expected.rows)) if lax else (ours.rows, expected.rows)
    if not _rows_match(our_rows, their_rows):
        return f"{len(our_rows)} solutions differ from the {len(their_rows)} expected"
    keys = [v for v in order or () if v in (expected.variables or ())]
    if keys:
        def sequence(rows: list[Row]) -> list[tuple[Term, ...]]:
            return [tuple(("bnode",) if row.get(k, ("unbound",))[0] == "bnode" else row.get(k, ("unbound",))
                          for k in keys) for row in rows]
        if sequence(ours.rows) != sequence(expected.rows):
            return f"solutions in another order (ORDER BY {', '.join(keys)})"
    return None
