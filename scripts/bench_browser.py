"""The benchmark's browser measurements (Chromium through Playwright, as in the tests): what a
first search downloads, and what an ordinary page view requests."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any  # Playwright's objects: typed by Playwright, imported lazily
from urllib.parse import quote, urlparse

from bench_measures import NotMeasured

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402 - the tests' harness: flags that work here

# Requests that grow with the site: they have no business in an ordinary page view.
GROWING = re.compile(r"sitemap\.xml|/pagefind/|search_index\.json|/search/|\.xml$|\.ics$")
SEARCH_FILES = re.compile(r"/pagefind/|portail-produits\.json")


@dataclass
class Request:
    url: str
    bytes: int  # response headers and body as sent by the local server (no compression)


@dataclass
class FirstSearch:
    requests: list[Request]
    results_shown: bool

    @property
    def total(self) -> int:
        return sum(r.bytes for r in self.requests)


@dataclass
class PageView:
    url: str
    requests: list[Request] = field(default_factory=list)

    @property
    def growing(self) -> list[Request]:
        return [r for r in self.requests if GROWING.search(urlparse(r.url).path)]


def _record(page: Any) -> list[Any]:
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))
    return finished


def _sizes(finished: list[Any]) -> list[Request]:
    out = []
    for request in finished:
        sizes = request.sizes()
        out.append(Request(request.url, sizes["responseBodySize"] + max(0, sizes["responseHeadersSize"])))
    return out


def browser_measures(site: Path, word: str, views: list[str]) -> tuple[FirstSearch, list[PageView]]:
    """Open ``/recherche/?q=<word>`` on the built site (new profile, empty cache): bytes of the
    search's own requests; then each page of ``views``: every request, those that grow flagged."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise NotMeasured(f"Playwright absent ({exc})") from exc
    try:
        executable = chromium_path()
    except RuntimeError as exc:
        raise NotMeasured(str(exc)) from exc
    server = serve(site)
    base = next(server)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                search = _first_search(browser, base, word)
                pages = [_page_view(browser, base, view) for view in views]
            finally:
                browser.close()
    finally:
        next(server, None)  # runs the generator's cleanup: the server stops
    return search, pages


def _first_search(browser: Any, base: str, word: str) -> FirstSearch:
    context = browser.new_context()
    page = context.new_page()
    finished = _record(page)
    page.goto(base + "recherche/?q=" + quote(word), wait_until="networkidle")
    status = page.locator("[data-portail-search-status]")
    shown = False
    try:
        status.filter(has_text="résultat").wait_for(timeout=30_000)
        shown = True
    except Exception:  # noqa: BLE001 - reported as "no result shown", the figure still stands
        pass
    page.wait_for_load_state("networkidle")
    requests = [r for r in _sizes(finished) if SEARCH_FILES.search(urlparse(r.url).path)]
    context.close()
    return FirstSearch(requests, shown)


def _page_view(browser: Any, base: str, path: str) -> PageView:
    context = browser.new_context()
    page = context.new_page()
    finished = _record(page)
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(1500)  # Material's late fetches (sitemap.xml) come after the load
    view = PageView(path, _sizes(finished))
    context.close()
    return view
