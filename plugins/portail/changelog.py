"""Read a product's CHANGELOG.md (Keep a Changelog, as French writers really write it) into releases.

What real changelogs contain, and what this reader copes with:

- version headings at any level (``#`` to ``####``), with or without brackets, ``v`` prefix, link,
  date (ISO or « 8 septembre 2026 ») after ``-``, ``–``, ``—`` or spaces: ``## [4.2.18] - 2023-12-06``,
  ``# [4.1.0] - 2024-09-27``, ``## 5.0.41 2024-06-20``, ``### [v1.15.3](https://…) - 8 septembre 2026``;
- section headings at any level too, even *above* the version level (``## [5.1.9]`` then ``# Ajouts``):
  any heading that is not a version, after a version, is a section; levels are compared only among
  the section headings of one release (a deeper one is a subsection, kept in the section's body);
- « Unreleased » / « Non versionné » / « À venir » blocks, read but never published;
- section names that vary in accents, case and number (Évolution / Evolutions / Évolutions).

No line of text is ever dropped: every non-empty line after the first version heading lands in a
release's intro or section body, in an unreleased block, or is counted in the
``changelog-version-invalid`` finding of the heading it sits under.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .findings import Finding, Source, error, warning
from .fr import parse_date
from .model import Release, ReleaseSection, SectionKind, UnreleasedNotes
from .versions import Version, VersionError, parse_version


@dataclass(frozen=True)
class Changelog:
    """What a changelog holds: releases in file order, unreleased blocks, and what to fix."""

    releases: tuple[Release, ...]
    unreleased: tuple[UnreleasedNotes, ...]
    findings: tuple[Finding, ...]


# --- Lines -------------------------------------------------------------------------------------

_INVISIBLE = "\ufffc"  # OBJECT REPLACEMENT CHARACTER, pasted before bullets by some editors
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str


def _heading(line: str) -> _Heading | None:
    match = _ATX.match(line.replace(_INVISIBLE, ""))
    if not match:
        return None
    text = _CLOSING_HASHES.sub("", match.group(2) or "").strip()
    return _Heading(len(match.group(1)), text)


def _clean(line: str) -> str:
    return line.replace(_INVISIBLE, "")


def _block(lines: list[str]) -> str:
    """Markdown lines as written, without the blank lines around them."""
    start, end = _leading_blanks(lines), len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def _leading_blanks(lines: list[str]) -> int:
    """How many blank lines ``_block`` drops before the text: the text's first line is the
    block's first line plus this (links in the text are reported at their own line)."""
    count = 0
    while count < len(lines) and not lines[count].strip():
        count += 1
    return count


def _fold(text: str) -> str:
    """Lowercase ASCII words: « Évolutions réglementaires » → « evolutions reglementaires »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


# --- Headings: versions, unreleased blocks -----------------------------------------------------

_LOOKS_LIKE_VERSION = re.compile(r"^[vV]?[0-9]+(?:\.[0-9]+)+")
_VERSION_WORD = re.compile(r"^version\s+", re.IGNORECASE)
_SEPARATORS = " \t-–—:"
_UNRELEASED = re.compile(r"unreleased|non (?:versionne|publie)e?s?|a venir")


@dataclass(frozen=True)
class _Label:
    """A heading split into its label (« 4.2.18 », « Unreleased ») and the rest (the date)."""

    label: str
    rest: str


def _split_label(text: str) -> _Label:
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
            return _Label(_VERSION_WORD.sub("", label), rest.strip(_SEPARATORS))
    text = _VERSION_WORD.sub("", text)
    label, _, rest = text.partition(" ")
    return _Label(label.strip().rstrip(",;:"), rest.strip(_SEPARATORS))


def _version_label(heading: _Heading) -> _Label | None:
    """The heading's label when it looks like a version (``v`` then digits and dots), else None."""
    split = _split_label(heading.text)
    return split if _LOOKS_LIKE_VERSION.match(split.label) else None


def _is_unreleased(heading: _Heading) -> bool:
    split = _split_label(heading.text)
    label = split.label if heading.text.startswith("[") else heading.text
    return _UNRELEASED.fullmatch(_fold(label)) is not None


def _unreleased_title(text: str) -> str:
    if text.startswith("[") and "]" in text:
        return text[1 : text.index("]")].strip()
    return text


# --- Section names -----------------------------------------------------------------------------

_E = r"(?:e|s|es)?"  # French agreement: supprimé, supprimée, supprimés, supprimées
# Order matters: « Évolutions réglementaires » is REGULATORY before « Évolutions » is CHANGED,
# « Correctifs de sécurité » is SECURITY before « Correctifs » is FIXED.
_SECTION_NAMES: tuple[tuple[SectionKind, str], ...] = (
    (
        SectionKind.REGULATORY,
        r"(?:(?:evolution|modification|changement|mise a jour)s? )?reglementaires?|reglementation",
    ),
    (SectionKind.SECURITY, r"securite|security|(?:correction|correctif)s? (?:de )?securite"),
    (
        SectionKind.INCOMPATIBILITIES,
        r"incompatibilites?|ruptures? de compatibilite|breaking(?: changes?)?|changements? incompatibles?",
    ),
    (SectionKind.KNOWN_LIMITATIONS, r"limitations?|problemes? connus|known (?:issues|limitations)"),
    (SectionKind.PREREQUISITES, r"pre ?requis|prerequisites?"),
    (SectionKind.MIGRATION, r"migrations?|mises? a jour|notes? de migration"),
    (SectionKind.ADDED, rf"ajouts?|ajoute{_E}|nouveautes?|nouvelles? fonctionnalites?|added"),
    (SectionKind.CHANGED, rf"evolutions?|modifications?|modifie{_E}|ameliorations?|changements?|changed"),
    (SectionKind.FIXED, rf"corrections?|correctifs?|corrige{_E}|fixed|bugs?|bugfix(?:es)?"),
    (
        SectionKind.DEPRECATED,
        rf"depreciations?|deprecie{_E}|deprecated|(?:elements?|fonctionnalites?) deprecie{_E}",
    ),
    (
        SectionKind.REMOVED,
        (
            rf"retraits?|suppressions?|supprime{_E}|retire{_E}|removed"
            rf"|(?:elements?|fonctionnalites?) (?:supprime|retire){_E}"
        ),
    ),
)
_SECTION_PATTERNS = tuple((kind, re.compile(rf"(?:{pattern})(?: |$)")) for kind, pattern in _SECTION_NAMES)
KNOWN_SECTION_NAMES = ", ".join(kind.label for kind in SectionKind if kind is not SectionKind.OTHER)


def section_kind(title: str) -> SectionKind | None:
    """The kind a section title names by its first word(s), or None when it names none."""
    folded = _fold(title)
    for kind, pattern in _SECTION_PATTERNS:
        if pattern.match(folded):
            return kind
    return None


# --- Reading -----------------------------------------------------------------------------------


@dataclass
class _Section:
    title: str
    kind: SectionKind
    level: int
    line: int
    body: list[str] = field(default_factory=list)


@dataclass
class _Block:
    """A version or unreleased block being read."""

    line: int
    title: str
    version: Version | None = None  # None: an unreleased block
    release_date: date | None = None
    intro: list[str] = field(default_factory=list)
    # Line of the file that ``intro[0]`` comes from: every line after the heading lands in the
    # intro or a section, so the lines stay contiguous and each one's number is known.
    intro_start: int = 0
    sections: list[_Section] = field(default_factory=list)


@dataclass
class _Invalid:
    """Lines under a heading whose version does not parse: counted, never published."""

    line: int
    label: str
    reason: str
    text_lines: int = 0


class _Reader:
    def __init__(self, path: str, product: str) -> None:
        self.path = path
        self.product = product
        self.releases: list[Release] = []
        self.unreleased: list[UnreleasedNotes] = []
        self.findings: list[Finding] = []
        self.current: _Block | _Invalid | None = None
        self.page_version: Version | None = None  # set when reading one version's own file

    def source(self, line: int) -> Source:
        return Source(self.path, line)

    def is_page_title(self, label: _Label) -> bool:
        """In a one-version file, a heading naming that same version before any section."""
        block = self.current
        if self.page_version is None or not isinstance(block, _Block) or block.sections:
            return False
        try:
            return parse_version(label.label, allow_short=True).version == self.page_version
        except VersionError:
            return False

    # Lines

    def text_line(self, line: str) -> None:
        """A line that is not a heading (or sits in a code block)."""
        block = self.current
        if block is None:
            return  # before the first version: the file's title and introduction
        if isinstance(block, _Invalid):
            block.text_lines += bool(line.strip())
        elif block.sections:
            block.sections[-1].body.append(_clean(line))
        else:
            block.intro.append(_clean(line))

    def heading(self, heading: _Heading, line: str, number: int) -> None:
        label = _version_label(heading)
        if label is not None and self.is_page_title(label):
            # « # Version 1.0.1 » atop the page of version 1.0.1: its title, not a release. An
            # empty line in its place keeps the intro's lines at their numbers in the file.
            self.text_line("")
            return
        if label is not None:
            self.close()
            self.start_release(label, number)
        elif _is_unreleased(heading):
            self.close()
            self.current = _Block(number, _unreleased_title(heading.text), intro_start=number + 1)
        elif isinstance(self.current, _Block):
            sections = self.current.sections
            if sections and heading.level > sections[-1].level:
                sections[-1].body.append(_clean(line))  # a subsection, kept as written
            else:
                sections.append(self.new_section(heading, number))
        # else: before the first version, or under an invalid version (not text: not counted)

    # Blocks

    def start_release(self, label: _Label, number: int) -> None:
        try:
            parsed = parse_version(label.label, allow_short=True)
        except VersionError as problem:
            self.current = _Invalid(number, label.label, problem.reason)
            return
        if parsed.parts == 2:
            self.findings.append(
                warning(
                    self.source(number),
                    "version-two-parts",
                    f"La version « {label.label} » n'a que deux nombres : elle est lue comme {parsed.version}.",
                    f"Écrivez {parsed.version} : une version a trois nombres, X.Y.Z.",
                )
            )
        release_date = None
        if label.rest:
            release_date = _read_date(label.rest)
            if release_date is None:
                self.findings.append(
                    error(
                        self.source(number),
                        "release-date-unreadable",
                        f"La date « {label.rest} » de la version {parsed.version} est illisible.",
                        "Écrivez la date au format 2026-09-08 ou « 8 septembre 2026 », "
                        "ou retirez-la tant que la version n'est pas publiée.",
                    )
                )
        self.current = _Block(number, label.label, parsed.version, release_date, intro_start=number + 1)

    def new_section(self, heading: _Heading, number: int) -> _Section:
        kind = section_kind(heading.text)
        if kind is None:
            kind = SectionKind.OTHER
            self.findings.append(
                warning(
                    self.source(number),
                    "changelog-section-unknown",
                    f"Section « {heading.text} » inconnue : elle est publiée sous "
                    f"« {SectionKind.OTHER.label} ».",
                    f"Nommez la section comme une section connue : {KNOWN_SECTION_NAMES}.",
                )
            )
        return _Section(heading.text, kind, heading.level, number)

    def close(self) -> None:
        block, self.current = self.current, None
        if isinstance(block, _Invalid):
            count = block.text_lines
            if count == 0:
                lost = "Aucun texte sous ce titre."
            elif count == 1:
                lost = "1 ligne de texte sous ce titre n'est pas publiée."
            else:
                lost = f"Les {count} lignes de texte sous ce titre ne sont pas publiées."
            self.findings.append(
                error(
                    self.source(block.line),
                    "changelog-version-invalid",
                    f"« {block.label} » n'est pas une version : {block.reason}. {lost}",
                    "Écrivez la version avec trois nombres sans zéro en tête, X.Y.Z (par exemple 4.2.1).",
                )
            )
            return
        if block is None:
            return
        sections = tuple(
            ReleaseSection(
                s.kind, s.title, _block(s.body), self.source(s.line), s.line + 1 + _leading_blanks(s.body)
            )
            for s in block.sections
        )
        intro_line = block.intro_start + _leading_blanks(block.intro)
        if block.version is None:
            intro = _block(block.intro)
            if intro:  # UnreleasedNotes has no intro: the text before its first section is a section
                sections = (
                    ReleaseSection(
                        SectionKind.OTHER, block.title, intro, self.source(block.line), intro_line
                    ),
                ) + sections
            self.unreleased.append(
                UnreleasedNotes(self.product, block.title, sections, self.source(block.line))
            )
            return
        self.releases.append(
            Release(
                product=self.product,
                version=block.version,
                date=block.release_date,
                declared_kind=None,
                unpublished=False,
                intro=_block(block.intro),
                sections=sections,
                source=self.source(block.line),
                intro_line=intro_line,
            )
        )


def _read_date(text: str) -> date | None:
    value = text.strip()
    if value.startswith("(") and value.endswith(")"):
        value = value[1:-1]
    return parse_date(value)


def read_changelog(text: str, path: str, product: str) -> Changelog:
    """Read a changelog; ``path`` is the file as writers see it, used by every source and finding."""
    reader = _Reader(path, product)
    _feed(reader, text.removeprefix("\ufeff"), 1)
    reader.close()
    findings = sorted(reader.findings, key=lambda f: f.source.line)
    return Changelog(tuple(reader.releases), tuple(reader.unreleased), tuple(findings))


def read_release_body(
    body: str, path: str, first_line: int, product: str, version: Version
) -> tuple[str, int, tuple[ReleaseSection, ...], tuple[Finding, ...]]:
    """The intro (and the line it starts at) and sections of a per-version release file's body
    (after its front matter), read by the same rules as a changelog; ``first_line`` is the
    body's first line in the file."""
    reader = _Reader(path, product)
    reader.page_version = version
    reader.current = _Block(first_line, str(version), version, None, intro_start=first_line)
    _feed(reader, body, first_line)
    reader.close()
    first, *others = reader.releases
    findings = list(reader.findings)
    for other in others:
        findings.append(
            error(
                other.source,
                "release-file-several-versions",
                f"titre de version « {other.version} » dans le fichier de la version {version} : "
                "son texte n'est pas publié",
                "Un fichier par version : déplacez ce texte dans releases/<produit>/"
                f"{other.version}.md, ou reformulez le titre.",
            )
        )
    return first.intro, first.intro_line, first.sections, tuple(sorted(findings, key=lambda f: f.source.line))


def _feed(reader: _Reader, text: str, first_line: int) -> None:
    """Give the reader each line of ``text``, numbered from ``first_line``, minding code fences."""
    fence: tuple[str, int, int] | None = None  # (character, length, line) of the open code fence
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, raw in enumerate(lines, start=first_line):
        line = raw.removesuffix("\r")
        fence_match = _FENCE.match(_clean(line))
        if fence is not None:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= fence[1]
                and not fence_match.group(2).strip()
            ):
                fence = None
            reader.text_line(line)
            continue
        if fence_match and not (fence_match.group(1)[0] == "`" and "`" in fence_match.group(2)):
            fence = (fence_match.group(1)[0], len(fence_match.group(1)), number)
            reader.text_line(line)
            continue
        heading = _heading(line)
        if heading is None:
            reader.text_line(line)
        else:
            reader.heading(heading, line, number)
    if fence is not None:
        reader.findings.append(
            warning(
                reader.source(fence[2]),
                "changelog-fence-unclosed",
                "Ce bloc de code n'est jamais fermé : tout ce qui le suit, titres de version compris, "
                "est lu comme du code.",
                f"Fermez le bloc par une ligne {fence[0] * fence[1]} à la fin du code.",
            )
        )
