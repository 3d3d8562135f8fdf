"""IRIs ↔ URLs of this server: ``{base_iri}id/…`` is served at ``/id/…`` wherever the server runs."""

from __future__ import annotations

from flask import request

from ..vocab import PREFIXES

_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


class IriMapper:
    def __init__(self, base_iri: str, public_url: str = "") -> None:
        self.base = base_iri
        self.public_url = public_url

    def root(self) -> str:
        """Where this server is reached: the ``public_url`` setting, else the request's own host."""
        return self.public_url or request.host_url

    def iri(self, path: str) -> str:
        """The IRI a request path stands for (``id/org/x`` → ``{base}id/org/x``)."""
        return self.base + path.lstrip("/")

    def href(self, iri: str) -> str:
        """A link that works on this server for an IRI (ours are mapped, others kept)."""
        if iri.startswith(self.base):
            return self.root() + iri[len(self.base):]
        return iri

    def local_path(self, iri: str) -> str | None:
        return "/" + iri[len(self.base):] if iri.startswith(self.base) else None


def curie(iri: str) -> str:
    """``prefix:local`` for IRIs in our known namespaces, else the IRI itself."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
