"""FAQ chips and installation deadlines in real headless Chromium."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")


def visible_products(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "[data-portail-faq-list] > li:not([hidden])", "items => items.map(i => i.dataset.produits)"
    )


def chip_count(page: Any, slug: str) -> int:
    return int(page.locator(f"a.portail-chip[data-produit='{slug}'] .portail-chip__count").inner_text())


def test_on_a_paginated_faq_a_chip_leads_to_the_product_page(page: Any, demo_url: str) -> None:
    # The demo's FAQ holds more than a page: /faq/ shows its first page only, so a chip cannot
    # filter it in place; it leads to the product's own list.
    page.goto(demo_url + "faq/")
    assert page.locator("nav.portail-pager").is_visible()
    page.locator("a.portail-chip[data-produit='pastell']").click()
    page.wait_for_url("**/faq/pastell/")
    shown = visible_products(page)
    assert shown and all("pastell" in p.split() for p in shown)
    assert len(shown) == chip_count(page, "pastell")
    assert page.locator("a.portail-chip[data-produit='pastell']").get_attribute("aria-current") == "page"


def test_a_shared_filter_address_leads_to_the_product_page(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "faq/?produit=s2low")
    page.wait_for_url("**/faq/s2low/")
    shown = visible_products(page)
    assert shown and all("s2low" in p.split() for p in shown)
    assert len(shown) == chip_count(page, "s2low")


def test_an_unknown_filter_address_stays_on_the_faq(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "faq/?produit=inconnu")
    page.wait_for_load_state()
    assert page.url.endswith("/faq/?produit=inconnu") and len(visible_products(page)) == 50


def test_without_javascript_the_pages_follow_one_another(page_without_js: Any, demo_url: str) -> None:
    page = page_without_js
    page.goto(demo_url + "faq/")
    first = visible_products(page)
    pager = page.get_by_role("navigation", name="Pages de la liste")
    assert "Page 1 sur 2" in pager.inner_text()
    pager.get_by_role("link", name="Page suivante").click()
    page.wait_for_url("**/faq/page/2/")
    page.wait_for_load_state()
    assert len(first) + len(visible_products(page)) == chip_count(page, "")
    assert page.title().startswith("Foire aux questions — page 2 sur 2")
    pager = page.get_by_role("navigation", name="Pages de la liste")
    pager.get_by_role("link", name="Page précédente").click()
    page.wait_for_url("**/faq/")


def test_keyword_results_replace_the_list_and_its_pager(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "faq/")
    page.get_by_label("Rechercher dans la FAQ").fill("certificat")
    expect(page.locator(".portail-faq-search .portail-results li").first).to_be_visible()
    expect(page.locator("[data-portail-faq-list]")).to_be_hidden()
    expect(page.locator("nav.portail-pager")).to_be_hidden()
    page.get_by_label("Rechercher dans la FAQ").fill("")
    expect(page.locator("nav.portail-pager")).to_be_visible()


def test_without_javascript_chips_lead_to_static_pages(page_without_js: Any, demo_url: str) -> None:
    page = page_without_js
    page.goto(demo_url + "faq/")
    page.locator("a.portail-chip[data-produit='pastell']").click()
    page.wait_for_url("**/faq/pastell/")
    page.wait_for_load_state()
    assert len(page.locator("[data-portail-faq-list] > li").all()) == chip_count(page, "pastell")


def test_deadline_turns_to_passed_without_rebuild(page: Any, demo_url: str) -> None:
    # Built on 2026-11-26: 4.7.11's deadline is still ahead. Months later, the same page must
    # say the deadline is past.
    page.clock.set_fixed_time(datetime(2027, 9, 1, 10, 0, tzinfo=PARIS))
    page.goto(demo_url + "release-notes/iparapheur/4.7.11/")
    assert page.locator("[data-portail-deadline-passed]").is_visible()
    assert not page.locator("[data-portail-deadline-open]").is_visible()
    assert "Délai dépassé" in page.locator("[data-portail-deadline]").inner_text()


def test_deadline_reads_open_before_it(page: Any, demo_url: str) -> None:
    page.clock.set_fixed_time(datetime(2025, 1, 20, 10, 0, tzinfo=PARIS))
    page.goto(demo_url + "release-notes/iparapheur/4.7.0/")
    assert page.locator("[data-portail-deadline-open]").is_visible()
    assert not page.locator("[data-portail-deadline-passed]").is_visible()


def test_without_javascript_the_deadline_reads_as_of_the_build(page_without_js: Any, demo_url: str) -> None:
    page = page_without_js
    page.goto(demo_url + "release-notes/iparapheur/4.7.11/")
    assert page.locator("[data-portail-deadline-open]").is_visible()
    page.goto(demo_url + "release-notes/iparapheur/4.7.0/")
    assert page.locator("[data-portail-deadline-passed]").is_visible()
