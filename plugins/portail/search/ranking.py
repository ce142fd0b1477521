"""What a search finds and in which order: corrections of the unknown words, the strict-to-lenient
levels, the counts per product, the page of hits, and « Vouliez-vous dire ». The scores of each
word (a slot: the word, its synonyms, its correction) come from ``search_engine`` (whoosh's,
exactly); a page's score is the sum of its words' scores, as whoosh's ``And`` adds them.

The levels are merged, not tried one after the other: pages matching every word first, then
those matching most words, then those matching any word. A long question still finds the page
that answers it when no page holds all its words, or when one page holds most of them by
chance. Only the hits shown are sorted.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from whoosh import query as wq

from ..model.words import TOKEN_RE, fold, stem
from .engine import QueryEngine
from .matchers import Scores
from .query import Slot, cascade, closest_words, correctable, is_known, slot_query, term_query

MAX_CORRECTIONS = 4  # unknown words of a query looked up for a correction


@dataclass(frozen=True)
class Ranking:
    hits: list[int]  # docnums of the page of hits, best first
    total: int  # every match (with the product and type filters)
    product_counts: dict[str, int]  # matches per product slug, type filter applied, product not
    highlighted: frozenset[str]  # the stems to mark in excerpts (words, synonyms, corrections)
    corrections: dict[str, str]  # stem of an unknown word -> the indexed word it is taken for
    allowed_type: frozenset[int] | None  # the pages of the type filter, None without one


def most_words(count: int) -> int:
    """Words a page must match to be in the « most words » level: all but one up to four
    words, two thirds of a longer question (a sentence of twelve words: eight)."""
    if count <= 2:
        return count
    return count - max(1, count // 3)


def rank(
    engine: QueryEngine,
    slots: Sequence[Slot],
    product: str | None,
    page_type: str | None,
    limit: int,
) -> Ranking:
    """Pages matching every slot of the query, then most of them, then any, best first. A word
    unknown to the index (and none of its synonyms known) also matches its closest indexed
    word."""
    reader = engine.searcher.reader()

    def known(slot: Slot) -> bool:
        return any(all(is_known(reader, term) for term in alternative) for alternative in slot.alternatives)

    unknown = [s for s in slots if s.word is not None and correctable(s.word) and not known(s)]
    known_queries = [slot_query(s) for s in slots if known(s)]
    corrections: dict[str, str] = {}
    for slot in unknown[:MAX_CORRECTIONS]:
        assert slot.word is not None
        candidates = closest_words(reader, slot.word)
        if len(candidates) > 1 and known_queries:
            # Among equally close words, the one found most (and best) with the other words.
            def together(candidate: str) -> tuple[int, float]:
                found = engine.scores(wq.And([*known_queries, term_query(stem(candidate))]))
                return (len(found), max(found.values()) if found else 0.0)

            candidates.sort(key=together, reverse=True)
        if candidates:
            corrections[slot.alternatives[0][0]] = candidates[0]
    slots = [
        replace(s, alternatives=(*s.alternatives, (stem(corrections[s.alternatives[0][0]]),)))
        if s.word is not None and s.alternatives[0][0] in corrections
        else s
        for s in slots
    ]
    allowed_type = engine.term_docs("type", page_type) if page_type else None
    counts: dict[int, int] = {}
    totals: Scores = {}
    for slot in slots:
        for docnum, score in engine.scores(slot_query(slot)).items():
            if docnum in totals:
                counts[docnum] += 1
                totals[docnum] += score
            else:
                counts[docnum] = 1
                totals[docnum] = score
    matched = totals.keys() & allowed_type if allowed_type is not None else set(totals)
    by_product: dict[str, set[int]] = {}
    for slug, holders in product_pages(engine).items():
        found = holders.intersection(matched)
        if found:
            by_product[slug] = found
    product_counts = {
        slug: len(docnums)
        for slug, docnums in sorted(by_product.items(), key=lambda item: (-len(item[1]), item[0]))
    }
    pool = by_product.get(product, set()) if product else matched
    every, most = len(slots), most_words(len(slots))

    def order(docnum: int) -> tuple[int, float, int]:
        count = counts[docnum]
        level = 0 if count >= every else 1 if count >= most else 2
        # Within the lenient levels, a page matching more of the words comes first at equal
        # scores: its score is weighed by the share of the words it matches.
        score = totals[docnum] if level == 0 else totals[docnum] * count / every
        return (level, -score, docnum)

    hits = heapq.nsmallest(limit, pool, key=order)
    highlighted = frozenset(term for slot in slots for alternative in slot.alternatives for term in alternative)
    return Ranking(hits, len(pool), product_counts, highlighted, corrections, allowed_type)


def product_pages(engine: QueryEngine) -> dict[str, frozenset[int]]:
    """Product slug -> the pages of that product, read once per searcher. Counting matches
    per product with whoosh's FieldFacet read every posting of the field at every search
    (13 ms at 5,000 pages, for each of up to three queries a search makes)."""
    pages: dict[str, frozenset[int]] | None = engine.memo.get("products")
    if pages is None:
        pages = {
            slug.decode("utf-8") if isinstance(slug, bytes) else str(slug): engine.term_docs("products", slug)
            for slug in engine.searcher.reader().lexicon("products")
            if slug
        }
        engine.memo["products"] = pages
    return pages


def suggestion(
    engine: QueryEngine, text: str, ranking: Ranking, terms: Callable[[str], list[str]]
) -> str | None:
    """The query with each unknown word replaced by its correction, as the user typed the
    rest; only when every word of it matches at least one page (the query itself, with an
    unknown word, matches none). ``terms`` gives the indexed forms of a text's words."""
    pieces: list[str] = []
    position = 0
    for match in TOKEN_RE.finditer(text):
        word_stem = stem(fold(match.group().lower()))
        if word_stem in ranking.corrections:
            pieces.extend((text[position : match.start()], ranking.corrections[word_stem]))
            position = match.end()
    pieces.append(text[position:])
    suggested = "".join(pieces)
    stems = terms(suggested)
    reader: Any = engine.searcher.reader()
    if not stems or not all(is_known(reader, term) for term in stems):
        return None
    matched = engine.scores(next(cascade([[term] for term in stems])))
    if ranking.allowed_type is not None:
        return suggested if not ranking.allowed_type.isdisjoint(matched) else None
    return suggested if matched else None
