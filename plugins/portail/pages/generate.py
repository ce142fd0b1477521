"""What the site shows, as generated pages: path, title and Markdown (from Jinja templates).

Nothing here knows MkDocs: a page is a URL and a text; an attached file is a URL and the path
to copy. The MkDocs adapter turns them into virtual files; another renderer could write them
to disk as plain Markdown.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..checks.kb_links import KbLinks, document_source
from ..model.clock import in_paris
from ..model.kb import Document, KnowledgeBase, Product, Release, Section, VersionLine
from ..model.urls import (
    document_url,
    documentation_index,
    faq_product_url,
    informations_product_url,
    line_url,
    paged_title,
    paginate,
    product_url,
    release_notes_product_url,
    release_url,
    section_url,
    versions_url,
)
from ..model.versions import LineNumber
from ..reading.incremental import PageMemo
from .faq import faq_pages
from .informations import headline_posts, information_pages
from .release_view import release_views
from .render import Crumb, GeneratedFile, GeneratedPage, Renderer, Selection, search_meta

DOCUMENTATION_TITLE = "Ressources documentaires"
HOME_TITLE = "Portail de support"
TYPE_DOCUMENTATION = "documentation"
SEARCH_URL = "recherche/"
SEARCH_TITLE = "Rechercher"
SUPPORT_PAGE = "support/avant-de-deposer-un-ticket/"
# Documents per page of a product or version line (a line weighs 0.3 to 0.6 KB with its
# description): a full page stays near 50 KB whatever the base.
DOCUMENTS_PAGE_SIZE = 50
# « Ressources documentaires » lists every document while the base has at most this many;
# beyond, the tree holds sections, products and their newest version lines with counts, and
# the documents live on the product and line pages (the tree then stays the same size).
TREE_DOCUMENTS = 80
TREE_LINES = 5  # version lines per product in a tree without documents; the rest on its page
# A product page lists its newest version lines, at most this many; a product with more has
# a page of all its lines (``versions_url``), paginated like every list (about 0.2 KB a line).
PRODUCT_LINES = 10
LINES_PAGE_SIZE = 50
VERSIONS_TITLE = "toutes les versions documentées"


def generate_pages(
    kb: KnowledgeBase,
    now: datetime,
    links: Mapping[str, str] | None = None,
    related: Mapping[str, Sequence[Any]] | None = None,
    memo: PageMemo | None = None,
    published: KbLinks | None = None,
    only: Selection | None = None,
    endpoint_url: str = "",
) -> list[GeneratedPage]:
    """Every generated page. ``now`` decides what depends on the clock (an intervention à venir
    or terminée, a deadline already past); pages recompute it in the browser too. ``links`` are
    the site's configured targets (``ticket``: the ticket application); ``related`` maps a page
    URL to its « Articles liés »; ``memo`` (a preview's) gives back the pages of the last run
    whose inputs did not change; ``published``: the analysis' index of where kb/ files are
    published, when the caller has it; ``only`` (a preview's quick answer) picks the pages to
    render and their context: the others come back with empty Markdown. ``endpoint_url``: the
    search endpoint that takes « Cet article vous a-t-il été utile ? » (none: no widget)."""
    links = links or {}
    today = in_paris(now).date()
    renderer = Renderer(kb, related, memo, published, only, endpoint_url)
    home = Crumb(DOCUMENTATION_TITLE, documentation_index())
    kinds = _KindPages.of(kb)
    pages = [
        renderer.page(
            "documentation.md.j2",
            documentation_index(),
            DOCUMENTATION_TITLE,
            [],
            tree=_tree(kb),
            with_documents=len(kb.documents) <= TREE_DOCUMENTS,
            tree_lines=TREE_LINES,
        ),
        *information_pages(renderer, kb, now),
        *faq_pages(renderer, kb, today),
        _home(renderer, kb, now, links),
        renderer.page("search.md.j2", SEARCH_URL, SEARCH_TITLE, []),
    ]
    for section in kb.sections:
        pages.append(
            renderer.page(
                "section.md.j2",
                section_url(section),
                section.title,
                [home],
                section=section,
                products=[_product_entry(kb, p) for p in kb.products_of(section)],
                product_lines=PRODUCT_LINES,  # the newest lines; all on the product's pages
            )
        )
        for product in kb.products_of(section):
            pages.extend(_product_pages(renderer, kb, section, product, home, kinds))
    renderer.finish()
    return pages


def _home(renderer: Renderer, kb: KnowledgeBase, now: datetime, links: Mapping[str, str]) -> GeneratedPage:
    latest = []
    for product in kb.products:
        view = next((v for v in release_views(kb, product, in_paris(now).date()) if v.is_latest), None)
        if view is not None:
            latest.append((product, view))
    return renderer.page(
        "home.md.j2",
        "",
        HOME_TITLE,
        [],
        src_uri="index.md",
        kb=kb,
        headlines=headline_posts(kb, now),
        articles=sorted(kb.articles, key=lambda a: (a.updated, a.title), reverse=True)[:3],
        latest=latest,
        ticket_url=links.get("ticket"),
        support_url=SUPPORT_PAGE,
    )


@dataclass(frozen=True)
class KindLink:
    """A link from a documentation page to another kind of page of its product."""

    title: str
    url: str


@dataclass(frozen=True)
class _KindPages:
    """The products that have a FAQ page, release notes and an information page: each is
    generated only when the product has something to list (one pass over the base)."""

    faq: frozenset[str]
    releases: frozenset[str]
    informations: frozenset[str]
    line_releases: Mapping[tuple[str, LineNumber], Release]  # the newest final release of a line

    @classmethod
    def of(cls, kb: KnowledgeBase) -> _KindPages:
        # As pages_faq: articles name their products, dated release notes belong to the FAQ.
        faq = {slug for article in kb.articles for slug in article.products}
        faq |= {r.product for r in kb.releases if r.date is not None and not r.unpublished}
        releases = {r.product for r in kb.releases if not r.unpublished}
        # As pages_informations: a product's page exists when a post names it.
        informations = {slug for post in kb.posts for slug in post.products}
        newest: dict[tuple[str, LineNumber], Release] = {}
        for release in kb.releases:
            if release.unpublished or release.version.is_prerelease:
                continue
            key = (release.product, release.version.line)
            if key not in newest or newest[key].version < release.version:
                newest[key] = release
        return cls(frozenset(faq), frozenset(releases), frozenset(informations), newest)

    def links(self, kb: KnowledgeBase, product: Product, line: VersionLine | None = None) -> list[KindLink]:
        """The product's FAQ, release notes (and, on a line's page, the latest release note of
        that line: the release notes have no page per line) and information page, when they exist."""
        slug = product.slug
        links = []
        if slug in self.faq:
            links.append(KindLink(f"Foire aux questions {product.name}", faq_product_url(slug)))
        if slug in self.releases:
            of_line = self.line_releases.get((slug, line.number)) if line is not None else None
            if of_line is not None:
                links.append(KindLink(f"Notes de la version {of_line.version}", release_url(of_line)))
            links.append(KindLink(f"Notes de version {product.name}", release_notes_product_url(slug)))
        if slug in self.informations:
            links.append(KindLink(f"Informations {product.name}", informations_product_url(slug)))
        return links


def _product_pages(
    renderer: Renderer,
    kb: KnowledgeBase,
    section: Section,
    product: Product,
    home: Crumb,
    kinds: _KindPages,
) -> Iterator[GeneratedPage]:
    section_crumb = Crumb(section.title, section_url(section))
    product_crumb = Crumb(product.name, product_url(product))
    entry = _product_entry(kb, product)
    for pager, documents in paginate(entry["documents"], product_url(product), DOCUMENTS_PAGE_SIZE):
        yield renderer.page(
            "product.md.j2",
            pager.url(pager.number),
            paged_title(product.name, pager),
            [home, section_crumb] + ([product_crumb] if pager.number > 1 else []),
            product=product,
            entry=entry,
            lines=entry["lines"][:PRODUCT_LINES] if entry["versions"] else entry["lines"],
            groups=_groups(documents),
            pager=pager,
            shown=len(documents),
            kind_links=kinds.links(kb, product),
        )
    if entry["versions"]:
        yield from _versions_pages(renderer, product, entry, [home, section_crumb, product_crumb])
    for line in entry["lines"]:
        line_crumb = Crumb(f"Version {line.number}", line_url(line))
        title = f"{product.name} — version {line.number}"
        line_links = kinds.links(kb, product, line)
        for pager, documents in paginate(line.documents, line_url(line), DOCUMENTS_PAGE_SIZE):
            yield renderer.page(
                "line.md.j2",
                pager.url(pager.number),
                paged_title(title, pager),
                [home, section_crumb, product_crumb] + ([line_crumb] if pager.number > 1 else []),
                product=product,
                line=line,
                newest=entry["newest"],
                versions=entry["versions"],
                groups=_groups(documents),
                pager=pager,
                shown=len(documents),
                kind_links=line_links,
            )
        for document in line.documents:
            if not document.is_attachment:
                yield _document_page(
                    renderer,
                    product,
                    document,
                    line,
                    entry["newest"],
                    [home, section_crumb, product_crumb, line_crumb],
                )
    for document in entry["documents"]:
        if not document.is_attachment:
            yield _document_page(
                renderer, product, document, None, entry["newest"], [home, section_crumb, product_crumb]
            )


def _versions_pages(
    renderer: Renderer, product: Product, entry: dict[str, Any], crumbs: list[Crumb]
) -> Iterator[GeneratedPage]:
    """Every version line of the product, newest first, grouped by major version; a page may
    start inside a major version, whose heading opens it again."""
    base = entry["versions"]
    title = f"{product.name} — {VERSIONS_TITLE}"
    for pager, lines in paginate(entry["lines"], base, LINES_PAGE_SIZE):
        majors: dict[int, list[VersionLine]] = {}
        for line in lines:
            majors.setdefault(line.number.major, []).append(line)
        yield renderer.page(
            "versions.md.j2",
            pager.url(pager.number),
            paged_title(title, pager),
            crumbs + ([Crumb("Toutes les versions", base)] if pager.number > 1 else []),
            product=product,
            newest=entry["newest"],
            groups=list(majors.items()),
            total=len(entry["lines"]),
            pager=pager,
            shown=len(lines),
        )


def _document_page(
    renderer: Renderer,
    product: Product,
    document: Document,
    line: VersionLine | None,
    newest: VersionLine | None,
    crumbs: list[Crumb],
) -> GeneratedPage:
    # The source keeps the kb/ folder layout; kb/ links of bodies point at such sources, so
    # both sides come from kb_links.
    return renderer.page(
        "document.md.j2",
        document_url(document),
        document.title,
        crumbs,
        src_uri=document_source(document),
        search=search_meta(renderer.kb, TYPE_DOCUMENTATION, [product.slug], document.line),
        product=product,
        document=document,
        line=line,
        newest=newest,
    )


def _product_entry(kb: KnowledgeBase, product: Product) -> dict[str, Any]:
    lines = kb.lines_of(product)
    documents = kb.documents_of(product)
    return {
        "product": product,
        "documents": documents,
        "lines": lines,
        "newest": lines[0] if lines else None,
        "count": len(documents) + sum(len(line.documents) for line in lines),
        "versions": _versions(product, lines, documents),
    }


def _versions(product: Product, lines: Sequence[VersionLine], documents: Sequence[Document]) -> str | None:
    """The URL of the product's page of all its lines, when its page cannot list them all;
    None when it lists them all: a product with few lines, or one of whose documents is
    named ``versions`` and holds that address (the writer's page is never replaced)."""
    url = versions_url(product)  # an attached file without extension would be ``…/versions``
    if len(lines) <= PRODUCT_LINES or any(document_url(d).rstrip("/") == url[:-1] for d in documents):
        return None
    return url


def _groups(documents: Sequence[Document]) -> list[tuple[str, list[Document]]]:
    """Documents grouped by kind, in kind order (documents arrive sorted); a page of a long
    list may start inside a group, whose heading opens it again."""
    groups: dict[str, list[Document]] = {}
    for document in documents:
        groups.setdefault(document.kind.group_label, []).append(document)
    return list(groups.items())


def _tree(kb: KnowledgeBase) -> list[dict[str, Any]]:
    return [
        {"section": section, "products": [_product_entry(kb, p) for p in kb.products_of(section)]}
        for section in kb.sections
    ]


def attachment_files(kb: KnowledgeBase) -> list[GeneratedFile]:
    """Attached files to copy into the site, at their documents' URLs."""
    return [
        GeneratedFile(document_url(d), d.attachment.abs_path)
        for d in kb.documents
        if d.attachment is not None
    ]


def navigation(kb: KnowledgeBase, home_pages: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The site's navigation: the top-level tabs and the section landing pages only; the
    hand-written pages (``home_pages``, such as « Avant de déposer un ticket ») under Accueil.

    Material renders the whole navigation into every page, so an entry per document would make
    every page grow with the knowledge base (measured: 1,000 pages in the nav, 363 MB of HTML).
    """
    return [
        {"Accueil": ["index.md", *home_pages]},
        {"Informations": "informations/index.md"},
        {
            "FAQ": [
                "faq/index.md",
                {"Notes de version": "release-notes/index.md"},
                {"Nomenclature des versions": "nomenclature-des-versions/index.md"},
            ]
        },
        {
            "Documentation": [
                f"{documentation_index()}index.md",
                # Material prints nav titles as HTML: a catalogue title is text.
                *({html.escape(section.title): f"{section_url(section)}index.md"} for section in kb.sections),
            ]
        },
    ]
