"""Version numbers as the contract writes them (X.Y.Z), for folder names of version lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"(0|[1-9][0-9]*)"
_FOLDER = re.compile(rf"^{_NUMBER}\.{_NUMBER}(?:\.{_NUMBER})?$")
_LOOSE = re.compile(r"(?i)^\s*(?:version|vers\.?|v)?[\s_-]*([0-9]+(?:\.[0-9]+){1,2})\s*$")


@dataclass(frozen=True, order=True)
class LineNumber:
    """A version line X.Y; ordered numerically (4.10 comes after 4.9)."""

    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


@dataclass(frozen=True)
class FolderVersion:
    """What a version folder names: a line X.Y, and a precise version X.Y.Z when given."""

    line: LineNumber
    version: str | None


def parse_version_folder(name: str) -> FolderVersion | None:
    """Parse a folder name ``X.Y`` or ``X.Y.Z`` (no leading zeros); None when it is neither."""
    match = _FOLDER.match(name)
    if not match:
        return None
    major, minor, patch = match.groups()
    line = LineNumber(int(major), int(minor))
    return FolderVersion(line, f"{line}.{patch}" if patch is not None else None)


def suggest_version_folder(name: str) -> str | None:
    """For a near miss such as ``VERSION 4.7`` or ``v4.07``, the folder name to use instead."""
    match = _LOOSE.match(name)
    if not match:
        return None
    parts = [str(int(part)) for part in match.group(1).split(".")]
    return ".".join(parts)
