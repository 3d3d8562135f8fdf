"""Where a fact was read: follow ``prov:wasDerivedFrom`` → ``oa:hasSelector`` → ``oa:start``/``oa:end``/``oa:exact``
to the characters of the source text, and cut out the sentence around them."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib.namespace import SH

from ..vocab import OA, PROV, SPDX

if TYPE_CHECKING:
    from .store import Store
    from .triples import Triples

_SENTENCE_END = "。！？；\n\f"
_CONTEXT_LIMIT = 160


@dataclass(frozen=True)
class Evidence:
    span: str
    source: str | None
    start: int | None
    end: int | None
    exact: str | None
    #: The sentence around the span, in three parts (empty when the source text is not available).
    before: str = ""
    quote: str = ""
    after: str = ""

    @property
    def matches_text(self) -> bool:
        """True when the quoted text equals the characters at the span's offsets."""
        return self.exact is None or self.quote == self.exact


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """``(before, quote, after)``: the sentence holding ``text[start:end]``, bounded by 。！？； or a line end.

    >>> sentence_around("甲。收入预算819.82万元，包括：乙。丙", 2, 14)
    ('', '收入预算819.82万元', '，包括：乙。')
    """
    left = max(text.rfind(mark, 0, start) for mark in _SENTENCE_END) + 1
    left = max(left, start - _CONTEXT_LIMIT)
    ends = [i for i in (text.find(mark, end) for mark in _SENTENCE_END) if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    right = min(right, end + _CONTEXT_LIMIT)
    return text[left:start], text[start:end], text[end:right].rstrip("\n\f")


def _index(triples: list[ox.Triple]) -> dict[object, dict[str, list[object]]]:
    index: dict[object, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for triple in triples:
        index[triple.subject][triple.predicate.value].append(triple.object)
    return index


def _first(values: list[object]) -> object | None:
    return values[0] if values else None


def evidence_for(store: Store, iri: str) -> list[Evidence]:
    """The source spans a resource was derived from, each with its sentence when the release holds the text."""
    about = _index(store.describe(iri))
    out: list[Evidence] = []
    for target in about[ox.NamedNode(iri)].get(str(PROV.wasDerivedFrom), []):
        index = about if isinstance(target, ox.BlankNode) else _index(store.describe(target.value))  # type: ignore[attr-defined]
        start = end = None
        exact = None
        for selector in index[target].get(str(OA.hasSelector), []):
            facts = index[selector] if selector in index else _index(store.describe(selector.value))[selector]  # type: ignore[attr-defined]
            start = _int(_first(facts.get(str(OA.start), []))) if start is None else start
            end = _int(_first(facts.get(str(OA.end), []))) if end is None else end
            literal = _first(facts.get(str(OA.exact), []))
            exact = literal.value if isinstance(literal, ox.Literal) and exact is None else exact
        if start is None and exact is None:
            continue
        source = _first(index[target].get(str(OA.hasSource), []))
        source_iri = source.value if isinstance(source, ox.NamedNode) else None
        before = quote = after = ""
        text = _source_text(store, source_iri) if source_iri else None
        if text is not None and start is not None and end is not None and 0 <= start < end <= len(text):
            before, quote, after = sentence_around(text, start, end)
        elif exact:
            quote = exact
        span_iri = target.value if isinstance(target, ox.NamedNode) else ""
        out.append(Evidence(span_iri, source_iri, start, end, exact, before, quote, after))
    return out


def _int(term: object | None) -> int | None:
    if isinstance(term, ox.Literal):
        try:
            return int(term.value)
        except ValueError:
            return None
    return None


def _source_text(store: Store, source_iri: str) -> str | None:
    """The source text of a source document IRI: its ``spdx:checksum`` names ``sources/<sha256>.txt``."""
    if store.release is None:
        return None
    about = _index(store.describe(source_iri))
    for checksum in about[ox.NamedNode(source_iri)].get(str(SPDX.checksum), []):
        facts = about[checksum] if checksum in about else _index(store.describe(checksum.value))[checksum]  # type: ignore[attr-defined]
        value = _first(facts.get(str(SPDX.checksumValue), []))
        if isinstance(value, ox.Literal):
            text = store.release.source_text(value.value.lower())
            if text is not None:
                return text
    # Fall back on the release's own list: the source IRI ends with the checksum's first 16 digits.
    for row in store.release.manifest.get("datasets", []):
        sha = row["source"]["sha256"]
        if source_iri.endswith(f"/source/{sha[:16]}"):
            return store.release.source_text(sha)
    return None


@dataclass(frozen=True)
class QualityFinding:
    """A finding of the published quality report that concerns a resource (its focus node or its value)."""

    iri: str
    severity: str
    message_zh: str
    message_en: str
    #: The shape that found it (its kind) and the node at fault.
    shape: str = ""
    focus: str = ""


_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


#: A finding concerns a node it is about (focus node, value at fault) or, for a data set, its target.
_CONCERNS = (str(SH.focusNode), str(SH.value), str(OA.hasTarget))


def findings_about(store: Triples, iri: str, limit: int) -> list[QualityFinding]:
    """The report's findings about ``iri`` (its ``sh:focusNode``, ``sh:value`` or, for a data set, the
    ``oa:hasTarget`` of its whole quality report), most severe first."""
    out = []
    for triple in store.incoming(iri, limit):
        if triple.predicate.value not in _CONCERNS:
            continue
        if not isinstance(triple.subject, ox.NamedNode):
            continue
        facts = _index(store.describe(triple.subject.value))[triple.subject]
        severity = _first(facts.get(str(SH.resultSeverity), []))
        if not isinstance(severity, ox.NamedNode):
            continue
        messages = {m.language: m.value for m in facts.get(str(SH.resultMessage), []) if isinstance(m, ox.Literal)}
        shape, focus = _first(facts.get(str(SH.sourceShape), [])), _first(facts.get(str(SH.focusNode), []))
        out.append(QualityFinding(triple.subject.value, severity.value.rsplit("#", 1)[-1],
                                  messages.get("zh", ""), messages.get("en", ""),
                                  shape.value if isinstance(shape, ox.NamedNode) else "",
                                  focus.value if isinstance(focus, ox.NamedNode) else ""))
    unique = {finding.iri: finding for finding in out}.values()
    return sorted(unique, key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.message_zh))


@dataclass(frozen=True)
class FindingGroup:
    """Findings of one kind (one shape), for a report read kind by kind."""

    shape: str
    title: str
    severity: str
    findings: list[QualityFinding]


def group_findings(findings: list[QualityFinding]) -> list[FindingGroup]:
    """Findings by the shape that found them, most severe kind first, then the largest.

    >>> [g.title for g in group_findings([QualityFinding("f1", "Warning", "", "", "s#UnparsedTextShape")])]
    ['Unparsed text']
    """
    by_shape: dict[str, list[QualityFinding]] = defaultdict(list)
    for finding in findings:
        by_shape[finding.shape].append(finding)
    groups = [FindingGroup(shape, _shape_title(shape), min((f.severity for f in members),
                                                            key=lambda s: _SEVERITY_ORDER.get(s, 3)), members)
              for shape, members in by_shape.items()]
    return sorted(groups, key=lambda g: (_SEVERITY_ORDER.get(g.severity, 3), -len(g.findings), g.title))


def _shape_title(shape: str) -> str:
    """``…#ParentSumShape`` → ``Parent sum``: the shape's name, which says what it checks."""
    name = shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1].removesuffix("Shape") or "Other"
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", name)
    text = " ".join(words) if words else name
    return text[:1].upper() + text[1:].lower()
