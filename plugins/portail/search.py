"""Full-text search of the knowledge base: the command line and the search endpoint. whoosh
(``whoosh-reloaded``, unmaintained) is imported by the ``search*`` modules only: this one (the
index, queries and results), ``search_analysis`` (analyzer and schema), ``search_query``,
``search_excerpts`` and ``search_words`` (the French words, ``whoosh.lang`` only).
``search_documents`` (the pages as the search sees them) and ``search_manifest`` (what kb/
looked like when the index was last brought up to date) import no whoosh.

French analysis: regex tokenizer, lowercase, accent folding (NFKD: « télétransmission » ==
« teletransmission », « s²low » == « s2low »), French stop words (folded), then the French
stemmer (« certificats » finds « certificat »). User input is never parsed as whoosh syntax: it is
tokenised here and turned into term queries, so quotes, ``*``, ``:`` or parentheses mean nothing.

The index lives in one directory (the CLI uses ``.portail/index/``). ``SearchIndex.update`` is
incremental (pages compared by URL and content hash: only added and changed pages are analysed
and written) and rebuilds from scratch when ``ANALYSIS_VERSION`` differs from the one stored
with the index.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import highlight
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage

from .model import PAGE_TYPES
from .search_analysis import french_analyzer, highlight_tokens, search_schema
from .search_excerpts import FORMATTER, lead
from .search_query import EMPTY_QUERY_MESSAGE as EMPTY_QUERY_MESSAGE
from .search_query import MAX_QUERY_LENGTH as MAX_QUERY_LENGTH
from .search_query import (
    cascade,
    closest_words,
    correctable,
    found_count,
    is_known,
    normalize_query,
    term_query,
)
from .search_query import product_from_text as product_from_text
from .search_words import TOKEN_RE, fold, stem

if TYPE_CHECKING:
    from .search_documents import Searchable, SearchDocument

# Bump when the analyzer, the schema or what a document holds changes: the next update rebuilds.
ANALYSIS_VERSION = 2  # 2: content_hash of page sources (raw fields), not of documents
MAX_LIMIT = 50
LOCK_TIMEOUT = 120.0  # seconds a writer waits for another one
MAX_CORRECTIONS = 4  # unknown words of a query looked up for a correction
TYPE_LABELS = PAGE_TYPES
TYPES = tuple(PAGE_TYPES)

_META_FILE = "portail-search.json"
_UPDATE_LOCK = "PORTAIL_UPDATE"
# Names that moved to ``search_documents``, still importable from here. Loaded on first use:
# ``portail search`` on an up-to-date index needs neither them nor what they import (releases,
# urls, clock).
_DOCUMENT_NAMES = ("SearchDocument", "documents_from_kb", "make_document", "markdown_text")


def __getattr__(name: str) -> Any:
    if name in _DOCUMENT_NAMES:
        from . import search_documents

        return getattr(search_documents, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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

    def update(self, documents: Sequence[Searchable]) -> UpdateStats:
        """Bring the index in line with ``documents``: only pages added, changed (content hash)
        or removed are made into documents (``document()``: a page source's Markdown turned
        into text) and written. Rebuilds from scratch when there is no usable index or when it
        was built with another ``ANALYSIS_VERSION``. Writers wait for each other (file lock)."""
        wanted: dict[str, Searchable] = {}
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
                    for item in changed:
                        writer.update_document(**self._fields(item))
                    for item in added:
                        writer.add_document(**self._fields(item))
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

    def _rebuild(self, documents: list[Searchable]) -> None:
        meta_path = self.directory / _META_FILE
        meta_path.unlink(missing_ok=True)
        ix = whoosh_index.create_in(str(self.directory), search_schema())
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
    def _fields(item: Searchable) -> dict[str, Any]:
        document: SearchDocument = item.document()
        about = list(document.keywords)
        if document.line:
            about.append(document.line)
        fields = {
            "url": document.url,
            # The hash update() compares: a page source's (raw fields), not its document's.
            "content_hash": item.content_hash,
            "title": document.title,
            "about": "\n".join(about),
            "body": document.body,
            "products": " ".join(document.products),
            "type": document.type,
        }
        if document.line:
            fields["line"] = document.line
        return fields

    def state(self) -> str | None:
        """What identifies the committed index: its build (a new one at every rebuild) and
        whoosh's generation (one more at every commit). A manifest of kb/ records it, so an
        index written since by anyone else is never taken for the one the manifest describes.
        None when there is no usable index."""
        meta = self._read_meta()
        if meta is None or meta.get("analysis_version") != ANALYSIS_VERSION:
            return None
        try:
            generation = whoosh_index.open_dir(str(self.directory)).latest_generation()
        except Exception:  # no index, or not one whoosh can read: the caller rebuilds
            return None
        return f"{meta.get('build')}:{generation}"

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

    def _product_pages(self, searcher: Any) -> dict[str, frozenset[int]]:
        """Product slug -> the pages of that product, read once per searcher. Counting matches
        per product with whoosh's FieldFacet read every posting of the field at every search
        (13 ms at 5,000 pages, for each of up to three queries a search makes)."""
        cached = getattr(self._local, "products", None)
        if cached is not None and cached[0] is searcher:
            return cached[1]
        reader = searcher.reader()
        pages = {
            slug.decode("utf-8") if isinstance(slug, bytes) else str(slug): frozenset(
                reader.postings("products", slug).all_ids()
            )
            for slug in reader.lexicon("products")
            if slug
        }
        self._local.products = (searcher, pages)
        return pages

    def close(self) -> None:
        """Close this thread's searcher (others are closed with their threads' objects)."""
        cached = getattr(self._local, "searcher", None)
        if cached is not None:
            cached[1].close()
            self._local.searcher = None
            self._local.products = None

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
            unknown = [s for s, w in words.items() if correctable(w) and not is_known(reader, s)]
            known = [term_query(s) for s in words if s not in unknown and is_known(reader, s)]
            corrections: dict[str, str] = {}
            for word_stem in unknown[:MAX_CORRECTIONS]:
                candidates = closest_words(reader, words[word_stem])
                if len(candidates) > 1 and known:
                    # Among equally close words, the one found most (and best) with the other words.
                    def together(candidate: str) -> tuple[int, float]:
                        query = wq.And([*known, term_query(stem(candidate))])
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
            for level, candidate in enumerate(cascade(alternatives)):
                if ranked and (level == 2 or found_count(ranked, by_product, product) >= limit):
                    break  # any-word matches only when nothing better was found
                results = searcher.search(candidate, limit=None, filter=type_filter)
                for docnum, _score in results.items():
                    ranked.setdefault(docnum, None)
                matched = results.docs()
                for slug, holders in self._product_pages(searcher).items():
                    found = holders.intersection(matched)
                    if found:
                        by_product.setdefault(slug, set()).update(found)
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
        for match in TOKEN_RE.finditer(text):
            word_stem = stem(fold(match.group().lower()))
            if word_stem in corrections:
                pieces.extend((text[position : match.start()], corrections[word_stem]))
                position = match.end()
        pieces.append(text[position:])
        suggestion = "".join(pieces)
        terms = self.terms(suggestion)
        if not terms or not all(is_known(searcher.reader(), term) for term in terms):
            return None
        strict = next(cascade([[term] for term in terms]))
        return suggestion if searcher.search(strict, limit=1, filter=type_filter).scored_length() else None

    def _hit(self, searcher: Any, docnum: int, terms: frozenset[str] | None) -> Hit:
        stored = searcher.stored_fields(docnum)
        body = stored.get("body", "")
        excerpt = ""
        if terms:
            excerpt = highlight.highlight(
                body,
                terms,
                highlight_tokens,
                highlight.ContextFragmenter(maxchars=160, surround=50, charlimit=None),
                FORMATTER,
                top=2,
                mode="index",
            )
        if not excerpt:
            excerpt = lead(body)
        return Hit(
            url=stored["url"],
            title=stored.get("title", ""),
            products=tuple(stored.get("products", "").split()),
            type=stored.get("type", ""),
            excerpt=excerpt,
        )
