"""The knowledge base as an immutable model. Every object knows the file and line it came from."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from .findings import Source
from .synonyms import Synonyms
from .versions import LineNumber, Version

PAGE_TYPES = {
    # What a searchable page is, as readers see it (filters, result labels): one source.
    "faq": "Article de FAQ",
    "release": "Note de version",
    "documentation": "Documentation",
    "information": "Information",
}


class DocumentKind(enum.Enum):
    """Kinds of documents, in the order pages list them. Value: the slug writers use."""

    USER_MANUAL = "manuel-utilisateur"
    ADMIN_MANUAL = "manuel-administrateur"
    INSTALLATION_MANUAL = "manuel-installation"
    UPDATE_MANUAL = "manuel-mise-a-jour"
    PREREQUISITES = "pre-requis"
    OPERATIONS_MANUAL = "manuel-exploitation"
    QUICK_SHEET = "fiche-reflexe"
    API_DOCUMENTATION = "documentation-api"
    OTHER = "autre"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self][0]

    @property
    def group_label(self) -> str:
        return _KIND_LABELS[self][1]

    @classmethod
    def slugs(cls) -> tuple[str, ...]:
        return tuple(kind.value for kind in cls)


_KIND_LABELS = {
    DocumentKind.USER_MANUAL: ("Manuel utilisateur", "Manuels utilisateur"),
    DocumentKind.ADMIN_MANUAL: ("Manuel administrateur", "Manuels administrateur"),
    DocumentKind.INSTALLATION_MANUAL: ("Manuel d'installation", "Manuels d'installation"),
    DocumentKind.UPDATE_MANUAL: ("Manuel de mise à jour", "Manuels de mise à jour"),
    DocumentKind.PREREQUISITES: ("Pré-requis", "Pré-requis"),
    DocumentKind.OPERATIONS_MANUAL: ("Manuel d'exploitation", "Manuels d'exploitation"),
    DocumentKind.QUICK_SHEET: ("Fiche réflexe", "Fiches réflexes"),
    DocumentKind.API_DOCUMENTATION: ("Documentation API", "Documentations API"),
    DocumentKind.OTHER: ("Document", "Autres documents"),
}


@dataclass(frozen=True)
class Section:
    """A top-level section of the documentation (01- LES LIBRICIELS, …)."""

    slug: str
    title: str
    description: str
    product_slugs: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class Product:
    """A product or service of the catalogue."""

    slug: str
    name: str  # display name, with its typography (S²LOW)
    code: str  # short code used in version labels (SL 4.3.10)
    aliases: tuple[str, ...]
    section: str
    description: str
    support_queue: str
    source: Source
    # Versions where the writer declared that the numbering started again lower (15.01 → 2.0.0),
    # and the line of that declaration in the catalogue.
    numbering_restarts: tuple[Version, ...] = ()
    numbering_restarts_source: Source | None = None


@dataclass(frozen=True)
class Attachment:
    """An attached file (PDF manual, spreadsheet…), copied as is into the site."""

    file_name: str
    abs_path: str
    size: int

    @property
    def extension(self) -> str:
        return self.file_name.rsplit(".", 1)[-1].lower() if "." in self.file_name else ""


@dataclass(frozen=True)
class Document:
    """A document of a product: a Markdown page (``body``) or an attached file (``attachment``)."""

    title: str
    kind: DocumentKind
    product: str
    line: LineNumber | None  # None for a product-wide document
    version: str | None  # X.Y.Z when the document sits in a version folder X.Y.Z
    slug: str
    description: str | None
    updated: date | None
    source: Source
    body: str | None = None
    body_line: int = 1
    attachment: Attachment | None = None

    @property
    def is_attachment(self) -> bool:
        return self.attachment is not None

    def __hash__(self) -> int:
        # Equal documents have the same source; hashing every field (the body) for each page
        # that lists a document would cost more than the page (a preview compares pages'
        # inputs by value, equality still compares every field).
        return hash(self.source)


@dataclass(frozen=True)
class VersionLine:
    """A version line X.Y of a product, with its documents; ``source`` is its folder."""

    product: str
    number: LineNumber
    documents: tuple[Document, ...]
    source: Source

    def __hash__(self) -> int:
        return hash((self.product, self.number))  # equal lines share these; see Document


class SectionKind(enum.Enum):
    """Normalized sections of a release note, in display order. Value: a stable key."""

    ADDED = "ajouts"
    CHANGED = "evolutions"
    FIXED = "corrections"
    SECURITY = "securite"
    REGULATORY = "reglementaire"
    DEPRECATED = "depreciations"
    REMOVED = "retraits"
    INCOMPATIBILITIES = "incompatibilites"
    KNOWN_LIMITATIONS = "limitations"
    PREREQUISITES = "prerequis"
    MIGRATION = "migration"
    OTHER = "autres"

    @property
    def label(self) -> str:
        return _SECTION_LABELS[self]


_SECTION_LABELS = {
    SectionKind.ADDED: "Ajouts",
    SectionKind.CHANGED: "Évolutions",
    SectionKind.FIXED: "Corrections",
    SectionKind.SECURITY: "Sécurité",
    SectionKind.REGULATORY: "Réglementaire",
    SectionKind.DEPRECATED: "Dépréciations",
    SectionKind.REMOVED: "Retraits",
    SectionKind.INCOMPATIBILITIES: "Incompatibilités",
    SectionKind.KNOWN_LIMITATIONS: "Limitations connues",
    SectionKind.PREREQUISITES: "Prérequis",
    SectionKind.MIGRATION: "Migration",
    SectionKind.OTHER: "Autres informations",
}


@dataclass(frozen=True)
class ReleaseSection:
    """One section of a release note; ``title`` is the heading as written (« Évolution »)."""

    kind: SectionKind
    title: str
    body: str  # Markdown, as written
    source: Source  # line of the heading
    body_line: int = 0  # line of the file where ``body`` starts (0: not known, built by hand)


@dataclass(frozen=True)
class Release:
    """A published or unpublished version of a product, from a per-version file or a changelog."""

    product: str
    version: Version
    date: date | None
    declared_kind: str | None  # "majeure" | "mineure" | "corrective" when the writer states it
    unpublished: bool
    intro: str  # Markdown between the version heading and its first section
    sections: tuple[ReleaseSection, ...]
    source: Source  # line of the version heading, or of `version:` in front matter
    intro_line: int = 0  # line of the file where ``intro`` starts (0: not known, built by hand)
    # The version as its heading writes it (« (Servlet)10.8.3 », « v1.15.3 », « 15.01 »), when a
    # changelog gives it; "" otherwise. Findings name it (their ``subject``), and it tells two
    # releases apart whose version is equal but not written alike (« 3.0.0-rc4 », « 3.0.0-rc.4 »).
    written_version: str = ""
    # « Mis à jour le » of a per-version file (`updated:`, else its last commit, else its
    # modification date); None for a changelog's release (the file's date is every release's).
    updated: date | None = None


@dataclass(frozen=True)
class UnreleasedNotes:
    """An « Unreleased » / « Non versionné » block of a changelog: read, never published."""

    product: str
    title: str
    sections: tuple[ReleaseSection, ...]
    source: Source


@dataclass(frozen=True)
class FaqArticle:
    """A FAQ article: filed under one product's folder, about one or more products."""

    title: str
    slug: str
    product: str  # the folder it is filed under; its URL lives there
    products: tuple[str, ...]  # every product it concerns, the folder's first
    versions: tuple[str, ...]  # version lines X.Y or versions X.Y.Z where it applies
    versions_source: Source  # the `versions:` line, for findings about them
    tags: tuple[str, ...]
    updated: date
    body: str
    body_line: int
    source: Source


class InformationKind(enum.Enum):
    INTERVENTION = "intervention"
    INCIDENT = "incident"
    INFORMATION = "information"


@dataclass(frozen=True)
class InformationUpdate:
    """A dated line appended to a post (« 16h10 : fin de l'intervention »)."""

    at: datetime
    text: str  # Markdown
    source: Source


@dataclass(frozen=True)
class InformationPost:
    """A live information post: an intervention, an incident or another information."""

    title: str
    slug: str
    kind: InformationKind
    published: datetime  # aware, Europe/Paris
    products: tuple[str, ...]
    pinned: bool
    label: str | None  # the writer's own label (« Information COVID-19 »)
    start: datetime | None  # intervention: planned start
    end: datetime | None  # intervention: planned end
    actual_end: datetime | None  # intervention: actual end, once known
    resolved: datetime | None  # incident: resolution, once known
    expires: datetime | None  # information: end of display in the live part
    body: str
    body_line: int
    updates: tuple[InformationUpdate, ...]
    source: Source
    # « Mis à jour le », shown only when later than ``published``: `updated:` (a day), else the
    # last update line (a moment), else the file's last commit or modification date (a day).
    updated: date | None = None


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything read from kb/. Built once by the reader; never modified."""

    root: str
    sections: tuple[Section, ...]
    products: tuple[Product, ...]
    product_documents: tuple[Document, ...]  # product-wide documents
    lines: tuple[VersionLine, ...]
    articles: tuple[FaqArticle, ...] = ()
    releases: tuple[Release, ...] = ()
    unreleased: tuple[UnreleasedNotes, ...] = ()
    posts: tuple[InformationPost, ...] = ()
    synonyms: Synonyms = Synonyms()  # kb/synonymes.yml (none when the file is absent)

    @cached_property
    def _products_by_slug(self) -> dict[str, Product]:
        return {product.slug: product for product in self.products}

    def product(self, slug: str) -> Product:
        return self._products_by_slug[slug]

    def products_of(self, section: Section) -> tuple[Product, ...]:
        return tuple(self.product(slug) for slug in section.product_slugs)

    def documents_of(self, product: Product) -> tuple[Document, ...]:
        """Product-wide documents of a product, by kind then title."""
        return sort_documents(d for d in self.product_documents if d.product == product.slug)

    def lines_of(self, product: Product) -> tuple[VersionLine, ...]:
        """Version lines of a product, newest first."""
        return tuple(
            sorted(
                (line for line in self.lines if line.product == product.slug),
                key=lambda line: line.number,
                reverse=True,
            )
        )

    def newest_line(self, product: Product) -> VersionLine | None:
        lines = self.lines_of(product)
        return lines[0] if lines else None

    def releases_of(self, product: Product) -> tuple[Release, ...]:
        """Published releases of a product, newest first (version order, not file order)."""
        return tuple(
            sorted(
                (r for r in self.releases if r.product == product.slug and not r.unpublished),
                key=lambda r: r.version,
                reverse=True,
            )
        )

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.product_documents + tuple(d for line in self.lines for d in line.documents)


def sort_documents(documents: Iterable[Document]) -> tuple[Document, ...]:
    """Documents in display order: by kind (enum order), then title, then version."""
    kinds = list(DocumentKind)
    return tuple(
        sorted(
            documents,
            key=lambda d: (kinds.index(d.kind), d.title.casefold(), d.version or ""),
        )
    )


def guess_product(name: str, products: Iterable[Product]) -> str | None:
    """The product a writer probably meant: by alias (« s2low »), else the closest slug."""
    products = tuple(products)
    for product in products:
        if name.casefold() in (alias.casefold() for alias in product.aliases):
            return product.slug
    close = difflib.get_close_matches(name.casefold(), [p.slug for p in products], n=1)
    return close[0] if close else None
