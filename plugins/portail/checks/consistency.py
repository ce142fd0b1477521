"""Checks across the model: rules no single file can break alone (unique slugs and URLs,
heading order in Markdown documents)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ..model.clock import in_paris
from ..model.findings import Finding, Source, error, warning
from ..model.kb import KnowledgeBase
from ..model.urls import (
    article_url,
    document_url,
    documentation_index,
    line_url,
    post_url,
    product_url,
    section_url,
)
from .markdown_links import heading_lines
from .nomenclature import check_releases
from .version_references import check_references


def check_knowledge_base(kb: KnowledgeBase, now: datetime | None = None) -> list[Finding]:
    """Every cross-object finding of the knowledge base; ``now``, the build's clock, finds
    what is dated in the future."""
    return [
        *check_catalogue(kb),
        *check_urls(kb),
        *check_headings(kb),
        *check_releases(kb.releases, kb.products, in_paris(now).date() if now is not None else None),
        *check_references(kb),
    ]


def check_catalogue(kb: KnowledgeBase) -> Iterator[Finding]:
    seen: dict[str, Source] = {}
    for section in kb.sections:
        if section.slug in seen:
            yield _duplicate_slug("rubrique", section.slug, section.source, seen[section.slug])
        seen[section.slug] = section.source
    products: dict[str, Source] = {}
    for product in kb.products:
        if product.slug in products:
            yield _duplicate_slug("produit", product.slug, product.source, products[product.slug])
        products[product.slug] = product.source
    names: dict[str, str] = {}
    for product in kb.products:
        for name in (product.slug, *product.aliases):
            key = name.casefold()
            owner = names.get(key)
            if owner is not None and owner != product.slug:
                yield error(
                    product.source,
                    "ambiguous-alias",
                    f"« {name} » désigne à la fois le produit « {owner} » et le produit « {product.slug} »",
                    "Retirez cet alias de l'un des deux produits.",
                )
            names.setdefault(key, product.slug)


def _duplicate_slug(what: str, slug: str, source: Source, first: Source) -> Finding:
    return error(
        source,
        "duplicate-slug",
        f"identifiant de {what} « {slug} » déjà utilisé ({first})",
        "Donnez un identifiant (slug) unique à chaque rubrique et à chaque produit.",
    )


def check_urls(kb: KnowledgeBase) -> Iterator[Finding]:
    """Two things published at one address: the second would silently replace the first."""
    owners: dict[str, tuple[Source, str]] = {documentation_index(): (Source(kb.root, 1), "l'index")}
    planned: list[tuple[str, Source, str]] = []
    for section in kb.sections:
        planned.append((section_url(section), section.source, f"la rubrique « {section.title} »"))
    for product in kb.products:
        planned.append((product_url(product), product.source, f"la page du produit « {product.name} »"))
    for line in kb.lines:
        planned.append((line_url(line), line.source, f"la page de la version {line.number}"))
    for document in kb.documents:
        planned.append((document_url(document), document.source, f"le document « {document.title} »"))
    for article in kb.articles:
        planned.append((article_url(article), article.source, f"l'article « {article.title} »"))
    for post in kb.posts:
        planned.append((post_url(post), post.source, f"l'information « {post.title} »"))
    for url, source, what in planned:
        if url in owners:
            first_source, first_what = owners[url]
            yield error(
                source,
                "duplicate-url",
                f"{what} serait publié(e) à l'adresse /{url}, déjà prise par {first_what} ({first_source})",
                "Renommez l'un des deux fichiers ou dossiers : deux contenus ne peuvent pas "
                "partager une adresse (les adresses ignorent majuscules, accents et espaces).",
            )
        else:
            owners[url] = (source, what)


def check_headings(kb: KnowledgeBase) -> Iterator[Finding]:
    """Headings in order (RGAA): the page title is the only H1, levels never skip. Headings are
    those the Markdown parser reads (``heading_lines``): never a line of code, whichever fence
    (```` ``` ```` or ``~~~``) holds it."""
    bodies = [(d.source.path, d.body, d.body_line) for d in kb.documents if d.body is not None]
    bodies += [(a.source.path, a.body, a.body_line) for a in kb.articles]
    bodies += [(p.source.path, p.body, p.body_line) for p in kb.posts]
    for path, body, body_line in bodies:
        level = 1
        for offset, new_level in heading_lines(body):
            source = Source(path, body_line + offset)
            if new_level == 1:
                yield warning(
                    source,
                    "heading-h1",
                    "titre de niveau 1 dans le corps du document : le titre de la page vient déjà de l'en-tête",
                    "Remplacez « # » par « ## » (et décalez les sous-titres d'un niveau).",
                )
            elif new_level > level + 1:
                yield warning(
                    source,
                    "heading-order",
                    f"titre de niveau {new_level} après un titre de niveau {level} : un niveau est sauté",
                    f"Utilisez « {'#' * (level + 1)} » ici, pour que les titres se suivent.",
                )
            level = new_level
