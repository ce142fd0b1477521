"""Indexing a large site in parts: Pagefind holds every word and position of the pages it
indexes, then copies them while it builds the index (1.1 GB at 5,000 portal pages). Parts of
at most about ``PART_TOKENS`` are indexed one process after the other and their bundles merged
into the bundle a single run writes (same words, positions, pages, excerpts, filters: same
ranking). The merge reads and writes Pagefind 1.5's bundle format; another version, or any
surprise, falls back to one run.

A page's part is fixed by its path (a hash, modulo a power of two of parts), so that an edit
leaves the other pages where they were: with a cache folder, each part's bundle is kept under
a digest of what Pagefind reads for it, and a build re-indexes only the parts whose pages
changed."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from .pagefind_merge import MERGEABLE_VERSIONS, merge_bundles
from .pagefind_run import _MARKER_PAGE, BUNDLE, Record, pagefind_config, run_index, run_sync

# Tokens (whitespace-separated, from the data-pagefind-body element on) per Pagefind run.
# Pagefind peaks at ~450 bytes per word it indexes (1.1 GB for the 2.4 million words of 5,000
# portal pages); a token is at most one word. Each run costs a fixed part (it reads the whole
# site to match its globs), so parts are as large as memory allows: at 5,000 portal pages (1.9
# tokens a word: tags and attributes count too) four parts of ~320 MB each took 30 s of CPU,
# sixteen of ~100 MB took 34 s; the build's Python process holds ~400 MB meanwhile.
PART_TOKENS = 2_000_000
# Parts are sized for MEAN_SHARE of ``part_tokens`` on average (pages fall in parts by hash,
# not by size: a part's share varies), rounded down to a power of two of parts, so that the
# number of parts, hence every page's part, changes only when the site doubles or halves.
MEAN_SHARE = 0.75
# An edit re-indexes the part of the edited page: a site well below the memory bound still
# gets up to MIN_PARTS parts, none under MIN_PART_TOKENS on average (a run costs ~0.3 s of CPU
# whatever its size), so that at 1,000 pages an edit re-indexes a quarter of the site.
MIN_PARTS = 4
MIN_PART_TOKENS = 125_000
PARTS_CACHE = "pagefind_parts"  # in the cache folder: one bundle per part, named by its digest
_BODY_ATTRIBUTE = re.compile(rb"<[A-Za-z][^>]*\sdata-pagefind-body[\s=/>]")
_GLOB_META = re.compile(r"([?*$:<>()\[\]{},])")  # escaped with a backslash in a glob (wax)
_log = logging.getLogger("portail.search.browser")


# Indexing in parts.


@dataclass
class _Plan:
    globs: list[str]  # the part's pages, as Pagefind globs relative to the site
    body_marker: bool  # some page of the site has a data-pagefind-body element
    digest: str = ""  # what Pagefind reads for this part, records aside: see _part_key


def plan_parts(site_dir: Path, part_tokens: int) -> list[_Plan]:
    """The site's HTML pages in parts of about ``MEAN_SHARE * part_tokens`` tokens on average
    (whitespace-separated, counted from the data-pagefind-body element on: what Pagefind keeps
    in memory follows the words it reads), each page in the part its path's hash gives. One
    part when the site is small, or when the merge does not know this Pagefind's format, or a
    path cannot be written as a glob."""
    one = [_Plan([], body_marker=False)]
    if not version("pagefind").startswith(MERGEABLE_VERSIONS):
        return one
    paths = sorted(p for p in site_dir.rglob("*.html") if p.is_file())
    if sum(p.stat().st_size for p in paths) < 2 * part_tokens:  # a token takes 2 bytes or more
        return one
    weights, marked, hashers = [], False, []
    for path in paths:
        data = path.read_bytes()
        weights.append(len(data[max(0, data.find(b"data-pagefind-body")) :].split()))
        marked = marked or _BODY_ATTRIBUTE.search(data) is not None
        name = path.relative_to(site_dir).as_posix()
        hasher = hashlib.blake2b(name.encode() + b"\0", digest_size=16)
        hasher.update(data)
        hashers.append(hasher.digest())
    relative = [path.relative_to(site_dir).as_posix() for path in paths]
    count = _part_count(sum(weights), part_tokens)
    if count <= 1 or any("\\" in name for name in relative):
        return one
    slots = [_slot(name) for name in relative]
    parts: list[list[int]] = [[] for _ in range(count)]
    for number, slot in enumerate(slots):
        parts[slot % count].append(number)
    plans = []
    for number, members in enumerate(parts):
        if not members:
            continue
        globs = _globs([_GLOB_META.sub(r"\\\1", relative[m]) for m in members])
        hasher = hashlib.blake2b(digest_size=16)
        layout = [number, count, marked, globs, _MARKER_PAGE, version("pagefind"), pagefind_config(Path())]
        hasher.update(json.dumps(layout, sort_keys=True).encode())
        for member in members:
            hasher.update(hashers[member])
        plans.append(_Plan(globs, marked, hasher.hexdigest()))
    return plans


def _part_count(total: int, part_tokens: int) -> int:
    """The power of two of parts that keeps the mean part at or below ``MEAN_SHARE`` of
    ``part_tokens`` (memory), and, for an edit's sake, up to ``MIN_PARTS`` parts of at least
    ``MIN_PART_TOKENS``."""
    count = 1
    while total > count * part_tokens * MEAN_SHARE:
        count *= 2
    while count < MIN_PARTS and total >= 2 * count * MIN_PART_TOKENS:
        count *= 2
    return count


def _slot(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")


def _globs(names: Sequence[str]) -> list[str]:
    """Alternatives of exact paths, up to a thousand per glob: Pagefind's glob library (wax)
    takes 1,500 paths of 80 characters, not 2,500."""
    globs, batch, length = [], [], 0
    for name in names:
        if batch and (len(batch) >= 1000 or length + len(name) > 80_000):
            globs.append("{" + ",".join(batch) + "}")
            batch, length = [], 0
        batch.append(name)
        length += len(name) + 1
    globs.append("{" + ",".join(batch) + "}")
    return globs


def _part_key(part: _Plan, records: Sequence[Record]) -> str:
    """The part's digest, with the records it indexes (the last part takes them)."""
    hasher = hashlib.blake2b(part.digest.encode(), digest_size=16)
    hasher.update(json.dumps([asdict(r) for r in records], sort_keys=True).encode())
    return hasher.hexdigest()


def index_in_parts(
    site_dir: Path, records: Sequence[Record], parts: Sequence[_Plan], cache_dir: Path | None = None
) -> bool:
    """Index ``parts`` one Pagefind process after the other and merge their bundles into the
    site's. With ``cache_dir``, a part whose digest has a bundle there is not indexed again,
    and the folder keeps the bundles of this build's parts only. True when Pagefind ran."""
    output = site_dir / BUNDLE
    ran = False
    # Without a cache, in the site folder: the merge moves the pages' fragments, not copies.
    with tempfile.TemporaryDirectory(
        prefix=".pagefind-parts-", dir=site_dir, ignore_cleanup_errors=True
    ) as work:
        store = cache_dir / PARTS_CACHE if cache_dir is not None else Path(work)
        try:
            store.mkdir(parents=True, exist_ok=True)
            bundles = []
            for number, part in enumerate(parts):
                last = number == len(parts) - 1
                given = records if last else ()
                bundle = store / (_part_key(part, given) if cache_dir is not None else str(number))
                bundles.append(bundle)
                if bundle.is_dir():
                    continue
                partial = bundle.with_name(bundle.name + ".partial")
                shutil.rmtree(partial, ignore_errors=True)
                ran = True
                # One Pagefind process at a time: its memory is returned before the next part.
                run_sync(run_index(site_dir, given, partial, globs=part.globs, body_marker=part.body_marker))
                os.replace(partial, bundle)
            merge_bundles(bundles, output, keep=cache_dir is not None)
            if cache_dir is not None:
                kept = {bundle.name for bundle in bundles}
                for old in store.iterdir():  # the cache follows the site
                    if old.name not in kept:
                        shutil.rmtree(old, ignore_errors=True)
            return ran
        except Exception as reason:  # the parts are a saving: one run, as before, gives the same index
            _log.warning("portail : index de recherche refait en une passe (%s).", reason)
            shutil.rmtree(output, ignore_errors=True)
            if cache_dir is not None:  # a bundle the merge refused must not be used again
                shutil.rmtree(store, ignore_errors=True)
    run_sync(run_index(site_dir, records, output))
    return True
