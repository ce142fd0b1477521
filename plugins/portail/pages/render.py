"""Rendering generated pages: Jinja templates (markup) fed with model data (Python).

A page is plain data (virtual source path, URL, title, Markdown); nothing here knows MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import markdown
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..checks.kb_links import KbLinks, KbObject
from ..checks.markdown_links import heading_lines
from ..model import fr, urls
from ..model.clock import french_moment
from ..model.kb import PAGE_TYPES, KnowledgeBase
from ..model.urls import relative
from ..reading.incremental import PageMemo


@dataclass(frozen=True)
class GeneratedPage:
    """A page to render: ``src_uri`` is its virtual Markdown source, ``url`` where it is served."""

    src_uri: str
    url: str
    title: str
    markdown: str


@dataclass(frozen=True)
class GeneratedFile:
    """A file copied as is into the site (an attachment)."""

    src_uri: str
    abs_path: str


@dataclass(frozen=True)
class SearchMeta:
    """What the browser search (Pagefind) knows of a page: its type and filters."""

    type: str  # a key of PAGE_TYPES; the filter shows its label
    products: tuple[str, ...] = ()  # display names
    line: str | None = None  # version line X.Y

    def as_front_matter(self) -> dict[str, Any]:
        return {"type": PAGE_TYPES[self.type], "produits": list(self.products), "version": self.line}


def search_meta(
    kb: KnowledgeBase, type_: str, product_slugs: Iterable[str], line: object = None
) -> SearchMeta:
    """The search meta of a page about ``product_slugs`` (filters use display names)."""
    products = tuple(kb.product(slug).name for slug in product_slugs)
    return SearchMeta(type_, products, str(line) if line is not None else None)


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str


# Characters Markdown (and our extensions: attr_list, tables, code spans, admonitions) acts on
# anywhere in a line. As numeric references they read the same in text and in attributes, and
# Markdown passes them through untouched, whether the value lands in a paragraph, a heading
# or raw HTML.
_TEXT = str.maketrans(
    {
        **{char: f"&#{ord(char)};" for char in "\\`*_[]{}#!|"},
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&#34;",
        "'": "&#39;",
    }
)
# At the start of a line only: a list, a rule, a setext underline, an ordered list.
_LINE_START = re.compile(r"^([-+=]|\d+\.(?=\s))")


def markdown_text(value: object) -> Markup:
    """``value`` as text in generated Markdown: HTML-escaped and inert to Markdown, so that a
    title such as « [x](javascript:…) {: onclick=… } » or « Le champ <objet> » shows as
    written, wherever it lands."""
    if hasattr(value, "__html__"):
        return Markup(value)  # already markup: a macro, a rendered body, |tojson
    text = str(value).translate(_TEXT)
    return Markup(_LINE_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(1)), text))


def _join(items: Iterable[object], separator: str = "") -> Markup:
    return Markup(markdown_text(separator)).join(markdown_text(item) for item in items)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The templates' environment, made once per process: templates are compiled once, not at
    each build of a preview. Rendering never changes it."""
    env = Environment(
        loader=PackageLoader("portail.pages", "templates"),
        autoescape=True,
        # Every {{ value }} of kb/ text goes through markdown_text: escaping is not left to
        # each template line (a title may land in Markdown, raw HTML or an attribute).
        finalize=markdown_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = fr.long_date
    env.filters["file_size"] = fr.file_size
    env.filters["file_type"] = fr.file_type
    env.filters["headings_from"] = headings_from
    env.filters["page_type"] = lambda key: PAGE_TYPES.get(key, "")
    env.filters["french_moment"] = french_moment
    env.filters["inline_markdown"] = _inline_markdown
    env.filters["join"] = _join  # Jinja's join marks escaped items safe before finalize sees them
    return env


def _inline_markdown(text: str) -> Markup:
    """A writer's one-line Markdown (links, emphasis) as HTML without the paragraph."""
    html = markdown.markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # noqa: S704 - writers are trusted; readers never reach this text


def headings_from(markdown: str, level: int) -> str:
    """Shift the headings of a Markdown fragment so that its shallowest one is ``level``: a
    changelog section's `####` under `###` becomes `###` under the page's `##` (headings in
    order, RGAA). Headings are the parser's (markdown_links.heading_lines): a `#` line in a
    code block of either fence kind stays as written."""
    found = heading_lines(markdown)
    if not found:
        return markdown
    shift = level - min(depth for _, depth in found)
    if shift == 0:
        return markdown
    lines = markdown.split("\n")
    for index, depth in found:
        lines[index] = "#" * min(6, max(1, depth + shift)) + lines[index][depth:]
    return "\n".join(lines)


# A page's address and template context -> the context to render it with, or None: skip it.
Selection = Callable[[str, Mapping[str, Any]], Mapping[str, Any] | None]


class Renderer:
    """Renders templates into pages; ``href`` in a template links relative to the page."""

    def __init__(
        self,
        kb: KnowledgeBase,
        related: Mapping[str, Sequence[Any]] | None = None,
        memo: PageMemo | None = None,
        links: KbLinks | None = None,
        only: Selection | None = None,
        endpoint_url: str = "",
    ) -> None:
        self.kb = kb
        # The search endpoint (plugin option `endpoint_url`): articles and release notes show
        # « Cet article vous a-t-il été utile ? » posting to it; empty: no widget at all.
        self.endpoint_url = endpoint_url
        self.related = related or {}
        self.env = _environment()
        # Where each kb/ file is published: links written in bodies become links of the site
        # (the analysis' own index of ``kb`` when given: built once per build).
        self.links = links or KbLinks(kb)
        # A preview's pages of the last rebuild; what every page may read besides its own
        # inputs is where kb/ files are published (links of bodies).
        self.memo = memo
        if memo is not None:
            memo.start(self.links.epoch())
        # A preview's quick answer renders a few pages only: ``only(url, context)`` gives the
        # context to render a page with, or None to skip it (its Markdown is then empty).
        self.only = only

    def page(
        self,
        template: str,
        url: str,
        title: str,
        crumbs: list[Crumb],
        src_uri: str | None = None,
        feeds: list[dict[str, str]] | None = None,
        search: SearchMeta | None = None,
        **context: Any,
    ) -> GeneratedPage:
        """Render ``template`` as the page at ``url``; ``feeds`` are announced in its head;
        a page with ``search`` is indexed by the browser search, with its filters."""

        def href(to_url: str) -> str:
            return relative(url, to_url)

        page_src = src_uri or f"{url}index.md"

        def kb_markdown(text: str, item: KbObject, html: bool = False) -> str:
            # A body of ``item`` with its kb/ links made links of this page; ``html``: the text
            # is rendered to HTML in the template (inline_markdown), out of the renderer's reach.
            return self.links.rewrite(text, item, url, page_src, html)

        related = self.related.get(url, [])
        if self.only is not None:
            chosen = self.only(url, context)
            if chosen is None:
                return GeneratedPage(page_src, url, title, "")
            context = dict(chosen)

        def render() -> str:
            # Templates are given their inputs only (the home page gets ``kb`` in ``context``):
            # what a page shows is what the memo compares.
            return self.env.get_template(template).render(
                title=title,
                crumbs=crumbs,
                feeds=feeds or [],
                related=related,
                search=search.as_front_matter() if search else None,
                href=href,
                kb_markdown=kb_markdown,
                urls=urls,
                page_types=PAGE_TYPES,
                document_url=urls.document_url,
                line_url=urls.line_url,
                product_url=urls.product_url,
                section_url=urls.section_url,
                endpoint_url=self.endpoint_url,
                **context,
            )

        if self.memo is None or self.only is not None:
            markdown = render()
        elif any(isinstance(value, KnowledgeBase) for value in context.values()):
            markdown = self.memo.render(url, None, render)  # reads anything: always rendered
        else:
            endpoint = self.endpoint_url
            inputs = (template, url, title, crumbs, page_src, feeds, search, related, context, endpoint)
            markdown = self.memo.render(url, inputs, render)
        return GeneratedPage(page_src, url, title, markdown)

    def finish(self) -> None:
        """The run is over: the memo keeps the pages it rendered or reused, nothing else."""
        if self.memo is not None:
            self.memo.finish()
