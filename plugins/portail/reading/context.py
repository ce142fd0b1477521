"""``ReadContext``: how every reader of kb/ lists and opens files. kb/ is a closed box: a
symbolic link is followed only inside kb/; loops, dangling links, unreadable and special files,
invalid UTF-8 and control characters are findings. ``docs_symlink_findings`` applies the same
rule to docs/ before MkDocs lists it. The readers (catalogue, documentation, FAQ, releases,
informations, synonyms) take a ``ReadContext``; ``knowledge_base.read_knowledge_base`` runs them.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from ..model.findings import Finding, Source, error, relative_to
from ..model.kb import (
    Product,
    guess_product,
)
from .gitdates import GitHistory, read_history
from .incremental import ParseCache
from .schema import Schema
from .yamlfile import FrontMatter, LineDict, YamlError, load_yaml, split_front_matter

CATALOGUE_FILE = "catalogue.yml"
# Acknowledged findings (baseline.py): a known file of kb/, read by load.analyse, not here.
BASELINE_FILE = "portail-baseline.yml"
DOCUMENTATION_DIR = "documentation"
SIDECAR_SUFFIXES = (".yml", ".yaml")



# Characters no writer means: NUL, the C0 controls but tab and line ends, DEL and the C1
# controls (mojibake of Windows-1252). Atom and iCalendar refuse most of them, terminals
# obey them (ANSI escapes): a file holding one is refused, so check and build agree.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
T = TypeVar("T")
_UNREADABLE = object()  # load_yaml_file's answer when a finding already says why


@dataclass
class ReadContext:
    kb_dir: Path
    project_root: Path
    cache: ParseCache | None = None

    def __post_init__(self) -> None:
        self.findings: list[Finding] = []
        self.kb_root = self.kb_dir.resolve()
        self.root = self.project_root.resolve()
        self.listed: dict[Path, list[Path]] = {}
        self.resolved: dict[Path, Path] = {}  # folder -> its resolved path, for this run
        self.git: GitHistory | None = None  # read once, when a first date is wanted

    def rel(self, path: Path) -> str:
        """``path`` as writers see it (relative to the project root, links resolved). A file
        that is not a link is its resolved folder plus its name: one lookup per folder, not a
        resolution of every component for each of thousands of files."""
        if path.is_symlink():
            return relative_to(path, self.root, root_resolved=True)
        folder = self.resolved.get(path.parent)
        if folder is None:
            folder = self.resolved[path.parent] = path.parent.resolve()
        try:
            return (folder / path.name).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def updated(self, path: Path, declared: date | None) -> date:
        """« Mis à jour le »: the date the writer declares (`updated:`), else the last commit
        touching ``path``, else (outside git, or changed since its last commit) its
        modification date. Git is asked once per reading, for the whole of kb/."""
        if declared is not None:
            return declared
        if self.git is None:
            self.git = read_history(self.kb_dir)
        return self.git.updated(path)

    def product_folders(self, root: Path, products: tuple[Product, ...]) -> Iterator[tuple[Path, Product]]:
        """The folders of ``root`` named after a product; a finding for every other entry."""
        known = {product.slug: product for product in products}
        for entry in self.listdir(root):
            if not entry.is_dir():
                self.misplaced(entry, root)
            elif entry.name not in known:
                self.add(self.unknown_product(entry, products))
            else:
                yield entry, known[entry.name]

    def unknown_product(self, folder: Path, products: tuple[Product, ...]) -> Finding:
        name = folder.name
        guess = guess_product(name, products)
        hint = f"Renommez le dossier en « {guess} »" if guess else "Renommez le dossier"
        return error(
            self.folder_source(folder),
            "unknown-product",
            f"produit inconnu « {name} » (produits connus : {', '.join(p.slug for p in products)})"
            f" : {self.unpublished(folder)}",
            f"{hint}, ou ajoutez le produit à {self.rel(self.kb_dir / CATALOGUE_FILE)}.",
        )

    def folder_source(self, folder: Path) -> Source:
        """A folder's problem is shown on its first file, which writers open; else on the folder."""
        first = next((p for p in sorted(folder.rglob("*")) if p.is_file()), None)
        return Source(self.rel(first if first is not None else folder), 1)

    def unpublished(self, folder: Path) -> str:
        count = sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
        return (
            f"les {count} fichiers du dossier {self.rel(folder)}/ ne sont pas publiés"
            if count > 1
            else f"le dossier {self.rel(folder)}/ n'est pas publié"
        )

    # -- files -------------------------------------------------------------------------------
    # kb/ is a closed box: every path the readers open comes from listdir() or inside_kb(),
    # which never let a symbolic link lead out of kb/ and turn every OS error into a finding.

    def listdir(self, folder: Path) -> list[Path]:
        """Entries of a folder in name order, hidden ones (.gitkeep, .DS_Store) left out, as
        well as links that lead out of kb/ or nowhere and special files (each with a finding)."""
        if folder in self.listed:  # a version folder is listed for its files, then its folders
            return self.listed[folder]
        self.listed[folder] = entries = self.list_entries(folder)
        return entries

    def list_entries(self, folder: Path) -> list[Path]:
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            self.add(
                error(
                    Source(self.rel(folder), 1),
                    "unreadable",
                    f"dossier illisible ({_os_reason(exc)}) : son contenu n'est pas publié",
                    "Donnez le droit de lecture sur ce dossier (chmod a+rx), ou retirez-le.",
                )
            )
            return []
        entries = []
        for name in names:
            path = folder / name
            if name.startswith(".") or not self.inside_kb(path):
                continue
            if not path.is_dir() and not path.is_file():
                self.add(
                    error(
                        Source(self.rel(path), 1),
                        "special-file",
                        f"« {name} » n'est ni un fichier ni un dossier (tube, socket, périphérique) : "
                        "il n'est pas publié",
                        "Retirez-le de kb/ : seuls des fichiers et des dossiers y ont leur place.",
                    )
                )
                continue
            entries.append(path)
        return entries

    def inside_kb(self, path: Path) -> bool:
        """Whether ``path`` may be read: not a symbolic link, or one whose target exists
        inside kb/. A finding names every link refused."""
        problem = symlink_problem(path, self.kb_root)
        if problem is None:
            return True
        # rel() resolves: a link is named by its own place, not by its target's.
        self.add(symlink_finding(Source(self.rel(path.parent) + "/" + path.name, 1), *problem))
        return False

    def readable_size(self, path: Path) -> int | None:
        """The size of an attached file that can be opened; None (and a finding) otherwise."""
        try:
            with path.open("rb"):
                return path.stat().st_size
        except OSError as exc:
            self.unreadable(path, exc)
            return None

    def unreadable(self, path: Path, exc: OSError) -> None:
        self.add(
            error(
                Source(self.rel(path), 1),
                "unreadable",
                f"fichier illisible ({_os_reason(exc)}) : il n'est pas publié",
                "Donnez le droit de lecture sur ce fichier (chmod a+r), ou retirez-le.",
            )
        )

    def misplaced(self, path: Path, root: Path) -> None:
        self.add(
            error(
                Source(self.rel(path), 1),
                "misplaced-file",
                f"fichier « {path.name} » hors d'un dossier de produit : il n'est pas publié",
                f"Déplacez-le dans {self.rel(root)}/<produit>/ (un dossier par produit du catalogue).",
            )
        )

    def read_markdown_file(
        self, path: Path, schema: Schema
    ) -> tuple[str, FrontMatter, dict[str, Any]] | None:
        """A Markdown file's path as writers see it, its front matter and body, and the values
        of its front matter validated by ``schema``; None when the file cannot be read."""
        rel = self.rel(path)
        front = self.parsed("markdown", path, lambda: self.parse_markdown(path, rel))
        if front is None:
            return None
        values, findings = schema.validate(front.data, rel)
        self.findings.extend(findings)
        return rel, front, values

    def parse_markdown(self, path: Path, rel: str) -> FrontMatter | None:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            return split_front_matter(text)
        except YamlError as exc:
            self.front_matter_error(rel, exc)
            return None

    def parsed(self, kind: str, path: Path, parse: Callable[[], T]) -> T:
        """``parse()``'s result and findings, from the parse cache while the file is unchanged
        (a preview re-parses only what was edited)."""

        def run() -> tuple[T, list[Finding]]:
            before = len(self.findings)
            value = parse()
            found = self.findings[before:]
            del self.findings[before:]
            return value, found

        value, found = self.cache.get(kind, path, run) if self.cache is not None else run()
        self.findings.extend(found)
        return value

    def front_matter_error(self, rel: str, exc: YamlError) -> None:
        self.add(
            error(
                Source(rel, exc.line),
                "front-matter-syntax",
                f"en-tête illisible : {exc.message}",
                "Corrigez l'en-tête entre les deux lignes « --- » (format `clé: valeur`, "
                "une clé par ligne, valeurs contenant « : » entre guillemets).",
            )
        )

    def read_text(self, path: Path) -> str | None:
        """A file's text; None, with a finding, when it cannot be read, is not UTF-8 or holds
        a control character."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            self.unreadable(path, exc)
            return None
        except UnicodeDecodeError as exc:
            raw = path.read_bytes()
            bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0  # utf-8-sig counts after the BOM
            line = raw[: exc.start + bom].count(b"\n") + 1
            self.add(
                error(
                    Source(self.rel(path), line),
                    "encoding",
                    "le fichier n'est pas encodé en UTF-8",
                    "Enregistrez le fichier en UTF-8 (option « Encodage » de votre éditeur).",
                )
            )
            return None
        control = _CONTROL.search(text)
        if control is not None:
            line = text.count("\n", 0, control.start()) + 1
            column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
            count = len(_CONTROL.findall(text))
            self.add(
                error(
                    Source(self.rel(path), line),
                    "control-character",
                    f"caractère de contrôle invisible U+{ord(control.group()):04X} en colonne {column}"
                    + (f" ({count} dans le fichier)" if count > 1 else "")
                    + " : le fichier n'est pas publié",
                    "Supprimez ce caractère (souvent collé depuis un terminal ou un traitement de "
                    "texte) ; `sed -i 's/[[:cntrl:]]//g'` garde les fins de ligne et les tabulations.",
                )
            )
            return None
        return text

    def load_yaml_file(self, path: Path) -> Any:
        """The YAML data of a file (None when empty or comments only), or ``_UNREADABLE``
        when a finding says why it could not be read."""
        return self.parsed("yaml", path, lambda: self.parse_yaml(path))

    def parse_yaml(self, path: Path) -> Any:
        text = self.read_text(path)
        if text is None:
            return _UNREADABLE
        try:
            return load_yaml(text)
        except YamlError as exc:
            self.add(
                error(
                    Source(self.rel(path), exc.line),
                    "yaml-syntax",
                    exc.message,
                    "Corrigez la syntaxe YAML à cette ligne (indentation par espaces, `clé: valeur`, "
                    "valeurs contenant « : » ou « # » entre guillemets).",
                )
            )
            return _UNREADABLE


def symlink_problem(path: Path, root: Path) -> tuple[str, str] | None:
    """Why ``path``, a symbolic link, must not be followed (code, French message): it loops,
    leads nowhere or out of ``root`` (resolved); None for anything else."""
    if not path.is_symlink():
        return None
    target = os.readlink(path)
    try:
        resolved = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a link loop this way, 3.13 as ELOOP
        return "symlink-loop", f"lien symbolique « {target} » qui boucle"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink-loop", f"lien symbolique « {target} » qui boucle"
        return "symlink-broken", f"lien symbolique vers « {target} », qui n'existe pas"
    if not resolved.is_relative_to(root):
        return (
            "symlink-outside",
            f"lien symbolique vers « {target} », hors de {root.name}/ : il n'est jamais suivi",
        )
    return None


def symlink_finding(source: Source, code: str, message: str) -> Finding:
    return error(
        source,
        code,
        f"{message} ; il n'est pas publié",
        "Remplacez le lien par une copie du fichier ou du dossier, ou supprimez-le "
        "(aucun lien ne sort de kb/ ni de docs/).",
    )


def docs_symlink_findings(docs_dir: Path, project_root: Path) -> list[Finding]:
    """Every symbolic link of ``docs_dir`` that loops, leads nowhere or out of it. MkDocs
    follows links when it lists the pages: this runs before, without following any."""
    root = docs_dir.resolve()
    findings = []
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(folder) / name
            problem = symlink_problem(path, root)
            if problem is not None:
                findings.append(
                    symlink_finding(Source(relative_to(path.parent, project_root) + "/" + name, 1), *problem)
                )
    return findings


def _os_reason(exc: OSError) -> str:
    reasons = {
        errno.EACCES: "droit de lecture refusé",
        errno.EPERM: "opération non permise",
        errno.EISDIR: "c'est un dossier",
        errno.ENOENT: "introuvable",
        errno.EIO: "erreur d'entrée-sortie du disque",
    }
    return reasons.get(exc.errno or 0, exc.strerror or "erreur du système")


def _without(data: LineDict, key: str) -> LineDict:
    copy = LineDict()
    copy.line = data.line
    for k, v in data.items():
        if k != key:
            copy[k] = v
            copy.key_lines[k] = data.line_of(k)
    return copy
