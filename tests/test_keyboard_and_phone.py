"""Issue 13 (points 2 and 3): keyboard and phones, in headless Chromium on the built demo.

Every page type has a skip link as its first Tab stop, to a target that exists; no Tab stop is
aria-hidden or invisible; no page scrolls sideways at 320 and 390 px; the header's search box
leaves the site's name visible on a phone; filter chips keep the focus and say they are
pressed."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "",  # home
    "faq/",
    "faq/iparapheur/",  # a FAQ product page
    "faq/iparapheur/mot-de-passe-oublie/",  # an article
    "release-notes/",
    "release-notes/iparapheur/4.7.1/",  # a release note
    "informations/",
    "POST",  # a post (the first one the live information page lists)
    "documentation/",
    "documentation/iparapheur/",  # a product page
    "documentation/iparapheur/4.5/manuel-utilisateur/",  # a document
    "recherche/?q=certificat",
    "404.html",
]

# The element that has the focus, described for the assertions.
ACTIVE = """async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  await Promise.all(el.getAnimations().map(a => a.finished.catch(() => null)));  // the skip link fades in
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className && String(el.className),
    href: el.getAttribute("href"), text: (el.innerText || el.value || "").trim().slice(0, 60),
    hiddenByAria: !!el.closest("[aria-hidden=true]"),
    visible: rect.width > 0 && rect.height > 0 && style.visibility !== "hidden" && style.opacity !== "0",
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
  };
}"""


def address(page: Any, demo_url: str, path: str) -> str:
    """The page's address; « POST » is the first post of the live information page (the demo's
    posts are dated relative to the build)."""
    if path != "POST":
        return demo_url + path
    page.goto(demo_url + "informations/")
    return page.eval_on_selector("[data-portail-post] a[href]", "a => a.href")


def first_tab_stop(page: Any, url: str) -> dict:
    page.goto(url)
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    return page.evaluate(ACTIVE)


@pytest.mark.parametrize("path", PAGES)
def test_the_first_tab_stop_is_a_skip_link_to_the_content(page: Any, demo_url: str, path: str) -> None:
    active = first_tab_stop(page, address(page, demo_url, path))
    assert active and active["tag"] == "a" and active["text"] == "Aller au contenu", active
    assert active["visible"] and not active["hiddenByAria"], active
    assert active["href"].startswith("#")
    target = active["href"][1:]
    assert page.evaluate("id => !!document.getElementById(decodeURIComponent(id))", target)
    page.keyboard.press("Enter")
    # The next Tab stop is inside the content, past the header, tabs and navigation.
    page.keyboard.press("Tab")
    inside = page.evaluate("() => !!document.activeElement.closest('.md-content, #__main')")
    assert inside, page.evaluate(ACTIVE)


@pytest.mark.parametrize("path", ["faq/", "POST", "404.html"])
def test_the_skip_link_is_there_without_javascript(page_without_js: Any, demo_url: str, path: str) -> None:
    active = first_tab_stop(page_without_js, address(page_without_js, demo_url, path))
    assert active and active["text"] == "Aller au contenu" and active["visible"], active


@pytest.mark.parametrize("javascript", [True, False])
def test_every_tab_stop_of_the_home_page_is_visible_and_focused_visibly(
    browser: Any, demo_url: str, javascript: bool
) -> None:
    context = browser.new_context(locale="fr-FR", java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(demo_url)
        page.wait_for_load_state("load")
        seen = []
        for _ in range(20):
            page.keyboard.press("Tab")
            active = page.evaluate(ACTIVE)
            assert active is not None, seen
            assert not active["hiddenByAria"], active
            assert active["visible"], active
            assert active["outline"], active
            seen.append(active)
        assert not page.locator("#__palette_0").count()
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(browser: Any, demo_url: str, width: int) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        wide = []
        for path in PAGES:
            page.goto(address(page, demo_url, path))
            page.wait_for_load_state("load")
            sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if sizes[0] > sizes[1]:
                wide.append((path, sizes))
        assert wide == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_the_header_search_leaves_the_site_name_visible_on_a_phone(
    browser: Any, demo_url: str, width: int
) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(demo_url + "faq/")
        title = page.locator(".md-header__title").bounding_box()
        search = page.locator(".portail-header-search").bounding_box()
        assert title and search and title["width"] > 40
        assert title["x"] + title["width"] <= search["x"], (title, search)
        assert search["x"] + search["width"] <= width
    finally:
        context.close()


def test_on_the_faq_a_chip_pressed_with_the_keyboard_leads_to_its_product(page: Any, demo_url: str) -> None:
    # The demo's FAQ is paginated: its chips are links to the product lists (aria-current).
    page.goto(demo_url + "faq/")
    chip = page.locator("a.portail-chip[data-produit='pastell']")
    chip.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/faq/pastell/")
    assert page.locator("a.portail-chip[data-produit='pastell']").get_attribute("aria-current") == "page"


@pytest.mark.parametrize("key", ["Enter", " "])
def test_a_filter_chip_pressed_with_the_keyboard_keeps_the_focus(page: Any, demo_url: str, key: str) -> None:
    # The live information list filters in place: its chips are toggle buttons.
    page.goto(demo_url + "informations/")
    chips = page.locator("[data-portail-chips] a.portail-chip")
    chip = chips.nth(1)
    assert chip.get_attribute("role") == "button"
    assert chip.get_attribute("aria-pressed") == "false"
    chip.focus()
    page.keyboard.press(key)
    assert chip.get_attribute("aria-pressed") == "true"
    assert chips.nth(0).get_attribute("aria-pressed") == "false"
    assert page.evaluate("() => document.activeElement.dataset.produit") == chip.get_attribute("data-produit")
    assert page.evaluate(ACTIVE)["outline"]


def test_a_search_chip_pressed_with_the_keyboard_keeps_the_focus(page: Any, demo_url: str) -> None:
    # The search page rebuilds its chips with each result.
    page.goto(demo_url + "recherche/?q=certificat")
    chip = page.locator("[data-portail-search-filters] button.portail-chip").first
    chip.wait_for()
    name = chip.get_attribute("data-portail-chip")
    chip.focus()
    page.keyboard.press("Enter")
    pressed = page.locator(
        f"[data-portail-search-filters] button[data-portail-chip='{name}'][aria-pressed='true']"
    )
    pressed.wait_for()
    page.wait_for_function(
        "name => document.activeElement && document.activeElement.dataset.portailChip === name", arg=name
    )
