"""What CI asks of ``portail check``: GitLab's Code Quality report (``--format gitlab``) and the
findings of the files a branch changed (``--changed-only REF``).

The report is GitLab's subset of the Code Climate format: a JSON array of issues, each with
``description``, ``check_name``, ``fingerprint``, ``severity`` and ``location`` (``path`` and
``lines.begin``). GitLab compares the fingerprints of the merge request's report with those of
the target branch's: a finding whose line moves keeps its fingerprint (code, file, subject or
message, never the line), so it is not shown as fixed and new again.

Severities: an error (it stops the build) is ``major``, a warning ``minor``, as ESLint's and
most linters' GitLab formatters map them; ``critical`` and ``blocker`` are left to security
scanners, so a reviewer reads one scale across tools.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..model.findings import Finding, Severity, sort_findings

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor"}

# A path followed by a line number in a message (« déjà utilisé (kb/faq/a.md:12) »): the line
# is left out of the fingerprint, like the finding's own line.
_PATH_LINE = re.compile(r"(\S\.[A-Za-z0-9]{1,8}):\d+")


def fingerprint(finding: Finding, occurrence: int = 0) -> str:
    """The finding's identity across commits: its code, file and subject (its message when it
    has none, without line numbers); ``occurrence`` tells identical findings of one file apart
    (the second one, in line order, is 1)."""
    about = finding.subject or _PATH_LINE.sub(r"\1", finding.message)
    parts = [finding.code, finding.source.path, about]
    if occurrence:
        parts.append(str(occurrence))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def description(finding: Finding) -> str:
    message = finding.message.rstrip()
    end = "" if message.endswith((".", "?", "!", "…")) else "."
    return f"{message}{end} Correction : {finding.fix}"


def code_quality(findings: Iterable[Finding]) -> list[dict[str, object]]:
    """The Code Quality issues of ``findings``, errors first, then by file and line."""
    seen: Counter[str] = Counter()
    issues: list[dict[str, object]] = []
    for finding in sort_findings(findings):
        base = fingerprint(finding)
        occurrence = seen[base]
        seen[base] += 1
        issues.append(
            {
                "description": description(finding),
                "check_name": finding.code,
                "fingerprint": fingerprint(finding, occurrence) if occurrence else base,
                "severity": SEVERITIES[finding.severity],
                "location": {
                    "path": finding.source.path,
                    "lines": {"begin": max(1, int(finding.source.line))},
                },
            }
        )
    return issues


# ----------------------------------------------------------------------------------------------
# --changed-only REF


class GitError(Exception):
    """Why the changed files could not be listed, in French, for the writer."""


def check_ref(ref: str) -> str:
    """A ref as the command line accepts it: never empty, never an option of git's."""
    if not ref.strip():
        raise GitError("indiquez une référence git après --changed-only, par exemple origin/main.")
    if ref.startswith("-"):
        raise GitError(
            f"référence « {ref} » refusée : une référence git ne commence pas par « - » "
            "(par exemple origin/main ou un identifiant de commit)."
        )
    if any(ord(char) < 32 for char in ref):
        raise GitError("référence git refusée : elle contient un caractère de contrôle.")
    return ref


class _CommandFailed(GitError):
    """git ran and refused (its message on stderr)."""


def _git(cwd: Path, *args: str) -> str:
    """One git command, as an argument list (never a shell); its output, or GitError."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=120,
            check=False,
        )
    except FileNotFoundError as problem:
        raise GitError("git est introuvable : --changed-only a besoin de git (installez-le).") from problem
    except (OSError, subprocess.SubprocessError, ValueError) as problem:
        raise GitError(f"git n'a pas pu être lancé ({problem}).") from problem
    if done.returncode != 0:
        raise _CommandFailed(done.stderr.strip())
    return done.stdout


def changed_files(ref: str, where: Path) -> frozenset[Path]:
    """The files changed since ``ref``, as absolute paths: the commits since the merge base of
    ``ref`` and HEAD (what a merge request brings, not what the target branch did since), plus
    what is not committed yet (staged, unstaged and untracked files that git does not ignore).
    ``where`` is a folder of the repository (kb/)."""
    check_ref(ref)
    try:
        top = Path(_git(where, "rev-parse", "--show-toplevel").strip())
    except _CommandFailed as problem:
        raise GitError(
            f"« {where} » n'est pas dans un dépôt git : --changed-only compare des commits."
        ) from problem
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except _CommandFailed as problem:
        raise GitError(
            f"référence git « {ref} » introuvable (une branche, une étiquette ou un commit ; "
            "en CI, récupérez tout l'historique : GIT_DEPTH: 0)."
        ) from problem
    try:
        base = _git(top, "merge-base", commit, "HEAD").strip()
    except _CommandFailed as problem:
        raise GitError(
            f"pas d'ancêtre commun entre « {ref} » et HEAD : l'historique est-il complet "
            "(en CI : GIT_DEPTH: 0) ?"
        ) from problem
    try:
        # Against the working tree: committed since the base, staged and unstaged alike.
        diff = _git(top, "diff", "--name-only", "--no-renames", "-z", base, "--")
        untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    except _CommandFailed as problem:
        raise GitError(f"git n'a pas pu lister les fichiers modifiés ({problem}).") from problem
    names = [name for name in (*diff.split("\0"), *untracked.split("\0")) if name]
    return frozenset(Path(os.path.normpath(top / name)) for name in names)


def _absolute(path: str, root: Path) -> Path:
    return Path(os.path.normpath(root / path))


def only_changed(findings: Iterable[Finding], changed: frozenset[Path], root: Path) -> list[Finding]:
    """The findings about a changed file, or naming one (the first of two duplicates, when the
    second is the changed one). ``root``: the folder finding paths are relative to."""
    root = root.resolve()
    shown: list[Finding] = []
    names = []
    for path in changed:
        try:
            names.append(path.relative_to(root).as_posix())
        except ValueError:
            names.append(path.as_posix())
    mentioned = (
        re.compile("(?:^|[\\s(«])(?:" + "|".join(map(re.escape, sorted(names))) + ")(?=[:)\\s»,;]|$)")
        if names
        else None
    )
    for finding in findings:
        if _absolute(finding.source.path, root) in changed or (
            mentioned is not None and mentioned.search(finding.message)
        ):
            shown.append(finding)
    return shown
