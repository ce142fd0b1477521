"""Browser search in real headless Chromium: Pagefind's own JavaScript over the built demo."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def result_urls(
    page: Any, selector: str = "[data-portail-search-results] a.portail-result__title"
) -> list[str]:
    return page.eval_on_selector_all(selector, "links => links.map(a => new URL(a.href).pathname)")


def test_french_search_folds_accents_and_counts_by_product(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "recherche/?q=teletransmission")
    expect(page.locator("[data-portail-search-status]")).to_contain_text("résultat")
    urls = result_urls(page)
    assert "/faq/s2low/certificat-teletransmission-expire/" in urls
    chips = page.locator("[data-portail-search-filters] button.portail-chip")
    assert chips.count() > 3
    assert page.locator("[data-portail-search-results] mark").count() > 0
    assert page.locator("[data-portail-search-results] .portail-result__meta").first.inner_text()


def test_a_filter_chip_narrows_results_and_stays_in_the_url(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "recherche/?q=certificat")
    expect(page.locator("[data-portail-search-status]")).to_contain_text("résultat")
    before = len(result_urls(page))
    page.get_by_role("button", name="lspki").click()
    expect(page.locator("[data-portail-search-status]")).to_contain_text("(lspki)")
    after = result_urls(page)
    assert after and len(after) <= before
    assert "produit=lspki" in page.url
    page.get_by_role("button", name="Article de FAQ").click()
    expect(page).to_have_url(re.compile(r"type=Article"))


# A product's name or declared alias in a query is a filter (its code « SL » only in ?produit=,
# see test_browser_search_ux.py); the query stays as typed.
@pytest.mark.parametrize("written", ["S2LOW certificat", "s²low certificat", "certificat slow"])
def test_product_names_written_any_way_become_the_filter(page: Any, demo_url: str, written: str) -> None:
    page.goto(demo_url + "recherche/?q=" + quote(written))
    expect(page.locator("[data-portail-search-status]")).to_contain_text("(S²LOW)")
    metas = page.eval_on_selector_all(".portail-result__meta", "m => m.map(x => x.textContent)")
    assert metas and all("S²LOW" in m for m in metas)
    assert page.locator("#portail-q").input_value() == written


def test_a_query_with_html_is_shown_as_text(page: Any, demo_url: str) -> None:
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script> "*:('
    page.goto(demo_url + "recherche/?q=" + quote(hostile))
    expect(page.locator("[data-portail-search-status]")).to_contain_text("pour « <img")
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("[data-portail-search-status] img, [data-portail-search-status] script").count() == 0


def test_header_box_searches_with_the_keyboard(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "faq/")
    page.locator("#portail-header-q").focus()
    page.keyboard.type("mot de passe oublie")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=mot+de+passe+oublie")
    expect(page.locator("[data-portail-search-status]")).to_contain_text("résultat")
    assert "/faq/iparapheur/mot-de-passe-oublie/" in result_urls(page)[:5]


def test_search_is_usable_at_phone_width(browser: Any, demo_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR")
    page = context.new_page()
    page.goto(demo_url + "recherche/?q=convocation")
    expect(page.locator("[data-portail-search-status]")).to_contain_text("résultat")
    box = page.locator("#portail-q").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.locator("#portail-header-q").is_visible()
    context.close()


def test_faq_keyword_box_searches_faq_and_release_notes_of_the_chosen_product(
    page: Any, demo_url: str
) -> None:
    page.goto(demo_url + "faq/")
    page.locator("a.portail-chip[data-produit='iparapheur']").click()
    page.locator("#portail-faq-q").fill("signature")
    status = page.locator("[data-portail-faq-search] [role=status]")
    expect(status).to_contain_text("pour « signature »")
    metas = page.eval_on_selector_all(
        "[data-portail-faq-search] .portail-result__meta", "m => m.map(x => x.textContent)"
    )
    assert metas and all(
        m.startswith(("Article de FAQ", "Note de version")) and "i-Parapheur" in m for m in metas
    )
    assert not page.locator("[data-portail-faq-list]").is_visible()
    page.locator("#portail-faq-q").fill("")
    expect(page.locator("[data-portail-faq-list]")).to_be_visible()


def test_ticket_deflection_suggests_up_to_five_articles(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "support/avant-de-deposer-un-ticket/")
    field = page.get_by_label("Objet de votre demande")
    field.fill("ce")
    page.wait_for_timeout(600)  # past the debounce: under three characters, nothing is suggested
    assert page.locator("[data-portail-deflection] ol li").count() == 0
    field.fill("certificat expiré")
    suggestions = page.locator("[data-portail-deflection] ol li")
    expect(suggestions.first).to_be_visible()
    assert 1 <= suggestions.count() <= 5
    page.get_by_label("Produit (facultatif)").select_option("lspki")
    # The first suggestion may be lspki's already: wait until every one is.
    page.wait_for_function(
        """() => {
            const metas = [...document.querySelectorAll("[data-portail-deflection] .portail-result__meta")];
            return metas.length > 0 && metas.every(m => m.textContent.includes("lspki"));
        }"""
    )
    metas = page.eval_on_selector_all(
        "[data-portail-deflection] .portail-result__meta", "m => m.map(x => x.textContent)"
    )
    assert metas and all("lspki" in m for m in metas)
    ticket = page.locator(".portail-deflection__ticket a")
    # The ticket application receives the subject and the product (README: its contract).
    assert ticket.get_attribute("href") == (
        "https://support.example.org/tickets/nouveau?sujet=certificat%20expir%C3%A9&produit=lspki"
    )
    assert ticket.is_visible()


def test_without_javascript_the_search_page_points_to_the_faq(page_without_js: Any, demo_url: str) -> None:
    page = page_without_js
    page.goto(demo_url + "recherche/?q=certificat")
    assert page.get_by_text("La recherche demande JavaScript").is_visible()
    assert not page.locator("[data-portail-deflection]").is_visible()
