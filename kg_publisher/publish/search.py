"""One search over a release: departments, datasets, figures, glossary terms and classification codes, by Chinese
or English text.

The index is an SQLite database written once per release (``search.sqlite``, beside ``manifest.json``) by
:func:`write_search_index`, and only read while serving. Chinese has no spaces between words, so the text is
indexed by FTS5's ``trigram`` tokenizer (every three characters): a query of three characters or more is a
substring match through the index; a shorter one (``财政``, two characters) scans the rows with ``LIKE``, which
the index cannot speed up but which stays a plain substring match.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import SearchError

SEARCH_DB = "search.sqlite"
#: Kinds of entries, in the order results are shown, with their (Chinese, English) names.
KINDS: dict[str, tuple[str, str]] = {
    "department": ("部门", "Departments"),
    "dataset": ("数据集", "Datasets"),
    "term": ("名词解释", "Glossary terms"),
    "code": ("科目与代码", "Codes"),
    "figure": ("数字", "Figures"),
}
MAX_QUERY_CHARS = 100
_PER_KIND = 50

_COLUMNS = "kind, iri, title, english, text, context"
_SCHEMA = """
CREATE TABLE entries (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, iri TEXT NOT NULL, title TEXT NOT NULL,
                      english TEXT NOT NULL, text TEXT NOT NULL, context TEXT NOT NULL);
CREATE VIRTUAL TABLE entries_fts USING fts5(title, english, text, content='entries', content_rowid='id',
                                            tokenize='trigram');
"""

_P = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "qb": "http://purl.org/linked-data/cube#",
    "dct": "http://purl.org/dc/terms/", "bgt": "https://w3id.org/cn-budget-kg/def#",
}
_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in _P.items())
_FIGURES = _PREFIXES + """
SELECT ?obs ?label ?dataset WHERE { ?obs a qb:Observation ; rdfs:label ?label ; qb:dataSet ?dataset }"""
_TERMS = _PREFIXES + """
SELECT ?term ?label ?english ?definition ?dataset WHERE {
  ?term a bgt:GlossaryTerm ; skos:prefLabel ?label ; skos:inScheme ?glossary . FILTER (LANG(?label) = "zh")
  OPTIONAL { ?term skos:prefLabel ?english FILTER (LANG(?english) = "en") }
  OPTIONAL { ?term skos:definition ?definition }
  BIND (IRI(STRBEFORE(STR(?glossary), "/glossary")) AS ?dataset) }"""
_CODES = _PREFIXES + """
SELECT ?code ?notation (SAMPLE(?zh) AS ?zhLabel) (SAMPLE(?en) AS ?enLabel) ?scheme WHERE {
  ?code a skos:Concept ; skos:notation ?notation ; skos:inScheme ?scheme .
  FILTER NOT EXISTS { ?code a bgt:GlossaryTerm }
  OPTIONAL { ?code skos:prefLabel ?zh FILTER (LANG(?zh) = "zh") }
  OPTIONAL { ?code skos:prefLabel ?en FILTER (LANG(?en) = "en") }
} GROUP BY ?code ?notation ?scheme"""
_ALT_LABELS = _PREFIXES + """
SELECT ?org ?alt WHERE { ?org skos:altLabel ?alt }"""


@dataclass(frozen=True)
class Entry:
    kind: str
    iri: str
    title: str
    english: str = ""
    text: str = ""
    #: What the entry belongs to (a figure's or a term's dataset, a code's scheme), as shown beside it.
    context: str = ""


def release_entries(store: ox.Store, datasets: list[dict[str, Any]]) -> Iterator[Entry]:
    """Everything a reader may look for in a release: its ``store`` and the manifest's ``datasets`` rows."""
    found = graph_entries(store, [row["dataset"] for row in datasets])
    return _entries(datasets, [found])


def graph_entries(store: ox.Store, datasets: Iterable[str] | None = None) -> dict[str, Any]:
    """What the search index takes from the quads of ``store`` (read in its default graph, where a release's store
    merges its graphs), as JSON: organisations' other names, the English titles of ``datasets`` (default: of every
    dataset the store titles), glossary terms, codes, figures. A release's index is the same from its whole store
    or from these read part by part (:func:`index_parts`): each of those things is stated in one part's graphs."""
    aliases: dict[str, set[str]] = {}
    for solution in _select(store, _ALT_LABELS):
        aliases.setdefault(solution["org"].value, set()).add(solution["alt"].value)
    wanted = None if datasets is None else list(datasets)
    if wanted is None:
        wanted = sorted({q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(_P["dct"] + "title"), None)
                         if isinstance(q.subject, ox.NamedNode)})
    terms = []
    for solution in _select(store, _TERMS):
        definition, name = solution.get("definition"), solution.get("english")
        terms.append([solution["term"].value, solution["label"].value, name.value if name is not None else "",
                      definition.value if definition is not None else "", solution["dataset"].value])
    codes = []
    for solution in _select(store, _CODES):
        zh, en = solution.get("zhLabel"), solution.get("enLabel")
        codes.append([solution["code"].value, solution["notation"].value, zh.value if zh is not None else None,
                      en.value if en is not None else None, solution["scheme"].value])
    figures = [[s["obs"].value, s["label"].value, s["dataset"].value] for s in _select(store, _FIGURES)]
    return {"aliases": {org: sorted(names) for org, names in sorted(aliases.items())},
            "english": _english_titles(store, wanted), "terms": sorted(terms), "codes": sorted(codes, key=str),
            "figures": sorted(figures)}


def _entries(datasets: list[dict[str, Any]], founds: Iterable[dict[str, Any]]) -> Iterator[Entry]:
    """The entries of a release from its ``datasets`` rows and what :func:`graph_entries` found in its quads."""
    titles = {row["dataset"]: row["title"] for row in datasets}
    aliases: dict[str, set[str]] = {}
    english: dict[str, str] = {}
    for found in founds:  # (each part's entries as it is read: they grow with the release, and are not held)
        for org, names in found["aliases"].items():
            aliases.setdefault(org, set()).update(names)
        english.update(found["english"])
        for term, label, name, definition, dataset in found["terms"]:
            yield Entry("term", term, label, name, definition, titles.get(dataset, dataset))
        for concept, notation, zh, en, scheme in found["codes"]:
            yield Entry("code", concept, f"{notation} {zh or ''}".strip(), en or "", notation,
                        scheme.rsplit("/", 1)[-1])
        for obs, label, dataset in found["figures"]:
            if dataset in titles:
                yield Entry("figure", obs, label, "", "", titles[dataset])
    by_org: dict[str, list[dict[str, Any]]] = {}
    for row in datasets:
        by_org.setdefault(row["organization"], []).append(row)
        yield Entry("dataset", row["dataset"], row["title"], english.get(row["dataset"], ""),
                    f"{row['department']} {row['year']} {row['key']}", row["department"])
    for org, rows in by_org.items():
        first = rows[0]
        # what a department is searched by: its names, region, and its disclosures' titles in both languages
        searched = [*sorted(aliases.get(org, ())), first.get("region") or "", org.rsplit("/", 1)[-1],
                    *(r["title"] for r in rows), *sorted({english.get(r["dataset"], "") for r in rows})]
        yield Entry("department", org, first["department"], "", " ".join(searched), first.get("region") or "")


def _english_titles(store: ox.Store, datasets: list[str]) -> dict[str, str]:
    """A dataset's English title (the first in code point order when it has several)."""
    out: dict[str, str] = {}
    for dataset in datasets:
        for quad in store.quads_for_pattern(ox.NamedNode(dataset), ox.NamedNode(_P["dct"] + "title"), None):
            literal = quad.object
            if isinstance(literal, ox.Literal) and (literal.language or "").startswith("en"):
                out[dataset] = min(out.get(dataset, literal.value), literal.value)
    return out


def _select(store: ox.Store, query: str) -> Iterator[dict[str, Any]]:
    results = store.query(query)
    assert isinstance(results, ox.QuerySolutions)
    names = [variable.value for variable in results.variables]
    for solution in results:
        yield {name: solution[name] for name in names if solution[name] is not None}


def write_search_index(path: Path, entries: Iterable[Entry]) -> int:
    """Write the index of ``entries`` to ``path`` (replacing it); returns how many entries it holds."""
    path = Path(path)
    path.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(path)) as db:
            # Every entry once, in order (kind, IRI, …: sqlite compares text as UTF-8 bytes, which is code point
            # order), numbered in that order: sorted by sqlite in a temporary table on disk, as the entries grow
            # with the release (≈ 160 a disclosure).
            db.execute("PRAGMA temp_store = FILE")
            db.execute(f"CREATE TEMP TABLE given ({_COLUMNS})")
            db.executemany(f"INSERT INTO temp.given ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                           ((e.kind, e.iri, e.title, e.english, e.text, e.context) for e in entries))
            db.executescript(_SCHEMA)
            db.execute(f"INSERT INTO entries ({_COLUMNS}) SELECT DISTINCT {_COLUMNS} FROM temp.given "
                       f"ORDER BY {_COLUMNS}")
            db.execute("DROP TABLE temp.given")
            db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')")
            db.commit()
            count = int(db.execute("SELECT count(*) FROM entries").fetchone()[0])
    except sqlite3.OperationalError as exc:
        if "full" not in str(exc):
            raise
        # what every other write says of a full disk (the build turns it into its "disk is full" error)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from None
    return count


def index_release(release_dir: Path, datasets: list[dict[str, Any]], target: Path | None = None) -> int:
    """Build ``release_dir/search.sqlite`` (or ``target``) from the release's store; the release writer calls
    this once per release."""
    store = ox.Store.read_only(str(Path(release_dir) / "store"))
    try:
        return write_search_index(target or Path(release_dir) / SEARCH_DB, release_entries(store, datasets))
    finally:
        del store


def index_parts(path: Path, datasets: list[dict[str, Any]], founds: Iterable[dict[str, Any]]) -> int:
    """Write the index of a release to ``path`` from its ``datasets`` rows and what :func:`graph_entries` found in
    each of its parts (the same index as :func:`index_release` makes from the release's store)."""
    return write_search_index(path, _entries(datasets, founds))


def search_index(release_dir: Path, version: str, datasets: list[dict[str, Any]]) -> Path:
    """The index of a release: the one written with it, or, for a release written before releases carried one,
    one built now, once, into the release folder (or, when that is read-only, the temporary folder), named by
    the release version; written under a temporary name and renamed, so a reader never sees half of it."""
    path = Path(release_dir) / SEARCH_DB
    if path.is_file():
        return path
    fallback = Path(tempfile.gettempdir()) / f"kg-publisher-search-{version}.sqlite"
    if fallback.is_file():
        return fallback
    for target in (path, fallback):
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        try:
            index_release(release_dir, datasets, partial)
            os.replace(partial, target)
            return target
        except OSError:
            partial.unlink(missing_ok=True)
    raise SearchError("The search index cannot be written", "Rebuild the release with `kg-publisher build`.")


@dataclass(frozen=True)
class Hit:
    kind: str
    iri: str
    title: str
    english: str
    text: str
    context: str


def normalise_query(text: str) -> str:
    """The query as searched: surrounding spaces dropped, inner runs of space made one; bad input says why."""
    query = " ".join(text.split())
    if not query:
        raise SearchError("The search is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"The search is {len(query)} characters long; at most {MAX_QUERY_CHARS} are searched",
                         "Search for a shorter piece of text.")
    if any(ord(c) < 32 for c in query):
        raise SearchError("The search holds control characters", "Search for printable text only.")
    return query


def search(path: Path, text: str, per_kind: int = _PER_KIND) -> dict[str, list[Hit]]:
    """Entries whose title, English label or text contain ``text`` (case-insensitive), by kind (:data:`KINDS`
    order), at most ``per_kind`` each, the closest first (title matches before text matches, then shorter)."""
    query = normalise_query(text)
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        if len(query) >= 3:
            phrase = '"' + query.replace('"', '""') + '"'
            rows = db.execute(
                "SELECT e.kind, e.iri, e.title, e.english, e.text, e.context FROM entries_fts f "
                "JOIN entries e ON e.id = f.rowid WHERE entries_fts MATCH ?", (phrase,)).fetchall()
        else:
            pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = db.execute(
                "SELECT kind, iri, title, english, text, context FROM entries WHERE title LIKE ?1 ESCAPE '\\' "
                "OR english LIKE ?1 ESCAPE '\\' OR text LIKE ?1 ESCAPE '\\'", (pattern,)).fetchall()
    folded = query.casefold()
    ranked = sorted((Hit(*row) for row in rows), key=lambda h: (
        folded not in h.title.casefold() and folded not in h.english.casefold(), len(h.title), h.title, h.iri))
    out: dict[str, list[Hit]] = {kind: [] for kind in KINDS}
    for hit in ranked:
        if hit.kind in out and len(out[hit.kind]) < per_kind:
            out[hit.kind].append(hit)
    return {kind: hits for kind, hits in out.items() if hits}


@dataclass(frozen=True)
class EntriesPage:
    """A slice of the entries of one kind in title order, and what the whole list holds."""

    hits: list[Hit]
    #: Entries and distinct titles of the kind in the whole index.
    total: int
    titles: int
    #: Entries of each title on this page in the whole index (a title's entries may run over several pages).
    per_title: dict[str, int]


def entries_page(path: Path, kind: str, offset: int, limit: int) -> EntriesPage:
    """Entries ``offset`` to ``offset + limit`` of one kind, by title (the glossary's pages): one page is read,
    never the whole list, which grows with the number of disclosures."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT kind, iri, title, english, text, context FROM entries WHERE kind = ? "
                          "ORDER BY title, context, iri LIMIT ? OFFSET ?", (kind, limit, offset)).fetchall()
        total, titles = db.execute("SELECT COUNT(*), COUNT(DISTINCT title) FROM entries WHERE kind = ?",
                                   (kind,)).fetchone()
        shown = sorted({row[2] for row in rows})
        marks = ", ".join("?" * len(shown))
        per_title = dict(db.execute(f"SELECT title, COUNT(*) FROM entries WHERE kind = ? AND title IN ({marks}) "
                                    "GROUP BY title", (kind, *shown)).fetchall()) if shown else {}
    return EntriesPage([Hit(*row) for row in rows], int(total), int(titles), per_title)
