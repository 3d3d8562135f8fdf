"""Rendered pages are kept per server process: a data set's page (hundreds of figures) is rendered once per URL
and language, not per request, and a cached page is the page a fresh render gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from kg_publisher.publish.release import Release
from kg_publisher.web import create_app, resources, site

from .conftest import make_settings


@pytest.fixture
def counted_app(release_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Flask, list[str]]:
    """A fresh app whose data set pages count their renders (the real function runs every time)."""
    renders: list[str] = []
    real = resources.figures_of

    def counting(store: Any, iri: str) -> Any:
        renders.append(iri)
        return real(store, iri)

    monkeypatch.setattr(resources, "figures_of", counting)
    return create_app(make_settings(build_dir=str(release_dir))), renders


def test_a_dataset_page_is_rendered_once_per_url_and_language(counted_app: tuple[Flask, list[str]],
                                                              release: Release) -> None:
    app, renders = counted_app
    path = release.manifest["datasets"][0]["dataset"].removeprefix(release.manifest["base_iri"].rstrip("/"))
    client = app.test_client()
    first = client.get(path, headers={"Accept": "text/html", "Accept-Language": "zh"})
    again = client.get(path, headers={"Accept": "text/html", "Accept-Language": "zh"})
    assert first.status_code == again.status_code == 200
    assert first.get_data() == again.get_data()
    assert len(renders) == 1
    english = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
    assert english.status_code == 200 and english.get_data() != first.get_data()
    assert len(renders) == 2  # another language is another page
    client.get(path + "?lang=en", headers={"Accept": "text/html"})
    assert len(renders) == 3  # another URL too
    # What the cache answers is what a fresh process renders.
    fresh = create_app(make_settings(build_dir=str(Path(release.path).parent.parent)))
    assert fresh.test_client().get(path, headers={"Accept": "text/html", "Accept-Language": "zh"}).get_data() \
        == first.get_data()


def test_home_catalogue_and_sitemap_are_rendered_once_per_url_language_and_root(
        release_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages that list every data set (home, the catalogue's HTML pages, the sitemap: ~250 ms and ~600 ms at
    100 disclosures) are rendered once per process, then served as rendered."""
    templates: list[str] = []
    sitemaps: list[int] = []
    real_render, real_sitemap = site.render_template, site.sitemap_iris

    def counting_render(name: str, **context: Any) -> str:
        templates.append(name)
        return real_render(name, **context)

    def counting_sitemap(*args: Any) -> Any:
        sitemaps.append(1)
        return real_sitemap(*args)

    monkeypatch.setattr(site, "render_template", counting_render)
    monkeypatch.setattr(site, "sitemap_iris", counting_sitemap)
    app = create_app(make_settings(build_dir=str(release_dir)))
    client = app.test_client()
    html = {"Accept": "text/html", "Accept-Language": "zh"}
    for path, headers in (("/", html), ("/catalog", html), ("/sitemap.xml", {})):
        first, again = (client.get(path, headers=headers) for _ in range(2))
        assert first.status_code == again.status_code == 200 and first.get_data() == again.get_data(), path
    assert templates == ["home.html", "catalog.html"] and len(sitemaps) == 1
    client.get("/", headers={"Accept": "text/html", "Accept-Language": "en"})
    client.get("/sitemap.xml", headers={"Host": "127.0.0.1"})  # another root (the test client's is localhost)
    assert templates == ["home.html", "catalog.html", "home.html"] and len(sitemaps) == 2
    english = client.get("/catalog?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert templates[-1] == "catalog.html" and 'lang="en"' in english
    app.extensions["kg_publisher"].store.close()
