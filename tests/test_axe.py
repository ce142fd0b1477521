"""Issue 13 (point 1): zero axe-core violations of the WCAG 2.1 A and AA rules on every page type
of the built demo, in Debian's Chromium, at a desktop and a phone width.

axe-core comes from the `axe-playwright-python` distribution (it bundles axe.min.js); the test
injects it into each page and runs only the WCAG 2.0/2.1 A and AA rules. A failure names the page,
the rule, its help text and the elements."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest

pytestmark = pytest.mark.browser

AXE_SCRIPT = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# (name, address relative to the site, what to do once loaded)
PAGES = [
    ("accueil", "", None),
    ("index de la documentation", "documentation/", None),
    ("produit", "documentation/iparapheur/", None),
    ("ligne de versions", "documentation/iparapheur/4.5/", None),
    ("document", "documentation/iparapheur/4.5/manuel-utilisateur/", None),
    ("FAQ", "faq/", None),
    ("FAQ d'un produit", "faq/iparapheur/", None),
    ("FAQ, filtre pressé", "faq/", "faq-chip"),
    ("article", "faq/iparapheur/mot-de-passe-oublie/", None),
    ("notes de version", "release-notes/", None),
    ("notes de version d'un produit", "release-notes/iparapheur/", None),
    ("note de version", "release-notes/iparapheur/4.7.1/", None),
    ("informations en direct", "informations/", None),
    ("informations en direct, filtre pressé", "informations/", "chip"),
    ("publication", "POST", None),
    ("recherche avec résultats", "recherche/?q=certificat", "results"),
    ("avant de déposer un ticket, suggestions affichées", "support/avant-de-deposer-un-ticket/", "deflect"),
    ("page de référence", "support/priorites/", None),
    ("page de référence", "support/horaires/", None),
    ("nomenclature des versions", "nomenclature-des-versions/", None),
    ("accessibilité", "accessibilite/", None),
    ("page introuvable", "404.html", None),
]


def open_page(page: Any, demo_url: str, path: str, action: str | None) -> str:
    """Load the page and bring it to the state under test; returns the address."""
    if path == "POST":
        page.goto(demo_url + "informations/")
        path = page.eval_on_selector("[data-portail-post] a[href]", "a => a.getAttribute('href')")
        url = page.eval_on_selector("[data-portail-post] a[href]", "a => a.href")
    else:
        url = demo_url + path
    page.goto(url)
    page.wait_for_load_state("load")
    if action == "faq-chip":  # the FAQ's chips lead to the product's list, marked current
        page.locator("a.portail-chip[data-produit='pastell']").click()
        page.wait_for_url("**/faq/pastell/")
        url = page.url
    elif action == "chip":  # the live information's chips filter in place
        chip = page.locator("[data-portail-chips] a.portail-chip").nth(1)
        chip.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-portail-chips] a.portail-chip[aria-pressed=true]")
    elif action == "results":
        page.wait_for_selector("[data-portail-search-results] li")
    elif action == "deflect":
        box = page.locator("[data-portail-deflection] input[type=search], [data-portail-deflection] input").first
        box.fill("certificat expiré")
        page.wait_for_selector("[data-portail-deflection] li a")
    return url


def violations(page: Any) -> list[dict]:
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def describe(name: str, url: str, found: list[dict]) -> str:
    lines = []
    for rule in found:
        lines.append(f"{name} ({url}) : {rule['id']} [{rule['impact']}] {rule['help']}")
        for node in rule["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))} : {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:240]}")
        if len(rule["nodes"]) > 5:
            lines.append(f"    … et {len(rule['nodes']) - 5} autres éléments")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [1366, 390])
def test_no_axe_violation_on_any_page_type(browser: Any, demo_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    try:
        report = []
        for name, path, action in PAGES:
            url = open_page(page, demo_url, path, action)
            found = violations(page)
            if found:
                report.append(describe(name, url, found))
    finally:
        context.close()
    assert not report, f"violations axe à {width} px :\n" + "\n".join(report)


def test_the_axe_run_does_find_a_violation(page: Any, demo_url: str) -> None:
    """The harness can fail: an image without text alternative and a contrast fault are caught."""
    page.goto(demo_url)
    page.evaluate(
        """() => {
            const main = document.querySelector("main") || document.body;
            const img = document.createElement("img");
            img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
            main.prepend(img);
            const p = document.createElement("p");
            p.textContent = "texte pâle";
            p.style.color = "#ccc";
            p.style.background = "#fff";
            main.prepend(p);
        }"""
    )
    rules = {rule["id"] for rule in violations(page)}
    assert {"image-alt", "color-contrast"} <= rules
