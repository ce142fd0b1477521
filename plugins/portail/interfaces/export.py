"""``portail generate OUT``: the whole site source as plain files, for a renderer that runs no
MkDocs plugin (Zensical, a plain MkDocs or ProperDocs); ``portail index SITE``: Pagefind over
any rendered site folder.

The checks are the build's (kb/, docs/ symbolic links, ``portail:`` links of hand-written
pages, the nomenclature of docs/ release notes): an error stops the command before anything is
written. Then OUT receives ``docs/`` (generated pages with their front matter, hand-written
pages, attachments, feeds, calendars, assets, browser files), ``overrides/`` (the theme layer
the build adds under the site's own overrides), ``mkdocs.yml`` and ``zensical.toml``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from ..checks.analyse import analyse
from ..checks.portail_links import check_links, resolve_links
from ..model.clock import build_time
from ..model.findings import Finding, relative_to, sort_findings
from ..model.urls import RECORDS_FILE
from ..pages.generate import navigation
from ..reading.context import docs_symlink_findings
from ..search.browser import HELP_TYPE, attachment_records
from .export_config import Site, export_config, mkdocs_yml, zensical_toml
from .export_files import SiteFile, site_files, theme_layer

MARKER = ".portail-export"  # in OUT: what --force may clear
CACHE_DIR = ".portail"


class ExportError(Exception):
    """The export cannot run; the message is French. ``findings``: the errors that stopped it."""

    def __init__(self, message: str, findings: tuple[Finding, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass
class Export:
    """What an export writes, computed before anything is written."""

    files: dict[str, SiteFile]  # docs/ of the export, by source path
    theme: dict[str, bytes]  # overrides/ of the export
    mkdocs_yml: str
    zensical_toml: str
    pages: int
    warnings: tuple[Finding, ...]
    note: str


def hand_written(site: Site) -> Iterator[tuple[str, Path]]:
    """The files of docs/ a build publishes (not the theme's overrides, not ``exclude_docs``,
    not dot files), each by its source path; never a file whose real path leaves docs/."""
    root = site.docs_dir
    excluded = _spec(site.exclude_docs)
    for folder, dirs, names in os.walk(root, followlinks=True):  # links checked before
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if name.startswith(".") or (excluded is not None and excluded.match_file(rel)):
                continue
            if site.custom_dir is not None and path.resolve().is_relative_to(site.custom_dir):
                continue
            if path.resolve().is_relative_to(root) and path.resolve().is_file():
                yield rel, path


def _spec(patterns: str) -> Any:
    """``exclude_docs`` (gitignore patterns), as MkDocs reads it; None when empty."""
    if not patterns.strip():
        return None
    import pathspec  # MkDocs' own matcher

    return pathspec.GitIgnoreSpec.from_lines(patterns.splitlines())


def help_page(src_uri: str, markdown: str, targets: dict[str, str]) -> str:
    """A hand-written page as the build renders it: ``portail:`` links resolved and, besides
    the home page, searched as documentation (``search`` front matter, unless it has one)."""
    markdown = resolve_links(markdown, targets)
    if src_uri == "index.md":
        return markdown
    search = "search:\n  type: " + json.dumps(HELP_TYPE, ensure_ascii=False) + "\n"
    head, sep, _ = markdown[4:].partition("\n---")
    if not (markdown.startswith("---\n") and sep):
        return "---\n" + search + "---\n\n" + markdown
    try:
        meta = yaml.safe_load(head)
    except yaml.YAMLError:
        return markdown  # the renderer reports it as it would in a build
    if meta is None or (isinstance(meta, dict) and "search" not in meta):
        return "---\n" + search + markdown[4:]
    return markdown


def prepare(site: Site) -> Export:
    """Read and check everything; ExportError (French, with its findings) on any error."""
    if not site.kb_dir.is_dir():
        raise ExportError(f"dossier « {site.kb_dir} » introuvable (option kb_dir du plugin portail).")
    leaks = docs_symlink_findings(site.docs_dir, site.root)
    if site.custom_dir is not None and not site.custom_dir.is_relative_to(site.docs_dir):
        leaks += docs_symlink_findings(site.custom_dir, site.root)
    if leaks:
        raise ExportError("liens symboliques hors du projet, site non généré.", tuple(leaks))
    now = build_time(os.environ)
    analysis = analyse(site.kb_dir, site.root, now=now, targets=site.targets, memo_dir=site.root / CACHE_DIR)
    if analysis.has_errors:
        raise ExportError(
            f"{len(analysis.errors)} erreur(s) dans la base de connaissances, site non généré.",
            analysis.findings,
        )
    written = dict(hand_written(site))
    texts = {uri: path.read_text(encoding="utf-8") for uri, path in written.items() if uri.endswith(".md")}
    problems = [
        finding
        for uri, text in texts.items()
        for finding in check_links(text, relative_to(written[uri], site.root), site.targets)
    ]
    warnings = list(analysis.warnings)
    if site.nomenclature_product is not None:
        from ..checks.nomenclature import check_releases
        from ..reading.releases import releases_from_pages

        pages = [(relative_to(written[uri], site.root), text) for uri, text in texts.items()]
        releases, found = releases_from_pages(pages, site.nomenclature_product)
        found = sort_findings(found + check_releases(releases))
        problems += [f for f in found if f.is_error]
        warnings += [f for f in found if not f.is_error]
    if problems:
        raise ExportError(f"{len(problems)} erreur(s) dans docs/, site non généré.", tuple(problems))

    from ..search.related import related_articles

    kb = analysis.kb
    related = related_articles(kb, site.root / CACHE_DIR)
    files: dict[str, SiteFile] = {}
    for file in site_files(kb, now, site.targets, related, analysis.links, site.options):
        if file.src_uri.endswith(".md"):
            file = SiteFile(file.src_uri, resolve_links(str(file.content), site.targets))
        files[file.src_uri] = file
    pages = sum(1 for uri in files if uri.endswith(".md"))
    for uri, path in written.items():
        if uri in files:
            raise ExportError(
                f"{relative_to(path, site.root)} entre en conflit avec la page générée « {uri} » ; "
                "renommez ou supprimez le fichier de docs/."
            )
        content = help_page(uri, texts[uri], site.targets) if uri in texts else None
        files[uri] = SiteFile(uri, content, abs_path=None if uri in texts else str(path))
    records = [asdict(r) for r in attachment_records(kb)]
    files[RECORDS_FILE] = SiteFile(RECORDS_FILE, json.dumps(records, ensure_ascii=False, indent=1))
    theme = dict(_tree(theme_layer()))
    if site.custom_dir is not None and site.custom_dir.is_dir():  # the site's own overrides win
        theme.update((rel, p.read_bytes()) for rel, p in _files(site.custom_dir))
    home = site.home_pages or sorted(u for u in texts if u != "index.md")
    nav = site.nav or navigation(kb, home)
    config = export_config(site, nav, "overrides" if theme else None)
    return Export(
        files,
        theme,
        mkdocs_yml(config),
        zensical_toml(config),
        pages + len(texts),
        tuple(warnings),
        analysis.acknowledged_note,
    )


def _tree(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.is_dir():
            yield from _tree(item, f"{prefix}{item.name}/")
        elif not item.name.startswith(".") and not item.name.endswith(".pyc"):
            yield prefix + item.name, item.read_bytes()


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    real = root.resolve()
    for folder, dirs, names in os.walk(real, followlinks=True):  # links checked before
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.resolve().is_relative_to(real) and path.is_file():
                yield path.relative_to(real).as_posix(), path


def check_output(out: Path, site_root: Path, force: bool, protected: list[Path]) -> None:
    """OUT may receive the export: outside kb/ and docs/, not a folder holding them, and empty
    unless ``force`` and a previous export (its marker)."""
    target = out.resolve()
    for folder in protected:
        if target.is_relative_to(folder) or folder.is_relative_to(target):
            raise ExportError(
                f"« {out} » : le dossier de sortie doit être hors de {relative_to(folder, site_root)}."
            )
    if target.exists() and not target.is_dir():
        raise ExportError(f"« {out} » existe et n'est pas un dossier.")
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise ExportError(f"« {out} » n'est pas vide : choisissez un autre dossier ou ajoutez --force.")
        if not (target / MARKER).is_file():
            raise ExportError(
                f"« {out} » n'est pas vide et ne contient pas d'export précédent ({MARKER}) : "
                "--force ne vide qu'un dossier écrit par portail generate."
            )


def write(export: Export, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for child in out.iterdir():  # a previous export (check_output said so)
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for base, items in (
        ("docs", {u: f.data() for u, f in export.files.items()}),
        ("overrides", export.theme),
    ):
        for rel, data in items.items():
            path = out / base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    (out / "mkdocs.yml").write_text(export.mkdocs_yml, encoding="utf-8")
    (out / "zensical.toml").write_text(export.zensical_toml, encoding="utf-8")
    (out / MARKER).write_text(
        "Dossier écrit par `portail generate` : --force peut le vider.\n", encoding="utf-8"
    )
