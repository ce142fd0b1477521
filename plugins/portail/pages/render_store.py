"""A store of rendered fragments on disk, keyed by a digest of everything that made them.

A build renders thousands of pages whose Markdown did not change since the last build; the
renderer's adapter keeps what rendering gave (HTML, table of contents, anchors) under a digest
of its inputs and takes it back instead of rendering again. One SQLite file (standard library,
safe when two builds run at once), values as JSON (a cache is data, never code). A build
keeps only the entries it used: the store follows the site instead of growing with each edit.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

STORE_FILE = "rendered.sqlite"
STORE_VERSION = 1


class RenderStore:
    """``get``/``put`` JSON values by key during a build; :meth:`close` writes them and drops
    the entries this build did not use."""

    def __init__(self, cache_dir: Path) -> None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.path = cache_dir / STORE_FILE
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS rendered (key TEXT PRIMARY KEY, value TEXT)")
        row = self.db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        if row is None or row[0] != str(STORE_VERSION):
            self.db.execute("DELETE FROM rendered")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(STORE_VERSION),))
        self.db.commit()
        self.used: set[str] = set()
        self.new: dict[str, str] = {}

    def get(self, key: str) -> Any:
        """The value stored under ``key``, or None."""
        self.used.add(key)
        row = self.db.execute("SELECT value FROM rendered WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None
        return value

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        self.new[key] = json.dumps(value, ensure_ascii=False)

    def close(self, complete: bool) -> None:
        """Write the new entries; a ``complete`` build (every page went through the store)
        also drops the entries it did not use."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO rendered VALUES (?, ?)", self.new.items())
            if complete:
                self.db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
                self.db.executemany("INSERT INTO used VALUES (?)", ((key,) for key in self.used))
                self.db.execute("DELETE FROM rendered WHERE key NOT IN (SELECT key FROM used)")
        self.db.close()
        self.new = {}
