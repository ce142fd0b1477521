"""The writers' guide (« Guide de rédaction »): the tasks step by step, the address of each
kind of page with a real example from the knowledge base, and every finding code (``codes``).

It is for writers, not readers: the preview (``mkdocs serve``) shows it, a build only when
asked (the ``writers_guide`` option of the plugin); in both cases outside the navigation,
without search metadata (Pagefind indexes only pages marked ``data-pagefind-body``) and
marked ``noindex`` for search engines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..checks.codes import CODES, by_file_kind
from ..checks.kb_links import KbLinks
from ..model import urls
from ..model.kb import KnowledgeBase
from .calendars import schedulable
from .feeds import site_feeds
from .generate import PRODUCT_LINES, SEARCH_URL
from .render import GeneratedPage, Renderer

GUIDE_URL = "guide-redaction/"
GUIDE_TITLE = "Guide de rédaction"


@dataclass(frozen=True)
class AddressKind:
    """A kind of page: what it is, its address pattern, where it comes from in kb/, and one
    real page of the knowledge base (none when the base has no such page)."""

    label: str
    pattern: str
    source: str
    example: str | None = None  # site URL
    example_source: str | None = None  # the kb/ file it comes from


def address_kinds(kb: KnowledgeBase) -> list[AddressKind]:
    """Every kind of page of the site, each with the first real example the base offers."""

    def first(items: Any, to_url: Callable[[Any], str]) -> tuple[str | None, str | None]:
        item = next(iter(items), None)
        if item is None:
            return None, None
        source = getattr(item, "source", None)
        return to_url(item), (source.path if source is not None else None)

    in_lines_first = sorted(kb.documents, key=lambda d: d.line is None)  # the common case first
    pages = [d for d in in_lines_first if not d.is_attachment]
    attachments = [d for d in in_lines_first if d.is_attachment]
    lines = [line for line in kb.lines]
    published = [r for r in kb.releases if not r.unpublished]
    many_lines = [p for p in kb.products if len(kb.lines_of(p)) > PRODUCT_LINES]
    documented = [p for p in kb.products if kb.documents_of(p) or kb.lines_of(p)]
    faq_products = sorted({a.product for a in kb.articles})
    release_products = sorted({r.product for r in published})
    post_products = sorted({slug for post in kb.posts for slug in post.products})
    interventions = [p for p in kb.posts if schedulable(p)]
    return [
        AddressKind("Page d'accueil", "/", "docs/index.md et kb/", ""),
        AddressKind(
            "Ressources documentaires", "/documentation/", "kb/catalogue.yml", urls.documentation_index()
        ),
        AddressKind(
            "Rubrique de la documentation",
            "/documentation/<rubrique>/",
            "slug d'une rubrique de kb/catalogue.yml",
            *first(kb.sections, urls.section_url)[:1],
        ),
        AddressKind(
            "Produit",
            "/documentation/<produit>/",
            "slug d'un produit de kb/catalogue.yml",
            *first(documented, urls.product_url)[:1],
        ),
        AddressKind(
            "Toutes les versions d'un produit (plus de 10 lignes de version)",
            "/documentation/<produit>/versions/",
            "dossiers X.Y de kb/documentation/<produit>/",
            *first(many_lines, urls.versions_url)[:1],
        ),
        AddressKind(
            "Ligne de version",
            "/documentation/<produit>/<X.Y>/",
            "kb/documentation/<produit>/<X.Y>/ (et ses dossiers X.Y.Z)",
            *first(lines, urls.line_url),
        ),
        AddressKind(
            "Document",
            "/documentation/<produit>/<X.Y>/<fichier>/ ou /documentation/<produit>/<fichier>/",
            "kb/documentation/<produit>/<X.Y>/<fichier>.md",
            *first(pages, urls.document_url),
        ),
        AddressKind(
            "Fichier joint",
            "/documentation/<produit>/<X.Y>/<fichier>.<extension>",
            "kb/documentation/<produit>/<X.Y>/<fichier>.<extension> et sa fiche .yml",
            *first(attachments, urls.document_url),
        ),
        AddressKind("Foire aux questions", "/faq/", "kb/faq/ et kb/releases/", urls.faq_index()),
        AddressKind(
            "FAQ d'un produit",
            "/faq/<produit>/",
            "kb/faq/<produit>/",
            *first(faq_products, urls.faq_product_url)[:1],
        ),
        AddressKind(
            "Article de FAQ",
            "/faq/<produit>/<fichier>/",
            "kb/faq/<produit>/<fichier>.md",
            *first(kb.articles, urls.article_url),
        ),
        AddressKind("Notes de version", "/release-notes/", "kb/releases/", urls.release_notes_index()),
        AddressKind(
            "Notes de version d'un produit",
            "/release-notes/<produit>/",
            "kb/releases/<produit>/",
            *first(release_products, urls.release_notes_product_url)[:1],
        ),
        AddressKind(
            "Note de version",
            "/release-notes/<produit>/<X.Y.Z>/",
            "kb/releases/<produit>/<X.Y.Z>.md ou un titre de kb/releases/<produit>/CHANGELOG.md",
            *first(published, urls.release_url),
        ),
        AddressKind(
            "Nomenclature des versions",
            "/nomenclature-des-versions/",
            "le contrat (généré)",
            urls.nomenclature_url(),
        ),
        AddressKind("Fil d'information", "/informations/", "kb/informations/", urls.informations_index()),
        AddressKind(
            "Informations d'un produit",
            "/informations/<produit>/",
            "products: des informations",
            *first(post_products, urls.informations_product_url)[:1],
        ),
        AddressKind(
            "Information",
            "/informations/<date de publication>-<fichier>/",
            "kb/informations/<fichier>.md",
            *first(kb.posts, urls.post_url),
        ),
        AddressKind(
            "Calendrier d'une intervention",
            "/informations/<date de publication>-<fichier>/intervention.ics",
            "kb/informations/<fichier>.md (kind: intervention)",
            *first(interventions, urls.post_calendar_url),
        ),
        AddressKind(
            "Calendrier des interventions à venir",
            "/informations/interventions.ics",
            "kb/informations/",
            urls.interventions_calendar_url(),
        ),
        *(
            AddressKind(f"Flux {feed['title']}", f"/{feed['url']}", "généré", feed["url"])
            for feed in site_feeds()
        ),
        AddressKind(
            "Page suivante d'une liste (50 entrées par page)",
            "<adresse de la liste>page/<n>/",
            "généré",
        ),
        AddressKind("Recherche", "/recherche/", "généré", SEARCH_URL),
    ]


def writers_guide(kb: KnowledgeBase, links: KbLinks | None = None) -> GeneratedPage:
    """The guide's page, rendered like every generated page (values escaped by the renderer)."""
    renderer = Renderer(kb, links=links)
    return renderer.page(
        "writers_guide.md.j2",
        GUIDE_URL,
        GUIDE_TITLE,
        [],
        addresses=address_kinds(kb),
        code_groups=by_file_kind(),
        code_count=len(CODES),
        # The commands' examples name a real product (a slug: nothing to escape in code).
        product=next(
            (r.product for r in kb.releases if not r.unpublished),
            kb.products[0].slug if kb.products else "produit",
        ),
    )
