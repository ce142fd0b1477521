"""When a file was last changed, from git: writers publish through git, so the last commit
touching a file is its « Mis à jour le » date unless the writer states one.

Three git calls per reading of kb/, whatever its size: ``rev-parse`` (top folder, shallow or
not, HEAD), ``status`` (files changed since the last commit, which keep their modification
date) and one ``log`` for the whole of kb/. The log's answer is kept in this process keyed by
HEAD (and the shallow flag): a preview re-reads kb/ at each edit and runs ``log`` again only
after a commit, a checkout or a fetch that deepens the history.

Outside git (no git, no repository, no commit yet) and for a file git does not have as committed
(untracked, or edited, staged or renamed since the last commit), the date is the file's
modification date: an edit being previewed shows today's date, not that of an older commit.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..model.clock import PARIS
from ..model.findings import Finding, Source, warning

SHALLOW_CODE = "git-shallow"


@dataclass(frozen=True)
class GitHistory:
    """What git knows of the files under one folder, for one reading of kb/."""

    top: Path | None = None  # the repository's top folder; None outside git
    shallow: bool = False
    # Resolved path -> date (Europe/Paris) of the last commit that touched it.
    dates: Mapping[Path, date] = field(default_factory=dict)
    # Resolved paths changed since the last commit (modified, staged, renamed, untracked).
    uncommitted: frozenset[Path] = frozenset()
    # Shallow clone: files whose only commit is the oldest one fetched, which git shows as
    # adding every file: their date is that commit's, not their last change's.
    boundary: frozenset[Path] = frozenset()
    boundary_date: date | None = None
    # Files of ``boundary`` whose date was asked for: the dates shown wrong, for the warning.
    misdated: set[Path] = field(default_factory=set, compare=False)

    def updated(self, path: Path) -> date:
        """The last commit touching ``path``; its modification date when git has no committed
        version of it (outside git, untracked, or changed since)."""
        resolved = path.resolve()
        if resolved not in self.uncommitted:
            found = self.dates.get(resolved)
            if found is not None:
                if resolved in self.boundary:
                    self.misdated.add(resolved)
                return found
        return modification_date(path)

    def shallow_finding(self, kb_source: str) -> Finding | None:
        """``git-shallow``: a shallow clone gives wrong dates (the oldest commit fetched
        for every file older than it); a warning on the kb/ folder, never a silent wrong date."""
        if not self.misdated:
            return None
        count = len(self.misdated)
        files = f"{count} fichiers" if count > 1 else "1 fichier"
        since = f" du {self.boundary_date.strftime('%d/%m/%Y')}" if self.boundary_date else ""
        return warning(
            Source(kb_source, 1),
            SHALLOW_CODE,
            "clone git partiel (historique tronqué) : les dates « Mis à jour le » de "
            f"{files} sont celle du plus ancien commit récupéré{since}, pas forcément celle de "
            "leur dernière modification",
            "Récupérez tout l'historique : `GIT_DEPTH: 0` dans les variables du pipeline "
            "(GitLab CI clone par défaut un historique partiel), ou `git fetch --unshallow` "
            "avant la construction.",
        )


NO_GIT = GitHistory()

# (top, folder) -> (HEAD, shallow) and the log's dates and boundary: one entry per folder read.
_LOGS: dict[tuple[str, str], tuple[tuple[str, bool], dict[Path, date], frozenset[Path], date | None]] = {}


def _git(*args: str, timeout: int = 120) -> str:
    return subprocess.run(
        ["git", "-c", "core.quotePath=false", *args],
        capture_output=True,
        check=True,
        timeout=timeout,
        encoding="utf-8",
        errors="surrogateescape",
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
    ).stdout


def read_history(folder: Path) -> GitHistory:
    """Git's view of the files under ``folder``; ``NO_GIT`` when git or a commit is missing."""
    folder = folder.resolve()
    try:
        # One call: top folder, shallow flag and HEAD (fails outside git or before a commit).
        top_line, shallow_line, head = _git(
            "-C", str(folder), "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD", timeout=30
        ).split("\n")[:3]
        top = Path(top_line).resolve()
        shallow = shallow_line.strip() == "true"
        # --no-optional-locks (GIT_OPTIONAL_LOCKS=0): status never takes index.lock, so a
        # build never gets in the way of a writer's commit.
        status = _git(
            "-C", str(top), "status", "--porcelain", "-z", "--untracked-files=all", "--", str(folder)
        )
        key = (head.strip(), shallow)
        cached = _LOGS.get((str(top), str(folder)))
        if cached is None or cached[0] != key:
            log = _git("-C", str(top), "log", "-z", "--format=%x01%ct %P", "--name-only", "--", str(folder))
            cached = (key, *_parse_log(log, top, shallow))
            _LOGS[(str(top), str(folder))] = cached
    except (OSError, subprocess.SubprocessError, ValueError):
        return NO_GIT
    _, dates, boundary, boundary_date = cached
    return GitHistory(top, shallow, dates, _parse_status(status, top), boundary, boundary_date)


def _parse_log(log: str, top: Path, shallow: bool) -> tuple[dict[Path, date], frozenset[Path], date | None]:
    """Dates of the newest commit touching each file; with ``shallow``, the files seen only in
    a commit without parents (the clone's boundary, which git shows as adding every file)."""
    newest: dict[Path, int] = {}  # from commits with parents (every commit when not shallow)
    edge: dict[Path, int] = {}  # from the shallow clone's boundary commits
    stamp: int | None = None
    grafted = False
    for item in log.split("\0"):
        item = item.lstrip("\n")
        if item.startswith("\x01"):
            header, _, item = item[1:].partition("\n")
            raw_stamp, _, parents = header.partition(" ")
            stamp, grafted = int(raw_stamp), shallow and not parents.strip()
        if not item or stamp is None:
            continue
        seen = edge if grafted else newest
        path = top / item  # ``top`` is resolved and git lists no path through a link
        # Newest first in general; the greatest date stays right across merged branches.
        seen[path] = max(stamp, seen.get(path, stamp))
    dates = {path: _day(value) for path, value in {**edge, **newest}.items()}
    boundary = frozenset(edge.keys() - newest.keys())
    return dates, boundary, _day(min(edge.values())) if edge else None


def _parse_status(status: str, top: Path) -> frozenset[Path]:
    """Paths of ``git status --porcelain -z``: « XY path », a rename's or copy's origin next."""
    paths: set[Path] = set()
    items = iter(status.split("\0"))
    for item in items:
        if len(item) < 4:
            continue
        paths.add(top / item[3:])
        if "R" in item[:2] or "C" in item[:2]:
            next(items, None)  # the origin: no longer in the working tree under this name
    return frozenset(paths)


def _day(stamp: int) -> date:
    return datetime.fromtimestamp(stamp, PARIS).date()


def last_commit_dates(folder: Path) -> dict[Path, date]:
    """Resolved path -> date of the last commit that touched it, for files under ``folder``
    (empty when git or the repository is missing)."""
    return dict(read_history(folder).dates)


def modification_date(path: Path) -> date:
    """The file's modification date (Europe/Paris), for files git does not have as committed."""
    return datetime.fromtimestamp(os.stat(path).st_mtime, PARIS).date()
