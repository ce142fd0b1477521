"""When a file was last changed, from git: writers publish through git, so the last commit
touching a FAQ article is its « mis à jour le » date unless the writer states one."""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime
from pathlib import Path


def last_commit_dates(folder: Path) -> dict[Path, date]:
    """Resolved path -> date of the last commit that touched it, for files under ``folder``.

    One ``git log`` for the whole folder; empty when git or the repository is missing.
    """
    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        log = subprocess.run(
            ["git", "-C", top, "log", "--format=%x00%cs", "--name-only", "--", str(folder.resolve())],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[Path, date] = {}
    current: date | None = None
    for line in log.splitlines():
        if line.startswith("\x00"):
            current = date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault((Path(top) / line).resolve(), current)  # newest commit first
    return dates


def modification_date(path: Path) -> date:
    """The file's modification date, for files git does not know yet."""
    return datetime.fromtimestamp(os.stat(path).st_mtime).date()
