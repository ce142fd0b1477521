"""The version nomenclature of the contract, as small composable rules over releases.

Each rule is a function from releases (and, for cross-references, the knowledge base) to
findings, with its own stable code. Rules rely on explicit structure (section headings, front
matter), never on guessing from prose. A product's history (numbering restarts, kinds within a
numbering, what is already past) and the rules that read it live in ``release_history``.

What each kind of version may contain (the contract, section 4):

- X, major: a large rework, data not upward compatible, or a change of reference operating
  system or of prerequisites;
- Y, minor: new features; may also hold technical, regulatory changes and fixes;
- Z, patch: bug fixes; features modified or added when not impacting; regulatory changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from ..model.contract import ReleaseKind
from ..model.findings import Finding, Source, error, warning
from ..model.kb import Product, Release, SectionKind
from ..model.versions import Version
from .release_history import (
    ACKNOWLEDGE,
    History,
    acknowledge_if_past,
    check_declared_restarts,
    check_restarts,
    check_version_order,
)

KIND_RANK = {ReleaseKind.PATCH: 0, ReleaseKind.MINOR: 1, ReleaseKind.MAJOR: 2}
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


def releases_by_product(releases: Iterable[Release]) -> dict[str, list[Release]]:
    products: dict[str, list[Release]] = {}
    for release in releases:
        products.setdefault(release.product, []).append(release)
    return products


def _from_changelog(release: Release) -> bool:
    return release.source.path.rsplit("/", 1)[-1].lower() == "changelog.md"


def _history(release: Release, history: History | None) -> History:
    return history if history is not None else History.of([release])


# -- rules on one release ----------------------------------------------------------------------


def check_sections(release: Release, kind: ReleaseKind, history: History | None = None) -> Iterator[Finding]:
    """A section the contract reserves to a bigger kind of version (table SECTION_RULES)."""
    history = _history(release, history)
    for section in release.sections:
        for rule in SECTION_RULES:
            if section.kind is rule.section and KIND_RANK[kind] < KIND_RANK[rule.minimum]:
                if history.is_past(release):
                    fix = (
                        "Une version plus récente la suit déjà : ne la renumérotez pas. Retirez cette "
                        f"section si elle ne décrit pas un tel changement ; sinon, {ACKNOWLEDGE}."
                    )
                else:
                    fix = (
                        f"Numérotez-la {history.free_number(release.version, rule.minimum)}, ou retirez "
                        "cette section si elle ne décrit pas un tel changement."
                    )
                yield error(
                    section.source,
                    "release-kind-too-small",
                    f"la version {release.version} est une {kind.label} mais déclare « {section.title} » : "
                    f"elle doit être une {rule.minimum.label} ({rule.reason})",
                    fix,
                    subject=str(release.version),
                )


def check_declared_kind(
    release: Release, kind: ReleaseKind, history: History | None = None
) -> Iterator[Finding]:
    """A kind stated in front matter that the number contradicts."""
    history = _history(release, history)
    declared = _DECLARED.get(release.declared_kind or "")
    if declared is not None and declared is not kind:
        if history.is_past(release):
            fix = (
                f"Corrigez `kind: {kind.value}` : le type se déduit du numéro, et une version déjà "
                "suivie d'une plus récente ne se renumérote pas."
            )
        elif KIND_RANK[declared] > KIND_RANK[kind]:
            number = history.free_number(release.version, declared)
            fix = f"Corrigez `kind: {kind.value}`, ou numérotez la version {number}."
        else:
            fix = f"Corrigez `kind: {kind.value}`, ou renumérotez la version."
        yield error(
            release.source,
            "declared-kind-mismatch",
            f"la version {release.version} est déclarée {declared.label} mais son numéro en fait une "
            f"{kind.label} (comparé à la version précédente du produit)",
            fix,
            subject=str(release.version),
        )


def check_major_notes(
    release: Release, kind: ReleaseKind, history: History | None = None
) -> Iterator[Finding]:
    """A major version whose notes give no migration path or prerequisites."""
    if kind is not ReleaseKind.MAJOR:
        return
    present = {section.kind for section in release.sections}
    missing = [s.label for s in MAJOR_EXPECTS if s not in present]
    if missing:
        past = (
            f" Pour une version ancienne dont ces informations ne sont plus connues, {ACKNOWLEDGE}."
            if _history(release, history).is_past(release)
            else ""
        )
        yield warning(
            release.source,
            "major-without-migration",
            f"la version majeure {release.version} n'a pas de section {' ni '.join(missing)}",
            "Une fiche de version majeure indique le chemin de migration et les pré-requis : ajoutez "
            f"{' et '.join(f'« ## {m} »' for m in missing)}.{past}",
            subject=str(release.version),
        )


def check_empty(release: Release, history: History | None = None) -> Iterator[Finding]:
    """A published release with no word: no introduction, and nothing under its sections."""
    if release.unpublished or release.intro.strip() or any(s.body.strip() for s in release.sections):
        return
    titles = ", ".join(f"« {s.title} »" for s in release.sections)
    what = f"ses sections {titles} sont vides" if titles else "ni introduction, ni section"
    if _history(release, history).is_past(release):
        fix = f"Écrivez ce que la version a apporté ; si plus personne ne le sait, {ACKNOWLEDGE}."
    elif _from_changelog(release):
        fix = (
            "Écrivez ce que la version apporte (une phrase, ou une liste sous « ### Corrections »…), "
            "ou, si elle n'est pas encore sortie, déplacez-la sous un titre « ## [Unreleased] »."
        )
    else:
        fix = (
            "Écrivez ce que la version apporte (une phrase, ou une liste sous « ## Corrections »…), "
            "ou marquez-la `unpublished: true` tant qu'elle n'est pas décrite."
        )
    yield error(
        release.source,
        "release-empty",
        f"la version {release.version} n'a aucun texte ({what}) : une note de version vide "
        "ne dit rien aux lecteurs",
        fix,
        subject=str(release.version),
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
                subject=str(release.version),
            )
        else:
            seen[release.version] = release.source


def check_dates(releases: list[Release], history: History | None = None) -> Iterator[Finding]:
    history = history if history is not None else History.of(releases)
    for release in releases:
        if release.date is None and not release.unpublished:
            changelog = _from_changelog(release)
            add = (
                f"Ajoutez la date à la fin du titre de la version (« [{release.version}] - AAAA-MM-JJ »)"
                if changelog
                else "Ajoutez la date de mise à disposition (`date: AAAA-MM-JJ`)"
            )
            if history.is_past(release):
                fix = f"{add} ; si elle n'est plus connue, {ACKNOWLEDGE}."
            elif changelog:
                # A CHANGELOG.md cannot say « not published »: its « Unreleased » block does.
                fix = (
                    f"{add} ; si elle n'est pas encore sortie, déplacez son texte sous un titre "
                    "« [Unreleased] », lu mais jamais publié."
                )
            else:
                fix = f"{add}, ou marquez-la `unpublished: true` si elle n'est pas encore sortie."
            yield error(
                release.source,
                "release-undated",
                f"la version publiée {release.version} n'a pas de date",
                fix,
                subject=str(release.version),
            )


def check_future_dates(releases: Iterable[Release], today: date) -> Iterator[Finding]:
    """A published release dated after the build's day: a typo, or notes published before the
    version is out. The site lists it but keeps « dernière version » on the newest release
    already out until that date (``releases.release_views``)."""
    for release in releases:
        if release.unpublished or release.date is None or release.date <= today:
            continue
        if _from_changelog(release):
            wait = "placez-la sous un titre « ## [Unreleased] » jusqu'à sa sortie"
        else:
            wait = "marquez-la `unpublished: true` jusqu'à sa sortie"
        yield warning(
            release.source,
            "release-future-date",
            f"la version {release.version} est datée du {release.date:%d/%m/%Y}, après le jour de "
            f"la construction du site ({today:%d/%m/%Y}) : elle est publiée, mais n'est affichée "
            "comme « dernière version » qu'à partir de sa date",
            f"Si la date est une faute de frappe, corrigez-la ; si la version n'est pas encore "
            f"sortie, {wait}.",
            subject=str(release.version),
        )


def _lines(
    releases: list[Release], history: History | None = None
) -> dict[tuple[int, int, int], list[Release]]:
    """Final releases of each line X.Y of each numbering, in version order (never file order)."""
    lines: dict[tuple[int, int, int], list[Release]] = {}
    for release in sorted(releases, key=lambda r: r.version):
        if not release.version.is_prerelease:
            era = history.numbers.of(release) if history is not None else 0
            lines.setdefault((era, release.version.major, release.version.minor), []).append(release)
    return lines


def check_line_order(releases: list[Release], history: History | None = None) -> Iterator[Finding]:
    """Within a line, a higher version dated before a lower one (a lower version released later)."""
    for line in _lines(releases, history).values():
        dated = [r for r in line if r.date is not None]
        for lower, higher in zip(dated, dated[1:], strict=False):
            if higher.date < lower.date:  # type: ignore[operator]
                yield warning(
                    higher.source,
                    "line-date-order",
                    f"la version {higher.version} est datée du {higher.date}, avant la version "
                    f"inférieure {lower.version} ({lower.date})",
                    acknowledge_if_past(
                        history,
                        higher,
                        "Vérifiez les deux dates : dans une ligne de version, les numéros croissent avec le temps.",
                    ),
                    subject=str(higher.version),
                )


def check_line_gaps(releases: list[Release], history: History | None = None) -> Iterator[Finding]:
    """A patch number skipped within a line (4.7.9 then 4.7.11)."""
    for line in _lines(releases, history).values():
        for lower, higher in zip(line, line[1:], strict=False):
            if higher.version.patch > lower.version.patch + 1:
                missing = ", ".join(
                    f"{lower.version.major}.{lower.version.minor}.{p}"
                    for p in range(lower.version.patch + 1, higher.version.patch)
                )
                if history is not None and history.is_past(higher):
                    fix = (
                        "Ajoutez la note de version manquante si cette version a été publiée ; sinon "
                        f"(numéro jamais attribué), {ACKNOWLEDGE}. Ne renumérotez pas une version "
                        "qu'une plus récente suit déjà."
                    )
                else:
                    fix = "Ajoutez la note de version manquante, ou corrigez le numéro."
                yield warning(
                    higher.source,
                    "line-gap",
                    f"version(s) {missing} absente(s) entre {lower.version} et {higher.version}",
                    fix,
                    subject=str(higher.version),
                )


def check_releases(
    releases: Iterable[Release], products: Iterable[Product] = (), today: date | None = None
) -> list[Finding]:
    """Every nomenclature rule over releases (of one or several products). ``products`` (the
    catalogue) gives the restarts of numbering writers declared; ``today`` (the build's day in
    Paris) finds releases dated in the future."""
    products = tuple(products)
    releases = tuple(releases)
    declared = {p.slug: p.numbering_restarts for p in products}
    findings: list[Finding] = []
    by_product = releases_by_product(releases)
    histories: dict[str, History] = {}
    for slug, product_releases in by_product.items():
        history = histories[slug] = History.of(product_releases, declared.get(slug, ()))
        for release in product_releases:
            kind = history.kinds[release.version]
            findings += check_sections(release, kind, history)
            findings += check_declared_kind(release, kind, history)
            findings += check_major_notes(release, kind, history)
            findings += check_empty(release, history)
        findings += check_duplicates(product_releases)
        findings += check_dates(product_releases, history)
        findings += check_line_order(product_releases, history)
        findings += check_line_gaps(product_releases, history)
        findings += check_version_order(product_releases, history)
        findings += check_restarts(product_releases, history, declared.get(slug, ()))
    for product in products:
        if product.numbering_restarts:
            product_releases = by_product.get(product.slug, [])
            history = histories.get(product.slug) or History.of(product_releases)
            findings += check_declared_restarts(product, product_releases, history)
    if today is not None:
        findings += check_future_dates(releases, today)
    return findings
