"""What readers tell the support team, kept in a small SQLite file: searches that found nothing
and « Cet article vous a-t-il été utile ? » votes. The endpoint (``feedback_server.py``) writes
here; ``portail rapport`` (``feedback_report.py``) reads.

Privacy first: no IP address, no cookie, no user agent, no time of day is stored; a row holds
the day (Europe/Paris), the text (whitespace collapsed, bounded, e-mail addresses and long
numbers masked) and the product or page. Rate limits count per minute in memory, per page and
in total, never per client.

Bounded: at most ``max_rows`` rows per table (the oldest are deleted as new ones come), texts
of at most 200 (queries) and 500 (reasons) characters, so the file stays under a few tens of
megabytes whatever is sent; the WAL file is truncated back to 4 MiB after each checkpoint.

One connection shared by the server's threads behind a lock (SQLite serialises writers
anyway): an insert and, when the table is full, the deletion of its oldest row, in one
transaction. WAL mode: ``portail rapport`` reads while the endpoint writes.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..model.clock import PARIS, in_paris

# Where `portail serve-search` and `portail rapport` keep the data by default, under the
# current directory (the project root), next to the search index (.portail/index/).
DEFAULT_DIR = Path(".portail") / "retours"
DB_NAME = "retours.sqlite3"
SCHEMA_VERSION = 1

MAX_QUERY_LENGTH = 200
MAX_REASON_LENGTH = 500
MAX_PAGE_LENGTH = 300
MAX_PRODUCT_LENGTH = 100
# Rows kept per table. A vote row weighs at most ~2.5 KB (a reason of 500 accented
# characters): 20,000 rows stay under 50 MB; a support portal collects a few hundred a month.
MAX_ROWS = 20_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS recherches_vides (
    id INTEGER PRIMARY KEY,
    jour TEXT NOT NULL,
    requete TEXT NOT NULL,
    produit TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS avis (
    id INTEGER PRIMARY KEY,
    jour TEXT NOT NULL,
    page TEXT NOT NULL,
    utile INTEGER NOT NULL,
    raison TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS recherches_vides_jour ON recherches_vides (jour);
CREATE INDEX IF NOT EXISTS avis_jour ON avis (jour);
"""
TABLES = ("recherches_vides", "avis")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A French phone number (04 00 00 00 00, +33 4 00…) or nine digits and more (SIREN, SIRET,
# social security numbers, card numbers): masked. Versions (4.7.12) and years stay.
_PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_LONG_NUMBER = re.compile(r"\d(?:[\s.-]?\d){8,}")
# C0 and C1 control characters but tab, line feed and carriage return (turned into spaces).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str, limit: int) -> str:
    """``text`` as stored: whitespace collapsed, e-mail addresses and phone or long numbers
    masked, at most ``limit`` characters."""
    text = " ".join(text.split())
    text = _EMAIL.sub("[courriel]", text)
    text = _PHONE.sub("[téléphone]", text)
    text = _LONG_NUMBER.sub("[numéro]", text)
    return text[:limit].rstrip()


def clean_query(query: str) -> str:
    """A query as stored and grouped: cleaned and lowercased (« Certificat » = « certificat »)."""
    return clean_text(query, MAX_QUERY_LENGTH).lower()


class RateLimited(Exception):
    """Too many records of this kind this minute; the French message says so."""


@dataclass(frozen=True)
class RateLimits:
    """Records accepted per minute, counted globally (no client is identified). A reader votes
    once per page; ten votes a minute on one page is already a crowd. Searches without result
    come from every reader's search box and the ticket application's type-ahead."""

    votes_per_page: int = 10
    votes: int = 120
    empty_searches: int = 600


class MinuteBudget:
    """Counts per key within the current minute (``monotonic`` seconds // 60). Memory: the
    keys seen this minute, at most the global budget plus one."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._minute = -1
        self._counts: dict[str, int] = {}

    def take(self, limits: dict[str, int]) -> bool:
        """Counts one for each key of ``limits`` when none has reached its limit: True;
        otherwise counts nothing: False."""
        minute = int(self._monotonic() // 60)
        if minute != self._minute:
            self._minute, self._counts = minute, {}
        if any(self._counts.get(key, 0) >= limit for key, limit in limits.items()):
            return False
        for key in limits:
            self._counts[key] = self._counts.get(key, 0) + 1
        return True


def database_path(directory: Path) -> Path:
    return Path(directory) / DB_NAME


class FeedbackStore:
    """The feedback database in ``directory`` (created with its folder when missing).
    ``today`` gives the date rows are stamped with (tests fix it); ``monotonic`` the clock of
    the rate limits."""

    def __init__(
        self,
        directory: Path,
        *,
        today: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        max_rows: int = MAX_ROWS,
        limits: RateLimits = RateLimits(),
    ) -> None:
        self.directory = Path(directory)
        self.path = database_path(self.directory)
        self._today = today or (lambda: datetime.now(PARIS))
        self.max_rows = max_rows
        self.limits = limits
        self._budget = MinuteBudget(monotonic)
        self._lock = threading.Lock()
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True)
            self.directory.chmod(0o700)  # what readers wrote: for the support team only
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=5.0)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            # A commit is not flushed to disk at once (a power cut may lose the last votes,
            # never corrupt the file): one insert costs tens of microseconds, not an fsync.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(f"PRAGMA journal_size_limit={4 * 1024 * 1024}")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"{self.path} a été écrit par une version plus récente de portail (schéma {version})"
                )
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _day(self) -> str:
        return in_paris(self._today()).date().isoformat()

    def record_empty_search(self, query: str, product: str = "") -> bool:
        """Records a search that found nothing; False when the minute's budget is spent (the
        record is dropped) or the query is empty once cleaned."""
        text = clean_query(query)
        if not text:
            return False
        with self._lock:
            if not self._budget.take({"recherches": self.limits.empty_searches}):
                return False
            self._insert(
                "recherches_vides",
                "INSERT INTO recherches_vides (jour, requete, produit) VALUES (?, ?, ?)",
                (self._day(), text, product[:MAX_PRODUCT_LENGTH]),
            )
        return True

    def record_vote(self, page: str, useful: bool, reason: str = "") -> None:
        """Records a vote on ``page`` (a site path, already checked by the caller); the reason
        is kept on « Non » only. Raises ``RateLimited`` when the minute's budget is spent."""
        reason = "" if useful else clean_text(reason, MAX_REASON_LENGTH)
        with self._lock:
            limits = {"avis": self.limits.votes, f"avis:{page}": self.limits.votes_per_page}
            if not self._budget.take(limits):
                raise RateLimited("trop d'avis reçus en ce moment sur cette page ; réessayez dans une minute")
            self._insert(
                "avis",
                "INSERT INTO avis (jour, page, utile, raison) VALUES (?, ?, ?, ?)",
                (self._day(), page[:MAX_PAGE_LENGTH], int(useful), reason),
            )

    def _insert(self, table: str, sql: str, values: tuple[object, ...]) -> None:
        # Ids only grow (the newest row is never deleted): the rows older than the last
        # max_rows are those with an id at most (new id - max_rows), an index range.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row_id = self._db.execute(sql, values).lastrowid or 0
            self._db.execute(f"DELETE FROM {table} WHERE id <= ?", (row_id - self.max_rows,))  # noqa: S608
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self._lock:
            return {
                table: self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in TABLES
            }
