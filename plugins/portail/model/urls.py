"""The site's URL plan: one place decides where every page and file lives.

URLs are stable (tickets and mails link to them), lowercase ASCII, directory style
(``documentation/iparapheur/4.7/``). ``src_uri`` is the virtual source file MkDocs renders.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from .kb import Document, FaqArticle, InformationPost, Product, Release, Section, VersionLine

DOCUMENTATION = "documentation/"
# The attachments of an exported site, for `portail index` (no HTML page): written by
# `portail generate`, read by `portail index`.
RECORDS_FILE = "portail-pieces-jointes.json"
T = TypeVar("T")


def slugify(text: str) -> str:
    """Lowercase ASCII slug: accents folded, anything else becomes a hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def documentation_index() -> str:
    return DOCUMENTATION


def section_url(section: Section) -> str:
    return f"{DOCUMENTATION}{section.slug}/"


def product_url(product: Product) -> str:
    return f"{DOCUMENTATION}{product.slug}/"


def line_url(line: VersionLine) -> str:
    return f"{DOCUMENTATION}{line.product}/{line.number}/"


VERSIONS = "versions/"


def versions_url(product: Product) -> str:
    """The list of every version line of a product (``documentation/iparapheur/versions/``):
    a line is named X.Y and a list page ``page/<n>/``, so neither takes this address; a
    product-wide document named ``versions`` could, and then keeps it (see ``pages``)."""
    return f"{product_url(product)}{VERSIONS}"


def document_url(document: Document) -> str:
    """A Markdown document is a page (``…/slug/``); an attachment keeps its file name."""
    folder = f"{DOCUMENTATION}{document.product}/"
    if document.line is not None:
        folder += f"{document.line}/"
    if document.attachment is not None:
        return folder + attachment_file_name(document)
    return f"{folder}{document.slug}/"


def attachment_file_name(document: Document) -> str:
    assert document.attachment is not None
    extension = document.attachment.extension
    return f"{document.slug}.{extension}" if extension else document.slug


def src_uri(url: str) -> str:
    """The virtual Markdown source of a directory URL (``a/b/`` -> ``a/b/index.md``)."""
    return f"{url}index.md" if url.endswith("/") or url == "" else url


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url``, both site-relative; keeps the slash."""
    from_dir = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    target = posixpath.relpath("/" + to_url, "/" + from_dir)
    if to_url.endswith("/") and not target.endswith("/"):
        target += "/"
    return "./" if target in (".", "./") else target


FAQ = "faq/"
RELEASE_NOTES = "release-notes/"


def faq_index() -> str:
    return FAQ


def faq_product_url(product: str) -> str:
    return f"{FAQ}{product}/"


def article_url(article: FaqArticle) -> str:
    return f"{FAQ}{article.product}/{article.slug}/"


def release_notes_index() -> str:
    return RELEASE_NOTES


def release_notes_product_url(product: str) -> str:
    return f"{RELEASE_NOTES}{product}/"


def release_url(release: Release) -> str:
    return f"{RELEASE_NOTES}{release.product}/{release.version}/"


def feed_url(name: str) -> str:
    """``release-notes``, ``release-notes/pastell``, ``faq`` -> ``release-notes.xml``,
    ``release-notes-pastell.xml``, ``faq.xml``, at the site's root: Material fetches a
    ``sitemap.xml`` beside every ``<link rel="alternate">``, and the root has one."""
    return f"{name.replace('/', '-')}.xml"


def nomenclature_url() -> str:
    return "nomenclature-des-versions/"


INFORMATIONS = "informations/"


def informations_index() -> str:
    return INFORMATIONS


def informations_product_url(product: str) -> str:
    return f"{INFORMATIONS}{product}/"


def post_url(post: InformationPost) -> str:
    """``informations/<yyyy-mm-dd>-<slug>/``: the publication date (Europe/Paris) and the file name."""
    return f"{INFORMATIONS}{post.published:%Y-%m-%d}-{post.slug}/"


def post_calendar_url(post: InformationPost) -> str:
    return f"{post_url(post)}intervention.ics"


def interventions_calendar_url() -> str:
    return f"{INFORMATIONS}interventions.ics"


PAGE = "page/"


def paged_url(base: str, number: int) -> str:
    """Page ``number`` of the list at ``base``: page 1 keeps the list's own URL, the next ones
    follow at ``<base>page/<n>/`` (``faq/pastell/page/2/``)."""
    return base if number == 1 else f"{base}{PAGE}{number}/"


@dataclass(frozen=True)
class Pager:
    """Where one page of a paginated list stands: its number, how many pages, their URLs."""

    base: str  # the URL of page 1
    number: int
    count: int

    def url(self, number: int) -> str:
        return paged_url(self.base, number)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None

    def window(self, around: int = 2) -> list[int | None]:
        """The page numbers a pager shows: the first, the last, ``around`` on each side of this
        one, and ``None`` for each gap; at most 2 × ``around`` + 5 items whatever the count."""
        shown = {1, self.count, *range(self.number - around, self.number + around + 1)}
        numbers: list[int | None] = []
        last = 0
        for n in sorted(n for n in shown if 1 <= n <= self.count):
            if n - last == 2:
                numbers.append(n - 1)  # a gap of one page shows that page, not an ellipsis
            elif last and n - last > 2:
                numbers.append(None)
            numbers.append(n)
            last = n
        return numbers


def paginate(items: Sequence[T], base: str, size: int) -> list[tuple[Pager, Sequence[T]]]:
    """``items`` cut into pages of ``size``; an empty list still has its page 1."""
    count = max(1, -(-len(items) // size))
    return [(Pager(base, n, count), items[(n - 1) * size : n * size]) for n in range(1, count + 1)]


def paged_title(title: str, pager: Pager) -> str:
    """« Foire aux questions — page 2 sur 7 »: every page of a list has its own title."""
    return title if pager.number == 1 else f"{title} — page {pager.number} sur {pager.count}"
