"""What a search finds and in which order: corrections of the unknown words, the strict-to-lenient
cascade, the counts per product, the page of hits, and « Vouliez-vous dire ». Documents and
scores come from ``search_engine`` (whoosh's, exactly); only the hits shown are sorted.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from .search_engine import QueryEngine
from .search_matchers import Scores
from .search_query import cascade, closest_words, correctable, found_count, is_known, term_query
from .search_words import TOKEN_RE, fold, stem

MAX_CORRECTIONS = 4  # unknown words of a query looked up for a correction


@dataclass(frozen=True)
class Ranking:
    hits: list[int]  # docnums of the page of hits, best first
    total: int  # every match (with the product and type filters)
    product_counts: dict[str, int]  # matches per product slug, type filter applied, product not
    highlighted: frozenset[str]  # the stems to mark in excerpts (words and corrections)
    corrections: dict[str, str]  # stem of an unknown word -> the indexed word it is taken for
    allowed_type: frozenset[int] | None  # the pages of the type filter, None without one


def rank(
    engine: QueryEngine, words: dict[str, str], product: str | None, page_type: str | None, limit: int
) -> Ranking:
    """Pages matching every word of the query (else all words but one, else any word), best
    first; ``words`` maps each stem to its folded word. A word unknown to the index also matches
    its closest indexed word."""
    reader = engine.searcher.reader()
    unknown = [s for s, w in words.items() if correctable(w) and not is_known(reader, s)]
    known = [term_query(s) for s in words if s not in unknown and is_known(reader, s)]
    corrections: dict[str, str] = {}
    for word_stem in unknown[:MAX_CORRECTIONS]:
        candidates = closest_words(reader, words[word_stem])
        if len(candidates) > 1 and known:
            # Among equally close words, the one found most (and best) with the other words.
            def together(candidate: str) -> tuple[int, float]:
                found = engine.scores(wq.And([*known, term_query(stem(candidate))]))
                return (len(found), max(found.values()) if found else 0.0)

            candidates.sort(key=together, reverse=True)
        if candidates:
            corrections[word_stem] = candidates[0]
    alternatives = [
        [word_stem, stem(corrections[word_stem])] if word_stem in corrections else [word_stem]
        for word_stem in words
    ]
    allowed_type = engine.term_docs("type", page_type) if page_type else None
    seen: set[int] = set()
    levels: list[tuple[Scores, set[int]]] = []  # each query's scores and the pages it added
    by_product: dict[str, set[int]] = {}
    for level, candidate in enumerate(cascade(alternatives)):
        if seen and (level == 2 or found_count(seen, by_product, product) >= limit):
            break  # any-word matches only when nothing better was found
        scores = engine.scores(candidate)
        matched = scores.keys() & allowed_type if allowed_type is not None else set(scores)
        added = matched - seen
        seen |= added
        levels.append((scores, added))
        for slug, holders in product_pages(engine).items():
            found = holders.intersection(matched)
            if found:
                by_product.setdefault(slug, set()).update(found)
    product_counts = {
        slug: len(docnums)
        for slug, docnums in sorted(by_product.items(), key=lambda item: (-len(item[1]), item[0]))
    }
    allowed = by_product.get(product, set()) if product else None
    hits: list[int] = []
    total = 0
    for scores, added in levels:
        pool = added & allowed if allowed is not None else added
        total += len(pool)
        if pool and len(hits) < limit:
            # whoosh's order: score descending, then docnum.
            hits += heapq.nsmallest(limit - len(hits), pool, key=lambda docnum: (-scores[docnum], docnum))
    highlighted = frozenset(term for group in alternatives for term in group)
    return Ranking(hits, total, product_counts, highlighted, corrections, allowed_type)


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
