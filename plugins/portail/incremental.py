"""What changed since the previous build, so that a rebuild costs what the edit touched.

Two per-item caches, each keyed by the item's own content:

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
