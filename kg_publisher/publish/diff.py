"""What changed between two releases: figures (``qb:Observation``s with ``bgt:amountInYuan``) and quality findings
(``sh:ValidationResult``s of the quality reports) added, removed or changed.

A figure is the same figure in both releases when its IRI is the same (``{dataset}/obs/{key}``, minted from what
it measures, not from where it is printed); it changed when its amount in yuan did. A finding is keyed by what
it is about (focus node, shape, path, value); it changed when its severity or message did. Read from each
release's store (index lookups, no query engine), so two releases of any size compare in one pass each.

The build writes the diff from the release it replaces as ``diff.ttl`` in the new release (and counts it in the
catalogue's ``adms:versionNotes``); ``kg-publisher diff OLD NEW`` and the page ``/releases/diff`` compare any two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from ..errors import StoreError
from ..iris import IriMinter
from ..vocab import BGT, QB, bind_prefixes
from .release import Release, read_stored

#: What a change is: the words the CLI, the page and ``bgt:changeKind`` use.
KINDS = ("added", "removed", "changed")
_DEFAULT = ox.DefaultGraph()
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class FigureChange:
    kind: str
    figure: str
    dataset: str
    label: str
    before: Decimal | None
    after: Decimal | None


@dataclass(frozen=True)
class FindingChange:
    kind: str
    #: What the finding is about (its ``sh:focusNode``) and the shape that found it.
    focus: str
    shape: str
    severity_before: str | None
    severity_after: str | None
    message_before: str | None
    message_after: str | None
    #: The finding's IRI in each release (content-derived, so a changed finding has two).
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class ReleaseDiff:
    old: str
    new: str
    figures: tuple[FigureChange, ...] = ()
    findings: tuple[FindingChange, ...] = ()
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def figures_of(self, kind: str) -> list[FigureChange]:
        return [change for change in self.figures if change.kind == kind]

    def findings_of(self, kind: str) -> list[FindingChange]:
        return [change for change in self.findings if change.kind == kind]

    def summary(self) -> dict[str, Any]:
        """The counts, as the manifest and ``--format json`` give them."""
        return {"from": self.old, "to": self.new, **self.counts}


@dataclass(frozen=True)
class _Figure:
    amount: Decimal | None
    dataset: str
    label: str


@dataclass(frozen=True)
class _Finding:
    iri: str
    focus: str
    shape: str
    severity: str
    message: str


def _open(release: Release) -> ox.Store:
    try:
        return ox.Store.read_only(str(release.store_path))
    except OSError as exc:
        raise StoreError(f"The store of release {release.version} at {release.store_path} cannot be opened: {exc}",
                         "Give a complete release folder (one `kg-publisher build` wrote).") from None


def _objects(store: ox.Store, predicate: str) -> dict[str, _Term]:
    """Subject IRI → object, for every ``predicate`` triple of the default graph (the merge of the graphs)."""
    found: dict[str, _Term] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, _DEFAULT):
        if isinstance(quad.subject, ox.NamedNode):
            found.setdefault(quad.subject.value, quad.object)
    return found


def _amount(term: object) -> Decimal | None:
    try:
        return Decimal(term.value) if isinstance(term, ox.Literal) else None
    except InvalidOperation:
        return None


def _figures(store: ox.Store) -> dict[str, _Figure]:
    amounts = _objects(store, str(BGT.amountInYuan))
    datasets = _objects(store, str(QB.dataSet))
    labels = _objects(store, str(BGT.printedLabel))
    return {iri: _Figure(_amount(term), getattr(datasets.get(iri), "value", ""), getattr(labels.get(iri), "value", ""))
            for iri, term in amounts.items()}


def _findings(store: ox.Store) -> dict[tuple[str, ...], list[_Finding]]:
    """Findings keyed by what they are about: (focus node, shape, path, value)."""
    by_key: dict[tuple[str, ...], list[_Finding]] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SH.ValidationResult)),
                                        _DEFAULT):
        node = quad.subject
        if not isinstance(node, ox.NamedNode):
            continue
        facts: dict[str, list[_Term]] = {}
        for about in store.quads_for_pattern(node, None, None, _DEFAULT):
            facts.setdefault(about.predicate.value, []).append(about.object)

        def one(predicate: URIRef, facts: dict[str, list[_Term]] = facts) -> str:
            values = facts.get(str(predicate), [])
            return getattr(values[0], "value", "") if values else ""

        messages = sorted(facts.get(str(SH.resultMessage), []), key=lambda m: (getattr(m, "language", "") != "zh",
                                                                                 str(m)))
        finding = _Finding(node.value, one(SH.focusNode), one(SH.sourceShape),
                           one(SH.resultSeverity).rsplit("#", 1)[-1], getattr(messages[0], "value", "") if messages
                           else "")
        key = (finding.focus, finding.shape, one(SH.resultPath), one(SH.value))
        by_key.setdefault(key, []).append(finding)
    return by_key


def _changed_parts(old: Release, new: Release) -> list[str] | None:
    """The keys of the disclosures whose part differs between the releases (came, went or changed), when both
    manifests list their parts; None when one does not (a release written before they did)."""
    before, after = old.manifest.get("parts"), new.manifest.get("parts")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def _parts_store(release: Release, keys: Iterable[str]) -> ox.Store:
    """A store in memory holding, in its default graph, the disclosures ``keys`` of ``release`` (their dumps)."""
    store = ox.Store()
    for key in keys:
        path = release.path / "dumps" / f"{key}.nq"
        if path.is_file() or path.with_name(path.name + ".gz").is_file():
            store.extend(ox.Quad(q.subject, q.predicate, q.object, _DEFAULT)
                         for q in ox.parse(read_stored(path), format=ox.RdfFormat.N_QUADS))
    return store


def diff_releases(old: Release, new: Release, store_ready: Callable[[], object] | None = None) -> ReleaseDiff:
    """Every figure and finding added, removed or changed from release ``old`` to release ``new``.

    A figure or finding is stated in its disclosure's graphs only, so when both releases list their parts only
    the disclosures whose part differs are read (a one-document release compares one document, whatever the
    size of the release); otherwise both stores are read whole (``store_ready``, when given, is called first: it
    returns when the store of ``new``, being written, is complete)."""
    changed = _changed_parts(old, new)
    if changed is not None:
        old_store, new_store = _parts_store(old, changed), _parts_store(new, changed)
    else:
        if store_ready is not None:
            store_ready()
        old_store, new_store = _open(old), _open(new)
    try:
        before, after = _figures(old_store), _figures(new_store)
        findings_before, findings_after = _findings(old_store), _findings(new_store)
    finally:
        del old_store, new_store
    figures: list[FigureChange] = []
    for iri in sorted(before.keys() | after.keys()):
        was, now = before.get(iri), after.get(iri)
        if was is not None and now is not None and was.amount == now.amount:
            continue
        kind = "added" if was is None else "removed" if now is None else "changed"
        shown = now or was
        assert shown is not None
        figures.append(FigureChange(kind, iri, shown.dataset, shown.label, was.amount if was else None,
                                    now.amount if now else None))
    findings: list[FindingChange] = []
    for key in sorted(findings_before.keys() | findings_after.keys()):
        olds = sorted(findings_before.get(key, []), key=lambda f: (f.severity, f.message, f.iri))
        news = sorted(findings_after.get(key, []), key=lambda f: (f.severity, f.message, f.iri))
        same = [f for f in olds if any((f.severity, f.message) == (g.severity, g.message) for g in news)]
        olds = [f for f in olds if f not in same]
        news = [g for g in news if not any((f.severity, f.message) == (g.severity, g.message) for f in same)]
        for earlier, later in zip(olds, news, strict=False):
            findings.append(FindingChange("changed", key[0], key[1], earlier.severity, later.severity,
                                          earlier.message, later.message, earlier.iri, later.iri))
        for earlier in olds[len(news):]:
            findings.append(FindingChange("removed", key[0], key[1], earlier.severity, None, earlier.message, None,
                                          earlier.iri))
        for later in news[len(olds):]:
            findings.append(FindingChange("added", key[0], key[1], None, later.severity, None, later.message, None,
                                          later.iri))
    counts = {"figures": {kind: sum(1 for c in figures if c.kind == kind) for kind in KINDS},
              "findings": {kind: sum(1 for c in findings if c.kind == kind) for kind in KINDS}}
    return ReleaseDiff(old.version, new.version, tuple(figures), tuple(findings), counts)


def _key(*parts: object) -> str:
    return hashlib.sha1("|".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def diff_graph(diff: ReleaseDiff, base_iri: str) -> Graph:
    """The diff as RDF: one ``bgt:ReleaseDiff`` from the old release to the new, a ``bgt:ReleaseChange`` per figure
    or finding (``bgt:FigureChange``: the figure and its amounts before and after; ``bgt:FindingChange``: the
    finding in each release and what it is about)."""
    minter = IriMinter(base_iri)
    g = Graph()
    bind_prefixes(g)
    node = minter.release_diff(diff.old, diff.new)
    g.add((node, RDF.type, BGT.ReleaseDiff))
    g.add((node, BGT.fromRelease, minter.release(diff.old)))
    g.add((node, BGT.toRelease, minter.release(diff.new)))
    for what, counts in diff.counts.items():
        for kind, count in counts.items():
            g.add((node, BGT[f"{what}{kind.capitalize()}"], Literal(count, datatype=XSD.integer)))
    for figure in diff.figures:
        change = minter.release_change(node, _key("figure", figure.figure))
        g.add((node, BGT.change, change))
        g.add((change, RDF.type, BGT.FigureChange))
        g.add((change, BGT.changeKind, BGT[figure.kind]))
        g.add((change, BGT.figure, URIRef(figure.figure)))
        for predicate, amount in ((BGT.amountBefore, figure.before), (BGT.amountAfter, figure.after)):
            if amount is not None:
                g.add((change, predicate, Literal(amount, datatype=XSD.decimal)))
    for finding in diff.findings:
        change = minter.release_change(node, _key("finding", finding.before, finding.after))
        g.add((node, BGT.change, change))
        g.add((change, RDF.type, BGT.FindingChange))
        g.add((change, BGT.changeKind, BGT[finding.kind]))
        if finding.focus:
            g.add((change, BGT.concerns, URIRef(finding.focus)))
        for predicate, iri in ((BGT.findingBefore, finding.before), (BGT.findingAfter, finding.after)):
            if iri:
                g.add((change, predicate, URIRef(iri)))
    return g


def figure_rows(changes: Iterable[FigureChange]) -> list[tuple[str, str, str, str, str]]:
    """(kind, figure IRI, label, before, after) per figure change, amounts in yuan as printed exactly."""
    return [(c.kind, c.figure, c.label, "" if c.before is None else str(c.before),
             "" if c.after is None else str(c.after)) for c in changes]


__all__ = ["KINDS", "FigureChange", "FindingChange", "ReleaseDiff", "diff_graph", "diff_releases", "figure_rows"]
