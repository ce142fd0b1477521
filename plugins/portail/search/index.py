"""Full-text search of the knowledge base: the command line and the search endpoint. whoosh
(``whoosh-reloaded``, unmaintained) is imported by the ``search*`` modules only: this one (the
index and its results), ``search_analysis`` (analyzer and schema), ``search_query`` (queries,
spelling), ``search_ranking`` (the cascade, counts per product, suggestion), ``search_engine``
and ``search_matchers`` (whoosh's documents and scores from whole posting lists),
``search_excerpts`` and ``search_words`` (the French words, ``whoosh.lang`` only).
``search_documents`` (the pages as the search sees them) and ``search_manifest`` (what kb/
looked like when the index was last brought up to date) import no whoosh; ``search_startup``
imports it for a new process, without the standard modules it does not use.

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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from ..model.kb import PAGE_TYPES
from ..model.words import stem
from .analysis import french_analyzer, search_schema
from .engine import QueryEngine, ScoreCache
from .excerpts import excerpt
from .query import EMPTY_QUERY_MESSAGE as EMPTY_QUERY_MESSAGE
from .query import MAX_QUERY_LENGTH as MAX_QUERY_LENGTH
from .query import Expansion, normalize_query
from .query import product_from_text as product_from_text
from .ranking import MAX_CORRECTIONS as MAX_CORRECTIONS
from .ranking import rank, suggestion

if TYPE_CHECKING:
    from ..model.synonyms import Synonyms
    from .documents import Searchable, SearchDocument

# Bump when the analyzer, the schema or what a document holds changes: the next update rebuilds.
ANALYSIS_VERSION = 3  # 2: content_hash of page sources (raw fields); 3: no word positions
MAX_LIMIT = 50
LOCK_TIMEOUT = 120.0  # seconds a writer waits for another one
TYPE_LABELS = PAGE_TYPES
TYPES = tuple(PAGE_TYPES)

_META_FILE = "portail-search.json"
# kb/synonymes.yml as the build writes it for the browser (synonyms.SYNONYMS_JSON), kept next
# to the index by update(): a search reads this small file, never kb/.
SYNONYMS_FILE = "portail-synonymes.json"
_UPDATE_LOCK = "PORTAIL_UPDATE"
# Names that moved to ``search_documents``, still importable from here. Loaded on first use:
# ``portail search`` on an up-to-date index needs neither them nor what they import (releases,
# urls, clock).
_DOCUMENT_NAMES = ("SearchDocument", "documents_from_kb", "make_document", "markdown_text")


def __getattr__(name: str) -> Any:
    if name in _DOCUMENT_NAMES:
        from . import documents as search_documents

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
        self._scores = ScoreCache()  # scored postings, shared by the threads' searchers
        self._expansion: tuple[tuple[int, int] | None, Expansion] | None = None

    # -- writing -------------------------------------------------------------------------------

    def update(self, documents: Sequence[Searchable], synonyms: Synonyms | None = None) -> UpdateStats:
        """Bring the index in line with ``documents``: only pages added, changed (content hash)
        or removed are made into documents (``document()``: a page source's Markdown turned
        into text) and written. Rebuilds from scratch when there is no usable index or when it
        was built with another ``ANALYSIS_VERSION``. Writers wait for each other (file lock).
        ``synonyms`` (kb/synonymes.yml) are kept next to the index when given and changed;
        None leaves the ones kept as they are."""
        if synonyms is not None:
            self._write_synonyms(synonyms)
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

    def _write_synonyms(self, synonyms: Synonyms) -> None:
        from ..model.synonyms import synonyms_json

        content = synonyms_json(synonyms)
        path = self.directory / SYNONYMS_FILE
        try:
            if path.read_bytes() == content:
                return
        except OSError:
            pass
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, path)

    def expansion(self) -> Expansion:
        """The synonyms kept next to the index as query stems, read again only when the file
        changes (one ``stat`` per search)."""
        path = self.directory / SYNONYMS_FILE
        try:
            status = path.stat()
            key: tuple[int, int] | None = (status.st_mtime_ns, status.st_size)
        except OSError:
            key = None
        cached = self._expansion
        if cached is not None and cached[0] == key:
            return cached[1]
        data = None
        if key is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
        expansion = Expansion.from_json(data, self.terms)
        self._expansion = (key, expansion)
        return expansion

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
        import uuid  # only here: `portail search` on an up-to-date index needs none

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
            ix = whoosh_index.open_dir(str(self.directory))
            generation = ix.latest_generation()
        except Exception:  # no index, or not one whoosh can read: the caller rebuilds
            return None
        with self._open_lock:  # for _searcher (a searcher reads the latest commit)
            self._ix, self._ix_build = ix, meta.get("build")
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

    def _engine(self, searcher: Any) -> QueryEngine:
        """This thread's query engine on ``searcher``, with the cache of the index's state."""
        cached = getattr(self._local, "engine", None)
        if cached is None or cached.searcher is not searcher:
            # The build and commit the searcher reads; a reader without generations shares nothing.
            generation = searcher.reader().generation()
            token = (self._local.searcher[0], object() if generation is None else generation)
            cached = self._local.engine = QueryEngine(searcher, self._scores, token)
        return cached

    def close(self) -> None:
        """Close this thread's searcher (others are closed with their threads' objects)."""
        cached = getattr(self._local, "searcher", None)
        if cached is not None:
            cached[1].close()
            self._local.searcher = None
            self._local.engine = None

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
        """Pages matching every word of ``query``, then most of its words, then any word, best
        first; a word also matches its synonyms (kb/synonymes.yml). A word unknown to the index also matches its closest indexed word, which makes
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
            engine = self._engine(searcher)
            engine.new_search()
            ranking = rank(engine, self.expansion().slots(words), product, type, limit)
            hits = tuple(self._hit(searcher, docnum, ranking.highlighted) for docnum in ranking.hits)
            suggested = suggestion(engine, text, ranking, self.terms) if ranking.corrections else None
            return SearchResults(text, hits, ranking.total, ranking.product_counts, suggested)

    def _hit(self, searcher: Any, docnum: int, terms: frozenset[str]) -> Hit:
        stored = searcher.stored_fields(docnum)
        return Hit(
            url=stored["url"],
            title=stored.get("title", ""),
            products=tuple(stored.get("products", "").split()),
            type=stored.get("type", ""),
            excerpt=excerpt(stored.get("body", ""), terms),
        )
