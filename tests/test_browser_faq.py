"""FAQ chips and installation deadlines in real headless Chromium."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")


def visible_products(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "[data-portail-faq-list] > li:not([hidden])", "items => items.map(i => i.dataset.produits)"
    )


def chip_count(page: Any, slug: str) -> int:
    return int(page.locator(f"a.portail-chip[data-produit='{slug}'] .portail-chip__count").inner_text())


def test_a_chip_filters_the_list_and_the_url_keeps_it(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "faq/")
    total = len(visible_products(page))
    page.locator("a.portail-chip[data-produit='pastell']").click()
    assert page.url.endswith("/faq/?produit=pastell")
    shown = visible_products(page)
    assert shown and all("pastell" in p.split() for p in shown)
    assert len(shown) == chip_count(page, "pastell") < total
    assert page.locator("a.portail-chip[data-produit='pastell']").get_attribute("aria-current") == "page"
    assert "pour Pastell" in page.locator("[data-portail-filter-status]").inner_text()

    page.locator("a.portail-chip[data-produit='']").click()
    assert page.url.endswith("/faq/")
    assert len(visible_products(page)) == total


def test_the_url_filter_applies_on_load(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "faq/?produit=s2low")
    shown = visible_products(page)
    assert shown and all("s2low" in p.split() for p in shown)
    assert len(shown) == chip_count(page, "s2low")


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
