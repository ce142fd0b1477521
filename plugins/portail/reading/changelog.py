"""Read a product's CHANGELOG.md (Keep a Changelog, as French writers really write it) into releases.

What real changelogs contain, and what this reader copes with:

- version headings at any level (``#`` to ``####``), with or without brackets, ``v`` prefix, link,
  date (ISO or « 8 septembre 2026 ») after ``-``, ``–``, ``—`` or spaces: ``## [4.2.18] - 2023-12-06``,
  ``# [4.1.0] - 2024-09-27``, ``## 5.0.41 2024-06-20``, ``### [v1.15.3](https://…) - 8 septembre 2026``;
- versions the contract does not allow, published with a warning naming what was read:
  ``## 12 - 2011-11-16`` (12.0.0), ``## [4.1]`` (4.1.0), ``## 15.01`` (15.1.0), ``## 1.2.3.4``
  (shown as written, after 1.2.3), ``## (Servlet)10.8.3`` (10.8.3), ``## 3.0.0-rc4`` (shown as written);
- group headings that only hold versions (``## v1.15`` above ``### [v1.15.3]``): no release;
- section headings at any level too, even *above* the version level (``## [5.1.9]`` then ``# Ajouts``):
  any heading that is not a version, after a version, is a section; levels are compared only among
  the section headings of one release (a deeper one is a subsection, kept in the section's body);
- headings naming one change (``#### [#1524](https://…) correction du menu``): items, kept in the body;
- « Unreleased » / « Non versionné » / « À venir » blocks, read but never published;
- section names that vary in accents, case and number (Évolution / Evolutions / Évolutions), or are
  misspelt (« Corections », with a warning).

No line of text is ever dropped: every non-empty line after the first version heading lands in a
release's intro or section body, in an unreleased block, or is counted in the
``changelog-version-invalid`` finding of the heading it sits under. Bodies are the Markdown as
written, except that nested list items are re-indented to four spaces (``changelog_sections``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model.findings import Finding, Source, error, warning
from ..model.fr import parse_date
from ..model.kb import Release, ReleaseSection, SectionKind, UnreleasedNotes
from ..model.versions import Version, VersionError, parse_loose_version
from .changelog_headings import (
    Heading,
    Line,
    VersionHeading,
    clean,
    is_group_of,
    is_item_heading,
    is_unreleased,
    normalised_findings,
    scan,
    unreleased_title,
    version_heading,
)
from .changelog_sections import KNOWN_SECTION_NAMES, match_section, reindent_lists, section_kind

__all__ = ["KNOWN_SECTION_NAMES", "Changelog", "read_changelog", "read_release_body", "section_kind"]


@dataclass(frozen=True)
class Changelog:
    """What a changelog holds: releases in file order, unreleased blocks, and what to fix."""

    releases: tuple[Release, ...]
    unreleased: tuple[UnreleasedNotes, ...]
    findings: tuple[Finding, ...]


def _block(lines: list[str]) -> str:
    """Markdown lines as written (nested lists re-indented), without the blank lines around them."""
    start, end = _leading_blanks(lines), len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(reindent_lists(lines[start:end]))


def _leading_blanks(lines: list[str]) -> int:
    """How many blank lines ``_block`` drops before the text: the text's first line is the
    block's first line plus this (links in the text are reported at their own line)."""
    count = 0
    while count < len(lines) and not lines[count].strip():
        count += 1
    return count


@dataclass
class _Section:
    title: str
    kind: SectionKind
    level: int
    line: int
    body: list[str] = field(default_factory=list)


@dataclass
class _Block:
    """A version or unreleased block being read; ``title`` is the version or title as written."""

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
    title: str
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
        self.fence_subject = ""  # the block an unclosed code fence opens in

    def source(self, line: int) -> Source:
        return Source(self.path, line)

    def subject(self) -> str:
        return self.current.title if self.current is not None else ""

    def is_page_title(self, heading: VersionHeading) -> bool:
        """In a one-version file, a heading naming that same version before any section."""
        block = self.current
        if self.page_version is None or not isinstance(block, _Block) or block.sections:
            return False
        try:
            return parse_loose_version(heading.number).version == self.page_version
        except VersionError:
            return False

    def read(self, lines: tuple[Line, ...], unclosed_fence: int | None) -> None:
        for index, line in enumerate(lines):
            if line.number == unclosed_fence:
                self.fence_subject = self.subject()
            if line.heading is None:
                self.text_line(line.text)
            else:
                self.heading(line.heading, lines, index)
        self.close()

    # Lines

    def text_line(self, line: str) -> None:
        """A line that is not a heading (or sits in a code block), or an item heading."""
        block = self.current
        if block is None:
            return  # before the first version: the file's title and introduction
        if isinstance(block, _Invalid):
            block.text_lines += bool(line.strip())
        elif block.sections:
            block.sections[-1].body.append(clean(line))
        else:
            block.intro.append(clean(line))

    def heading(self, heading: Heading, lines: tuple[Line, ...], index: int) -> None:
        line, number = lines[index].text, lines[index].number
        version = version_heading(heading)
        if version is not None and self.is_page_title(version):
            # « # Version 1.0.1 » atop the page of version 1.0.1: its title, not a release. An
            # empty line in its place keeps the intro's lines at their numbers in the file.
            self.text_line("")
        elif version is not None and _is_group(heading, version, lines, index):
            self.close()  # « ## v1.15 » above « ### [v1.15.3] »: a group, not a release
        elif version is not None:
            self.close()
            self.start_release(version, number)
        elif is_unreleased(heading):
            self.close()
            self.current = _Block(number, unreleased_title(heading.text), intro_start=number + 1)
        elif isinstance(self.current, _Block):
            sections = self.current.sections
            if is_item_heading(heading, _names_section) or (sections and heading.level > sections[-1].level):
                self.text_line(line)  # an item or a subsection, kept as written
            else:
                sections.append(self.new_section(heading, number))
        # else: before the first version, or under an invalid version (not text: not counted)

    # Blocks

    def start_release(self, heading: VersionHeading, number: int) -> None:
        try:
            loose = parse_loose_version(heading.number)
        except VersionError as problem:
            self.current = _Invalid(number, heading.written, problem.reason)
            return
        self.findings += normalised_findings(self.source(number), heading, loose)
        version = loose.version
        release_date = None
        if heading.rest:
            release_date = _read_date(heading.rest)
            if release_date is None:
                self.findings.append(
                    error(
                        self.source(number),
                        "release-date-unreadable",
                        f"La date « {heading.rest} » de la version {version} est illisible.",
                        "Écrivez la date au format 2026-09-08 ou « 8 septembre 2026 », "
                        "ou retirez-la tant que la version n'est pas publiée.",
                        subject=heading.written,
                    )
                )
        self.current = _Block(number, heading.written, version, release_date, intro_start=number + 1)

    def new_section(self, heading: Heading, number: int) -> _Section:
        match = match_section(heading.text)
        if match is None:
            self.findings.append(
                warning(
                    self.source(number),
                    "changelog-section-unknown",
                    f"Section « {heading.text} » inconnue : elle est publiée sous "
                    f"« {SectionKind.OTHER.label} ».",
                    f"Nommez la section comme une section connue : {KNOWN_SECTION_NAMES}.",
                    subject=self.subject(),
                )
            )
            return _Section(heading.text, SectionKind.OTHER, heading.level, number)
        if match.approximate:
            self.findings.append(
                warning(
                    self.source(number),
                    "changelog-section-approximate",
                    f"Section « {heading.text} » lue comme « {match.kind.label} » : son nom est mal "
                    "orthographié.",
                    f"Corrigez le titre de la section : « {match.kind.label} ».",
                    subject=self.subject(),
                )
            )
        return _Section(heading.text, match.kind, heading.level, number)

    def close(self) -> None:
        block, self.current = self.current, None
        if isinstance(block, _Invalid):
            self.findings.append(_invalid_finding(self.source(block.line), block))
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
                written_version=block.title,
            )
        )


def _names_section(text: str) -> bool:
    return match_section(text) is not None


def _is_group(heading: Heading, version: VersionHeading, lines: tuple[Line, ...], index: int) -> bool:
    """A heading of a version line whose next heading, deeper, with no text between, is a
    version of that line (``## v1.15`` then ``### [v1.15.3]``)."""
    for line in lines[index + 1 :]:
        if line.heading is None:
            if line.text.strip():
                return False  # text under it: a release of its own
            continue
        child = version_heading(line.heading)
        return line.heading.level > heading.level and child is not None and is_group_of(version, child)
    return False


def _invalid_finding(source: Source, block: _Invalid) -> Finding:
    count = block.text_lines
    if count == 0:
        lost = "Aucun texte sous ce titre."
    elif count == 1:
        lost = "1 ligne de texte sous ce titre n'est pas publiée."
    else:
        lost = f"Les {count} lignes de texte sous ce titre ne sont pas publiées."
    return error(
        source,
        "changelog-version-invalid",
        f"« {block.title} » n'est pas une version : {block.reason}. {lost}",
        "Écrivez la version avec trois nombres sans zéro en tête, X.Y.Z (par exemple 4.2.1).",
        subject=block.title,
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
    first, *others = reader.releases
    findings = list(reader.findings)
    for other in others:
        findings.append(
            error(
                other.source,
                "release-file-several-versions",
                f"titre de version « {other.written_version} » dans le fichier de la version {version} : "
                "son texte n'est pas publié",
                "Un fichier par version : déplacez ce texte dans releases/<produit>/"
                f"{other.version}.md, ou reformulez le titre.",
                subject=other.written_version,
            )
        )
    return first.intro, first.intro_line, first.sections, tuple(sorted(findings, key=lambda f: f.source.line))


def _feed(reader: _Reader, text: str, first_line: int) -> None:
    """Give the reader each line of ``text``, numbered from ``first_line``, minding code fences."""
    scanned = scan(text, first_line)
    fence_line = scanned.unclosed_fence[1] if scanned.unclosed_fence else None
    reader.read(scanned.lines, fence_line)
    if scanned.unclosed_fence is not None:
        fence, line = scanned.unclosed_fence
        reader.findings.append(
            warning(
                reader.source(line),
                "changelog-fence-unclosed",
                "Ce bloc de code n'est jamais fermé : tout ce qui le suit, titres de version compris, "
                "est lu comme du code.",
                f"Fermez le bloc par une ligne {fence} à la fin du code.",
                subject=reader.fence_subject,
            )
        )
