"""``kb/catalogue.yml``: the sections and the products (slug, name, code, aliases, support
queue, declared numbering restarts), each checked against its schema, one finding per problem."""

from __future__ import annotations

from typing import Any

from ..model.findings import Source, error
from ..model.kb import (
    Product,
    Section,
)
from ..model.versions import (
    Version,
    VersionError,
    parse_version,
)
from .context import _UNREADABLE, CATALOGUE_FILE, ReadContext, _without
from .schema import Field, Schema
from .yamlfile import LineDict

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


def read_catalogue(context: ReadContext) -> tuple[tuple[Section, ...], tuple[Product, ...]]:
    path = context.kb_dir / CATALOGUE_FILE
    rel = context.rel(path)
    if not context.inside_kb(path):
        return (), ()
    if not path.is_file():
        context.add(
            error(
                Source(rel, 1),
                "missing-catalogue",
                "le catalogue des produits est introuvable",
                f"Créez {rel} (voir kb/README.md, « Le catalogue »).",
            )
        )
        return (), ()
    data = context.load_yaml_file(path)
    if data is _UNREADABLE:
        return (), ()
    if data is None:
        context.add(
            error(
                Source(rel, 1),
                "empty-catalogue",
                "le catalogue est vide : aucun produit n'est connu, rien n'est publié",
                "Écrivez la liste `sections:` du catalogue (voir kb/README.md, « Le catalogue »).",
            )
        )
        return (), ()
    if not isinstance(data, LineDict) or not isinstance(data.get("sections"), list):
        context.add(
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
        context.add(
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
        section = _read_section(context, entry, rel, data.line_of("sections"), products)
        if section is not None:
            sections.append(section)
    if not data["sections"]:
        context.add(
            error(
                Source(rel, data.line_of("sections")),
                "empty-catalogue",
                "la liste « sections: » du catalogue est vide : aucun produit n'est connu",
                "Ajoutez les rubriques (01- LES LIBRICIELS, 02- LES SERVICES, 03- AUTRES) "
                "et leurs produits sous `sections:`.",
            )
        )
    return tuple(sections), tuple(products)


def _read_section(context: ReadContext, entry: Any, rel: str, parent_line: int, products: list[Product]) -> Section | None:
    if not isinstance(entry, LineDict):
        context.add(
            error(
                Source(rel, parent_line),
                "catalogue-structure",
                "chaque rubrique doit être une liste de clés (slug, title, products…)",
                "Écrivez chaque rubrique sous la forme `- slug: …` suivie de ses clés.",
            )
        )
        return None
    values, findings = SECTION_SCHEMA.validate(_without(entry, "products"), rel)
    context.findings.extend(findings)
    raw_products = entry.get("products")
    if not isinstance(raw_products, list):
        context.add(
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
        product = _read_product(context, raw, rel, entry.line_of("products"), values["slug"])
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


def _read_product(context: ReadContext, raw: Any, rel: str, parent_line: int, section: str) -> Product | None:
    if not isinstance(raw, LineDict):
        context.add(
            error(
                Source(rel, parent_line),
                "catalogue-structure",
                "chaque produit doit être une liste de clés (slug, name, code…)",
                "Écrivez chaque produit sous la forme `- slug: …` suivie de ses clés.",
            )
        )
        return None
    values, findings = PRODUCT_SCHEMA.validate(raw, rel)
    context.findings.extend(findings)
    if any(values[name] is None for name in ("slug", "name", "code")):
        return None
    restarts_source = (
        Source(rel, raw.line_of("numbering_restarts")) if "numbering_restarts" in raw else None
    )
    restarts = _numbering_restarts(context, values["numbering_restarts"], restarts_source)
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


def _numbering_restarts(context: ReadContext, raw: Any, source: Source | None) -> tuple[Version, ...]:
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
            context.add(
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
