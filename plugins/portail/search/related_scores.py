"""How « Articles liés » are made, as numbers that do not depend on when they are computed:
``related`` keeps them per page and recomputes only what an edit can change; every function
here gives the same floating-point numbers, added in the same order, whichever run calls it.

- each page's words are its search terms (``search_words.term_counts``): title (twice) and text
  choose its key terms; title (×3), keywords (×1.5) and text are what other pages are scored on;
- key terms: the ``KEY_TERMS`` terms of highest count × idf, idf on the number of pages that
  hold the term (at least ``MIN_PAGES``), weights divided by the highest; idf is quantized to
  quarter powers of two of the page counts (``idf``), so most edits change no idf at all;
- a candidate's score: Σ weight × idf × BM25 saturation of its count for each key term, field
  by field (title, keywords, text, weighted as the search's boosts), each field's length
  compared with a fixed typical length (``TYPICAL_LENGTHS``), not an average over the base;
- the ``POOL_SIZE`` best candidates (score, then URL), then those sharing a product with the
  page first (order kept), the first ``RELATED_LIMIT`` with at most ``SAME_KIND_LIMIT`` of the
  page's own kind while other kinds can fill the list (``final``). ``POOL_DEPTH`` are kept,
  so a page leaving the top is replaced by one already known (``patched``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model.words import term_counts
from .documents import Searchable, SearchDocument

RELATED_LIMIT = 5
# Pages of a page's own kind in its list, at most, while other kinds can fill it: a release
# note's « Articles liés » lead to FAQ articles and documents, not only to its siblings.
SAME_KIND_LIMIT = {"release": 1, "faq": 3}
POOL_SIZE = 20  # candidates ranked by score before « same product first »
POOL_DEPTH = 30  # candidates cached per page: removals from the top need no recomputation
KEY_TERMS = 12
MIN_PAGES = 2  # a term in one page only finds no other page
K1, B = 1.2, 0.75  # BM25 saturation and length normalisation
# As the search's field boosts (search_analysis.TITLE_BOOST, ABOUT_BOOST): title words count
# more than keywords (product names, tags), keywords more than the text.
TITLE_WEIGHT, KEYWORD_WEIGHT = 3.0, 1.5
# Terms per field of a middling page (the demo: 5, 10, 185 on average; a 5,000-page base: 5,
# 10, 312). Constants, not averages over the base: an average moves with every edit, and with
# it every score.
TYPICAL_LENGTHS = (5.0, 10.0, 250.0)


# ----------------------------------------------------------------------------------------------
# Pages as term counts


@dataclass(frozen=True)
class Page:
    hash: str
    type: str
    products: tuple[str, ...]
    title: dict[str, int]
    keywords: dict[str, int]
    body: dict[str, int]
    lengths: tuple[int, int, int]  # terms in the title, keywords and text

    def terms(self) -> set[str]:
        return {*self.title, *self.keywords, *self.body}

    def key_count(self, term: str) -> int:
        """Count in the text key terms are chosen from: the title twice, then the body."""
        return 2 * self.title.get(term, 0) + self.body.get(term, 0)

    def holds(self, term: str) -> bool:
        return term in self.body or term in self.title or term in self.keywords

    def match(self, term: str, idf: float) -> float:
        """What ``term`` brings to this page as a candidate: idf × the BM25 saturation of its
        count in each field, weighted by field. The one place this is computed, so a score is
        the same number in an incremental run and in a clean one."""
        total = 0.0
        count = self.title.get(term)
        if count:
            total = total + TITLE_WEIGHT * saturation(count, self.lengths[0], TYPICAL_LENGTHS[0])
        count = self.keywords.get(term)
        if count:
            total = total + KEYWORD_WEIGHT * saturation(count, self.lengths[1], TYPICAL_LENGTHS[1])
        count = self.body.get(term)
        if count:
            total = total + saturation(count, self.lengths[2], TYPICAL_LENGTHS[2])
        return idf * total

    def data(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            "type": self.type,
            "products": list(self.products),
            "title": self.title,
            "keywords": self.keywords,
            "body": self.body,
            "lengths": list(self.lengths),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Page:
        return cls(
            data["hash"],
            data["type"],
            tuple(data["products"]),
            data["title"],
            data["keywords"],
            data["body"],
            (int(data["lengths"][0]), int(data["lengths"][1]), int(data["lengths"][2])),
        )


def saturation(count: int, length: int, typical: float) -> float:
    return count * (K1 + 1) / (count + K1 * (1 - B + B * length / typical))


def analyse(item: Searchable) -> Page:
    document: SearchDocument = item.document()  # only here is a page's Markdown made text
    title = term_counts(document.title)
    keywords = term_counts("\n".join([*document.keywords, document.line or ""]))
    body = term_counts(document.body)
    lengths = (sum(title.values()), sum(keywords.values()), sum(body.values()))
    return Page(item.content_hash, document.type, document.products, title, keywords, body, lengths)


# ----------------------------------------------------------------------------------------------
# Scores


def log_step(count: int) -> int:
    """floor(4 × log2(count)), in integers: the same on every machine, no rounding."""
    return (count**4).bit_length() - 1


def term_idf(pages_with_term: int, step: int) -> float:
    """log2(pages / pages with the term), both quantized to quarter powers of two (so one page
    more or less rarely changes it), plus a quarter so a term in every page still counts; 0
    for a term in fewer than ``MIN_PAGES`` pages. Multiples of 0.25: exact."""
    if pages_with_term < MIN_PAGES:
        return 0.0
    return (step - log_step(pages_with_term) + 1) / 4


@dataclass(frozen=True)
class Keys:
    terms: tuple[tuple[str, float], ...]  # (term, weight / highest weight), best first
    # The last key term and its raw weight when the page has at least KEY_TERMS candidates
    # for it: a term must beat it to enter. None: any term with a weight enters.
    last: tuple[str, float] | None


def key_terms(page: Page, counts: dict[str, int], step: int) -> Keys:
    weights = []
    for term in {*page.title, *page.body}:
        weight = page.key_count(term) * term_idf(counts.get(term, 0), step)
        if weight > 0:
            weights.append((term, weight))
    weights.sort(key=lambda item: (-item[1], item[0]))
    best = weights[:KEY_TERMS]
    if not best:
        return Keys((), None)
    top = best[0][1]
    last = best[-1] if len(weights) >= KEY_TERMS else None
    return Keys(tuple((term, weight / top) for term, weight in best), last)


def pair_score(keys: Keys, page: Page, counts: dict[str, int], step: int) -> float:
    """A candidate's score for a page's key terms; the same additions, in the same order, as
    ``pools`` makes them."""
    total = 0.0
    for term, weight in keys.terms:
        if page.holds(term):
            total = total + weight * page.match(term, term_idf(counts.get(term, 0), step))
    return total


def pools(
    keys: dict[str, Keys], pages: dict[str, Page], counts: dict[str, int], step: int
) -> dict[str, Entry]:
    """The ``POOL_DEPTH`` best candidates of each page of ``keys``, scored over every page.
    Pages are numbered in URL order (ties between equal scores go by URL). Scores are summed
    with numpy over the pages that hold each key term, term after term: the same float
    operations, in the same order, as ``pair_score`` makes for one candidate (a multiplication,
    then an addition), so cached and fresh scores stay equal; with a small vocabulary a key
    term is in thousands of pages, which plain Python loops paid for in tens of seconds."""
    urls = sorted(pages)
    number = {url: position for position, url in enumerate(urls)}
    needed = {term for page_keys in keys.values() for term, _weight in page_keys.terms}
    idf = {term: term_idf(counts.get(term, 0), step) for term in needed}
    holders: dict[str, list[int]] = {term: [] for term in needed}
    values: dict[str, list[float]] = {term: [] for term in needed}
    for position, url in enumerate(urls):
        page = pages[url]
        for term in needed.intersection(page.terms()):
            holders[term].append(position)
            values[term].append(page.match(term, idf[term]))
    columns = {
        term: (np.array(holders[term], dtype=np.intp), np.array(values[term], dtype=np.float64))
        for term in needed
    }
    entries = {}
    for url, page_keys in keys.items():
        scores = np.zeros(len(urls), dtype=np.float64)
        for term, weight in page_keys.terms:
            positions, term_values = columns[term]
            # Positions are distinct within a term: one addition per page, as in pair_score.
            scores[positions] = scores[positions] + weight * term_values
        scores[number[url]] = 0.0  # never the page itself
        entries[url] = _best_of(page_keys, scores, urls)
    return entries


def _best_of(keys: Keys, scores: Any, urls: list[str]) -> Entry:
    """``best_entry`` for a numpy vector of scores (the same entry, without a sort of every
    page's score)."""
    with_score = int(np.count_nonzero(scores))
    if with_score <= POOL_DEPTH:
        threshold = 0.0
    else:
        threshold = float(np.partition(scores, len(scores) - POOL_DEPTH)[len(scores) - POOL_DEPTH])
    chosen = sorted(
        (-float(scores[position]), int(position))
        for position in np.flatnonzero((scores >= threshold) & (scores > 0))
    )
    pool = [(urls[position], -negative) for negative, position in chosen[:POOL_DEPTH]]
    return Entry(keys, pool, with_score <= POOL_DEPTH)


def best_entry(keys: Keys, scores: list[float], urls: list[str]) -> Entry:
    """The entry of the ``POOL_DEPTH`` best scores (scores are positive, or 0 for none)."""
    with_score = len(scores) - scores.count(0.0)
    if with_score <= POOL_DEPTH:
        threshold = 0.0
    else:
        threshold = sorted(scores, reverse=True)[POOL_DEPTH - 1]
    chosen = sorted(
        (-score, position) for position, score in enumerate(scores) if score >= threshold and score > 0
    )
    pool = [(urls[position], -negative) for negative, position in chosen[:POOL_DEPTH]]
    return Entry(keys, pool, with_score <= POOL_DEPTH)


def final(url: str, pool: Iterable[tuple[str, float]], pages: dict[str, Page]) -> list[str]:
    """The pool, pages sharing a product with the page first (stable), cut to the limit, with
    at most ``SAME_KIND_LIMIT`` pages of the page's own kind (its siblings: a release note
    leads to other release notes anyway) while other kinds fill the list; when they do not,
    the next pages of its kind do. Order kept: a list only ever depends on the pool's top."""
    page = pages[url]
    own = set(page.products)
    top = list(pool)[:POOL_SIZE]
    ordered = [
        other
        for other, _score in sorted(top, key=lambda item: 0 if own & set(pages[item[0]].products) else 1)
    ]
    limit = SAME_KIND_LIMIT.get(page.type, RELATED_LIMIT)
    kept: list[str] = []
    spare: list[str] = []
    same = 0
    for other in ordered:
        if pages[other].type != page.type:
            kept.append(other)
        elif same < limit:
            kept.append(other)
            same += 1
        else:
            spare.append(other)
    chosen = set(kept[:RELATED_LIMIT] + spare[: max(0, RELATED_LIMIT - len(kept))])
    return [other for other in ordered if other in chosen]


@dataclass(frozen=True)
class Entry:
    keys: Keys
    pool: list[tuple[str, float]]  # the POOL_DEPTH best candidates, best first
    complete: bool  # the pool holds every page with a score for this page


def patched(entry: Entry, departed: set[str], scored: list[tuple[str, float]]) -> Entry | None:
    """The entry with pages gone or changed taken out of its candidates and ``scored`` pages
    (changed or added, with their new scores) put in; None when its pool cannot be known
    without scoring every page."""
    known = [item for item in entry.pool if item[0] not in departed]
    known += [item for item in scored if item[1] > 0]
    known.sort(key=rank)
    if entry.complete:
        return Entry(entry.keys, known[:POOL_DEPTH], len(known) <= POOL_DEPTH)
    bound = rank(entry.pool[-1])  # every page outside the cached candidates ranks after it
    certain = [item for item in known if rank(item) <= bound]
    if len(certain) < POOL_SIZE:
        return None
    return Entry(entry.keys, certain[:POOL_DEPTH], False)


def rank(item: tuple[str, float]) -> tuple[float, str]:
    return (-item[1], item[0])


def keys_move(keys: Keys, page: Page, moved_idf: set[str], new_idf: dict[str, float]) -> bool:
    """Whether a page's key terms or their weights change with the idf of ``moved_idf``."""
    if not moved_idf:
        return False
    own = {term for term, _weight in keys.terms}
    for term in moved_idf:
        count = page.key_count(term)
        if not count:
            continue
        if term in own:
            return True
        weight = count * new_idf[term]
        if weight > 0 and (keys.last is None or (-weight, term) < (-keys.last[1], keys.last[0])):
            return True
    return False
