"""Markdown rendering of pages kept between MkDocs builds.

MkDocs converts every page's Markdown to HTML at every build, the largest part of a build of
thousands of pages. Each page's ``render`` is wrapped: its result (HTML, table of contents,
title, anchors and links to anchors, all MkDocs keeps of a rendering) is stored under a digest
of everything the conversion reads: the page's Markdown after the plugins, its source and
address, the Markdown configuration, the versions of the packages that render, and where every
file of the site is published (relative links). A page rendered with a warning is not stored,
so that ``--strict`` fails again at the next build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from ..pages.render_store import RenderStore
from ..reading.incremental import digest

RENDERERS = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "portail")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


class RenderCache:
    """Wraps pages' ``render`` for one build; :meth:`close` saves the store."""

    def __init__(self, store: RenderStore, config: MkDocsConfig, files: Files, signature: str) -> None:
        self.store = store
        self.closed = False
        table = sorted((f.src_uri, f.url) for f in files)
        self.epoch = digest(
            signature,
            repr(config["markdown_extensions"]),
            repr(config["mdx_configs"]),
            repr(config["validation"]),
            *(_version(name) for name in RENDERERS),
            "\n".join(f"{src}\0{url}" for src, url in table),
        )

    def install(self, page: Page) -> None:
        original = page.render

        def render(config: MkDocsConfig, files: Files) -> None:
            if self.closed:  # the page rendered again after its build (a preview's quick answer)
                original(config, files)
                return
            key = digest(self.epoch, page.file.src_uri, page.file.url, page.markdown or "")
            value = self.store.get(key)
            if value is not None and _restore(page, files, value):
                return
            with _warnings() as warned:
                original(config, files)
            if not warned:
                self.store.put(key, _saved(page))

        setattr(page, "render", render)  # noqa: B010 - this page's own render, for this build

    def close(self, complete: bool) -> None:
        self.closed = True
        self.store.close(complete)


def _saved(page: Page) -> dict[str, Any]:
    return {
        "content": page.content,
        "toc": [_token(item) for item in page.toc],
        "title": getattr(page, "_title_from_render", None),
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": (
            None
            if page.links_to_anchors is None
            else {file.src_uri: links for file, links in page.links_to_anchors.items()}
        ),
    }


def _restore(page: Page, files: Files, value: dict[str, Any]) -> bool:
    links = None
    if value["links"] is not None:
        links = {}
        for src_uri, anchors in value["links"].items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False  # cannot happen with the same files: render again
            links[target] = anchors
    page.content = value["content"]
    page.toc = get_toc(value["toc"])
    page._title_from_render = value["title"]
    page.present_anchor_ids = set(value["anchors"])
    if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = links
    return True


def _token(item: AnchorLink) -> dict[str, Any]:
    return {
        "level": item.level,
        "id": item.id,
        "name": item.title,
        "children": [_token(child) for child in item.children],
    }


class _Seen(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _warnings() -> Iterator[list[int]]:
    """Counts warnings logged while rendering (MkDocs' logger does not propagate)."""
    seen = _Seen()
    loggers = [logging.getLogger("mkdocs"), logging.getLogger()]
    for logger in loggers:
        logger.addHandler(seen)
    found: list[int] = []
    try:
        yield found
    finally:
        for logger in loggers:
            logger.removeHandler(seen)
        if seen.count:
            found.append(seen.count)
