"""The pages of the site as the search sees them: ``SearchDocument`` (URL, title, products,
type, version line, plain text, keywords and a content hash). No whoosh here: the search index
and the build's « Articles liés » both start from these documents, compared by hash.

``page_sources(kb)`` gives each page *before* its Markdown is turned into text (a
``PageSource``): its hash is that of the raw fields, a few microseconds, while turning 5,000
bodies into text takes seconds. Both consumers compare hashes first and call ``document()``
only for the pages added or changed; ``documents_from_kb`` gives every document at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from ..model.clock import french_moment
from ..model.kb import PAGE_TYPES, KnowledgeBase
from ..model.urls import article_url, document_url, post_url, release_url
from ..pages.release_view import release_title

TYPES = tuple(PAGE_TYPES)
# Bump when what a page's text or keywords are made of changes (``page_sources``,
# ``markdown_text``): hashes of raw fields then change, so every cache built on them refills.
DOCUMENTS_VERSION = 2  # 2: a Markdown document's description is part of its text


@dataclass(frozen=True)
class SearchDocument:
    """One page of the site as the index sees it."""

    url: str  # site-relative, e.g. "faq/pastell/nouveau-role-absent-de-la-liste/"
    title: str
    products: tuple[str, ...]  # product slugs
    type: str  # "faq" | "release" | "documentation" | "information"
    line: str | None  # version line "4.7" when it applies, else None
    body: str  # plain text of the content
    content_hash: str  # sha256 of everything else
    # Words describing the page that are not in its text: product names, codes and aliases,
    # FAQ tags. Indexed, never shown.
    keywords: tuple[str, ...] = ()

    def document(self) -> SearchDocument:
        return self


class Searchable(Protocol):
    """A page as the index and « Articles liés » take it: a ``SearchDocument``, or a
    ``PageSource`` whose text is made only when ``document()`` is called. ``content_hash``
    changes whenever the document would."""

    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def content_hash(self) -> str: ...
    def document(self) -> SearchDocument: ...


def make_document(
    url: str,
    title: str,
    products: Iterable[str],
    type: str,
    line: str | None,
    body: str,
    keywords: Iterable[str] = (),
) -> SearchDocument:
    """A ``SearchDocument`` with its content hash computed."""
    if type not in TYPES:
        raise ValueError(f"type de page inconnu « {type} » (types : {', '.join(TYPES)})")
    products = tuple(products)
    keywords = tuple(keywords)
    payload = json.dumps([url, title, products, type, line, body, keywords], ensure_ascii=False)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return SearchDocument(url, title, products, type, line, body, digest, keywords)


@dataclass(frozen=True)
class PageSource:
    """A page worth finding with its raw text: Markdown (``markdown=True``) or plain text."""

    url: str
    title: str
    products: tuple[str, ...]
    type: str
    line: str | None
    text: str
    markdown: bool
    keywords: tuple[str, ...]

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the raw fields (and of ``DOCUMENTS_VERSION``): equal hashes, equal
        documents."""
        fields = [DOCUMENTS_VERSION, self.url, self.title, self.products, self.type, self.line]
        payload = json.dumps([*fields, self.text, self.markdown, self.keywords], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def document(self) -> SearchDocument:
        body = markdown_text(self.text) if self.markdown else self.text
        return make_document(self.url, self.title, self.products, self.type, self.line, body, self.keywords)


def _product_keywords(kb: KnowledgeBase, slugs: Iterable[str]) -> list[str]:
    words: list[str] = []
    for slug in slugs:
        words.append(slug)
        try:
            product = kb.product(slug)
        except KeyError:
            continue
        words.extend((product.name, product.code, *product.aliases))
    return words


def documents_from_kb(kb: KnowledgeBase) -> list[SearchDocument]:
    """Every page worth finding as a document (see ``page_sources``). Sorted by URL."""
    return [source.document() for source in page_sources(kb)]


def page_sources(kb: KnowledgeBase) -> list[PageSource]:
    """Every page worth finding: FAQ articles, published release notes, the documentation
    (Markdown documents by their text, attachments by title and description) and information
    posts (text and updates). Sorted by URL. A Markdown document's text starts with its
    front matter's ``description``, which its page shows as a lead paragraph."""
    sources: list[PageSource] = []
    for article in kb.articles:
        sources.append(
            PageSource(
                article_url(article),
                article.title,
                tuple(article.products),
                "faq",
                None,
                article.body,
                True,
                (*_product_keywords(kb, article.products), *article.tags),
            )
        )
    for release in kb.releases:
        if release.unpublished:
            continue
        try:
            product = kb.product(release.product)
        except KeyError:
            continue
        parts = [release.intro]
        for section in release.sections:
            parts.extend((section.title, section.body))
        keywords = [*_product_keywords(kb, (release.product,)), str(release.version)]
        if release.declared_kind:
            keywords.append(release.declared_kind)
        sources.append(
            PageSource(
                release_url(release),
                release_title(product, release),
                (release.product,),
                "release",
                str(release.version.line),
                "\n\n".join(part for part in parts if part),
                True,
                tuple(keywords),
            )
        )
    for document in kb.documents:
        if document.attachment is not None:
            text, markdown = document.description or "", False
            extra = [document.attachment.extension.upper()]
        else:
            # The front matter's description is the page's lead paragraph (document.md.j2):
            # searched with the body, and the first words of an excerpt.
            parts = [document.description or "", document.body or ""]
            text, markdown = "\n\n".join(part for part in parts if part), True
            extra = []
        if document.version:
            extra.append(document.version)
        sources.append(
            PageSource(
                document_url(document),
                document.title,
                (document.product,),
                "documentation",
                str(document.line) if document.line is not None else None,
                text,
                markdown,
                (*_product_keywords(kb, (document.product,)), document.kind.label, *extra),
            )
        )
    for post in kb.posts:
        parts = [post.body]
        if post.updates:
            parts.append("Mises à jour")
            parts.extend(f"{french_moment(update.at)} : {update.text}" for update in post.updates)
        keywords = [*_product_keywords(kb, post.products), post.kind.value]
        if post.label:
            keywords.append(post.label)
        sources.append(
            PageSource(
                post_url(post),
                post.title,
                tuple(post.products),
                "information",
                None,
                "\n\n".join(parts),
                True,
                tuple(keywords),
            )
        )
    return sorted(sources, key=lambda source: source.url)


_FENCE = re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*\w+(?:[ \t]+\"([^\"]*)\")?[ \t]*$", re.MULTILINE)
# Horizontal white space only: `\s` spans lines and made this regex cubic on blank lines.
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.MULTILINE)
_LIST_MARK = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_ATTR_LIST = re.compile(r"\{:?\s*[.#][^}]*\}")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"(\*\*|__|`)")


_SPACES = re.compile(r"[ \t]{2,}|\t")  # what `[ \t]+` → " " changes: a lone space stays
_BLANK_LINES = re.compile(r"\n\s*\n+")


def markdown_text(markdown: str) -> str:
    """Readable plain text of Markdown (markup dropped, text of links and code kept). Each
    rule runs only when the text holds the characters it needs: a knowledge base has
    megabytes of bodies, and most rules never match in most of them."""
    text = _COMMENT.sub(" ", markdown) if "<!--" in markdown else markdown
    if "```" in text or "~~~" in text:
        text = _FENCE.sub("", text)
    if "!!!" in text or "???" in text:
        text = _ADMONITION.sub(lambda m: m.group(1) or "", text)
    if "---" in text:
        text = _TABLE_RULE.sub("", text)
    if "#" in text:
        text = _HEADING.sub("", text)
    if "](" in text:
        text = _IMAGE.sub(r"\1", text) if "![" in text else text
        text = _LINK.sub(r"\1", text)
    if "][" in text:
        text = _REF_LINK.sub(r"\1", text)
    if "{" in text:
        text = _ATTR_LIST.sub("", text)
    text = _LIST_MARK.sub(r"\1", text)
    if ">" in text:
        text = _QUOTE.sub("", text)
    if "**" in text or "__" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    text = text.replace("|", " ")
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()
