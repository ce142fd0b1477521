"""The version nomenclature of the contract, as small composable rules over releases.

Each rule is a function from releases (and, for cross-references, the knowledge base) to
findings, with its own stable code. Rules rely on explicit structure (section headings, front
matter), never on guessing from prose.

What each kind of version may contain (the contract, section 4):

- X, major: a large rework, data not upward compatible, or a change of reference operating
  system or of prerequisites;
- Y, minor: new features; may also hold technical, regulatory changes and fixes;
- Z, patch: bug fixes; features modified or added when not impacting; regulatory changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .contract import ReleaseKind, kinds_by_version
from .findings import Finding, Source, error, warning
from .model import KnowledgeBase, Release, SectionKind
from .versions import LineNumber, Precision, Version, VersionError, VersionReference, parse_reference

_RANK = {ReleaseKind.PATCH: 0, ReleaseKind.MINOR: 1, ReleaseKind.MAJOR: 2}
_DECLARED = {kind.value: kind for kind in ReleaseKind}


@dataclass(frozen=True)
class SectionRule:
    """A section that only a version of at least ``minimum`` kind may declare, and why."""

    section: SectionKind
    minimum: ReleaseKind
    reason: str


SECTION_RULES: tuple[SectionRule, ...] = (
    SectionRule(
        SectionKind.INCOMPATIBILITIES,
        ReleaseKind.MAJOR,
        "une incompatibilité (données ou usages non compatibles avec la version précédente) "
        "fait changer le numéro majeur",
    ),
    SectionRule(
        SectionKind.PREREQUISITES,
        ReleaseKind.MAJOR,
        "un changement de pré-requis ou de système d'exploitation de référence fait changer le numéro majeur",
    ),
    SectionRule(
        SectionKind.REMOVED,
        ReleaseKind.MINOR,
        "retirer une fonctionnalité a un impact pour les utilisateurs : une version corrective ne "
        "peut modifier ou ajouter une fonctionnalité que sans impact",
    ),
)
ALLOWED_EVERYWHERE = (
    SectionKind.ADDED,
    SectionKind.CHANGED,
    SectionKind.FIXED,
    SectionKind.SECURITY,
    SectionKind.REGULATORY,
    SectionKind.DEPRECATED,
    SectionKind.KNOWN_LIMITATIONS,
    SectionKind.MIGRATION,
    SectionKind.OTHER,
)
MAJOR_EXPECTS = (SectionKind.MIGRATION, SectionKind.PREREQUISITES)


def _next_number(version: Version, kind: ReleaseKind) -> str:
    if kind is ReleaseKind.MAJOR:
        return f"{version.major + 1}.0.0"
    return f"{version.major}.{version.minor + 1}.0"


def _by_product(releases: Iterable[Release]) -> dict[str, list[Release]]:
    products: dict[str, list[Release]] = {}
    for release in releases:
        products.setdefault(release.product, []).append(release)
    return products


# -- rules on one release ----------------------------------------------------------------------


def check_sections(release: Release, kind: ReleaseKind) -> Iterator[Finding]:
    """A section the contract reserves to a bigger kind of version (table SECTION_RULES)."""
    for section in release.sections:
        for rule in SECTION_RULES:
            if section.kind is rule.section and _RANK[kind] < _RANK[rule.minimum]:
                yield error(
                    section.source,
                    "release-kind-too-small",
                    f"la version {release.version} est une {kind.label} mais déclare « {section.title} » : "
                    f"elle doit être une {rule.minimum.label} ({rule.reason})",
                    f"Numérotez-la {_next_number(release.version, rule.minimum)}, ou retirez cette "
                    "section si elle ne décrit pas un tel changement.",
                )


def check_declared_kind(release: Release, kind: ReleaseKind) -> Iterator[Finding]:
    """A kind stated in front matter that the number contradicts."""
    declared = _DECLARED.get(release.declared_kind or "")
    if declared is not None and declared is not kind:
        yield error(
            release.source,
            "declared-kind-mismatch",
            f"la version {release.version} est déclarée {declared.label} mais son numéro en fait une "
            f"{kind.label} (comparé à la version précédente du produit)",
            f"Corrigez `kind: {kind.value}`, ou renumérotez la version.",
        )


def check_major_notes(release: Release, kind: ReleaseKind) -> Iterator[Finding]:
    """A major version whose notes give no migration path or prerequisites."""
    if kind is not ReleaseKind.MAJOR:
        return
    present = {section.kind for section in release.sections}
    missing = [s.label for s in MAJOR_EXPECTS if s not in present]
    if missing:
        yield warning(
            release.source,
            "major-without-migration",
            f"la version majeure {release.version} n'a pas de section {' ni '.join(missing)}",
            "Une fiche de version majeure indique le chemin de migration et les pré-requis : ajoutez "
            f"{' et '.join(f'« ## {m} »' for m in missing)}.",
        )


# -- rules on a product's sequence -----------------------------------------------------------


def check_duplicates(releases: list[Release]) -> Iterator[Finding]:
    seen: dict[Version, Source] = {}
    for release in releases:
        if release.version in seen:
            yield error(
                release.source,
                "duplicate-version",
                f"la version {release.version} de « {release.product} » est déjà décrite ({seen[release.version]})",
                "Gardez une seule description par version : fusionnez les deux textes, ou corrigez le numéro.",
            )
        else:
            seen[release.version] = release.source


def check_dates(releases: list[Release]) -> Iterator[Finding]:
    for release in releases:
        if release.date is None and not release.unpublished:
            yield error(
                release.source,
                "release-undated",
                f"la version publiée {release.version} n'a pas de date",
                "Ajoutez la date de mise à disposition (`date: AAAA-MM-JJ`, ou « - 2026-10-06 » après "
                "le titre dans un CHANGELOG.md), ou marquez-la non publiée.",
            )


def _lines(releases: list[Release]) -> dict[tuple[int, int], list[Release]]:
    """Final releases of each line X.Y, in version order (never file order)."""
    lines: dict[tuple[int, int], list[Release]] = {}
    for release in sorted(releases, key=lambda r: r.version):
        if not release.version.is_prerelease:
            lines.setdefault((release.version.major, release.version.minor), []).append(release)
    return lines


def check_line_order(releases: list[Release]) -> Iterator[Finding]:
    """Within a line, a higher version dated before a lower one (a lower version released later)."""
    for line in _lines(releases).values():
        dated = [r for r in line if r.date is not None]
        for lower, higher in zip(dated, dated[1:], strict=False):
            if higher.date < lower.date:  # type: ignore[operator]
                yield warning(
                    higher.source,
                    "line-date-order",
                    f"la version {higher.version} est datée du {higher.date}, avant la version "
                    f"inférieure {lower.version} ({lower.date})",
                    "Vérifiez les deux dates : dans une ligne de version, les numéros croissent avec le temps.",
                )


def check_line_gaps(releases: list[Release]) -> Iterator[Finding]:
    """A patch number skipped within a line (4.7.9 then 4.7.11)."""
    for line in _lines(releases).values():
        for lower, higher in zip(line, line[1:], strict=False):
            if higher.version.patch > lower.version.patch + 1:
                missing = ", ".join(
                    f"{lower.version.major}.{lower.version.minor}.{p}"
                    for p in range(lower.version.patch + 1, higher.version.patch)
                )
                yield warning(
                    higher.source,
                    "line-gap",
                    f"version(s) {missing} absente(s) entre {lower.version} et {higher.version}",
                    "Ajoutez la note de version manquante, ou corrigez le numéro.",
                )


def check_releases(releases: Iterable[Release]) -> list[Finding]:
    """Every nomenclature rule over releases (of one or several products)."""
    findings: list[Finding] = []
    for product_releases in _by_product(releases).values():
        kinds = kinds_by_version(
            (r.version for r in product_releases), (r.version for r in product_releases if r.unpublished)
        )
        for release in product_releases:
            kind = kinds[release.version]
            findings += check_sections(release, kind)
            findings += check_declared_kind(release, kind)
            findings += check_major_notes(release, kind)
        findings += check_duplicates(product_releases)
        findings += check_dates(product_releases)
        findings += check_line_order(product_releases)
        findings += check_line_gaps(product_releases)
    return findings


# -- cross-references ------------------------------------------------------------------------


def check_references(kb: KnowledgeBase) -> Iterator[Finding]:
    """Every version named elsewhere in kb/ must exist among the product's release notes."""
    releases = _by_product(kb.releases)
    lines = {p: {r.version.line for r in rs} for p, rs in releases.items()}
    versions = {p: {r.version for r in rs} for p, rs in releases.items()}
    codes = [p.code for p in kb.products]
    for line in kb.lines:
        if line.number not in lines.get(line.product, set()):
            yield error(
                line.source,
                "doc-line-without-release",
                f"le dossier de documentation {line.number} de « {line.product} » ne correspond à "
                "aucune version publiée, en préparation ou pré-version",
                f"Ajoutez la note de version (kb/releases/{line.product}/{line.number}.0.md par exemple), "
                "ou corrigez le nom du dossier.",
            )
    for document in kb.documents:
        if document.version is None:
            continue
        known = versions.get(document.product, set())
        if not any(str(v) == document.version for v in known):
            yield error(
                document.source,
                "unknown-version",
                f"le document « {document.title} » est rangé sous la version {document.version}, "
                f"qui n'a pas de note de version",
                "Rangez-le dans le dossier de sa ligne X.Y, ou ajoutez la note de version.",
            )
    for article in kb.articles:
        for written in article.versions:
            try:
                reference = parse_reference(written, codes)
            except VersionError:
                continue  # the reader already reported it
            if not any(
                _exists(reference, lines.get(p, set()), versions.get(p, set())) for p in article.products
            ):
                names = ", ".join(article.products)
                yield error(
                    article.versions_source,
                    "unknown-version",
                    f"la version « {written} » de l'article n'existe pas pour {names}",
                    "Citez une ligne (X.Y) ou une version (X.Y.Z) qui a une note de version.",
                )


def _exists(reference: VersionReference, lines: set[LineNumber], versions: set[Version]) -> bool:
    if reference.precision is Precision.RELEASE:
        return reference.version in versions
    if reference.precision is Precision.LINE:
        return reference.version.line in lines
    return any(line.major == reference.version.major for line in lines)
