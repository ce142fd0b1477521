"""The search's fast paths give what whoosh gives: documents and scores to the bit
(``search_engine``), excerpts (``search_excerpts``), closest words (``search_query``), and
whoosh imported without ``urllib.request``, ``asyncio`` and ``morph_en`` (``search_startup``)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from whoosh import highlight
from whoosh import query as wq

from conftest import NOW, ROOT
from portail.checks.analyse import analyse
from portail.model.words import TOKEN_RE, fold, folded_pieces, index_terms, stem, token_pieces
from portail.search.analysis import highlight_tokens
from portail.search.engine import QueryEngine, ScoreCache
from portail.search.excerpts import FORMATTER, excerpt, lead
from portail.search.index import SearchIndex, documents_from_kb, make_document
from portail.search.query import cascade, closest_words, correctable, is_known, term_query

QUERIES = [
    q["query"] for q in yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text("utf-8"))
]
MORE = ["certificat", "certifcat expire", "mot de passe", "signature électronique parapheur", "acte"]
MORE += ["connexion refusée certificat valide navigateur", "helios flux budget code refusé préfecture"]


@pytest.fixture(scope="module")
def documents() -> list[Any]:
    return documents_from_kb(analyse(ROOT / "kb", ROOT, now=NOW).kb)


@pytest.fixture(scope="module")
def demo(documents: list[Any], tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("demo") / "index")
    index.update(documents)
    return index


@pytest.fixture(scope="module")
def segments(documents: list[Any], tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The demo in several segments, with deleted documents (pages changed and removed)."""
    index = SearchIndex(tmp_path_factory.mktemp("segments") / "index")
    index.update(documents)
    changed = [
        replace(d, body=d.body + " certificat expiré", content_hash=d.content_hash + "x")
        for d in documents[::7]
    ]
    index.update([*changed, *documents[1::2]])
    index.update([*changed, *documents[1::2], *documents[::5]])
    return index


@pytest.fixture(scope="module")
def large(documents: list[Any], tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """Over 5,000 documents in one segment: whoosh then builds other matcher trees."""
    rng = random.Random(3)
    words = sorted({w for d in documents for w in d.body.split() if w.isalpha()})
    pages = [
        make_document(
            f"x/{n}/",
            " ".join(rng.sample(words, 3)),
            ["pastell"],
            "faq",
            None,
            " ".join(rng.sample(words, 12)),
        )
        for n in range(5001 - len(documents))
    ]
    index = SearchIndex(tmp_path_factory.mktemp("large") / "index")
    index.update([*documents, *pages])
    return index


class _NoSearch:
    """A searcher whose ``search`` fails: the engine must not hand a query back to whoosh."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher

    def __getattr__(self, name: str) -> Any:
        if name == "search":
            raise AssertionError("the engine left a query to whoosh")
        return getattr(self._searcher, name)


def _queries(index: SearchIndex, reader: Any, texts: list[str]) -> list[Any]:
    """Every query a search makes for ``texts``: the cascade (with corrections, and pairs of
    alternatives), and the correction's « together » queries."""
    rng = random.Random(5)
    made = []
    for text in texts:
        words = index._words(text)
        if not words:
            continue
        groups = []
        for word_stem, word in words.items():
            group = [word_stem]
            if correctable(word) and not is_known(reader, word_stem):
                group += [stem(c) for c in closest_words(reader, word)[:1]]
            elif rng.random() < 0.3 and len(word) > 4:
                group.append(stem(word[:-2]))
            groups.append(group)
        made += list(cascade(groups))
        known = [term_query(s) for s in words if is_known(reader, s)]
        if known:
            made.append(wq.And([*known, term_query(stem(rng.choice(list(words.values()))))]))
    return made


@pytest.mark.parametrize("name", ["demo", "segments", "large"])
def test_engine_gives_whooshs_documents_and_scores(name: str, request: pytest.FixtureRequest) -> None:
    index: SearchIndex = request.getfixturevalue(name)
    texts = QUERIES + MORE
    if name == "large":
        texts = texts[::3] + MORE
    with index._searcher() as searcher:
        engine = QueryEngine(_NoSearch(searcher), ScoreCache(), "test")
        queries = _queries(index, searcher.reader(), texts)
        assert len(queries) > 2 * len(texts)
        for query in queries:
            engine.new_search()
            assert engine.scores(query) == dict(searcher.search(query, limit=None).items()), query
        if name == "segments":
            assert len(searcher.leaf_searchers()) > 1 and searcher.reader().has_deletions()


def test_engine_keeps_term_queries_in_a_bounded_cache(demo: SearchIndex) -> None:
    cache = ScoreCache(capacity=300)
    with demo._searcher() as searcher:
        engine = QueryEngine(searcher, cache, "test")
        for word in ("certificat", "signatur", "acte", "parapheur", "connexion", "certificat"):
            engine.new_search()
            assert engine.scores(term_query(word)) == dict(
                searcher.search(term_query(word), limit=None).items()
            )
            assert 0 < cache._size <= 300
    cache.put("other", "key", {1: 1.0})  # another state of the index: a new cache
    assert cache._size == 1 and cache.get("test", "key") is None and cache.get("other", "key") == {1: 1.0}


def test_type_and_product_documents_are_whooshs(segments: SearchIndex) -> None:
    with segments._searcher() as searcher:
        engine = QueryEngine(searcher, ScoreCache(), "test")
        for kind in ("faq", "release", "documentation", "information", "nothing"):
            assert engine.term_docs("type", kind) == set(searcher.docs_for_query(wq.Term("type", kind)))
        reader = searcher.reader()
        for slug in reader.lexicon("products"):
            assert engine.term_docs("products", slug) == set(reader.postings("products", slug).all_ids())


def _whoosh_excerpt(body: str, terms: frozenset[str]) -> str:
    fragmenter = highlight.ContextFragmenter(maxchars=160, surround=50, charlimit=None)
    found = highlight.highlight(body, terms, highlight_tokens, fragmenter, FORMATTER, top=2, mode="index")
    return found or lead(body)


def test_excerpts_are_whooshs(documents: list[Any]) -> None:
    rng = random.Random(8)
    for document in documents:
        body = document.body
        words = index_terms(body) or ["x"]
        for size in (1, 2, 4):
            terms = frozenset(rng.sample(words, min(size, len(words))))
            assert excerpt(body, terms) == _whoosh_excerpt(body, terms), (document.url, terms)
    parts = [
        "certificat",
        "i-Parapheur",
        "parapheur.conf",
        "SIGN-EXT-001",
        "4.7.11",
        "les",
        "de",
        "Pré-requis",
    ]
    parts += [
        "x" * 70,
        "y" * 55 + "-" + "z" * 55,
        "œuvre",
        "s²low",
        "...",
        " --- ",
        "\n\n",
        "l'acte",
        "a.b",
        "-x",
    ]
    for _ in range(3000):
        body = "".join(
            rng.choice(parts) + rng.choice([" ", "", "  ", ". ", "-", ",\n"])
            for _ in range(rng.randint(0, 90))
        )
        words = index_terms(body) + ["zz"]
        terms = frozenset(rng.sample(words, min(len(words), rng.randint(1, 4))))
        assert excerpt(body, terms) == _whoosh_excerpt(body, terms), (body, terms)


def test_a_stemmed_word_starts_as_the_word_does(documents: list[Any]) -> None:
    """What the excerpts rely on to stem only the words that may match."""
    words = {w for d in documents for w in TOKEN_RE.findall(f"{d.title} {d.body}")}
    rng = random.Random(5)
    suffixes = [
        "",
        "s",
        "es",
        "ees",
        "ement",
        "ations",
        "logie",
        "usion",
        "ence",
        "amment",
        "emment",
        "euse",
        "aux",
    ]
    suffixes += ["eaux", "iere", "ion", "ive", "eus", "ique", "issement", "y", "qu", "yeux", "ier", "abl"]
    words |= {
        "".join(rng.choice("abcdefghijlmnopqrstuvyaeiou") for _ in range(rng.randint(0, 7)))
        + rng.choice(suffixes)
        for _ in range(20000)
    }
    for word in words:
        for (text, *_), (folded, *_) in zip(token_pieces(word), folded_pieces(word), strict=True):
            assert not text or text[0] in (folded[:1], folded[:1].lower()), (word, folded, text)


def _whoosh_closest(reader: Any, word: str, limit: int = 5) -> list[str]:
    for maxdist in (1, 2):
        if maxdist == 2 and len(word) < 6:
            break
        frequencies: dict[str, int] = {}
        for leaf, _offset in reader.leaf_readers():
            for field in ("title", "body"):
                spelling = leaf.schema[field].spelling_fieldname(field)
                for candidate in leaf.terms_within(field, word, maxdist, prefix=1):
                    if candidate != word:
                        frequencies[candidate] = frequencies.get(candidate, 0) + leaf.doc_frequency(
                            spelling, candidate
                        )
        if frequencies:
            return sorted(frequencies, key=lambda c: (-frequencies[c], abs(len(c) - len(word)), c))[:limit]
    return []


def test_closest_words_are_whooshs(segments: SearchIndex) -> None:
    rng = random.Random(2)
    with segments._searcher() as searcher:
        reader = searcher.reader()
        vocabulary = [fold(w.lower()) for w in TOKEN_RE.findall(" ".join(QUERIES)) if len(w) > 3]
        typos = [
            "certifcat",
            "parapheru",
            "telettransmision",
            "protocolewebservice",
            "convocatin",
            "x",
            "zzzz",
        ]
        for word in rng.sample(vocabulary, 60):
            cut = rng.randrange(len(word))
            typos += [word[:cut] + word[cut + 1 :], word[:cut] + "e" + word[cut:], word + "zz"]
        for typo in typos:
            assert closest_words(reader, typo) == _whoosh_closest(reader, typo), typo


PROBE = """
import json, sys
from portail.search.startup import light_whoosh
light_whoosh()
from portail.search.index import SearchIndex
index = SearchIndex(__import__("pathlib").Path(sys.argv[1]))
hits = [hit.url for hit in index.search("certificat expiré").hits]
light = sorted(m for m in ("asyncio", "urllib.request", "http.client", "email", "whoosh.lang.morph_en") if m in sys.modules)
from whoosh.query import terms
variations = sorted(terms.variations("rendering"))[:2]
import asyncio, urllib.request, cached_property, whoosh.compat
async def coroutine(): pass
print(json.dumps({"hits": hits, "loaded": light, "real": asyncio.get_event_loop_policy is not None,
    "urlretrieve": whoosh.compat.urlretrieve.__name__, "same": urllib.request.urlretrieve.__module__,
    "coroutine": [cached_property.asyncio.iscoroutinefunction(f) for f in (coroutine, len, print)],
    "variations": variations}))
"""


def test_whoosh_is_imported_without_the_modules_it_does_not_use(demo: SearchIndex) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(demo.directory)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["hits"] == [hit.url for hit in demo.search("certificat expiré").hits] and result["hits"]
    assert result["loaded"] == []  # not until asked for, then the real modules
    assert result["real"] and result["same"] == "urllib.request" and result["urlretrieve"] == "_urlretrieve"
    assert result["coroutine"] == [True, False, False] and result["variations"] == ["render", "rendering"]


def test_cached_scores_follow_the_index(documents: list[Any], tmp_path: Path) -> None:
    """A search after an update (another commit) answers from the new index, never from the
    scores cached for the previous one."""
    index = SearchIndex(tmp_path / "index")
    index.update(documents)
    before = index.search("certificat expiré", limit=50)
    holding = [d for d in documents if d.url in {hit.url for hit in before.hits[:3]}]
    kept = [d for d in documents if d not in holding]
    index.update(kept)
    after = index.search("certificat expiré", limit=50)
    fresh = SearchIndex(tmp_path / "index").search("certificat expiré", limit=50)
    assert after == fresh and after.total == before.total - len(holding)
    assert not {hit.url for hit in after.hits} & {d.url for d in holding}
