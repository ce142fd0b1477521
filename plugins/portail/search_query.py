"""The whoosh queries of the search: one word in any text field, the strict-to-lenient cascade,
and the spelling helpers behind « Vouliez-vous dire »."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh.codec.base import Automata
from whoosh.reading import SegmentReader

from .search_words import fold

if TYPE_CHECKING:
    from .model import Product

MAX_QUERY_LENGTH = 200
EMPTY_QUERY_MESSAGE = "la recherche est vide : indiquez au moins un mot à chercher"


def normalize_query(text: str) -> str:
    """The query as searched: whitespace collapsed, at most ``MAX_QUERY_LENGTH`` characters.
    Raises ``ValueError`` (French message) when nothing is left."""
    collapsed = " ".join(str(text).split())
    if not collapsed:
        raise ValueError(EMPTY_QUERY_MESSAGE)
    return collapsed[:MAX_QUERY_LENGTH].rstrip()


def product_from_text(text: str, kb_products: Iterable[Product]) -> str | None:
    """The slug of the product a user named by slug, name, code or alias (« S²LOW », « SL »,
    « s2low », « parapheur »), case and accents ignored; None when none matches."""
    wanted = fold(" ".join(text.split())).casefold()
    if not wanted:
        return None
    for product in kb_products:
        names = (product.slug, product.name, product.code, *product.aliases)
        if any(fold(name).casefold() == wanted for name in names):
            return product.slug
    return None


def found_count(ranked: Collection[int], by_product: dict[str, set[int]], product: str | None) -> int:
    """Matches so far: those of the product when the search is limited to one."""
    return len(by_product.get(product, ())) if product else len(ranked)


def term_query(term: str, boost: float = 1.0) -> Any:
    """One word in any of the text fields."""
    return wq.Or(
        [wq.Term("title", term), wq.Term("about", term), wq.Term("body", term)],
        boost=boost,
    )


def cascade(alternatives: Sequence[Sequence[str]]) -> Iterator[Any]:
    """Three queries, strict to lenient: every word, all words but one (three to eight words),
    any word. Each word is a group of alternative stems (the word and its correction)."""
    words = [
        term_query(group[0]) if len(group) == 1 else wq.Or([term_query(term) for term in group])
        for group in alternatives
    ]
    if len(words) == 1:
        yield words[0]
        return
    yield wq.And(words)
    yield (
        wq.Or([wq.And(words[:i] + words[i + 1 :]) for i in range(len(words))])
        if 3 <= len(words) <= 8
        else wq.NullQuery
    )
    yield wq.Or(words, scale=0.9)


def correctable(word: str) -> bool:
    """Worth a « Vouliez-vous dire »: short words and codes are too often right as typed."""
    return len(word) >= 4 and not any(c.isdigit() for c in word)


def is_known(reader: Any, term: str) -> bool:
    """Whether an indexed term is in any text field."""
    return any((field, term) in reader for field in ("title", "about", "body"))


def closest_words(reader: Any, word: str, limit: int = 5) -> list[str]:
    """Indexed words (title and body, unstemmed) closest to ``word``: the smallest edit distance
    found, most frequent first."""
    for maxdist in (1, 2):
        if maxdist == 2 and len(word) < 6:
            break
        frequencies: dict[str, int] = {}
        automaton: list[Any] = []  # built on first use, then shared by the fields and segments
        for leaf, _offset in reader.leaf_readers():
            for field in ("title", "body"):
                spelling = leaf.schema[field].spelling_fieldname(field)
                for candidate in _terms_within(leaf, field, word, maxdist, automaton):
                    if candidate != word:
                        frequencies[candidate] = frequencies.get(candidate, 0) + leaf.doc_frequency(
                            spelling, candidate
                        )
        if frequencies:
            ranked = sorted(frequencies, key=lambda c: (-frequencies[c], abs(len(c) - len(word)), c))
            return ranked[:limit]
    return []


def _terms_within(leaf: Any, field: str, word: str, maxdist: int, automaton: list[Any]) -> Iterator[str]:
    """``leaf.terms_within(field, word, maxdist, prefix=1)`` with the Levenshtein automaton made
    once (in ``automaton``): turning it into a DFA was most of the time, twice per distance."""
    if (
        type(leaf) is not SegmentReader
        or type(leaf._codec.automata(leaf._storage, leaf._segment)) is not Automata
    ):
        yield from leaf.terms_within(field, word, maxdist, prefix=1)
        return
    if not automaton:
        automaton.append(Automata.levenshtein_dfa(word, maxdist, 1))
    cursor = leaf.cursor(leaf.schema[field].spelling_fieldname(field))
    yield from Automata.find_matches(automaton[0], cursor)
