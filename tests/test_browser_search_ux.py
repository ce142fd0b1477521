"""What a reader of the browser search sees (issues 13 and 14), in real headless Chromium over
the built demo: every result reachable (« Afficher plus »), the typed text never rewritten,
`?produit=` written any way, ordinary words never taken for a product, version chips of one
product, the words searched highlighted on the page opened, synonyms and abbreviations."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from portail.model.kb import Product, Source
from portail.model.words import STOP_WORDS
from portail.search.browser import filter_words

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "plugins/portail/pages/assets/portail-search.js"
STATUS = "[data-portail-search-status]"
RESULTS = "[data-portail-search-results] li.portail-result"
FAQ_STATUS = "[data-portail-faq-search] [role=status]"
# A hand-written synonyms file, the shape kb/synonymes.yml is written in at the site root.
SYNONYMS = {
    "groupes": [["echeance", "expire", "expiration"], ["perdu", "oublie"]],
    "abreviations": {"mdp": "mot de passe", "ar": "accuse de reception"},
}


@pytest.fixture(scope="module")
def synonyms_url(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site with a hand-written portail-synonymes.json, served on 127.0.0.1."""
    from browser import serve

    site = tmp_path_factory.mktemp("synonymes") / "site"
    shutil.copytree(demo_site, site)
    (site / "portail-synonymes.json").write_text(json.dumps(SYNONYMS), encoding="utf-8")
    yield from serve(site)


def announced(page: Any, selector: str = STATUS) -> int:
    text = page.locator(selector).inner_text()
    found = re.match(r"(\d+) ", text)
    assert found, text
    return int(found.group(1))


def hrefs(page: Any, selector: str = RESULTS + " a.portail-result__title") -> list[str]:
    return page.eval_on_selector_all(selector, "links => links.map(a => new URL(a.href).pathname)")


def show_everything(page: Any, scope: str, items: str, status: str) -> int:
    """Press « Afficher plus » with the keyboard until it is gone; the focus lands each time on
    the first link newly shown. Returns the number of results shown."""
    more = page.locator(scope + " button.portail-more")
    shown = page.locator(items).count()
    total = announced(page, status)
    while more.is_visible():
        assert page.evaluate("b => b.tagName", more.element_handle()) == "BUTTON"
        page.locator(items).nth(shown - 1).locator("a").first.focus()
        page.keyboard.press("Tab")  # the button follows the last result
        assert page.evaluate("() => document.activeElement.classList.contains('portail-more')")
        page.keyboard.press("Enter")
        expect(page.locator(items)).to_have_count(min(shown + 10, total))
        first_new = page.locator(items).nth(shown).locator("a").first
        expect(first_new).to_be_focused()
        shown = page.locator(items).count()
        expect(page.locator(status)).to_contain_text(f"{total} ")
    return shown


# 1. Every result counted can be reached ---------------------------------------------------------


@pytest.mark.browser
def test_every_result_announced_on_the_search_page_can_be_reached(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "recherche/?q=certificat")
    expect(page.locator(STATUS)).to_contain_text("affichés sur")
    total = announced(page)
    assert total > 20
    expect(page.locator(RESULTS)).to_have_count(10)
    assert page.get_by_role("button", name="Afficher plus").is_visible()
    assert page.locator(STATUS).get_attribute("aria-live") == "polite"
    assert show_everything(page, "article", RESULTS, STATUS) == total
    expect(page.locator(STATUS)).to_contain_text("Tous sont affichés")
    assert len(set(hrefs(page))) == total
    # A new query starts again at ten.
    page.locator("#portail-q").fill("signature")
    expect(page.locator(STATUS)).to_contain_text("pour « signature »")
    assert page.locator(RESULTS).count() == min(10, announced(page))


@pytest.mark.browser
def test_every_article_found_by_the_faq_keyword_box_can_be_reached(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "faq/")
    page.locator("#portail-faq-q").fill("mise a jour")
    expect(page.locator(FAQ_STATUS)).to_contain_text("pour « mise a jour »")
    total = announced(page, FAQ_STATUS)
    assert total > 10
    items = "[data-portail-faq-search] ol li"
    expect(page.locator(items)).to_have_count(10)
    assert show_everything(page, "[data-portail-faq-search]", items, FAQ_STATUS) == total


# 2. The typed text stays as typed -------------------------------------------------------------


@pytest.mark.browser
def test_the_text_typed_is_never_rewritten_while_typing(page: Any, synonyms_url: str) -> None:
    page.goto(synonyms_url + "recherche/")
    box = page.locator("#portail-q")
    box.click()
    typed = ""
    for chunk in ["mdp perdu ", "parapheur ", "compte bloque"]:
        page.keyboard.type(chunk, delay=40)
        typed += chunk
        expect(page.locator(STATUS)).to_contain_text(f"pour « {typed.strip()} »")
        assert box.input_value() == typed
    # The product named restricts the search: its chip is pressed, the text stays.
    expect(page.locator(STATUS)).to_contain_text("(i-Parapheur)")
    chip = page.locator("[data-portail-chip='produit:i-Parapheur']")
    expect(chip).to_have_attribute("aria-pressed", "true")
    assert box.input_value() == "mdp perdu parapheur compte bloque"
    assert "/faq/iparapheur/mot-de-passe-oublie/" in hrefs(page)[:5]
    metas = page.eval_on_selector_all(".portail-result__meta", "m => m.map(x => x.textContent)")
    assert metas and all("i-Parapheur" in m for m in metas)
    # Letting the chip go searches every product, the name being a word again; text unchanged.
    chip.click()
    expect(page.locator(STATUS)).not_to_contain_text("(i-Parapheur)")
    assert box.input_value() == "mdp perdu parapheur compte bloque"


# 3. ?produit= written any way ---------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("slow", "S²LOW"),
        ("SL", "S²LOW"),
        ("s²low", "S²LOW"),
        ("parapheur", "i-Parapheur"),
        ("IP", "i-Parapheur"),
        ("Pastel", "Pastell"),
        ("autres", "Documentation transverse"),
    ],
)
def test_produit_in_the_address_takes_name_slug_code_and_aliases(
    page: Any, demo_url: str, written: str, name: str
) -> None:
    page.goto(demo_url + "recherche/?q=certificat&produit=" + quote(written))
    expect(page.locator(STATUS)).to_contain_text(f"({name})")
    assert announced(page) > 0
    metas = page.eval_on_selector_all(".portail-result__meta", "m => m.map(x => x.textContent)")
    assert metas and all(name in m for m in metas)
    expect(page.locator(f"[data-portail-chip='produit:{name}']")).to_have_attribute("aria-pressed", "true")


@pytest.mark.browser
def test_an_unknown_product_in_the_address_is_said(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "recherche/?q=certificat&produit=pastis")
    expect(page.locator(STATUS)).to_contain_text("Produit « pastis » inconnu : tous les produits.")
    expect(page.locator(STATUS)).to_contain_text("résultats pour « certificat »")
    assert "produit=" not in page.url


# 4. Ordinary words are words ------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    "query", ["part du budget", "autres certificats", "certificat de signature", "SL certificat"]
)
def test_ordinary_words_and_codes_in_a_query_are_not_product_filters(
    page: Any, demo_url: str, query: str
) -> None:
    page.goto(demo_url + "recherche/?q=" + quote(query))
    expect(page.locator(STATUS)).to_contain_text(f"pour « {query} »")
    assert not re.search(r"» \(", page.locator(STATUS).inner_text())
    assert page.locator("[data-portail-chip^='produit:'][aria-pressed='true']").count() == 0
    assert "produit=" not in page.url


@pytest.mark.browser
@pytest.mark.parametrize("written", ["S2LOW certificat", "s²low certificat", "certificat slow"])
def test_a_product_name_or_alias_in_a_query_restricts_it(page: Any, demo_url: str, written: str) -> None:
    page.goto(demo_url + "recherche/?q=" + quote(written))
    expect(page.locator(STATUS)).to_contain_text("(S²LOW)")
    assert page.locator("#portail-q").input_value() == written


def test_filter_words_are_names_and_declared_aliases_never_codes_or_common_words() -> None:
    def product(name: str, code: str, *aliases: str) -> Product:
        return Product(name.lower(), name, code, aliases, "s", "", "", Source("kb/catalogue.yml", 1))

    assert filter_words(product("S²LOW", "SL", "s2low", "slow", "s²low")) == ["s2low", "slow"]
    assert filter_words(product("Partenaires", "PART")) == ["partenaires"]
    assert filter_words(product("Documentation transverse", "TR", "autres", "de")) == [
        "documentation transverse"
    ]
    assert filter_words(product("i-Parapheur", "IP", "parapheur", "ip")) == ["i-parapheur", "parapheur"]


def test_the_browser_and_python_share_the_stop_words() -> None:
    source = SEARCH_JS.read_text(encoding="utf-8")
    block = re.search(r"var STOP_WORDS = \((.*?)\)\.split", source, re.S)
    assert block
    words = "".join(re.findall(r'"([^"]*)"', block.group(1))).split()
    assert set(words) == set(STOP_WORDS)


# 5. Version chips belong to one product ------------------------------------------------------------


@pytest.mark.browser
def test_version_chips_appear_once_a_product_is_chosen(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "recherche/?q=version&version=4.1")
    expect(page.locator(STATUS)).to_contain_text("résultat")
    assert page.locator("[data-portail-chip^='version:']").count() == 0
    assert "version=" not in page.url  # a version line alone means nothing
    page.locator("[data-portail-chip='produit:Pastell']").click()
    group = page.get_by_role("group", name="Filtrer par version de Pastell")
    expect(group).to_be_visible()
    chip = group.locator("button.portail-chip").first
    line = chip.get_attribute("data-portail-chip").split(":", 1)[1]
    chip.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"[data-portail-chip='version:{line}'][aria-pressed='true']")).to_be_focused()
    metas = page.eval_on_selector_all(".portail-result__meta", "m => m.map(x => x.textContent)")
    assert metas and all("Pastell" in m for m in metas)
    assert f"version={line}" in page.url and "produit=Pastell" in page.url
    # Letting the product go lets its version go too.
    page.locator("[data-portail-chip='produit:Pastell']").click()
    expect(page.locator("[data-portail-chip^='version:']")).to_have_count(0)
    assert "version=" not in page.url


# 6. The words searched are highlighted on the page opened ----------------------------------------


@pytest.mark.browser
def test_the_page_a_result_opens_highlights_the_words_searched(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "recherche/?q=" + quote("certificat expiré"))
    expect(page.locator(STATUS)).to_contain_text("résultat")
    link = page.locator(RESULTS + " a.portail-result__title").first
    assert "surligner=certificat" in (link.get_attribute("href") or "")
    link.click()
    marks = page.locator("article mark.portail-surligne")
    expect(marks.first).to_be_visible()
    texts = [t.lower() for t in marks.all_inner_texts()]
    assert any(t.startswith("certificat") for t in texts), texts


@pytest.mark.browser
def test_a_page_opened_without_the_parameter_loads_no_highlighter(page: Any, demo_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_url + "faq/s2low/certificat-teletransmission-expire/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "pagefind" in u]
    assert page.locator("mark.portail-surligne").count() == 0


# 7. Synonyms and abbreviations (portail-synonymes.json) -----------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mdp perdu", "/faq/iparapheur/mot-de-passe-oublie/"),
        ("certificat échéance télétransmission", "/faq/s2low/certificat-teletransmission-expire/"),
        (
            "un de nos élus n'a jamais reçu la convocation pour la séance de jeudi",
            "/faq/idelibre/convocation-non-recue/",
        ),
    ],
)
def test_synonyms_abbreviations_and_long_sentences_find_the_answer(
    page: Any, synonyms_url: str, query: str, expected: str
) -> None:
    page.goto(synonyms_url + "recherche/?q=" + quote(query))
    expect(page.locator(STATUS)).to_contain_text("résultat")
    assert expected in hrefs(page)[:5], hrefs(page)[:5]
    assert page.locator("#portail-q").input_value() == query


@pytest.mark.browser
def test_a_long_question_stays_within_the_budget_of_pagefind_calls(page: Any, synonyms_url: str) -> None:
    page.goto(synonyms_url + "recherche/")
    page.wait_for_function("window.portailSearch")
    answer = page.evaluate(
        """async q => {
            const r = await window.portailSearch(q, {limit: 5});
            return {searches: r.searches, urls: r.results.map(x => x.url)};
        }""",
        "je me suis trompé trop de fois en tapant le code de ma clé de signature et maintenant elle est bloquée",
    )
    assert 1 <= answer["searches"] <= 10
    assert "/faq/lspki/code-pin-bloque/" in answer["urls"]


# 8. Without JavaScript, on a phone ------------------------------------------------------------


@pytest.mark.browser
def test_without_javascript_there_is_no_show_more_button(page_without_js: Any, demo_url: str) -> None:
    page_without_js.goto(demo_url + "recherche/?q=certificat")
    assert page_without_js.get_by_text("La recherche demande JavaScript").is_visible()
    assert page_without_js.locator("button.portail-more").count() == 0


@pytest.mark.browser
def test_results_and_show_more_fit_a_320_px_screen(browser: Any, demo_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()
    page.goto(demo_url + "recherche/?q=" + quote("certificat expiré télétransmission"))
    expect(page.locator(STATUS)).to_contain_text("résultat")
    if page.locator("button.portail-more").is_visible():
        page.locator("button.portail-more").click()
    page.locator("#portail-q").fill("mise à jour du connecteur s2low dans pastell")
    expect(page.locator(STATUS)).to_contain_text("pour « mise à jour")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
