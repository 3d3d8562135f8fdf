"""How :mod:`kg_publisher.publish.query_analysis` reads a query: each rule with a case it refuses and one it lets by."""

from __future__ import annotations

import pytest

from kg_publisher.errors import QuerySyntaxError, QueryTooComplex
from kg_publisher.publish.query_analysis import MAX_DEPTH, analyse, tokenize

BASE = "http://localhost/sparql"


@pytest.mark.parametrize(("query", "service"), [
    ("SELECT * WHERE { SERVICE <urn:x> { } }", True),
    ("SELECT * WHERE { #\rSERVICE <urn:x> { } }", True),  # a comment ends at \r
    ("SELECT * WHERE { # SERVICE <urn:x> { } \n }", False),
    ("SELECT * WHERE { \\u0053ERVICE <urn:x> { } }", True),  # escapes apply before parsing
    ('SELECT * WHERE { BIND("SERVICE" AS ?x) }', False),
    ('SELECT * WHERE { BIND("""a\r\nSERVICE""" AS ?x) }', False),  # long strings span lines
    ("SELECT * WHERE { BIND('''a\n''' AS ?x) SERVICE <urn:x> {} }", True),
    ("PREFIX service: <urn:s:> SELECT * WHERE { ?s service:x ?o }", False),
    ("SELECT ?service WHERE { ?service ?p ?o }", False),
    ("SELECT * WHERE { ?s <urn:a#SERVICE> ?o }", False),
    ("PREFIX e: <urn:e:> SELECT * WHERE { ?s e:a\\#b ?o SERVICE <urn:x> {} }", True),  # \\# is not a comment
    # Inside an expression, '<' after an operand is less-than: the '#' starts a comment, the '"""' is in it.
    ('SELECT * WHERE { ?s ?p ?o FILTER(?o<?s#>"""\n) SERVICE <urn:x> {}\n#"""\n}', True),
    # In a triple pattern '<' starts an IRI, '#' included.
    ('SELECT * WHERE { ?s <urn:p#q> ?o . ?s ?p """#\n""" }', False),
])
def test_service_is_found_where_the_engine_sees_it(query: str, service: bool) -> None:
    assert analyse(query).uses_service is service


def test_comments_are_blanked_in_the_text_the_engine_runs() -> None:
    shape = analyse("SELECT * # note\rWHERE { ?s ?p ?o } # end")
    assert "#" not in shape.text and "note" not in shape.text and len(shape.text) == len("SELECT * # note\rWHERE "
                                                                                         "{ ?s ?p ?o } # end")


@pytest.mark.parametrize(("query", "graphs"), [
    ("SELECT * FROM <http://a/g> WHERE {}", ["http://a/g"]),
    ("SELECT * FROM NAMED <g> WHERE {}", ["http://localhost/g"]),
    ("BASE <http://b/x/> SELECT * FROM <g> FROM NAMED <../h> WHERE {}", ["http://b/x/g", "http://b/h"]),
    ("PREFIX r: <http://r/> SELECT * from named r:g\\~1 WHERE {}", ["http://r/g~1"]),
    ("SELECT * #\rFROM <http://a/g> WHERE {}", ["http://a/g"]),
    ("SELECT * WHERE { ?s <urn:from> ?o } # FROM <http://a/g>", []),
])
def test_dataset_clauses_are_resolved_as_the_parser_does(query: str, graphs: list[str]) -> None:
    assert analyse(query, BASE).from_graphs == graphs


@pytest.mark.parametrize(("query", "update"), [
    ("INSERT DATA { <a:b> <a:c> 1 }", True),
    ("PREFIX x: <urn:x:> BASE <urn:b> delete WHERE { ?s ?p ?o }", True),
    ("#\rLOAD <http://example.org/>", True),
    ("SELECT ?insert WHERE { ?insert ?p ?o }", False),
    ("PREFIX insert: <urn:i:> SELECT * WHERE { ?s insert:x ?o }", False),
])
def test_updates_are_known_by_their_first_word(query: str, update: bool) -> None:
    assert analyse(query).is_update is update


def test_nesting_is_counted_over_every_bracket_and_unary_chains() -> None:
    assert analyse("ASK { FILTER((!(-(1)))) }").depth == 5  # 5 brackets; a unary run adds to the brackets around it
    assert analyse("ASK { FILTER(!!-1) }").depth == 5
    ok = "ASK " + "{" * (MAX_DEPTH - 1) + "}" * (MAX_DEPTH - 1)
    assert analyse(ok).depth == MAX_DEPTH - 1
    for deep in ("ASK " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1),
                 "ASK { FILTER(" + "!" * MAX_DEPTH + "true) }",
                 "ASK { ?s <urn:p> " + "[ <urn:p> " * MAX_DEPTH + "1" + " ]" * MAX_DEPTH + " }"):
        with pytest.raises(QueryTooComplex):
            analyse(deep)


def test_escapes_that_spell_escapes_are_refused() -> None:
    with pytest.raises(QuerySyntaxError):
        analyse("SELECT * WHERE { ?s ?p \"\\u005Cu0041\" }")
    with pytest.raises(QuerySyntaxError):
        analyse("SELECT * WHERE { ?s ?p \"\\uD800\" }")


def test_tokens_cover_every_terminal_kind() -> None:
    text = "PREFIX e: <urn:e:> SELECT ?x $y WHERE { _:b e:p 'a'@en-GB, 1.5e3, .5 ; a e:T } # c"
    kinds = [token.kind for token in tokenize(text)]
    assert kinds == ["word", "pname", "iri", "word", "var", "var", "word", "punct", "bnode", "pname", "string",
                     "langtag", "punct", "number", "punct", "number", "punct", "word", "pname", "punct"]


@pytest.mark.parametrize(("query", "rewritten"), [
    ("SELECT ?p ?o WHERE { <urn:x> ?p ?o } LIMIT 100", "SELECT ?p ?o WHERE { <urn:x> ?p ?o } LIMIT 100"),
    ("PREFIX e: <urn:e:> select distinct * { e:a a ?t . } offset 2 limit 5",
     "SELECT DISTINCT * WHERE { <urn:e:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?t } LIMIT 5 OFFSET 2"),
    ("BASE <http://localhost/id/> SELECT $s WHERE { ?s ?p <org/a> } # incoming links\n",
     "SELECT ?s WHERE { ?s ?p <http://localhost/id/org/a> }"),
    ("SELECT ?p ?o WHERE { <urn:\\u0078> ?p ?o }", "SELECT ?p ?o WHERE { <urn:x> ?p ?o }"),  # escapes applied
    # Anything but one pattern with a bound subject or object runs in a query process, as written.
    ("SELECT ?p ?o WHERE { ?s ?p ?o }", None),
    ("SELECT ?s ?o WHERE { ?s <urn:p> ?o }", None),
    ("SELECT ?p ?o WHERE { <urn:x> ?p ?o . ?o ?q ?r }", None),
    ("SELECT ?p ?o WHERE { <urn:x> ?p ?o } ORDER BY ?o", None),
    ("SELECT ?p WHERE { <urn:x> ?p 'text' }", None),
    ("SELECT ?p ?o WHERE { <urn:x> ?p ?o FILTER(?o > 1) }", None),
    ("SELECT ?p ?o FROM <urn:g> WHERE { <urn:x> ?p ?o }", None),
    ("SELECT ?p ?o WHERE { <urn:x> ?p ?o } #\rSERVICE <http://127.0.0.1:9/> { }", None),
    ("SELECT ?p ?o WHERE { <urn:x> ?p ?o } LIMIT 1.5", None),
    ("SELECT ?p ?o WHERE { u:x ?p ?o }", None),  # undeclared prefix: the engine's syntax error answers it
    ("SELECT ?p ?o WHERE { <urn:x> <urn:p>/<urn:q> ?o }", None),
    ("ASK { <urn:x> ?p ?o }", None),
    # DESCRIBE of one IRI, nothing else.
    ("PREFIX e: <urn:e:> DESCRIBE e:a # a comment", "DESCRIBE <urn:e:a>"),
    ("BASE <http://localhost/id/> describe <org/a>", "DESCRIBE <http://localhost/id/org/a>"),
    ("DESCRIBE <urn:a> <urn:b>", None),
    ("DESCRIBE ?x WHERE { ?x ?p ?o }", None),
    ("DESCRIBE *", None),
    ("DESCRIBE <urn:a> FROM <urn:g>", None),
    ("DESCRIBE <urn:a> #\rSERVICE <http://127.0.0.1:9/> { }", None),
])
def test_single_pattern_lookups_are_rewritten_from_the_terms_read(query: str, rewritten: str | None) -> None:
    """A lookup runs where the request is served, so it runs as text written by us: no character of the
    client's text (comments, escapes, other clauses) reaches the engine there."""
    assert analyse(query).lookup_text == rewritten


@pytest.mark.parametrize(("query", "limit"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 20", 20),
    ("select * { ?s ?p ?o } offset 5 limit 7 VALUES ?s { <urn:a> }", 7),
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 } ?s ?q ?v }", None),  # a subquery's LIMIT
    ("SELECT * WHERE { ?s ?p ?o } # LIMIT 3\n", None),  # a comment
    ("SELECT * WHERE { ?s ?p 'LIMIT 3' }", None),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1.5", None),
    ("SELECT * WHERE { ?s ?p ?o }", None),
])
def test_the_top_level_limit_bounds_the_answer(query: str, limit: int | None) -> None:
    assert analyse(query).limit == limit


@pytest.mark.parametrize("base", ["https://data.example.org/kg/sparql", "http://localhost/sparql", None])
def test_absolute_iris_are_kept_as_written_whatever_the_base(base: str | None) -> None:
    """A namespace ending in ``#`` stays one against a base of the same scheme (urljoin dropped the empty fragment:
    ``bgt:x`` became ``…/defx``), and an IRI with dot segments is left to the engine."""
    query = "PREFIX bgt: <https://w3id.org/cn-budget-kg/def#> SELECT ?p ?o WHERE { bgt:amountInYuan ?p ?o }"
    assert analyse(query, base).lookup_text == \
        "SELECT ?p ?o WHERE { <https://w3id.org/cn-budget-kg/def#amountInYuan> ?p ?o }"
    assert analyse("SELECT * FROM <https://a.example/g?> WHERE {}", base).from_graphs == ["https://a.example/g?"]
    assert analyse("SELECT ?p ?o WHERE { <https://a.example/x/../y> ?p ?o }", base).lookup_text is None
