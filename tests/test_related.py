"""« Articles liés »: computed with whoosh at build time, cached by content hash."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin

import pytest

import portail.related as related_module
from conftest import NOW, ROOT
from portail.load import analyse
from portail.related import related_articles
from sitehtml import content, page, text


def test_faq_and_release_pages_show_up_to_five_related_same_product_first(demo_site: Path) -> None:
    for url, product in (
        ("faq/pastell/nouveau-role-absent-de-la-liste/", "pastell"),
        ("release-notes/iparapheur/4.7.11/", "iparapheur"),
    ):
        article = content(page(demo_site, url))
        aside = article.select_one("aside.portail-related")
        assert text(aside.find("h2")) == "Articles liés"
        links = aside.find_all("a")
        assert 1 <= len(links) <= 5
        hrefs = [a["href"] for a in links]
        assert not any(h in ("./", "") for h in hrefs)  # never the page itself
        assert f"/{product}/" in urljoin("/" + url, hrefs[0])  # same product first


def test_related_links_never_point_at_information_posts(tmp_path: Path) -> None:
    # Posts come and go (and the demo's relative dates move their URLs): related links made
    # one day must still resolve the next, from the cache.
    kb = analyse(ROOT / "kb", ROOT, now=NOW).kb
    related = related_articles(kb, tmp_path)
    assert related and all(link.type != "information" for links in related.values() for link in links)
    later = analyse(ROOT / "kb", ROOT, now=NOW + timedelta(days=3)).kb
    assert related_articles(later, tmp_path) == related
    assert len(list(tmp_path.glob("related-*.json"))) == 1


def test_an_unchanged_knowledge_base_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = analyse(ROOT / "kb", ROOT, now=NOW).kb
    first = related_articles(kb, tmp_path)
    assert len(list(tmp_path.glob("related-*.json"))) == 1

    class NoIndex:
        def __init__(self, *args: object) -> None:
            raise AssertionError("the index must not be opened for an unchanged knowledge base")

    monkeypatch.setattr(related_module, "SearchIndex", NoIndex)
    assert related_articles(kb, tmp_path) == first


def test_a_changed_article_recomputes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    cache = tmp_path / "cache"
    related_articles(analyse(tmp_path / "kb", tmp_path, now=NOW).kb, cache)
    article = tmp_path / "kb/faq/pastell/nouveau-role-absent-de-la-liste.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    calls = []
    real = related_module.SearchIndex

    def counting(*args: object):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(related_module, "SearchIndex", counting)
    related_articles(analyse(tmp_path / "kb", tmp_path, now=NOW).kb, cache)
    assert calls and len(list(cache.glob("related-*.json"))) == 1
