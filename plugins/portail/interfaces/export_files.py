"""The files the core adds to a site, as data: pages, feeds, calendars, browser files,
attachments and assets. The MkDocs adapter turns them into virtual files; ``portail generate``
(export.py) writes them as plain files. One list, two renderers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files as package_files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..checks.kb_links import KbLinks
from ..model.kb import KnowledgeBase
from ..model.synonyms import SYNONYMS_JSON, synonyms_json
from ..model.urls import interventions_calendar_url, post_calendar_url
from ..pages.calendars import intervention_calendar, interventions_calendar, schedulable
from ..pages.feeds import build_feeds, site_feeds
from ..pages.generate import attachment_files, generate_pages
from ..pages.guide import writers_guide
from ..reading.incremental import PageMemo
from ..search.browser import PRODUCTS_FILE, product_names

# The theme's scripts and styles, published under assets/portail/ and loaded by every page.
ASSETS = ("assets/portail/portail.css", "assets/portail/portail.js", "assets/portail/portail-search.js")
# Loaded by the pages that show « Cet article vous a-t-il été utile ? », with `endpoint_url` only.
FEEDBACK_ASSET = "assets/portail/portail-feedback.js"
# The theme layer over Material (feed links, search marks, 404, footer): a package folder.
THEME_PACKAGE, THEME_FOLDER = "portail.adapters", "material_theme"


@dataclass(frozen=True)
class SiteFile:
    """One file of the site: ``src_uri`` its source path under docs/; ``content`` its text or
    bytes, or ``abs_path`` a file to copy (an attachment). ``asset``: a script or style, which
    a navigation never lists."""

    src_uri: str
    content: str | bytes | None = None
    abs_path: str | None = None
    asset: bool = False

    def data(self) -> bytes:
        if self.content is None:
            return Path(self.abs_path or "").read_bytes()
        return self.content.encode("utf-8") if isinstance(self.content, str) else self.content


@dataclass(frozen=True)
class Options:
    """The ``portail`` plugin's options a site's files depend on (mkdocs.yml)."""

    site_url: str
    vendor: str
    endpoint_url: str = ""
    writers_guide: bool = False


def site_files(
    kb: KnowledgeBase,
    now: datetime,
    targets: Mapping[str, str],
    related: Mapping[str, Any],
    published: KbLinks | None,
    options: Options,
    memo: PageMemo | None = None,
) -> Iterator[SiteFile]:
    """Every file the core adds to the site, in the build's order."""
    for feed in build_feeds(kb, options.site_url, options.vendor):
        yield SiteFile(feed.path, feed.xml)
    for post in kb.posts:
        if schedulable(post):
            yield SiteFile(post_calendar_url(post), intervention_calendar(post, options.site_url, now))
    yield SiteFile(PRODUCTS_FILE, product_names(kb.products))
    # kb/synonymes.yml for the browser search; always written (empty without the file).
    yield SiteFile(SYNONYMS_JSON, synonyms_json(kb.synonyms))
    yield SiteFile(
        interventions_calendar_url(), interventions_calendar(list(kb.posts), options.site_url, now)
    )
    endpoint = options.endpoint_url.strip()
    for page in generate_pages(kb, now, targets, related, memo, published, endpoint_url=endpoint):
        yield SiteFile(page.src_uri, page.markdown)
    if endpoint:
        yield SiteFile(FEEDBACK_ASSET, asset_source(FEEDBACK_ASSET).read_bytes(), asset=True)
    if options.writers_guide:
        guide = writers_guide(kb, published)  # outside the nav and the search
        yield SiteFile(guide.src_uri, guide.markdown)
    for attachment in attachment_files(kb):
        yield SiteFile(attachment.src_uri, abs_path=attachment.abs_path)
    for asset in ASSETS:
        yield SiteFile(asset, asset_source(asset).read_bytes(), asset=True)


def asset_source(asset: str) -> Traversable:
    """The package file of a published asset (``assets/portail/x.js`` → ``assets/x.js``)."""
    return package_files("portail.pages").joinpath(asset.replace("assets/portail/", "assets/"))


def theme_layer() -> Traversable:
    """The folder of the theme layer the build puts between the site's overrides and Material."""
    return package_files(THEME_PACKAGE).joinpath(THEME_FOLDER)


def theme_extra(extra_css: list[str], extra_javascript: list[str]) -> dict[str, Any]:
    """What the build adds to the configuration for the theme layer: the site's feeds in
    ``extra`` (returned), the assets appended to ``extra_css`` / ``extra_javascript``."""
    for asset in ASSETS:
        target = extra_css if asset.endswith(".css") else extra_javascript
        if asset not in target:
            target.append(asset)
    return {"portail_feeds": site_feeds()}
