"""The ``portail`` command: ``portail check`` lists every finding of the knowledge base."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .clock import build_time
from .findings import to_json
from .load import analyse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="portail",
        description="Portail : outils de la base de connaissances du portail de support.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande")
    check = commands.add_parser(
        "check",
        help="vérifie la base de connaissances (code de sortie 1 en cas d'erreur)",
        description="Vérifie kb/ et liste chaque problème avec son fichier et sa ligne.",
    )
    check.add_argument("--kb", default="kb", help="dossier de la base de connaissances (défaut : kb)")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="format de sortie (défaut : text)"
    )
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(Path(args.kb), args.format)
    return 2  # pragma: no cover - argparse rejects unknown commands


def run_check(kb_dir: Path, output_format: str) -> int:
    if not kb_dir.is_dir():
        print(f"portail : dossier « {kb_dir} » introuvable (option --kb).", file=sys.stderr)
        return 2
    analysis = analyse(kb_dir, Path.cwd(), now=build_time(os.environ))
    if output_format == "json":
        print(to_json(analysis.findings))
    else:
        for finding in analysis.findings:
            print(finding.format())
        kb = analysis.kb
        print(
            f"{len(analysis.errors)} erreur(s), {len(analysis.warnings)} avertissement(s) — "
            f"{len(kb.products)} produits, {len(kb.lines)} lignes de version documentées, "
            f"{len(kb.documents)} documents, {len(kb.articles)} articles de FAQ, "
            f"{len(kb.releases)} notes de version."
        )
    return 1 if analysis.has_errors else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
