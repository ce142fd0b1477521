"""Issue 13: what clients see is French, a page view asks nothing of a third party, and the
RGAA accessibility statement is published and linked from every page.

Read from the built demo (`demo_site`); the last tests drive it in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from sitehtml import page as built_page
from sitehtml import text

# Phrases of Material, MkDocs and Python-Markdown's English interface: found anywhere in a page
# (attributes, text, the theme's JSON configuration) they are untranslated interface.
ENGLISH_PHRASES = [
    "Permanent link",
    "Not found",
    "404 - Not",
    "Back to top",
    "Skip to content",
    "Copy to clipboard",
    "Copied to clipboard",
    "Table of contents",
    "Type to start searching",
    "Made with",
    "Last update",
    "Edit this page",
    "View source of this page",
    "Go to repository",
    "Share with others",
    "Select language",
    "Release notes",  # the vendor's English name of « notes de version »
]
# Single words: as a whole attribute value or a whole text of the page's chrome (outside the
# article, whose kb/ content may quote an English word).
ENGLISH_WORDS = {"Search", "Previous", "Next", "Header", "Footer", "Close", "Share", "Clear", "Home", "Menu"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "value", "data-clipboard-text")


def pages(site: Path) -> list[tuple[str, Path]]:
    """Every HTML page of the built site, with its site path (`/faq/`, `/404.html`)."""
    found = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        url = "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)
        found.append((url, html))
    assert len(found) > 50
    return found


def soup_of(html: Path) -> BeautifulSoup:
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def test_no_english_interface_phrase_on_any_page(demo_site: Path) -> None:
    found = []
    for url, html in pages(demo_site):
        raw = html.read_text(encoding="utf-8")
        found += [(url, phrase) for phrase in ENGLISH_PHRASES if phrase in raw]
        soup = BeautifulSoup(raw, "html.parser")
        for tag in soup.find_all(True):
            for name in ATTRIBUTES:
                value = tag.get(name)
                if isinstance(value, str) and value.strip() in ENGLISH_WORDS:
                    found.append((url, f'{name}="{value}"'))
        article = soup.select_one("article.md-content__inner")
        if article is not None:
            article.extract()
        for string in soup.find_all(string=True):
            if string.parent.name not in ("script", "style") and string.strip() in ENGLISH_WORDS:
                found.append((url, string.strip()))
    assert found == []


def test_heading_permalinks_speak_french(demo_site: Path) -> None:
    soup = built_page(demo_site, "support/avant-de-deposer-un-ticket/")
    titles = {link.get("title") for link in soup.select("a.headerlink")}
    assert titles == {"Lien vers cette section"}


def test_the_404_page_is_french_with_a_search_form_and_a_home_link(demo_site: Path) -> None:
    soup = soup_of(demo_site / "404.html")
    assert soup.html.get("lang") == "fr"
    assert soup.title.string.strip() == "Page introuvable - Portail de support"
    article = soup.select_one("article.md-content__inner")
    assert article.h1 and text(article.h1) == "Page introuvable"
    form = article.select_one("form[role=search]")
    assert form is not None
    assert (form.get("method") or "get").lower() == "get"
    # MkDocs renders 404.html with absolute links: it answers at any address.
    assert urlsplit(form["action"]).path == "/recherche/"
    field = form.select_one("input[name=q]")
    assert field is not None and form.select_one(f"label[for={field['id']}]") is not None
    assert form.select_one("button[type=submit]") is not None
    home = article.select_one("a[data-portail-home]")
    assert home is not None and home["href"] == "/"
    assert "accueil" in text(home).lower()


def test_no_tab_title_repeats_the_site_name(demo_site: Path, demo_config: dict) -> None:
    name = demo_config["site_name"]
    assert built_page(demo_site, "").title.string.strip() == name
    for url, html in pages(demo_site):
        title = soup_of(html).title.string.strip()
        assert title != f"{name} - {name}", url
        assert not title.startswith(f"{name} - "), (url, title)
        assert title == name or title.endswith(f" - {name}"), (url, title)


def test_system_fonts_no_google_fonts(demo_config: dict, demo_site: Path) -> None:
    assert demo_config["theme"]["font"] is False
    for url, html in pages(demo_site):
        raw = html.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in raw and "fonts.gstatic" not in raw, url


def test_pages_load_nothing_from_another_host(demo_site: Path, demo_config: dict) -> None:
    own = urlsplit(demo_config["site_url"]).netloc
    foreign = []

    def check(url: str, where: str, target: str | None) -> None:
        if not target:
            return
        parts = urlsplit(urljoin("http://" + own + url, target.strip()))
        if parts.scheme in ("http", "https") and parts.netloc != own:
            foreign.append((url, where, target))
        if target.strip().startswith("//"):
            foreign.append((url, where, target))

    imports = re.compile(
        r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)|url\(\s*['"]?(https?:[^'")\s]+|//[^'")\s]+)"""
    )
    for url, html in pages(demo_site):
        soup = soup_of(html)
        for link in soup.find_all("link"):
            if set(link.get("rel") or []) & {"canonical"}:
                continue  # an address, never fetched
            check(url, "link", link.get("href"))
        for tag in soup.find_all(["script", "img", "iframe", "source", "video", "audio", "embed"]):
            check(url, tag.name, tag.get("src"))
        for style in soup.find_all("style"):
            for match in imports.finditer(style.get_text()):
                check(url, "style", match.group(1) or match.group(2))
        for tag in soup.find_all(style=True):
            for match in imports.finditer(tag["style"]):
                check(url, "style attribute", match.group(1) or match.group(2))
    for css in demo_site.rglob("*.css"):
        url = "/" + css.relative_to(demo_site).as_posix()
        for match in imports.finditer(css.read_text(encoding="utf-8")):
            check(url, "css", match.group(1) or match.group(2))
    assert foreign == []


def test_every_page_footer_links_to_the_accessibility_statement(demo_site: Path, demo_config: dict) -> None:
    status = demo_config["extra"]["accessibility"]["status"]
    assert status == "partiellement conforme"
    for url, html in pages(demo_site):
        footer = soup_of(html).select_one("footer.md-footer")
        assert footer is not None, url
        link = footer.select_one("a[data-portail-accessibility]")
        assert link is not None, url
        assert text(link) == f"Accessibilité : {status}", url
        assert urlsplit(urljoin(url, link["href"])).path == "/accessibilite/", url
    assert (demo_site / "accessibilite/index.html").is_file()


def test_the_accessibility_statement_has_the_rgaa_sections(demo_site: Path, demo_config: dict) -> None:
    soup = built_page(demo_site, "accessibilite/")
    article = soup.select_one("article.md-content__inner")
    assert text(article.h1) == "Déclaration d'accessibilité"
    sections = [text(h2) for h2 in article.find_all("h2")]
    assert sections == [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
    ]
    body = text(article)
    for words in (
        "partiellement conforme",
        "RGAA",
        "Dérogations",
        "Contenus non soumis",
        "Cette déclaration a été établie le",
        "Technologies utilisées",
        "Environnement de test",
        "Chromium",
        "axe-core",
        "Défenseur des droits",
    ):
        assert words in body, words
    vendor = demo_config["extra"]["vendor"]
    assert vendor["name"] in body
    assert article.select_one(f"a[href='mailto:{vendor['contact']}']") is not None
    assert vendor["phone"] in body


# --- in Chromium ---------------------------------------------------------------------------------

TICKET_PAGE = "support/avant-de-deposer-un-ticket/"


def configured_ticket_url(config: dict) -> str:
    options = next(p["portail"] for p in config["plugins"] if isinstance(p, dict) and "portail" in p)
    return options["ticket_url"]


@pytest.mark.browser
@pytest.mark.parametrize("url", ["", "faq/pastell/connecteur-s2low-test-echoue/", "404.html"])
def test_a_page_view_requests_only_the_local_server(page: Any, demo_url: str, url: str) -> None:
    origin = urlsplit(demo_url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_url + url)
    page.wait_for_load_state("networkidle")
    hosts = [urlsplit(u).netloc for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert hosts and set(hosts) == {origin}, [u for u in requested if urlsplit(u).netloc != origin]


@pytest.mark.browser
def test_the_ticket_link_carries_the_subject_and_the_product(
    page: Any, demo_url: str, demo_config: dict
) -> None:
    ticket_url = configured_ticket_url(demo_config)
    page.goto(demo_url + TICKET_PAGE)
    box = page.locator("[data-portail-deflection]")
    links = page.locator(f"a[href^='{ticket_url}']")
    assert links.count() == 2  # the box's and the page's « Déposer un ticket »
    assert box.locator(".portail-deflection__ticket a").get_attribute("href") == ticket_url

    subject = "Acte à l'état « Transmis » & bloqué #2 ?"
    page.fill("#portail-sujet", subject)
    page.wait_for_function("document.querySelectorAll('#portail-sujet-produit option').length > 1")
    page.select_option("#portail-sujet-produit", "s2low")
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        base, _, query = href.partition("?")
        assert base == ticket_url
        assert "+" not in query and " " not in query  # %20, percent-encoded UTF-8
        assert parse_qs(query) == {"sujet": [subject], "produit": ["s2low"]}

    page.select_option("#portail-sujet-produit", "")
    page.fill("#portail-sujet", "")
    assert box.locator(".portail-deflection__ticket a").get_attribute("href") == ticket_url


@pytest.mark.browser
def test_without_javascript_the_ticket_link_stays_plain(
    page_without_js: Any, demo_url: str, demo_config: dict
) -> None:
    ticket_url = configured_ticket_url(demo_config)
    page_without_js.goto(demo_url + TICKET_PAGE)
    assert page_without_js.locator(f"a[href='{ticket_url}']").count() == 2  # as written
    assert page_without_js.locator("[data-portail-deflection]").is_hidden()
