"""Rendered pages are kept per server process: a data set's page (hundreds of figures) is rendered once per URL
and language, not per request, and a cached page is the page a fresh render gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from kg_publisher.publish.release import Release
from kg_publisher.web import create_app, resources

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
