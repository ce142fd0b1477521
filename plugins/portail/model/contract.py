"""Facts of the maintenance contract about versions: release kinds and installation deadlines.

X (major), Y (minor), Z (patch). A patch must be installed within three months of being made
available; a new functional version (minor or major) within six months.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

from .fr import add_months
from .versions import Version


class ReleaseKind(enum.Enum):
    MAJOR = "majeure"
    MINOR = "mineure"
    PATCH = "corrective"

    @property
    def label(self) -> str:
        """« version majeure »."""
        return f"version {self.value}"

    @property
    def installation_months(self) -> int:
        return 3 if self is ReleaseKind.PATCH else 6


def bump_kind(previous: Version | None, version: Version) -> ReleaseKind:
    """The kind of ``version`` from its bump against the previous release of the product.

    A product's first release takes its kind from its own number (X.0.0 major, X.Y.0 minor).
    """
    if previous is None:
        if version.minor == 0 and version.patch == 0:
            return ReleaseKind.MAJOR
        return ReleaseKind.MINOR if version.patch == 0 else ReleaseKind.PATCH
    if version.major != previous.major:
        return ReleaseKind.MAJOR
    if version.minor != previous.minor:
        return ReleaseKind.MINOR
    return ReleaseKind.PATCH


def kinds_by_version(
    versions: Iterable[Version], unpublished: Iterable[Version] = ()
) -> dict[Version, ReleaseKind]:
    """Each version's kind, bumping against the previous final published release in version
    order (not file order). A pre-release, or a release still unpublished, bumps against the
    release before it but never becomes the reference of the next one: clients only compare
    with what they could install."""
    hidden = set(unpublished)
    kinds: dict[Version, ReleaseKind] = {}
    previous: Version | None = None
    for version in sorted(set(versions)):
        kinds[version] = bump_kind(previous, version)
        if not version.is_prerelease and version not in hidden:
            previous = version
    return kinds


def installation_deadline(published: date, kind: ReleaseKind) -> date:
    """The date before which a client must install the release to stay under maintenance."""
    return add_months(published, kind.installation_months)
