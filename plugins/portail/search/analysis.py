"""The whoosh analyzer and schema of the search index (French: regex tokenizer, compound words,
lowercase, accent folding *before* stop words and the French stemmer). The word-level rules
live in ``search_words``; this module wraps them as whoosh filters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token
from whoosh.fields import ID, KEYWORD, TEXT, Schema

from ..model.words import (
    MAX_WORD,
    MIN_WORD,
    STOP_WORDS,
    TOKEN_PATTERN,
    TOKEN_RE,
    compound_parts,
    fold,
    stem,
    token_pieces,
)

TITLE_BOOST = 3.0
ABOUT_BOOST = 1.5


class CompoundFilter(Filter):
    """Compound words: « Pré-requis », « i-Parapheur », « SIGN-EXT-001 », « parapheur.conf ».
    Indexed as the joined word (« prerequis », « iparapheur ») and as each part; a query uses
    the joined word only, so « prérequis », « pré-requis » and « i-parapheur » all match, and so
    does « parapheur ». Versions (« 4.7.11 ») stay whole."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            text = token.text
            if compound_parts(text) is None:
                yield token
                continue
            start = token.startchar if token.chars else 0
            token.text = text.replace("-", "")
            yield token
            if token.mode == "query":
                continue
            pattern = r"[^-.]+" if any(c.isalpha() for c in text) else r"[^-]+"
            for part in re.finditer(pattern, text):
                token.text = part.group()
                token.stopped = False
                if token.chars:
                    token.startchar = start + part.start()
                    token.endchar = start + part.end()
                yield token


class FoldFilter(Filter):
    """Accent folding of each token (see ``fold``); token offsets stay those of the original."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


class FrenchStemFilter(Filter):
    """The French stemmer on folded words (skipped for the spelling words: ``is_morph``)."""

    is_morph = True

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def french_analyzer() -> Any:
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | CompoundFilter()
        | LowercaseFilter()
        | FoldFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=MIN_WORD, maxsize=MAX_WORD)
        | FrenchStemFilter()
    )


def highlight_tokens(text: str, **_options: Any) -> Iterator[Any]:
    """The tokens ``french_analyzer()(text, chars=True, mode="index", removestops=False)``
    yields, made from the pieces of each raw token (``token_pieces``, cached) instead of
    five generator stages per token: whoosh's highlighter analyses the whole text of every
    hit, and that was most of an excerpt's cost. A test holds both equal. One token object,
    changed in place, as whoosh's own tokenizers do (the highlighter copies what it keeps)."""
    token = Token(positions=False, chars=True, removestops=False, mode="index")
    for match in TOKEN_RE.finditer(text):
        start = match.start()
        for piece, begin, end, stopped in token_pieces(match.group()):
            token.text = piece
            token.startchar = start + begin
            token.endchar = start + end
            token.stopped = stopped
            token.boost = 1.0
            yield token


def search_schema() -> Schema:
    analyzer = french_analyzer()
    # phrase=False: postings hold each word's frequency, not its positions. No query uses
    # positions (user input becomes term queries; excerpts analyse the stored text again), and
    # unpickling positions was most of reading a posting list: twice the index, three times the
    # time to score a word never searched before. Scores are the same (weights are frequencies).
    return Schema(
        url=ID(stored=True, unique=True, sortable=True),
        content_hash=ID(stored=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST, spelling=True, phrase=False),
        # Names, codes and aliases of the products, FAQ tags, version line: words that describe
        # the page without being in its text.
        about=TEXT(analyzer=analyzer, field_boost=ABOUT_BOOST, phrase=False),
        body=TEXT(analyzer=analyzer, stored=True, spelling=True, phrase=False),
        products=KEYWORD(stored=True, lowercase=False, scorable=False),
        type=ID(stored=True),
        line=ID(stored=True),
    )
