"""IRIs ↔ URLs of this server: ``{base_iri}id/…`` is served at ``/id/…`` wherever the server runs."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from flask import request

from ..errors import NotFound
from ..vocab import PREFIXES

_ROOT_KEY = "kg_publisher.root"
_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


class IriMapper:
    def __init__(self, base_iri: str, public_url: str = "") -> None:
        self.base = base_iri
        self.public_url = public_url

    def root(self) -> str:
        """Where this server is reached: the ``public_url`` setting, else the request's own host (which Flask's
        ``TRUSTED_HOSTS``, set from ``allowed_hosts``, has checked before the request reached a view)."""
        if self.public_url:
            return self.public_url
        environ = request.environ  # worked out once per request: pages and headers ask for it many times
        root = environ.get(_ROOT_KEY)
        if root is None:
            root = environ[_ROOT_KEY] = request.host_url
        return str(root)

    def iri(self, path: str) -> str:
        """The IRI a request path stands for (``id/org/x`` → ``{base}id/org/x``); 404 when the decoded path
        cannot be part of an IRI (spaces, quotes, angle brackets, control characters, bad escapes)."""
        iri = self.base + path.lstrip("/")
        try:
            ox.NamedNode(iri)  # the store's own IRI parser decides (RFC 3987)
        except ValueError as exc:
            raise NotFound(f"Nothing is published at {quote(request.path, safe='/')}: the decoded path is not "
                           f"part of a valid IRI ({exc})",
                           "Paths of this server are IRIs below the base IRI; characters such as spaces, "
                           "quotes and angle brackets are never in them. Browse /catalog for real ones.") from None
        return iri

    def href(self, iri: str, root: str | None = None) -> str:
        """A link that works on this server (at ``root``, default :meth:`root`) for an IRI (ours are mapped,
        others kept)."""
        if iri.startswith(self.base):
            return (root or self.root()) + iri[len(self.base):]
        return iri

    def local_path(self, iri: str) -> str | None:
        return "/" + iri[len(self.base):] if iri.startswith(self.base) else None


def curie(iri: str) -> str:
    """``prefix:local`` for IRIs in our known namespaces, else the IRI itself."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
