"""Full-text search of the knowledge base: the command line, « related articles » and the search
endpoint. The only module that imports whoosh (``whoosh-reloaded``, unmaintained: keep it here).

French analysis: regex tokenizer, lowercase, accent folding (NFKD: « télétransmission » ==
« teletransmission », « s²low » == « s2low »), French stop words (folded), then the French
stemmer (« certificats » finds « certificat »). User input is never parsed as whoosh syntax: it is
tokenised here and turned into term queries, so quotes, ``*``, ``:`` or parentheses mean nothing.

The index lives in one directory (the CLI uses ``.portail/index/``). ``SearchIndex.update`` is
incremental (pages compared by URL and content hash) and rebuilds from scratch when
``ANALYSIS_VERSION`` differs from the one stored with the index.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import highlight
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists
from whoosh.sorting import FieldFacet

from .clock import french_moment
from .model import PAGE_TYPES, KnowledgeBase, Product
from .releases import release_title
from .urls import article_url, document_url, post_url, release_url

# Bump when the analyzer, the schema or what a document holds changes: the next update rebuilds.
ANALYSIS_VERSION = 1
MAX_QUERY_LENGTH = 200
MAX_LIMIT = 50
LOCK_TIMEOUT = 120.0  # seconds a writer waits for another one
MAX_CORRECTIONS = 4  # unknown words of a query looked up for a correction
TYPE_LABELS = PAGE_TYPES
TYPES = tuple(PAGE_TYPES)
EMPTY_QUERY_MESSAGE = "la recherche est vide : indiquez au moins un mot à chercher"

TITLE_BOOST = 3.0
ABOUT_BOOST = 1.5
_META_FILE = "portail-search.json"
_UPDATE_LOCK = "PORTAIL_UPDATE"

# Words: letters and digits; hyphens and dots inside a word kept (« 4.7.11 », « i-Parapheur »,
# « parapheur.conf »), the parts are split off by ``CompoundFilter``.
_TOKEN_PATTERN = r"\w+(?:[-.]\w+)*"
_TOKEN_RE = re.compile(_TOKEN_PATTERN)
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


class CompoundFilter(Filter):
    """Compound words: « Pré-requis », « i-Parapheur », « SIGN-EXT-001 », « parapheur.conf ».
    Indexed as the joined word (« prerequis », « iparapheur ») and as each part; a query uses
    the joined word only, so « prérequis », « pré-requis » and « i-parapheur » all match, and so
    does « parapheur ». Versions (« 4.7.11 ») stay whole."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            text = token.text
            has_letters = any(c.isalpha() for c in text)
            if "-" not in text and not ("." in text and has_letters):
                yield token
                continue
            start = token.startchar if token.chars else 0
            token.text = text.replace("-", "")
            yield token
            if token.mode == "query":
                continue
            for part in re.finditer(r"[^-.]+" if has_letters else r"[^-]+", text):
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
        RegexTokenizer(_TOKEN_PATTERN)
        | CompoundFilter()
        | LowercaseFilter()
        | FoldFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=2, maxsize=60)
        | FrenchStemFilter()
    )


def _schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        url=ID(stored=True, unique=True, sortable=True),
        content_hash=ID(stored=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST, spelling=True),
        # Names, codes and aliases of the products, FAQ tags, version line: words that describe
        # the page without being in its text.
        about=TEXT(analyzer=analyzer, field_boost=ABOUT_BOOST),
        body=TEXT(analyzer=analyzer, stored=True, spelling=True),
        products=KEYWORD(stored=True, lowercase=False, scorable=False),
        type=ID(stored=True),
        line=ID(stored=True),
    )


# ----------------------------------------------------------------------------------------------
# Documents


@dataclass(frozen=True)
class SearchDocument:
    """One page of the site as the index sees it."""

    url: str  # site-relative, e.g. "faq/pastell/nouveau-role-absent-de-la-liste/"
    title: str
    products: tuple[str, ...]  # product slugs
    type: str  # "faq" | "release" | "documentation" | "information"
    line: str | None  # version line "4.7" when it applies, else None
    body: str  # plain text of the content
    content_hash: str  # sha256 of everything else
    # Words describing the page that are not in its text: product names, codes and aliases,
    # FAQ tags. Indexed, never shown.
    keywords: tuple[str, ...] = ()


def make_document(
    url: str,
    title: str,
    products: Iterable[str],
    type: str,
    line: str | None,
    body: str,
    keywords: Iterable[str] = (),
) -> SearchDocument:
    """A ``SearchDocument`` with its content hash computed."""
    if type not in TYPES:
        raise ValueError(f"type de page inconnu « {type} » (types : {', '.join(TYPES)})")
    products = tuple(products)
    keywords = tuple(keywords)
    payload = json.dumps([url, title, products, type, line, body, keywords], ensure_ascii=False)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return SearchDocument(url, title, products, type, line, body, digest, keywords)


def _product_keywords(kb: KnowledgeBase, slugs: Iterable[str]) -> list[str]:
    words: list[str] = []
    for slug in slugs:
        words.append(slug)
        try:
            product = kb.product(slug)
        except KeyError:
            continue
        words.extend((product.name, product.code, *product.aliases))
    return words


def documents_from_kb(kb: KnowledgeBase) -> list[SearchDocument]:
    """Every page worth finding: FAQ articles, published release notes, the documentation
    (Markdown documents by their text, attachments by title and description) and information
    posts (text and updates). Sorted by URL."""
    documents: list[SearchDocument] = []
    for article in kb.articles:
        documents.append(
            make_document(
                article_url(article),
                article.title,
                article.products,
                "faq",
                None,
                markdown_text(article.body),
                [*_product_keywords(kb, article.products), *article.tags],
            )
        )
    for release in kb.releases:
        if release.unpublished:
            continue
        try:
            product = kb.product(release.product)
        except KeyError:
            continue
        parts = [release.intro]
        for section in release.sections:
            parts.extend((section.title, section.body))
        keywords = [*_product_keywords(kb, (release.product,)), str(release.version)]
        if release.declared_kind:
            keywords.append(release.declared_kind)
        documents.append(
            make_document(
                release_url(release),
                release_title(product, release),
                (release.product,),
                "release",
                str(release.version.line),
                markdown_text("\n\n".join(part for part in parts if part)),
                keywords,
            )
        )
    for document in kb.documents:
        if document.attachment is not None:
            body = document.description or ""
            extra = [document.attachment.extension.upper()]
        else:
            body = markdown_text(document.body or "")
            extra = []
        if document.version:
            extra.append(document.version)
        documents.append(
            make_document(
                document_url(document),
                document.title,
                (document.product,),
                "documentation",
                str(document.line) if document.line is not None else None,
                body,
                [*_product_keywords(kb, (document.product,)), document.kind.label, *extra],
            )
        )
    for post in kb.posts:
        parts = [post.body]
        if post.updates:
            parts.append("Mises à jour")
            parts.extend(f"{french_moment(update.at)} : {update.text}" for update in post.updates)
        keywords = [*_product_keywords(kb, post.products), post.kind.value]
        if post.label:
            keywords.append(post.label)
        documents.append(
            make_document(
                post_url(post),
                post.title,
                post.products,
                "information",
                None,
                markdown_text("\n\n".join(parts)),
                keywords,
            )
        )
    return sorted(documents, key=lambda d: d.url)


_FENCE = re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*\w+(?:[ \t]+\"([^\"]*)\")?[ \t]*$", re.MULTILINE)
# Horizontal white space only: `\s` spans lines and made this regex cubic on blank lines.
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.MULTILINE)
_LIST_MARK = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_ATTR_LIST = re.compile(r"\{:?\s*[.#][^}]*\}")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"(\*\*|__|`)")


def markdown_text(markdown: str) -> str:
    """Readable plain text of Markdown (markup dropped, text of links and code kept)."""
    text = _COMMENT.sub(" ", markdown)
    text = _FENCE.sub("", text)
    text = _ADMONITION.sub(lambda m: m.group(1) or "", text)
    text = _TABLE_RULE.sub("", text)
    text = _HEADING.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _ATTR_LIST.sub("", text)
    text = _LIST_MARK.sub(r"\1", text)
    text = _QUOTE.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("|", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


# ----------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Hit:
    url: str
    title: str
    products: tuple[str, ...]
    type: str
    excerpt: str  # HTML: matched words in <mark>, everything else escaped


@dataclass(frozen=True)
class SearchResults:
    query: str  # the query as searched (stripped, truncated)
    hits: tuple[Hit, ...]
    total: int  # every match (with the product and type filters)
    product_counts: dict[str, int]  # matches per product slug, type filter applied, product not
    suggestion: str | None  # « Vouliez-vous dire … » corrected query (plain text), or None


@dataclass(frozen=True)
class UpdateStats:
    added: int
    changed: int
    removed: int
    rebuilt: bool


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


_FORMATTER = _MarkFormatter()
_LEAD_CHARS = 220


def _lead(text: str) -> str:
    """The start of a text as an excerpt (escaped, no marks)."""
    if len(text) <= _LEAD_CHARS:
        end = len(text)
    else:
        end = text.rfind(" ", 0, _LEAD_CHARS)
        end = end if end > 0 else _LEAD_CHARS
    return _FORMATTER.format([highlight.Fragment(text, [], 0, end)])


# ----------------------------------------------------------------------------------------------
# The index


class SearchIndex:
    """The whoosh index in ``directory``. Safe to share between threads (one searcher each)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._analyzer = french_analyzer()
        self._local = threading.local()
        self._open_lock = threading.Lock()
        self._ix: Any = None
        self._ix_build: str | None = None

    # -- writing -------------------------------------------------------------------------------

    def update(self, documents: Sequence[SearchDocument]) -> UpdateStats:
        """Bring the index in line with ``documents``: only pages added, changed (content hash)
        or removed are written. Rebuilds from scratch when there is no usable index or when it
        was built with another ``ANALYSIS_VERSION``. Writers wait for each other (file lock)."""
        wanted: dict[str, SearchDocument] = {}
        for document in documents:
            wanted.setdefault(document.url, document)
        self.directory.mkdir(parents=True, exist_ok=True)
        lock = FileStorage(str(self.directory)).lock(_UPDATE_LOCK)
        deadline = time.monotonic() + LOCK_TIMEOUT
        while not lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"l'index de recherche {self.directory} est en cours de mise à jour par un autre "
                    f"processus depuis plus de {LOCK_TIMEOUT:.0f} s ; relancez la commande plus tard."
                )
            time.sleep(0.05)
        try:
            existing = self._existing_pages()
            if existing is None:
                self._rebuild(list(wanted.values()))
                return UpdateStats(added=len(wanted), changed=0, removed=0, rebuilt=True)
            added = [d for url, d in wanted.items() if url not in existing]
            changed = [d for url, d in wanted.items() if url in existing and existing[url] != d.content_hash]
            removed = [url for url in existing if url not in wanted]
            if added or changed or removed:
                ix = whoosh_index.open_dir(str(self.directory))
                writer = ix.writer(timeout=60.0)
                try:
                    for url in removed:
                        writer.delete_by_term("url", url)
                    for document in changed:
                        writer.update_document(**self._fields(document))
                    for document in added:
                        writer.add_document(**self._fields(document))
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
            return UpdateStats(added=len(added), changed=len(changed), removed=len(removed), rebuilt=False)
        finally:
            lock.release()

    def _existing_pages(self) -> dict[str, str] | None:
        """URL -> content hash of the indexed pages; None when the index must be rebuilt."""
        meta = self._read_meta()
        if meta is None or meta.get("analysis_version") != ANALYSIS_VERSION:
            return None
        try:
            ix = whoosh_index.open_dir(str(self.directory))
            with ix.reader() as reader:
                urls = reader.column_reader("url")
                hashes = reader.column_reader("content_hash")
                return {urls[n]: hashes[n] for n in reader.all_doc_ids()}
        except Exception:  # an unreadable or foreign index is rebuilt, never trusted
            return None

    def _rebuild(self, documents: list[SearchDocument]) -> None:
        meta_path = self.directory / _META_FILE
        meta_path.unlink(missing_ok=True)
        ix = whoosh_index.create_in(str(self.directory), _schema())
        writer = ix.writer(limitmb=256)
        try:
            for document in documents:
                writer.add_document(**self._fields(document))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        meta = {"analysis_version": ANALYSIS_VERSION, "build": uuid.uuid4().hex}
        temporary = meta_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(temporary, meta_path)

    @staticmethod
    def _fields(document: SearchDocument) -> dict[str, Any]:
        about = list(document.keywords)
        if document.line:
            about.append(document.line)
        fields = {
            "url": document.url,
            "content_hash": document.content_hash,
            "title": document.title,
            "about": "\n".join(about),
            "body": document.body,
            "products": " ".join(document.products),
            "type": document.type,
        }
        if document.line:
            fields["line"] = document.line
        return fields

    def _read_meta(self) -> dict[str, Any] | None:
        try:
            meta = json.loads((self.directory / _META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    # -- reading -------------------------------------------------------------------------------

    @contextmanager
    def _searcher(self) -> Iterator[Any]:
        """This thread's searcher on the latest committed index; None when there is no index."""
        meta = self._read_meta()
        build = meta.get("build") if meta and meta.get("analysis_version") == ANALYSIS_VERSION else None
        if build is None:
            yield None
            return
        with self._open_lock:
            if self._ix is None or self._ix_build != build:
                self._ix = whoosh_index.open_dir(str(self.directory))
                self._ix_build = build
            ix = self._ix
        cached = getattr(self._local, "searcher", None)
        # Not Searcher.refresh(): whoosh 2.7 reuses segment readers by segment id, so it misses
        # deletions committed since, and brings back segments merged away.
        if cached is not None and cached[0] == build and cached[1].up_to_date():
            searcher = cached[1]
        else:
            if cached is not None:
                cached[1].close()
            searcher = ix.searcher()
        self._local.searcher = (build, searcher)
        yield searcher

    def close(self) -> None:
        """Close this thread's searcher (others are closed with their threads' objects)."""
        cached = getattr(self._local, "searcher", None)
        if cached is not None:
            cached[1].close()
            self._local.searcher = None

    def terms(self, text: str) -> list[str]:
        """The indexed forms of the words of ``text`` (folded, stop words dropped, stemmed)."""
        return list(self._words(text))

    def _words(self, text: str) -> dict[str, str]:
        """Stem -> folded word, for each distinct searchable word of ``text``, in order."""
        words: dict[str, str] = {}
        for token in self._analyzer(text, no_morph=True, mode="query"):
            words.setdefault(stem(token.text), token.text)
        return words

    def search(
        self,
        query: str,
        *,
        product: str | None = None,
        type: str | None = None,
        limit: int = 5,
    ) -> SearchResults:
        """Pages matching every word of ``query`` (else all words but one, else any word), best
        first. A word unknown to the index also matches its closest indexed word, which makes
        the « Vouliez-vous dire » suggestion. ``product`` and ``type`` filter the hits and
        ``total``; ``product_counts`` counts matches per product with the type filter only, so
        a user sees where else the words appear."""
        text = normalize_query(query)
        if type is not None and type not in TYPES:
            raise ValueError(f"type inconnu « {type} » (types : {', '.join(TYPES)})")
        limit = max(1, int(limit))
        words = self._words(text)
        with self._searcher() as searcher:
            if searcher is None or not words:
                return SearchResults(text, (), 0, {}, None)
            reader = searcher.reader()
            unknown = [s for s, w in words.items() if _correctable(w) and not _known(reader, s)]
            known = [_term_query(s) for s in words if s not in unknown and _known(reader, s)]
            corrections: dict[str, str] = {}
            for word_stem in unknown[:MAX_CORRECTIONS]:
                candidates = _closest_words(reader, words[word_stem])
                if len(candidates) > 1 and known:
                    # Among equally close words, the one found most (and best) with the other words.
                    def together(candidate: str) -> tuple[int, float]:
                        query = wq.And([*known, _term_query(stem(candidate))])
                        found = searcher.search(query, limit=None)
                        return (found.scored_length(), found.score(0) if found.scored_length() else 0.0)

                    candidates.sort(key=together, reverse=True)
                if candidates:
                    corrections[word_stem] = candidates[0]
            alternatives = [
                [word_stem, stem(corrections[word_stem])] if word_stem in corrections else [word_stem]
                for word_stem in words
            ]
            type_filter = wq.Term("type", type) if type else None
            ranked: dict[int, None] = {}
            by_product: dict[str, set[int]] = {}
            for level, candidate in enumerate(_cascade(alternatives)):
                if ranked and (level == 2 or _count(ranked, by_product, product) >= limit):
                    break  # any-word matches only when nothing better was found
                results = searcher.search(
                    candidate,
                    limit=None,
                    filter=type_filter,
                    groupedby=FieldFacet("products", allow_overlap=True),
                )
                for docnum, _score in results.items():
                    ranked.setdefault(docnum, None)
                for slug, docnums in results.groups("products").items():
                    if slug:
                        by_product.setdefault(str(slug), set()).update(docnums)
            product_counts = {
                slug: len(docnums)
                for slug, docnums in sorted(by_product.items(), key=lambda item: (-len(item[1]), item[0]))
            }
            if product:
                allowed = by_product.get(product, set())
                ranked = {docnum: None for docnum in ranked if docnum in allowed}
            highlighted = frozenset(term for group in alternatives for term in group)
            hits = tuple(self._hit(searcher, docnum, highlighted) for docnum in list(ranked)[:limit])
            suggestion = self._suggestion(searcher, text, corrections, type_filter) if corrections else None
            return SearchResults(text, hits, len(ranked), product_counts, suggestion)

    def _suggestion(
        self, searcher: Any, text: str, corrections: dict[str, str], type_filter: Any
    ) -> str | None:
        """The query with each unknown word replaced by its correction, as the user typed the
        rest; only when every word of it matches at least one page (the query itself, with an
        unknown word, matches none)."""
        pieces: list[str] = []
        position = 0
        for match in _TOKEN_RE.finditer(text):
            word_stem = stem(fold(match.group().lower()))
            if word_stem in corrections:
                pieces.extend((text[position : match.start()], corrections[word_stem]))
                position = match.end()
        pieces.append(text[position:])
        suggestion = "".join(pieces)
        terms = self.terms(suggestion)
        if not terms or not all(_known(searcher.reader(), term) for term in terms):
            return None
        strict = next(_cascade([[term] for term in terms]))
        return suggestion if searcher.search(strict, limit=1, filter=type_filter).scored_length() else None

    def _hit(self, searcher: Any, docnum: int, terms: frozenset[str] | None) -> Hit:
        stored = searcher.stored_fields(docnum)
        body = stored.get("body", "")
        excerpt = ""
        if terms:
            excerpt = highlight.highlight(
                body,
                terms,
                self._analyzer,
                highlight.ContextFragmenter(maxchars=160, surround=50, charlimit=None),
                _FORMATTER,
                top=2,
                mode="index",
            )
        if not excerpt:
            excerpt = _lead(body)
        return Hit(
            url=stored["url"],
            title=stored.get("title", ""),
            products=tuple(stored.get("products", "").split()),
            type=stored.get("type", ""),
            excerpt=excerpt,
        )

    def related(self, url: str, *, limit: int = 5, type: str | None = None) -> list[Hit]:
        """Pages like the page at ``url`` (more-like-this on title and text), pages sharing one
        of its products first; never the page itself. Empty when the page is not indexed."""
        with self._searcher() as searcher:
            if searcher is None:
                return []
            docnum = searcher.document_number(url=url)
            if docnum is None:
                return []
            stored = searcher.stored_fields(docnum)
            text = f"{stored.get('title', '')}\n{stored.get('title', '')}\n{stored.get('body', '')}"
            key_terms = searcher.key_terms_from_text("body", text, numterms=12, normalize=True)
            if not key_terms:
                return []
            similar = wq.Or([_term_query(word, boost=weight) for word, weight in key_terms])
            type_filter = wq.Term("type", type) if type else None
            results = searcher.search(similar, limit=max(limit * 4, 20), filter=type_filter, mask={docnum})
            own = set(stored.get("products", "").split())
            ordered = [docnum_ for docnum_, _score in results.items()]
            shares = {}
            for candidate in ordered:
                products = set(searcher.stored_fields(candidate).get("products", "").split())
                shares[candidate] = bool(own & products)
            ordered.sort(key=lambda candidate: 0 if shares[candidate] else 1)
            return [self._hit(searcher, candidate, None) for candidate in ordered[:limit]]


def _count(ranked: dict[int, None], by_product: dict[str, set[int]], product: str | None) -> int:
    return len(by_product.get(product, ())) if product else len(ranked)


def _term_query(term: str, boost: float = 1.0) -> Any:
    """One word in any of the text fields."""
    return wq.Or(
        [wq.Term("title", term), wq.Term("about", term), wq.Term("body", term)],
        boost=boost,
    )


def _cascade(alternatives: Sequence[Sequence[str]]) -> Iterator[Any]:
    """Three queries, strict to lenient: every word, all words but one (three to eight words),
    any word. Each word is a group of alternative stems (the word and its correction)."""
    words = [
        _term_query(group[0]) if len(group) == 1 else wq.Or([_term_query(term) for term in group])
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


def _correctable(word: str) -> bool:
    return len(word) >= 4 and not any(c.isdigit() for c in word)


def _known(reader: Any, term: str) -> bool:
    return any((field, term) in reader for field in ("title", "about", "body"))


def _closest_words(reader: Any, word: str, limit: int = 5) -> list[str]:
    """Indexed words (title and body, unstemmed) closest to ``word``: the smallest edit distance
    found, most frequent first."""
    for maxdist in (1, 2):
        if maxdist == 2 and len(word) < 6:
            break
        frequencies: dict[str, int] = {}
        for leaf, _offset in reader.leaf_readers():
            for field in ("title", "body"):
                spelling = leaf.schema[field].spelling_fieldname(field)
                for candidate in leaf.terms_within(field, word, maxdist, prefix=1):
                    if candidate != word:
                        frequencies[candidate] = frequencies.get(candidate, 0) + leaf.doc_frequency(
                            spelling, candidate
                        )
        if frequencies:
            ranked = sorted(frequencies, key=lambda c: (-frequencies[c], abs(len(c) - len(word)), c))
            return ranked[:limit]
    return []
