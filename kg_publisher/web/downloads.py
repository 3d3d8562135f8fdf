"""``/dumps/<file>``: the release's dump files, with their checksums as ETags, conditional GET and HEAD.

``all.trig`` answers gzip-compressed (``Content-Encoding: gzip``) when the client accepts it, from the ``.gz``
twin written at build time; ``all.trig.gz`` is that twin as a file (``application/gzip``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, request, send_file

from ..errors import NotFound
from ..publish.release import Release

if TYPE_CHECKING:
    from . import Services


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
    wants_gzip = not zipped_file and "gzip" in request.accept_encodings
    entry = row["gzip"] if zipped_file or wants_gzip else row
    path = release.path / entry["path"]
    mimetype = "application/gzip" if zipped_file else row["media_type"]
    response = send_file(path, mimetype=mimetype, etag=entry["sha256"], last_modified=release.build_time,
                         conditional=True, max_age=3600)
    if wants_gzip:
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
