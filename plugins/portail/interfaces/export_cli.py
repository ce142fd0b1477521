"""The command line of the export: ``portail generate OUT`` and ``portail index SITE``.

Light to import (cli.py registers these commands on every run): the readers, the pages and
Pagefind are imported when a command runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..model.urls import RECORDS_FILE


def register(commands: Any) -> None:
    """Adds ``generate`` and ``index`` to the ``portail`` command line (cli.py)."""
    generate = commands.add_parser(
        "generate",
        help="écrit les sources du site en fichiers ordinaires (pour Zensical, ProperDocs, MkDocs seul)",
        description=(
            "Vérifie la base comme la construction (une erreur arrête tout, rien n'est écrit), puis "
            "écrit dans SORTIE les pages générées, les pages de docs/, les pièces jointes, flux, "
            "calendriers, scripts, la couche de thème, un mkdocs.yml sans plugin portail et un "
            "zensical.toml. Ensuite : zensical build (ou mkdocs build) dans SORTIE, puis "
            "portail index SORTIE/site."
        ),
    )
    generate.add_argument("out", metavar="SORTIE", help="dossier à écrire (hors de kb/ et de docs/)")
    generate.add_argument(
        "--config", default="mkdocs.yml", metavar="FICHIER", help="mkdocs.yml du site (défaut : ./mkdocs.yml)"
    )
    generate.add_argument(
        "--force",
        action="store_true",
        help="remplace un export précédent (seulement un dossier écrit par portail generate)",
    )
    generate.set_defaults(run=run_generate)
    index = commands.add_parser(
        "index",
        help="indexe un site construit pour la recherche du navigateur (Pagefind)",
        description=(
            "Écrit l'index de recherche (pagefind/) dans SITE, un site déjà construit par MkDocs, "
            f"Zensical ou ProperDocs ; les pièces jointes sont lues dans SITE/{RECORDS_FILE} s'il "
            "existe. Code de sortie : 0 si l'index est écrit, 1 si Pagefind échoue, 2 si SITE n'est "
            "pas un site construit."
        ),
    )
    index.add_argument("site", metavar="SITE", help="dossier du site construit (contenant index.html)")
    index.set_defaults(run=run_index)


def _fail(message: str, code: int = 2) -> int:
    print(f"portail : {message}", file=sys.stderr)
    return code


def run_generate(args: Any) -> int:
    """Exit 0 when written, 1 when the checks found errors (printed as `portail check` prints
    them), 2 when the command cannot run (configuration, output folder)."""
    from ..checks.portail_links import ConfigError
    from .export import ExportError, check_output, prepare, write
    from .export_config import read_site

    config_file, out = Path(args.config), Path(args.out)
    if not config_file.is_file():
        return _fail(f"fichier « {config_file} » introuvable (option --config).")
    try:
        site = read_site(config_file)
        protected = [site.kb_dir, site.docs_dir, *([site.custom_dir] if site.custom_dir else [])]
        check_output(out, site.root, args.force, protected)
        export = prepare(site)
    except ConfigError as problem:
        return _fail(str(problem))
    except ExportError as problem:
        for finding in problem.findings:
            print(finding.format())
        return _fail(str(problem), 1 if problem.findings else 2)
    for finding in export.warnings:
        print(finding.format())
    if export.note:
        print(f"{export.note} (non détaillés).")
    try:
        write(export, out)
    except OSError as problem:
        return _fail(f"impossible d'écrire dans « {out} » ({problem.strerror or problem}).")
    print(
        f"Site généré dans {out} : {export.pages} pages, {len(export.files)} fichiers. "
        f"Ensuite : cd {out} && zensical build (ou mkdocs build), puis portail index {out / 'site'}."
    )
    return 0


def run_index(args: Any) -> int:
    from ..search.browser import Record, index_site

    site = Path(args.site)
    if not (site / "index.html").is_file():
        return _fail(f"« {site} » n'est pas un site construit (pas de index.html).")
    records: list[Record] = []
    listed = site / RECORDS_FILE
    if listed.is_file():
        try:
            data = json.loads(listed.read_text(encoding="utf-8"))
            records = [Record(**{**r, "products": tuple(r["products"])}) for r in data]
        except (OSError, ValueError, TypeError, KeyError) as problem:
            return _fail(f"{listed} illisible ({problem}).")
    try:
        index_site(site, records)
    except Exception as problem:  # noqa: BLE001 - Pagefind's own failures, said in French
        return _fail(f"l'indexation de « {site} » a échoué ({problem}).", 1)
    pages = sum(1 for _ in site.rglob("*.html"))
    print(
        f"Index de recherche écrit dans {site / 'pagefind'} "
        f"({pages} pages HTML, {len(records)} pièce(s) jointe(s))."
    )
    return 0
