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
from dataclasses import dataclass, field
from datetime import date
from itertools import count

from .contract import ReleaseKind, kinds_by_version
from .findings import Finding, Source, error, warning
from .model import KnowledgeBase, Product, Release, SectionKind
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


def _by_product(releases: Iterable[Release]) -> dict[str, list[Release]]:
    products: dict[str, list[Release]] = {}
    for release in releases:
        products.setdefault(release.product, []).append(release)
    return products


# -- a product's history: numberings (restarts) and what is already past ----------------------

ACKNOWLEDGE = (
    "reconnaissez ce constat : `portail check --write-baseline` l'inscrit dans "
    "kb/portail-baseline.yml, la liste des constats acceptés"
)


def _is_final(release: Release) -> bool:
    """Published and not a pre-release: what clients could install."""
    return not release.unpublished and not release.version.is_prerelease


def _from_changelog(release: Release) -> bool:
    return release.source.path.rsplit("/", 1)[-1].lower() == "changelog.md"


@dataclass(frozen=True)
class Numbering:
    """A product's releases split into numberings: a restart (15.01 in 2014, then 2.0.0 in 2015)
    opens a new one. ``index`` gives each version its numbering, 0 the oldest; the current one is
    ``len(restarts)``."""

    restarts: tuple[Release, ...]  # first release of each later numbering, in date order
    detected: frozenset[Version]  # restarts the numbers and dates show (declared or not)
    index: dict[Version, int] = field(default_factory=dict)

    def of(self, release: Release) -> int:
        return self.index.get(release.version, 0)

    @property
    def current(self) -> int:
        return len(self.restarts)


def _restarts_here(release: Release, majors: set[int], dated: list[Release]) -> bool:
    """``release`` opens a new numbering: its major drops below the highest earlier major of the
    current numbering and was never used in it (maintenance of an older line always continues a
    major that has releases), and the old, higher majors get no release on or after its date."""
    major = release.version.major
    if not majors or major >= max(majors) or major in majors:
        return False
    higher = {m for m in majors if m > major}
    return not any(
        other is not release and other.date >= release.date and other.version.major in higher  # type: ignore[operator]
        for other in dated
    )


def numbering(releases: Iterable[Release], declared: Iterable[Version] = ()) -> Numbering:
    """Where one product's numbering starts again (detected, or ``declared`` in the catalogue),
    and the numbering of each version. Restarts are read from published final releases in date
    order; an undated release, a pre-release or an unpublished one joins the latest numbering
    holding its line (else its major, else the current numbering)."""
    releases = list(releases)
    wanted = set(declared)
    dated = sorted(
        (r for r in releases if r.date is not None and _is_final(r)),
        key=lambda r: (r.date, r.version),
    )
    restarts: list[Release] = []
    detected: set[Version] = set()
    index: dict[Version, int] = {}
    before: set[int] = set()  # majors of the current numbering dated before the day at hand
    today: set[int] = set()  # and on that day
    day: date | None = None
    for release in dated:
        if release.date != day:
            before, today, day = before | today, set(), release.date
        if _restarts_here(release, before, dated):
            detected.add(release.version)
        if (before or today) and (release.version in detected or release.version in wanted):
            restarts.append(release)
            before, today = set(), set()
        today.add(release.version.major)
        index[release.version] = len(restarts)
    by_line: dict[LineNumber, int] = {}
    by_major: dict[int, int] = {}
    for release in dated:
        era = index[release.version]
        by_line[release.version.line] = max(by_line.get(release.version.line, 0), era)
        by_major[release.version.major] = max(by_major.get(release.version.major, 0), era)
    for release in releases:
        if release.version not in index:
            index[release.version] = by_line.get(
                release.version.line, by_major.get(release.version.major, len(restarts))
            )
    return Numbering(tuple(restarts), frozenset(detected), index)


def numbering_kinds(releases: Iterable[Release], numbers: Numbering) -> dict[Version, ReleaseKind]:
    """Each version's kind, bumped within its own numbering (2.0.0 after 15.1.0 opens one)."""
    releases = list(releases)
    kinds: dict[Version, ReleaseKind] = {}
    for era in range(numbers.current + 1):
        members = [r for r in releases if numbers.of(r) == era]
        kinds.update(
            kinds_by_version((r.version for r in members), (r.version for r in members if r.unpublished))
        )
    return kinds


@dataclass(frozen=True)
class History:
    """What the rules of one product need to know about its past: numberings, kinds, the
    versions taken, and which releases newer ones already follow."""

    releases: tuple[Release, ...]
    numbers: Numbering
    kinds: dict[Version, ReleaseKind]
    taken: frozenset[Version]
    newest: date | None  # date of the product's newest published final release
    top: dict[int, Version]  # highest published final version of each numbering

    @classmethod
    def of(cls, releases: Iterable[Release], declared: Iterable[Version] = ()) -> History:
        releases = tuple(releases)
        numbers = numbering(releases, declared)
        finals = [r for r in releases if _is_final(r)]
        top: dict[int, Version] = {}
        for release in finals:
            era = numbers.of(release)
            top[era] = max(top.get(era, release.version), release.version)
        dates = [r.date for r in finals if r.date is not None]
        return cls(
            releases,
            numbers,
            numbering_kinds(releases, numbers),
            frozenset(r.version for r in releases),
            max(dates) if dates else None,
            top,
        )

    def is_past(self, release: Release) -> bool:
        """A newer release already follows it: a higher version of its numbering (of its line or
        another: a maintenance patch is not renumbered either), a later numbering, or (dated) a
        release of the product published later. Only the product's latest release may still be
        renumbered; for the others, a fix acknowledges the finding in the baseline."""
        era = self.numbers.of(release)
        if era < self.numbers.current or release.version < self.top.get(era, release.version):
            return True
        return release.date is not None and self.newest is not None and release.date < self.newest

    def free_number(self, version: Version, kind: ReleaseKind) -> str:
        """The next number of ``kind`` after ``version`` whose line (or major) no release uses."""
        if kind is ReleaseKind.MAJOR:
            majors = {v.major for v in self.taken}
            major = next(m for m in count(version.major + 1) if m not in majors)
            return f"{major}.0.0"
        lines = {v.line for v in self.taken}
        minor = next(m for m in count(version.minor + 1) if LineNumber(version.major, m) not in lines)
        return f"{version.major}.{minor}.0"


def _history(release: Release, history: History | None) -> History:
    return history if history is not None else History.of([release])


# -- rules on one release ----------------------------------------------------------------------


def check_sections(release: Release, kind: ReleaseKind, history: History | None = None) -> Iterator[Finding]:
    """A section the contract reserves to a bigger kind of version (table SECTION_RULES)."""
    history = _history(release, history)
    for section in release.sections:
        for rule in SECTION_RULES:
            if section.kind is rule.section and _RANK[kind] < _RANK[rule.minimum]:
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
        elif _RANK[declared] > _RANK[kind]:
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


def _verify(history: History | None, release: Release, fix: str) -> str:
    if history is not None and history.is_past(release):
        return f"{fix} Si tout est juste, {ACKNOWLEDGE}."
    return fix


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
                    _verify(
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


def check_version_order(releases: list[Release], history: History | None = None) -> Iterator[Finding]:
    """Across the lines of one numbering, a lower version dated after a higher one (0.9.42 after
    0.10.1). A line that keeps receiving releases after a higher line opened is maintained side
    by side (5.0.x patches after 5.1.0): from its second release after that opening, none of its
    releases is a finding. A single release of a line dated after a higher line opened is one."""
    history = history if history is not None else History.of(releases)
    for era in range(history.numbers.current + 1):
        dated = [r for r in releases if r.date is not None and _is_final(r) and history.numbers.of(r) == era]
        lines: dict[LineNumber, list[Release]] = {}
        for release in dated:
            lines.setdefault(release.version.line, []).append(release)
        for line, members in lines.items():
            higher = [r for r in dated if r.version.line > line]
            if not higher:
                continue
            opened = min(r.date for r in higher)  # type: ignore[type-var]
            late = [r for r in members if r.date > opened]  # type: ignore[operator]
            if len(late) != 1:
                continue  # none: in order; several: a line maintained side by side
            lower = late[0]
            above = max((r for r in higher if r.date < lower.date), key=lambda r: r.version)  # type: ignore[operator]
            yield warning(
                lower.source,
                "version-date-order",
                f"la version {lower.version} est datée du {lower.date}, après la version supérieure "
                f"{above.version} ({above.date}) : les numéros ne croissent pas avec le temps",
                _verify(
                    history,
                    lower,
                    "Vérifiez la date et le numéro de ces deux versions. Si la ligne "
                    f"{line} est maintenue à côté des lignes supérieures, ce constat disparaît à sa "
                    "version suivante.",
                ),
                subject=str(lower.version),
            )


def check_restarts(
    releases: list[Release], history: History, declared: Iterable[Version] = ()
) -> Iterator[Finding]:
    """A numbering that starts again lower (15.01 then 2.0.0) without the catalogue saying so.
    The site already shows the new numbering first; the finding asks the writer to confirm."""
    declared = set(declared)
    for restart in history.numbers.restarts:
        if restart.version in declared or restart.version not in history.numbers.detected:
            continue
        before = [
            r.version
            for r in releases
            if r.date is not None
            and _is_final(r)
            and r.date < restart.date  # type: ignore[operator]
            and history.numbers.of(r) == history.numbers.of(restart) - 1
        ]
        yield warning(
            restart.source,
            "numbering-restart",
            f"la numérotation de « {restart.product} » repart de {restart.version} ({restart.date}) "
            f"après {max(before, default='une numérotation plus haute')} : les versions précédentes sont affichées comme une ancienne "
            "numérotation, sous la numérotation actuelle",
            "Si la numérotation a bien été reprise, déclarez-le dans kb/catalogue.yml, sous le produit "
            f"« {restart.product} » : `numbering_restarts: [{restart.version}]`. Sinon, corrigez le "
            "numéro ou la date de cette version.",
            subject=str(restart.version),
        )


def check_declared_restarts(product: Product, releases: list[Release], history: History) -> Iterator[Finding]:
    """Each version of `numbering_restarts:` names a release where the numbers drop below those
    of the numbering it closes."""
    source = product.numbering_restarts_source or product.source
    versions = {r.version: r for r in releases}
    for version in product.numbering_restarts:
        release = versions.get(version)
        if release is None:
            yield error(
                source,
                "numbering-restart-unknown",
                f"la reprise de numérotation déclarée à {version} pour « {product.slug} » ne "
                "correspond à aucune note de version",
                "Écrivez la première version de la nouvelle numérotation, telle que ses notes la "
                "nomment, ou ajoutez sa note de version.",
                subject=str(version),
            )
        elif release.date is not None and not any(
            history.numbers.of(r) == history.numbers.of(release) - 1 and r.version > version for r in releases
        ):
            yield warning(
                source,
                "numbering-restart-without-drop",
                f"la reprise de numérotation déclarée à {version} pour « {product.slug} » ne fait pas "
                "redescendre les numéros : aucune version plus ancienne n'a de numéro plus élevé",
                "Retirez cette version de `numbering_restarts`, ou corrigez-la.",
                subject=str(version),
            )


def check_releases(releases: Iterable[Release], products: Iterable[Product] = ()) -> list[Finding]:
    """Every nomenclature rule over releases (of one or several products). ``products`` (the
    catalogue) gives the restarts of numbering writers declared."""
    products = tuple(products)
    declared = {p.slug: p.numbering_restarts for p in products}
    findings: list[Finding] = []
    by_product = _by_product(releases)
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
                subject=str(line.number),
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
                subject=document.version,
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
                    subject=written,
                )


def _exists(reference: VersionReference, lines: set[LineNumber], versions: set[Version]) -> bool:
    if reference.precision is Precision.RELEASE:
        return reference.version in versions
    if reference.precision is Precision.LINE:
        return reference.version.line in lines
    return any(line.major == reference.version.major for line in lines)
