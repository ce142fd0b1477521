"""The product a query names: the words that make a search one within a product (its name and
declared aliases, never its code nor a common word) and the reading of a query that the command
line, the endpoint and the browser search share (``portail-search.js`` applies the same rule to
``portail-produits.json``'s ``words``). No whoosh here: the build imports it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.words import STOP_WORDS, TOKEN_RE, fold

if TYPE_CHECKING:
    from ..model.kb import Product

# Words that never become a product filter when a reader types them in a query, even when a
# product declares them as an alias (« autres ») or as its code (« PART »): the French stop words
# of the search, plus common words of support questions. Shorter than three letters: never.
FILTER_STOP_WORDS = STOP_WORDS | frozenset(
    (
        "autre autres part parti partie partage tout tous general generale generaux service services "
        "document documents documentation produit produits logiciel logiciels version versions "
        "erreur aide support compte acte actes message messages transverse commun commune"
    ).split()
)
MIN_FILTER_WORD = 3


def filter_words(product: Product) -> list[str]:
    """The words of a query that make it a search within ``product``: its name and its declared
    aliases, folded (lowercase, accents removed), never its code or slug alone, never a stop
    word nor a word shorter than three letters (« de », « part », « autres » stay words)."""
    words = set()
    for written in (product.name, *product.aliases):
        folded = " ".join(fold(written).lower().replace("'", " ").replace("’", " ").split())
        if len(folded) >= MIN_FILTER_WORD and folded not in FILTER_STOP_WORDS:
            words.add(folded)
    return sorted(words)


@dataclass(frozen=True)
class Understood:
    """What a query means before it is searched: the words to search, the product it is
    limited to, and whether that product was named in the query rather than chosen."""

    query: str
    product: str | None
    recognised: bool = False


def understand(query: str, product: str | None, kb_products: Iterable[Product]) -> Understood:
    """The query as the command line, the endpoint and the browser read it: a product chosen
    (``product``, a slug) stays; otherwise the first product whose name or declared alias the
    query holds (phrases of up to three words, « documentation transverse ») becomes the
    filter and its words leave the query, unless nothing else is left to search."""
    if product is not None:
        return Understood(query, product)
    spaced = query.replace("'", " ").replace("’", " ")
    tokens = [(m.start(), m.end(), fold(m.group()).lower()) for m in TOKEN_RE.finditer(spaced)]
    owners = {word: p.slug for p in kb_products for word in filter_words(p)}
    found: str | None = None
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(3, len(tokens) - i), 0, -1):
            phrase = " ".join(token[2] for token in tokens[i : i + n])
            owner = owners.get(phrase)
            if owner is not None and found in (None, owner):
                found = owner
                spans.append((tokens[i][0], tokens[i + n - 1][1]))
                i += n - 1
                break
        i += 1
    if found is None:
        return Understood(query, None)
    rest, last = [], 0
    for begin, end in spans:
        rest.append(query[last:begin])
        last = end
    rest.append(query[last:])
    remaining = " ".join("".join(rest).split())
    return Understood(remaining if TOKEN_RE.search(remaining) else query, found, recognised=True)
