"""FAQ and release-note pages: the FAQ lists articles and release notes, most recently updated
first, filterable by product; each release has its page with its installation deadline."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from ..checks.kb_links import article_source
from ..checks.nomenclature import ALLOWED_EVERYWHERE, SECTION_RULES
from ..model.contract import ReleaseKind
from ..model.kb import KnowledgeBase, Product
from ..model.urls import (
    article_url,
    faq_index,
    faq_product_url,
    feed_url,
    nomenclature_url,
    paged_title,
    paginate,
    release_notes_index,
    release_notes_product_url,
    release_url,
)
from .release_view import ReleaseView, by_line, release_title, release_views
from .render import Crumb, GeneratedPage, Renderer, search_meta

FAQ_TITLE = "Foire aux questions"
TYPE_FAQ = "faq"
TYPE_RELEASE = "release"
RELEASE_NOTES_TITLE = "Notes de version"
NOMENCLATURE_TITLE = "Nomenclature des versions"
# Entries per page of a list. A FAQ line weighs 0.3 to 0.5 KB (0.8 KB with a title of 200
# characters), a release line 0.3 KB: with Material's 20 KB around them, a full page stays
# between 35 and 60 KB whatever the size of the base.
FAQ_PAGE_SIZE = 50
RELEASES_PAGE_SIZE = 50


@dataclass(frozen=True)
class FaqEntry:
    """One line of the FAQ list: an article or a release note."""

    title: str
    url: str
    products: tuple[Product, ...]
    updated: date
    is_release: bool
    versions: tuple[str, ...]


@dataclass(frozen=True)
class Chip:
    """A product filter of the FAQ, with its count."""

    product: Product | None  # None: every product
    count: int
    url: str


def faq_entries(kb: KnowledgeBase) -> list[FaqEntry]:
    """Articles and published release notes, most recently updated first."""
    entries = [
        FaqEntry(
            article.title,
            article_url(article),
            tuple(kb.product(slug) for slug in article.products),
            article.updated,
            False,
            article.versions,
        )
        for article in kb.articles
    ]
    for product in kb.products:
        for release in kb.releases_of(product):
            if release.date is None:
                continue  # undated: the nomenclature check reports it; nothing to sort it by
            entries.append(
                FaqEntry(
                    release_title(product, release),
                    release_url(release),
                    (product,),
                    release.date,
                    True,
                    (str(release.version),),
                )
            )
    return sorted(entries, key=lambda e: (e.updated, e.title), reverse=True)


def _chips(kb: KnowledgeBase, entries: list[FaqEntry]) -> list[Chip]:
    chips = [Chip(None, len(entries), faq_index())]
    for product in kb.products:
        count = sum(1 for e in entries if product in e.products)
        if count:
            chips.append(Chip(product, count, faq_product_url(product.slug)))
    return chips


def faq_pages(renderer: Renderer, kb: KnowledgeBase, today: date) -> Iterator[GeneratedPage]:
    entries = faq_entries(kb)
    chips = _chips(kb, entries)
    faq_crumb = Crumb(FAQ_TITLE, faq_index())
    feeds = [{"title": "FAQ (Atom)", "url": feed_url("faq")}]
    yield from _faq_lists(renderer, faq_index(), FAQ_TITLE, [], entries, chips, None, feeds)
    for chip in chips[1:]:
        product = chip.product
        assert product is not None
        yield from _faq_lists(
            renderer,
            faq_product_url(product.slug),
            f"{FAQ_TITLE} — {product.name}",
            [faq_crumb],
            [e for e in entries if product in e.products],
            chips,
            product,
            feeds,
        )
    for article in kb.articles:
        product = kb.product(article.product)
        yield renderer.page(
            "article.md.j2",
            article_url(article),
            article.title,
            [faq_crumb, Crumb(product.name, faq_product_url(product.slug))],
            src_uri=article_source(article),  # kb/ links of bodies point at it
            search=search_meta(kb, TYPE_FAQ, article.products),
            article=article,
            product=product,
            products=[kb.product(slug) for slug in article.products],
        )
    yield from _release_pages(renderer, kb, today, faq_crumb)
    yield renderer.page(
        "nomenclature.md.j2",
        nomenclature_url(),
        NOMENCLATURE_TITLE,
        [faq_crumb],
        rules=SECTION_RULES,
        allowed=ALLOWED_EVERYWHERE,
        rank={"PATCH": 0, "MINOR": 1, "MAJOR": 2},
        patch_months=ReleaseKind.PATCH.installation_months,
        feature_months=ReleaseKind.MINOR.installation_months,
        example=_example_reference(kb),
    )


def _faq_lists(
    renderer: Renderer,
    base: str,
    title: str,
    crumbs: list[Crumb],
    entries: Sequence[FaqEntry],
    chips: list[Chip],
    current: Product | None,
    feeds: list[dict[str, str]],
) -> Iterator[GeneratedPage]:
    """The pages of one FAQ list (every product, or one): page 1 at ``base``, the next ones at
    ``base/page/<n>/``, each with the chips and the pager."""
    for pager, shown in paginate(entries, base, FAQ_PAGE_SIZE):
        yield renderer.page(
            "faq.md.j2",
            pager.url(pager.number),
            paged_title(title, pager),
            crumbs if pager.number == 1 else [*crumbs, Crumb(title, base)],
            entries=shown,
            total=len(entries),
            pager=pager,
            chips=chips,
            current=current,
            feeds=feeds,
        )


def _example_reference(kb: KnowledgeBase) -> str:
    """« IP 4.7.11 »: a real product code and version of this knowledge base, for the docs."""
    for product in kb.products:
        views = release_views(kb, product)
        latest = next((v for v in views if v.is_latest), None)
        if latest is not None:
            return f"{product.code} {latest.release.version}"
    return "SL 4.3.10"


def _release_pages(
    renderer: Renderer, kb: KnowledgeBase, today: date, faq_crumb: Crumb
) -> Iterator[GeneratedPage]:
    index_crumb = Crumb(RELEASE_NOTES_TITLE, release_notes_index())
    summaries = []
    for product in kb.products:
        views = release_views(kb, product, today)
        if not views:
            continue
        latest = next((v for v in views if v.is_latest), None)
        summaries.append({"product": product, "latest": latest, "count": len(views)})
        product_feed = [
            {
                "title": f"Notes de version {product.name} (Atom)",
                "url": feed_url(f"release-notes/{product.slug}"),
            }
        ]
        base = release_notes_product_url(product.slug)
        title = f"{RELEASE_NOTES_TITLE} — {product.name}"
        # Lines newest first, versions newest first within a line; a page may end inside a
        # line, whose heading then opens the next page again.
        ordered = [view for _, line_views in by_line(views) for view in line_views]
        for pager, page_views in paginate(ordered, base, RELEASES_PAGE_SIZE):
            yield renderer.page(
                "release_notes_product.md.j2",
                pager.url(pager.number),
                paged_title(title, pager),
                [faq_crumb, index_crumb] + ([Crumb(title, base)] if pager.number > 1 else []),
                product=product,
                groups=by_line(list(page_views)),
                total=len(views),
                shown=len(page_views),
                pager=pager,
                today=today,
                feeds=product_feed,
            )
        product_crumb = Crumb(product.name, release_notes_product_url(product.slug))
        for view in views:
            yield _release_page(
                renderer, product, view, today, [faq_crumb, index_crumb, product_crumb], product_feed
            )
    yield renderer.page(
        "release_notes.md.j2",
        release_notes_index(),
        RELEASE_NOTES_TITLE,
        [faq_crumb],
        summaries=summaries,
        patch_months=ReleaseKind.PATCH.installation_months,
        feature_months=ReleaseKind.MINOR.installation_months,
        feeds=[{"title": "Toutes les notes de version (Atom)", "url": feed_url("release-notes")}],
    )


def _release_page(
    renderer: Renderer,
    product: Product,
    view: ReleaseView,
    today: date,
    crumbs: list[Crumb],
    feeds: list[dict[str, str]],
) -> GeneratedPage:
    release = view.release
    return renderer.page(
        "release.md.j2",
        release_url(release),
        f"{product.name} — version {release.version}",
        crumbs,
        search=search_meta(renderer.kb, TYPE_RELEASE, [product.slug], release.version.line),
        product=product,
        view=view,
        release=release,
        today=today,
        feeds=feeds,
    )
