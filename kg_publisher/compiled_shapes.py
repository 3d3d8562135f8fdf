"""The published shapes compiled once per process into a fast validator with pyshacl's results.

pyshacl (``validate.validate_graph(..., engine="pyshacl")``) is the reference: ``kg-publisher validate`` runs it
and ``tests/shapes/test_compiled_shapes.py`` checks that this validator reports exactly the same results (focus
node, path, value, source shape, constraint component, severity, messages) on every corpus document, on generated
ones and on every shape test case. The build uses this one because it is ≥ 20 times cheaper:

- the shapes graph is read once per process into plain Python objects (:class:`Shape`);
- SHACL Core constraints are checked in Python on the document's rdflib graph (its indexes answer the few
  lookups each constraint needs);
- each SHACL-SPARQL constraint runs as **one** SPARQL SELECT on pyoxigraph for all its focus nodes at once
  (``$this`` bound by a ``VALUES`` block), not once per focus node in rdflib's engine;
- pyoxigraph writes numbers in canonical form (``21`` where the data says ``21.0``) and keeps 18 decimals where
  rdflib's Decimal arithmetic keeps 28 digits. Where a constraint's result could carry a number, the rows
  pyoxigraph found are evaluated again in rdflib for just those focus nodes, so every message carries exactly
  the values pyshacl prints; constraints whose results cannot carry a number keep pyoxigraph's rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node

Triple = tuple[Node, Node, Node]
_SPARQL_COMPONENT = SH.SPARQLConstraintComponent
_RDF_TYPE, _SUBCLASS_OF = RDF.type, RDFS.subClassOf
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
    #: Same text for rdflib, parsed once; evaluated with ``this`` bound like pyshacl does.
    rdflib_query: Query
    #: True when binding ``?value`` in advance keeps the query's other rows unchanged: it is matched, not
    #: computed (no ``AS ?value``), and every GROUP BY groups by it.
    narrows_to_value: bool
    #: Variables the query turns into text, and for each the predicates it is matched as the object of
    #: (None: computed, or matched through a path). A number turned into text reads differently in
    #: rdflib (``21.0``) and pyoxigraph (``21``).
    stringified: dict[str, list[str] | None]


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

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes
        self._shapes: dict[Node, Shape] = {}
        roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
        for predicate in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf):
            roots |= set(shapes.subjects(predicate, None))
        self.targeted = [self.shape(node) for node in sorted(roots, key=str) if self.shape(node).targets]

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
        shape.constraints = list(self._core_constraints(node))
        shape.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        shape.sparql = [self._sparql(c) for c in g.objects(node, SH.sparql)]
        return shape

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
        rdflib_query = prepareQuery(select, initNs=prefixes)
        messages = [m for m in g.objects(node, SH.message) if isinstance(m, Literal)]
        stringified = {name: _expand(_object_predicates(select, name), prefixes) for name in _stringified(select)}
        groupings = re.findall(r"GROUP\s+BY\s+((?:[?$]\w+\s*)+)", select, re.I)
        narrows = (re.search(r"\bAS\s+[?$]value\b", select, re.I) is None
                   and len(groupings) == len(re.findall(r"GROUP\s+BY", select, re.I))
                   and all(re.search(r"[?$]value\b", grouping) for grouping in groupings))
        return SparqlConstraint(node, select, messages, oxigraph_text, substitution_text, rdflib_query, narrows,
                                stringified)

    # ---- validating ---------------------------------------------------------------------------------------
    def validate(self, data: Graph, extra: Iterable[Triple] = ()) -> list[Result]:
        """Validate ``data`` together with the ``extra`` triples (the vocabulary it needs); ``data`` is lent the
        extra triples while rdflib evaluates a constraint and is given back as it was."""
        run = _Run(self, data, [t for t in extra if t not in data])
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
        shared = False
        for name in set(re.findall(r"\?(\w+)", body)):
            bound_before = re.search(rf"\?{name}\b", preceding) is not None
            elsewhere = re.search(rf"\?{name}\b", before[:group_start] + after) is not None
            if bound_before:
                shared = True
            elif elsewhere:
                return match.group(0)
        return f"MINUS {{{body}}}" if shared else match.group(0)

    return _NOT_EXISTS.sub(rewrite, text)


class _Run:
    """One validation of one data graph."""

    def __init__(self, compiled: CompiledShapes, data: Graph, extra: list[Triple]) -> None:
        self.compiled = compiled
        self.data = data
        self.extra = extra
        self._lent = False
        self.results: list[Result] = []
        self._store: ox.Store | None = None
        self._conforms: dict[tuple[Node, Node], bool] = {}
        self._numeric_predicates: set[str] | None = None
        self._closures: dict[Node, set[Node]] = {}
        self._index()

    def lend(self) -> Graph:
        """``data`` with the extra triples (added at the first call) for rdflib's evaluation."""
        if not self._lent:
            self._lent = True
            for triple in self.extra:
                self.data.add(triple)
        return self.data

    def give_back(self) -> None:
        if self._lent:
            for triple in self.extra:
                self.data.remove(triple)
            self._lent = False

    def numeric_predicates(self) -> set[str]:
        """Predicates with a number as object somewhere in the data."""
        if self._numeric_predicates is None:
            self._numeric_predicates = {str(p) for p, objects in self.objects_of.items() for o in objects
                                        if isinstance(o, Literal) and o.datatype is not None
                                        and str(o.datatype) not in _TEXT_DATATYPES}
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
        if self._store is None:
            store = ox.Store()
            terms: dict[Node, Any] = {}
            graph = ox.DefaultGraph()
            store.extend(ox.Quad(_to_oxigraph(s, terms), _to_oxigraph(p, terms), _to_oxigraph(o, terms), graph)
                         for s, predicates in self.out.items() for p, objects in predicates.items() for o in objects)
            self._store = store
        return self._store

    def _index(self) -> None:
        """subject → predicate → objects, predicate → subjects/objects, type → instances (one pass)."""
        out: dict[Node, dict[Node, list[Node]]] = {}
        subjects_of: dict[Node, list[Node]] = {}
        objects_of: dict[Node, list[Node]] = {}
        instances: dict[Node, list[Node]] = {}
        subclasses: dict[Node, list[Node]] = {}
        odd = False
        for s, p, o in chain(self.data, self.extra):
            out.setdefault(s, {}).setdefault(p, []).append(o)
            if isinstance(o, Literal) and (o.datatype not in _COMPARED_ALIKE or getattr(o, "ill_typed", False)):
                odd = True
            subjects_of.setdefault(p, []).append(s)
            objects_of.setdefault(p, []).append(o)
            if p == _RDF_TYPE:
                instances.setdefault(o, []).append(s)
            elif p == _SUBCLASS_OF:
                subclasses.setdefault(o, []).append(s)
        self.out, self.subjects_of, self.objects_of = out, subjects_of, objects_of
        self.instances, self.subclasses_of = instances, subclasses
        #: Literals of a datatype both engines may compare differently (xsd:double: rdflib compares a double
        #: with a decimal exactly, pyoxigraph as doubles) or ill-typed ones: SPARQL constraints then run in
        #: rdflib, as pyshacl runs them. Such data fails the datatype shapes anyway and is never published.
        self.rdflib_only = odd

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return self.out.get(subject, {}).get(predicate, [])

    def focus_nodes(self, shape: Shape) -> set[Node]:
        found: set[Node] = set()
        for kind, target in shape.targets:
            if kind == SH.targetNode:
                found.add(target)
            elif kind == SH.targetClass:
                for cls in self._subclasses(target):
                    found.update(self.instances.get(cls, ()))
            elif kind == SH.targetObjectsOf:
                found.update(self.objects_of.get(target, ()))
            elif kind == SH.targetSubjectsOf:
                found.update(self.subjects_of.get(target, ()))
        return found

    def _subclasses(self, cls: Node) -> set[Node]:
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

    def _is_instance(self, node: Node, cls: Node) -> bool:
        classes = self._subclasses(cls)
        return any(t in classes for t in self.objects(node, _RDF_TYPE))

    def value_nodes(self, focus: Node, path: Node) -> list[Node]:
        if isinstance(path, URIRef):
            return _dedup(self.objects(focus, path))
        return _dedup(self._path(focus, path))

    def _path(self, focus: Node, path: Node) -> Iterator[Node]:
        sg = self.compiled.graph
        if isinstance(path, URIRef):
            yield from self.objects(focus, path)
            return
        if (path, RDF.first, None) in sg:
            current = [focus]
            for step in Collection(sg, path):  # type: ignore[arg-type]
                current = _dedup(n for node in current for n in self._path(node, step))
            yield from current
            return
        inverse = sg.value(path, SH.inversePath)
        if inverse is not None:
            if isinstance(inverse, URIRef):
                yield from (s for s, predicates in self.out.items() if focus in predicates.get(inverse, ()))
                return
            raise NotImplementedError("compiled shapes support sh:inversePath of an IRI only")
        alternatives = sg.value(path, SH.alternativePath)
        if alternatives is not None:
            for step in Collection(sg, alternatives):  # type: ignore[arg-type]
                yield from self._path(focus, step)
            return
        for predicate, at_least_one in ((SH.zeroOrMorePath, False), (SH.oneOrMorePath, True)):
            inner = sg.value(path, predicate)
            if inner is not None:
                seen: list[Node] = [] if at_least_one else [focus]
                todo = [focus]
                while todo:
                    for n in self._path(todo.pop(), inner):
                        if n not in seen:
                            seen.append(n)
                            todo.append(n)
                yield from seen
                return
        inner = sg.value(path, SH.zeroOrOnePath)
        if inner is not None:
            yield focus
            yield from self._path(focus, inner)
            return
        raise NotImplementedError(f"compiled shapes do not support the path {path!r}")

    # ---- shapes ---------------------------------------------------------------------------------------------
    def check(self, shape: Shape, focus: list[Node], report: bool) -> set[Node]:
        """Check ``shape`` on the focus nodes; add results when ``report``; return the focus nodes that fail."""
        failing: set[Node] = set()
        for node in focus:
            values = self.value_nodes(node, shape.path) if shape.path is not None else [node]
            for component, parameter in shape.constraints:
                found = _CHECKS[component](self, shape, parameter, node, values)
                for component_found, value in found:
                    failing.add(node)
                    if not report:
                        break
                    self.results.append(Result(node, shape, component_found, value, shape.path,
                                               messages=tuple(shape.messages)))
                if not report and node in failing:
                    break
            if not report and node in failing:
                continue
            for prop in shape.properties:
                if prop.deactivated:
                    continue
                for value in values:
                    if self.check(prop, [value], report):
                        failing.add(node)
        for constraint in shape.sparql:
            failing |= self._sparql(shape, constraint, focus, report)
        return failing

    def conforms(self, node: Node, shape: Shape) -> bool:
        key = (node, shape.node)
        if key not in self._conforms:
            self._conforms[key] = shape.deactivated or not self.check(shape, [node], report=False)
        return self._conforms[key]



    # ---- SHACL-SPARQL ---------------------------------------------------------------------------------------
    def _sparql(self, shape: Shape, constraint: SparqlConstraint, focus: list[Node], report: bool) -> set[Node]:
        named = [f for f in focus if not isinstance(f, BNode)]
        if len(named) != len(focus):
            raise NotImplementedError("compiled shapes run SPARQL constraints on IRI focus nodes only")
        rows_by_focus: dict[Node, list[dict[str, Node]]] = {}
        if self.rdflib_only:
            for node in named:
                rows = self._rdflib_rows(constraint, node, [])
                if rows:
                    rows_by_focus[node] = rows
                    if report:
                        self._sparql_results(shape, constraint, node, rows)
            return set(rows_by_focus)
        if len(named) <= _SUBSTITUTE_UP_TO:
            # A few focus nodes: bound one at a time (SPARQL 1.2 substitution, what pyshacl's pre-binding means).
            batches: list[tuple[str, dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]]] = [
                (constraint.substitution_text, {ox.Variable("this"): ox.NamedNode(str(f))}) for f in named]
        else:
            batches = [(constraint.oxigraph_text.replace("@FOCUS@", " ".join(f"<{f}>" for f in named)), {})]
        for text, substitutions in batches:
            solutions = self.store.query(text, substitutions=substitutions or None)
            assert isinstance(solutions, ox.QuerySolutions)
            variables = [v.value for v in solutions.variables]
            for solution in solutions:
                row = {name: _from_oxigraph(solution[name]) for name in variables if solution[name] is not None}
                if "this" not in row and substitutions:
                    row["this"] = URIRef(str(substitutions[ox.Variable("this")].value))  # type: ignore[union-attr]
                rows_by_focus.setdefault(row["this"], []).append(row)
        if not report or not rows_by_focus:
            return set(rows_by_focus)
        for node in focus:
            if node not in rows_by_focus:
                continue
            rows = rows_by_focus[node]
            if not all(self._row_reads_alike(constraint, row) for row in rows):
                rows = self._rdflib_rows(constraint, node, rows)
            self._sparql_results(shape, constraint, node, rows)
        return set(rows_by_focus)

    def _rdflib_rows(self, constraint: SparqlConstraint, focus: Node,
                     found: list[dict[str, Node]]) -> list[dict[str, Node]]:
        """The rows rdflib gives for ``focus`` (pyshacl's evaluation). When every row pyoxigraph found names its
        ``?value`` and the query may be narrowed to one value, each value is evaluated alone (a total and its
        parts rather than every total of the data set)."""
        values = [row.get("value") for row in found]
        this = cast(Identifier, focus)
        bindings: list[dict[str, Identifier]] = [{"this": this}]
        named = [v for v in values if isinstance(v, URIRef)]
        if named and len(named) == len(values) and constraint.narrows_to_value:
            bindings = [{"this": this, "value": v} for v in dict.fromkeys(named)]
        rows: list[dict[str, Node]] = []
        for initial in bindings:
            result = self.lend().query(constraint.rdflib_query, initBindings=initial)
            rows += [{str(k): v for k, v in row.asdict().items()} for row in result]  # type: ignore[union-attr]
        return rows

    def _sparql_results(self, shape: Shape, constraint: SparqlConstraint, focus: Node,
                        rows: list[dict[str, Node]]) -> None:
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


_COMPARED_ALIKE = {None, XSD.string, RDF.langString, XSD.decimal, XSD.integer, XSD.boolean, XSD.date,
                   XSD.nonNegativeInteger, XSD.hexBinary, XSD.anyURI}
#: Up to this many focus nodes a SPARQL constraint runs once per focus node; above, once for all of them.
_SUBSTITUTE_UP_TO = 8
_TEXT_DATATYPES = {None, str(XSD.string), str(RDF.langString)}
#: Datatypes both engines write in one canonical way (integers from COUNT, booleans).
_EXACT_DATATYPES = {str(XSD.integer), str(XSD.boolean)}


_Found = Iterator[tuple[URIRef, Node | None]]


def _each_value(component: URIRef, ok: Any) -> Any:
    """A check of every value node on its own: one result (with the value) per value that fails."""
    def check(run: _Run, shape: Shape, parameter: Any, focus: Node, values: list[Node]) -> _Found:
        for v in values:
            if not ok(run, parameter, v):
                yield component, v
    return check


def _min_count(run: _Run, shape: Shape, parameter: Any, focus: Node, values: list[Node]) -> _Found:
    if len(values) < int(parameter):
        yield SH.MinCountConstraintComponent, None


def _max_count(run: _Run, shape: Shape, parameter: Any, focus: Node, values: list[Node]) -> _Found:
    if len(values) > int(parameter):
        yield SH.MaxCountConstraintComponent, None


def _has_value(run: _Run, shape: Shape, parameter: Any, focus: Node, values: list[Node]) -> _Found:
    if parameter not in values:
        yield SH.HasValueConstraintComponent, None


def _qualified(run: _Run, shape: Shape, parameter: Any, focus: Node, values: list[Node]) -> _Found:
    qualified, low, high = parameter
    count = sum(1 for v in values if run.conforms(v, qualified))
    if high is not None and count > int(high):
        yield SH.QualifiedMaxCountConstraintComponent, None
    if low is not None and count < int(low):
        yield SH.QualifiedMinCountConstraintComponent, None


def _unique_lang(run: _Run, shape: Shape, parameter: Any, focus: Node, values: list[Node]) -> _Found:
    seen: dict[str, int] = {}
    for v in values:
        if isinstance(v, Literal) and v.language:
            seen[v.language.lower()] = seen.get(v.language.lower(), 0) + 1
    for _ in (lang for lang, n in seen.items() if n > 1):
        yield SH.UniqueLangConstraintComponent, None


def _less_than(run: _Run, shape: Shape, parameter: Any, focus: Node, values: list[Node]) -> _Found:
    others = run.objects(focus, parameter)
    for v in values:
        for other in others:
            if not _compare(v, other, lambda a, b: a < b):
                yield SH.LessThanConstraintComponent, v


def _language_ok(run: _Run, tags: list[str], v: Node) -> bool:
    lang = v.language.lower() if isinstance(v, Literal) and v.language else None
    return lang is not None and any(lang == tag or lang.startswith(tag + "-") or tag == "*" for tag in tags)


_CHECKS: dict[URIRef, Any] = {
    SH.MinCountConstraintComponent: _min_count,
    SH.MaxCountConstraintComponent: _max_count,
    SH.HasValueConstraintComponent: _has_value,
    _QUALIFIED: _qualified,
    SH.UniqueLangConstraintComponent: _unique_lang,
    SH.LessThanConstraintComponent: _less_than,
    SH.ClassConstraintComponent: _each_value(SH.ClassConstraintComponent, lambda r, c, v: r._is_instance(v, c)),
    SH.DatatypeConstraintComponent: _each_value(SH.DatatypeConstraintComponent, lambda r, d, v: _datatype_ok(v, d)),
    SH.NodeKindConstraintComponent: _each_value(SH.NodeKindConstraintComponent, lambda r, k, v: _node_kind_ok(v, k)),
    SH.PatternConstraintComponent: _each_value(
        SH.PatternConstraintComponent, lambda r, p, v: not isinstance(v, BNode) and p.search(str(v)) is not None),
    SH.InConstraintComponent: _each_value(
        SH.InConstraintComponent, lambda r, members, v: any(_same_term(v, m) for m in members)),
    SH.LanguageInConstraintComponent: _each_value(SH.LanguageInConstraintComponent, _language_ok),
    SH.OrConstraintComponent: _each_value(
        SH.OrConstraintComponent, lambda r, shapes, v: any(r.conforms(v, s) for s in shapes)),
    SH.NodeConstraintComponent: _each_value(SH.NodeConstraintComponent, lambda r, s, v: r.conforms(v, s)),
    SH.MinInclusiveConstraintComponent: _each_value(
        SH.MinInclusiveConstraintComponent, lambda r, b, v: _compare(v, b, lambda x, y: x >= y)),
    SH.MaxInclusiveConstraintComponent: _each_value(
        SH.MaxInclusiveConstraintComponent, lambda r, b, v: _compare(v, b, lambda x, y: x <= y)),
    SH.MinExclusiveConstraintComponent: _each_value(
        SH.MinExclusiveConstraintComponent, lambda r, b, v: _compare(v, b, lambda x, y: x > y)),
    SH.MaxExclusiveConstraintComponent: _each_value(
        SH.MaxExclusiveConstraintComponent, lambda r, b, v: _compare(v, b, lambda x, y: x < y)),
    SH.MinLengthConstraintComponent: _each_value(
        SH.MinLengthConstraintComponent, lambda r, n, v: not isinstance(v, BNode) and len(str(v)) >= int(n)),
    SH.MaxLengthConstraintComponent: _each_value(
        SH.MaxLengthConstraintComponent, lambda r, n, v: not isinstance(v, BNode) and len(str(v)) <= int(n)),
}


def _fill(message: str, fills: dict[str, Node]) -> str:
    for name, value in fills.items():
        message = re.sub(f"{{[?$]{name}}}", str(value), message)
    return message


def _to_oxigraph(term: Node, seen: dict[Node, Any]) -> Any:
    found = seen.get(term)
    if found is None:
        if isinstance(term, URIRef):
            found = ox.NamedNode(str(term))
        elif isinstance(term, BNode):
            found = ox.BlankNode(str(term))
        elif isinstance(term, Literal):
            if term.language:
                found = ox.Literal(str(term), language=term.language)
            else:
                found = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
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
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))


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


def _datatype_ok(v: Node, datatype: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == datatype:
        return not getattr(v, "ill_typed", False)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype:
        return v.datatype is not None
    if v.datatype is None and v.language is None:
        return datatype == XSD.string
    return datatype == RDF.langString and bool(v.language)


def _node_kind_ok(v: Node, kind: Node) -> bool:
    iri, blank, literal = isinstance(v, URIRef), isinstance(v, BNode), isinstance(v, Literal)
    return {
        SH.IRI: iri, SH.BlankNode: blank, SH.Literal: literal, SH.BlankNodeOrIRI: blank or iri,
        SH.BlankNodeOrLiteral: blank or literal, SH.IRIOrLiteral: iri or literal,
    }.get(kind, False)  # type: ignore[call-overload]


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

