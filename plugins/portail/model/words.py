"""The words of French text as the search sees them: accent folding, stop words, the French
stemmer. Shared by the whoosh analyzer (``search_analysis``) and by « Articles liés »
(``related``), which needs the same terms without whoosh's per-token pipeline: ``index_terms``
gives, for a whole text, the terms the analyzer indexes, an order of magnitude faster.

Imports only ``whoosh.lang`` (the Snowball stemmer and the stop-word lists, a few milliseconds),
so a build that computes related articles does not load the rest of whoosh.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

# Words: letters and digits; hyphens and dots inside a word kept (« 4.7.11 », « i-Parapheur »,
# « parapheur.conf »), the parts are split off by the compound rule (``compound_parts``).
TOKEN_PATTERN = r"\w+(?:[-.]\w+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)
MIN_WORD, MAX_WORD = 2, 60  # shorter or longer tokens are not words worth indexing
# Question words that carry no meaning in a search, on top of the usual French stop words.
_EXTRA_STOP_WORDS = (
    "comment pourquoi quoi quel quelle quels quelles faire fait cela ceci cette cet "
    "lorsque quand dont sans plus tres tout tous toute toutes"
).split()


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lowercase-independent accent and compatibility folding: é→e, ²→2, œ→oe, ß→ss."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (
        stripped.replace("œ", "oe")
        .replace("Œ", "OE")
        .replace("æ", "ae")
        .replace("Æ", "AE")
        .replace("ß", "ss")
    )


STOP_WORDS = frozenset(fold(word) for word in stoplists["fr"]) | frozenset(_EXTRA_STOP_WORDS)

_french_stem = stemmer_for_language("fr")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The French stem of a folded word. Folding turns « bloquée » into « bloquee », which the
    stemmer no longer treats as a participle: « -ee(s) » is cut back to « -e » first. Words with
    digits (versions, « s2low », error codes) are kept as they are."""
    if any(c.isdigit() for c in word):
        return word
    if word.endswith("ees") and len(word) > 5:
        word = word[:-2]
    elif word.endswith("ee") and len(word) > 4:
        word = word[:-1]
    return _french_stem(word)


def compound_parts(text: str) -> list[str] | None:
    """The parts of a compound token (« i-Parapheur » → « i », « Parapheur »; « parapheur.conf »
    → « parapheur », « conf »), or None when the token is not compound. Versions (« 4.7.11 »)
    are not compound: no letters, no hyphen."""
    has_letters = any(c.isalpha() for c in text)
    if "-" not in text and not ("." in text and has_letters):
        return None
    return re.findall(r"[^-.]+" if has_letters else r"[^-]+", text)


def is_word(folded: str) -> bool:
    """Whether a lowercased, folded token is indexed (not a stop word, not too short or long)."""
    return MIN_WORD <= len(folded) <= MAX_WORD and folded not in STOP_WORDS


@lru_cache(maxsize=200_000)
def _token_terms(token: str) -> tuple[str, ...]:
    """The indexed terms of one raw token, as ``search_analysis.french_analyzer`` makes them
    in index mode: the joined compound, then its parts; lowercased, folded, stop words
    dropped, stemmed."""
    parts = compound_parts(token)
    texts = [token] if parts is None else [token.replace("-", ""), *parts]
    terms = []
    for text in texts:
        folded = fold(text.lower())
        if is_word(folded):
            terms.append(stem(folded))
    return tuple(terms)


@lru_cache(maxsize=200_000)
def token_pieces(token: str) -> tuple[tuple[str, int, int, bool], ...]:
    """What the analyzer yields for one raw token when stop words are kept (highlighting):
    (text, start, end, stopped) with offsets inside the token. A stopped piece keeps its
    folded text, unstemmed, as whoosh's StopFilter and FrenchStemFilter leave it."""
    return tuple(
        (folded if stopped else stem(folded), start, end, stopped)
        for folded, start, end, stopped in folded_pieces(token)
    )


@lru_cache(maxsize=200_000)
def folded_pieces(token: str) -> tuple[tuple[str, int, int, bool], ...]:
    """``token_pieces`` before stemming: each piece's folded text. The stemmer only cuts or
    replaces endings, so a piece's text, stemmed, is empty or starts as its folded text does
    (lowercased): what ``search_excerpts`` checks before stemming the words of a page."""
    parts = compound_parts(token)
    if parts is None:
        spans = [(token, 0, len(token))]
    else:
        pattern = r"[^-.]+" if any(c.isalpha() for c in token) else r"[^-]+"
        spans = [(token.replace("-", ""), 0, len(token))]
        spans += [(m.group(), m.start(), m.end()) for m in re.finditer(pattern, token)]
    pieces = []
    for text, start, end in spans:
        folded = fold(text.lower())
        pieces.append((folded, start, end, not is_word(folded)))
    return tuple(pieces)


def index_terms(text: str) -> list[str]:
    """Every indexed term of ``text``, in order, repeated as often as it occurs: the same list
    as the terms of ``french_analyzer()(text, mode="index")`` (a test holds them equal). Raw
    tokens repeat across a knowledge base, so each is analysed once per process."""
    terms: list[str] = []
    for token in TOKEN_RE.findall(text):
        terms.extend(_token_terms(token))
    return terms


def term_counts(text: str) -> dict[str, int]:
    """How many times each indexed term occurs in ``text``: ``Counter(index_terms(text))``,
    counted over distinct tokens (a page repeats its words: a third of the work)."""
    counts: dict[str, int] = {}
    for token, times in Counter(TOKEN_RE.findall(text)).items():
        for term in _token_terms(token):
            counts[term] = counts.get(term, 0) + times
    return counts
