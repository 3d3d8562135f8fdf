"""``/releases``: the kept releases of the build folder, newest first, each with its version, issue date and
downloads; ``/releases/<version>/dumps/<file>`` serves a kept release's whole-release dumps (checksum ETags,
conditional GET), ``/id/release/<version>`` is a release's version IRI (its catalogue description)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from ..errors import NotFound
from ..iris import IriMinter
from ..publish.formats import rdf_syntax
from ..publish.release import Release
from ..publish.serialize import serialize_triples
from ..publish.versions import ReleaseSummary, kept_releases, release_at, releases_folder
from .downloads import dump_response
from .negotiation import HTML, graph_type_for, requested_format

if TYPE_CHECKING:
    from . import Services


def _listed(release: Release) -> list[ReleaseSummary]:
    """The served release and the releases kept beside it, newest first."""
    folder = releases_folder(release)
    others = kept_releases(folder, exclude=release.version) if folder is not None else []
    return sorted([ReleaseSummary.of(release.manifest), *(ReleaseSummary.of(r.manifest) for r in others)],
                  key=lambda s: (s.issued, s.version), reverse=True)


def blueprint(services: Services) -> Blueprint:
    bp = Blueprint("releases", __name__)
    minter = IriMinter(services.settings.base_iri)

    def served() -> Release:
        if services.release is None:
            raise NotFound("This server serves a store without a release folder: it keeps no releases")
        return services.release

    def kept(version: str) -> Release:
        found = release_at(served(), version)
        if found is None:
            raise NotFound(f"No release {version!r} is kept here",
                           "/releases lists the releases kept, with their versions.")
        return found

    @bp.route("/releases")
    def releases() -> Response:
        current = served()
        return Response(render_template("releases.html", services=services, releases=_listed(current),
                                        current=current.version), mimetype=HTML)

    @bp.route("/releases/<version>/dumps/<name>")
    def release_dump(version: str, name: str) -> Response:
        return dump_response(kept(version), name, f"{services.links.root()}catalog")

    @bp.route("/id/release/<version>")
    def version_iri(version: str) -> Response:
        release = kept(version)
        media_type = graph_type_for(requested_format(), html=True)
        if media_type == HTML:
            return Response(render_template("releases.html", services=services, releases=_listed(served()),
                                            current=served().version, focus=release.version), mimetype=HTML)
        node = str(minter.release(version))
        triples = [t for t in served().catalog_triples() + release.catalog_triples()
                   if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(node)]
        syntax = rdf_syntax(media_type)
        assert syntax is not None
        response = Response(serialize_triples(list(dict.fromkeys(triples)), syntax), mimetype=syntax.media_type)
        response.headers["Vary"] = "Accept"
        return response

    return bp
