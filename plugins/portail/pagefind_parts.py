"""Indexing a large site in parts: Pagefind holds every word and position of the pages it
indexes, then copies them while it builds the index (1.1 GB at 5,000 portal pages). Parts of
``PART_TOKENS`` are indexed one process after the other and their bundles merged into the
bundle a single run writes (same words, positions, pages, excerpts, filters: same ranking).
The merge reads and writes Pagefind 1.5's bundle format; another version, or any surprise,
falls back to one run."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from .pagefind_merge import MERGEABLE_VERSIONS, merge_bundles
from .pagefind_run import BUNDLE, Record, run_index

# Tokens (whitespace-separated, from the data-pagefind-body element on) per Pagefind run.
# Pagefind peaks at ~450 bytes per word it indexes (1.1 GB for the 2.4 million words of 5,000
# portal pages); a token is at most one word, so a run stays near 250 MB even for bare text, and
# takes ~165 MB for the portal's pages (1.9 tokens a word: tags and attributes count too).
PART_TOKENS = 500_000
_BODY_ATTRIBUTE = re.compile(rb"<[A-Za-z][^>]*\sdata-pagefind-body[\s=/>]")
_GLOB_META = re.compile(r"([?*$:<>()\[\]{},])")  # escaped with a backslash in a glob (wax)
_log = logging.getLogger("portail.browser_search")


# Indexing in parts.


@dataclass
class _Plan:
    globs: list[str]  # the part's pages, as Pagefind globs relative to the site
    body_marker: bool  # some page of the site has a data-pagefind-body element


def plan_parts(site_dir: Path, part_tokens: int) -> list[_Plan]:
    """The site's HTML pages in parts of about ``part_tokens`` tokens (whitespace-separated,
    counted from the data-pagefind-body element on: what Pagefind keeps in memory follows the
    words it reads), in path order. One part when the site is small, or when the merge does not
    know this Pagefind's format, or a path cannot be written as a glob."""
    one = [_Plan([], body_marker=False)]
    if not version("pagefind").startswith(MERGEABLE_VERSIONS):
        return one
    paths = sorted(p for p in site_dir.rglob("*.html") if p.is_file())
    if sum(p.stat().st_size for p in paths) < 2 * part_tokens:  # a token takes 2 bytes or more
        return one
    weights, marked = [], False
    for path in paths:
        data = path.read_bytes()
        weights.append(len(data[max(0, data.find(b"data-pagefind-body")) :].split()))
        marked = marked or _BODY_ATTRIBUTE.search(data) is not None
    total = sum(weights)
    count = -(-total // part_tokens)
    relative = [path.relative_to(site_dir).as_posix() for path in paths]
    if count <= 1 or any("\\" in name for name in relative):
        return one
    parts: list[list[str]] = [[] for _ in range(count)]
    done = 0
    for name, weight in zip(relative, weights, strict=True):
        # Balanced parts: a page goes where the middle of its weight falls.
        parts[min(count - 1, (2 * done + weight) * count // (2 * total))].append(
            _GLOB_META.sub(r"\\\1", name)
        )
        done += weight
    return [_Plan(_globs(names), marked) for names in parts if names]


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


def index_in_parts(site_dir: Path, records: Sequence[Record], parts: Sequence[_Plan]) -> None:
    output = site_dir / BUNDLE
    # In the site folder: the merge moves the pages' fragments instead of copying them.
    with tempfile.TemporaryDirectory(
        prefix=".pagefind-parts-", dir=site_dir, ignore_cleanup_errors=True
    ) as work:
        try:
            bundles = []
            for number, part in enumerate(parts):
                bundles.append(Path(work) / str(number))
                last = number == len(parts) - 1
                # One Pagefind process at a time: its memory is returned before the next part.
                asyncio.run(
                    run_index(
                        site_dir,
                        records if last else (),
                        bundles[-1],
                        globs=part.globs,
                        body_marker=part.body_marker,
                    )
                )
            merge_bundles(bundles, output)
            return
        except Exception as reason:  # the parts are a saving: one run, as before, gives the same index
            _log.warning("portail : index de recherche refait en une passe (%s).", reason)
            shutil.rmtree(output, ignore_errors=True)
    asyncio.run(run_index(site_dir, records, output))
