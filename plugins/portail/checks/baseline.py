"""The baseline: findings a team has acknowledged (``kb/portail-baseline.yml``), for history
nobody will rewrite (the releases of ten years ago in an imported changelog).

``portail check --write-baseline`` records the findings of the moment; afterwards the check and
the build report only the findings the baseline does not hold. An entry names a finding by its
code, its file and its subject (the version or item concerned), or its message when it has no
subject; never by its line, so that edits elsewhere in the file keep it valid. Entries are
matched as a multiset: two identical findings need two entries. An entry that matches nothing
any more is a ``baseline-stale`` warning at its own line.

Only the history can be acknowledged: findings in release notes and changelogs
(``kb/releases/``). Everything else a writer can still fix, and a finding elsewhere may guard
the site itself (a link leaving kb/, two pages at one address): it is never written to the
file, and an entry naming it matches nothing.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..model.findings import Finding, Source, error, warning
from ..reading.context import BASELINE_FILE, ReadContext
from ..reading.yamlfile import LineDict, YamlError, load_yaml

# The key of the list in the file, and the keys of an entry (in the order they are written).
ENTRIES_KEY = "acknowledged"
ENTRY_KEYS = ("code", "file", "subject", "message")
REQUIRED_KEYS = ("code", "file")
# Findings about the baseline itself are never acknowledged: they are how it is kept right.
OWN_CODES = frozenset({"baseline-stale", "baseline-invalid", "baseline-syntax"})

REGENERATE = "portail check --write-baseline"
HISTORY_DIR = "releases"  # in kb/: release notes and changelogs, the only findings acknowledged

HEADER = f"""\
# Constats reconnus de la base de connaissances : des problèmes connus et acceptés, le plus
# souvent dans l'historique (anciennes versions d'un CHANGELOG.md importé) que personne ne
# réécrira. `portail check` et la construction du site ne les détaillent plus : ils les
# comptent seulement. Un nouveau problème, lui, est toujours signalé.
#
# Fichier écrit par `{REGENERATE}` (make check ne l'écrit jamais) : relisez-le
# dans la demande de fusion comme le reste de kb/. Pour le régénérer après une correction :
#     .venv/bin/{REGENERATE}
# Une entrée désigne un constat par son code, son fichier et son sujet (ou son message),
# jamais par sa ligne. Une entrée qui ne correspond plus à rien est signalée (baseline-stale) :
# retirez-la, ou régénérez le fichier.
"""


@dataclass(frozen=True)
class Entry:
    """One acknowledged finding, as the baseline file names it, and the entry's line there."""

    code: str
    file: str
    subject: str
    message: str
    line: int

    @property
    def described(self) -> str:
        about = f" ({self.subject})" if self.subject else ""
        said = f" : {self.message}" if self.message else ""
        return f"[{self.code}] {self.file}{about}{said}"


@dataclass(frozen=True)
class Baseline:
    """The entries of the baseline file (empty when there is none) and its problems."""

    path: str  # as writers see it, relative to the project root
    entries: tuple[Entry, ...]
    findings: tuple[Finding, ...]  # the file's own problems (syntax, structure)
    history: str = "kb/releases/"  # the folder whose findings may be acknowledged, as writers see it

    def acknowledgeable(self, finding: Finding) -> bool:
        return finding.code not in OWN_CODES and finding.source.path.startswith(self.history)


@dataclass(frozen=True)
class Applied:
    """Findings once the baseline is applied: those still reported (with stale entries as
    warnings and the file's own problems) and those it acknowledged."""

    reported: list[Finding]
    acknowledged: tuple[Finding, ...]


def baseline_path(kb_dir: Path) -> Path:
    return kb_dir / BASELINE_FILE


def read_baseline(kb_dir: Path, project_root: Path) -> Baseline:
    """The baseline of ``kb_dir``: read as every file of kb/ is (links kept inside kb/, UTF-8,
    no control character), then parsed with the line of each entry."""
    context = ReadContext(kb_dir, project_root)
    path = baseline_path(kb_dir)
    rel = context.rel(path)
    history = context.rel(kb_dir / HISTORY_DIR) + "/"
    if not context.inside_kb(path) or not path.exists():
        return Baseline(rel, (), tuple(context.findings), history)
    if not path.is_file():
        context.add(_invalid(Source(rel, 1), f"« {BASELINE_FILE} » est un dossier, pas un fichier"))
        return Baseline(rel, (), tuple(context.findings), history)
    text = context.read_text(path)
    if text is None:
        return Baseline(rel, (), tuple(context.findings), history)
    try:
        data = load_yaml(text)
    except YamlError as exc:
        context.add(
            error(
                Source(rel, exc.line),
                "baseline-syntax",
                f"fichier des constats reconnus illisible : {exc.message} ; aucun constat n'y est reconnu",
                f"Corrigez la syntaxe YAML à cette ligne, ou régénérez le fichier avec `{REGENERATE}`.",
            )
        )
        return Baseline(rel, (), tuple(context.findings), history)
    entries = _entries(data, rel, context)
    return Baseline(rel, tuple(entries), tuple(context.findings), history)


def _entries(data: Any, rel: str, context: ReadContext) -> list[Entry]:
    if data is None:  # empty, or comments only: nothing acknowledged
        return []
    if not isinstance(data, LineDict) or not isinstance(data.get(ENTRIES_KEY), (list, type(None))):
        context.add(
            _invalid(
                Source(rel, getattr(data, "line", 1)),
                f"le fichier des constats reconnus doit contenir une liste « {ENTRIES_KEY}: »",
            )
        )
        return []
    for key in data:
        if key != ENTRIES_KEY:
            context.add(
                _invalid(
                    Source(rel, data.line_of(key)),
                    f"clé « {key} » inconnue au premier niveau (seule « {ENTRIES_KEY}: » est attendue)",
                )
            )
    entries = []
    for index, raw in enumerate(data.get(ENTRIES_KEY) or []):
        entry = _entry(raw, index, rel, data.line_of(ENTRIES_KEY), context)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(raw: Any, index: int, rel: str, list_line: int, context: ReadContext) -> Entry | None:
    if not isinstance(raw, LineDict):
        context.add(
            _invalid(
                Source(rel, list_line),
                f"l'entrée n° {index + 1} n'est pas une liste de clés (code, file, subject, message)",
            )
        )
        return None
    problems = False
    for key in raw:
        if key not in ENTRY_KEYS:
            problems = True
            context.add(
                _invalid(
                    Source(rel, raw.line_of(key)),
                    f"clé « {key} » inconnue dans une entrée (clés permises : {', '.join(ENTRY_KEYS)})",
                )
            )
    values: dict[str, str] = {}
    for key in ENTRY_KEYS:
        value = _text(raw.get(key))
        if value is None:
            problems = True
            context.add(
                _invalid(
                    Source(rel, raw.line_of(key)),
                    f"la valeur de « {key} » doit être un texte, pas une liste ni un dictionnaire",
                )
            )
            value = ""
        values[key] = value
    missing = [key for key in REQUIRED_KEYS if not values[key]]
    if not values["subject"] and not values["message"]:
        missing.append("subject ou message")
    if missing:
        context.add(
            _invalid(
                Source(rel, raw.line),
                f"entrée sans {', ni '.join(f'« {key} »' for key in missing)} : elle ne désigne aucun constat",
            )
        )
        return None
    if problems:
        return None
    return Entry(values["code"], values["file"], values["subject"], values["message"], raw.line)


def _text(value: Any) -> str | None:
    """A scalar as text (a bare `4.2` or date stays what was written); None for a collection."""
    if value is None:
        return ""
    if isinstance(value, (str, int, date)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return None


def _invalid(source: Source, message: str) -> Finding:
    return error(
        source,
        "baseline-invalid",
        message,
        "Chaque entrée de « acknowledged: » s'écrit « - code: …, file: …, subject: …, message: … » "
        f"(voir kb/README.md, « Constats reconnus ») ; le plus sûr est de régénérer le fichier avec "
        f"`{REGENERATE}`.",
    )


# -- matching ------------------------------------------------------------------------------------


def _primary(code: str, file: str, subject: str, message: str) -> tuple[str, ...]:
    return (code, file, "subject", subject) if subject else (code, file, "message", message)


def apply_baseline(findings: Sequence[Finding], baseline: Baseline) -> Applied:
    """Leave out the findings the baseline acknowledges, add a ``baseline-stale`` warning for
    each entry that matches none, and the file's own problems. Matching is by (code, file,
    subject) when the subject is set, else (code, file, message), one entry per finding; an
    entry left over then matches a finding left over with the same code, file and message (a
    check that has since learnt to give its subject keeps the entries written before)."""
    if not baseline.entries:
        return Applied([*findings, *baseline.findings], ())
    waiting: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
    for entry in baseline.entries:
        waiting[_primary(entry.code, entry.file, entry.subject, entry.message)].append(entry)
    matched: set[int] = set()  # ids of the entries used
    acknowledged: list[Finding] = []
    left: list[Finding] = []
    for finding in findings:
        key = _primary(finding.code, finding.source.path, finding.subject, finding.message)
        candidates = waiting.get(key) if baseline.acknowledgeable(finding) else None
        if candidates:
            matched.add(id(candidates.pop(0)))
            acknowledged.append(finding)
        else:
            left.append(finding)
    by_message: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
    for entry in baseline.entries:
        if id(entry) not in matched:
            by_message[(entry.code, entry.file, entry.message)].append(entry)
    reported: list[Finding] = []
    for finding in left:
        candidates = (
            by_message.get((finding.code, finding.source.path, finding.message))
            if baseline.acknowledgeable(finding)
            else None
        )
        if candidates:
            matched.add(id(candidates.pop(0)))
            acknowledged.append(finding)
        else:
            reported.append(finding)
    reported.extend(stale_finding(baseline.path, e) for e in baseline.entries if id(e) not in matched)
    reported.extend(baseline.findings)
    return Applied(reported, tuple(acknowledged))


def stale_finding(path: str, entry: Entry) -> Finding:
    return warning(
        Source(path, entry.line),
        "baseline-stale",
        f"constat reconnu qui ne se produit plus : {entry.described}",
        f"Le problème a été corrigé ou a changé : retirez cette entrée, ou régénérez le fichier "
        f"avec `{REGENERATE}` (puis relisez la différence).",
        subject=entry.described,
    )


# -- writing -------------------------------------------------------------------------------------


def baseline_text(findings: Iterable[Finding]) -> str:
    """The file recording ``findings`` (those about the baseline itself left out): entries
    sorted by file, code, subject and message, every value a quoted-when-needed YAML string."""
    entries = sorted(
        (f.source.path, f.code, f.subject, f.message) for f in findings if f.code not in OWN_CODES
    )
    items = []
    for path, code, subject, message in entries:
        item = {"code": code, "file": path}
        if subject:
            item["subject"] = subject
        item["message"] = message
        items.append(item)
    body = yaml.safe_dump(
        {ENTRIES_KEY: items},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,  # one value per line: a merge request shows the entries that changed
    )
    return HEADER + "\n" + body


def write_baseline(kb_dir: Path, findings: Iterable[Finding]) -> tuple[Path, int]:
    """Write the baseline file of ``kb_dir`` (atomically: a reader never sees half of it) and
    return its path and the number of entries written."""
    recorded = [f for f in findings if f.code not in OWN_CODES]
    text = baseline_text(recorded)
    path = baseline_path(kb_dir)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path, len(recorded)
