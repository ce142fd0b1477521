"""Release notes as the site presents them: per product, kinds from bumps, latest, deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..checks.release_history import numbering, numbering_kinds
from ..model.contract import ReleaseKind, installation_deadline
from ..model.kb import KnowledgeBase, Product, Release
from ..model.versions import LineNumber


@dataclass(frozen=True)
class ReleaseView:
    """A published release with what the contract derives from it."""

    release: Release
    kind: ReleaseKind
    is_latest: bool
    deadline: date | None  # None for a pre-release or an undated release
    previous: Release | None
    next: Release | None
    numbering: int = 0  # 0 the oldest; a restart of the numbering (15.01 then 2.0.0) opens the next
    upcoming: bool = False  # dated after the build's day: listed, never the latest before its date

    def deadline_passed(self, today: date) -> bool:
        return self.deadline is not None and today > self.deadline


def release_views(kb: KnowledgeBase, product: Product, today: date | None = None) -> list[ReleaseView]:
    """A product's published releases, newest first, with kind, latest mark and deadline.

    Newest first is the current numbering first, in version order, then the older numberings
    (a restart, 15.01 then 2.0.0, is declared in the catalogue or seen from numbers and dates):
    the latest release is the highest version of the current numbering, never 15.01. A release
    dated after ``today`` (the build's day in Paris; a finding, ``release-future-date``) is
    listed in its place, ``upcoming``, but the latest is the highest one already out."""
    everything = [r for r in kb.releases if r.product == product.slug]
    numbers = numbering(everything, product.numbering_restarts)
    kinds = numbering_kinds(everything, numbers)
    releases = sorted(kb.releases_of(product), key=lambda r: (numbers.of(r), r.version), reverse=True)
    finals = [r for r in releases if not r.version.is_prerelease and not _upcoming(r, today)]
    latest = finals[0] if finals else None
    views = []
    for index, release in enumerate(releases):
        kind = kinds[release.version]
        deadline = (
            installation_deadline(release.date, kind)
            if release.date is not None and not release.version.is_prerelease
            else None
        )
        views.append(
            ReleaseView(
                release=release,
                kind=kind,
                is_latest=release is latest,
                deadline=deadline,
                previous=releases[index + 1] if index + 1 < len(releases) else None,
                next=releases[index - 1] if index > 0 else None,
                numbering=numbers.of(release),
                upcoming=_upcoming(release, today),
            )
        )
    return views


def _upcoming(release: Release, today: date | None) -> bool:
    return today is not None and release.date is not None and release.date > today


def by_line(views: list[ReleaseView]) -> list[tuple[LineNumber, list[ReleaseView]]]:
    """Views grouped by version line X.Y, newest line first (views arrive newest first); the
    lines of an older numbering come after those of the current one."""
    groups: dict[tuple[int, LineNumber], list[ReleaseView]] = {}
    for view in views:
        groups.setdefault((view.numbering, view.release.version.line), []).append(view)
    return [(key[1], group) for key, group in sorted(groups.items(), key=lambda item: item[0], reverse=True)]


def release_title(product: Product, release: Release) -> str:
    """« Notes de version i-Parapheur 4.7.11 », as the FAQ lists them: French, like the rest of
    the interface (the vendor's « Release notes … version … » stays findable: the search's
    synonyms tie « release notes » to « notes de version »)."""
    return f"Notes de version {product.name} {release.version}"
