"""``/releases``: the kept releases of the build folder, newest first, each with its version, issue date and
downloads; ``/releases/<version>/dumps/<file>`` serves a kept release's whole-release dumps (checksum ETags,
conditional GET), ``/releases/<version>/diff.ttl`` its diff from the release before; ``/releases/diff?from=OLD&to=NEW``
(and the diff's IRI, ``/id/release/NEW/diff/OLD``) shows what changed between two kept releases, as a page or as
RDF. A release's version IRI, ``/id/release/<version>``, is served by :mod:`.resources` like every IRI."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from flask import Blueprint, Response, render_template, request, send_file

from ..errors import NotFound
from ..publish.diff import KINDS, ReleaseDiff, diff_graph, diff_releases
from ..publish.formats import rdf_syntax
from ..publish.release import Release
from ..publish.serialize import graph_triples, serialize_triples
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

    @lru_cache(maxsize=16)
    def compared(old: str, new: str) -> ReleaseDiff:
        """Releases never change once published: a diff is computed once per pair (and server process)."""
        return diff_releases(kept(old), kept(new))

    def diff_response(old: str, new: str) -> Response:
        media_type = graph_type_for(requested_format(), html=True)
        diff = compared(old, new)
        if media_type == HTML:
            return Response(render_template("diff.html", services=services, diff=diff, kinds=KINDS,
                                            releases=_listed(served())), mimetype=HTML)
        syntax = rdf_syntax(media_type)
        assert syntax is not None
        triples = graph_triples(diff_graph(diff, services.settings.base_iri))
        response = Response(serialize_triples(triples, syntax), mimetype=syntax.media_type)
        response.headers["Vary"] = "Accept"
        return response

    @bp.route("/releases/diff")
    def diff_page() -> Response:
        new = request.args.get("to", "") or served().version
        old = request.args.get("from", "") or str(kept(new).manifest.get("release", {}).get("previous") or "")
        if not old:
            raise NotFound(f"Release {new} has no earlier release to compare with",
                           "Give ?from=VERSION&to=VERSION, two of the versions /releases lists.")
        return diff_response(old, new)

    @bp.route("/id/release/<new>/diff/<old>")
    def diff_iri(new: str, old: str) -> Response:
        return diff_response(old, new)

    @bp.route("/releases/<version>/diff.ttl")
    def diff_file(version: str) -> Response:
        release = kept(version)
        row = release.manifest.get("release", {}).get("diff")
        if not row:
            raise NotFound(f"Release {version} was the first kept: it has no diff file",
                           "/releases lists the releases; compare any two with /releases/diff?from=…&to=….")
        return send_file(release.path / row["path"], mimetype=row["media_type"], etag=row["sha256"],
                         last_modified=release.build_time, conditional=True, max_age=3600)

    return bp
