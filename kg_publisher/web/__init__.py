"""The Flask app: SPARQL endpoint, linked-data pages, dumps and the DCAT catalogue over one read-only release.

``create_app`` opens the release ``build_dir/current`` points to when it starts and hands the store and
settings to each blueprint; ``kg-publisher serve`` reloads its workers when a build switches ``current``
(:mod:`kg_publisher.web.server`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from flask import Flask

from ..package_data import static_dir, templates_dir
from ..publish.admission import SharedSlots
from ..publish.release import Release
from ..publish.remote import RemoteStore
from ..publish.store import OxigraphStore, Store
from ..publish.versions import loaded_release
from ..settings import Settings, load_settings
from .links import IriMapper
from .pagecache import PageCache
from .release_index import ReleaseIndex


@dataclass(frozen=True, eq=False)  # hashed by identity: per-app caches are keyed by it
class Services:
    """What every blueprint needs, built once by the factory."""

    settings: Settings
    store: Store
    links: IriMapper
    #: Rendered pages of this process (HTML pages, the sitemap), per URL, language and root.
    pages: PageCache = field(default_factory=PageCache)

    @property
    def release(self) -> Release | None:
        return self.store.release

    @cached_property
    def index(self) -> ReleaseIndex:
        """The manifest's rows by data set, graph and organisation (empty without a release)."""
        return ReleaseIndex(self.release.manifest if self.release is not None else {})


def allowed_hosts(settings: Settings) -> tuple[str, ...]:
    """Host names a request may name when ``public_url`` is empty: ``allowed_hosts``, else the bound host and
    the loopback names (an IPv6 literal cannot be matched by Werkzeug's check: serve one with public_url)."""
    if settings.allowed_hosts:
        return tuple(settings.allowed_hosts)
    names = [settings.host] if not settings.host.startswith("[") else []
    return tuple(dict.fromkeys([*names, "localhost", "127.0.0.1"]))


def create_app(settings: Settings | None = None, store: Store | None = None,
               expensive_slots: SharedSlots | None = None, release: Release | None = None) -> Flask:
    """Build the app. Without ``store``, serve ``release``, or open the one at the ``build_dir`` setting
    (``DIR/current``); ``expensive_slots`` are shared with the server's other workers (made anew when absent)."""
    from flask_compress import Compress

    from . import downloads, http, language, releases, resources, search, site, sparql
    from .errors import register_error_handlers

    settings = settings or load_settings()
    if store is None:
        if settings.store_url == "loaded":  # the release an engine holds, from that engine
            release, store_url = loaded_release(settings.build_dir)
            store = RemoteStore(store_url, settings, release)
        else:
            release = release or Release.open(settings.build_dir)
            store = (RemoteStore.from_release(release, settings) if settings.store_url
                     else OxigraphStore.from_release(release, settings, expensive_slots))
    services = Services(settings, store, IriMapper(settings.base_iri, settings.public_url))

    app = Flask(__name__, template_folder=templates_dir(), static_folder=static_dir())
    app.config.update(
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=max(4 * settings.max_query_bytes, 1 << 20),
        COMPRESS_ALGORITHM=["gzip"],
        COMPRESS_MIN_SIZE=512,
        COMPRESS_MIMETYPES=[
            "text/html", "text/css", "text/plain", "text/turtle", "text/csv", "text/tab-separated-values",
            "application/json", "application/javascript", "text/javascript", "application/ld+json",
            "application/n-triples", "application/n-quads", "application/trig", "application/rdf+xml",
            "application/sparql-results+json", "application/sparql-results+xml", "application/xml",
        ],
    )
    if not settings.public_url:
        # Absolute URLs follow the request's Host only when it names this server: Werkzeug refuses others
        # (400, web/errors.py) when the request is bound, before any view runs.
        app.config["TRUSTED_HOSTS"] = list(allowed_hosts(settings))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["kg_publisher"] = services
    Compress(app)
    http.install(app, services)  # after Compress: its hooks then run before compression
    register_error_handlers(app)
    language.install(app)
    answers = sparql.SparqlAnswers(services)
    app.register_blueprint(sparql.blueprint(services, answers))
    app.register_blueprint(downloads.blueprint(services))
    app.register_blueprint(releases.blueprint(services))
    app.register_blueprint(site.blueprint(services))
    app.register_blueprint(search.blueprint(services))
    app.register_blueprint(resources.blueprint(services))  # last: its catch-all route serves minted IRIs
    # GET /sparql?query=… answered before Flask's machinery (same answer and headers; web/sparql.py)
    app.wsgi_app = sparql.DirectAnswers(app.wsgi_app, app, services, answers)  # type: ignore[method-assign]
    return app


__all__ = ["Services", "allowed_hosts", "create_app"]
