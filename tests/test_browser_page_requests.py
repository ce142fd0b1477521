"""What an ordinary page view downloads, in real headless Chromium: the page and the theme's
assets, nothing that grows with the site (Material fetches a sitemap.xml for every
`<link rel="alternate">`; the feed links must not make it do so)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "faq/",
    "faq/pastell/",
    "release-notes/iparapheur/",
    "release-notes/iparapheur/4.7.11/",
    "informations/",
    "documentation/",
    "documentation/iparapheur/4.7/manuel-utilisateur/",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_view_requests_only_the_page_and_assets(page: Any, demo_url: str, url: str) -> None:
    origin = urlsplit(demo_url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_url + url)
    page.wait_for_load_state("networkidle")
    local = [urlsplit(u).path for u in requested if urlsplit(u).netloc == origin]
    assert local[0] == "/" + url
    others = [path for path in local[1:] if not path.startswith("/assets/")]
    assert others == [], others  # no sitemap.xml, no feed, no search index
    assert page.locator("link[type='application/atom+xml']").count() >= 3  # still announced
