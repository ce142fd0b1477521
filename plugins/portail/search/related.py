"""« Articles liés » of FAQ and release-note pages: the pages most like each page, same product
first (``related_scores`` says how). Computed at build time and cached per page in
``<cache>/related/``, so an edit recomputes the few lists it can change, not all of them
(5,000 pages: 2,000 lists, 142 s of CPU when all were redone with whoosh).

The cache: ``lists.json`` (the lists, and a fingerprint of every page's URL and hash: an
unchanged base reads only this), ``state.json`` (per page: its hash, term counts and, for
pages with a list, key terms and best candidates with their scores; per term, the number of
pages holding it). A new run compares hashes: pages added, changed, removed. For each page
with a list (``plan``):
1. the page itself was added or changed: its list is recomputed;
2. the number of pages crossed an idf quantization step (every ~19 %), or more than
   ``FULL_RECOMPUTE_SHARE`` of the pages changed: every list is recomputed;
3. the idf of one of its key terms changed, or one of its other terms now weighs enough to
   become a key term (both are known: its term counts are cached): recomputed;
4. otherwise its key terms and the scores of its cached candidates hold. Pages changed or
   removed leave them, pages changed or added are scored exactly and enter them if they rank
   high enough (``related_scores.patched``). Every page outside the cached candidates ranks
   after the last of them (unless they are all the pages with a score): the new pool is known
   when at least ``POOL_SIZE`` known pages rank up to that last one; else recomputed.
A list not recomputed is therefore the list a clean run computes, exactly (tests hold
incremental runs equal to clean ones). Information posts are left out (they come and go, and a
demo's relative dates move their URLs), so they neither get nor appear in lists.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.kb import KnowledgeBase
from . import related_scores as scores
from .documents import Searchable, page_sources
from .related_scores import POOL_SIZE, RELATED_LIMIT

__all__ = ["POOL_SIZE", "RELATED_LIMIT", "RelatedLink", "RelatedUpdate", "related_articles", "update_related"]

WITH_RELATED = ("faq", "release")
EPHEMERAL = ("information",)
# Above this share of pages changed at once, recomputing every list costs less than checking.
FULL_RECOMPUTE_SHARE = 0.2
# Bump when the algorithm, its parameters or what the cache holds change.
RELATED_VERSION = 2  # 2: at most SAME_KIND_LIMIT pages of the page's own kind
CACHE_FOLDER = "related"


@dataclass(frozen=True)
class RelatedLink:
    url: str
    title: str
    type: str


@dataclass(frozen=True)
class RelatedUpdate:
    """One run: the lists, and what it cost (tests count, they never time)."""

    lists: dict[str, list[RelatedLink]]
    recomputed: frozenset[str]  # pages whose list was computed by this run, over every page
    patched: frozenset[str]  # pages whose pool took in or lost a changed page, nothing else
    analysed: int  # pages whose words were analysed by this run
    full: bool  # every list recomputed (no usable cache, or the page count crossed a step)


def related_articles(kb: KnowledgeBase, cache_dir: Path) -> dict[str, list[RelatedLink]]:
    """Page URL -> up to five related pages (same product first), for FAQ and release pages."""
    return update_related(page_sources(kb), cache_dir).lists


# ----------------------------------------------------------------------------------------------
# The incremental run


@dataclass(frozen=True)
class _State:
    step: int
    counts: dict[str, int]  # term -> pages holding it
    pages: dict[str, scores.Page]
    entries: dict[str, scores.Entry]


def update_related(documents: Iterable[Searchable], cache_dir: Path) -> RelatedUpdate:
    """The related lists of ``documents`` (documents or page sources), computing again only the
    lists an edit since the last run can change (see the module's docstring); the cache in
    ``cache_dir/related/``. Only pages added or changed are made into documents and analysed."""
    wanted: dict[str, Searchable] = {}
    for document in documents:
        if document.type not in EPHEMERAL:
            wanted.setdefault(document.url, document)
    folder = cache_dir / CACHE_FOLDER
    fingerprint = _fingerprint(wanted)
    cached = _read_json(folder / "lists.json")
    if cached is not None and cached.get("fingerprint") == fingerprint:
        lists = {url: list(urls) for url, urls in cached["lists"].items()}
        return RelatedUpdate(_links(lists, wanted), frozenset(), frozenset(), 0, False)

    old = _read_state(folder / "state.json")
    old_pages = old.pages if old else {}
    removed = [url for url in old_pages if url not in wanted]
    changed = [url for url in wanted if url in old_pages and old_pages[url].hash != wanted[url].content_hash]
    added = [url for url in wanted if url not in old_pages]
    pages = {url: page for url, page in old_pages.items() if url in wanted}
    for url in (*changed, *added):
        pages[url] = scores.analyse(wanted[url])
    counts = _page_counts(old, pages, removed, changed, added)
    step = scores.log_step(max(len(pages), 1))
    with_lists = sorted(url for url, page in pages.items() if page.type in WITH_RELATED)
    moved = len(removed) + len(changed) + len(added)
    full = old is None or step != old.step or moved > FULL_RECOMPUTE_SHARE * max(len(pages), 1)
    entries: dict[str, scores.Entry] = {}
    if full or old is None:  # (old is None implies full: said again for the type checker)
        recompute = set(with_lists)
    else:
        recompute, entries = _plan(old, pages, counts, step, with_lists, removed, changed, added)
    patched = (
        frozenset(url for url in entries if entries[url] is not old.entries.get(url)) if old else frozenset()
    )

    keys = {url: scores.key_terms(pages[url], counts, step) for url in recompute}
    entries.update(scores.pools(keys, pages, counts, step))
    lists = {url: scores.final(url, entries[url].pool, pages) for url in with_lists}

    folder.mkdir(parents=True, exist_ok=True)
    state = _State(step, counts, pages, entries)
    _write_json(folder / "state.json", _state_data(state))
    _remember(folder / "state.json", state)
    _write_json(
        folder / "lists.json", {"version": RELATED_VERSION, "fingerprint": fingerprint, "lists": lists}
    )
    for legacy in cache_dir.glob("related-*.json"):  # the cache of the whole base, before
        legacy.unlink(missing_ok=True)
    return RelatedUpdate(
        _links(lists, wanted), frozenset(recompute), patched, len(changed) + len(added), full
    )


def _page_counts(
    old: _State | None,
    pages: dict[str, scores.Page],
    removed: list[str],
    changed: list[str],
    added: list[str],
) -> dict[str, int]:
    """Pages holding each term: the old counts minus the pages gone or changed, plus the pages
    changed or added (integers: the same as counting from scratch)."""
    if old is None:
        counts: Counter[str] = Counter()
        for page in pages.values():
            counts.update(page.terms())
        return dict(counts)
    counts = Counter(old.counts)
    for url in (*removed, *changed):
        counts.subtract(old.pages[url].terms())
    for url in (*changed, *added):
        counts.update(pages[url].terms())
    return {term: count for term, count in counts.items() if count > 0}


def _plan(
    old: _State,
    pages: dict[str, scores.Page],
    counts: dict[str, int],
    step: int,
    with_lists: list[str],
    removed: list[str],
    changed: list[str],
    added: list[str],
) -> tuple[set[str], dict[str, scores.Entry]]:
    """The pages whose list must be recomputed, and the entries of all the others, patched
    where an edit reaches them (rules 1, 3 and 4 of the module's docstring)."""
    touched = {term for url in (*removed, *changed) for term in old.pages[url].terms()}
    touched |= {term for url in (*changed, *added) for term in pages[url].terms()}
    new_idf = {term: scores.term_idf(counts.get(term, 0), step) for term in touched}
    moved_idf = {term for term in touched if scores.term_idf(old.counts.get(term, 0), step) != new_idf[term]}
    departed = {*removed, *changed}
    arrivals = [*changed, *added]
    recompute = set()
    entries = {}
    for url in with_lists:
        entry = old.entries.get(url)
        if entry is None or url in departed or url in added:
            recompute.add(url)
            continue
        if scores.keys_move(entry.keys, pages[url], moved_idf, new_idf):
            recompute.add(url)
            continue
        scored = [
            (other, scores.pair_score(entry.keys, pages[other], counts, step))
            for other in arrivals
            if other != url
        ]
        if not scored and not any(other in departed for other, _ in entry.pool):
            entries[url] = entry  # untouched: the same object, not counted as patched
            continue
        patched = scores.patched(entry, departed, scored)
        if patched is None:
            recompute.add(url)
        else:
            entries[url] = entry if patched == entry else patched
    return recompute, entries


# ----------------------------------------------------------------------------------------------
# Cache files


def _fingerprint(wanted: dict[str, Searchable]) -> str:
    digest = hashlib.sha256(f"{RELATED_VERSION}\n".encode())
    for url in sorted(wanted):
        digest.update(f"{url}\0{wanted[url].content_hash}\n".encode())
    return digest.hexdigest()


def _links(lists: dict[str, list[str]], wanted: dict[str, Searchable]) -> dict[str, list[RelatedLink]]:
    """Lists of URLs as links, with each page's current title."""
    return {
        url: [
            RelatedLink(other, wanted[other].title, wanted[other].type) for other in urls if other in wanted
        ]
        for url, urls in lists.items()
    }


def _state_data(state: _State) -> dict[str, Any]:
    return {
        "version": RELATED_VERSION,
        "step": state.step,
        "counts": state.counts,
        "pages": {url: page.data() for url, page in state.pages.items()},
        "entries": {
            url: {
                "keys": [list(item) for item in entry.keys.terms],
                "last": list(entry.keys.last) if entry.keys.last else None,
                "pool": [list(item) for item in entry.pool],
                "complete": entry.complete,
            }
            for url, entry in state.entries.items()
        },
    }


# The state this process wrote last, by file: a preview's next rebuild takes it back instead of
# parsing the JSON again (a second at 5,000 pages), while the file is the one it wrote.
_WRITTEN: dict[Path, tuple[tuple[int, int], _State]] = {}


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _remember(path: Path, state: _State) -> None:
    stamp = _stamp(path)
    _WRITTEN.clear()  # one state at a time: the memory follows the cache, it does not pile up
    if stamp is not None:
        _WRITTEN[path] = (stamp, state)


def _read_state(path: Path) -> _State | None:
    """The cached state; None when there is none or it is unusable (every list is computed)."""
    written = _WRITTEN.get(path)
    if written is not None and written[0] == _stamp(path):
        return written[1]  # never mutated: a run builds new dicts from the old state
    data = _read_json(path)
    if data is None:
        return None
    try:
        entries = {
            url: scores.Entry(
                scores.Keys(
                    tuple((str(term), float(weight)) for term, weight in item["keys"]),
                    (str(item["last"][0]), float(item["last"][1])) if item["last"] else None,
                ),
                [(str(other), float(score)) for other, score in item["pool"]],
                bool(item["complete"]),
            )
            for url, item in data["entries"].items()
        }
        pages = {url: scores.Page.from_data(item) for url, item in data["pages"].items()}
        return _State(int(data["step"]), dict(data["counts"]), pages, entries)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != RELATED_VERSION:
        return None
    return data


def _write_json(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)  # whole or absent: a build never reads half a cache
