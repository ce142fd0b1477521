"""The changelog reader: CHANGELOG.md as French writers write it → releases, unreleased notes, findings.

Small fixtures first, one per rule (our own text); then the real changelogs of ../shared/corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from portail.model.findings import Severity
from portail.model.kb import SectionKind
from portail.model.versions import Version
from portail.reading.changelog import Changelog, read_changelog

PATH = "kb/releases/tampon/CHANGELOG.md"


def read(text: str) -> Changelog:
    return read_changelog(text, PATH, "tampon")


def codes(changelog: Changelog) -> list[tuple[str, int]]:
    return [(f.code, f.source.line) for f in changelog.findings]


def only_release(text: str):
    changelog = read(text)
    assert len(changelog.releases) == 1, changelog
    return changelog.releases[0]


def published_lines(changelog: Changelog) -> Counter[str]:
    """Non-empty, non-heading lines of every intro, section body and unreleased block, stripped."""
    texts = [r.intro for r in changelog.releases]
    texts += [s.body for r in changelog.releases for s in r.sections]
    texts += [s.body for u in changelog.unreleased for s in u.sections]
    lines = (line.strip() for text in texts for line in text.split("\n"))
    return Counter(line for line in lines if line and not HEADING.match(line))


HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")


# --- Version headings --------------------------------------------------------------------------


def test_version_heading_with_brackets_and_iso_date() -> None:
    release = only_release(
        "# Journal des versions\n\n## [4.2.18] - 2023-12-06\n### Corrections\n- Un bouton grisé\n"
    )
    assert release.version == Version(4, 2, 18)
    assert release.date == date(2023, 12, 6)
    assert release.source.path == PATH and release.source.line == 3


def test_version_heading_at_h1() -> None:
    release = only_release("# [4.1.0] - 2024-09-27\n\n## Ajouts\n\n- Un export CSV des tampons\n")
    assert (release.version, release.date) == (Version(4, 1, 0), date(2024, 9, 27))
    assert [s.kind for s in release.sections] == [SectionKind.ADDED]


def test_version_heading_without_brackets_and_date_after_spaces() -> None:
    release = only_release("## 5.0.41 2024-06-20\n### Corrections\n- Le tri par date\n")
    assert (release.version, release.date) == (Version(5, 0, 41), date(2024, 6, 20))


def test_version_heading_with_link_and_french_date() -> None:
    release = only_release(
        "#### [v1.15.3](https://example.org/x) - 8 septembre 2026\n##### Corrections\n- Le calendrier\n"
    )
    assert (release.version, release.date) == (Version(1, 15, 3), date(2026, 9, 8))


@pytest.mark.parametrize(
    "heading, version, when",
    [
        ("## 4.2.1 - 2023-01-05", Version(4, 2, 1), date(2023, 1, 5)),
        ("## v4.2.1 – 2023-01-05", Version(4, 2, 1), date(2023, 1, 5)),
        ("## V4.2.1 — 2023-01-05", Version(4, 2, 1), date(2023, 1, 5)),
        ("## [V4.2.1]  2023-01-05", Version(4, 2, 1), date(2023, 1, 5)),
        ("### [4.2.1][lien] - 2023-01-05", Version(4, 2, 1), date(2023, 1, 5)),
        ("## [5.0.0-rc.1] - 2025-03-02", Version(5, 0, 0, ("rc", 1)), date(2025, 3, 2)),
        ("## Version 3.3.0 - 2025-03-02", Version(3, 3, 0), date(2025, 3, 2)),
        ("## [3.3.0] - 1er mars 2025", Version(3, 3, 0), date(2025, 3, 1)),
        ("## [3.3.0] - 3 fevrier 2025", Version(3, 3, 0), date(2025, 2, 3)),
        ("## [3.3.0] - 14 août 2025", Version(3, 3, 0), date(2025, 8, 14)),
        ("## [3.3.0] - 14 aout 2025", Version(3, 3, 0), date(2025, 8, 14)),
        ("## [3.3.0] - 2 Décembre 2024", Version(3, 3, 0), date(2024, 12, 2)),
        ("## [3.3.0] - 2 DECEMBRE 2024", Version(3, 3, 0), date(2024, 12, 2)),
        ("## [3.3.0] (2024-12-02)", Version(3, 3, 0), date(2024, 12, 2)),
    ],
)
def test_version_heading_forms_and_dates(heading: str, version: Version, when: date) -> None:
    changelog = read(f"{heading}\n### Corrections\n- Un lien mort\n")
    assert [(r.version, r.date) for r in changelog.releases] == [(version, when)]
    assert changelog.findings == ()


def test_undated_version_has_no_date_and_no_finding() -> None:
    changelog = read("## [5.2.0]\n### Ajouts\n- Le mode sombre\n\n## [5.1.0] -\n### Ajouts\n- Un filtre\n")
    assert [(str(r.version), r.date) for r in changelog.releases] == [("5.2.0", None), ("5.1.0", None)]
    assert changelog.findings == ()


@pytest.mark.parametrize(
    "written", ["2024-??-??", "2023-13-40", "bientôt", "32 mars 2025", "8 brumaire 2026"]
)
def test_unreadable_date_is_an_error_at_its_heading(written: str) -> None:
    changelog = read(f"# Journal\n\n## [4.3.0] - {written}\n### Corrections\n- Un arrondi\n")
    assert changelog.releases[0].date is None
    assert codes(changelog) == [("release-date-unreadable", 3)]
    finding = changelog.findings[0]
    assert finding.severity is Severity.ERROR
    assert written in finding.message and "4.3.0" in finding.message
    assert finding.source.path == PATH


@pytest.mark.parametrize(
    "label, reason",
    # four numbers (10.8.3.1) and zero-padded numbers (2.1.01) are published with a warning now
    # (test_changelog_classes.py); five numbers, letters and unknown suffixes are still not versions
    [("10.8.3.1.5", "5 nombres"), ("2.1.x", "que des nombres"), ("3.2.1-patch", "suffixe")],
)
def test_invalid_version_is_an_error_and_says_how_many_lines_are_not_published(
    label: str, reason: str
) -> None:
    changelog = read(
        "## [3.3.0] - 2025-05-02\n### Corrections\n- Une faute d'orthographe\n\n"
        f"## [{label}] - 2025-04-01\n"
        "Une phrase d'introduction.\n\n"
        "### Ajouts\n- Premier point\n- Deuxième point\n\n"
        "## [3.1.0] - 2025-03-01\n### Ajouts\n- Un point sans rapport\n"
    )
    assert [str(r.version) for r in changelog.releases] == ["3.3.0", "3.1.0"]
    assert codes(changelog) == [("changelog-version-invalid", 5)]
    finding = changelog.findings[0]
    assert finding.severity is Severity.ERROR
    assert label in finding.message and reason in finding.message
    assert "Les 3 lignes de texte sous ce titre ne sont pas publiées" in finding.message
    # the lines of the invalid version went nowhere else
    assert "- Premier point" not in published_lines(changelog)


def test_invalid_version_with_one_line_says_one_line() -> None:
    changelog = read("## 1.2.3.4.5\n- Seul point\n")
    assert changelog.releases == ()
    assert codes(changelog) == [("changelog-version-invalid", 1)]
    assert "1 ligne de texte sous ce titre n'est pas publiée" in changelog.findings[0].message


def test_invalid_version_without_text_says_so() -> None:
    changelog = read(
        "## [2.0.x] - 2025-01-01\n### Ajouts\n\n## [2.0.0] - 2024-12-01\n### Ajouts\n- Un point\n"
    )
    assert [str(r.version) for r in changelog.releases] == ["2.0.0"]
    assert codes(changelog) == [("changelog-version-invalid", 1)]
    assert "Aucun texte sous ce titre" in changelog.findings[0].message


def test_two_part_version_is_read_as_x_y_0_with_a_warning() -> None:
    changelog = read(
        "## [4.2.0] - 2022-05-01\n### Corrections\n- A\n## [4.1] - 2022-03-01\n### Ajouts\n- B\n"
    )
    assert [str(r.version) for r in changelog.releases] == ["4.2.0", "4.1.0"]
    assert codes(changelog) == [("version-two-parts", 4)]
    finding = changelog.findings[0]
    assert finding.severity is Severity.WARNING
    assert "écrivez 4.1.0" in finding.fix.lower()


def test_releases_are_in_file_order_never_unpublished_nor_kind_declared() -> None:
    changelog = read(
        "## [5.1.1] - 2024-02-01\n### Corrections\n- A\n"
        "## [5.0.9] - 2024-02-01\n### Corrections\n- B\n"
        "## [5.1.0] - 2024-01-01\n### Ajouts\n- C\n"
    )
    assert [str(r.version) for r in changelog.releases] == ["5.1.1", "5.0.9", "5.1.0"]
    assert [r.source.line for r in changelog.releases] == [1, 4, 7]
    assert all(
        r.product == "tampon" and r.declared_kind is None and not r.unpublished for r in changelog.releases
    )


# --- Before the first version, unreleased blocks -----------------------------------------------


def test_title_and_text_before_the_first_version_are_ignored() -> None:
    changelog = read(
        "Journal\n=======\n\n# Changelog\n\nToutes les nouveautés de Tampon.\n\n## Format\n\nUn paragraphe.\n\n"
        "## [1.0.0] - 2025-01-10\n### Ajouts\n- Première version\n"
    )
    assert [str(r.version) for r in changelog.releases] == ["1.0.0"]
    assert changelog.releases[0].intro == ""
    assert changelog.findings == ()


@pytest.mark.parametrize(
    "heading",
    [
        "[Unreleased]",
        "Unreleased",
        "Non versionné",
        "[non publié]",
        "Non publié",
        "À venir",
        "A VENIR",
        "non versionne",
    ],
)
def test_unreleased_blocks_are_read_never_published(heading: str) -> None:
    changelog = read(
        f"# Journal\n\n## {heading}\n### Ajouts\n- Un futur export\n\n"
        "## [2.0.0] - 2025-06-01\n### Ajouts\n- Un présent import\n"
    )
    assert [str(r.version) for r in changelog.releases] == ["2.0.0"]
    (notes,) = changelog.unreleased
    assert notes.product == "tampon" and notes.source.line == 3
    assert notes.title == heading.strip("[]")
    assert [(s.kind, s.body) for s in notes.sections] == [(SectionKind.ADDED, "- Un futur export")]
    assert changelog.findings == ()


def test_unreleased_text_before_its_first_section_is_kept() -> None:
    changelog = read("## [Non publié]\nPrévu pour l'automne.\n### Corrections\n- Un libellé\n")
    (notes,) = changelog.unreleased
    assert [(s.kind, s.title, s.body) for s in notes.sections] == [
        (SectionKind.OTHER, "Non publié", "Prévu pour l'automne."),
        (SectionKind.FIXED, "Corrections", "- Un libellé"),
    ]


def test_a_heading_that_merely_mentions_what_is_coming_is_a_section() -> None:
    release = only_release("## [2.0.0] - 2025-06-01\n### À venir dans la 2.1\n- Un tableau de bord\n")
    assert [s.title for s in release.sections] == ["À venir dans la 2.1"]


# --- Section names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, kind",
    [
        ("Ajouts", SectionKind.ADDED),
        ("Ajout", SectionKind.ADDED),
        ("Nouveautés", SectionKind.ADDED),
        ("nouveaute", SectionKind.ADDED),
        ("Added", SectionKind.ADDED),
        ("Évolutions", SectionKind.CHANGED),
        ("Evolution", SectionKind.CHANGED),
        ("ÉVOLUTIONS", SectionKind.CHANGED),
        ("Modifications", SectionKind.CHANGED),
        ("Changed", SectionKind.CHANGED),
        ("Améliorations", SectionKind.CHANGED),
        ("amelioration", SectionKind.CHANGED),
        ("Corrections", SectionKind.FIXED),
        ("Correction", SectionKind.FIXED),
        ("Correctifs", SectionKind.FIXED),
        ("Fixed", SectionKind.FIXED),
        ("Bugs", SectionKind.FIXED),
        ("Bug", SectionKind.FIXED),
        ("Sécurité", SectionKind.SECURITY),
        ("securite", SectionKind.SECURITY),
        ("Security", SectionKind.SECURITY),
        ("Réglementaire", SectionKind.REGULATORY),
        ("Évolutions réglementaires", SectionKind.REGULATORY),
        ("Evolution reglementaire", SectionKind.REGULATORY),
        ("Mise à jour réglementaire", SectionKind.REGULATORY),
        ("Correctifs de sécurité", SectionKind.SECURITY),
        ("Dépréciations", SectionKind.DEPRECATED),
        ("Dépréciation", SectionKind.DEPRECATED),
        ("Déprécié", SectionKind.DEPRECATED),
        ("Deprecated", SectionKind.DEPRECATED),
        ("Éléments dépréciés", SectionKind.DEPRECATED),
        ("Retraits", SectionKind.REMOVED),
        ("Suppressions", SectionKind.REMOVED),
        ("Suppression", SectionKind.REMOVED),
        ("Supprimé", SectionKind.REMOVED),
        ("Removed", SectionKind.REMOVED),
        ("Incompatibilités", SectionKind.INCOMPATIBILITIES),
        ("Ruptures de compatibilité", SectionKind.INCOMPATIBILITIES),
        ("Rupture de compatibilité", SectionKind.INCOMPATIBILITIES),
        ("Breaking changes", SectionKind.INCOMPATIBILITIES),
        ("Limitations connues", SectionKind.KNOWN_LIMITATIONS),
        ("Limitation connue", SectionKind.KNOWN_LIMITATIONS),
        ("Limitations", SectionKind.KNOWN_LIMITATIONS),
        ("Problèmes connus", SectionKind.KNOWN_LIMITATIONS),
        ("Prérequis", SectionKind.PREREQUISITES),
        ("Pré-requis", SectionKind.PREREQUISITES),
        ("Migration", SectionKind.MIGRATION),
        ("Mise à jour", SectionKind.MIGRATION),
        ("Notes de migration", SectionKind.MIGRATION),
        ("**Corrections**", SectionKind.FIXED),
        ("Corrections ##", SectionKind.FIXED),
    ],
)
def test_section_names_are_normalized(title: str, kind: SectionKind) -> None:
    changelog = read(f"## [1.0.0] - 2025-01-10\n### {title}\n- Un point\n")
    (section,) = changelog.releases[0].sections
    assert section.kind is kind
    assert changelog.findings == ()


def test_regulatory_evolutions_are_not_plain_evolutions() -> None:
    release = only_release(
        "## [1.0.0] - 2025-01-10\n### Évolutions réglementaires\n- Nouveau barème\n### Évolutions\n- Un menu\n"
    )
    assert [s.kind for s in release.sections] == [SectionKind.REGULATORY, SectionKind.CHANGED]


def test_section_title_is_kept_as_written() -> None:
    release = only_release("## [1.0.0] - 2025-01-10\n### Dépréciations en faveur des nouveaux modèles\n- A\n")
    (section,) = release.sections
    assert section.kind is SectionKind.DEPRECATED
    assert section.title == "Dépréciations en faveur des nouveaux modèles"


def test_unknown_section_is_other_with_its_title_and_a_warning_naming_the_known_names() -> None:
    changelog = read("## [1.0.0] - 2025-01-10\n### Ajouts\n- A\n\n### Divers\n- Un mot\n")
    assert [(s.kind, s.title) for s in changelog.releases[0].sections] == [
        (SectionKind.ADDED, "Ajouts"),
        (SectionKind.OTHER, "Divers"),
    ]
    assert codes(changelog) == [("changelog-section-unknown", 5)]
    finding = changelog.findings[0]
    assert finding.severity is Severity.WARNING and "Divers" in finding.message
    for known in (
        "Ajouts",
        "Évolutions",
        "Corrections",
        "Sécurité",
        "Réglementaire",
        "Dépréciations",
        "Retraits",
        "Incompatibilités",
        "Limitations connues",
        "Prérequis",
        "Migration",
    ):
        assert known in finding.fix


# --- Structure: intro, sections, subsections ---------------------------------------------------


def test_intro_is_the_text_between_the_version_and_its_first_section() -> None:
    release = only_release(
        "## [2.1.0] - 2025-02-01\n\n**Cette version demande une mise à jour de la base.**\n\n"
        "Lisez la notice avant.\n\n### Ajouts\n- A\n"
    )
    assert release.intro == "**Cette version demande une mise à jour de la base.**\n\nLisez la notice avant."


def test_a_release_without_sections_keeps_its_text_as_intro() -> None:
    release = only_release("## [2.1.1] - 2025-02-03\n- Une correction isolée\n")
    assert release.intro == "- Une correction isolée" and release.sections == ()


def test_section_bodies_are_markdown_as_written_without_surrounding_blank_lines() -> None:
    release = only_release(
        "## [2.1.0] - 2025-02-01\n### Ajouts\n\n- Connecteurs :\n  - Un connecteur FTP\n    (expérimental)  \n\n"
        "Un paragraphe après la liste.\n\n\n### Corrections\n- B\n\n\n"
    )
    assert [(s.title, s.body) for s in release.sections] == [
        (
            "Ajouts",
            # a list nested by two spaces is re-indented to four, so that it renders nested
            "- Connecteurs :\n    - Un connecteur FTP\n      (expérimental)  \n\nUn paragraphe après la liste.",
        ),
        ("Corrections", "- B"),
    ]
    assert [s.source.line for s in release.sections] == [2, 11]


def test_a_deeper_heading_is_a_subsection_kept_in_the_section_body() -> None:
    release = only_release(
        "## [3.0.0] - 2025-04-01\n### Ajouts\n#### Côté agent\n- A\n#### Côté administrateur\n- B\n"
        "### Corrections\n- C\n"
    )
    assert [(s.kind, s.body) for s in release.sections] == [
        (SectionKind.ADDED, "#### Côté agent\n- A\n#### Côté administrateur\n- B"),
        (SectionKind.FIXED, "- C"),
    ]


def test_a_same_or_shallower_heading_starts_a_new_section() -> None:
    release = only_release(
        "### [3.0.0] - 2025-04-01\n#### Ajouts\n- A\n## Corrections\n- B\n## Sécurité\n- C\n#### Détail\n- C1\n"
    )
    assert [(s.kind, s.body) for s in release.sections] == [
        (SectionKind.ADDED, "- A"),
        (SectionKind.FIXED, "- B"),
        (SectionKind.SECURITY, "- C\n#### Détail\n- C1"),
    ]


def test_sections_written_above_the_version_level_belong_to_the_release() -> None:
    changelog = read(
        "## [5.1.0] - 2024-10-01\n[5.1.0]: https://example.org/tampon-5.1.0.tar.gz\n\n"
        "# Ajouts\n\n- Un tri\n\n## Détail\n- Par date\n\n# Corrections\n\n- Un arrondi\n\n# Suppressions\n- Un écran\n\n"
        "## [5.0.9] - 2024-09-01\n### Corrections\n- Une marge\n"
    )
    assert [str(r.version) for r in changelog.releases] == ["5.1.0", "5.0.9"]
    first = changelog.releases[0]
    assert first.intro == "[5.1.0]: https://example.org/tampon-5.1.0.tar.gz"
    assert [(s.kind, s.title, s.body) for s in first.sections] == [
        (SectionKind.ADDED, "Ajouts", "- Un tri\n\n## Détail\n- Par date"),
        (SectionKind.FIXED, "Corrections", "- Un arrondi"),
        (SectionKind.REMOVED, "Suppressions", "- Un écran"),
    ]
    assert changelog.findings == ()


def test_invisible_object_replacement_characters_are_removed() -> None:
    release = only_release(
        "## [1.0.1] - 2025-01-12\n### Correction\n\ufffc- Un export vide\n\ufffc- Un titre\n"
    )
    assert release.sections[0].body == "- Un export vide\n- Un titre"


def test_fenced_code_lines_are_never_headings() -> None:
    release = only_release(
        "## [1.1.0] - 2025-01-20\n### Migration\n```bash\n# 2.0.0 sauvegarder d'abord\nmake save\n```\n"
        "~~~~\n## Corrections\n```\n~~~~\n- Les ```commandes``` de test\n"
    )
    (section,) = release.sections
    assert section.kind is SectionKind.MIGRATION
    assert section.body.split("\n") == [
        "```bash",
        "# 2.0.0 sauvegarder d'abord",
        "make save",
        "```",
        "~~~~",
        "## Corrections",
        "```",
        "~~~~",
        "- Les ```commandes``` de test",
    ]


def test_an_unclosed_code_block_is_a_warning() -> None:
    changelog = read("## [1.1.0] - 2025-01-20\n### Migration\n```\nmake save\n## [1.0.0] - 2025-01-01\n")
    assert [str(r.version) for r in changelog.releases] == ["1.1.0"]
    assert codes(changelog) == [("changelog-fence-unclosed", 3)]


def test_windows_line_endings_and_byte_order_mark() -> None:
    changelog = read("\ufeff## [1.0.0] - 2025-01-10\r\n### Ajouts\r\n- Un point\r\n")
    assert [(str(r.version), r.sections[0].body) for r in changelog.releases] == [("1.0.0", "- Un point")]


def test_no_line_of_text_is_lost() -> None:
    text = (
        "# Journal\nIgnoré.\n\n## [Unreleased]\nBientôt.\n### Ajouts\n- Futur\n\n"
        "## [2.0.0] - 2025-06-01\nIntro.\n### Ajouts\n- A\n#### Détail\n- A1\n### Divers\n- D\n"
        "## [1.9.9.9.9] - 2025-05-01\n- Perdu mais compté\n- Aussi\n"
        "## [1.0.0]\n\ufffc- Sans section\n"
    )
    changelog = read(text)
    expected = Counter(
        line.replace("\ufffc", "").strip()
        for line in text.split("\n")[3:]
        if line.strip() and not HEADING.match(line)
    )
    counted = Counter({"- Perdu mais compté": 1, "- Aussi": 1})
    assert "2 lignes de texte" in next(
        f.message for f in changelog.findings if f.code == "changelog-version-invalid"
    )
    assert published_lines(changelog) + counted == expected


def test_every_source_is_the_given_path_with_a_1_based_line() -> None:
    changelog = read(
        "## [1.0.0] - 2025-01-10\n### Ajouts\n- A\n### Autre chose\n- B\n## [0.9] - 2024-12-01\n"
    )
    sources = [r.source for r in changelog.releases] + [
        s.source for r in changelog.releases for s in r.sections
    ]
    sources += [f.source for f in changelog.findings]
    assert {s.path for s in sources} == {PATH}
    assert sorted(s.line for s in sources) == [1, 2, 4, 4, 6, 6]


# --- The real changelogs of ../shared/corpus ---------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/changelogs"
EXPECTED_VERSIONS = {"pastell": 66, "iparapheur-v5": 43, "idelibre": 32}
# Independent of the reader: a heading line whose first token (brackets aside) is v?digits.digits…
VERSION_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+\[?[vV]?([0-9]+(?:\.[0-9]+)+)\]?(?:[ \t]|$)")


def corpus_text(product: str) -> str:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus absent : {CORPUS} (présent en CI, à côté du dépôt)")
    return (CORPUS / f"{product}.CHANGELOG.md").read_text(encoding="utf-8")


def corpus(product: str) -> Changelog:
    return read_changelog(corpus_text(product), f"kb/releases/{product}/CHANGELOG.md", product)


def lines_matching(text: str, pattern: str) -> list[int]:
    return [n for n, line in enumerate(text.split("\n"), start=1) if re.match(pattern, line)]


@pytest.mark.parametrize("product", sorted(EXPECTED_VERSIONS))
def test_corpus_every_version_heading_is_read(product: str) -> None:
    text = corpus_text(product)
    changelog = corpus(product)
    independent = [
        (n, m.group(1)) for n, line in enumerate(text.split("\n"), start=1) if (m := VERSION_LINE.match(line))
    ]
    print(
        f"\n{product} : {len(changelog.releases)} versions lues, {len(independent)} titres de version comptés ;"
        f" constats {dict(Counter(f.code for f in changelog.findings))}"
    )
    assert len(independent) == EXPECTED_VERSIONS[product]
    assert len(changelog.releases) == EXPECTED_VERSIONS[product]
    # same headings, same numbers (4.1 read as 4.1.0)
    written = [(n, v if v.count(".") == 2 else f"{v}.0") for n, v in independent]
    assert [(r.source.line, str(r.version)) for r in changelog.releases] == written
    assert changelog.unreleased == ()


@pytest.mark.parametrize("product", sorted(EXPECTED_VERSIONS))
def test_corpus_no_text_is_lost(product: str) -> None:
    text = corpus_text(product)
    changelog = corpus(product)
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if VERSION_LINE.match(line))
    expected = Counter(
        line.replace("\ufffc", "").strip()
        for line in lines[first:]
        if line.strip() and not HEADING.match(line)
    )
    assert published_lines(changelog) == expected
    assert not any("\ufffc" in s.body for r in changelog.releases for s in r.sections)


def test_corpus_pastell_sections_are_all_known() -> None:
    changelog = corpus("pastell")
    assert [
        (str(r.version), s.title)
        for r in changelog.releases
        for s in r.sections
        if s.kind is SectionKind.OTHER
    ] == []
    newest = changelog.releases[0]
    deprecated = [s.title for s in newest.sections if s.kind is SectionKind.DEPRECATED]
    assert len(deprecated) == 2 and deprecated[0] == "Dépréciation"
    assert deprecated[1].startswith("Dépréciations au profit")  # title kept as written
    kinds_by_version = {str(r.version): [s.kind for s in r.sections] for r in changelog.releases}
    assert SectionKind.KNOWN_LIMITATIONS in kinds_by_version["4.0.0"]  # « Limitations »
    assert kinds_by_version["2.0.1"][-1] is SectionKind.DEPRECATED  # « Elements dépréciés »
    assert changelog.findings == ()
    undated = [str(r.version) for r in changelog.releases if r.date is None]
    assert undated == ["2.0.15"]


def test_corpus_iparapheur_h1_sections_belong_to_their_h2_version() -> None:
    text = corpus_text("iparapheur-v5")
    changelog = corpus("iparapheur-v5")
    h1 = lines_matching(text, r"^# (Ajouts|Corrections|Suppressions)\s*$")
    assert len(h1) == 7
    section_lines = {s.source.line for r in changelog.releases for s in r.sections}
    assert set(h1) <= section_lines
    by_version = {str(r.version): r for r in changelog.releases}
    assert [s.kind for s in by_version["5.1.9"].sections] == [
        SectionKind.ADDED,
        SectionKind.FIXED,
        SectionKind.REMOVED,
    ]
    assert [s.kind for s in by_version["5.2.0"].sections] == [SectionKind.ADDED]
    # the only unknown section name is « Patch », twice, each with its warning
    patch = lines_matching(text, r"^#+ Patch\s*$")
    others = [
        (s.source.line, s.title)
        for r in changelog.releases
        for s in r.sections
        if s.kind is SectionKind.OTHER
    ]
    assert others == [(n, "Patch") for n in patch] and len(patch) == 2
    assert codes(changelog) == [("changelog-section-unknown", n) for n in patch]


def test_corpus_iparapheur_undated_version_has_no_finding_from_this_reader() -> None:
    changelog = corpus("iparapheur-v5")
    (undated,) = [r for r in changelog.releases if r.date is None]
    assert str(undated.version) == "5.2.0"
    assert [f for f in changelog.findings if f.source.line == undated.source.line] == []


def test_corpus_idelibre_two_part_version_and_placeholder_dates() -> None:
    text = corpus_text("idelibre")
    changelog = corpus("idelibre")
    two_parts = lines_matching(text, r"^#+ \[4\.1\]")
    placeholders = lines_matching(text, r"^#+ .*\?\?")
    assert len(two_parts) == 1 and len(placeholders) == 2
    assert sorted(codes(changelog), key=lambda c: c[1]) == sorted(
        [("version-two-parts", n) for n in two_parts]
        + [("release-date-unreadable", n) for n in placeholders],
        key=lambda c: c[1],
    )
    assert [str(r.version) for r in changelog.releases if r.date is None] == ["4.3.0", "4.2.19"]
    assert "4.1.0" in [str(r.version) for r in changelog.releases]
    kinds = {s.kind for r in changelog.releases for s in r.sections}
    assert kinds == {SectionKind.ADDED, SectionKind.CHANGED, SectionKind.FIXED, SectionKind.REMOVED}
