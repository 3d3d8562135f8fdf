"""The query mix users run against the endpoint (names → SPARQL). ``{org}`` and ``{year}`` are filled from the
release being measured, so the mix works on any build."""

from __future__ import annotations

PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX obeu-dimension: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/>
PREFIX bgt: <https://w3id.org/cn-budget-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

QUERIES: dict[str, str] = {
    "department facts": """SELECT ?obs ?indicator ?amount WHERE {
  ?obs a qb:Observation ; obeu-dimension:organization <{org}> ; bgt:indicator ?indicator ;
       obeu-measure:amount ?amount .
} LIMIT 200""",
    "sum by category": """SELECT ?indicator (SUM(?amount) AS ?total) (COUNT(?obs) AS ?n) WHERE {
  ?obs a qb:Observation ; bgt:indicator ?indicator ; obeu-measure:amount ?amount .
} GROUP BY ?indicator ORDER BY DESC(?total)""",
    "top departments": """SELECT ?org (SUM(?amount) AS ?total) WHERE {
  ?obs a qb:Observation ; obeu-dimension:organization ?org ; obeu-measure:amount ?amount ;
       bgt:indicator ?indicator .
  FILTER(STRENDS(STR(?indicator), "/TOTAL"))
} GROUP BY ?org ORDER BY DESC(?total) LIMIT 10""",
    "year over year": """SELECT ?org ?indicator ?year ?amount ?previous WHERE {
  ?obs a qb:Observation ; obeu-dimension:organization ?org ; obeu-dimension:fiscalYear ?year ;
       bgt:indicator ?indicator ; obeu-measure:amount ?amount .
  OPTIONAL {
    ?before a qb:Observation ; obeu-dimension:organization ?org ; bgt:indicator ?indicator ;
            obeu-dimension:fiscalYear ?earlier ; obeu-measure:amount ?previous .
    FILTER(?earlier != ?year)
  }
} LIMIT 200""",
    "label search (zh)": """SELECT DISTINCT ?s ?label WHERE {
  { ?s skos:prefLabel ?label } UNION { ?s rdfs:label ?label }
  FILTER(CONTAINS(?label, "经费"))
} LIMIT 50""",
    "describe": "DESCRIBE <{org}>",
    "glossary lookup": """SELECT ?term ?label ?definition WHERE {
  ?term skos:definition ?definition ; skos:prefLabel ?label .
  FILTER(CONTAINS(?label, "支出"))
} LIMIT 20""",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


def render(name: str, org: str, year: int) -> str:
    body = QUERIES[name].replace("{org}", org).replace("{year}", str(year))
    return PREFIXES + body
