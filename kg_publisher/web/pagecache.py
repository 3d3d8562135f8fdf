"""Rendered pages kept per server process. A page depends only on the release (fixed for the process: a new one
reloads the workers), its URL, the reader's language and the root URL, so it is rendered once rather than per
request: a data set's page costs ~150 ms of CPU to render (hundreds of figures), the catalogue's page of 100 data
sets ~250 ms, the sitemap of 100 data sets' figures ~600 ms; a cached one nothing."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock

from cachetools import LRUCache
from flask import request

from .language import current_language

#: Characters of rendered pages kept per process, least recently used dropped first.
PAGE_CACHE_CHARS = 32 << 20


class PageCache:
    def __init__(self, max_chars: int = PAGE_CACHE_CHARS) -> None:
        self.max_chars = max_chars
        self._pages: LRUCache[tuple[str, str, str], str] = LRUCache(maxsize=max_chars, getsizeof=len)
        self._lock = Lock()

    def page(self, root: str, render: Callable[[], str]) -> str:
        """The page of this request (its path and query, its language, the ``root`` its links start with):
        rendered by ``render`` the first time, kept unless it alone is larger than the cache."""
        key = (root, request.full_path, current_language())
        with self._lock:
            page = self._pages.get(key)
        if page is None:
            page = render()
            if len(page) <= self.max_chars:
                with self._lock:
                    self._pages[key] = page
        return page
