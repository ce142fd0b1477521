"""The whoosh queries of the search: one word in any text field, the words of a query as slots
(each with its synonyms and abbreviations, ``Expansion``), the strict-to-lenient cascade, and
the spelling helpers behind « Vouliez-vous dire ».

A product is chosen by ``--produit`` (or the endpoint's ``produit``), resolved by
``product_from_text``; without one, a product's name or declared alias typed in the query
(``product_words.filter_words``: never its code, a stop word or a common word) makes the search
one within that product, as the browser search does (``product_words.understand``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh.codec.base import Automata
from whoosh.reading import SegmentReader

from ..model.words import fold

if TYPE_CHECKING:
    from ..model.kb import Product

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


SYNONYM_BOOST = 0.8  # a synonym or an abbreviation's expansion counts a little less than the word

Alternative = tuple[str, ...]  # stems that must all match: one word, or the words of a phrase


@dataclass(frozen=True)
class Slot:
    """One word of the query (or one phrase of ``kb/synonymes.yml`` found in it), with the
    alternatives that match it: first what the user typed, then its synonyms or expansion."""

    alternatives: tuple[Alternative, ...]
    word: str | None = None  # the folded word typed, when the slot is one word (corrections)


class Expansion:
    """The synonyms and abbreviations as stems (``terms``: the index's analysis of a text):
    a word of a group matches any word of its group, an abbreviation matches itself or its
    expansion (all its words). Entries of several words are found as consecutive words."""

    def __init__(
        self,
        groups: Iterable[Iterable[str]],
        abbreviations: dict[str, str],
        terms: Callable[[str], list[str]],
    ) -> None:
        self.single: dict[str, list[Alternative]] = {}
        self.phrases: dict[Alternative, list[Alternative]] = {}
        for group in groups:
            forms = list(dict.fromkeys(tuple(terms(word)) for word in group))
            forms = [form for form in forms if form]
            for form in forms:
                self._add(form, [other for other in forms if other != form])
        for abbreviation, expansion in abbreviations.items():
            form, developed = tuple(terms(abbreviation)), tuple(terms(expansion))
            if form and developed and developed != form:
                self._add(form, [developed])
        # Longest phrases first: « mise à jour » before a two-word phrase inside it.
        self._phrases = sorted(self.phrases.items(), key=lambda item: -len(item[0]))

    @classmethod
    def from_json(cls, data: Any, terms: Callable[[str], list[str]]) -> Expansion:
        """From ``portail-synonymes.json`` (``synonyms.synonyms_json``); empty for anything else."""
        if not isinstance(data, dict):
            return cls((), {}, terms)
        groups = [
            [word for word in group if isinstance(word, str)]
            for group in data.get("groupes") or ()
            if isinstance(group, list)
        ]
        abbreviations = data.get("abreviations")
        if not isinstance(abbreviations, dict):
            abbreviations = {}
        return cls(
            groups,
            {k: v for k, v in abbreviations.items() if isinstance(k, str) and isinstance(v, str)},
            terms,
        )

    def _add(self, form: Alternative, others: list[Alternative]) -> None:
        if not others:
            return
        target = self.single.setdefault(form[0], []) if len(form) == 1 else self.phrases.setdefault(form, [])
        target.extend(other for other in others if other not in target)

    def slots(self, words: dict[str, str]) -> list[Slot]:
        """The slots of a query's words (stem -> folded word, in order)."""
        stems = list(words)
        slots: list[Slot] = []
        position = 0
        while position < len(stems):
            for phrase, others in self._phrases:
                if tuple(stems[position : position + len(phrase)]) == phrase:
                    slots.append(Slot((phrase, *others)))
                    position += len(phrase)
                    break
            else:
                word_stem = stems[position]
                slots.append(Slot(((word_stem,), *self.single.get(word_stem, ())), words[word_stem]))
                position += 1
        return slots


def alternative_query(alternative: Alternative, boost: float = 1.0) -> Any:
    """One alternative of a slot: its word in any text field, or all the words of its phrase."""
    if len(alternative) == 1:
        return term_query(alternative[0], boost)
    return wq.And([term_query(term) for term in alternative], boost=boost)


def slot_query(slot: Slot) -> Any:
    """Any alternative of the slot; the first (what was typed) counts fully."""
    if len(slot.alternatives) == 1:
        return alternative_query(slot.alternatives[0])
    return wq.Or(
        [
            alternative_query(alternative, 1.0 if number == 0 else SYNONYM_BOOST)
            for number, alternative in enumerate(slot.alternatives)
        ]
    )


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
