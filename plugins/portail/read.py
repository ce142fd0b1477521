"""Read kb/ into the model: the catalogue, then the documentation tree.

The reader never stops at the first problem: it returns the model of what it could read and a
finding for everything it could not, each with the file and line.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from .findings import Finding, Source, error, relative_to
from .gitdates import GitHistory, read_history
from .incremental import ParseCache
from .model import (
    Attachment,
    Document,
    DocumentKind,
    KnowledgeBase,
    Product,
    Section,
    VersionLine,
    guess_product,
    sort_documents,
)
from .read_faq import read_faq
from .read_informations import read_informations
from .read_releases import read_releases
from .schema import Field, Schema
from .synonyms import read_synonyms
from .urls import slugify
from .versions import (
    LineNumber,
    Version,
    VersionError,
    parse_version,
    parse_version_folder,
    suggest_version_folder,
)
from .yamlfile import FrontMatter, LineDict, YamlError, load_yaml, split_front_matter

CATALOGUE_FILE = "catalogue.yml"
# Acknowledged findings (baseline.py): a known file of kb/, read by load.analyse, not here.
BASELINE_FILE = "portail-baseline.yml"
DOCUMENTATION_DIR = "documentation"
SIDECAR_SUFFIXES = (".yml", ".yaml")

SECTION_SCHEMA = Schema(
    "la rubrique",
    (
        Field("slug", "slug", "identifiant de la rubrique dans les adresses", True, example="libriciels"),
        Field("title", "text", "titre affiché de la rubrique", True, example='"01- LES LIBRICIELS"'),
        Field("description", "text", "phrase de présentation de la rubrique"),
    ),
)

PRODUCT_SCHEMA = Schema(
    "le produit",
    (
        Field("slug", "slug", "identifiant du produit dans les adresses", True, example="s2low"),
        Field("name", "text", "nom affiché, avec sa typographie", True, example="S²LOW"),
        Field("code", "text", "code court utilisé dans les numéros de version", True, example="SL"),
        Field("aliases", "list", "autres façons d'écrire le produit", example="[s2low, slow]"),
        Field("description", "text", "phrase de présentation du produit", True),
        Field("support_queue", "text", "file de support des tickets", True, example="SUPPORT_s2low"),
        Field(
            "numbering_restarts",
            "raw",
            "versions X.Y.Z où la numérotation du produit repart plus bas (15.01 puis 2.0.0)",
            example="[2.0.0]",
        ),
    ),
)

_DOCUMENT_FIELDS = (
    Field("title", "text", "titre affiché du document", True, example="Manuel utilisateur 4.7"),
    Field(
        "kind",
        "choice",
        "type de document",
        choices=DocumentKind.slugs(),
        example="manuel-utilisateur",
    ),
    Field("description", "text", "phrase qui résume le document"),
    Field("updated", "date", "date de dernière mise à jour, AAAA-MM-JJ", example="2026-03-12"),
)
DOCUMENT_SCHEMA = Schema("l'en-tête du document", _DOCUMENT_FIELDS)
SIDECAR_SCHEMA = Schema("la fiche du fichier joint", _DOCUMENT_FIELDS)


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

    # -- catalogue ---------------------------------------------------------------------------

    def read_catalogue(self) -> tuple[tuple[Section, ...], tuple[Product, ...]]:
        path = self.kb_dir / CATALOGUE_FILE
        rel = self.rel(path)
        if not self.inside_kb(path):
            return (), ()
        if not path.is_file():
            self.add(
                error(
                    Source(rel, 1),
                    "missing-catalogue",
                    "le catalogue des produits est introuvable",
                    f"Créez {rel} (voir kb/README.md, « Le catalogue »).",
                )
            )
            return (), ()
        data = self.load_yaml_file(path)
        if data is _UNREADABLE:
            return (), ()
        if data is None:
            self.add(
                error(
                    Source(rel, 1),
                    "empty-catalogue",
                    "le catalogue est vide : aucun produit n'est connu, rien n'est publié",
                    "Écrivez la liste `sections:` du catalogue (voir kb/README.md, « Le catalogue »).",
                )
            )
            return (), ()
        if not isinstance(data, LineDict) or not isinstance(data.get("sections"), list):
            self.add(
                error(
                    Source(rel, getattr(data, "line", 1)),
                    "catalogue-structure",
                    "le catalogue doit contenir une liste « sections: »",
                    "Commencez le fichier par `sections:` puis une entrée « - slug: … » par rubrique.",
                )
            )
            return (), ()
        unknown_top = [k for k in data if k != "sections"]
        for key in unknown_top:
            self.add(
                error(
                    Source(rel, data.line_of(key)),
                    "unknown-field",
                    f"clé « {key} » inconnue au premier niveau du catalogue",
                    "Le catalogue ne contient que `sections:` ; déplacez ou supprimez cette clé.",
                )
            )
        sections: list[Section] = []
        products: list[Product] = []
        for entry in data["sections"]:
            section = self.read_section(entry, rel, data.line_of("sections"), products)
            if section is not None:
                sections.append(section)
        if not data["sections"]:
            self.add(
                error(
                    Source(rel, data.line_of("sections")),
                    "empty-catalogue",
                    "la liste « sections: » du catalogue est vide : aucun produit n'est connu",
                    "Ajoutez les rubriques (01- LES LIBRICIELS, 02- LES SERVICES, 03- AUTRES) "
                    "et leurs produits sous `sections:`.",
                )
            )
        return tuple(sections), tuple(products)

    def read_section(self, entry: Any, rel: str, parent_line: int, products: list[Product]) -> Section | None:
        if not isinstance(entry, LineDict):
            self.add(
                error(
                    Source(rel, parent_line),
                    "catalogue-structure",
                    "chaque rubrique doit être une liste de clés (slug, title, products…)",
                    "Écrivez chaque rubrique sous la forme `- slug: …` suivie de ses clés.",
                )
            )
            return None
        values, findings = SECTION_SCHEMA.validate(_without(entry, "products"), rel)
        self.findings.extend(findings)
        raw_products = entry.get("products")
        if not isinstance(raw_products, list):
            self.add(
                error(
                    Source(rel, entry.line_of("products")),
                    "catalogue-structure",
                    f"la rubrique « {values['title'] or values['slug']} » n'a pas de liste « products: »",
                    "Ajoutez `products:` suivi d'une entrée `- slug: …` par produit.",
                )
            )
            raw_products = []
        if values["slug"] is None or values["title"] is None:
            return None
        slugs = []
        for raw in raw_products:
            product = self.read_product(raw, rel, entry.line_of("products"), values["slug"])
            if product is not None:
                products.append(product)
                slugs.append(product.slug)
        return Section(
            slug=values["slug"],
            title=values["title"],
            description=values["description"] or "",
            product_slugs=tuple(slugs),
            source=Source(rel, entry.line),
        )

    def read_product(self, raw: Any, rel: str, parent_line: int, section: str) -> Product | None:
        if not isinstance(raw, LineDict):
            self.add(
                error(
                    Source(rel, parent_line),
                    "catalogue-structure",
                    "chaque produit doit être une liste de clés (slug, name, code…)",
                    "Écrivez chaque produit sous la forme `- slug: …` suivie de ses clés.",
                )
            )
            return None
        values, findings = PRODUCT_SCHEMA.validate(raw, rel)
        self.findings.extend(findings)
        if any(values[name] is None for name in ("slug", "name", "code")):
            return None
        restarts_source = (
            Source(rel, raw.line_of("numbering_restarts")) if "numbering_restarts" in raw else None
        )
        restarts = self.numbering_restarts(values["numbering_restarts"], restarts_source)
        return Product(
            slug=values["slug"],
            name=values["name"],
            code=values["code"],
            aliases=values["aliases"] or (),
            section=section,
            description=values["description"] or "",
            support_queue=values["support_queue"] or "",
            source=Source(rel, raw.line),
            numbering_restarts=restarts,
            numbering_restarts_source=restarts_source,
        )

    def numbering_restarts(self, raw: Any, source: Source | None) -> tuple[Version, ...]:
        """``numbering_restarts: [2.0.0]`` (or one version): the versions X.Y.Z where the
        product's numbering started again lower; an unreadable one is an ``invalid-field``."""
        if raw is None or source is None:
            return ()
        versions: list[Version] = []
        for item in raw if isinstance(raw, list) else [raw]:
            problem = None
            if not isinstance(item, str):
                # YAML reads 2.0 as a number (and 2.10 as 2.1): only X.Y.Z is unambiguous.
                problem = f"« {item} » n'est pas une version X.Y.Z"
            else:
                try:
                    versions.append(parse_version(item).version)
                except VersionError as exc:
                    problem = exc.reason
            if problem:
                self.add(
                    error(
                        source,
                        "invalid-field",
                        f"valeur invalide pour « numbering_restarts » dans le produit : {problem}",
                        "Écrivez la première version de la nouvelle numérotation, avec trois nombres "
                        "(`numbering_restarts: [2.0.0]`).",
                        subject=str(item),
                    )
                )
        return tuple(sorted(set(versions)))

    # -- documentation -----------------------------------------------------------------------

    def read_documentation(
        self, products: tuple[Product, ...]
    ) -> tuple[tuple[Document, ...], tuple[VersionLine, ...]]:
        root = self.kb_dir / DOCUMENTATION_DIR
        if not self.inside_kb(root) or not root.is_dir():
            return (), ()
        product_documents: list[Document] = []
        lines: list[VersionLine] = []
        for entry, product in self.product_folders(root, products):
            product_documents.extend(self.read_folder(entry, product, None, None))
            lines.extend(self.read_version_folders(entry, product))
        return tuple(product_documents), tuple(lines)

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

    def read_version_folders(self, product_dir: Path, product: Product) -> list[VersionLine]:
        documents_by_line: dict[LineNumber, list[Document]] = {}
        line_sources: dict[LineNumber, Source] = {}
        for entry in self.listdir(product_dir):
            if not entry.is_dir():
                continue
            parsed = parse_version_folder(entry.name)
            if parsed is None:
                suggestion = suggest_version_folder(entry.name)
                fix = (
                    f"Renommez le dossier en « {suggestion} »."
                    if suggestion
                    else "Un dossier de produit ne contient que des dossiers de version X.Y "
                    "(ou X.Y.Z) : renommez-le, ou placez ses documents dans le dossier du produit."
                )
                self.add(
                    error(
                        self.folder_source(entry),
                        "version-folder-name",
                        f"dossier « {entry.name} » : un dossier de version se nomme X.Y ou X.Y.Z "
                        f"(nombres sans zéro initial) ; {self.unpublished(entry)}",
                        fix,
                    )
                )
                continue
            documents = self.read_folder(entry, product, parsed.line, parsed.version)
            for sub in self.listdir(entry):
                if sub.is_dir():
                    self.add(
                        error(
                            self.folder_source(sub),
                            "nested-folder",
                            f"sous-dossier « {sub.name} » dans un dossier de version : "
                            f"{self.unpublished(sub)}",
                            "Placez ses documents directement dans le dossier de version.",
                        )
                    )
            documents_by_line.setdefault(parsed.line, []).extend(documents)
            # A line's own folder (X.Y) names it; else its first X.Y.Z folder does.
            if parsed.version is None or parsed.line not in line_sources:
                line_sources[parsed.line] = Source(self.rel(entry), 1)
        return [
            VersionLine(product.slug, number, sort_documents(documents), line_sources[number])
            for number, documents in documents_by_line.items()
        ]

    def read_folder(
        self, folder: Path, product: Product, line: LineNumber | None, version: str | None
    ) -> list[Document]:
        files = [entry for entry in self.listdir(folder) if entry.is_file()]
        names = {entry.name for entry in files}
        documents: list[Document] = []
        for path in files:
            if path.suffix.lower() == ".md":
                document = self.read_markdown(path, product, line, version)
            elif path.suffix.lower() in SIDECAR_SUFFIXES:
                if path.stem not in names:
                    self.add(
                        error(
                            Source(self.rel(path), 1),
                            "orphan-sidecar",
                            f"fiche « {path.name} » sans fichier joint « {path.stem} » à côté",
                            f"Ajoutez le fichier « {path.stem} », ou renommez la fiche "
                            "« <nom du fichier>.yml » d'après le fichier qu'elle décrit.",
                        )
                    )
                continue
            else:
                document = self.read_attachment(path, names, product, line, version)
            if document is not None:
                documents.append(document)
        return documents

    def read_markdown(
        self, path: Path, product: Product, line: LineNumber | None, version: str | None
    ) -> Document | None:
        read = self.read_markdown_file(path, DOCUMENT_SCHEMA)
        if read is None:
            return None
        rel, front, values = read
        if values["title"] is None:
            return None
        return Document(
            title=values["title"],
            kind=DocumentKind(values["kind"] or DocumentKind.OTHER.value),
            product=product.slug,
            line=line,
            version=version,
            slug=slugify(path.stem),
            description=values["description"],
            updated=self.updated(path, values["updated"]),
            source=Source(rel, front.data.line_of("title")),
            body=front.body,
            body_line=front.body_line,
        )

    def read_attachment(
        self,
        path: Path,
        names: set[str],
        product: Product,
        line: LineNumber | None,
        version: str | None,
    ) -> Document | None:
        rel = self.rel(path)
        sidecar = next((path.name + s for s in SIDECAR_SUFFIXES if path.name + s in names), None)
        if sidecar is None:
            self.add(
                error(
                    Source(rel, 1),
                    "attachment-without-title",
                    f"le fichier joint « {path.name} » n'a pas de titre",
                    f"Créez à côté « {path.name}.yml » contenant au moins `title: …` et `kind: …` "
                    "(les lecteurs ne voient jamais le nom brut du fichier).",
                )
            )
            return None
        sidecar_path = path.with_name(sidecar)
        data = self.load_yaml_file(sidecar_path)
        if data is _UNREADABLE:
            return None
        sidecar_rel = self.rel(sidecar_path)
        if data is None:
            self.add(
                error(
                    Source(sidecar_rel, 1),
                    "empty-sidecar",
                    f"la fiche « {sidecar} » est vide : le fichier joint « {path.name} » n'est pas publié",
                    "Écrivez au moins `title: …` et `kind: …` dans la fiche, une clé par ligne.",
                )
            )
            return None
        if not isinstance(data, LineDict):
            self.add(
                error(
                    Source(sidecar_rel, 1),
                    "sidecar-structure",
                    "la fiche d'un fichier joint doit être une liste de clés « clé: valeur »",
                    "Écrivez au moins `title: …` et `kind: …`, une clé par ligne.",
                )
            )
            return None
        values, findings = SIDECAR_SCHEMA.validate(data, sidecar_rel)
        self.findings.extend(findings)
        if values["title"] is None:
            return None
        size = self.readable_size(path)
        if size is None:
            return None
        return Document(
            title=values["title"],
            kind=DocumentKind(values["kind"] or DocumentKind.OTHER.value),
            product=product.slug,
            line=line,
            version=version,
            slug=slugify(path.stem),
            description=values["description"],
            # The attached file's own date: its content is what readers download.
            updated=self.updated(path, values["updated"]),
            source=Source(sidecar_rel, data.line_of("title")),
            attachment=Attachment(path.name, str(path.resolve()), size),
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


def read_knowledge_base(
    kb_dir: Path, project_root: Path, now: datetime, cache: ParseCache | None = None
) -> tuple[KnowledgeBase, list[Finding]]:
    """Read kb/ into an immutable model; every problem met is returned as a finding. ``now``
    resolves the relative dates of information posts (« J+2 08:00 »); ``cache`` keeps parsed
    files between the rebuilds of a preview."""
    reader = ReadContext(kb_dir, project_root, cache)
    sections, products = reader.read_catalogue()
    product_documents, lines = reader.read_documentation(products)
    articles = read_faq(reader, products)
    releases, unreleased = read_releases(reader, products)
    posts = read_informations(reader, products, now)
    synonyms = read_synonyms(reader)
    shallow = reader.git.shallow_finding(reader.rel(kb_dir)) if reader.git is not None else None
    if shallow is not None:
        reader.add(shallow)
    findings = reader.findings
    if not products:
        # The catalogue's own finding says it all: one « produit inconnu » per folder and per
        # front matter would bury it.
        findings = [f for f in findings if f.code != "unknown-product"]
    if cache is not None:
        # A preview: unchanged items are the very objects of the last rebuild.
        keep = cache.intern
        sections, products = tuple(map(keep, sections)), tuple(map(keep, products))
        product_documents = tuple(map(keep, product_documents))
        lines = tuple(keep(replace(line, documents=tuple(map(keep, line.documents)))) for line in lines)
        articles, releases, posts = (
            tuple(map(keep, articles)),
            tuple(map(keep, releases)),
            tuple(map(keep, posts)),
        )
    kb = KnowledgeBase(
        root=str(kb_dir),
        sections=sections,
        products=products,
        product_documents=product_documents,
        lines=lines,
        articles=articles,
        releases=releases,
        unreleased=unreleased,
        posts=posts,
        synonyms=synonyms,
    )
    return kb, findings
