"""A product's release history: where its numbering starts again, the kind of each version
within its numbering, which releases are already past, and the rules that read that history.

A restart (15.01 in 2014, then 2.0.0 in 2015) opens a new numbering; kinds, line order and the
next free version number are read within one numbering. A release that a newer one already
follows is never renumbered: the fixes offered for it ask to acknowledge the finding instead.
The per-release X.Y.Z rules of the contract live in ``nomenclature``, which builds on this
module (never the reverse).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import count

from ..model.contract import ReleaseKind, kinds_by_version
from ..model.findings import Finding, error, warning
from ..model.kb import Product, Release
from ..model.versions import LineNumber, Version

# -- a product's history: numberings (restarts) and what is already past ----------------------

ACKNOWLEDGE = (
    "reconnaissez ce constat : `portail check --write-baseline` l'inscrit dans "
    "kb/portail-baseline.yml, la liste des constats acceptés"
)


def _is_final(release: Release) -> bool:
    """Published and not a pre-release: what clients could install."""
    return not release.unpublished and not release.version.is_prerelease


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


def acknowledge_if_past(history: History | None, release: Release, fix: str) -> str:
    """``fix``, plus the way to acknowledge the finding when a newer release already follows
    ``release`` (it is then not renumbered)."""
    if history is not None and history.is_past(release):
        return f"{fix} Si tout est juste, {ACKNOWLEDGE}."
    return fix


# -- rules on a product's numbering --------------------------------------------------------


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
                acknowledge_if_past(
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
