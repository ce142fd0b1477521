"""Classes of version headings real changelogs write, one synthetic changelog each (our own text,
tests/data/changelogs/): every version heading is published, or named by a finding at its own
line; then the bodies as they render (nested lists), section names with typos, and the real
changelogs of ../shared/corpus (every version heading read, no line of text lost)."""

from __future__ import annotations

import html as html_module
import re
from collections import Counter
from datetime import date
from pathlib import Path

import markdown
import pytest

from portail.model.findings import Severity
from portail.model.kb import Release, SectionKind
from portail.model.urls import release_url, slugify
from portail.model.versions import Version, parse_loose_version, parse_reference, parse_version
from portail.reading.changelog import Changelog, read_changelog, read_release_body

DATA = Path(__file__).parent / "data" / "changelogs"
PATH = "kb/releases/tampon/CHANGELOG.md"


def read(name: str) -> Changelog:
    return read_changelog((DATA / name).read_text(encoding="utf-8"), PATH, "tampon")


def findings(changelog: Changelog) -> list[tuple[str, int, str]]:
    """(code, line, subject) of every finding."""
    return [(f.code, f.source.line, f.subject) for f in changelog.findings]


def published(changelog: Changelog) -> list[tuple[str, int, str]]:
    """(name shown, heading line, version as written) of every release."""
    return [(str(r.version), r.source.line, r.written_version) for r in changelog.releases]


def bodies(release: Release) -> list[tuple[SectionKind, str, str]]:
    return [(s.kind, s.title, s.body) for s in release.sections]


# --- Classes of version headings ---------------------------------------------------------------


def test_one_part_versions_are_versions_not_sections_of_the_previous_one() -> None:
    changelog = read("one-part.md")
    assert published(changelog) == [("13.0.0", 3, "13.0.0"), ("12.0.0", 7, "12")]
    twelve = changelog.releases[1]
    assert (twelve.version, twelve.date) == (Version(12, 0, 0), date(2011, 11, 16))
    assert bodies(twelve)[0] == (SectionKind.FIXED, "Corrections", "- Le tampon ne tournait plus")
    # « ## 2 nouvelles fonctionnalités » is no version: a section of 12, with its own warning
    assert bodies(twelve)[1][1] == "2 nouvelles fonctionnalités"
    assert findings(changelog) == [("version-one-part", 7, "12"), ("changelog-section-unknown", 11, "12")]
    finding = changelog.findings[0]
    assert finding.severity is Severity.WARNING
    assert "« 12 »" in finding.message and "12.0.0" in finding.message and "12.0.0" in finding.fix


def test_prefixed_versions_are_published_and_each_heading_has_its_own_finding() -> None:
    changelog = read("prefixed.md")
    assert published(changelog) == [
        ("15.0.0", 3, "15"),
        ("10.8.3", 6, "(Servlet)10.8.3"),
        ("10.8.2", 10, "(Servlet)10.8.2"),
    ]
    assert changelog.releases[0].intro == "Une version sans titre daté."
    assert changelog.releases[1].date == date(2020, 4, 2)
    assert bodies(changelog.releases[1]) == [
        (SectionKind.FIXED, "Corrections", "- La page d'accueil du module web")
    ]
    assert findings(changelog) == [
        ("version-one-part", 3, "15"),
        ("version-prefixed", 6, "(Servlet)10.8.3"),
        ("version-prefixed", 10, "(Servlet)10.8.2"),
    ]
    prefixed = changelog.findings[1]
    assert prefixed.severity is Severity.WARNING
    assert "(Servlet)" in prefixed.message and "10.8.3" in prefixed.message
    assert "10.8.3" in prefixed.fix


def test_zero_padded_versions_are_read_without_the_zeros() -> None:
    changelog = read("zero-padded.md")
    assert published(changelog) == [("15.1.0", 3, "15.01"), ("15.0.9", 7, "15.0.09")]
    assert changelog.releases[0].date == date(2015, 1, 20)
    assert findings(changelog) == [
        ("version-two-parts", 3, "15.01"),
        ("version-zero-padded", 3, "15.01"),
        ("version-zero-padded", 7, "15.0.09"),
    ]
    assert "15.1.0" in changelog.findings[1].message and "15.1.0" in changelog.findings[1].fix


def test_four_part_versions_keep_their_name_and_sort_after_their_three_part_base() -> None:
    changelog = read("four-parts.md")
    assert published(changelog) == [
        ("1.2.4", 3, "1.2.4"),
        ("1.2.3.4", 7, "1.2.3.4"),
        ("1.2.3", 11, "1.2.3"),
    ]
    four = changelog.releases[1].version
    assert four != Version(1, 2, 3) and four.build == 4
    assert Version(1, 2, 3) < four < Version(1, 2, 4)
    assert sorted(r.version for r in changelog.releases) == [Version(1, 2, 3), four, Version(1, 2, 4)]
    assert findings(changelog) == [("version-four-parts", 7, "1.2.3.4")]
    finding = changelog.findings[0]
    assert "1.2.3" in finding.message and "1.2.4" in finding.message


def test_pre_releases_are_shown_as_written_and_equal_their_reference_spelling() -> None:
    changelog = read("pre-release.md")
    assert published(changelog) == [
        ("3.0.0", 3, "3.0.0"),
        ("3.0.0-rc4", 7, "3.0.0-rc4"),
        ("3.0.0-rc.3", 11, "3.0.0-RC.3"),  # a URL slug is lowercase: the same name, lowercased
    ]
    assert findings(changelog) == []
    rc4 = changelog.releases[1].version
    assert rc4 == parse_reference("3.0.0-rc.4").version and hash(rc4) == hash(Version(3, 0, 0, ("rc", 4)))
    assert rc4.canonical == "3.0.0-rc.4"
    assert [str(v) for v in sorted(r.version for r in changelog.releases)] == [
        "3.0.0-rc.3",
        "3.0.0-rc4",
        "3.0.0",
    ]


def test_version_names_are_url_slugs() -> None:
    """``urls.release_url`` names a release's page by ``str(version)``: every name this reader
    can give stays a slug (lowercase ASCII, digits, dots, hyphens) that slugify leaves whole."""
    names = [
        "12",
        "(Servlet)10.8.3",
        "15.01",
        "1.2.3.4",
        "3.0.0-rc4",
        "3.0.0-RC4",
        "v3.0.0-Beta.2",
        "2.0.0-rc-1",
        "1.02.3.04-alpha1",
    ]
    for name in names:
        number = name.removeprefix("(Servlet)")
        version = parse_loose_version(number).version
        assert re.fullmatch(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", str(version)), name
        assert slugify(str(version).replace(".", "-")) == str(version).replace(".", "-")
        release = read_changelog(f"## {name}\n- x\n", PATH, "tampon").releases[0]
        assert release_url(release) == f"release-notes/tampon/{version}/"


def test_groups_of_a_version_line_are_no_release() -> None:
    changelog = read("groups.md")
    assert published(changelog) == [
        ("1.15.3", 5, "v1.15.3"),
        ("1.15.2", 9, "v1.15.2"),
        ("1.14.0", 13, "v1.14"),  # text under it: a version of its own
        ("1.14.1", 16, "v1.14.1"),
    ]
    assert [r.date for r in changelog.releases] == [
        date(2026, 9, 8),
        date(2026, 9, 1),
        None,
        date(2026, 3, 3),
    ]
    assert bodies(changelog.releases[0]) == [(SectionKind.FIXED, "Corrections", "- Le calendrier")]
    assert findings(changelog) == [("version-two-parts", 13, "v1.14")]


def test_pull_request_headings_are_items_of_their_section() -> None:
    changelog = read("items.md")
    assert published(changelog) == [("2.4.0", 3, "2.4.0"), ("2.3.0", 12, "2.3.0")]
    first, second = changelog.releases
    assert bodies(first) == [
        (
            SectionKind.FIXED,
            "Corrections",
            "### [#1524](https://example.org/tampon/pull/1524) correction du menu\n"
            "- Le menu se referme au clic\n"
            "#### [#1530](https://example.org/tampon/pull/1530) correction de l'export\n"
            "- L'export garde les accents",
        ),
        (SectionKind.OTHER, "Divers", "- Un point sans section connue"),
    ]
    assert second.intro == "#### !42 intro sans section"
    assert bodies(second) == [
        (
            SectionKind.ADDED,
            "Ajouts",
            "- Un filtre\n### [Export en PDF](https://example.org/tampon/pull/1601)\n"
            "- Les tampons s'exportent en PDF",
        )
    ]
    # the only finding is the real unknown section, never the items
    assert findings(changelog) == [("changelog-section-unknown", 9, "2.4.0")]


def test_section_names_with_typos_are_read_with_a_warning_naming_what_they_were_read_as() -> None:
    changelog = read("section-typos.md")
    (release,) = changelog.releases
    assert [(s.kind, s.title) for s in release.sections] == [
        (SectionKind.FIXED, "Corections"),
        (SectionKind.CHANGED, "Évolution"),
        (SectionKind.SECURITY, "Corrections de sécurités"),
        (SectionKind.ADDED, "Nouvautés"),
    ]
    assert findings(changelog) == [
        ("changelog-section-approximate", 4, "4.0.1"),
        ("changelog-section-approximate", 10, "4.0.1"),
    ]
    typo = changelog.findings[0]
    assert typo.severity is Severity.WARNING
    assert "Corections" in typo.message and "« Corrections »" in typo.message
    assert "« Ajouts »" in changelog.findings[1].fix


@pytest.mark.parametrize(
    "title, kind, approximate",
    [
        ("Correction", SectionKind.FIXED, False),
        ("Corrections de sécurité", SectionKind.SECURITY, False),
        ("Correctif de sécurités", SectionKind.SECURITY, False),
        ("Mises à jour de sécurité", SectionKind.SECURITY, False),
        ("Sécurités", SectionKind.SECURITY, False),
        ("Suppresions", SectionKind.REMOVED, True),
        ("Ameliorrations", SectionKind.CHANGED, True),
        ("Evolutons", SectionKind.CHANGED, True),
        ("Corections de sécurité", SectionKind.SECURITY, True),
        ("Divers", SectionKind.OTHER, None),
        ("Patch", SectionKind.OTHER, None),
        ("Autres", SectionKind.OTHER, None),
        ("Documentation", SectionKind.OTHER, None),
    ],
)
def test_section_names_singular_plural_and_typos(title: str, kind: SectionKind, approximate) -> None:
    changelog = read_changelog(f"## [1.0.0]\n### {title}\n- x\n", PATH, "tampon")
    assert changelog.releases[0].sections[0].kind is kind
    expected = {True: ["changelog-section-approximate"], False: [], None: ["changelog-section-unknown"]}
    assert [f.code for f in changelog.findings] == expected[approximate]


def test_invalid_versions_have_their_own_finding_and_swallow_no_following_version() -> None:
    changelog = read("invalid-version.md")
    assert published(changelog) == [("4.8.0", 3, "4.8.0"), ("4.7.0", 14, "(Servlet)4.7.0")]
    assert findings(changelog) == [
        ("changelog-version-invalid", 7, "4.7.x"),
        ("changelog-version-invalid", 10, "4.7.1-patch"),
        ("version-prefixed", 14, "(Servlet)4.7.0"),
    ]
    assert "1 ligne de texte" in changelog.findings[0].message
    assert "1 ligne de texte" in changelog.findings[1].message
    assert bodies(changelog.releases[1]) == [(SectionKind.FIXED, "Corrections", "- Un point publié")]


def test_strict_parsing_is_unchanged_for_files_and_references() -> None:
    for text in ("1.2.3.4", "15.01", "12"):
        with pytest.raises(ValueError):
            parse_version(text)
    assert str(parse_version("4.7.11-rc1").version) == "4.7.11-rc1"
    assert parse_reference("4.7.11-rc1").canonical == "4.7.11-rc.1"


# --- Bodies as they render ---------------------------------------------------------------------

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.superfences"]


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def test_nested_lists_render_nested_whether_indented_by_two_or_four_spaces() -> None:
    changelog = read("nested-lists.md")
    (release,) = changelog.releases
    added, changed = release.sections
    assert added.body == (
        "- Connecteurs, voir la [notice](https://example.org/notice) :\n"
        "    - un connecteur `FTP`\n"
        "        - en mode passif\n"
        "    - un connecteur SFTP\n"
        "- Exemple de réglage :\n"
        "\n"
        "```yaml\n"
        "connecteur:\n"
        "  - nom: ftp\n"
        "    mode: passif\n"
        "```"
    )
    assert changed.body == "1. Un écran plus clair\n    - avec un thème sombre\n2. Un tri par date"
    html = render(added.body)
    assert html.count("<ul>") == 3  # the first level, its nested list, the one nested in it
    assert re.search(r"un connecteur <code>FTP</code>\s*<ul>\s*<li>en mode passif</li>", html)
    assert '<a href="https://example.org/notice">notice</a>' in html
    text = html_module.unescape(re.sub(r"<[^>]+>", "", html))
    assert "connecteur:\n  - nom: ftp\n    mode: passif" in text  # the code block, as written
    assert re.search(r"Un écran plus clair\s*<ul>\s*<li>avec un thème sombre</li>", render(changed.body))
    # what the writer wrote, rendered as is, would have flattened the two-space lists
    written = (DATA / "nested-lists.md").read_text(encoding="utf-8").split("### Évolutions")[0]
    assert render(written).count("<ul>") < 3


def test_release_files_bodies_are_re_indented_too() -> None:
    body = "\n## Ajouts\n\n- Un export :\n  - en CSV\n  - en PDF\n\n```\n- a\n  - b\n```\n"
    _intro, _line, sections, problems = read_release_body(
        body, "kb/releases/tampon/2.0.0.md", 5, "tampon", Version(2, 0, 0)
    )
    assert problems == ()
    assert sections[0].body == "- Un export :\n    - en CSV\n    - en PDF\n\n```\n- a\n  - b\n```"
    assert sections[0].body_line == 8
    assert re.search(r"Un export :\s*<ul>\s*<li>en CSV</li>", render(sections[0].body))


# --- The real changelogs of ../shared/corpus ---------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/changelogs"
HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*)$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A version heading, counted without the reader: its first word (brackets, « Version », a
# parenthesised prefix and ``v`` aside) is a number with dots, or a lone number and a date.
NUMBER = re.compile(
    r"^\[?(?:version\s+)?(?:\([^()]*\)\s*)?[vV]?([0-9]+(?:\.[0-9]+)+|[0-9]+(?=\]?(?:\s*[-–—:]?\s*[0-9(]|\s*$)))",
    re.IGNORECASE,
)


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus absent : {CORPUS} (présent en CI, à côté du dépôt)")
    return sorted(CORPUS.glob("*.md"))


def heading_lines(text: str) -> list[tuple[int, int, str | None, str]]:
    """(line, level, version number or None, raw line) of every heading outside code fences,
    and (line, 0, None, raw line) for every other non-blank line."""
    out: list[tuple[int, int, str | None, str]] = []
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        opening = FENCE.match(line.replace("\ufffc", ""))
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append((number, 0, None, line))
            continue
        if opening:
            fence = opening.group(1)
            out.append((number, 0, None, line))
            continue
        heading = HEADING.match(line.replace("\ufffc", ""))
        if heading:
            found = NUMBER.match(heading.group(2).strip())
            out.append((number, len(heading.group(1)), found.group(1) if found else None, line))
        elif line.strip():
            out.append((number, 0, None, line))
    return out


def version_headings(text: str) -> list[int]:
    """Lines of the version headings, group headings (a one- or two-number heading right above a
    deeper version heading of its line, no text between) left out."""
    lines = heading_lines(text)
    versions = []
    for index, (number, level, version, _) in enumerate(lines):
        if version is None or level == 0:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            version.count(".") <= 1
            and following is not None
            and following[1] > level
            and following[2] is not None
            and following[2].startswith(version + ".")
        ):
            continue
        versions.append(number)
    return versions


def published_lines(changelog: Changelog) -> Counter[str]:
    texts = [r.intro for r in changelog.releases]
    texts += [s.body for r in changelog.releases for s in r.sections]
    texts += [s.body for u in changelog.unreleased for s in u.sections]
    stripped = (line.strip() for text in texts for line in text.split("\n"))
    return Counter(line for line in stripped if line and not HEADING.match(line))


def test_corpus_every_version_heading_is_published_and_no_line_is_lost() -> None:
    files = corpus_files()
    assert files, f"aucun changelog dans {CORPUS}"
    for path in files:
        text = path.read_text(encoding="utf-8")
        product = path.name.split(".")[0]
        changelog = read_changelog(text, f"kb/releases/{product}/CHANGELOG.md", product)
        expected = version_headings(text)
        assert [r.source.line for r in changelog.releases] == expected, path.name
        assert not [f for f in changelog.findings if f.code == "changelog-version-invalid"], path.name
        assert all(f.subject for f in changelog.findings), path.name
        lines = text.split("\n")
        first = expected[0] - 1 if expected else len(lines)
        written = Counter(
            line.replace("\ufffc", "").strip()
            for line in lines[first:]
            if line.strip() and not HEADING.match(line.replace("\ufffc", ""))
        )
        assert published_lines(changelog) == written, path.name
