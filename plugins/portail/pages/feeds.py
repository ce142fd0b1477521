"""Atom feeds: all release notes, release notes per product, the FAQ and live information
(feedgen writes them).

A feed is polled by readers: it holds the ``FEED_LIMIT`` newest entries, each a plain-text
summary of a few hundred characters and the link to its page, so that its size does not follow
the base nor the length of a body (the whole text is on the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import markdown
from feedgen.feed import FeedGenerator

from ..model.clock import french_moment
from ..model.kb import FaqArticle, InformationPost, KnowledgeBase, Product, Release
from ..model.urls import (
    article_url,
    faq_index,
    feed_url,
    informations_index,
    post_url,
    release_notes_index,
    release_notes_product_url,
    release_url,
)
from .post_state import last_change
from .release_view import release_title

PARIS = ZoneInfo("Europe/Paris")
FEED_LIMIT = 50  # newest entries per feed: readers poll feeds, a full history belongs to the site
SUMMARY_CHARS = 300  # characters of text in an entry's summary
SUMMARY_SOURCE = 4000  # characters of Markdown read to make it, however long the body


@dataclass(frozen=True)
class GeneratedFeed:
    """An Atom document to write at ``path`` (site-relative)."""

    path: str
    title: str
    xml: bytes


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), PARIS)


class _Text(HTMLParser):
    """The text of an HTML fragment, code blocks, scripts and styles left out."""

    SKIP = frozenset({"pre", "script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in ("p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "div"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def summary(*texts: str, limit: int = SUMMARY_CHARS) -> str:
    """The first ``limit`` characters of text of Markdown ``texts`` (cut between words, « … »
    when cut). Only the first ``SUMMARY_SOURCE`` characters are rendered: a body of megabytes
    costs no more than a short one."""
    plain = _plain_text("\n\n".join(t[:SUMMARY_SOURCE] for t in texts if t)[:SUMMARY_SOURCE])
    if len(plain) <= limit:
        return plain
    cut = plain[: limit + 1].rsplit(" ", 1)[0] if " " in plain[:limit] else plain[:limit]
    return cut.rstrip(" ,;:.-–—") + " …"


@lru_cache(maxsize=4096)
def _plain_text(source: str) -> str:
    """The text of Markdown ``source``, words separated by single spaces. Memoised: a preview
    rebuilds the feeds at each edit, their entries mostly unchanged."""
    parser = _Text()
    parser.feed(markdown.markdown(source, extensions=["tables", "fenced_code"]))
    parser.close()
    return " ".join("".join(parser.parts).split())


def _feed(site_url: str, path: str, title: str, page: str, subtitle: str, author: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(site_url + path)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.language("fr")
    feed.author({"name": author})
    feed.link(href=site_url + path, rel="self", type="application/atom+xml")
    feed.link(href=site_url + page, rel="alternate", type="text/html")
    return feed


def _release_entry(feed: FeedGenerator, site_url: str, product: Product, release: Release) -> None:
    assert release.date is not None
    url = site_url + release_url(release)
    entry = feed.add_entry(order="append")
    entry.id(url)
    entry.title(release_title(product, release))
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(_moment(release.date))
    entry.updated(_moment(release.date))
    sections = (f"{section.title} :\n\n{section.body}" for section in release.sections)
    entry.summary(summary(release.intro or "", *sections), type="text")


def _article_entry(feed: FeedGenerator, site_url: str, kb: KnowledgeBase, article: FaqArticle) -> None:
    url = site_url + article_url(article)
    entry = feed.add_entry(order="append")
    entry.id(url)
    entry.title(article.title)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.updated(_moment(article.updated))
    for slug in article.products:
        entry.category(term=slug, label=kb.product(slug).name)
    entry.summary(summary(article.body), type="text")


def build_feeds(kb: KnowledgeBase, site_url: str, author: str) -> list[GeneratedFeed]:
    """Every feed of the site; ``site_url`` makes ids and links absolute, as Atom requires."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    dated = sorted(
        ((kb.product(r.product), r) for r in kb.releases if not r.unpublished and r.date is not None),
        key=lambda pr: (pr[1].date, pr[1].version.sort_key),
        reverse=True,
    )
    feeds = []

    def finish(feed: FeedGenerator, path: str, title: str, entries_updated: list[date]) -> None:
        feed.updated(_moment(max(entries_updated)) if entries_updated else _moment(date(2000, 1, 1)))
        feeds.append(GeneratedFeed(path, title, feed.atom_str(pretty=True)))

    path = feed_url("release-notes")
    title = "Notes de version — toutes les versions"
    feed = _feed(base, path, title, release_notes_index(), "Les notes de version de chaque produit.", author)
    for product, release in dated[:FEED_LIMIT]:
        _release_entry(feed, base, product, release)
    finish(feed, path, title, [r.date for _, r in dated[:FEED_LIMIT]])  # type: ignore[misc]

    for product in kb.products:
        mine = [(p, r) for p, r in dated if p.slug == product.slug][:FEED_LIMIT]
        if not mine:
            continue
        path = feed_url(f"release-notes/{product.slug}")
        title = f"Notes de version — {product.name}"
        feed = _feed(
            base,
            path,
            title,
            release_notes_product_url(product.slug),
            f"Les notes de version de {product.name}.",
            author,
        )
        for _, release in mine:
            _release_entry(feed, base, product, release)
        finish(feed, path, title, [r.date for _, r in mine])  # type: ignore[misc]

    articles = sorted(kb.articles, key=lambda a: (a.updated, a.title), reverse=True)[:FEED_LIMIT]
    path = feed_url("faq")
    title = "Foire aux questions"
    feed = _feed(
        base,
        path,
        title,
        faq_index(),
        "Les articles de la foire aux questions, du plus récent au plus ancien.",
        author,
    )
    for article in articles:
        _article_entry(feed, base, kb, article)
    finish(feed, path, title, [a.updated for a in articles])

    posts = sorted(kb.posts, key=last_change, reverse=True)[:FEED_LIMIT]
    path = feed_url("informations")
    title = "Informations en direct"
    feed = _feed(
        base,
        path,
        title,
        informations_index(),
        "Interventions, incidents et informations, avec leurs mises à jour.",
        author,
    )
    for post in posts:
        _post_entry(feed, base, post)
    updated = max((last_change(p) for p in posts), default=None)
    feed.updated(updated or _moment(date(2000, 1, 1)))
    feeds.append(GeneratedFeed(path, title, feed.atom_str(pretty=True)))
    return feeds


def _post_entry(feed: FeedGenerator, site_url: str, post: InformationPost) -> None:
    """An update refreshes the entry: its `updated` is the post's last change."""
    url = site_url + post_url(post)
    entry = feed.add_entry(order="append")
    entry.id(url)
    entry.title(post.title)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.published(post.published)
    entry.updated(last_change(post))
    entry.category(term=post.kind.value)
    # The latest update first: it is the news a reader of the feed comes for.
    latest = max(post.updates, key=lambda u: u.at, default=None)
    news = f"Mise à jour du {french_moment(latest.at)} : {latest.text}" if latest else ""
    entry.summary(summary(news, post.body), type="text")


def site_feeds() -> list[dict[str, str]]:
    """Feeds announced on every page."""
    return [
        {"title": "Notes de version (Atom)", "url": feed_url("release-notes")},
        {"title": "Foire aux questions (Atom)", "url": feed_url("faq")},
        {"title": "Informations en direct (Atom)", "url": feed_url("informations")},
    ]
