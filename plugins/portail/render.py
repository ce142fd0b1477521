"""Rendering generated pages: Jinja templates (markup) fed with model data (Python).

A page is plain data (virtual source path, URL, title, Markdown); nothing here knows MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import markdown
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import fr, urls
from .clock import french_moment
from .model import PAGE_TYPES, KnowledgeBase
from .urls import relative


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


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("portail", "templates"),
        autoescape=True,
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
    return env


def _inline_markdown(text: str) -> Markup:
    """A writer's one-line Markdown (links, emphasis) as HTML without the paragraph."""
    html = markdown.markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # noqa: S704 - writers are trusted; readers never reach this text


_HEADING_LINE = re.compile(r"^(#{1,6})(?=[ \t])")
_FENCE_LINE = re.compile(r"^[ \t]*(```|~~~)")


def headings_from(markdown: str, level: int) -> str:
    """Shift the headings of a Markdown fragment so that its shallowest one is ``level``: a
    changelog section's `####` under `###` becomes `###` under the page's `##` (headings in
    order, RGAA)."""
    lines = markdown.split("\n")
    in_fence = False
    found = []
    for line in lines:
        if _FENCE_LINE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING_LINE.match(line)):
            found.append(len(match.group(1)))
    if not found:
        return markdown
    shift = level - min(found)
    out, in_fence = [], False
    for line in lines:
        if _FENCE_LINE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING_LINE.match(line)):
            depth = min(6, max(1, len(match.group(1)) + shift))
            line = "#" * depth + line[len(match.group(1)) :]
        out.append(line)
    return "\n".join(out)


class Renderer:
    """Renders templates into pages; ``href`` in a template links relative to the page."""

    def __init__(self, kb: KnowledgeBase, related: Mapping[str, Sequence[Any]] | None = None) -> None:
        self.kb = kb
        self.related = related or {}
        self.env = _environment()

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

        markdown = self.env.get_template(template).render(
            kb=self.kb,
            title=title,
            crumbs=crumbs,
            feeds=feeds or [],
            related=self.related.get(url, []),
            search=search.as_front_matter() if search else None,
            href=href,
            urls=urls,
            page_types=PAGE_TYPES,
            document_url=urls.document_url,
            line_url=urls.line_url,
            product_url=urls.product_url,
            section_url=urls.section_url,
            **context,
        )
        return GeneratedPage(src_uri or f"{url}index.md", url, title, markdown)
