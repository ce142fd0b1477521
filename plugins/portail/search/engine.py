"""The documents and scores of the search's whoosh queries, exactly as whoosh gives them, from
whole posting lists instead of whoosh's matchers.

whoosh (pure Python) finds and scores matches by stepping a tree of matchers one document at a
time: 40 to 300 ms at 5,000 pages for a query of a few common words, most of an endpoint
request. ``QueryEngine.scores`` gives the same documents with the same scores, to the bit: each
term's postings are read and scored once (``ScoreCache``, shared by the threads of the index),
then combined as dicts, in the order whoosh would add them.

That order matters: float addition is not associative, and a tie decides between two pages.
For each segment, whoosh builds its matcher tree (``Query.matcher``) with rules replayed here:
``And`` and ``Or`` become a Huffman-like tree (``make_weighted_tree`` over ``estimate_size``,
ties kept in clause order), except an ``Or`` of more than two clauses on a segment of at most
5,000 documents, an ``ArrayUnionMatcher`` summing in clause order. ``Or(..., scale=)`` wraps its
tree in a ``CoordMatcher`` whose bonus depends on the term matchers left in the tree, and the
collector drops exhausted matchers every 10 matches: that schedule is replayed too
(``Coord``). A query made of anything else raises ``Unsupported`` inside, and whoosh answers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.columns import NumericColumn
from whoosh.matching import FilterMatcher
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25FScorer, WeightLengthScorer
from whoosh.util import make_weighted_tree
from whoosh.util.numeric import byte_to_length

from .matchers import (
    NULL,
    ArrayUnion,
    Coord,
    Intersection,
    Known,
    Leaf,
    Node,
    Scores,
    Union,
    Unsupported,
    boosted,
)

# whoosh's constant for the rules above: Or._matcher (an Or on a segment of more documents is a
# tree of UnionMatchers).
ARRAY_UNION_MAX_DOCS = 5000
CACHE_POSTINGS = 500_000  # scored postings a ScoreCache keeps: ~75 bytes each, ~40 MiB


class ScoreCache:
    """Scores of term queries (and lengths of fields), least recently used dropped first, for
    one state of the index (``token``: a new one empties the cache). Shared by threads."""

    def __init__(self, capacity: int = CACHE_POSTINGS) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self._token: Hashable = None
        self._items: OrderedDict[Hashable, Scores] = OrderedDict()
        self._size = 0

    def get(self, token: Hashable, key: Hashable) -> Scores | None:
        with self._lock:
            if token != self._token:
                return None
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, token: Hashable, key: Hashable, scores: Scores) -> None:
        with self._lock:
            if token != self._token:
                self._token, self._items, self._size = token, OrderedDict(), 0
            if key in self._items or len(scores) > self.capacity:
                return
            self._items[key] = scores
            self._size += len(scores)
            while self._size > self.capacity:
                _key, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


class QueryEngine:
    """Documents and scores of queries on one whoosh searcher (one thread's)."""

    def __init__(self, searcher: Any, cache: ScoreCache, token: Hashable) -> None:
        self.searcher = searcher
        self._cache = cache
        self._token = token
        self._weighting = searcher.context().weighting
        self._segments = [
            _Segment(number, sub, offset) for number, (sub, offset) in enumerate(searcher.leaf_searchers())
        ]
        self._filters: dict[tuple[str, str | bytes], frozenset[int]] = {}
        self._nodes: dict[Hashable, Node] = {}  # this search's subtrees, made and summed once
        self.memo: dict[str, Any] = {}  # what callers compute once per searcher

    def new_search(self) -> None:
        """Forget the subtrees of the previous search (the scored postings stay cached)."""
        self._nodes.clear()

    def scores(self, query: Any) -> Scores:
        """Docnum -> score of every document matching ``query``: what
        ``searcher.search(query, limit=None)`` gives as ``results.items()``."""
        try:
            merged: Scores = {}
            for segment in self._segments:
                local = self._build(query, segment, root=True).evaluate()
                if segment.offset:
                    merged.update({segment.offset + docnum: s for docnum, s in local.items()})
                elif len(self._segments) == 1:
                    return local
                else:
                    merged.update(local)
            return merged
        except Unsupported:
            return dict(self.searcher.search(query, limit=None).items())

    def term_docs(self, field: str, text: str | bytes) -> frozenset[int]:
        """The documents holding a term, as ``reader.postings(field, text).all_ids()`` (or
        ``docs_for_query(Term(field, text))``) gives them, read a block of postings at a time;
        kept for the searcher (a type filter, the pages of a product)."""
        key = (field, text)
        docs = self._filters.get(key)
        if docs is None:
            found: set[int] = set()
            for segment in self._segments:
                btext = text if isinstance(text, bytes) else segment.searcher.schema[field].to_bytes(text)
                if (field, btext) in segment.reader:
                    offset = segment.offset
                    found.update(
                        offset + docnum for docnum in _posting_ids(segment.reader.postings(field, btext))
                    )
            docs = self._filters[key] = frozenset(found)
        return docs

    # -- whoosh's matcher tree, replayed ------------------------------------------------------

    def _build(self, query: Any, segment: _Segment, root: bool = False) -> Node:
        """The tree ``query.matcher(segment)`` would make (Term, And, Or and NullQuery only).
        A query met again in the same search (a word in each query of the cascade, two words
        in several of its intersections) is the same node, summed once. A term query (one word
        in each text field) keeps its sums in the cache for the next searches, which need not
        read the word's postings again (``Known``)."""
        # Only a scaled Or makes another tree at the root (a CoordMatcher).
        key = (segment.number, _key(query), root and bool(getattr(query, "scale", None)))
        node = self._nodes.get(key)
        if node is None:
            if type(query) is wq.Or and all(type(sub) is wq.Term for sub in query.subqueries):
                cached = self._cache.get(self._token, key)
                if cached is not None:
                    node = Known(cached, lambda: self._make(query, segment, root))
                else:
                    node = self._make(query, segment, root)
                    self._cache.put(self._token, key, node.evaluate())
            else:
                node = self._make(query, segment, root)
            self._nodes[key] = node
        return node

    def _make(self, query: Any, segment: _Segment, root: bool) -> Node:
        kind = type(query)
        if isinstance(query, wq.qcore._NullQuery):
            return NULL
        if kind is wq.Term:
            return self._term(query, segment)
        if kind not in (wq.And, wq.Or) or getattr(query, "matcher_type", 0) != wq.Or.AUTO_MATCHER:
            raise Unsupported(kind.__name__)
        subs = query.subqueries
        if not subs:
            return NULL
        if len(subs) == 1:
            return self._build(subs[0], segment, root)
        reader = segment.reader
        if kind is wq.And:
            weighted = [(0 - sub.estimate_size(reader), self._build(sub, segment)) for sub in subs]
            return boosted(make_weighted_tree(Intersection, weighted), query.boost)
        if len(subs) < wq.Or.TOO_MANY_CLAUSES and (
            query.scale or len(subs) == 2 or segment.doc_count_all > ARRAY_UNION_MAX_DOCS
        ):
            weighted = [(sub.estimate_size(reader), self._build(sub, segment)) for sub in subs]
            tree = boosted(make_weighted_tree(Union, weighted), query.boost)
            if query.scale and tree.leaves() > 0:
                if not root:
                    raise Unsupported("CoordMatcher inside a query")
                return Coord(tree, query.scale)
            return tree
        return ArrayUnion([self._build(sub, segment) for sub in subs], query.boost)

    def _term(self, query: Any, segment: _Segment) -> Node:
        # As Term.matcher: no such field or term, a NullMatcher; else the scored postings.
        if query.minquality:
            raise Unsupported("Term.minquality")
        schema = segment.searcher.schema
        if query.fieldname not in schema:
            return NULL
        try:
            text = schema[query.fieldname].to_bytes(query.text)
        except ValueError:
            return NULL
        if (query.fieldname, text) not in segment.reader:
            return NULL
        matcher = segment.searcher.postings(query.fieldname, text, weighting=self._weighting)
        scores = _posting_scores(matcher, self._lengths(segment, query.fieldname))
        return boosted(Leaf(scores), query.boost)

    def _lengths(self, segment: _Segment, field: str) -> list[int | None] | None:
        key = (segment.number, "lengths", field)
        lengths = self._cache.get(self._token, key)
        if lengths is None:
            lengths = _field_lengths(segment.reader, field)
            if lengths is not None:
                self._cache.put(self._token, key, lengths)
        return lengths


def _key(query: Any) -> Hashable:
    """What makes a matcher tree: two queries with the same key have the same tree."""
    kind = type(query)
    if kind is wq.Term:
        return ("Term", query.fieldname, query.text, query.boost, query.minquality)
    if kind in (wq.And, wq.Or):
        subs = tuple(_key(sub) for sub in query.subqueries)
        return (
            kind.__name__,
            query.boost,
            getattr(query, "scale", None),
            getattr(query, "matcher_type", 0),
            subs,
        )
    if isinstance(query, wq.qcore._NullQuery):
        return ("Null",)
    raise Unsupported(kind.__name__)


class _Segment:
    def __init__(self, number: int, searcher: Any, offset: int) -> None:
        self.number = number
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.doc_count_all = searcher.doc_count_all()


def _field_lengths(reader: Any, field: str) -> list[int | None] | None:
    """``reader.doc_field_length(docnum, field, 1)`` of every docnum, from whoosh 3's column of
    lengths read in one go (one call per posting was half the cost of a new term); None for
    another kind of reader."""
    perdoc = getattr(reader, "_perdoc", None)
    if type(reader) is not SegmentReader or type(perdoc) is not whoosh3.W3PerDocReader:
        return None
    column = perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
    count = reader.doc_count_all()
    if column is None:
        return [1] * count
    if type(column) is not NumericColumn.Reader or column._typecode != "B":
        return None
    # A zero byte (or no byte: the column's default) is no length: whoosh gives None.
    lengths: list[int | None] = [
        byte_to_length(b) if b else None for b in column._dbfile.get(column._basepos, column._count)
    ]
    return lengths + [None] * (count - len(lengths))


def _posting_ids(matcher: Any) -> list[int]:
    """The docnums of a term matcher, as ``matcher.all_ids()`` gives them."""
    excluded: Any = ()
    leaf = matcher
    if type(leaf) is FilterMatcher and leaf._exclude:
        excluded, leaf = leaf._ids, leaf.child  # the segment's deleted documents
    if type(leaf) is not whoosh3.W3LeafMatcher:
        return list(matcher.all_ids())
    docs: list[int] = []
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        docs += leaf._ids if not excluded else [docnum for docnum in leaf._ids if docnum not in excluded]
        leaf._next_block()
    return docs


def _posting_scores(matcher: Any, lengths: list[int | None] | None) -> Scores:
    """Docnum -> score of each posting of a term matcher, as ``matcher.score()`` gives it."""
    excluded: Any = ()
    leaf = matcher
    if type(leaf) is FilterMatcher and leaf._exclude and leaf.boost == 1.0:
        excluded, leaf = leaf._ids, leaf.child  # the segment's deleted documents
    scorer = getattr(leaf, "scorer", None)
    if type(leaf) is not whoosh3.W3LeafMatcher or not (
        isinstance(scorer, WeightLengthScorer) and type(scorer).score is WeightLengthScorer.score
    ):
        scores: Scores = {}
        while matcher.is_active():  # any other matcher: whoosh's own steps
            scores[matcher.id()] = matcher.score()
            matcher.next()
        return scores
    # WeightLengthScorer.score(m) is _score(m.weight(), dfl(m.id())), BM25F's is bm25(): the
    # same operations in the same order, on whole blocks of postings.
    length = lengths.__getitem__ if lengths is not None else scorer.dfl
    if type(scorer) is BM25FScorer and type(scorer)._score is _BM25F_SCORE:
        idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        k1_plus_1, one_minus_b = k1 + 1, 1 - b

        def block_scores(ids: Any, weights: Any) -> Any:
            return zip(
                ids,
                [
                    idf * ((weight * k1_plus_1) / (weight + k1 * (one_minus_b + b * size / avgfl)))
                    for weight, size in zip(weights, map(length, ids), strict=True)
                ],
                strict=True,
            )
    else:

        def block_scores(ids: Any, weights: Any) -> Any:
            return zip(ids, map(scorer._score, weights, map(length, ids)), strict=True)

    scores = {}
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        if leaf._weights is None:
            leaf._read_weights()
        ids, weights = leaf._ids, leaf._weights
        if excluded:
            kept = [i for i, docnum in enumerate(ids) if docnum not in excluded]
            ids, weights = [ids[i] for i in kept], [weights[i] for i in kept]
        scores.update(block_scores(ids, weights))
        leaf._next_block()
    return scores


_BM25F_SCORE = BM25FScorer._score
