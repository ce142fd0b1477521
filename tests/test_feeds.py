"""Atom feeds of the demo, read by a real feed parser (feedparser)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from portail.pages.feeds import SUMMARY_CHARS
from sitehtml import page, resolves

SITE_URL = "http://127.0.0.1:8000/"


def parse(site: Path, path: str):
    feed = feedparser.parse((site / path).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize(
    "path, minimum",
    [("release-notes.xml", 20), ("release-notes-iparapheur.xml", 12), ("faq.xml", 20)],
)
def test_feed_is_valid_atom_and_each_entry_links_its_page(demo_site: Path, path: str, minimum: int) -> None:
    feed = parse(demo_site, path)
    assert feed.feed.title and feed.feed.language == "fr"
    assert len(feed.entries) >= minimum
    for entry in feed.entries:
        assert entry.link.startswith(SITE_URL) and entry.id == entry.link
        assert resolves(demo_site, urlsplit(entry.link).path), entry.link
        assert entry.updated_parsed is not None
        # A summary of text and the link; the whole body is on the page.
        assert "content" not in entry and entry.summary_detail.type == "text/plain"
        assert 0 < len(entry.summary) <= SUMMARY_CHARS + 2


def test_release_feed_is_newest_first(demo_site: Path) -> None:
    feed = parse(demo_site, "release-notes-iparapheur.xml")
    assert feed.entries[0].title == "Notes de version i-Parapheur 4.7.11"
    stamps = [e.updated_parsed for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)


def feed_links(soup) -> dict[str, list[str]]:
    """The feeds a page announces in its head, with the tokens of their ``rel``."""
    return {link["href"]: link["rel"] for link in soup.head.select('link[type="application/atom+xml"]')}


def test_feeds_are_announced_for_feed_readers(demo_site: Path) -> None:
    feeds = feed_links(page(demo_site, "release-notes/iparapheur/"))
    assert {"../../release-notes.xml", "../../faq.xml", "../../release-notes-iparapheur.xml"} <= set(feeds)
    assert len(feed_links(page(demo_site, ""))) == 3
    for rel in feeds.values():
        assert "alternate" in rel  # autodiscovery reads the tokens of rel


def test_no_link_makes_material_fetch_the_sitemap(demo_site: Path) -> None:
    # Material fetches a sitemap.xml for every link whose rel is exactly « alternate »
    # (its language selector); the sitemap grows with the site.
    for url in ("", "faq/", "release-notes/iparapheur/", "informations/", "documentation/"):
        head = page(demo_site, url).head
        exact = [link for link in head.find_all("link") if link.get("rel") == ["alternate"]]
        assert exact == [], url


def test_pages_offer_a_visible_subscription(demo_site: Path) -> None:
    for url, feed in (
        ("faq/", "../faq.xml"),
        ("faq/pastell/", "../../faq.xml"),
        ("release-notes/", "../release-notes.xml"),
        ("release-notes/iparapheur/", "../../release-notes-iparapheur.xml"),
        ("informations/", "../informations.xml"),
    ):
        links = page(demo_site, url).select("article p.portail-feed a")
        assert any(a["href"] == feed and a.get_text().startswith("S'abonner") for a in links), url
