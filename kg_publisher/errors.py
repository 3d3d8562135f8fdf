"""The exception tree of kg_publisher. Core errors know nothing about HTTP or exit codes.

::

    KgPublisherError                 base of every error we raise on purpose
    ├── SettingsError                a setting has a bad value or the settings file is unreadable
    ├── SourceError                  a document cannot be read as a budget disclosure
    ├── ShapesError                  the SHACL shapes or ontology files cannot be loaded
    ├── BuildError                   a build output directory is missing or incomplete
    │   └── OutputError              a build output cannot be written (disk full, no permission, read-only)
    ├── StoreError                   the published store cannot be opened
    ├── NotFound                     an IRI or dump we do not hold
    ├── SearchError                  a search or page request we do not run (too long, control characters,
    │                                a bad ?sort= or ?referenced= page)
    └── QueryError                   a SPARQL request that we refuse
        ├── QuerySyntaxError         the query does not parse (message carries the parser's text)
        ├── QueryTooLarge            the query text is longer than the `max_query_bytes` setting
        ├── QueryTooComplex          the query nests too deep or has too many tokens/patterns for the engine
        ├── UpdateForbidden          any SPARQL Update: the endpoint is read-only
        ├── DatasetNotAvailable      default-graph-uri / named-graph-uri name a graph we do not hold
        ├── RemoteAccessForbidden    SERVICE or FROM <remote>: the endpoint never reaches the network
        ├── QueryTimeout             the query ran past the `query_timeout` setting and was stopped
        ├── QueryOverload            every query process this query's cost class may use is taken: try later
        ├── QueryEngineFailure       the query engine's process died on this query (not the client's fault)
        └── QueryIsolationFailure    query processes cannot be cut off from the network here, so none run

Every error carries a message (what was wrong) and a hint (what to do about it).
"""

from __future__ import annotations


class KgPublisherError(Exception):
    """Base class; ``hint`` says what the user can do."""

    default_hint = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class SettingsError(KgPublisherError):
    default_hint = "See the settings table in README.md for names, defaults and accepted values."


class SourceError(KgPublisherError):
    default_hint = (
        "Give a UTF-8 text (.txt/.html), PDF or Word (.docx) budget disclosure (部门预算/决算公开) "
        "with its usual sections (部门概况/主要职责, 收支预算说明, 名词解释 …)."
    )


class ShapesError(KgPublisherError):
    default_hint = "Check the Turtle files under shapes/ and ontology/ (rdflib reports line numbers)."


class BuildError(KgPublisherError):
    default_hint = "Run `kg-publisher build --out DIR` first, then serve that DIR."


class OutputError(BuildError):
    """A file or folder of the build output cannot be written; the message names it, the hint says what to do."""

    default_hint = "Check the disk and the folder given to --out, then build again."


class StoreError(KgPublisherError):
    default_hint = "Rebuild the store with `kg-publisher build`."


class NotFound(KgPublisherError):
    default_hint = "Browse /catalog or query /sparql to find the IRIs this server holds."


class BadParameter(KgPublisherError):
    """A query-string parameter of a page that is not what the page takes (e.g. ``?page=x``)."""

    default_hint = "Follow the links of the page itself; they carry the parameters it takes."


class SearchError(KgPublisherError):
    default_hint = "Search for a department, a budget item, a glossary term or a code, e.g. 财政 or budget."


class QueryError(KgPublisherError):
    default_hint = "See https://www.w3.org/TR/sparql11-protocol/ for the request forms this endpoint accepts."


class QuerySyntaxError(QueryError):
    default_hint = "Fix the query text; the parser's message above says where it stopped."


class QueryTooLarge(QueryError):
    default_hint = "Shorten the query or raise the max_query_bytes setting."


class QueryTooComplex(QueryError):
    default_hint = ("Flatten the query: fewer nested {…}, (…), OPTIONAL or ! levels, fewer triple patterns; "
                    "the limits are in kg_publisher/publish/query_analysis.py.")


class UpdateForbidden(QueryError):
    default_hint = "This endpoint is read-only; download a dump from /catalog and update a local copy instead."


class DatasetNotAvailable(QueryError):
    default_hint = "Use only graph IRIs listed in the service description (GET /sparql)."


class RemoteAccessForbidden(QueryError):
    default_hint = "Federated queries (SERVICE, FROM <remote>) are disabled; query the local graphs only."


class QueryTimeout(QueryError):
    default_hint = "Make the query more selective (add a LIMIT or bind a subject) or raise query_timeout."


class QueryOverload(QueryError):
    """Refused before running; ``retry_after`` says in how many seconds a try is likely to be admitted."""

    default_hint = ("Try again after the Retry-After delay; expensive queries (cartesian products, scans that "
                    "sort or aggregate every triple) share fewer query processes than lookups.")

    def __init__(self, message: str, hint: str | None = None, retry_after: float = 1.0) -> None:
        super().__init__(message, hint)
        self.retry_after = retry_after


class QueryEngineFailure(QueryError):
    default_hint = ("The query engine stopped on this query; the data is intact. Try again, or rephrase the query "
                    "(e.g. ORDER BY over values of mixed types); report it if it persists.")


class QueryIsolationFailure(QueryError):
    default_hint = ("Run the server as root, or where unprivileged user namespaces are allowed "
                    "(sysctl kernel.unprivileged_userns_clone=1), on Linux; pages and dumps are still served.")
