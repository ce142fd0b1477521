"""When a file was last changed, from git: writers publish through git, so the last commit
touching a FAQ article is its « mis à jour le » date unless the writer states one."""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime
from pathlib import Path

from .clock import PARIS


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
        # -z and quotePath=false: file names with accents come out as they are, NUL-separated.
        log = subprocess.run(
            [
                "git",
                "-c",
                "core.quotePath=false",
                "-C",
                top,
                "log",
                "-z",
                "--format=%x01%ct",
                "--name-only",
                "--",
                str(folder.resolve()),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[Path, date] = {}
    current: date | None = None
    for field in log.split("\0"):
        field = field.strip("\n")
        if field.startswith("\x01"):
            stamp, _, field = field[1:].partition("\n")
            current = datetime.fromtimestamp(int(stamp), PARIS).date()
        if field and current is not None:
            dates.setdefault((Path(top) / field).resolve(), current)  # newest commit first
    return dates


def modification_date(path: Path) -> date:
    """The file's modification date (Europe/Paris), for files git does not know yet."""
    return datetime.fromtimestamp(os.stat(path).st_mtime, PARIS).date()
