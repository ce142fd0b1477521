"""Version numbers as the contract writes them (X.Y.Z), for folder names of version lines."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_NUMBER = r"(0|[1-9][0-9]*)"
_FOLDER = re.compile(rf"^{_NUMBER}\.{_NUMBER}(?:\.{_NUMBER})?$")
_LOOSE = re.compile(r"(?i)^\s*(?:version|vers\.?|v)?[\s_-]*([0-9]+(?:\.[0-9]+){1,2})\s*$")


@dataclass(frozen=True, order=True)
class LineNumber:
    """A version line X.Y; ordered numerically (4.10 comes after 4.9)."""

    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


@dataclass(frozen=True)
class FolderVersion:
    """What a version folder names: a line X.Y, and a precise version X.Y.Z when given."""

    line: LineNumber
    version: str | None


def parse_version_folder(name: str) -> FolderVersion | None:
    """Parse a folder name ``X.Y`` or ``X.Y.Z`` (no leading zeros); None when it is neither."""
    match = _FOLDER.match(name)
    if not match:
        return None
    major, minor, patch = match.groups()
    line = LineNumber(int(major), int(minor))
    return FolderVersion(line, f"{line}.{patch}" if patch is not None else None)


def suggest_version_folder(name: str) -> str | None:
    """For a near miss such as ``VERSION 4.7`` or ``v4.07``, the folder name to use instead."""
    match = _LOOSE.match(name)
    if not match:
        return None
    parts = [str(int(part)) for part in match.group(1).split(".")]
    return ".".join(parts)


_PRE = re.compile(r"^(alpha|beta|rc)[.-]?([0-9]+)$", re.IGNORECASE)
_PRE_ORDER = {"alpha": 0, "beta": 1, "rc": 2}


class VersionError(ValueError):
    """A text that is not a version; ``reason`` says why, in French, for a finding."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"« {text} » : {reason}")
        self.text = text
        self.reason = reason


@dataclass(frozen=True)
class Version:
    """A release number X.Y.Z, maybe a pre-release (-rc.1, -beta.2), as the contract defines it.

    Ordered numerically; a pre-release comes before its release. ``build`` is a fourth number
    some changelogs write (1.2.3.4): after 1.2.3, before 1.2.4. ``label`` is the name as written
    (« 3.0.0-rc4 »), shown by ``str()``; it takes no part in equality, so ``3.0.0-rc4`` is the
    version ``3.0.0-rc.4``. ``canonical`` is the contract's spelling. Both are lowercase ASCII
    digits, dots, letters and hyphens: a version names a URL (``urls.release_url``).
    """

    major: int
    minor: int
    patch: int
    pre: tuple[str, int] | None = None
    build: int = 0
    label: str = field(default="", compare=False, hash=False)

    @property
    def line(self) -> LineNumber:
        return LineNumber(self.major, self.minor)

    @property
    def is_prerelease(self) -> bool:
        return self.pre is not None

    @property
    def sort_key(self) -> tuple[int, ...]:
        numbers = (self.major, self.minor, self.patch, self.build)
        if self.pre is None:
            return (*numbers, 1, 0, 0)
        return (*numbers, 0, _PRE_ORDER[self.pre[0]], self.pre[1])

    def __lt__(self, other: Version) -> bool:
        return self.sort_key < other.sort_key

    def __le__(self, other: Version) -> bool:
        return self.sort_key <= other.sort_key

    def __gt__(self, other: Version) -> bool:
        return self.sort_key > other.sort_key

    def __ge__(self, other: Version) -> bool:
        return self.sort_key >= other.sort_key

    @property
    def canonical(self) -> str:
        """« 4.7.11 », « 5.0.0-rc.1 », « 1.2.3.4 »: the contract's spelling, whatever was written."""
        base = f"{self.major}.{self.minor}.{self.patch}"
        if self.build:
            base += f".{self.build}"
        return f"{base}-{self.pre[0]}.{self.pre[1]}" if self.pre else base

    def __str__(self) -> str:
        return self.label or self.canonical


@dataclass(frozen=True)
class ParsedVersion:
    """A version read from text, and how it was written (``parts`` is 2 for ``4.1``)."""

    version: Version
    parts: int


def _pre_release(text: str, pre_text: str) -> tuple[str, int] | None:
    if not pre_text:
        return None
    match = _PRE.match(pre_text)
    if not match:
        raise VersionError(text, f"suffixe « -{pre_text} » inconnu (-alpha.N, -beta.N ou -rc.N)")
    return (match.group(1).lower(), int(match.group(2)))


def _version(numbers: list[int], pre: tuple[str, int] | None, pre_text: str) -> Version:
    """The version of these numbers; its label keeps a pre-release as written (« -rc4 »),
    lowercased so that it stays a URL slug."""
    numbers = numbers + [0] * (4 - len(numbers))
    version = Version(numbers[0], numbers[1], numbers[2], pre, numbers[3])
    if pre is not None and pre_text.lower() != f"{pre[0]}.{pre[1]}":
        written = version.canonical.rpartition("-")[0] + "-" + pre_text.lower()
        version = Version(numbers[0], numbers[1], numbers[2], pre, numbers[3], written)
    return version


def _numbers(text: str) -> tuple[list[str], str]:
    """A version's numbers as written (``v`` prefix dropped) and its pre-release suffix, or
    :class:`VersionError` when it holds anything but numbers and dots before the suffix."""
    raw = text.strip()
    body = raw[1:] if raw[:1] in ("v", "V") else raw
    if not body:
        raise VersionError(text, "texte vide, une version s'écrit X.Y.Z")
    number, _, pre_text = body.partition("-")
    parts = number.split(".")
    if not all(part.isdigit() and part.isascii() for part in parts):
        raise VersionError(text, "une version ne contient que des nombres séparés par des points (X.Y.Z)")
    return parts, pre_text


def parse_version(text: str, *, allow_short: bool = False) -> ParsedVersion:
    """Parse ``4.7.11``, ``v4.7.11``, ``4.7.11-rc1``; ``4.7`` too when ``allow_short`` (as 4.7.0).

    Raises :class:`VersionError` with a French reason: four parts, zero-padded parts, letters,
    empty text. A pre-release keeps its written name (``str()`` is « 4.7.11-rc1 »).
    """
    parts, pre_text = _numbers(text)
    if len(parts) > 3:
        raise VersionError(text, f"{len(parts)} nombres : une version en a trois, X.Y.Z")
    if len(parts) < 3 and not (allow_short and len(parts) == 2):
        raise VersionError(text, "une version s'écrit avec trois nombres, X.Y.Z")
    if any(len(part) > 1 and part.startswith("0") for part in parts):
        raise VersionError(text, "un nombre de la version commence par un zéro")
    pre = _pre_release(text, pre_text)
    return ParsedVersion(_version([int(part) for part in parts], pre, pre_text), len(parts))


@dataclass(frozen=True)
class LooseVersion:
    """A version as a changelog heading writes it, with what had to be normalised to read it:
    ``parts`` (1 for ``12``, 4 for ``1.2.3.4``), ``zero_padded`` (``15.01``)."""

    version: Version
    parts: int
    zero_padded: bool


def parse_loose_version(text: str) -> LooseVersion:
    """Parse what changelog headings write, more than the contract allows: ``12`` (12.0.0),
    ``4.1`` (4.1.0), ``15.01`` (15.1.0), ``1.2.3.4`` (after 1.2.3), ``v3.0.0-rc4``. The caller
    warns about each normalisation. Raises :class:`VersionError` for the rest (letters, five
    numbers, an unknown suffix)."""
    parts, pre_text = _numbers(text)
    if len(parts) > 4:
        raise VersionError(text, f"{len(parts)} nombres : une version en a trois, X.Y.Z")
    zero_padded = any(len(part) > 1 and part.startswith("0") for part in parts)
    pre = _pre_release(text, pre_text)
    return LooseVersion(_version([int(part) for part in parts], pre, pre_text), len(parts), zero_padded)


class Precision(enum.Enum):
    """How much of a version a writer named: ``V3`` (major), ``V4.3`` (line), ``4.3.10``."""

    MAJOR = 1
    LINE = 2
    RELEASE = 3


@dataclass(frozen=True)
class VersionReference:
    """A version as a writer or the contract names it, with its canonical form.

    ``version`` is canonical and ordered: ``V4.3`` is 4.3.0 where a release is meant, ``V3`` is
    3.0.0; ``precision`` keeps what was named; ``product_code`` is ``SL`` in ``SL 4.3.10``.
    """

    written: str
    version: Version
    precision: Precision
    product_code: str | None = None

    @property
    def canonical(self) -> str:
        """« 4.7.11 », « 4.3 » for a line, « 3 » for a major."""
        if self.precision is Precision.MAJOR:
            return str(self.version.major)
        if self.precision is Precision.LINE:
            return str(self.version.line)
        return self.version.canonical


_CODE_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9]{0,9})\s+(.+)$")


def parse_reference(text: str, product_codes: Iterable[str] = ()) -> VersionReference:
    """Parse what writers write: ``4.7.11``, ``V4.7.11``, ``4.7``, ``V4.3``, ``V3``,
    ``SL 4.3.10``, ``4.7.11-rc1`` / ``-rc.1`` / ``-beta.2``.

    Raises :class:`VersionError` with a French reason (four parts, zero-padded parts, letters,
    empty text, unknown product code).
    """
    raw = text.strip()
    code = None
    match = _CODE_PREFIX.match(raw)
    if match and match.group(1).lower() not in ("v", "version"):
        code = match.group(1)
        codes = {c.upper(): c for c in product_codes}
        if code.upper() not in codes:
            known = ", ".join(sorted(codes.values())) or "aucun"
            raise VersionError(text, f"code produit « {code} » inconnu (codes connus : {known})")
        code = codes[code.upper()]
        raw = match.group(2).strip()
    body = raw[1:] if raw[:1] in ("v", "V") else raw
    number = body.partition("-")[0]
    parts = number.split(".") if number else []
    if len(parts) == 1 and parts[0].isdigit() and parts[0].isascii() and "-" not in body:
        if len(parts[0]) > 1 and parts[0].startswith("0"):
            raise VersionError(text, "un nombre de la version commence par un zéro")
        return VersionReference(text, Version(int(parts[0]), 0, 0), Precision.MAJOR, code)
    parsed = parse_version(raw, allow_short=True)
    if parsed.parts == 2 and parsed.version.is_prerelease:
        raise VersionError(text, "une pré-version s'écrit avec trois nombres, X.Y.Z-rc.N")
    precision = Precision.LINE if parsed.parts == 2 else Precision.RELEASE
    return VersionReference(text, parsed.version, precision, code)
