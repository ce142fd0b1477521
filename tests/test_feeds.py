"""Atom feeds of the demo, read by a real feed parser (feedparser)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

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
        assert entry.updated_parsed is not None and entry.content[0].value


def test_release_feed_is_newest_first(demo_site: Path) -> None:
    feed = parse(demo_site, "release-notes-iparapheur.xml")
    assert feed.entries[0].title == "Release notes i-Parapheur version 4.7.11"
    stamps = [e.updated_parsed for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)


def test_feeds_are_announced_with_link_alternate(demo_site: Path) -> None:
    head = page(demo_site, "release-notes/iparapheur/").head
    feeds = {
        link["href"]: link["title"]
        for link in head.select('link[rel="alternate"][type="application/atom+xml"]')
    }
    assert "../../release-notes.xml" in feeds
    assert "../../faq.xml" in feeds
    assert "../../release-notes-iparapheur.xml" in feeds
    home = page(demo_site, "").head
    assert len(home.select('link[rel="alternate"][type="application/atom+xml"]')) == 3
