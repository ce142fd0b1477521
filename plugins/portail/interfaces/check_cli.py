"""``portail check [--kb DIR] [--config mkdocs.yml] [--format text|json|gitlab]
[--changed-only REF] [--write-baseline]``: every finding of the knowledge base."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.clock import build_time
from .cli_french import fail as _error
from .search_cli import INDEX_DIR

if TYPE_CHECKING:
    # Each command imports what it needs when it runs: `portail search` on an up-to-date
    # index loads neither the readers nor the checks (nor markdown, yaml or babel).
    from ..checks.analyse import Analysis



def register(commands: argparse._SubParsersAction) -> None:
    """``portail check``."""
    check = commands.add_parser(
        "check",
        help="vérifie la base de connaissances (code de sortie 1 en cas d'erreur)",
        description="Vérifie kb/ et liste chaque problème avec son fichier et sa ligne.",
    )
    check.add_argument("--kb", default="kb", help="dossier de la base de connaissances (défaut : kb)")
    check.add_argument(
        "--format",
        choices=("text", "json", "gitlab"),
        default="text",
        help="format de sortie : text, json ou gitlab (rapport Code Quality de GitLab) (défaut : text)",
    )
    check.add_argument(
        "--changed-only",
        metavar="REF",
        type=_git_ref,
        help=(
            "ne détaille que les constats des fichiers modifiés depuis REF (commits depuis l'ancêtre "
            "commun de REF et HEAD, et modifications non commitées) ; les règles entre fichiers "
            "portent toujours sur toute la base"
        ),
    )
    check.add_argument(
        "--config",
        help="mkdocs.yml du site, pour les adresses des liens portail: (défaut : ./mkdocs.yml s'il existe)",
    )
    check.add_argument(
        "--write-baseline",
        action="store_true",
        help=(
            "enregistre les constats actuels comme reconnus dans <kb>/portail-baseline.yml : "
            "ils ne sont plus détaillés, seuls les nouveaux le sont (à relire dans la demande de fusion)"
        ),
    )


def _git_ref(value: str) -> str:
    """``--changed-only REF``: handed to git as one argument, never an option of git's."""
    from .report_gitlab import GitError, check_ref

    try:
        return check_ref(value)
    except GitError as problem:
        raise argparse.ArgumentTypeError(str(problem).rstrip(".")) from problem


def run_check(
    kb_dir: Path,
    output_format: str,
    config: str | None = None,
    write_baseline: bool = False,
    changed_only: str | None = None,
) -> int:
    from ..checks.analyse import analyse
    from ..checks.portail_links import ConfigError, config_targets
    from ..model.findings import has_errors, to_json

    if not kb_dir.is_dir():
        print(f"portail : dossier « {kb_dir} » introuvable (option --kb).", file=sys.stderr)
        return 2
    if changed_only is not None and write_baseline:
        return _error(
            "--write-baseline enregistre tous les constats : il ne s'emploie pas avec --changed-only."
        )
    changed = None
    if changed_only is not None:
        from .report_gitlab import GitError, changed_files

        try:
            changed = changed_files(changed_only, kb_dir)
        except GitError as problem:
            return _error(str(problem))
        kb_root = kb_dir.resolve()
        changed = frozenset(path for path in changed if path.is_relative_to(kb_root))
    config_file = Path(config or "mkdocs.yml")
    targets = None
    if config is not None and not config_file.is_file():
        return _error(f"fichier « {config} » introuvable (option --config).")
    if config_file.is_file():
        try:
            targets = config_targets(config_file)
        except ConfigError as problem:
            return _error(str(problem))
    if targets is None:
        # Said on stderr: the JSON on stdout stays parseable.
        why = "pas de plugin portail dans" if config_file.is_file() else "pas de"
        print(
            f"portail : {why} {config_file} : les liens portail: sont vérifiés dans leur forme seulement "
            "(portail:ticket, portail:outil/<nom>), pas d'après la configuration du site (option --config).",
            file=sys.stderr,
        )
    analysis = analyse(
        kb_dir, Path.cwd(), now=build_time(os.environ), targets=targets, memo_dir=INDEX_DIR.parent
    )
    if write_baseline:
        return _write_baseline(kb_dir, analysis, output_format)
    # Every rule ran on the whole base (duplicates, links between files); --changed-only
    # chooses what is reported, and the exit code follows what is reported.
    findings = list(analysis.findings)
    if changed is not None:
        from .report_gitlab import only_changed

        findings = only_changed(findings, changed, Path.cwd())
    left_out = len(analysis.findings) - len(findings)
    if output_format == "gitlab":
        from .report_gitlab import code_quality

        print(json.dumps(code_quality(findings), ensure_ascii=False, indent=2))
    elif output_format == "json":
        payload = json.loads(to_json(findings))
        payload["acknowledged"] = len(analysis.acknowledged)
        if changed is not None:
            payload["changed_only"] = {"ref": changed_only, "files": len(changed), "left_out": left_out}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding.format())
        if analysis.acknowledged_note:
            print(f"{analysis.acknowledged_note} (non détaillés).")
        if changed is not None:
            print(
                f"{len(changed)} fichier(s) de {kb_dir} modifié(s) depuis « {changed_only} » ; "
                f"{left_out} constat(s) hors de ces fichiers (non détaillés)."
            )
        kb = analysis.kb
        errors = sum(1 for finding in findings if finding.is_error)
        print(
            f"{errors} erreur(s), {len(findings) - errors} avertissement(s) — "
            f"{len(kb.products)} produits, {len(kb.lines)} lignes de version documentées, "
            f"{len(kb.documents)} documents, {len(kb.articles)} articles de FAQ, "
            f"{len(kb.releases)} notes de version."
        )
    return 1 if has_errors(findings) else 0


def _write_baseline(kb_dir: Path, analysis: Analysis, output_format: str) -> int:
    """``portail check --write-baseline``: every finding of now, acknowledged or not, becomes
    an entry of the baseline file (stale entries go); the file is reviewed like kb/."""
    from ..checks.baseline import baseline_path, write_baseline
    from ..model.findings import relative_to

    try:
        path, count = write_baseline(kb_dir, analysis.recorded)
    except OSError as problem:
        return _error(f"impossible d'écrire {baseline_path(kb_dir)} ({problem.strerror or problem}).")
    shown = relative_to(path, Path.cwd())
    if output_format == "json":
        print(json.dumps({"baseline": shown, "recorded": count}, ensure_ascii=False, indent=2))
    else:
        print(
            f"{count} constat(s) enregistré(s) dans {shown} : relisez le fichier et joignez-le "
            "à votre demande de fusion ; seuls les nouveaux constats seront désormais signalés."
        )
        others = analysis.unacknowledgeable
        if others:
            print(
                f"{len(others)} constat(s) hors des notes de version ({analysis.baseline_history}) "
                "ne peuvent pas être reconnus : corrigez-les (`portail check` les détaille)."
            )
    return 0
