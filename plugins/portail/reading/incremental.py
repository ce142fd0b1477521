"""What changed since the previous build, so that a rebuild costs what the edit touched.

Per-item caches, each keyed by the item's own content:

- :class:`ParseCache`: the parsed front matter and YAML of every kb/ file, keyed by the file's
  path, size and modification time. A preview keeps it in memory between rebuilds: one edit
  re-parses one file.
- :class:`BuildLedger`: a digest of every generated file of the last build of a site folder,
  plus the digest of what every page shows (navigation, configuration, theme). A dirty rebuild
  (``mkdocs serve --dirty``, ``mkdocs build --dirty``) rewrites only the files whose digest
  changed; a new signature rewrites everything.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

LEDGER_DIR = "builds"


def digest(*parts: bytes | str) -> str:
    """A short, stable digest of ``parts`` (not for security: for change detection)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


@dataclass
class ParseCache:
    """Results of parsing kb/ files, keyed by (path, size, mtime): a file edited, renamed or
    touched is parsed again; the others are not. Entries not used by a run are dropped at the
    next :meth:`sweep`, so the cache follows the knowledge base instead of growing."""

    entries: dict[tuple[str, str], tuple[tuple[int, int], Any]] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)
    # Model objects of the last run, by value: an unchanged document is the same object from
    # one rebuild to the next, so comparing pages' inputs (PageMemo) stops at identity.
    objects: dict[Any, Any] = field(default_factory=dict)
    kept: dict[Any, Any] = field(default_factory=dict)

    def intern(self, value: T) -> T:
        """``value``, or the equal object of the last run (the same, for every purpose)."""
        try:
            value = self.objects.get(value, value)
            self.kept[value] = value
        except TypeError:
            pass  # not comparable by value: kept as it is
        return value

    def get(self, kind: str, path: Path, parse: Callable[[], T]) -> T:
        """``parse()``'s result for ``path``, from the cache while the file is unchanged."""
        try:
            info = path.stat()
            stamp = (info.st_size, info.st_mtime_ns)
        except OSError:
            return parse()  # the parser reports why the file cannot be read
        key = (kind, str(path))
        self.used.add(key)
        cached = self.entries.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]  # type: ignore[no-any-return]
        value = parse()
        self.entries[key] = (stamp, value)
        return value

    def sweep(self) -> None:
        """Forget the files the last run did not read (deleted or renamed)."""
        self.entries = {key: value for key, value in self.entries.items() if key in self.used}
        self.used = set()
        self.objects, self.kept = self.kept, {}


@dataclass
class BuildLedger:
    """Digests of the generated files of the last build of one site folder."""

    path: Path
    signature: str
    previous: dict[str, str]
    current: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, cache_dir: Path, site_dir: Path, signature: str) -> BuildLedger:
        """The ledger of ``site_dir``'s last build; empty when there is none, when the site
        folder is gone or when the ``signature`` (what every page shows) changed."""
        path = cache_dir / LEDGER_DIR / f"{digest(str(site_dir.resolve()))}.json"
        previous: dict[str, str] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("signature") == signature and site_dir.is_dir():
                previous = dict(data.get("files", {}))
        except (OSError, ValueError, AttributeError):
            pass  # no ledger (first build) or an unreadable one: everything is new
        return cls(path, signature, previous)

    @property
    def signature_changed(self) -> bool:
        return not self.previous

    def changed(self, name: str, content: bytes | str) -> bool:
        """Whether generated file ``name`` differs from the last build; records its digest."""
        value = digest(content)
        self.current[name] = value
        return self.previous.get(name) != value

    def save(self) -> None:
        """Write the ledger of the build that just succeeded (atomically)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        payload = {"signature": self.signature, "files": self.current}
        temporary.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)
        self.previous, self.current = self.current, {}


class PageMemo:
    """Generated pages of the previous run, by everything their template was given. A preview
    keeps it between rebuilds: a page whose inputs are equal to the last run's (the same
    article, crumbs, related list, …) is not rendered again. Exact by construction: the key is
    the inputs themselves, compared by value, not a digest of them. A page given something
    that cannot be compared by value (a mutable object, the whole knowledge base) is always
    rendered. ``epoch`` stands for what every page may read besides its own inputs (where each
    kb/ file is published); when it changes, everything is rendered again."""

    def __init__(self) -> None:
        self.epoch: Any = None
        self.pages: dict[Any, str] = {}
        self.kept: dict[Any, str] = {}
        self.reused = 0
        self.rendered: list[str] = []  # addresses of the pages this run rendered

    def start(self, epoch: Any) -> None:
        """Begin a run: entries the run does not use are dropped at :meth:`finish`."""
        if epoch != self.epoch:
            self.pages = {}
        self.epoch, self.kept, self.reused, self.rendered = epoch, {}, 0, []

    def render(self, url: str, inputs: Any, render: Callable[[], str]) -> str:
        """``render()`` (the page at ``url``), or its result of the last run for equal
        ``inputs`` (None: always rendered)."""
        if inputs is None:
            self.rendered.append(url)
            return render()
        try:
            key = frozen(inputs)
            text = self.pages.get(key)
        except TypeError:  # a dict or an object with a dict in the inputs (the clock's views)
            self.rendered.append(url)
            return render()
        if text is None:
            self.rendered.append(url)
            text = render()
        else:
            self.reused += 1
        self.kept[key] = text
        return text

    def finish(self) -> None:
        self.pages, self.kept = self.kept, {}


def frozen(value: Any) -> Any:
    """``value`` with lists, tuples and dicts made tuples (recursively), tagged so that a dict
    never equals a list of pairs; other values as they are (hashable or not)."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(frozen(item) for item in value))
    if isinstance(value, dict):
        return ("dict", *((key, frozen(item)) for key, item in value.items()))
    return value
