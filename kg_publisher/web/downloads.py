"""``/dumps/<file>``: the release's dump files, with their checksums as ETags, conditional GET and HEAD.

A dump is sent from what the release stores (:meth:`~kg_publisher.publish.release.Release.dump_chunks`): its
``.gz`` twin is the stored gzip file, or, for the whole-release dumps, the parts' gzip files one after the other;
the plain file answers gzip-compressed (``Content-Encoding: gzip``) from the same bytes when the client accepts it,
and decompressed as it is sent otherwise. Every answer states its length. A dump with no published checksum (the
whole-release ones) has its release version and file name as its ETag: a release never changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request, send_file

from ..errors import NotFound
from ..publish.release import Release

if TYPE_CHECKING:
    from . import Services


def _etag(release: Release, entry: dict[str, Any], name: str) -> str:
    return str(entry["sha256"]) if entry.get("sha256") else f"{release.version}-{name}"


def dump_response(release: Release | None, name: str, describedby: str) -> Response:
    """A dump or spreadsheet of ``release`` by file name, its SHA-256 the ETag (conditional GET: 304)."""
    table = release.table(name) if release is not None else None
    if release is not None and table is not None:  # a disclosure's figures as CSV or XLSX
        response = send_file(release.path / table["path"], mimetype=table["media_type"], etag=table["sha256"],
                             last_modified=release.build_time, conditional=True, max_age=3600)
        response.headers["Link"] = f'<{describedby}>; rel="describedby"'
        return response
    row = release.dump(name) if release is not None else None
    if release is None or row is None:
        raise NotFound(f"No dump named {name!r} in this release",
                       "The catalogue (/catalog) lists every dump with its size and checksum.")
    zipped_file = name.endswith(".gz")
    # quality(), not `in`: werkzeug keeps the encodings a client refuses (gzip;q=0) in the list
    zipped = zipped_file or request.accept_encodings.quality("gzip") > 0
    entry = row["gzip"] if zipped else row
    mimetype = "application/gzip" if zipped_file else row["media_type"]
    stored = release.path / entry["path"]
    if stored.is_file():  # the file is stored as it is sent
        response = send_file(stored, mimetype=mimetype, etag=_etag(release, entry, name),
                             last_modified=release.build_time, conditional=True, max_age=3600)
    else:
        response = Response(release.dump_chunks(row, zipped), mimetype=mimetype, direct_passthrough=True)
        response.content_length = int(entry["bytes"])
        response.set_etag(_etag(release, entry, entry["path"].rsplit("/", 1)[-1]))
        response.last_modified = release.build_time
        response.cache_control.public = True
        response.cache_control.max_age = 3600
        response.make_conditional(request)
    if zipped and not zipped_file:
        response.headers["Content-Encoding"] = "gzip"
    if not zipped_file:
        response.headers["Vary"] = "Accept-Encoding"
    response.headers["Link"] = f'<{describedby}>; rel="describedby"'
    return response


def blueprint(services: Services) -> Blueprint:
    bp = Blueprint("downloads", __name__)

    @bp.route("/dumps/<name>")
    def dump(name: str) -> Response:
        return dump_response(services.release, name, f"{services.links.root()}catalog")

    return bp
