"""Excerpts of search hits: HTML with every character escaped, matched words in <mark>,
fragments cut at word boundaries (``FORMATTER``, whoosh's highlighter), or the start of the
text when no word matched (``lead``).

The fragments are those of whoosh's ``highlight.highlight(body, terms, highlight_tokens,
ContextFragmenter(maxchars=160, surround=50, charlimit=None), FORMATTER, top=2, mode="index")``
(a test holds them equal): the fragmenter's loop runs only from shortly before each matched
word to the end of its fragment (``fragments``), instead of through three generators for each
of the hundreds of words of a page, which was half the time of a search.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from whoosh import highlight
from whoosh.analysis import Token

from ..model.words import TOKEN_RE, folded_pieces, token_pieces

MAX_CHARS, SURROUND = 160, 50  # ContextFragmenter(maxchars=160, surround=50, charlimit=None)
TOP_FRAGMENTS = 2


class _MarkFormatter(highlight.Formatter):
    """Excerpts as HTML: every character escaped, matched words in <mark>, whitespace collapsed,
    fragments cut at word boundaries and marked with an ellipsis."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(re.sub(r"\s+", " ", text))

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"

    def format(self, fragments: Sequence[Any], replace: bool = False) -> str:
        parts = []
        for fragment in fragments:
            _trim_to_words(fragment)
            formatted = self.format_fragment(fragment, replace=replace).strip()
            if fragment.startchar > 0:
                formatted = "… " + formatted
            if fragment.endchar < len(fragment.text):
                formatted += " …"
            parts.append(formatted)
        return " ".join(parts).replace("… …", "…")


def _trim_to_words(fragment: Any) -> None:
    """Move a fragment's edges to whitespace so no word is cut, without losing a match."""
    text = fragment.text
    first = min((t.startchar for t in fragment.matches), default=fragment.endchar)
    last = max((t.endchar for t in fragment.matches), default=fragment.startchar)
    start = fragment.startchar
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, first)
        newline = text.find("\n", start, first)
        cuts = [i for i in (space, newline) if i >= 0]
        if cuts:
            fragment.startchar = min(cuts) + 1
    end = fragment.endchar
    if end < len(text) and not text[end].isspace():
        cut = max(text.rfind(" ", last, end), text.rfind("\n", last, end))
        if cut > last:
            fragment.endchar = cut


FORMATTER = _MarkFormatter()
_LEAD_CHARS = 220


def excerpt(body: str, terms: frozenset[str]) -> str:
    """The excerpt of a hit: the fragments of ``body`` around ``terms`` (stems), else its start."""
    found = ""
    if terms:
        best = highlight.top_fragments(
            fragments(body, terms), TOP_FRAGMENTS, highlight.BasicFragmentScorer(), highlight.FIRST
        )
        found = FORMATTER(body, best)
    return found or lead(body)


def fragments(text: str, terms: frozenset[str]) -> Iterator[Any]:
    """``ContextFragmenter.fragment_tokens`` of ``text`` tokenised by ``highlight_tokens``, a
    token matched when its text is one of ``terms``. Outside a fragment, the loop only keeps
    the starts of the tokens of the last SURROUND characters (``firsts``): it is skipped up to
    shortly before the next matched word (``_restart``)."""
    words = list(TOKEN_RE.finditer(text))
    texts = [word.group() for word in words]
    # Words are stemmed only when they start as a term does (a new word costs a stemming).
    initials = frozenset(term[:1] for term in terms)
    hits = [
        i
        for i, word in enumerate(texts)
        if not initials.isdisjoint(_initials(word)) and not terms.isdisjoint(_piece_texts(word))
    ]
    first: int | None = None
    firsts: deque[int] = deque()
    countdown = -1  # >= 0 inside a fragment
    matches: list[Any] = []
    endchar = length = index = 0  # index: the next word to read
    token = Token(positions=False, chars=True, removestops=False, mode="index")
    for hit in hits:
        if hit < index:
            continue  # read within a fragment
        if countdown < 0:
            restart = _restart(words, index, hit)
            if restart > index:
                firsts.clear()
                index = restart
        while index < len(words):
            base = words[index].start()
            for piece, begin, end, stopped in token_pieces(texts[index]):
                startchar, endchar = base + begin, base + end
                size = end - begin
                matched = piece in terms
                if countdown < 0 and not matched:
                    firsts.append(startchar)
                    while firsts and endchar - firsts[0] > SURROUND:
                        firsts.popleft()
                elif length + size > MAX_CHARS:
                    countdown = 0
                elif matched:
                    countdown = SURROUND
                    if first is None:
                        if firsts:
                            first = firsts[0]
                        else:
                            first = startchar
                            countdown += SURROUND
                    token.text, token.startchar, token.endchar = piece, startchar, endchar
                    token.stopped, token.matched = stopped, True
                    matches.append(token.copy())
                if countdown >= 0:
                    length += size
                    countdown -= size
                    if countdown <= 0:
                        yield highlight.mkfrag(text, matches, startchar=first, endchar=endchar)
                        matches, firsts, first, length = [], deque(), None, 0
            index += 1
            if countdown < 0 and index > hit:
                break  # past the matched word, out of its fragment
    if matches:
        yield highlight.mkfrag(text, matches, startchar=first, endchar=endchar)


def _restart(words: list[re.Match[str]], done: int, hit: int) -> int:
    """The word from which the fragmenter, started afresh, reaches word ``hit`` as if it had read
    every word from ``done`` (none matched, outside any fragment): one that starts SURROUND
    characters or more before the end of the word preceding ``hit``, so that ``firsts`` would
    have dropped every start before it. ``done`` when there is none after it."""
    limit = words[hit - 1].end() - SURROUND if hit > 0 else 0
    restart = hit - 1
    while restart > done and words[restart].start() > limit:
        restart -= 1
    return restart


@lru_cache(maxsize=200_000)
def _piece_texts(word: str) -> frozenset[str]:
    return frozenset(piece[0] for piece in token_pieces(word))


@lru_cache(maxsize=200_000)
def _initials(word: str) -> frozenset[str]:
    """The first letter of each piece of ``word`` once stemmed (see ``folded_pieces``)."""
    return frozenset(
        letter for folded, *_rest in folded_pieces(word) for letter in (folded[:1], folded[:1].lower())
    )


def lead(text: str) -> str:
    """The start of a text as an excerpt (escaped, no marks)."""
    if len(text) <= _LEAD_CHARS:
        end = len(text)
    else:
        end = text.rfind(" ", 0, _LEAD_CHARS)
        end = end if end > 0 else _LEAD_CHARS
    return FORMATTER.format([highlight.Fragment(text, [], 0, end)])
