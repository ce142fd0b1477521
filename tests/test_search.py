"""The whoosh search of the command line and the endpoint (portail.search.index), on the bundled demo:
French analysis, ranking, filters and counts, escaped excerpts, « Vouliez-vous dire »,
incremental updates, hostile input, `portail search` through a real subprocess, and recall@5
over tests/search_queries.yml (run with -s to see the figure, the misses and the timings)."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ENV, NOW, ROOT, copy_project, run
from portail.checks.analyse import analyse
from portail.model.kb import KnowledgeBase
from portail.model.words import index_terms, term_counts
from portail.search import index as search
from portail.search.analysis import french_analyzer, highlight_tokens
from portail.search.documents import PageSource, page_sources
from portail.search.index import (
    MAX_QUERY_LENGTH,
    SearchIndex,
    SearchResults,
    UpdateStats,
    documents_from_kb,
    make_document,
    product_from_text,
)

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
CLASSES = (
    "accents",
    "fautes",
    "synonymes",
    "abreviations",
    "phrases longues",
    "alias produit",
    "messages d'erreur",
)
HOSTILE = [
    '"',
    "*",
    ":",
    "(",
    ")",
    "((certificat",
    '"mot de passe',
    "title:certificat",
    "certificat AND NOT OR",
    "certif*",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "certificat <b>expiré</b> &amp; &lt;",
    "'; DROP TABLE pages; --",
    "\x00\x01 certificat",
    "💥 s²low ™ ﬁ",
    "%s {0} ${x}",
    "x" * 5000,
    "certificat " * 500,
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return analyse(ROOT / "kb", ROOT, now=NOW).kb


@pytest.fixture(scope="module")
def index(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    documents = documents_from_kb(kb)
    index = SearchIndex(tmp_path_factory.mktemp("search") / "index")
    started = time.perf_counter()
    stats = index.update(documents, synonyms=kb.synonyms)  # as `portail search` does
    elapsed = time.perf_counter() - started
    print(f"\nindex built: {len(documents)} pages in {elapsed:.2f} s")
    assert stats == UpdateStats(added=len(documents), changed=0, removed=0, rebuilt=True)
    return index


def urls(results: SearchResults) -> list[str]:
    return [hit.url for hit in results.hits]


def mark_free(excerpt: str) -> str:
    return excerpt.replace("<mark>", "").replace("</mark>", "")


# -- documents -----------------------------------------------------------------------------------


def test_every_page_kind_becomes_a_document(kb: KnowledgeBase) -> None:
    documents = {d.url: d for d in documents_from_kb(kb)}
    article = documents["faq/pastell/nouveau-role-absent-de-la-liste/"]
    assert article.type == "faq" and article.products == ("pastell",) and article.line is None
    assert "**" not in article.body and "Administration > Rôles" in article.body
    assert "Pastell" in article.keywords and "pastel" in article.keywords  # name and alias

    release = documents["release-notes/iparapheur/4.7.11/"]
    assert release.title == "Notes de version i-Parapheur 4.7.11"
    assert release.type == "release" and release.line == "4.7"
    assert "Corrections" in release.body and "premier visa" in release.body  # intro + sections
    assert "release-notes/s2low/4.3.11/" not in documents  # unpublished

    manual = documents["documentation/pastell/4.1/manuel-exploitation/"]
    assert manual.type == "documentation" and manual.line == "4.1"
    attachment = documents["documentation/pastell/4.0/prerequis-installation.pdf"]
    assert attachment.title == "Pré-requis d'installation Pastell 4.0"
    assert attachment.body.startswith("Hôte Docker")  # its description

    post = documents["informations/2026-11-20-maintenance-plateforme-s2low/"]
    assert post.type == "information" and post.products == ("s2low", "pastell", "webdelib")
    assert "Fin de l'intervention" in post.body  # updates are searchable

    assert len({d.content_hash for d in documents.values()}) == len(documents)
    assert all(re.fullmatch(r"[0-9a-f]{64}", d.content_hash) for d in documents.values())


def test_content_hash_covers_every_field() -> None:
    base = dict(url="faq/x/y/", title="T", products=("x",), type="faq", line=None, body="B")
    reference = make_document(**base).content_hash
    assert make_document(**base).content_hash == reference
    for field, value in (("title", "T2"), ("products", ("z",)), ("line", "4.7"), ("body", "B2")):
        assert make_document(**{**base, field: value}).content_hash != reference
    assert make_document(**base, keywords=("alias",)).content_hash != reference


# -- French analysis -----------------------------------------------------------------------------


def test_accents_superscripts_and_case_are_folded(index: SearchIndex) -> None:
    assert index.terms("Télétransmission") == index.terms("teletransmission")
    assert index.terms("S²LOW") == index.terms("s2low") == ["s2low"]
    assert index.terms("ÉLU") == index.terms("elu")
    assert index.terms("œuvre") == index.terms("oeuvre")


def test_fast_terms_are_the_analyzer_terms(kb: KnowledgeBase) -> None:
    # « Articles liés » count terms without whoosh's token pipeline: the same terms.
    analyzer = french_analyzer()
    texts = [text for d in documents_from_kb(kb) for text in (d.title, d.body, "\n".join(d.keywords))]
    texts += ["Pré-requis i-Parapheur SIGN-EXT-001 parapheur.conf 4.7.11 s²low ŒUVRE été a-b-c x"]
    for text in texts:
        expected = [token.text for token in analyzer(text, mode="index")]
        assert index_terms(text) == expected, text[:80]
        assert term_counts(text) == Counter(expected)
        # Excerpts: every token with its offsets, stop words kept (and left unstemmed).
        options = {"chars": True, "mode": "index", "removestops": False}
        slow = [(t.text, t.startchar, t.endchar, t.stopped) for t in analyzer(text, **options)]
        fast = [(t.text, t.startchar, t.endchar, t.stopped) for t in highlight_tokens(text, **options)]
        assert fast == slow, text[:80]


def test_plurals_and_feminine_forms_share_a_stem(index: SearchIndex) -> None:
    assert index.terms("certificats") == index.terms("certificat")
    assert index.terms("connecteurs") == index.terms("connecteur")
    assert index.terms("bloquées") == index.terms("bloqué") == index.terms("bloques")
    assert index.terms("expirés") == index.terms("expiré")


def test_stop_words_are_dropped_even_without_accents(index: SearchIndex) -> None:
    assert index.terms("le certificat de la télétransmission") == index.terms("certificat télétransmission")
    assert index.terms("été") == index.terms("ete") == []
    assert index.terms("comment faire pour renouveler") == index.terms("renouveler")


def test_compound_words_match_joined_or_hyphenated(index: SearchIndex) -> None:
    # « Pré-requis » in titles, « prérequis » typed, and the reverse.
    for query in ("prérequis installation pastell", "pré-requis installation pastell"):
        assert "documentation/pastell/4.0/prerequis-installation.pdf" in urls(index.search(query))
    assert (
        urls(index.search("checklist poste"))[0] == "documentation/transverse/check-list-poste-de-travail.pdf"
    )
    # The parts of « i-Parapheur » are words of their own.
    assert index.search("parapheur").product_counts.get("iparapheur", 0) > 10


def test_unaccented_query_finds_accented_pages(index: SearchIndex) -> None:
    results = index.search("certificat expire teletransmission")
    assert urls(results)[0] == "faq/s2low/certificat-teletransmission-expire/"
    assert index.search("helios").total == index.search("Hélios").total > 0


def test_plural_query_finds_singular_title(index: SearchIndex) -> None:
    assert "faq/lspki/code-pin-bloque/" in urls(index.search("codes pin bloqués"))
    assert "faq/iparapheur/certificat-absent-liste-signature/" in urls(
        index.search("certificats signature liste")
    )


def test_products_by_name_code_or_alias(index: SearchIndex) -> None:
    totals = {query: index.search(query, limit=50) for query in ("S2LOW", "s²low", "S²LOW", "SL", "slow")}
    counts = {query: results.product_counts.get("s2low", 0) for query, results in totals.items()}
    assert min(counts.values()) >= 20, counts
    for results in totals.values():
        assert all("s2low" in hit.products for hit in results.hits[:5])
    assert "faq/s2low/numero-acte-deja-utilise/" in urls(index.search("SL numéro acte déjà utilisé"))


def test_product_from_text_resolves_names_codes_and_aliases(kb: KnowledgeBase) -> None:
    for text in ("s2low", "S²LOW", "s²low", "SL", "slow"):
        assert product_from_text(text, kb.products) == "s2low"
    assert product_from_text("i-Parapheur", kb.products) == "iparapheur"
    assert product_from_text("pastel", kb.products) == "pastell"
    assert product_from_text("webdélib", kb.products) == "webdelib"
    assert product_from_text("inconnu", kb.products) is None
    assert product_from_text("  ", kb.products) is None


# -- ranking, filters, counts --------------------------------------------------------------------


def test_title_matches_rank_first(index: SearchIndex) -> None:
    assert urls(index.search("classification"))[0] == "faq/s2low/classification-actes-pas-a-jour/"


def test_title_boost_on_a_tiny_index(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    in_body = make_document("a/", "Autre sujet", ("x",), "faq", None, "Le bordereau est signé. " * 3)
    in_title = make_document("b/", "Le bordereau", ("x",), "faq", None, "Un texte sans rapport. " * 3)
    index.update([in_body, in_title])
    assert urls(index.search("bordereau")) == ["b/", "a/"]


def test_product_filter(index: SearchIndex) -> None:
    results = index.search("certificat", product="s2low", limit=50)
    assert results.hits and all("s2low" in hit.products for hit in results.hits)
    assert results.total == results.product_counts["s2low"] == len(results.hits)
    assert "lspki" in results.product_counts  # counts ignore the product filter (chips)
    assert index.search("certificat", product="inexistant").total == 0


def test_type_filter(index: SearchIndex) -> None:
    for page_type in search.TYPES:
        results = index.search("certificat", type=page_type, limit=50)
        assert results.hits, page_type
        assert {hit.type for hit in results.hits} == {page_type}
    releases = index.search("certificat", type="release", limit=50)
    assert releases.total < index.search("certificat", limit=50).total
    assert sum(releases.product_counts.values()) >= releases.total
    with pytest.raises(ValueError, match="type inconnu"):
        index.search("certificat", type="blog")


def test_total_and_product_counts_cover_every_match_not_the_page(index: SearchIndex) -> None:
    one = index.search("connecteur", limit=1)
    many = index.search("connecteur", limit=50)
    assert len(one.hits) == 1 and one.total == many.total == len(many.hits) > 20
    assert one.product_counts == many.product_counts
    for slug in ("pastell", "s2low", "webdelib"):
        assert one.product_counts[slug] == sum(slug in hit.products for hit in many.hits)
    assert len(index.search("certificat", limit=50).hits) == 50 < index.search("certificat", limit=1).total
    assert list(one.product_counts.values()) == sorted(one.product_counts.values(), reverse=True)


def test_every_word_matches_first_then_most_words(index: SearchIndex) -> None:
    results = index.search("mot de passe oublié", limit=10)
    first = [hit.url for hit in results.hits[:3]]
    assert "faq/iparapheur/mot-de-passe-oublie/" in first
    assert "faq/idelibre/elu-mot-de-passe-oublie/" in first


# -- excerpts --------------------------------------------------------------------------------------


def test_excerpt_marks_matched_words(index: SearchIndex) -> None:
    hit = index.search("code pin bloqué").hits[0]
    assert hit.url == "faq/lspki/code-pin-bloque/"
    marked = re.findall(r"<mark>(.*?)</mark>", hit.excerpt)
    assert {word.lower() for word in marked} >= {"code", "pin", "bloqué"}


def test_excerpt_escapes_the_page_text(index: SearchIndex) -> None:
    # The article quotes nginx's HTML error page in a code block.
    results = index.search("No required SSL certificate was sent nginx")
    hit = next(h for h in results.hits if h.url == "faq/iparapheur/webservices-erreur-400-certificat-client/")
    assert "<mark>" in hit.excerpt
    assert "<" not in mark_free(hit.excerpt) and ">" not in mark_free(hit.excerpt)
    page = index.search("html head title center", limit=20)
    for hit in page.hits:
        assert "<" not in mark_free(hit.excerpt), hit.excerpt


# -- « Vouliez-vous dire » ----------------------------------------------------------------------------


def test_misspelling_gets_a_suggestion_and_results(index: SearchIndex) -> None:
    results = index.search("certficat")
    assert results.suggestion == "certificat"
    assert results.hits and results.hits[0].excerpt.count("<mark>") >= 1
    typo = index.search("mot de pase oublié idelibre")
    assert typo.suggestion == "mot de passe oublié idelibre"
    assert urls(typo)[0] == "faq/idelibre/elu-mot-de-passe-oublie/"


def test_no_suggestion_for_correct_or_hopeless_queries(index: SearchIndex) -> None:
    assert index.search("certificat expiré").suggestion is None
    assert index.search("xqzwv").suggestion is None
    assert index.search("xqzwv").total == 0


# -- bad and hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_is_refused_with_a_french_message(index: SearchIndex, query: str) -> None:
    with pytest.raises(ValueError, match="vide"):
        index.search(query)


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_never_crashes_nor_reaches_output_unescaped(index: SearchIndex, query: str) -> None:
    results = index.search(query, limit=10)
    assert len(results.query) <= MAX_QUERY_LENGTH
    for hit in results.hits:
        assert "<" not in mark_free(hit.excerpt) and ">" not in mark_free(hit.excerpt)
        assert "<script" not in hit.excerpt.lower()


def test_long_query_is_truncated(index: SearchIndex) -> None:
    results = index.search("certificat " + "x" * 5000)
    assert len(results.query) == MAX_QUERY_LENGTH
    assert results.total > 0


def test_search_before_any_update_finds_nothing(tmp_path: Path) -> None:
    empty = SearchIndex(tmp_path / "nothing-yet")
    assert empty.search("certificat").total == 0


# -- incremental update --------------------------------------------------------------------------


def test_update_is_incremental(tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb_dir)
    index = SearchIndex(tmp_path / "index")

    def update() -> UpdateStats:
        return index.update(documents_from_kb(analyse(kb_dir, tmp_path, now=NOW).kb))

    first = update()
    assert first.rebuilt and first.added > 100
    assert update() == UpdateStats(added=0, changed=0, removed=0, rebuilt=False)

    article = kb_dir / "faq/pastell/nouveau-role-absent-de-la-liste.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nLe mot zorglubification est propre à ce test.\n",
        encoding="utf-8",
    )
    assert update() == UpdateStats(added=0, changed=1, removed=0, rebuilt=False)
    assert urls(index.search("zorglubification")) == ["faq/pastell/nouveau-role-absent-de-la-liste/"]

    (kb_dir / "faq/lspki/code-pin-bloque.md").unlink()
    assert update() == UpdateStats(added=0, changed=0, removed=1, rebuilt=False)
    assert "faq/lspki/code-pin-bloque/" not in urls(index.search("code pin bloqué", limit=50))

    (kb_dir / "faq/lspki/code-puk.md").write_text(
        "---\ntitle: Où trouver le code PUK ?\ntags: [PUK]\nupdated: 2026-01-01\n---\n\nDans le pli.\n",
        encoding="utf-8",
    )
    assert update() == UpdateStats(added=1, changed=0, removed=0, rebuilt=False)
    assert urls(index.search("code puk"))[0] == "faq/lspki/code-puk/"
    assert update() == UpdateStats(added=0, changed=0, removed=0, rebuilt=False)


def test_update_makes_text_of_added_and_changed_pages_only(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path / "index")
    sources = page_sources(kb)
    assert index.update(sources).rebuilt
    made: list[str] = []
    real = PageSource.document

    def counted(self: PageSource) -> search.SearchDocument:
        made.append(self.url)
        return real(self)

    monkeypatch.setattr(PageSource, "document", counted)
    assert index.update(page_sources(kb)) == UpdateStats(added=0, changed=0, removed=0, rebuilt=False)
    assert made == []
    url = "faq/lspki/code-pin-bloque/"
    edited = [
        replace(s, text=s.text + "\n\nLe mot zorglubification.") if s.url == url else s for s in sources
    ]
    assert index.update(edited) == UpdateStats(added=0, changed=1, removed=0, rebuilt=False)
    assert made == [url] and urls(index.search("zorglubification")) == [url]


def test_new_analysis_version_rebuilds(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = documents_from_kb(kb)
    index = SearchIndex(tmp_path / "index")
    assert index.update(documents).rebuilt
    assert not index.update(documents).rebuilt
    monkeypatch.setattr(search, "ANALYSIS_VERSION", search.ANALYSIS_VERSION + 1)
    assert index.update(documents) == UpdateStats(added=len(documents), changed=0, removed=0, rebuilt=True)
    assert not index.update(documents).rebuilt
    assert index.search("certificat").total > 0  # the same object reads the rebuilt index


def test_unreadable_index_is_rebuilt(kb: KnowledgeBase, tmp_path: Path) -> None:
    documents = documents_from_kb(kb)
    directory = tmp_path / "index"
    index = SearchIndex(directory)
    index.update(documents)
    for toc in directory.glob("_MAIN_*.toc"):
        toc.write_bytes(b"not an index")
    assert SearchIndex(directory).update(documents).rebuilt


# -- recall ----------------------------------------------------------------------------------------


def test_query_set_is_well_formed(kb: KnowledgeBase) -> None:
    known = {d.url for d in documents_from_kb(kb)}
    slugs = {p.slug for p in kb.products}
    assert len(QUERIES) >= 32
    for entry in QUERIES:
        assert set(entry) <= {"query", "expected", "produit", "classe"}, entry
        assert entry.get("classe", CLASSES[0]) in CLASSES, entry
        assert entry["expected"] in known, entry
        assert entry.get("produit", "s2low") in slugs, entry
    with_faq = {a.product for a in kb.articles}
    covered = {entry["expected"].split("/")[1] for entry in QUERIES if entry["expected"].startswith("faq/")}
    assert with_faq <= covered
    assert any(e["expected"].startswith("release-notes/") for e in QUERIES)
    assert any(e["expected"].startswith("documentation/") for e in QUERIES)
    per_class = Counter(entry.get("classe") for entry in QUERIES)
    assert all(per_class[name] >= 5 for name in CLASSES), per_class


def test_recall_at_5(index: SearchIndex) -> None:
    misses = []
    timings = []
    found: dict[str, list[bool]] = {}
    for entry in QUERIES:
        started = time.perf_counter()
        results = index.search(entry["query"], product=entry.get("produit"), limit=5)
        timings.append(time.perf_counter() - started)
        hit = entry["expected"] in urls(results)
        found.setdefault(entry.get("classe", "(sans classe)"), []).append(hit)
        if not hit:
            misses.append((entry["query"], entry["expected"], urls(results)))
    recall = 1 - len(misses) / len(QUERIES)
    print(f"\ncommand-line search (whoosh) recall@5: {recall:.3f} over {len(QUERIES)} queries")
    for name, hits in found.items():
        print(f"  {name}: {sum(hits) / len(hits):.2f} ({sum(hits)}/{len(hits)})")
    for query, expected, got in misses:
        print(f"  miss: {query!r} -> expected {expected}, got {got}")
    print(
        f"query time: median {statistics.median(timings) * 1000:.1f} ms, "
        f"max {max(timings) * 1000:.1f} ms over {len(timings)} queries"
    )
    assert recall >= 0.95
    for name, hits in found.items():
        assert sum(hits) / len(hits) >= 0.8, (name, misses)


# -- synonyms, merged levels, descriptions (issue 14) ------------------------------------------------


def test_synonyms_and_abbreviations_expand_the_query(index: SearchIndex) -> None:
    assert "faq/iparapheur/mot-de-passe-oublie/" in urls(index.search("mdp perdu parapheur"))
    ar = index.search("pas d'AR de la préfecture")
    assert "faq/s2low/acte-reste-a-l-etat-transmis/" in urls(ar)
    assert "accusé" in ar.hits[0].excerpt.lower() or "<mark>AR" in ar.hits[0].excerpt
    # One direction only: the expansion does not find pages for the abbreviation's sake.
    assert index.search("échéance").total == index.search("expiration").total > 0
    # A phrase of a group is found as a phrase.
    assert "faq/transverse/affichage-incoherent-apres-mise-a-jour/" in urls(index.search("écran blanc"))


def test_synonyms_are_kept_next_to_the_index(kb: KnowledgeBase, tmp_path: Path) -> None:
    from portail.model.synonyms import Synonyms

    index = SearchIndex(tmp_path / "index")
    index.update(documents_from_kb(kb))  # no synonyms given: none kept
    assert index.search("mdp").total == 0
    index.update(documents_from_kb(kb), synonyms=kb.synonyms)
    data = json.loads((tmp_path / "index" / search.SYNONYMS_FILE).read_text(encoding="utf-8"))
    assert data["abreviations"]["mdp"] == "mot de passe" and ["perdu", "oublie"] in data["groupes"]
    assert index.search("mdp").total > 0
    stamp = (tmp_path / "index" / search.SYNONYMS_FILE).stat().st_mtime_ns
    index.update(documents_from_kb(kb), synonyms=kb.synonyms)  # unchanged: not rewritten
    assert (tmp_path / "index" / search.SYNONYMS_FILE).stat().st_mtime_ns == stamp
    index.update(documents_from_kb(kb), synonyms=Synonyms())
    assert index.search("mdp").total == 0  # the same object sees the new file


def test_long_question_falls_back_to_most_then_any_word(index: SearchIndex) -> None:
    question = (
        "bonjour, nos actes restent à l'état transmis depuis hier soir et la préfecture ne "
        "nous renvoie rien du tout, est-ce normal ?"
    )
    results = index.search(question, limit=5)
    assert "faq/s2low/acte-reste-a-l-etat-transmis/" in urls(results)
    assert len(results.hits) == 5  # any-word matches fill the page after the best ones
    assert results.total > 5


def test_query_words_never_become_product_filters(index: SearchIndex) -> None:
    # « part » is Partenaires' code and « autres » an alias of the transverse documentation:
    # in a query they are words, never a filter.
    results = index.search("certificat autres", limit=50)
    assert len(results.product_counts) > 2
    assert len(index.search("une part des actes", limit=50).product_counts) > 1


def test_document_description_is_searched(tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb_dir)
    manual = kb_dir / "documentation/pastell/4.1/manuel-exploitation.md"
    text = manual.read_text(encoding="utf-8")
    manual.write_text(
        re.sub(r"^description: .*$", "description: Le mot zorglubification de la description.", text, count=1, flags=re.M),
        encoding="utf-8",
    )
    index = SearchIndex(tmp_path / "index")
    index.update(documents_from_kb(analyse(kb_dir, tmp_path, now=NOW).kb))
    assert urls(index.search("zorglubification")) == ["documentation/pastell/4.1/manuel-exploitation/"]


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("cli") / "project")


def test_cli_search_prints_hits_counts_and_builds_the_index_in_the_project(project: Path) -> None:
    result = run(["portail", "search", "certificat expiré", "--produit", "SL"], cwd=project)
    assert result.returncode == 0, result.output
    assert (project / ".portail/index").is_dir()
    output = result.output
    assert "Le certificat de télétransmission a expiré, comment le renouveler ?" in output
    assert "Article de FAQ — S²LOW" in output
    assert "faq/s2low/certificat-teletransmission-expire/" in output
    assert "«certificat»" in output and "<mark>" not in output and "&#x27;" not in output
    assert re.search(r"^\d+ résultats? \(\d+ affichés?\)\.$", output, re.MULTILINE)
    assert re.search(r"^Par produit : .*S²LOW \d+.*\.$", output, re.MULTILINE)
    # Second run: the index is up to date, nothing rebuilt.
    again = run(["portail", "search", "note de version", "--type", "release", "--limit", "3"], cwd=project)
    assert again.returncode == 0, again.output
    assert "Index de recherche construit" not in again.output
    assert again.output.count("Note de version — ") == 3


def test_cli_search_suggestion_and_no_result(project: Path) -> None:
    typo = run(["portail", "search", "certficat", "--limit", "1"], cwd=project)
    assert typo.returncode == 0 and "Vouliez-vous dire « certificat » ?" in typo.output
    nothing = run(["portail", "search", "xqzwv"], cwd=project)
    assert nothing.returncode == 1
    assert "Aucun résultat pour « xqzwv »." in nothing.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["   "], "la recherche est vide"),
        ([], 'portail search "mot de passe oublié"'),
        (
            ["certificat", "--produit", "pastel2"],
            "produit inconnu « pastel2 » (produits connus : iparapheur,",
        ),
        (["certificat", "--limit", "0"], "de 1 à 50"),
        (["certificat", "--limit", "51"], "de 1 à 50"),
        (["certificat", "--limit", "beaucoup"], "de 1 à 50"),
        (["certificat", "--type", "blog"], "type inconnu « blog »"),
        (["certificat", "--kb", "absent"], "dossier « absent » introuvable"),
    ],
)
def test_cli_search_bad_input_exits_2_with_a_french_message(
    project: Path, args: list[str], expected: str
) -> None:
    result = run(["portail", "search", *args], cwd=project)
    assert result.returncode == 2, result.output
    assert expected in result.output


def test_cli_search_json_is_pure_json_on_stdout(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")  # a fresh project: the index is built by this run
    done = subprocess.run(
        [str(BIN / "portail"), "search", "s²low", "--json", "--limit", "2", "--type", "faq"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"query", "recognised_product", "total", "product_counts", "suggestion", "hits"}
    assert data["query"] == "s²low" and data["suggestion"] is None
    assert data["total"] >= len(data["hits"]) == 2
    assert data["product_counts"]["s2low"] >= 2
    for hit in data["hits"]:
        assert {"title", "url", "products", "type", "excerpt"} <= set(hit)
        assert hit["type"] == "faq" and "s2low" in hit["products"]


def test_cli_search_index_shared_by_check(project: Path) -> None:
    # `portail check` is unaffected by the search commands.
    result = run(["portail", "check"], cwd=project)
    assert result.returncode == 0, result.output
    assert os.path.isdir(project / ".portail/index")


def test_cli_search_uses_the_synonyms_and_descriptions(project: Path) -> None:
    result = run(["portail", "search", "mdp perdu", "--produit", "iparapheur"], cwd=project)
    assert result.returncode == 0, result.output
    assert "faq/iparapheur/mot-de-passe-oublie/" in result.output
    assert (project / ".portail/index" / search.SYNONYMS_FILE).is_file()
    # A word only in a document's description (front matter).
    described = run(["portail", "search", "journaux structurés", "--limit", "3"], cwd=project)
    assert "documentation/pastell/4.1/manuel-exploitation/" in described.output
    # An edit of kb/synonymes.yml reaches the next search (the manifest sees the file change).
    synonyms = project / "kb/synonymes.yml"
    synonyms.write_text(
        synonyms.read_text(encoding="utf-8") + "  zorglub: code PIN\n", encoding="utf-8"
    )
    edited = run(["portail", "search", "zorglub bloqué", "--limit", "3"], cwd=project)
    assert "faq/lspki/code-pin-bloque/" in edited.output, edited.output
