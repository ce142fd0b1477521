"""Read FAQ articles: ``kb/faq/<product>/<slug>.md``, Markdown with front matter."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..model.findings import Source, error, warning
from ..model.kb import FaqArticle, Product, guess_product
from ..model.urls import slugify
from ..model.versions import VersionError, parse_version
from .schema import Field, Schema

if TYPE_CHECKING:
    from .context import ReadContext


FAQ_DIR = "faq"

FAQ_SCHEMA = Schema(
    "l'en-tête de l'article",
    (
        Field(
            "title",
            "text",
            "titre de l'article, souvent une question",
            True,
            example="Le certificat a expiré, que faire ?",
        ),
        Field(
            "products", "list", "produits concernés (identifiants du catalogue)", example="[s2low, pastell]"
        ),
        Field(
            "versions",
            "list",
            "lignes X.Y ou versions X.Y.Z où la réponse s'applique",
            example='["4.2", "4.3"]',
        ),
        Field("tags", "list", "mots-clés", example="[certificat, télétransmission]"),
        Field(
            "updated",
            "date",
            "date de dernière mise à jour, AAAA-MM-JJ (défaut : dernier commit)",
            example="2026-03-12",
        ),
    ),
)


def read_faq(context: ReadContext, products: tuple[Product, ...]) -> tuple[FaqArticle, ...]:
    """Every readable article of kb/faq/; a finding for everything else."""
    root = context.kb_dir / FAQ_DIR
    if not context.inside_kb(root) or not root.is_dir():
        return ()
    known = {product.slug: product for product in products}
    articles: list[FaqArticle] = []
    for folder, _ in context.product_folders(root, products):
        for path in context.listdir(folder):
            if path.is_dir():
                context.add(
                    error(
                        context.folder_source(path),
                        "nested-folder",
                        f"sous-dossier « {path.name} » dans la FAQ d'un produit : {context.unpublished(path)}",
                        "Placez les articles directement dans le dossier du produit.",
                    )
                )
                continue
            if path.suffix.lower() != ".md":
                context.add(
                    error(
                        Source(context.rel(path), 1),
                        "faq-not-markdown",
                        f"« {path.name} » n'est pas un article Markdown (.md) : il n'est pas publié",
                        "Un article de FAQ est un fichier .md ; placez les fichiers joints dans "
                        "kb/documentation/ et faites-y un lien.",
                    )
                )
                continue
            article = _read_article(context, path, folder.name, known)
            if article is not None:
                articles.append(article)
    return tuple(articles)


def _read_article(
    context: ReadContext,
    path: Path,
    folder_product: str,
    known: dict[str, Product],
) -> FaqArticle | None:
    read = context.read_markdown_file(path, FAQ_SCHEMA)
    if read is None:
        return None
    rel, front, values = read
    products = [folder_product]
    for name in values["products"] or ():
        if name in known:
            if name not in products:
                products.append(name)
            continue
        guess = guess_product(name, list(known.values()))
        context.add(
            error(
                Source(rel, front.data.line_of("products")),
                "unknown-product",
                f"produit inconnu « {name} » (produits connus : {', '.join(known)})",
                f"Écrivez « {guess} »."
                if guess
                else "Utilisez l'identifiant (slug) d'un produit de kb/catalogue.yml.",
            )
        )
    versions = []
    for raw in values["versions"] or ():
        try:
            parse_version(raw, allow_short=True)
        except VersionError as exc:
            context.add(
                error(
                    Source(rel, front.data.line_of("versions")),
                    "invalid-version",
                    f"version « {raw} » illisible : {exc.reason}",
                    'Écrivez une ligne X.Y ou une version X.Y.Z entre guillemets, par exemple ["4.7", "4.7.11"].',
                )
            )
            continue
        versions.append(raw)
    tags = _tags(context, Source(rel, front.data.line_of("tags")), front.data.get("tags"), values["tags"])
    if values["title"] is None:
        return None
    updated = context.updated(path, values["updated"])  # front matter, else git (shared), else mtime
    return FaqArticle(
        title=values["title"],
        slug=slugify(path.stem),
        product=folder_product,
        products=tuple(products),
        versions=tuple(versions),
        versions_source=Source(rel, front.data.line_of("versions")),
        tags=tags,
        updated=updated,
        body=front.body,
        body_line=front.body_line,
        source=Source(rel, front.data.line_of("title")),
    )


def _tags(context: ReadContext, source: Source, raw: object, tags: tuple[str, ...] | None) -> tuple[str, ...]:
    """The article's keywords. ``tags: rôles, droits`` is one YAML text, which would make one
    keyword « rôles, droits »: a warning, and the text is split at its commas meanwhile, so
    that no keyword is lost."""
    if not isinstance(raw, str) or "," not in raw:
        return tags or ()
    words = tuple(word for word in (" ".join(part.split()) for part in raw.split(",")) if word)
    context.add(
        warning(
            source,
            "tags-not-a-list",
            f"`tags: {raw.strip()}` est un seul texte, qui ferait un seul mot-clé « {raw.strip()} » : "
            f"lu comme {len(words)} mots-clés séparés par les virgules",
            f"Écrivez une liste : [{', '.join(words)}].",
            subject=raw.strip(),
        )
    )
    return words
