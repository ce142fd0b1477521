"""whoosh's matchers, summed as dicts: one node per matcher whoosh would build for a query on
one segment (``search_engine`` builds the tree), each with every document its subtree matches
and the score whoosh gives it. The operations, and their order, are those of the matcher the
node stands for (``UnionMatcher``, ``IntersectionMatcher``, ``ArrayUnionMatcher``,
``WrappingMatcher``, ``CoordMatcher``): float addition is not associative, and a tie between
two scores decides which page comes first.
"""

from __future__ import annotations

from collections.abc import Callable

REPLACE_EVERY = 10  # ScoredCollector(replace=10): the collector drops exhausted matchers

Scores = dict[int, float]  # docnum -> score of every match; read-only once made


class Unsupported(Exception):
    """A query, or a matcher tree, not replayed here: whoosh answers it."""


class Node:
    # whoosh sorts (weight, matcher) pairs: matchers never compare lower, ties keep their order.
    def __eq__(self, other: object) -> bool:
        return True

    def __lt__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__
    _scores: Scores | None = None
    _last: int | None = None

    def evaluate(self) -> Scores:
        if self._scores is None:
            self._scores = self._evaluate()
        return self._scores

    def _evaluate(self) -> Scores:
        raise NotImplementedError

    def last(self) -> int:
        """The greatest docnum matched, -1 if none: the matcher is active before it."""
        if self._last is None:
            scores = self.evaluate()
            self._last = max(scores) if scores else -1
        return self._last

    def leaves(self) -> int:
        """Term matchers in the tree as built (``len(list(m.term_matchers()))``)."""
        raise NotImplementedError

    def left(self, docnum: int) -> int:
        """Term matchers left once ``replace()`` has dropped those exhausted before ``docnum``."""
        raise Unsupported(type(self).__name__)

    def matching(self, docnum: int) -> int:
        """Term matchers positioned on ``docnum`` (``len(list(m.matching_terms(docnum)))``)."""
        raise Unsupported(type(self).__name__)


class Leaf(Node):
    def __init__(self, scores: Scores) -> None:
        self._scores = scores

    def leaves(self) -> int:
        return 1

    def left(self, docnum: int) -> int:
        return 1 if self.last() >= docnum else 0

    def matching(self, docnum: int) -> int:
        return 1 if docnum in self.evaluate() else 0


class Known(Node):
    """A subtree whose scores are known already (cached), made only when its term matchers are
    counted (under a CoordMatcher)."""

    def __init__(self, scores: Scores, make: Callable[[], Node]) -> None:
        self._scores = scores
        self._make = make
        self._tree: Node | None = None

    def _subtree(self) -> Node:
        if self._tree is None:
            self._tree = self._make()
        return self._tree

    def leaves(self) -> int:
        return self._subtree().leaves()

    def left(self, docnum: int) -> int:
        return self._subtree().left(docnum)

    def matching(self, docnum: int) -> int:
        return self._subtree().matching(docnum)


class _Null(Node):
    _scores: Scores = {}

    def leaves(self) -> int:
        return 0

    def left(self, docnum: int) -> int:
        return 0

    def matching(self, docnum: int) -> int:
        return 0


NULL = _Null()


class _Boost(Node):
    """WrappingMatcher(child, boost)."""

    def __init__(self, child: Node, boost: float) -> None:
        self.child, self.boost = child, boost

    def _evaluate(self) -> Scores:
        boost = self.boost
        return {docnum: s * boost for docnum, s in self.child.evaluate().items()}

    def leaves(self) -> int:
        return self.child.leaves()

    def left(self, docnum: int) -> int:
        return self.child.left(docnum)

    def matching(self, docnum: int) -> int:
        return self.child.matching(docnum)


def boosted(node: Node, boost: float) -> Node:
    return node if boost == 1.0 else _Boost(node, boost)


class _Pair(Node):
    """A matcher of two children, each side's scores added (float addition commutes)."""

    def __init__(self, a: Node, b: Node) -> None:
        self.a, self.b = a, b

    def sides(self) -> tuple[Scores, Scores]:
        """The children's scores, the smaller first."""
        small, big = self.a.evaluate(), self.b.evaluate()
        return (big, small) if len(small) > len(big) else (small, big)

    def leaves(self) -> int:
        return self.a.leaves() + self.b.leaves()


class Union(_Pair):
    """UnionMatcher: a.score() + b.score() where both match."""

    def _evaluate(self) -> Scores:
        small, big = self.sides()
        scores = dict(big)
        for docnum, s in small.items():
            other = scores.get(docnum)
            scores[docnum] = s if other is None else s + other
        return scores

    def left(self, docnum: int) -> int:
        a_active, b_active = self.a.last() >= docnum, self.b.last() >= docnum
        if a_active and b_active:
            return self.a.left(docnum) + self.b.left(docnum)
        if a_active:
            return self.a.left(docnum)
        return self.b.left(docnum) if b_active else 0

    def matching(self, docnum: int) -> int:
        return self.a.matching(docnum) + self.b.matching(docnum) if docnum in self.evaluate() else 0


class Intersection(_Pair):
    """IntersectionMatcher: documents of both, a.score() + b.score()."""

    def _evaluate(self) -> Scores:
        small, big = self.sides()
        return {docnum: s + big[docnum] for docnum, s in small.items() if docnum in big}


class ArrayUnion(Node):
    """ArrayUnionMatcher: scores added into an array in clause order; a match scores > 0. Its
    term matchers stay (replace() keeps it whole) and are never positioned on its match."""

    def __init__(self, subs: list[Node], boost: float) -> None:
        self.subs, self.boost = subs, boost

    def _evaluate(self) -> Scores:
        boost = self.boost
        total: Scores = {}
        for sub in self.subs:
            for docnum, s in sub.evaluate().items():
                total[docnum] = total.get(docnum, 0.0) + s * boost
        return {docnum: s for docnum, s in total.items() if s > 0}

    def leaves(self) -> int:
        return sum(sub.leaves() for sub in self.subs)

    def left(self, docnum: int) -> int:
        return self.leaves()

    def matching(self, docnum: int) -> int:
        return 0


class Coord(Node):
    """CoordMatcher at the root, as the collector drives it: ``replace()`` every 10 matches
    drops the exhausted matchers, which changes the term count of the bonus."""

    def __init__(self, child: Node, scale: float) -> None:
        self.child, self.scale = child, scale

    def _evaluate(self) -> Scores:
        child = self.child.evaluate()
        order = sorted(child)
        scale = self.scale
        scores: Scores = {}
        for start in range(0, len(order), REPLACE_EVERY):
            termcount = self.child.left(order[start])
            for docnum in order[start : start + REPLACE_EVERY]:
                scores[docnum] = _sqr(child[docnum], self.child.matching(docnum), termcount, scale)
        return scores

    def leaves(self) -> int:
        return self.child.leaves()


def _sqr(score: float, matching: int, termcount: int, scale: float) -> float:
    """CoordMatcher._sqr, the same operations in the same order."""
    if termcount == 0 or termcount == scale:
        return 0
    return (score + ((matching - 1) / (termcount - scale) ** 2)) * ((termcount - 1) / termcount)
