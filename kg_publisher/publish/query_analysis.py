"""What a SPARQL query text is, read the way the engine reads it: a lexer for the SPARQL 1.1 grammar's terminals
and a one-pass reading of the token stream that decides every refusal before the engine sees the query.

Why our own lexer and not rdflib's SPARQL parser: rdflib ends comments at ``\\n`` only (SPARQL, and pyoxigraph,
also end them at ``\\r``, the flaw that let ``#\\rSERVICE`` through), it recurses about 25 Python frames per
nesting level (a ``RecursionError`` at 40 nested ``{``), and it is ~4 ms a query. This lexer is linear, recurses
never, and follows the grammar's terminals (SPARQL 1.1 Query §19.8) where they matter for what is code:

* codepoint escapes (``\\u0053`` = ``S``) are applied to the whole text first, as §19.2 requires (so
  ``\\u0053ERVICE`` is ``SERVICE``); an escape that spells another escape is refused, as the engine would read
  it twice;
* comments end at ``\\r`` or ``\\n``; strings in all four forms, long ones spanning lines; escaped characters in
  prefixed names (``ex:a\\#b`` has no comment);
* ``<`` is an IRI or the less-than operator by context, as the engine's grammar decides it: inside an expression
  after an operand it is the operator (``FILTER(?a<?b#…`` starts a comment), elsewhere an IRI
  (``?s <http://x/p#q> ?o``). Brackets are tracked with their kind (group, blank node, expression, list).

``SERVICE`` and ``FROM`` are reserved words of the grammar, used only in a service pattern and a dataset clause,
so a query whose tokens include the word is one that has such a clause or does not parse: either way it is
refused. The engine then runs the text as read here (escapes applied, comments blanked), so what we checked is
what it parses. Below this, query processes have no network at all (:mod:`kg_publisher.publish.workers`).

Nesting (brackets of every kind plus chains of ``!``/``-``/``+``) and size (tokens, triple patterns) are bounded
here, before the engine's recursive parser and evaluator see the query (≈2,500 nested ``{`` overflow its stack).
The same pass gives each query a cost class (cheap lookup, whole-store scan, or expensive: no bound on its work)
for admission control.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..errors import QuerySyntaxError, QueryTooComplex

#: Deepest nesting accepted (brackets of all kinds + unary operator chains); real queries stay under 15.
MAX_DEPTH = 64
#: Most tokens accepted (a 64 KB query of one-letter variables has ~30,000).
MAX_TOKENS = 20_000
#: Most triple patterns and property-path steps accepted (the engine's planner takes minutes on ~1,000).
MAX_PATTERNS = 500

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
_EXPONENT = r"[eE][+-]?[0-9]+"
_PN_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_CHAR = r"[\w\-\u00B7\u0300-\u036F\u203F\u2040]"
_PLX = rf"%[0-9A-Fa-f]{{2}}|{_PN_ESC}"
_PN_LOCAL = rf"(?:[\w:]|{_PLX})(?:(?:{_PN_CHAR}|[.:]|{_PLX})*(?:{_PN_CHAR}|:|{_PLX}))?"
_PN_PREFIX = rf"[^\W\d_](?:(?:{_PN_CHAR}|\.)*{_PN_CHAR})?"

# One alternative per terminal, after the blanks before it (one match a token, not one for the blanks and one for
# the token: the blanks were half the matches of a query); the group name is the token kind. ``<`` is matched as
# ``angle`` and decided apart (context decides whether it opens an IRI).
_BLANKS = re.compile(r"[ \t\r\n]*")
_TOKEN = re.compile(r"[ \t\r\n]*(?:" + "|".join([
    r"(?P<angle><)",  # first: it starts no other terminal (every IRI of a prologue is one)
    r"(?P<comment>#[^\r\n]*)",
    r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*\"\"\""
    r"|'(?:[^'\\\r\n]|\\.)*'|\"(?:[^\"\\\r\n]|\\.)*\")",
    r"(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)",
    r"(?P<bnode>_:(?:[\w])(?:(?:[\w.\-\u00B7])*[\w\-\u00B7])?)",
    rf"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
    rf"(?P<number>[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+(?:{_EXPONENT})?|[0-9]*\.[0-9]+|[0-9]+(?:{_EXPONENT})?)",
    r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
    r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]*)*)",
    r"(?P<punct>&&|\|\||!=|>=|\^\^|>>|[{}()\[\],;.=>!+\-*/^|?])",
]) + ")", re.DOTALL)
_IRI = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")

#: Tokens after which, inside an expression, ``<`` is the less-than operator.
_OPERAND_END = frozenset({"var", "iri", "pname", "string", "number", "langtag", "bnode"})
#: Bare words after which ``(`` opens a list (collection, VALUES row) rather than an expression.
_LIST_AFTER = frozenset({"VALUES", "TRUE", "FALSE", "UNDEF"})  # and ``a`` (rdf:type), lower case only
#: Words that start a group of solution modifiers, where ``name(`` is a function call.
#: Prefix operators of expressions and paths; a run of them nests like brackets in the engine's parser.
_PREFIX_OPERATORS = frozenset({"!", "-", "+", "^", "^^"})
_MODIFIERS = frozenset({"GROUP", "ORDER", "HAVING"})
_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})


class Token:
    """One terminal: its kind (the group name of ``_TOKEN``, or ``iri``/``punct``/``junk``), its text, where it
    starts, and for bare words the word upper-cased (``word``, else ""). A plain class with slots: a query has
    hundreds of tokens, and a frozen dataclass's constructor cost more than matching them."""

    __slots__ = ("kind", "start", "text", "word")

    def __init__(self, kind: str, text: str, start: int) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.word = text.upper() if kind == "word" else ""

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.text!r}, {self.start})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and (self.kind, self.text, self.start) == (other.kind, other.text,
                                                                                   other.start)

    def __hash__(self) -> int:
        return hash((self.kind, self.text, self.start))


@dataclass
class QueryShape:
    """What the checks and the pool need to know about one query text."""

    #: The text the engine runs: codepoint escapes applied, comments replaced by spaces.
    text: str
    is_update: bool = False
    uses_service: bool = False
    #: Graph IRIs of the query's FROM and FROM NAMED clauses, resolved as the parser resolves them.
    from_graphs: list[str] = field(default_factory=list)
    depth: int = 0
    patterns: int = 0
    #: ``cheap`` (bound lookups), ``scan`` (one pass over the store: every triple sorted or aggregated, or very
    #: many patterns) or ``expensive`` (cartesian products, transitive closures: no bound on the work).
    cost: str = "cheap"
    #: Why the cost is not ``cheap`` (shown in logs and overload messages).
    cost_reason: str = ""
    #: For a single triple pattern with a bound subject or object (``SELECT ?p ?o WHERE { <iri> ?p ?o }``) and for
    #: ``DESCRIBE <iri>``: the same query written out by us from the tokens read (absolute IRIs, no prologue),
    #: else None. Its work is bounded by the IRI's own triples (and, for DESCRIBE, the blank nodes they reach), so
    #: it may run where the request is served (:class:`~.store.OxigraphStore`).
    lookup_text: str | None = None
    #: The query's own top-level ``LIMIT`` (outside every group, so it bounds the answer's rows), else None.
    limit: int | None = None


def expand_escapes(text: str) -> str:
    """Apply SPARQL codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``) to the whole text, once."""
    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QuerySyntaxError(f"The query has an invalid codepoint escape {match.group(0)} "
                                   f"at character {match.start()}")
        return chr(code)

    expanded = _ESCAPE.sub(expand, text)
    if expanded != text and _ESCAPE.search(expanded):
        raise QuerySyntaxError("The query's codepoint escapes spell another escape (e.g. \\u005Cu0041)",
                               "Write the character itself, or a single escape for it.")
    return expanded


class _Reader:
    """One pass over the text: tokens, bracket kinds, and the facts the checks need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = []
        self.comments: list[tuple[int, int]] = []
        self.stack: list[str] = []  # "group" {, "bnode" [, "expr" (, "list" (
        self.clause = ""  # "select" or "modifier" while inside those clauses
        self.depth = 0
        self.unary = 0

    def in_expression(self) -> bool:
        return bool(self.stack) and self.stack[-1] == "expr"

    def previous(self, back: int = 1) -> Token | None:
        return self.tokens[-back] if len(self.tokens) >= back else None

    def operand_before(self) -> bool:
        prev = self.previous()
        if prev is None:
            return False
        return prev.kind in _OPERAND_END or prev.text == ")" or prev.word in ("TRUE", "FALSE")

    def paren_kind(self) -> str:
        if self.in_expression():
            return "expr"
        prev = self.previous()
        if prev is not None and prev.kind == "word" and (prev.text == "a" or prev.word in _LIST_AFTER):
            return "list"
        if self.clause in ("select", "modifier"):
            return "expr"
        if prev is not None and prev.kind == "word":
            return "expr"  # FILTER(, BIND(, STR(, COUNT(, ASC( …
        before = self.previous(2)
        if prev is not None and prev.kind in ("iri", "pname") and before is not None and before.word == "FILTER":
            return "expr"  # FILTER ex:fn(…)
        return "list"  # a collection, a VALUES row or a property path group

    def push(self, kind: str, token: Token) -> None:
        self.stack.append(kind)
        self.depth = max(self.depth, len(self.stack) + self.unary)
        if self.depth > MAX_DEPTH:
            raise QueryTooComplex(f"The query nests deeper than {MAX_DEPTH} levels (at character {token.start})")

    def pop(self) -> None:
        if self.stack:
            self.stack.pop()

    def read(self) -> None:
        text, pos, end = self.text, 0, len(self.text)
        while pos < end:
            match = _TOKEN.match(text, pos)
            if match is None or match.lastgroup is None:  # blanks, then the end or a character of no terminal
                pos = _BLANKS.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty text too
                if pos == end:
                    break
                token = Token("junk", text[pos], pos)
            else:
                kind = match.lastgroup
                start = match.start(kind)
                if kind == "angle":
                    token = self._angle(start)
                elif kind == "comment":
                    self.comments.append((start, match.end()))
                    pos = match.end()
                    continue
                else:
                    token = Token(kind, text[start:match.end()], start)
            pos = token.start + len(token.text)
            self._take(token)
            if len(self.tokens) > MAX_TOKENS:
                raise QueryTooComplex(f"The query has more than {MAX_TOKENS} tokens")

    def _angle(self, pos: int) -> Token:
        if self.in_expression() and self.operand_before():
            return Token("punct", "<=" if self.text.startswith("<=", pos) else "<", pos)
        match = _IRI.match(self.text, pos)
        if match is not None:
            return Token("iri", match.group(0), pos)
        return Token("punct", "<<" if self.text.startswith("<<", pos) else "<", pos)

    def _take(self, token: Token) -> None:
        text, word = token.text, token.word
        if text in _PREFIX_OPERATORS and (self.unary or not self.operand_before()):
            self.unary += len(text)
            self.depth = max(self.depth, len(self.stack) + self.unary)
            if self.depth > MAX_DEPTH:
                raise QueryTooComplex(f"The query nests deeper than {MAX_DEPTH} levels (a chain of unary "
                                      f"operators at character {token.start})")
        else:
            self.unary = 0
        if word == "SELECT":
            self.clause = "select"
        elif word in _MODIFIERS:
            self.clause = "modifier"
        elif word in ("WHERE", "FROM", "LIMIT", "OFFSET", "VALUES") or text in ("{", "}"):
            self.clause = ""
        if text == "{":
            self.push("group", token)
        elif text == "[":
            self.push("bnode", token)
        elif text == "(":
            self.push(self.paren_kind(), token)
        elif text in ("}", "]", ")"):
            self.pop()
        self.tokens.append(token)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (codepoint escapes not applied), as far as the bounds let the reading go."""
    reader = _Reader(text)
    try:
        reader.read()
    except QueryTooComplex:
        pass
    return reader.tokens


def _unescape_local(local: str) -> str:
    return re.sub(_PN_ESC, lambda m: m.group(0)[1:], local)


def analyse(query: str, base_iri: str | None = None) -> QueryShape:
    """Read ``query``; raises :class:`~kg_publisher.errors.QueryTooComplex` past the bounds, and
    :class:`~kg_publisher.errors.QuerySyntaxError` for a broken codepoint escape."""
    text = expand_escapes(query)
    reader = _Reader(text)
    reader.read()
    blanked = list(text)
    for start, stop in reader.comments:
        blanked[start:stop] = " " * (stop - start)
    shape = QueryShape(text="".join(blanked), depth=reader.depth)
    tokens = reader.tokens
    prefixes, base, body = _prologue_and_dataset(tokens, base_iri, shape)
    shape.uses_service = any(token.word == "SERVICE" for token in tokens)
    shape.limit = _top_level_limit(tokens[body:])
    _classify_cost(tokens, shape)
    if shape.cost == "cheap" and not shape.is_update and not shape.uses_service and not shape.from_graphs:
        shape.lookup_text = (_single_pattern_lookup(tokens[body:], prefixes, base)
                             or _describe_lookup(tokens[body:], prefixes, base))
    return shape


def _prologue_and_dataset(tokens: list[Token], base_iri: str | None,
                          shape: QueryShape) -> tuple[dict[str, str], str | None, int]:
    """Update detection (the first word after the prologue) and FROM/FROM NAMED graphs, with BASE and PREFIX
    applied in order as the parser applies them. Returns the prologue's prefixes and base, and where the query
    after the prologue begins."""
    base = base_iri
    prefixes: dict[str, str] = {}
    in_prologue = True
    body = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.word == "BASE" and following is not None and following.kind == "iri":
            base = _resolve(following.text[1:-1], base)
            i += 2
            continue
        if (token.word == "PREFIX" and following is not None and following.kind == "pname"
                and i + 2 < len(tokens) and tokens[i + 2].kind == "iri"):
            prefixes[following.text.split(":", 1)[0]] = _resolve(tokens[i + 2].text[1:-1], base)
            i += 3
            continue
        if in_prologue:
            in_prologue = False
            body = i
            if token.word in _UPDATE_WORDS:
                shape.is_update = True
        if token.word == "FROM":
            j = i + 1
            if j < len(tokens) and tokens[j].word == "NAMED":
                j += 1
            target = tokens[j] if j < len(tokens) else None
            if target is not None and target.kind == "iri":
                shape.from_graphs.append(_resolve(target.text[1:-1], base))
            elif target is not None and target.kind == "pname":
                prefix, local = target.text.split(":", 1)
                namespace = prefixes.get(prefix)
                # An undeclared prefix is a syntax error for the engine; name it as written.
                shape.from_graphs.append(namespace + _unescape_local(local) if namespace is not None
                                         else target.text)
            else:
                shape.from_graphs.append("")  # FROM without a graph name: the engine refuses it
        i += 1
    return prefixes, base, body


def _top_level_limit(tokens: list[Token]) -> int | None:
    """``n`` of a ``LIMIT n`` outside every bracket (a subquery's LIMIT is inside its group); a trailing VALUES
    clause is joined before the solution modifiers, so the answer has at most ``n`` rows either way."""
    depth = 0
    limit = None
    for index, token in enumerate(tokens):
        if token.text in ("{", "(", "["):
            depth += 1
        elif token.text in ("}", ")", "]"):
            depth -= 1
        elif (depth == 0 and token.word == "LIMIT" and index + 1 < len(tokens)
              and tokens[index + 1].kind == "number" and tokens[index + 1].text.isdigit()):
            limit = int(tokens[index + 1].text)
    return limit


#: An IRI with a scheme: absolute, used as written (RFC 3986 §5.2.2 but for dot segments, which
#: :func:`_lookup_term` leaves to the engine). ``urljoin`` would also drop an empty fragment or query of an
#: absolute IRI whose scheme is the base's (``PREFIX bgt: <https://…/def#>`` against an https base became
#: ``…/def``), and cost more than reading the rest of the query.
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$|[?#])")


def _resolve(iri: str, base: str | None) -> str:
    if _ABSOLUTE.match(iri):
        return iri
    return urljoin(base, iri) if base else iri


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SAFE_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")


def _single_pattern_lookup(tokens: list[Token], prefixes: dict[str, str], base: str | None) -> str | None:
    """Our own text for ``SELECT [DISTINCT] vars|* [WHERE] { s p o [.] } [LIMIT n] [OFFSET n]`` when s or o is an
    IRI (the rest variables or IRIs); None for any other query. Only these exact token sequences qualify, and the
    text returned is rebuilt from the terms read (never the client's characters), so nothing else can ride in."""
    words = [token.word or token.text for token in tokens]
    i = 0
    if i >= len(tokens) or words[i] != "SELECT":
        return None
    i += 1
    modifier = ""
    if i < len(tokens) and words[i] in ("DISTINCT", "REDUCED"):
        modifier, i = words[i] + " ", i + 1
    projection: list[str] = []
    if i < len(tokens) and tokens[i].text == "*":
        projection, i = ["*"], i + 1
    else:
        while i < len(tokens) and tokens[i].kind == "var":
            projection.append("?" + tokens[i].text[1:])
            i += 1
    if not projection:
        return None
    if i < len(tokens) and words[i] == "WHERE":
        i += 1
    if len(tokens) < i + 5 or tokens[i].text != "{":
        return None
    read = [_lookup_term(tokens[i + k], prefixes, base, position=k) for k in range(1, 4)]
    terms = [term for term in read if term is not None]
    i += 4
    if i < len(tokens) and tokens[i].text == ".":
        i += 1
    if i >= len(tokens) or tokens[i].text != "}" or len(terms) != 3:
        return None
    i += 1
    if not (terms[0].startswith("<") or terms[2].startswith("<")):
        return None  # no bound subject or object: a scan of the predicate, not a lookup
    tail: dict[str, int] = {}
    while i < len(tokens):
        if (words[i] not in ("LIMIT", "OFFSET") or words[i] in tail or i + 1 >= len(tokens)
                or tokens[i + 1].kind != "number" or not tokens[i + 1].text.isdigit()):
            return None
        tail[words[i]] = int(tokens[i + 1].text)
        i += 2
    pattern = " ".join(terms)
    modifiers = "".join(f" {word} {tail[word]}" for word in ("LIMIT", "OFFSET") if word in tail)
    return f"SELECT {modifier}{' '.join(projection)} WHERE {{ {pattern} }}{modifiers}"


def _describe_lookup(tokens: list[Token], prefixes: dict[str, str], base: str | None) -> str | None:
    """``DESCRIBE <absolute IRI>`` for exactly ``DESCRIBE iri`` (an IRI or a prefixed name, nothing after it),
    rebuilt from the term read; None for any other query (several resources, variables, a WHERE clause)."""
    if len(tokens) != 2 or tokens[0].word != "DESCRIBE":
        return None
    term = _lookup_term(tokens[1], prefixes, base, position=0)
    return f"DESCRIBE {term}" if term is not None and term.startswith("<") else None


def _lookup_term(token: Token, prefixes: dict[str, str], base: str | None, position: int) -> str | None:
    """One term of a lookup pattern written out (``?name`` or ``<absolute IRI>``), or None if it is anything
    else (literal, blank node, path, keyword) or an IRI we would not write back safely."""
    if token.kind == "var":
        return "?" + token.text[1:]
    if token.kind == "iri":
        iri = _resolve(token.text[1:-1], base)
    elif token.kind == "pname":
        prefix, local = token.text.split(":", 1)
        if prefix not in prefixes:
            return None  # the engine's syntax error is the right answer
        iri = prefixes[prefix] + _unescape_local(local)
    elif position == 2 and token.kind == "word" and token.text == "a":
        iri = _RDF_TYPE
    else:
        return None
    if not _SAFE_IRI.fullmatch(iri) or ":" not in iri or _DOT_SEGMENT.search(iri):
        return None  # dot segments: the engine resolves them, the query process runs the text as sent
    return f"<{iri}>"


_TERM_KINDS = frozenset({"var", "iri", "pname", "string", "number", "bnode"})


def _classify_cost(tokens: list[Token], shape: QueryShape) -> None:
    """Cost class from the triple patterns: expensive for a cartesian product of loose patterns, a transitive
    path or a join of unbound patterns (work that can grow with the square of the store or worse); a scan for
    sorting or aggregating a pattern with no bound term, or very many patterns (work that grows with the
    store); cheap otherwise."""
    patterns: list[list[Token]] = []
    current: list[Token] = []
    closure = False
    sorts = False
    brackets: list[str] = []
    for index, token in enumerate(tokens):
        text = token.text
        if token.word in _AGGREGATES or token.word in ("ORDER", "GROUP", "DISTINCT"):
            sorts = True
        if text in ("{", "[", "("):
            brackets.append(text)
        elif text in ("}", "]", ")"):
            if brackets:
                brackets.pop()
        in_group = bool(brackets) and brackets[-1] == "{"
        if not in_group:
            continue
        if text in ("*", "+") and index > 0 and (tokens[index - 1].kind in ("iri", "pname")
                                                 or tokens[index - 1].text in (")", "a")):
            closure = True
        if token.kind in _TERM_KINDS or text == "a":
            current.append(token)
            if len(current) == 3:
                patterns.append(current)
                current = [current[0], current[1]]
        elif text == ";":
            current = current[:1]
        elif text == ",":
            current = current[:2]
        elif text in (".", "{", "}") or token.kind == "word":
            current = []
    shape.patterns = len(patterns)
    if shape.patterns > MAX_PATTERNS:
        raise QueryTooComplex(f"The query has more than {MAX_PATTERNS} triple patterns and path steps")
    unbound = [p for p in patterns if all(t.kind in ("var", "bnode") for t in p)]
    groups = _components(patterns)
    loose = [g for g in groups if all(sum(t.kind not in ("var", "bnode") for t in p) < 2 for p in g)]
    if closure:
        shape.cost, shape.cost_reason = "expensive", "a transitive property path (* or +)"
    elif len(loose) >= 2:
        shape.cost, shape.cost_reason = "expensive", "a cartesian product of patterns sharing no variable"
    elif len(unbound) >= 2:
        shape.cost, shape.cost_reason = "expensive", "several patterns with no bound term"
    elif unbound and sorts:
        shape.cost, shape.cost_reason = "scan", "sorting or aggregating every triple (?s ?p ?o)"
    elif shape.patterns > 24:
        shape.cost, shape.cost_reason = "scan", f"{shape.patterns} triple patterns"


def _components(patterns: list[list[Token]]) -> list[list[list[Token]]]:
    """Patterns grouped by shared variables (union–find over variable names)."""
    parent = list(range(len(patterns)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, pattern in enumerate(patterns):
        for token in pattern:
            if token.kind in ("var", "bnode"):
                name = token.text.lstrip("?$")
                if name in owner:
                    parent[find(index)] = find(owner[name])
                else:
                    owner[name] = index
    groups: dict[int, list[list[Token]]] = {}
    for index, pattern in enumerate(patterns):
        groups.setdefault(find(index), []).append(pattern)
    return list(groups.values())
