"""``kb/documentation/<product>/<X.Y>/``: Markdown documents (front matter) and attachments
(with their sidecar ``.yml``), version folders checked and suggested, into ``Document`` and
``VersionLine``."""

from __future__ import annotations

from pathlib import Path

from ..model.findings import Source, error
from ..model.kb import (
    Attachment,
    Document,
    DocumentKind,
    Product,
    VersionLine,
    sort_documents,
)
from ..model.urls import slugify
from ..model.versions import (
    LineNumber,
    parse_version_folder,
    suggest_version_folder,
)
from .context import _UNREADABLE, DOCUMENTATION_DIR, SIDECAR_SUFFIXES, ReadContext
from .schema import Field, Schema
from .yamlfile import LineDict

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


def read_documentation(
    context: ReadContext, products: tuple[Product, ...]
) -> tuple[tuple[Document, ...], tuple[VersionLine, ...]]:
    root = context.kb_dir / DOCUMENTATION_DIR
    if not context.inside_kb(root) or not root.is_dir():
        return (), ()
    product_documents: list[Document] = []
    lines: list[VersionLine] = []
    for entry, product in context.product_folders(root, products):
        product_documents.extend(_read_folder(context, entry, product, None, None))
        lines.extend(_read_version_folders(context, entry, product))
    return tuple(product_documents), tuple(lines)


def _read_version_folders(context: ReadContext, product_dir: Path, product: Product) -> list[VersionLine]:
    documents_by_line: dict[LineNumber, list[Document]] = {}
    line_sources: dict[LineNumber, Source] = {}
    for entry in context.listdir(product_dir):
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
            context.add(
                error(
                    context.folder_source(entry),
                    "version-folder-name",
                    f"dossier « {entry.name} » : un dossier de version se nomme X.Y ou X.Y.Z "
                    f"(nombres sans zéro initial) ; {context.unpublished(entry)}",
                    fix,
                )
            )
            continue
        documents = _read_folder(context, entry, product, parsed.line, parsed.version)
        for sub in context.listdir(entry):
            if sub.is_dir():
                context.add(
                    error(
                        context.folder_source(sub),
                        "nested-folder",
                        f"sous-dossier « {sub.name} » dans un dossier de version : "
                        f"{context.unpublished(sub)}",
                        "Placez ses documents directement dans le dossier de version.",
                    )
                )
        documents_by_line.setdefault(parsed.line, []).extend(documents)
        # A line's own folder (X.Y) names it; else its first X.Y.Z folder does.
        if parsed.version is None or parsed.line not in line_sources:
            line_sources[parsed.line] = Source(context.rel(entry), 1)
    return [
        VersionLine(product.slug, number, sort_documents(documents), line_sources[number])
        for number, documents in documents_by_line.items()
    ]


def _read_folder(
    context: ReadContext, folder: Path, product: Product, line: LineNumber | None, version: str | None
) -> list[Document]:
    files = [entry for entry in context.listdir(folder) if entry.is_file()]
    names = {entry.name for entry in files}
    documents: list[Document] = []
    for path in files:
        if path.suffix.lower() == ".md":
            document = _read_markdown(context, path, product, line, version)
        elif path.suffix.lower() in SIDECAR_SUFFIXES:
            if path.stem not in names:
                context.add(
                    error(
                        Source(context.rel(path), 1),
                        "orphan-sidecar",
                        f"fiche « {path.name} » sans fichier joint « {path.stem} » à côté",
                        f"Ajoutez le fichier « {path.stem} », ou renommez la fiche "
                        "« <nom du fichier>.yml » d'après le fichier qu'elle décrit.",
                    )
                )
            continue
        else:
            document = _read_attachment(context, path, names, product, line, version)
        if document is not None:
            documents.append(document)
    return documents


def _read_markdown(
    context: ReadContext, path: Path, product: Product, line: LineNumber | None, version: str | None
) -> Document | None:
    read = context.read_markdown_file(path, DOCUMENT_SCHEMA)
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
        updated=context.updated(path, values["updated"]),
        source=Source(rel, front.data.line_of("title")),
        body=front.body,
        body_line=front.body_line,
    )


def _read_attachment(
    context: ReadContext,
    path: Path,
    names: set[str],
    product: Product,
    line: LineNumber | None,
    version: str | None,
) -> Document | None:
    rel = context.rel(path)
    sidecar = next((path.name + s for s in SIDECAR_SUFFIXES if path.name + s in names), None)
    if sidecar is None:
        context.add(
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
    data = context.load_yaml_file(sidecar_path)
    if data is _UNREADABLE:
        return None
    sidecar_rel = context.rel(sidecar_path)
    if data is None:
        context.add(
            error(
                Source(sidecar_rel, 1),
                "empty-sidecar",
                f"la fiche « {sidecar} » est vide : le fichier joint « {path.name} » n'est pas publié",
                "Écrivez au moins `title: …` et `kind: …` dans la fiche, une clé par ligne.",
            )
        )
        return None
    if not isinstance(data, LineDict):
        context.add(
            error(
                Source(sidecar_rel, 1),
                "sidecar-structure",
                "la fiche d'un fichier joint doit être une liste de clés « clé: valeur »",
                "Écrivez au moins `title: …` et `kind: …`, une clé par ligne.",
            )
        )
        return None
    values, findings = SIDECAR_SCHEMA.validate(data, sidecar_rel)
    context.findings.extend(findings)
    if values["title"] is None:
        return None
    size = context.readable_size(path)
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
        updated=context.updated(path, values["updated"]),
        source=Source(sidecar_rel, data.line_of("title")),
        attachment=Attachment(path.name, str(path.resolve()), size),
    )
