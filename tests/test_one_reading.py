"""Issue 14 (point 2): the command line, the endpoint and the browser read a query the same way.
A product's name or declared alias typed in the query limits the search to that product (never
its code, a stop word or a common word: « part », « autres », « de », « SL »); an explicit
product wins; the browser's reading (portail-search.js) gives the same product as the Python
one (search/product_words.py) on every query of the shared set."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, copy_project, run
from portail.reading.knowledge_base import read_knowledge_base
from portail.search.product_words import Understood, understand

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
EXTRA = [
    "mdp perdu parapheur compte bloque",
    "certificat slow",
    "certificat SL",
    "autres part de",
    "Documentation transverse navigateurs",
    "pastell",
    "connecteur i-parapheur dans Pastell",
]


@pytest.fixture(scope="module")
def products() -> tuple[Any, ...]:
    kb, _ = read_knowledge_base(ROOT / "kb", ROOT, datetime(2026, 11, 26, 10, 0))
    return kb.products


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mdp perdu parapheur compte bloque", Understood("mdp perdu compte bloque", "iparapheur", True)),
        ("certificat s²low", Understood("certificat", "s2low", True)),
        ("certificat SL", Understood("certificat SL", None)),  # a code only in ?produit= / --produit
        ("autres part de", Understood("autres part de", None)),
        ("documentation transverse navigateurs", Understood("navigateurs", "transverse", True)),
        ("pastell", Understood("pastell", "pastell", True)),  # nothing else: the name is searched
        # The first product named limits the search; another product's name stays a word.
        ("connecteur parapheur dans Pastell", Understood("connecteur dans Pastell", "iparapheur", True)),
    ],
)
def test_a_product_named_in_the_query_limits_it(products: Any, query: str, expected: Understood) -> None:
    assert understand(query, None, products) == expected


def test_an_explicit_product_wins(products: Any) -> None:
    assert understand("certificat parapheur", "s2low", products) == Understood("certificat parapheur", "s2low")


def test_the_command_line_says_the_product_it_recognised(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "projet")
    done = run(["portail", "search", "mot de passe oublié parapheur", "--json"], project)
    data = json.loads(done.output[done.output.index("{") :])
    assert data["recognised_product"] == "iparapheur"
    assert data["hits"] and all("iparapheur" in hit["products"] for hit in data["hits"])
    plain = run(["portail", "search", "mot de passe oublié parapheur"], project)
    assert "Recherche dans i-Parapheur, nommé dans la recherche" in plain.output
    other = run(["portail", "search", "autres part de", "--json"], project)
    assert json.loads(other.output[other.output.index("{") :])["recognised_product"] is None


@pytest.mark.browser
def test_the_browser_reads_every_query_as_python_does(page: Any, demo_url: str, products: Any) -> None:
    queries = [q["query"] for q in QUERIES] + EXTRA
    page.goto(demo_url + "recherche/")
    browser = page.evaluate(
        """async queries => {
            const out = [];
            for (const q of queries) {
                const r = await window.portailSearch(q, {limit: 5});
                out.push(r.recognised && r.product ? r.product.slug : null);
            }
            return out;
        }""",
        queries,
    )
    python = [understand(q, None, products).product for q in queries]
    differ = [(q, b, p) for q, b, p in zip(queries, browser, python, strict=True) if b != p]
    assert differ == [], "produit reconnu : (requête, navigateur, Python)"
    assert sum(1 for slug in python if slug) >= 10  # the set does name products
