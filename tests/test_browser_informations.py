"""Live information in real headless Chromium: with a faked clock, a post changes label and
section without a rebuild; with JavaScript off, the page reads as of the build."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
ACTES = "Mise à jour de la plateforme @ctes de l'État"  # start J+3 08:00, end J+3 18:00 (29/11/2026)


def section_and_label(page: Any, title: str) -> tuple[str, str]:
    return page.evaluate(
        """title => {
            const link = [...document.querySelectorAll('a.portail-post__title')].find(a => a.textContent.trim() === title);
            const item = link.closest('li');
            const list = item.parentElement.hasAttribute('data-portail-live-list') ? 'live' : 'history';
            return [list, item.querySelector('[data-portail-post-label]').textContent.trim()];
        }""",
        title,
    )


@pytest.mark.parametrize(
    "moment, expected",
    [
        (datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), ("live", "Intervention à venir")),
        (datetime(2026, 11, 29, 10, 0, tzinfo=PARIS), ("live", "Intervention en cours")),
        (datetime(2026, 11, 29, 20, 0, tzinfo=PARIS), ("history", "Intervention terminée")),
    ],
    ids=["before", "during", "after"],
)
def test_an_intervention_moves_on_time_without_rebuild(page: Any, demo_url: str, moment, expected) -> None:
    page.clock.set_fixed_time(moment)
    page.goto(demo_url + "informations/")
    assert tuple(section_and_label(page, ACTES)) == expected


def test_an_open_page_follows_the_clock(page: Any, demo_url: str) -> None:
    page.clock.install(time=datetime(2026, 11, 29, 17, 58, tzinfo=PARIS))
    page.goto(demo_url + "informations/")
    assert tuple(section_and_label(page, ACTES)) == ("live", "Intervention en cours")
    page.clock.run_for("05:00")  # five minutes later, the page refreshes itself
    assert tuple(section_and_label(page, ACTES)) == ("history", "Intervention terminée")


def test_home_and_post_pages_relabel_too(page: Any, demo_url: str) -> None:
    page.clock.set_fixed_time(datetime(2026, 11, 29, 20, 0, tzinfo=PARIS))
    page.goto(demo_url)
    item = page.locator("li[data-portail-post]", has_text=ACTES)
    expect(item.locator("[data-portail-post-label]")).to_have_text("Intervention terminée")
    item.locator("a.portail-post__title").click()
    page.wait_for_url("**/informations/*-mise-a-jour-plateforme-actes-etat/")
    page.wait_for_load_state()
    expect(page.locator("[data-portail-post-label]")).to_have_text("Intervention terminée")


def test_without_javascript_the_feed_reads_as_of_the_build(page_without_js: Any, demo_url: str) -> None:
    page = page_without_js
    page.goto(demo_url + "informations/")
    live = page.locator("[data-portail-live-list] li", has_text=ACTES)
    assert live.locator("[data-portail-post-label]").inner_text() == "Intervention à venir"
    history = page.locator(
        "[data-portail-history-list] li", has_text="Maintenance de la plateforme S²LOW mutualisée"
    )
    assert history.locator("[data-portail-post-label]").inner_text() == "Intervention terminée"


def test_product_chips_filter_the_feed(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "informations/")
    page.locator("a.portail-chip[data-produit='idelibre']").click()
    assert page.url.endswith("/informations/?produit=idelibre")
    shown = page.eval_on_selector_all(
        "li[data-produits]:not([hidden])", "items => items.map(i => i.dataset.produits)"
    )
    assert shown and all(p == "" or "idelibre" in p.split() for p in shown)


def test_the_minute_refresh_keeps_the_keyboard_focus(page: Any, demo_url: str) -> None:
    page.clock.install(time=datetime(2026, 11, 26, 10, 0, tzinfo=PARIS))
    page.goto(demo_url + "informations/")
    link = page.locator("a.portail-post__title", has_text=ACTES)
    link.focus()
    page.clock.run_for("02:00")  # two refreshes, nothing changes state
    assert page.evaluate("document.activeElement.textContent.trim()") == ACTES
