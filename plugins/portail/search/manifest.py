"""What kb/ looked like when the search index was last brought up to date, so ``portail search``
and ``portail serve-search`` query the index directly when nothing changed, without reading
and analysing the whole knowledge base again (5,000 pages: seconds of CPU before a 50 ms
query).

The manifest, ``portail-manifest.json`` next to the index, records:
- every entry under kb/ as the reader sees it (hidden names left out, as ``ReadContext``
  does): files by size and modification time (ns), folders, links by target;
- the catalogue's products (slugs, names, codes, aliases), which a query needs to resolve
  « --produit SL » and print names, so kb/catalogue.yml need not be parsed;
- the index it describes (``SearchIndex.state``: build and whoosh generation);
- the clock, only when reading consulted it: information posts may give relative times
  (« J+2 08:00 », « H-3 ») that ``clock.parse_moment`` resolves against ``now``, to five
  minutes. ``ClockProbe`` tells whether that happened.

The snapshot is taken *before* reading, so an edit made while the base is read leaves a
manifest that no longer matches. A file modified within ``RACY_NS`` of the snapshot is
recorded as unknown: file systems stamp times by clock ticks, and an edit in the same tick as
the snapshot would otherwise keep its time (git calls these entries "racily clean"). Like
make, an edit that keeps both the size and the modification time of a file is not seen;
``touch`` the file, or delete ``.portail/index/``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..model.findings import Source
from ..model.kb import Product

MANIFEST_FILE = "portail-manifest.json"
# Bump when what the manifest records changes: an older manifest then never matches.
MANIFEST_VERSION = 1
RACY_NS = 2_000_000_000
CLOCK_STEP_SECONDS = 300  # relative times resolve to five minutes (clock.parse_moment)
_UNKNOWN = "?"


@dataclass(frozen=True)
class KbSnapshot:
    """Every entry under kb/ (relative POSIX path -> what it is, size and time) at one moment."""

    kb: str  # the folder, resolved
    entries: dict[str, str]
    # False when an entry could not be described (unreadable, or modified too recently to
    # trust its time): a manifest is never written from such a snapshot.
    certain: bool


def take_snapshot(kb_dir: Path) -> KbSnapshot:
    """The state of every entry under ``kb_dir`` that the reader may list; a few milliseconds
    for thousands of files (one ``stat`` each, nothing opened)."""
    taken = time.time_ns()
    root = kb_dir.resolve()
    entries: dict[str, str] = {}
    certain = True
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            listing = list(os.scandir(folder))
        except OSError:
            entries[prefix or "."], certain = _UNKNOWN, False
            continue
        for entry in listing:
            if entry.name.startswith("."):
                continue  # the reader leaves hidden entries out
            rel = f"{prefix}{entry.name}"
            description = _describe(entry, taken)
            if description is None:
                description, certain = _UNKNOWN, False
            entries[rel] = description
            if description == "d":
                folders.append((Path(entry.path), f"{rel}/"))
    return KbSnapshot(str(root), entries, certain)


def _describe(entry: os.DirEntry[str], taken: int) -> str | None:
    """« f size mtime », « d », « l target [size mtime] » or « s »; None when unknown."""
    try:
        if entry.is_symlink():
            # Its target: a link inside kb/ leads to an entry recorded on its own.
            target = os.readlink(entry.path)
            try:
                followed = os.stat(entry.path)
            except OSError:
                return f"l {target}"
            stamp = _time(followed, taken)
            return None if stamp is None else f"l {target} {followed.st_size} {stamp}"
        if entry.is_dir(follow_symlinks=False):
            return "d"
        if not entry.is_file(follow_symlinks=False):
            return "s"  # a special file: the reader reports it; nothing to read
        status = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    stamp = _time(status, taken)
    return None if stamp is None else f"f {status.st_size} {stamp}"


def _time(status: os.stat_result, taken: int) -> str | None:
    return None if status.st_mtime_ns > taken - RACY_NS else str(status.st_mtime_ns)


def clock_key(now: datetime) -> int:
    """``now`` to the precision of relative times in kb/ (five minutes)."""
    return int(now.timestamp()) // CLOCK_STEP_SECONDS


class ClockProbe(datetime):
    """A ``now`` that records whether it was consulted, and otherwise behaves as the
    date-time it wraps (every attribute, method and operator is the wrapped one's, so the
    model never holds a probe). Reading kb/ consults ``now`` only to resolve relative times
    of information posts: when it did not, the search documents do not depend on the clock."""

    consulted: bool  # read from the instance by __getattribute__, never through the wrapped one

    @classmethod
    def wrap(cls, now: datetime) -> ClockProbe:
        probe = cls(
            now.year,
            now.month,
            now.day,
            now.hour,
            now.minute,
            now.second,
            now.microsecond,
            now.tzinfo,
            fold=now.fold,
        )
        object.__getattribute__(probe, "__dict__").update(plain=now, consulted=False)
        return probe

    def __getattribute__(self, name: str) -> Any:
        state = object.__getattribute__(self, "__dict__")
        if name == "consulted":
            return state["consulted"]
        if name in ("__dict__", "__class__"):
            return object.__getattribute__(self, name)
        state["consulted"] = True
        return getattr(state["plain"], name)


def _consulting(name: str) -> Any:
    def method(self: ClockProbe, *args: Any) -> Any:
        state = object.__getattribute__(self, "__dict__")
        state["consulted"] = True
        return getattr(state["plain"], name)(*args)

    method.__name__ = name
    return method


# Operators do not go through __getattribute__: each one is the wrapped date-time's, noted.
for _name in (
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__eq__",
    "__ne__",
    "__hash__",
    "__str__",
    "__repr__",
    "__format__",
):
    setattr(ClockProbe, _name, _consulting(_name))


# ----------------------------------------------------------------------------------------------
# The manifest file


@dataclass(frozen=True)
class Manifest:
    kb: str
    entries: dict[str, str]
    index_state: str
    clock: int | None  # clock_key(now) when reading consulted the clock, else None
    products: tuple[Product, ...]

    def describes(self, snapshot: KbSnapshot, index_state: str | None, now: datetime) -> bool:
        """Whether the index is up to date with kb/ as ``snapshot`` shows it, at ``now``."""
        return (
            index_state is not None
            and index_state == self.index_state
            and snapshot.kb == self.kb
            and (self.clock is None or self.clock == clock_key(now))
            and snapshot.entries == self.entries
        )


def write_manifest(
    index_dir: Path,
    snapshot: KbSnapshot,
    products: Iterable[Product],
    index_state: str,
    clock: int | None,
) -> None:
    """Record ``snapshot`` as what ``index_state`` was made from; an uncertain snapshot removes
    the manifest instead, so the next command reads kb/ again."""
    if not snapshot.certain:
        remove_manifest(index_dir)
        return
    data = {
        "version": MANIFEST_VERSION,
        "kb": snapshot.kb,
        "index": index_state,
        "clock": clock,
        "products": [_product_data(product) for product in products],
        "entries": snapshot.entries,
    }
    path = index_dir / MANIFEST_FILE
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)  # whole or absent: another process never reads half of it


def read_manifest(index_dir: Path) -> Manifest | None:
    """The manifest next to the index; None when there is none, or one this version of portail
    did not write (it is then rewritten after a full read)."""
    try:
        data = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return None
        clock = data["clock"]
        return Manifest(
            kb=str(data["kb"]),
            entries={str(k): str(v) for k, v in data["entries"].items()},
            index_state=str(data["index"]),
            clock=None if clock is None else int(clock),
            products=tuple(_product(item) for item in data["products"]),
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # unreadable or damaged: the base is read again


def remove_manifest(index_dir: Path) -> None:
    (index_dir / MANIFEST_FILE).unlink(missing_ok=True)


def _product_data(product: Product) -> dict[str, Any]:
    return {
        "slug": product.slug,
        "name": product.name,
        "code": product.code,
        "aliases": list(product.aliases),
        "section": product.section,
        "description": product.description,
        "support_queue": product.support_queue,
        "source": [product.source.path, product.source.line],
    }


def _product(data: dict[str, Any]) -> Product:
    path, line = data["source"]
    return Product(
        slug=str(data["slug"]),
        name=str(data["name"]),
        code=str(data["code"]),
        aliases=tuple(str(alias) for alias in data["aliases"]),
        section=str(data["section"]),
        description=str(data["description"]),
        support_queue=str(data["support_queue"]),
        source=Source(str(path), int(line)),
    )
