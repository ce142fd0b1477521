"""« Articles liés »: computed at build time and cached per page; an edit recomputes only the
lists it can change, and an incremental run gives the lists of a clean run (counted, never
timed: the figures at 5,000 pages are in the benchmark)."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin

import pytest

import portail.search.related as related_module
import portail.search.related_scores as related_scores
from conftest import NOW, ROOT
from portail.checks.analyse import analyse
from portail.model.kb import KnowledgeBase
from portail.search.documents import (
    PageSource,
    SearchDocument,
    documents_from_kb,
    make_document,
    page_sources,
)
from portail.search.related import RELATED_LIMIT, RelatedUpdate, related_articles, update_related
from sitehtml import content, page, text


def test_faq_and_release_pages_show_up_to_five_related_same_product_first(demo_site: Path) -> None:
    for url, product in (
        ("faq/pastell/nouveau-role-absent-de-la-liste/", "pastell"),
        ("release-notes/iparapheur/4.7.11/", "iparapheur"),
    ):
        article = content(page(demo_site, url))
        aside = article.select_one("aside.portail-related")
        assert text(aside.find("h2")) == "Articles liés"
        links = aside.find_all("a")
        assert 1 <= len(links) <= 5
        hrefs = [a["href"] for a in links]
        assert not any(h in ("./", "") for h in hrefs)  # never the page itself
        assert f"/{product}/" in urljoin("/" + url, hrefs[0])  # same product first


def test_related_links_never_point_at_information_posts(tmp_path: Path) -> None:
    # Posts come and go (and the demo's relative dates move their URLs): related links made
    # one day must still resolve the next, from the cache.
    kb = analyse(ROOT / "kb", ROOT, now=NOW).kb
    related = related_articles(kb, tmp_path)
    assert related and all(link.type != "information" for links in related.values() for link in links)
    later = analyse(ROOT / "kb", ROOT, now=NOW + timedelta(days=3)).kb
    assert related_articles(later, tmp_path) == related
    assert sorted(p.name for p in (tmp_path / "related").iterdir()) == ["lists.json", "state.json"]


def urls(update: RelatedUpdate) -> dict[str, list[str]]:
    return {url: [link.url for link in links] for url, links in update.lists.items()}


def clean(documents: list[SearchDocument], tmp_path: Path) -> RelatedUpdate:
    """The lists computed from scratch, in a cache folder of their own."""
    folder = tmp_path / f"clean-{len(list(tmp_path.glob('clean-*')))}"
    update = update_related(documents, folder)
    assert update.full and update.analysed == len([d for d in documents if d.type != "information"])
    return update


@pytest.fixture(scope="module")
def demo() -> KnowledgeBase:
    return analyse(ROOT / "kb", ROOT, now=NOW).kb


def test_lists_same_product_first_never_the_page_itself(demo: KnowledgeBase, tmp_path: Path) -> None:
    documents = {d.url: d for d in documents_from_kb(demo)}
    lists = related_articles(demo, tmp_path)
    assert set(lists) == {url for url, d in documents.items() if d.type in ("faq", "release")}
    assert sum(len(links) == RELATED_LIMIT for links in lists.values()) > 0.9 * len(lists)
    for url, links in lists.items():
        targets = [link.url for link in links]
        assert url not in targets and len(set(targets)) == len(targets)
        shares = [bool(set(documents[url].products) & set(documents[t].products)) for t in targets]
        assert shares == sorted(shares, reverse=True), url  # same product first
        for link in links:  # titles and types are the pages' own
            assert (link.title, link.type) == (documents[link.url].title, documents[link.url].type)
    expired = [link.url for link in lists["faq/s2low/certificat-teletransmission-expire/"]]
    assert "faq/s2low/connexion-refusee-certificat-non-reconnu/" in expired


def test_an_unchanged_knowledge_base_reads_only_the_lists(
    demo: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = related_articles(demo, tmp_path)

    def forbidden(*args: object) -> None:
        raise AssertionError("an unchanged knowledge base must be neither analysed nor scored")

    monkeypatch.setattr(related_module, "_read_state", forbidden)
    monkeypatch.setattr(related_scores, "analyse", forbidden)
    monkeypatch.setattr(related_scores, "pools", forbidden)
    again = update_related(page_sources(demo), tmp_path)
    assert again.lists == first and not again.recomputed and not again.analysed


def test_unchanged_pages_are_not_made_into_text(
    demo: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = page_sources(demo)
    assert [source.document() for source in sources] == documents_from_kb(demo)
    update_related(sources, tmp_path)
    made = []
    real = PageSource.document

    def counted(self: PageSource) -> SearchDocument:
        made.append(self.url)
        return real(self)

    monkeypatch.setattr(PageSource, "document", counted)
    edited = [
        replace(s, text=s.text + "\n\nLe code PUK est dans le pli.")
        if s.url == "faq/lspki/code-pin-bloque/"
        else s
        for s in page_sources(demo)
    ]
    update = update_related(edited, tmp_path)
    assert made == ["faq/lspki/code-pin-bloque/"] and update.analysed == 1


def test_one_faq_edit_recomputes_a_handful_of_lists_and_equals_a_clean_run(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    cache = tmp_path / "cache"

    def documents() -> list[SearchDocument]:
        return documents_from_kb(analyse(tmp_path / "kb", tmp_path, now=NOW).kb)

    first = update_related(documents(), cache)
    assert first.full and len(first.recomputed) == len(first.lists) == 69 and first.analysed == 110
    edits = {
        "faq/pastell/nouveau-role-absent-de-la-liste.md": "Si le rôle n'apparaît toujours pas, videz le "
        "cache du navigateur puis reconnectez-vous.",
        "faq/s2low/certificat-teletransmission-expire.md": "Pensez à prévenir la préfecture avant de "
        "changer de certificat.",
        "faq/lspki/code-pin-bloque.md": "Le code PUK se trouve dans le pli remis avec la carte.",
    }
    for name, sentence in edits.items():
        article = tmp_path / "kb" / name
        article.write_text(article.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        now = documents()
        update = update_related(now, cache)
        url = name.removesuffix(".md") + "/"
        # The edited article is analysed again, and its list computed again; a few pages
        # whose key terms it shares are recomputed too. Pages whose candidates it is among
        # take its new score in (patched): no scoring over the base for them.
        assert update.analysed == 1 and not update.full
        assert url in update.recomputed and len(update.recomputed) <= 5, sorted(update.recomputed)
        assert len(update.recomputed | update.patched) < len(update.lists) / 2
        assert urls(update) == urls(clean(now, tmp_path))


def test_additions_removals_and_renames_equal_clean_runs(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    cache = tmp_path / "cache"

    def check() -> RelatedUpdate:
        now = documents_from_kb(analyse(kb, tmp_path, now=NOW).kb)
        update = update_related(now, cache)
        assert urls(update) == urls(clean(now, tmp_path))
        return update

    check()
    (kb / "faq/lspki/code-puk.md").write_text(
        "---\ntitle: Où trouver le code PUK de la carte ?\ntags: [PUK, carte]\nupdated: 2026-01-01\n---\n\n"
        "Le code PUK débloque le code PIN bloqué de la carte agent. Il est dans le pli remis avec la "
        "carte ; sans lui, le support réinitialise la carte et son certificat.\n",
        encoding="utf-8",
    )
    added = check()
    assert "faq/lspki/code-puk/" in added.lists and added.analysed == 1
    assert any("faq/lspki/code-puk/" in [link.url for link in links] for links in added.lists.values())
    (kb / "faq/lspki/code-pin-bloque.md").unlink()
    removed = check()
    assert "faq/lspki/code-pin-bloque/" not in removed.lists and removed.analysed == 0
    assert all(
        "faq/lspki/code-pin-bloque/" not in [link.url for link in links] for links in removed.lists.values()
    )
    renamed = kb / "faq/pastell/nouveau-role-absent-de-la-liste.md"
    renamed.write_text(
        renamed.read_text(encoding="utf-8").replace("Le nouveau rôle créé", "Le rôle tout juste créé", 1),
        encoding="utf-8",
    )
    retitled = check()
    shown = {
        link.title
        for links in retitled.lists.values()
        for link in links
        if link.url == "faq/pastell/nouveau-role-absent-de-la-liste/"
    }
    assert shown == {"Le rôle tout juste créé n'apparaît pas dans la liste, que faire ?"}


def test_random_edits_equal_clean_runs(demo: KnowledgeBase, tmp_path: Path) -> None:
    """Edits of every kind, one after another: each incremental run gives the lists a clean
    run gives. Exact, not close: the same numbers are compared in the same order."""
    rng = random.Random(20261126)
    documents = documents_from_kb(demo)
    words = " ".join(d.body for d in documents).split()
    cache = tmp_path / "cache"
    update_related(documents, cache)
    kinds = []
    for round_number in range(12):
        kind = ("edit", "add", "remove", "retitle", "product")[round_number % 5]
        kinds.append(kind)
        position = rng.randrange(len(documents))
        d = documents[position]
        if kind == "edit":
            body = d.body + " " + " ".join(rng.choice(words) for _ in range(rng.randint(3, 40)))
            documents[position] = make_document(d.url, d.title, d.products, d.type, d.line, body, d.keywords)
        elif kind == "retitle":
            title = f"{d.title} {rng.choice(words)}"
            documents[position] = make_document(d.url, title, d.products, d.type, d.line, d.body, d.keywords)
        elif kind == "product":
            products = ("webdelib",) if d.products != ("webdelib",) else ("pastell",)
            documents[position] = make_document(d.url, d.title, products, d.type, d.line, d.body, d.keywords)
        elif kind == "remove":
            del documents[position]
        else:
            body = " ".join(rng.choice(words) for _ in range(rng.randint(20, 200)))
            title = f"Nouvel article {rng.choice(words)}"
            documents.append(
                make_document(f"faq/x/nouveau-{round_number}/", title, d.products, "faq", None, body)
            )
        update = update_related(documents, cache)
        assert not update.full
        assert urls(update) == urls(clean(documents, tmp_path)), (round_number, kind)
    assert set(kinds) == {"edit", "add", "remove", "retitle", "product"}


def test_a_damaged_cache_is_recomputed(demo: KnowledgeBase, tmp_path: Path) -> None:
    first = update_related(page_sources(demo), tmp_path)
    (tmp_path / "related/lists.json").write_text("{", encoding="utf-8")
    state = tmp_path / "related/state.json"
    state.write_text(json.dumps({"version": related_module.RELATED_VERSION, "pages": 3}), encoding="utf-8")
    again = update_related(page_sources(demo), tmp_path)
    assert again.full and again.lists == first.lists
