"""The published shapes compiled once per process into a fast validator with pyshacl's results.

pyshacl (``validate.validate_graph(..., engine="pyshacl")``) is the reference: ``kg-publisher validate`` runs it
and ``tests/shapes/test_compiled_shapes.py`` checks that this validator reports exactly the same results (focus
node, path, value, source shape, constraint component, severity, messages) on every corpus document, on generated
ones and on every shape test case. The build uses this one because it is ≥ 20 times cheaper (bench/validation.py):

- the shapes graph is read once per process into plain Python objects (:class:`Shape`), each path and each
  constraint compiled into a function, their parameters in the form the data is indexed in;
- the document is read once into a Python index whose IRIs are plain ``str`` (hashed and compared in C, where
  rdflib's terms hash and compare in Python); blank nodes and literals stay rdflib's objects. The vocabulary and
  code lists are indexed once per graph object (not copied per document); only the descriptions of the terms the
  document points to are looked up in them (one hop, like the reference);
- SHACL Core constraints are checked in Python on that index;
- each SHACL-SPARQL constraint runs as **one** SPARQL SELECT on pyoxigraph for all its focus nodes at once
  (``$this`` bound by a ``VALUES`` block), not once per focus node in rdflib's engine;
- pyoxigraph writes numbers in canonical form (``21`` where the data says ``21.0``) and keeps 18 decimals where
  rdflib's Decimal arithmetic keeps 28 digits. Where a constraint's result could carry a number, the rows
  pyoxigraph found are evaluated again in rdflib for just those focus nodes, so every message carries exactly
  the values pyshacl prints; constraints whose results cannot carry a number keep pyoxigraph's rows. For the
  parts-and-totals constraints those rows are computed in Python from the index instead, and a few grouping
  queries are answered from the index altogether (``compiled_rows.py``);
- a SPARQL constraint is not run on a document that lacks a (predicate, object) every solution of it matches (read
  from its algebra once);
- a shape's core constraints are also compiled into one test of a focus node's value nodes, which answers the
  common case (nothing fails) without a call per constraint.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.paths import NegatedPath
from rdflib.paths import Path as RdfPath
from rdflib.plugins.sparql.algebra import triples
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

from .compiled_rows import Answer, Computation, answer, computation
from .ntriples import grouped_triples

Triple = tuple[Node, Node, Node]
#: A term as the validator indexes it: an IRI as a plain ``str``, a blank node or a literal as rdflib's object
#: (both are ``str`` subclasses that never equal a plain ``str``).
Key = Any
_SPARQL_COMPONENT = SH.SPARQLConstraintComponent
# rdflib's namespaces look a name up in Python (≈ 3 µs each): what the checks use is looked up once here.
_XSD_STRING, _XSD_STRING_IRI, _RDF_LANG_STRING = XSD.string, str(XSD.string), RDF.langString
_RDFS_LITERAL, _RDFS_DATATYPE = RDFS.Literal, RDFS.Datatype
_CLASS_COMPONENT, _MIN_COUNT, _MAX_COUNT = SH.ClassConstraintComponent, SH.MinCountConstraintComponent, \
    SH.MaxCountConstraintComponent
_HAS_VALUE, _QUALIFIED_MIN, _QUALIFIED_MAX = SH.HasValueConstraintComponent, \
    SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent
_UNIQUE_LANG, _LESS_THAN = SH.UniqueLangConstraintComponent, SH.LessThanConstraintComponent
_RDF_TYPE, _SUBCLASS_OF = str(RDF.type), str(RDFS.subClassOf)
_TARGET_KINDS = {SH.targetNode: "node", SH.targetClass: "class", SH.targetObjectsOf: "objects",
                 SH.targetSubjectsOf: "subjects"}
#: Stands for sh:qualifiedValueShape while shapes are read; results name the min or max component.
_QUALIFIED = URIRef(str(SH) + "qualifiedValueShape")
#: Variables pyshacl takes out of a SPARQL result row (the rest fill in the message).
_RESERVED = ("failure", "path", "value", "this")


@dataclass
class SparqlConstraint:
    node: Node
    select: str
    messages: list[Literal]
    #: The query with a ``VALUES`` block of all focus nodes for ``$this`` (``@FOCUS@``), for pyoxigraph.
    oxigraph_text: str
    #: The query as written (``$this`` bound by substitution, one focus node at a time), for pyoxigraph.
    substitution_text: str
    #: The prefixes the shape declares (what rdflib parses the query with).
    prefixes: dict[str, str]
    #: True when binding ``?value`` in advance keeps the query's other rows unchanged: it is matched, not
    #: computed (no ``AS ?value``), and every GROUP BY groups by it.
    narrows_to_value: bool
    #: Variables the query turns into text, and for each the predicates it is matched as the object of
    #: (None: computed, or matched through a path). A number turned into text reads differently in
    #: rdflib (``21.0``) and pyoxigraph (``21``).
    stringified: dict[str, list[str] | None]
    #: The predicates the query matches (None: some triple pattern has a variable as predicate).
    predicates: frozenset[str] | None = None
    #: What every solution of the query matches: (predicate, object IRI or None for any object). A document
    #: without one of them gives no row, so the query is not run on it.
    required: tuple[tuple[str, str | None], ...] = ()
    #: Its rows computed in Python as rdflib gives them (``compiled_rows.py``), for the few queries that have one.
    computation: Computation | None = None
    #: Its rows found in Python from the index instead of by pyoxigraph (``compiled_rows.py``), for a few queries.
    answer: Answer | None = None
    _query: Query | None = field(default=None, repr=False)

    @property
    def rdflib_query(self) -> Query:
        """The text for rdflib, parsed on first use (few constraints ever need it: rdflib's parser costs more than
        the rest of compiling the shapes); evaluated with ``this`` bound like pyshacl does."""
        if self._query is None:
            self._query = prepareQuery(self.select, initNs=self.prefixes)
        return self._query


@dataclass
class Shape:
    node: Node
    is_property: bool
    path: Node | None
    severity: URIRef
    messages: list[Literal]
    deactivated: bool
    targets: list[tuple[URIRef, Node]] = field(default_factory=list)
    #: (constraint component, parameter) in the order they are checked.
    constraints: list[tuple[URIRef, Any]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    #: The targets as ("node" | "class" | "objects" | "subjects", term in index form).
    target_keys: list[tuple[str, Key]] = field(default_factory=list)
    #: The path compiled: (run, focus node) → its value nodes, without repeats.
    values: Callable[[_Run, Key], Sequence[Key]] | None = None
    #: The constraints compiled: (check, parameter in index form); a check gives (component, value) per failure.
    checks: list[tuple[Callable[..., Sequence[tuple[URIRef, Key]]], Any]] = field(default_factory=list)
    #: The property shapes not deactivated.
    active_properties: list[Shape] = field(default_factory=list)
    #: A property shape with a path, core constraints only (no property shapes, no SPARQL of its own).
    plain: bool = False
    #: The core constraints as one test of the value nodes (True: none fails), when they are all of the kinds it
    #: knows; a node it says False for is checked again by :attr:`checks`, which name each failure.
    passes: Callable[[_Run, Sequence[Key]], bool] | None = None


@dataclass(frozen=True)
class Result:
    """One validation result, as pyshacl reports it."""

    focus: Node
    shape: Shape
    component: URIRef
    value: Node | None = None
    path: Node | None = None
    source_constraint: Node | None = None
    messages: tuple[Literal, ...] = ()


class CompiledShapes:
    """A shapes graph read into :class:`Shape` objects; :meth:`validate` checks one data graph."""

    def __init__(self, shapes: Graph, predicates: Mapping[str, Any] | None = None) -> None:
        """``predicates`` gives, by query text, what :meth:`predicates_by_query` gave for the same shapes before
        (then those queries are not parsed by rdflib now; a value in another form is worked out again)."""
        self.graph = shapes
        self._known = dict(predicates or {})
        self._shapes: dict[Node, Shape] = {}
        roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
        for predicate in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf):
            roots |= set(shapes.subjects(predicate, None))
        self.targeted = [self.shape(node) for node in sorted(roots, key=str) if self.shape(node).targets]
        used = [c.predicates for shape in self._shapes.values() for c in shape.sparql]
        #: The predicates some SPARQL constraint matches (None: any may be): only their triples go to pyoxigraph.
        self.sparql_predicates: frozenset[str] | None = (
            None if any(u is None for u in used) else frozenset().union(*used))  # type: ignore[arg-type]

    # ---- reading the shapes -----------------------------------------------------------------------------
    def shape(self, node: Node) -> Shape:
        if node in self._shapes:
            return self._shapes[node]
        g = self.graph
        path = g.value(node, SH.path)
        severity = g.value(node, SH.severity)
        shape = Shape(
            node=node, is_property=path is not None, path=path,
            severity=severity if isinstance(severity, URIRef) else SH.Violation,
            messages=[m for m in g.objects(node, SH.message) if isinstance(m, Literal)],
            deactivated=g.value(node, SH.deactivated) == Literal(True),
        )
        self._shapes[node] = shape
        for predicate in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf):
            shape.targets += [(predicate, target) for target in g.objects(node, predicate)]
        if (node, RDF.type, RDFS.Class) in g:
            shape.targets.append((SH.targetClass, node))
        shape.target_keys = [(_TARGET_KINDS[kind], _key(target)) for kind, target in shape.targets]
        shape.constraints = list(self._core_constraints(node))
        shape.checks = [(_CHECKS[component], _parameter(component, parameter))
                        for component, parameter in shape.constraints]
        shape.passes = _passes(shape.constraints)
        shape.values = None if path is None else self._path(path)
        shape.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        shape.active_properties = [p for p in shape.properties if not p.deactivated]
        shape.sparql = [self._sparql(c) for c in g.objects(node, SH.sparql)]
        shape.plain = shape.values is not None and not shape.properties and not shape.sparql
        return shape

    def _path(self, path: Node) -> Callable[[_Run, Key], Sequence[Key]]:
        """A SHACL property path as a function of (run, focus node) giving the value nodes, without repeats."""
        g = self.graph
        if isinstance(path, URIRef):
            predicate = str(path)

            def objects(run: _Run, focus: Key) -> Sequence[Key]:
                found = run.out.get(focus)
                return found.get(predicate, ()) if found is not None else ()
            return objects
        if (path, RDF.first, None) in g:
            steps = [self._path(step) for step in self._list(path)]

            def sequence(run: _Run, focus: Key) -> Sequence[Key]:
                current: Sequence[Key] = [focus]
                for step in steps:
                    current = _dedup(n for node in current for n in step(run, node))
                return current
            return sequence
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            if not isinstance(inverse, URIRef):
                raise NotImplementedError("compiled shapes support sh:inversePath of an IRI only")
            predicate = str(inverse)
            return lambda run, focus: run.subjects(predicate, focus)
        alternatives = g.value(path, SH.alternativePath)
        if alternatives is not None:
            options = [self._path(step) for step in self._list(alternatives)]
            return lambda run, focus: _dedup(n for option in options for n in option(run, focus))
        for predicate_node, at_least_one in ((SH.zeroOrMorePath, False), (SH.oneOrMorePath, True)):
            inner = g.value(path, predicate_node)
            if inner is not None:
                return _closure(self._path(inner), at_least_one)
        inner = g.value(path, SH.zeroOrOnePath)
        if inner is not None:
            step = self._path(inner)
            return lambda run, focus: _dedup([focus, *step(run, focus)])
        raise NotImplementedError(f"compiled shapes do not support the path {path!r}")

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.graph, node))  # type: ignore[arg-type]

    def _core_constraints(self, node: Node) -> Iterator[tuple[URIRef, Any]]:
        g = self.graph
        single = {
            SH["class"]: SH.ClassConstraintComponent, SH.datatype: SH.DatatypeConstraintComponent,
            SH.nodeKind: SH.NodeKindConstraintComponent, SH.minCount: SH.MinCountConstraintComponent,
            SH.maxCount: SH.MaxCountConstraintComponent, SH.minInclusive: SH.MinInclusiveConstraintComponent,
            SH.maxInclusive: SH.MaxInclusiveConstraintComponent, SH.minExclusive: SH.MinExclusiveConstraintComponent,
            SH.maxExclusive: SH.MaxExclusiveConstraintComponent, SH.minLength: SH.MinLengthConstraintComponent,
            SH.maxLength: SH.MaxLengthConstraintComponent, SH.hasValue: SH.HasValueConstraintComponent,
            SH.lessThan: SH.LessThanConstraintComponent, SH.equals: SH.EqualsConstraintComponent,
            SH.uniqueLang: SH.UniqueLangConstraintComponent,
        }
        known = {*single, SH.pattern, SH.flags, SH["in"], SH.languageIn, SH["or"], SH["and"], SH["not"], SH.xone,
                 SH.node, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
                 SH.qualifiedValueShapesDisjoint, SH.closed, SH.ignoredProperties, SH.disjoint, SH.lessThanOrEquals}
        for predicate, component in single.items():
            for value in g.objects(node, predicate):
                if predicate == SH.uniqueLang and value != Literal(True):
                    continue
                yield component, value
        for pattern in g.objects(node, SH.pattern):
            flags = str(g.value(node, SH.flags) or "")
            yield SH.PatternConstraintComponent, re.compile(str(pattern), _regex_flags(flags))
        for members in g.objects(node, SH["in"]):
            yield SH.InConstraintComponent, self._list(members)
        for languages in g.objects(node, SH.languageIn):
            yield SH.LanguageInConstraintComponent, [str(tag).lower() for tag in self._list(languages)]
        for alternatives in g.objects(node, SH["or"]):
            yield SH.OrConstraintComponent, [self.shape(s) for s in self._list(alternatives)]
        for required in g.objects(node, SH.node):
            yield SH.NodeConstraintComponent, self.shape(required)
        for qualified in g.objects(node, SH.qualifiedValueShape):
            low, high = g.value(node, SH.qualifiedMinCount), g.value(node, SH.qualifiedMaxCount)
            yield _QUALIFIED, (self.shape(qualified), low, high)
        unsupported = {p for p in g.predicates(node, None) if p in known and p not in single
                       and p not in (SH.pattern, SH.flags, SH["in"], SH.languageIn, SH["or"], SH.node,
                                     SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount)}
        if unsupported:
            raise NotImplementedError(f"{node}: compiled shapes do not support {sorted(map(str, unsupported))}")

    def _sparql(self, node: Node) -> SparqlConstraint:
        g = self.graph
        select = str(g.value(node, SH.select))
        prefixes: dict[str, str] = {}
        for holder in g.objects(node, SH.prefixes):
            for declaration in g.objects(holder, SH.declare):
                prefixes[str(g.value(declaration, SH.prefix))] = str(g.value(declaration, SH.namespace))
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
        text = re.sub(r"\$this\b", "?this", select)
        where = re.search(r"\bWHERE\s*\{", text, re.I)
        if where is None or not re.match(r"\s*SELECT\s+(DISTINCT\s+)?\?this\b", text, re.I):
            raise NotImplementedError(f"{node}: compiled shapes need SELECT $this … WHERE {{ … }}")
        body = _anti_joins(text)
        values = _anti_joins(text[:where.end()] + " VALUES ?this { @FOCUS@ } " + text[where.end():])
        oxigraph_text, substitution_text = prologue + values, prologue + body
        messages = [m for m in g.objects(node, SH.message) if isinstance(m, Literal)]
        stringified = {name: _expand(_object_predicates(select, name), prefixes) for name in _stringified(select)}
        groupings = re.findall(r"GROUP\s+BY\s+((?:[?$]\w+\s*)+)", select, re.I)
        narrows = (re.search(r"\bAS\s+[?$]value\b", select, re.I) is None
                   and len(groupings) == len(re.findall(r"GROUP\s+BY", select, re.I))
                   and all(re.search(r"[?$]value\b", grouping) for grouping in groupings))
        constraint = SparqlConstraint(node, select, messages, oxigraph_text, substitution_text, prefixes, narrows,
                                      stringified, computation=computation(select), answer=answer(select))
        known = self._known.get(select)
        if isinstance(known, dict) and set(known) == {"predicates", "required"}:
            constraint.predicates = None if known["predicates"] is None else frozenset(known["predicates"])
            constraint.required = tuple((p, o) for p, o in known["required"])
        else:
            algebra = constraint.rdflib_query.algebra
            constraint.predicates = _predicates(algebra)
            constraint.required = tuple(sorted(set(_required(algebra))))
        return constraint

    def predicates_by_query(self) -> dict[str, dict[str, Any]]:
        """What each SPARQL constraint matches (``predicates``: every predicate, None for any) and what each of its
        solutions matches (``required``: [predicate, object IRI or None]), by query text (JSON-ready): given back
        to a later :class:`CompiledShapes` of the same shapes, it spares rdflib's parse of every query."""
        return {c.select: {"predicates": None if c.predicates is None else sorted(c.predicates),
                           "required": [list(pair) for pair in c.required]}
                for shape in self._shapes.values() for c in shape.sparql}

    # ---- validating ---------------------------------------------------------------------------------------
    def prepare(self, vocabularies: Sequence[Graph]) -> None:
        """Index ``vocabularies`` now, as :meth:`validate` would on first use (a process about to fork workers)."""
        for graph in vocabularies:
            _vocabulary_index(graph)

    def validate(self, data: Graph, vocabularies: Sequence[Graph] = (), ntriples: bytes | None = None) -> list[Result]:
        """Validate ``data`` with the descriptions the ``vocabularies`` give of the terms it points to (one hop);
        ``data`` is lent those triples while rdflib evaluates a constraint and is given back as it was.

        ``ntriples``: ``data`` as N-Triples, when the caller has them (the build writes them into its cache): the
        SPARQL constraints query them as they are instead of the triples written out again. The store then also
        holds triples no constraint matches, which changes no result."""
        run = _Run(self, data, [_vocabulary_index(graph) for graph in vocabularies], ntriples)
        try:
            for shape in self.targeted:
                if shape.deactivated:
                    continue
                focus = sorted(run.focus_nodes(shape), key=str)
                if focus:
                    run.check(shape, focus, report=True)
        finally:
            run.give_back()
        return run.results


def _predicates(algebra: Any) -> frozenset[str] | None:
    """Every IRI of a query's algebra (so every predicate of its triple patterns, inside property paths, EXISTS
    and sub-queries too), None when a triple pattern may match any predicate (a variable, a negated path)."""
    found: set[str] = set()

    def path(step: Any) -> bool:
        if isinstance(step, URIRef):
            found.add(str(step))
            return True
        if isinstance(step, NegatedPath) or not isinstance(step, RdfPath):
            return False
        parts = getattr(step, "args", None) or [getattr(step, "arg", None) or getattr(step, "path", None)]
        return all(path(part) for part in parts)

    def walk(part: Any) -> bool:
        if isinstance(part, URIRef):
            found.add(str(part))
        elif isinstance(part, CompValue):
            if part.name in ("BGP", "TriplesBlock"):
                if not all(path(triple[1]) for triple in part.triples):
                    return False
            return all(walk(value) for value in part.values())
        elif isinstance(part, (list, tuple, set, frozenset)):
            return all(walk(value) for value in part)
        return True

    return frozenset(found) if walk(algebra) else None


#: Algebra nodes whose solutions are solutions of their pattern ``p`` (extended, projected, ordered, filtered …).
_PASSING = frozenset({"Extend", "Project", "Distinct", "Reduced", "OrderBy", "Slice", "ToMultiSet", "SelectQuery",
                      "Filter"})


def _required(part: Any) -> Iterator[tuple[str, str | None]]:
    """(predicate, object IRI or None) of the triple patterns every solution of a query's algebra matches: its
    basic graph patterns outside OPTIONAL's right side, MINUS's right side, UNION, NOT EXISTS and GRAPH, those
    of an ``EXISTS`` a FILTER requires, and those of a grouped sub-select (an aggregate over no group gives one
    row even when nothing matches, so its patterns are not required)."""
    if not isinstance(part, CompValue):
        return
    name = part.name
    if name == "BGP":
        yield from _required_triples(part.get("triples") or ())
    elif name == "Join":
        yield from _required(part.get("p1"))
        yield from _required(part.get("p2"))
    elif name in ("LeftJoin", "Minus"):
        yield from _required(part.get("p1"))
    elif name in ("AggregateJoin", "Group"):
        group = part.get("p") if name == "AggregateJoin" else part
        if isinstance(group, CompValue) and group.name == "Group" and group.get("expr") is not None:
            yield from _required(group.get("p"))
    elif name in _PASSING:
        yield from _required(part.get("p"))
        if name == "Filter":
            yield from _required_exists(part.get("expr"))


def _required_exists(expression: Any) -> Iterator[tuple[str, str | None]]:
    """The triple patterns of the ``EXISTS`` a filter expression requires (itself, or one of the operands of
    ``&&``)."""
    if not isinstance(expression, CompValue):
        return
    if expression.name == "ConditionalAndExpression":
        for operand in [expression.get("expr"), *(expression.get("other") or ())]:
            yield from _required_exists(operand)
    elif expression.name == "Builtin_EXISTS":
        group = expression.get("graph")
        if isinstance(group, CompValue) and group.name == "BGP":
            yield from _required_triples(group.get("triples") or ())
        elif isinstance(group, CompValue) and group.name == "GroupGraphPatternSub":
            for block in group.get("part") or ():
                if not isinstance(block, CompValue) or block.name != "TriplesBlock":
                    continue
                written = block.get("triples")
                if written:  # as the parser leaves them: one list per subject
                    yield from _required_triples(triples(written))


def _required_triples(patterns: Iterable[Any]) -> Iterator[tuple[str, str | None]]:
    for _, predicate, obj in patterns:
        if isinstance(predicate, URIRef):  # a property path may match nothing or be zero steps long: not counted
            yield str(predicate), str(obj) if isinstance(obj, URIRef) else None


def _expand(predicates: list[str] | None, prefixes: dict[str, str]) -> list[str] | None:
    if predicates is None:
        return None
    expanded: list[str] = []
    for written in predicates:
        if written.startswith("<"):
            expanded.append(written[1:-1])
        elif written.split(":", 1)[0] in prefixes:
            prefix, local = written.split(":", 1)
            expanded.append(prefixes[prefix] + local)
        else:
            return None
    return expanded


def _regex_flags(flags: str) -> int:
    value = 0
    for letter, flag in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if letter in flags:
            value |= flag
    return value


_PREDICATE_OBJECT = r"(?:[A-Za-z][\w-]*:[\w-]*|<[^>\s]*>)\s+\?{}\b"


def _stringified(select: str) -> frozenset[str]:
    """Variables whose lexical form a query turns into text (STR, CONCAT, GROUP_CONCAT)."""
    names = set(re.findall(r"\bSTR\s*\(\s*\?(\w+)\s*\)", select, re.I))
    names |= {m[1] for m in re.findall(r"GROUP_CONCAT\s*\(\s*(DISTINCT\s+)?\?(\w+)", select, re.I)}
    for call in re.findall(r"\bCONCAT\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", select, re.I):
        names |= set(re.findall(r"\?(\w+)", call))
    return frozenset(names)


def _object_predicates(select: str, variable: str, seen: frozenset[str] = frozenset()) -> list[str] | None:
    """The predicates (as written) whose objects can reach a variable: those it is matched as the object of,
    and for a variable computed without arithmetic (``BIND (CONCAT(?a, ?b) AS ?x)``, ``MIN(STR(?o)) AS ?x``)
    those of the variables it is computed from. None when it may be computed by arithmetic, or is matched
    through a property path."""
    if variable in seen:
        return None
    if re.search(rf"[|/^*+]\s*\?{variable}\b", select):
        return None
    found = re.findall(rf"([A-Za-z][\w-]*:[\w-]*|<[^>\s]*>)\s+\?{variable}\b", select)
    for expression in _expressions(select, variable):
        expression = re.sub(r'"[^"]*"', '""', expression)
        if re.search(r"[*/+]|\s-\s|\b(SUM|AVG|COUNT|STRLEN|ABS|ROUND|IF|COALESCE)\s*\(", expression, re.I):
            return None
        for source in set(re.findall(r"\?(\w+)", expression)):
            inner = _object_predicates(select, source, seen | {variable})
            if inner is None:
                return None
            found += inner
    return found


def _expressions(select: str, variable: str) -> Iterator[str]:
    """The expression texts of every ``(expr AS ?variable)`` in the query."""
    for match in re.finditer(rf"\bAS\s+\?{variable}\b", select, re.I):
        depth, start = 0, match.start()
        while start > 0:
            start -= 1
            if select[start] == ")":
                depth += 1
            elif select[start] == "(":
                if depth == 0:
                    break
                depth -= 1
        yield select[start + 1:match.start()]


def _group_start(text: str, position: int) -> int:
    """Index of the ``{`` opening the group that holds ``position`` (-1 when there is none)."""
    depth = 0
    for index in range(position - 1, -1, -1):
        if text[index] == "}":
            depth += 1
        elif text[index] == "{":
            if depth == 0:
                return index
            depth -= 1
    return -1


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{([^{}]*)\}", re.I)


def _anti_joins(text: str) -> str:
    """``FILTER NOT EXISTS { P }`` → ``MINUS { P }`` where both mean the same: P is a plain basic graph
    pattern whose variables shared with the query are bound by triple patterns written before it in the same
    group, and none of its own variables occurs anywhere else. pyoxigraph evaluates NOT EXISTS once per row
    (one cross-check took 1 s on a 10,000-triple disclosure); MINUS is one anti-join (2 ms)."""
    def rewrite(match: re.Match[str]) -> str:
        body = match.group(1)
        if re.search(r"[(){}]|\b(FILTER|OPTIONAL|BIND|VALUES|UNION|MINUS|SELECT|GRAPH|SERVICE)\b", body, re.I):
            return match.group(0)
        before, after = text[:match.start()], text[match.end():]
        group_start = _group_start(text, match.start())
        preceding = before[group_start + 1:]
        if group_start < 0 or re.search(r"OPTIONAL|UNION|SELECT", preceding, re.I):
            return match.group(0)
        # a variable of another FILTER NOT EXISTS (a UNION's other branch) is bound nowhere outside it
        outside = _NOT_EXISTS.sub(" ", before[:group_start]) + " " + _NOT_EXISTS.sub(" ", after)
        shared = False
        for name in set(re.findall(r"\?(\w+)", body)):
            bound_before = re.search(rf"\?{name}\b", preceding) is not None
            elsewhere = re.search(rf"\?{name}\b", outside) is not None
            if bound_before:
                shared = True
            elif elsewhere:
                return match.group(0)
        return f"MINUS {{{body}}}" if shared else match.group(0)

    return _NOT_EXISTS.sub(rewrite, text)


class _Run:
    """One validation of one data graph."""

    def __init__(self, compiled: CompiledShapes, data: Graph, vocabularies: list[_VocabularyIndex],
                 ntriples: bytes | None = None) -> None:
        self.compiled = compiled
        self.data = data
        self._ntriples = ntriples
        #: The predicates whose extra triples ``data`` holds at the moment.
        self._lent: set[str] = set()
        self.results: list[Result] = []
        self._store: ox.Store | None = None
        self._conforms: dict[tuple[Key, int], bool] = {}
        self._numeric_predicates: set[str] | None = None
        self._closures: dict[Key, set[Key]] = {}
        self._inverse: dict[str, dict[Key, list[Key]]] = {}
        #: The vocabulary triples added to the index (rdflib's terms) by predicate, lent to ``data`` for rdflib's
        #: evaluation.
        self.extra: dict[str, list[Triple]] = {}
        #: The extra triples as N-Triples lines (written once per vocabulary), by predicate.
        self._extra_lines: list[tuple[str, str]] = []
        #: Object lists the extra triples were added to: how many objects the data gave (0: none).
        self._data_length: dict[int, int] = {}
        self._index(vocabularies)

    def lend(self, predicates: frozenset[str] | None) -> Graph:
        """``data`` with the extra triples of these predicates (None: all) for rdflib's evaluation."""
        for predicate in self.extra if predicates is None else predicates:
            if predicate in self.extra and predicate not in self._lent:
                self._lent.add(predicate)
                for triple in self.extra[predicate]:
                    self.data.add(triple)
        return self.data

    def give_back(self) -> None:
        for predicate in self._lent:
            for triple in self.extra[predicate]:
                self.data.remove(triple)
        self._lent = set()

    def numeric_predicates(self) -> set[str]:
        """Predicates with a number as object somewhere in the data."""
        if self._numeric_predicates is None:
            self._numeric_predicates = {
                p for p, pairs in self.by_predicate.items()
                if any(type(o) is not str and isinstance(o, Literal) and o.datatype is not None
                       and str(o.datatype) not in _TEXT_DATATYPES for _, objects in pairs for o in objects)}
        return self._numeric_predicates

    def _row_reads_alike(self, constraint: SparqlConstraint, row: dict[str, Node]) -> bool:
        """True when rdflib would print every value of this row exactly as pyoxigraph gave it."""
        digits = False
        for value in row.values():
            if isinstance(value, Literal):
                datatype = str(value.datatype) if value.datatype is not None else None
                if datatype not in _TEXT_DATATYPES and datatype not in _EXACT_DATATYPES:
                    return False
                digits = digits or any(c.isdigit() for c in str(value))
        if not digits:
            return True
        numeric = self.numeric_predicates()
        return all(predicates is not None and not numeric.intersection(predicates)
                   for predicates in constraint.stringified.values())

    @property
    def store(self) -> ox.Store:
        """The indexed triples in a pyoxigraph store, handed over as N-Triples text (parsed in Rust)."""
        if self._store is None and self._ntriples is not None:
            used = self.compiled.sparql_predicates
            store = ox.Store()
            try:
                store.load(self._ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
                store.load("".join(line for predicate, line in self._extra_lines if used is None or predicate in used),
                           format=ox.RdfFormat.N_TRIPLES, lenient=True)
                self._store = store
            except SyntaxError:  # a term N-Triples cannot carry: the route below names it
                self._ntriples = None
        if self._store is None:
            lines: list[str] = []
            used = self.compiled.sparql_predicates
            for p, pairs in self.by_predicate.items():
                if used is not None and p not in used:
                    continue
                predicate = f" <{p}> "
                for s, objects in pairs:
                    written = self._data_length.get(id(objects))
                    if written == 0:
                        continue
                    start = (f"<{s}>" if type(s) is str else _nt(s)) + predicate
                    lines += [f"{start}{_nt(o)} .\n" for o in (objects if written is None else objects[:written])]
            lines += [line for predicate, line in self._extra_lines if used is None or predicate in used]
            store = ox.Store()
            try:
                # lenient: the IRIs come from rdflib terms; not checking them again halves the parse
                store.load("".join(lines), format=ox.RdfFormat.N_TRIPLES, lenient=True)
            except SyntaxError:  # a term N-Triples cannot carry: term by term, which names the bad one
                store = ox.Store()
                terms: dict[Key, Any] = {}
                graph = ox.DefaultGraph()
                store.extend(ox.Quad(_to_oxigraph(s, terms), _to_oxigraph(p, terms), _to_oxigraph(o, terms), graph)
                             for p, pairs in self.by_predicate.items() if used is None or p in used
                             for s, objects in pairs for o in objects)
            self._store = store
        return self._store

    def _index(self, vocabularies: list[_VocabularyIndex]) -> None:
        """subject → predicate → objects and predicate → (subject, objects) in one pass over the data, then the
        vocabulary's descriptions of the IRIs the data points to; type → instances, class → subclasses."""
        out: dict[Key, dict[str, list[Key]]] = {}
        by_predicate: dict[str, list[tuple[Key, list[Key]]]] = {}
        iris: dict[str, None] = {}
        odd = False
        for s, predicates in grouped_triples(self.data):
            subject = str(s) if type(s) is URIRef else s
            entry = out.setdefault(subject, {})
            for p, objects in predicates.items():  # each subject once, each of its predicates once
                values: list[Key] = []
                term: Any
                for term in objects:
                    kind = type(term)
                    if kind is URIRef:
                        term = str(term)
                        iris[term] = None
                    elif kind is not BNode and (term.datatype not in _COMPARED_ALIKE or term.ill_typed):
                        odd = True
                    values.append(term)
                predicate = str(p)
                entry[predicate] = values
                by_predicate.setdefault(predicate, []).append((subject, values))
        for vocabulary in vocabularies:
            for iri in iris:
                for predicate, value, triple, line in vocabulary.get(iri, ()):
                    entry = out.setdefault(iri, {})
                    values = entry.get(predicate)  # type: ignore[assignment]
                    if values is None:
                        values = entry[predicate] = []
                        by_predicate.setdefault(predicate, []).append((iri, values))
                    elif value in values:
                        continue
                    self._data_length.setdefault(id(values), len(values))
                    values.append(value)
                    self.extra.setdefault(predicate, []).append(triple)
                    self._extra_lines.append((predicate, line))
                    if isinstance(value, Literal) and (value.datatype not in _COMPARED_ALIKE or value.ill_typed):
                        odd = True
        instances: dict[Key, list[Key]] = {}
        for subject, types in by_predicate.get(_RDF_TYPE, ()):
            for cls in types:
                instances.setdefault(cls, []).append(subject)
        subclasses: dict[Key, list[Key]] = {}
        for subject, supers in by_predicate.get(_SUBCLASS_OF, ()):
            for cls in supers:
                subclasses.setdefault(cls, []).append(subject)
        self.out, self.by_predicate = out, by_predicate
        self.instances, self.subclasses_of = instances, subclasses
        #: Literals of a datatype both engines may compare differently (xsd:double: rdflib compares a double
        #: with a decimal exactly, pyoxigraph as doubles) or ill-typed ones: SPARQL constraints then run in
        #: rdflib, as pyshacl runs them. Such data fails the datatype shapes anyway and is never published.
        self.rdflib_only = odd

    def objects(self, subject: Key, predicate: str) -> Sequence[Key]:
        found = self.out.get(subject)
        return found.get(predicate, ()) if found is not None else ()

    def pairs(self, predicate: str) -> Sequence[tuple[Key, Sequence[Key]]]:
        """Every subject of ``predicate`` with its objects."""
        return self.by_predicate.get(predicate, ())

    def subjects(self, predicate: str, value: Key) -> Sequence[Key]:
        """The subjects of ``predicate`` with ``value`` as object (an inverse path)."""
        by_object = self._inverse.get(predicate)
        if by_object is None:
            by_object = self._inverse[predicate] = {}
            for subject, objects in self.by_predicate.get(predicate, ()):
                for o in objects:
                    by_object.setdefault(o, []).append(subject)
        return by_object.get(value, ())

    def focus_nodes(self, shape: Shape) -> set[Key]:
        found: set[Key] = set()
        for kind, target in shape.target_keys:
            if kind == "node":
                found.add(target)
            elif kind == "class":
                for cls in self.subclasses(target):
                    found.update(self.instances.get(cls, ()))
            elif kind == "objects":
                for _, objects in self.by_predicate.get(target, ()):
                    found.update(objects)
            else:
                found.update(subject for subject, _ in self.by_predicate.get(target, ()))
        return found

    def subclasses(self, cls: Key) -> set[Key]:
        closure = self._closures.get(cls)
        if closure is None:
            closure = {cls}
            todo = [cls]
            while todo:
                for sub in self.subclasses_of.get(todo.pop(), ()):
                    if sub not in closure:
                        closure.add(sub)
                        todo.append(sub)
            self._closures[cls] = closure
        return closure

    def is_instance(self, node: Key, classes: set[Key]) -> bool:
        """True when ``node`` has a type among ``classes`` (a class and its subclasses)."""
        if type(node) is not str and isinstance(node, Literal):  # an IRI is a plain str: no ABC check for it
            return False
        described = self.out.get(node)
        return described is not None and not classes.isdisjoint(described.get(_RDF_TYPE, ()))

    # ---- shapes ---------------------------------------------------------------------------------------------
    def check(self, shape: Shape, focus: Sequence[Key], report: bool) -> set[Key]:
        """Check ``shape`` on the focus nodes; add results when ``report``; return the focus nodes that fail."""
        failing: set[Key] = set()
        values_of, checks, properties = shape.values, shape.checks, shape.active_properties
        passes = shape.passes
        for node in focus:
            values = values_of(self, node) if values_of is not None else (node,)
            if checks and (passes is None or not passes(self, values)) and \
                    self._failed(shape, checks, node, values, report):
                failing.add(node)
                if not report:
                    continue
            for prop in properties:
                if prop.plain:  # the common case, without the recursion
                    failed = False
                    prop_passes, prop_values = prop.passes, prop.values
                    for value in values:
                        found = prop_values(self, value)  # type: ignore[misc]
                        if prop_passes is not None and prop_passes(self, found):
                            continue
                        if self._failed(prop, prop.checks, value, found, report):
                            failed = True
                            if not report:
                                break
                else:
                    failed = any([self.check(prop, (value,), report) for value in values]) if report else \
                        any(self.check(prop, (value,), report) for value in values)
                if failed:
                    failing.add(node)
                    if not report:
                        break
        for constraint in shape.sparql:
            failing |= self._sparql(shape, constraint, focus, report)
        return failing

    def _failed(self, shape: Shape, checks: list[tuple[Callable[..., Sequence[tuple[URIRef, Key]]], Any]],
                node: Key, values: Sequence[Key], report: bool) -> bool:
        """Run the core constraints of ``shape`` on one focus node; add results when ``report``."""
        failed = False
        for check, parameter in checks:
            found = check(self, parameter, node, values)
            if found:
                if not report:
                    return True
                failed = True
                focus_node = _node(node)
                self.results += [Result(focus_node, shape, component, _node(value), shape.path,
                                        messages=tuple(shape.messages)) for component, value in found]
        return failed

    def conforms(self, node: Key, shape: Shape) -> bool:
        key = (node, id(shape))
        found = self._conforms.get(key)
        if found is None:
            found = self._conforms[key] = shape.deactivated or not self.check(shape, (node,), report=False)
        return found

    # ---- SHACL-SPARQL ---------------------------------------------------------------------------------------
    def _sparql(self, shape: Shape, constraint: SparqlConstraint, focus: Sequence[Key], report: bool) -> set[Key]:
        if any(isinstance(f, BNode) for f in focus):
            raise NotImplementedError("compiled shapes run SPARQL constraints on IRI focus nodes only")
        for predicate, obj in constraint.required:  # the index holds every triple the store and rdflib see
            if predicate not in self.by_predicate or (obj is not None and not self.subjects(predicate, obj)):
                return set()
        answered = None if constraint.answer is None or self.rdflib_only else constraint.answer(self, focus)
        if answered is not None:
            if report:
                for node in focus:
                    if node in answered:
                        self._sparql_results(shape, constraint, node, answered[node])
            return set(answered)
        rows_by_focus: dict[Key, list[dict[str, Node]]] = {}
        if self.rdflib_only:
            for node in focus:
                rows = self._rdflib_rows(constraint, node, [])
                if rows:
                    rows_by_focus[node] = rows
                    if report:
                        self._sparql_results(shape, constraint, node, rows)
            return set(rows_by_focus)
        if len(focus) <= _SUBSTITUTE_UP_TO:
            # A few focus nodes: bound one at a time (SPARQL 1.2 substitution, what pyshacl's pre-binding means).
            batches: list[tuple[str, dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]]] = [
                (constraint.substitution_text, {ox.Variable("this"): ox.NamedNode(str(f))}) for f in focus]
        else:
            batches = [(constraint.oxigraph_text.replace("@FOCUS@", " ".join(f"<{f}>" for f in focus)), {})]
        for text, substitutions in batches:
            solutions = self.store.query(text, substitutions=substitutions or None)
            assert isinstance(solutions, ox.QuerySolutions)
            variables = [v.value for v in solutions.variables]
            for solution in solutions:
                row = {name: _from_oxigraph(solution[name]) for name in variables if solution[name] is not None}
                if "this" not in row and substitutions:
                    row["this"] = URIRef(str(substitutions[ox.Variable("this")].value))  # type: ignore[union-attr]
                rows_by_focus.setdefault(_key(row["this"]), []).append(row)
        if not report or not rows_by_focus:
            return set(rows_by_focus)
        for node in focus:
            if node not in rows_by_focus:
                continue
            rows = rows_by_focus[node]
            if not all(self._row_reads_alike(constraint, row) for row in rows):
                computed = None if constraint.computation is None else constraint.computation(self, node, rows)
                rows = self._rdflib_rows(constraint, node, rows) if computed is None else computed
            self._sparql_results(shape, constraint, node, rows)
        return set(rows_by_focus)

    def _rdflib_rows(self, constraint: SparqlConstraint, focus: Key,
                     found: list[dict[str, Node]]) -> list[dict[str, Node]]:
        """The rows rdflib gives for ``focus`` (pyshacl's evaluation). When every row pyoxigraph found names its
        ``?value`` and the query may be narrowed to one value, each value is evaluated alone (a total and its
        parts rather than every total of the data set)."""
        values = [row.get("value") for row in found]
        this = cast(Identifier, _node(focus))
        bindings: list[dict[str, Identifier]] = [{"this": this}]
        named = [v for v in values if isinstance(v, URIRef)]
        if named and len(named) == len(values) and constraint.narrows_to_value:
            bindings = [{"this": this, "value": v} for v in dict.fromkeys(named)]
        rows: list[dict[str, Node]] = []
        for initial in bindings:
            result = self.lend(constraint.predicates).query(constraint.rdflib_query, initBindings=initial)
            rows += [{str(k): v for k, v in row.asdict().items()} for row in result]  # type: ignore[union-attr]
        return rows

    def _sparql_results(self, shape: Shape, constraint: SparqlConstraint, focus_key: Key,
                        rows: list[dict[str, Node]]) -> None:
        focus = _node(focus_key)
        seen: list[tuple[Any, ...]] = []
        failed = False
        for row in rows:
            bound = dict(row)
            if bound.pop("failure", None) is not None:
                if failed:
                    continue
                failed = True
                self._add_sparql(shape, constraint, focus, None, None, bound, (None, None, None))
                continue
            p, v, t = bound.pop("path", None), bound.pop("value", None), bound.pop("this", None)
            if p is None and v is None and t is None:
                continue
            key = (t, p, v, bound)
            if key in seen:
                continue
            seen.append(key)
            value = v if v is not None else (None if shape.is_property else focus)
            self._add_sparql(shape, constraint, t or focus, value, p, bound, (t, p, value))

    def _add_sparql(self, shape: Shape, constraint: SparqlConstraint, focus: Node, value: Node | None,
                    path: Node | None, bound: dict[str, Node], reserved: tuple[Node | None, ...]) -> None:
        fills: dict[str, Node] = dict(bound)
        for name, node in zip(("this", "path", "value"), reserved, strict=True):
            if node is not None:
                fills[name] = node
        messages: list[Literal] = []
        for message in constraint.messages:
            if message not in shape.messages:
                messages.append(Literal(_fill(str(message.value), fills)))
        if not constraint.messages and not shape.messages:
            messages = []
        for message in shape.messages:
            messages.append(Literal(_fill(str(message.value), fills)))
        self.results.append(Result(focus, shape, _SPARQL_COMPONENT, value, path if path is not None else shape.path,
                                   constraint.node, tuple(messages)))


#: A vocabulary graph indexed by subject IRI: (predicate, object in index form, the rdflib triple, the triple
#: as an N-Triples line).
_VocabularyIndex = dict[str, list[tuple[str, Key, Triple, str]]]
_VOCABULARIES: dict[int, tuple[weakref.ref[Graph], int, _VocabularyIndex]] = {}


def _vocabulary_index(graph: Graph) -> _VocabularyIndex:
    """``graph`` indexed once for as long as it lives (and keeps its size): the build hands every document the
    same vocabulary and the same code lists of a year."""
    entry = _VOCABULARIES.get(id(graph))
    if entry is not None and entry[0]() is graph and entry[1] == len(graph):
        return entry[2]
    index: _VocabularyIndex = {}
    for s, predicates in grouped_triples(graph):
        if type(s) is not URIRef:
            continue
        described = index.setdefault(str(s), [])
        for p, objects in predicates.items():
            described += [(str(p), _key(o), (s, p, o), f"<{s}> <{p}> {_nt(_key(o))} .\n") for o in objects]
    key = id(graph)
    _VOCABULARIES[key] = (weakref.ref(graph, lambda _: _VOCABULARIES.pop(key, None)), len(graph), index)
    return index


def _closure(step: Callable[[_Run, Key], Sequence[Key]], at_least_one: bool) -> Callable[[_Run, Key], list[Key]]:
    def closure(run: _Run, focus: Key) -> list[Key]:
        seen: list[Key] = [] if at_least_one else [focus]
        todo = [focus]
        while todo:
            for n in step(run, todo.pop()):
                if n not in seen:
                    seen.append(n)
                    todo.append(n)
        return seen
    return closure


def _key(term: Node) -> Key:
    """An rdflib term in index form (an IRI as a plain ``str``)."""
    return str(term) if isinstance(term, URIRef) else term


def _node(key: Key) -> Any:
    """A term in index form back as rdflib's (None stays None)."""
    return URIRef(key) if type(key) is str else key


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NT_SPECIAL = re.compile(r'[\\"\n\r]')


def _nt(term: Key) -> str:
    """A term in index form written as N-Triples."""
    if type(term) is str:
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    lexical = str(term)
    if _NT_SPECIAL.search(lexical):
        lexical = lexical.translate(_NT_ESCAPES)
    if term.language:
        return f'"{lexical}"@{term.language}'
    if term.datatype is None or term.datatype == _XSD_STRING:
        return f'"{lexical}"'
    return f'"{lexical}"^^<{term.datatype}>'


_COMPARED_ALIKE = {None, XSD.string, RDF.langString, XSD.decimal, XSD.integer, XSD.boolean, XSD.date,
                   XSD.nonNegativeInteger, XSD.hexBinary, XSD.anyURI}
#: Up to this many focus nodes a SPARQL constraint runs once per focus node; above, once for all of them (a query
#: is planned anew per call: eight ChangePercentShape focus nodes cost 3.2 ms one by one, 0.3 ms at once).
_SUBSTITUTE_UP_TO = 1
_TEXT_DATATYPES = {None, str(XSD.string), str(RDF.langString)}
#: Datatypes both engines write in one canonical way (integers from COUNT, booleans).
_EXACT_DATATYPES = {str(XSD.integer), str(XSD.boolean)}


_Found = Sequence[tuple[URIRef, Key]]
_NOTHING: _Found = ()


def _each_value(component: URIRef, ok: Callable[[_Run, Any, Key], bool]) -> Callable[..., _Found]:
    """A check of every value node on its own: one result (with the value) per value that fails."""
    def check(run: _Run, parameter: Any, focus: Key, values: Sequence[Key]) -> _Found:
        return [(component, v) for v in values if not ok(run, parameter, v)]
    return check


def _class(run: _Run, cls: Key, focus: Key, values: Sequence[Key]) -> _Found:
    classes = run.subclasses(cls)
    return [(_CLASS_COMPONENT, v) for v in values if not run.is_instance(v, classes)]


def _min_count(run: _Run, parameter: int, focus: Key, values: Sequence[Key]) -> _Found:
    return ((_MIN_COUNT, None),) if len(values) < parameter else _NOTHING


def _max_count(run: _Run, parameter: int, focus: Key, values: Sequence[Key]) -> _Found:
    return ((_MAX_COUNT, None),) if len(values) > parameter else _NOTHING


def _has_value(run: _Run, parameter: Key, focus: Key, values: Sequence[Key]) -> _Found:
    return ((_HAS_VALUE, None),) if parameter not in values else _NOTHING


def _qualified(run: _Run, parameter: Any, focus: Key, values: Sequence[Key]) -> _Found:
    qualified, low, high = parameter
    count = sum(1 for v in values if run.conforms(v, qualified))
    found: list[tuple[URIRef, Key]] = []
    if high is not None and count > int(high):
        found.append((_QUALIFIED_MAX, None))
    if low is not None and count < int(low):
        found.append((_QUALIFIED_MIN, None))
    return found


def _unique_lang(run: _Run, parameter: Any, focus: Key, values: Sequence[Key]) -> _Found:
    seen: dict[str, int] = {}
    for v in values:
        if isinstance(v, Literal) and v.language:
            seen[v.language.lower()] = seen.get(v.language.lower(), 0) + 1
    return [(_UNIQUE_LANG, None) for n in seen.values() if n > 1]


def _less_than(run: _Run, predicate: str, focus: Key, values: Sequence[Key]) -> _Found:
    others = run.objects(focus, predicate)
    return [(_LESS_THAN, v) for v in values for other in others
            if not _compare(v, other, lambda a, b: a < b)]


def _language_ok(run: _Run, tags: list[str], v: Key) -> bool:
    lang = v.language.lower() if isinstance(v, Literal) and v.language else None
    return lang is not None and any(lang == tag or lang.startswith(tag + "-") or tag == "*" for tag in tags)


def _node_kind_ok(run: _Run, kinds: tuple[bool, bool, bool], v: Key) -> bool:
    """``kinds``: (IRI, blank node, literal) allowed."""
    if type(v) is str:
        return kinds[0]
    return kinds[1] if isinstance(v, BNode) else kinds[2]


_NODE_KINDS = {SH.IRI: (True, False, False), SH.BlankNode: (False, True, False), SH.Literal: (False, False, True),
               SH.BlankNodeOrIRI: (True, True, False), SH.BlankNodeOrLiteral: (False, True, True),
               SH.IRIOrLiteral: (True, False, True)}


def _parameter(component: URIRef, parameter: Any) -> Any:
    """A constraint's parameter in the form its check compares with the index."""
    if component in (SH.ClassConstraintComponent, SH.HasValueConstraintComponent):
        return _key(parameter)
    if component == SH.LessThanConstraintComponent:
        return str(parameter)
    if component == SH.InConstraintComponent:
        return [_key(member) for member in parameter]
    if component in (SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent):
        return int(parameter)
    if component == SH.NodeKindConstraintComponent:
        return _NODE_KINDS.get(parameter, (False, False, False))
    if component == SH.DatatypeConstraintComponent:
        return _Datatype.of(parameter)
    return parameter


def _is_instance(run: _Run, cls: Key, v: Key) -> bool:
    return run.is_instance(v, run.subclasses(cls))


def _datatype_test(run: _Run, datatype: _Datatype, v: Key) -> bool:
    return _datatype_ok(v, datatype)


#: Constraints of one value node at a time: (run, parameter, value) → True when the value passes.
_VALUE_TESTS: dict[URIRef, Callable[[_Run, Any, Key], bool]] = {
    SH.ClassConstraintComponent: _is_instance,
    SH.DatatypeConstraintComponent: _datatype_test,
    SH.NodeKindConstraintComponent: _node_kind_ok,
    SH.PatternConstraintComponent: lambda r, p, v: not isinstance(v, BNode) and p.search(v) is not None,
    SH.InConstraintComponent: lambda r, members, v: any(_same_term(v, m) for m in members),
    SH.LanguageInConstraintComponent: _language_ok,
    SH.OrConstraintComponent: lambda r, shapes, v: any(r.conforms(v, s) for s in shapes),
    SH.NodeConstraintComponent: lambda r, s, v: r.conforms(v, s),
    SH.MinInclusiveConstraintComponent: lambda r, b, v: _compare(v, b, lambda x, y: x >= y),
    SH.MaxInclusiveConstraintComponent: lambda r, b, v: _compare(v, b, lambda x, y: x <= y),
    SH.MinExclusiveConstraintComponent: lambda r, b, v: _compare(v, b, lambda x, y: x > y),
    SH.MaxExclusiveConstraintComponent: lambda r, b, v: _compare(v, b, lambda x, y: x < y),
    SH.MinLengthConstraintComponent: lambda r, n, v: not isinstance(v, BNode) and len(v) >= int(n),
    SH.MaxLengthConstraintComponent: lambda r, n, v: not isinstance(v, BNode) and len(v) <= int(n),
}


def _passes(constraints: list[tuple[URIRef, Any]]) -> Callable[[_Run, Sequence[Key]], bool] | None:
    """The constraints as one test of a focus node's value nodes, True when none fails (the common case, answered
    without a call per constraint); None when some constraint is of a kind it does not know."""
    low, high = 0, None
    required: list[Key] = []
    tests: list[tuple[Callable[[_Run, Any, Key], bool], Any]] = []
    for component, parameter in constraints:
        value = _parameter(component, parameter)
        if component == _MIN_COUNT:
            low = max(low, value)
        elif component == _MAX_COUNT:
            high = value if high is None else min(high, value)
        elif component == _HAS_VALUE:
            required.append(value)
        elif component in _VALUE_TESTS:
            tests.append((_VALUE_TESTS[component], value))
        else:
            return None
    if not constraints:
        return None
    most = high

    def passes(run: _Run, values: Sequence[Key]) -> bool:
        count = len(values)
        if count < low or (most is not None and count > most):
            return False
        for value in required:
            if value not in values:
                return False
        for ok, parameter in tests:
            for v in values:
                if not ok(run, parameter, v):
                    return False
        return True
    return passes


_CHECKS: dict[URIRef, Any] = {
    SH.MinCountConstraintComponent: _min_count,
    SH.MaxCountConstraintComponent: _max_count,
    SH.HasValueConstraintComponent: _has_value,
    _QUALIFIED: _qualified,
    SH.UniqueLangConstraintComponent: _unique_lang,
    SH.LessThanConstraintComponent: _less_than,
    SH.ClassConstraintComponent: _class,  # the subclasses looked up once for all the values
    **{component: _each_value(component, test) for component, test in _VALUE_TESTS.items()
       if component != SH.ClassConstraintComponent},
}


def _fill(message: str, fills: dict[str, Node]) -> str:
    for name, value in fills.items():
        message = re.sub(f"{{[?$]{name}}}", str(value), message)
    return message


def _to_oxigraph(term: Key, seen: dict[Key, Any]) -> Any:
    found = seen.get(term)
    if found is None:
        if type(term) is str or isinstance(term, URIRef):
            found = ox.NamedNode(str(term))
        elif isinstance(term, BNode):
            found = ox.BlankNode(str(term))
        elif isinstance(term, Literal):
            if term.language:
                found = ox.Literal(str(term), language=term.language)
            else:
                found = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or _XSD_STRING)))
        else:
            raise NotImplementedError(f"compiled shapes cannot validate the term {term!r}")
        seen[term] = found
    return found


def _from_oxigraph(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING_IRI else URIRef(datatype))


def _dedup(nodes: Iterable[Node]) -> list[Node]:
    seen: set[Node] = set()
    out: list[Node] = []
    for n in nodes:
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


def _same_term(a: Node, b: Node) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        return a.eq(b) if a.datatype == b.datatype and a.language == b.language else False
    return a == b


@dataclass(frozen=True)
class _Datatype:
    """An ``sh:datatype`` parameter, compared in the forms that are cheap: the IRI as a plain ``str`` (rdflib's
    ``URIRef.__eq__`` is Python code that copies both strings) and what it stands for worked out once."""

    iri: str | None  # None: not an IRI (no literal's datatype equals it)
    any_literal: bool  # rdfs:Literal
    any_datatype: bool  # rdfs:Datatype
    string: bool  # xsd:string
    lang_string: bool  # rdf:langString

    @classmethod
    def of(cls, datatype: Node) -> _Datatype:
        return cls(str(datatype) if isinstance(datatype, URIRef) else None, datatype == _RDFS_LITERAL,
                   datatype == _RDFS_DATATYPE, datatype == _XSD_STRING, datatype == _RDF_LANG_STRING)


def _datatype_ok(v: Key, datatype: _Datatype) -> bool:
    if type(v) is str or not isinstance(v, Literal):  # an IRI is a plain str in the index
        return False
    given = v.datatype  # always a URIRef (or None): rdflib makes it one
    if given is not None and datatype.iri is not None and str.__eq__(given, datatype.iri):
        return not getattr(v, "ill_typed", False)
    if datatype.any_literal:
        return True
    if datatype.any_datatype:
        return given is not None
    if given is None and v.language is None:
        return datatype.string
    return datatype.lang_string and bool(v.language)


def _compare(v: Node, bound: Node, test: Any) -> bool:
    if not isinstance(v, Literal) or not isinstance(bound, Literal):
        return False
    a, b = v.value, bound.value
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return bool(test(a, b))
    try:
        return bool(type(a) is type(b) and test(a, b))
    except TypeError:
        return False

