"""The lines of a changelog and what its headings name: a version, an unreleased block, a group of
versions, an item of a section (a pull request), or a section (see ``changelog_sections``).

``scan`` numbers the lines and tells headings from text, minding code fences; the reader
(``changelog``) then decides what each heading opens, looking ahead where it must (groups).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ..model.findings import Finding, Source, warning
from ..model.versions import LooseVersion, Version

INVISIBLE = "\ufffc"  # OBJECT REPLACEMENT CHARACTER, pasted before bullets by some editors
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


def parse_heading(line: str) -> Heading | None:
    match = _ATX.match(clean(line))
    if not match:
        return None
    text = _CLOSING_HASHES.sub("", match.group(2) or "").strip()
    return Heading(len(match.group(1)), text)


def clean(line: str) -> str:
    return line.replace(INVISIBLE, "")


def fold(text: str) -> str:
    """Lowercase ASCII words: « Évolutions réglementaires » → « evolutions reglementaires »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


# --- Scanning ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A line of the file (``\\r`` removed), its number, and its heading when it is one (never
    in a code block)."""

    number: int
    text: str
    heading: Heading | None


@dataclass(frozen=True)
class Scan:
    lines: tuple[Line, ...]
    unclosed_fence: tuple[str, int] | None  # (the fence as written, its line) when never closed


def scan(text: str, first_line: int) -> Scan:
    """Each line of ``text``, numbered from ``first_line``; lines in code fences are text."""
    fence: tuple[str, int, int] | None = None  # (character, length, line) of the open code fence
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: list[Line] = []
    for number, raw in enumerate(lines, start=first_line):
        line = raw.removesuffix("\r")
        fence_match = FENCE.match(clean(line))
        if fence is not None:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= fence[1]
                and not fence_match.group(2).strip()
            ):
                fence = None
            out.append(Line(number, line, None))
            continue
        if fence_match and not (fence_match.group(1)[0] == "`" and "`" in fence_match.group(2)):
            fence = (fence_match.group(1)[0], len(fence_match.group(1)), number)
            out.append(Line(number, line, None))
            continue
        out.append(Line(number, line, parse_heading(line)))
    unclosed = (fence[0] * fence[1], fence[2]) if fence is not None else None
    return Scan(tuple(out), unclosed)


# --- Version headings --------------------------------------------------------------------------

_VERSION_WORD = re.compile(r"^version\s+", re.IGNORECASE)
_SEPARATORS = " \t-–—:"
# ``(Servlet)10.8.3``: a parenthesised name written before the version
_PREFIX = re.compile(r"^\(([^()\s][^()]*)\)[ \t]*")
_MULTI_PART = re.compile(r"^[vV]?[0-9]+(?:\.[0-9]+)+")
_ONE_PART = re.compile(r"^[vV]?[0-9]+$")
_NUMBERS = re.compile(r"^[vV]?([0-9]+(?:\.[0-9]+)*)")
_DATE_LIKE = re.compile(r"^\(?[0-9]")
_UNRELEASED = re.compile(r"unreleased|non (?:versionne|publie)e?s?|a venir")


@dataclass(frozen=True)
class Label:
    """A heading split into its label (« 4.2.18 », « Unreleased ») and the rest (the date)."""

    label: str
    rest: str


def split_label(text: str) -> Label:
    """``[v1.15.3](https://…) - 8 septembre 2026`` → ``v1.15.3`` and ``8 septembre 2026``."""
    if text.startswith("["):
        close = text.find("]")
        if close > 0:
            label, rest = text[1:close].strip(), text[close + 1 :]
            if rest.startswith("("):  # inline link [4.2.1](https://…)
                end = rest.find(")")
                rest = rest[end + 1 :] if end >= 0 else ""
            elif rest.startswith("["):  # reference link [4.2.1][ref]
                end = rest.find("]")
                rest = rest[end + 1 :] if end >= 0 else ""
            return Label(_VERSION_WORD.sub("", label), rest.strip(_SEPARATORS))
    text = _VERSION_WORD.sub("", text)
    label, _, rest = text.partition(" ")
    return Label(label.strip().rstrip(",;:"), rest.strip(_SEPARATORS))


@dataclass(frozen=True)
class VersionHeading:
    """A heading that names a version: ``written`` as in the heading (« (Servlet)10.8.3 »,
    « v1.15.3 », « 12 »), ``prefix`` (« Servlet »), ``number`` (« 10.8.3 »), ``rest`` (the date)."""

    written: str
    prefix: str
    number: str
    rest: str

    @property
    def numbers(self) -> tuple[int, ...]:
        """The leading numbers as written (``4.7.x`` → (4, 7)), for groups."""
        match = _NUMBERS.match(self.number)
        return tuple(int(n) for n in match.group(1).split(".")) if match else ()


def version_heading(heading: Heading) -> VersionHeading | None:
    """What version the heading names, or None when it names none. A number with dots (``v``
    then digits and dots, maybe after a ``(prefix)``) is a version heading, valid or not; a
    single number (``## 12 - 2011-11-16``) only when nothing but a date follows it."""
    text = _VERSION_WORD.sub("", heading.text)
    prefix = ""
    match = _PREFIX.match(text)
    if match:
        prefix, text = match.group(1).strip(), text[match.end() :]
    split = split_label(text)
    if _MULTI_PART.match(split.label):
        pass
    elif _ONE_PART.match(split.label) and (not split.rest or _DATE_LIKE.match(split.rest)):
        pass
    else:
        return None
    written = f"({prefix}){split.label}" if prefix else split.label
    return VersionHeading(written, prefix, split.label, split.rest)


def is_group_of(group: VersionHeading, child: VersionHeading) -> bool:
    """``## v1.15`` above ``### [v1.15.3]``: a heading of one or two numbers (or ``4.7.x``) whose
    child version is of that line. The caller checks that the child is deeper and that no text
    sits between them."""
    numbers, child_numbers = group.numbers, child.numbers
    return (
        0 < len(numbers) <= 2
        and len(child_numbers) > len(numbers)
        and child_numbers[: len(numbers)] == numbers
    )


def normalised_findings(source: Source, heading: VersionHeading, loose: LooseVersion) -> list[Finding]:
    """A warning for each thing the heading writes that the contract does not allow, each naming
    what the version was read as."""
    written, version = heading.written, loose.version
    findings: list[Finding] = []

    def add(code: str, message: str, fix: str) -> None:
        findings.append(warning(source, code, message, fix, subject=written))

    if heading.prefix:
        add(
            "version-prefixed",
            f"Le titre de version « {written} » commence par « ({heading.prefix}) » : il est publié "
            f"comme la version {version}, sans ce préfixe.",
            f"Écrivez le titre « {version} » et, si « {heading.prefix} » compte pour les lecteurs, "
            "dites-le dans le texte de la version.",
        )
    if loose.parts == 1:
        add(
            "version-one-part",
            f"La version « {heading.number} » n'a qu'un nombre : elle est lue comme {version}.",
            f"Écrivez {version} : une version a trois nombres, X.Y.Z.",
        )
    elif loose.parts == 2:
        add(
            "version-two-parts",
            f"La version « {heading.number} » n'a que deux nombres : elle est lue comme {version}.",
            f"Écrivez {version} : une version a trois nombres, X.Y.Z.",
        )
    elif loose.parts == 4:
        base = Version(version.major, version.minor, version.patch)
        following = Version(version.major, version.minor, version.patch + 1)
        add(
            "version-four-parts",
            f"La version « {heading.number} » a quatre nombres : elle est publiée sous le nom {version}, "
            f"rangée après {base} et avant {following}.",
            "Écrivez une version à trois nombres, X.Y.Z : le contrat n'en connaît pas de quatrième.",
        )
    if loose.zero_padded:
        add(
            "version-zero-padded",
            f"Un nombre de la version « {heading.number} » commence par un zéro : elle est lue comme "
            f"{version}.",
            f"Écrivez {version}, sans zéro en tête des nombres.",
        )
    return findings


# --- Unreleased blocks, items ------------------------------------------------------------------


def is_unreleased(heading: Heading) -> bool:
    split = split_label(heading.text)
    label = split.label if heading.text.startswith("[") else heading.text
    return _UNRELEASED.fullmatch(fold(label)) is not None


def unreleased_title(text: str) -> str:
    if text.startswith("[") and "]" in text:
        return text[1 : text.index("]")].strip()
    return text


# ``#### [#1524](https://…) correction du menu``, ``### !312 …``, ``### [PORTAIL-87] …``,
# ``### [a1b2c3d](https://…)``: a pull request, an issue, a ticket or a commit named by a heading.
_ITEM = re.compile(
    r"^\[?(?:#[0-9]+|![0-9]+|GH-[0-9]+|[A-Z][A-Z0-9]+-[0-9]+|[0-9a-f]{7,40}\])(?:[\]\s(:,.-]|$)"
)


_LINK_START = re.compile(r"^\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")


def is_item_heading(heading: Heading, names_section: Callable[[str], bool]) -> bool:
    """A heading that names one change: a pull request, an issue, a ticket or a commit
    (``#### [#1524](https://…) correction du menu``), or any link but to a section name
    (``names_section``): an item of the section it sits in, never a section of its own."""
    if _ITEM.match(heading.text):
        return True
    link = _LINK_START.match(heading.text)
    return link is not None and not names_section(link.group(1))
