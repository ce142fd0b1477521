"""Findings: what the checks tell writers, in French, with the file and line to fix."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return {"error": "erreur", "warning": "avertissement"}[self.value]


@dataclass(frozen=True)
class Source:
    """Where an object of the model comes from: a file (relative to the project) and a line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Finding:
    """One problem in the knowledge base. ``code`` is stable: CI and writers may rely on it."""

    source: Source
    code: str
    severity: Severity
    message: str
    fix: str
    # What the finding is about within its file (a version « 4.2.1 », an article's slug), so
    # that an acknowledged finding (the baseline) is recognised whatever line it moves to.
    subject: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        return (
            f"{self.source}: {self.severity.label} [{self.code}] {self.message}\n    Correction : {self.fix}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.source.path,
            "line": self.source.line,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix,
        } | ({"subject": self.subject} if self.subject else {})


def error(source: Source, code: str, message: str, fix: str, subject: str = "") -> Finding:
    return Finding(source, code, Severity.ERROR, message, fix, subject)


def warning(source: Source, code: str, message: str, fix: str, subject: str = "") -> Finding:
    return Finding(source, code, Severity.WARNING, message, fix, subject)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then by file and line, so the first line printed is the first to fix."""
    return sorted(findings, key=lambda f: (not f.is_error, f.source.path, f.source.line, f.code))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def to_json(findings: Iterable[Finding]) -> str:
    items = [f.as_dict() for f in sort_findings(findings)]
    return json.dumps(
        {
            "errors": sum(1 for i in items if i["severity"] == "error"),
            "warnings": sum(1 for i in items if i["severity"] == "warning"),
            "findings": items,
        },
        ensure_ascii=False,
        indent=2,
    )


def relative_to(path: Path, root: Path, root_resolved: bool = False) -> str:
    """A path as writers see it: relative to the project root when possible, with slashes
    (``root_resolved``: the caller resolved ``root`` already)."""
    try:
        return path.resolve().relative_to(root if root_resolved else root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
