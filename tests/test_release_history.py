"""A product's release history (issue 11): numbering restarts (the latest release is the newest
of the current numbering; a restart is reported once, or declared in the catalogue), version
order across lines (real inversions, not maintained lines), fixes that respect what is already
published (acknowledge in the baseline, never a colliding number), and empty releases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import NOW, ROOT, make_kb
from portail.checks.analyse import analyse
from portail.checks.nomenclature import check_releases
from portail.checks.release_history import History, numbering
from portail.model.findings import Source
from portail.model.kb import Product, Release, ReleaseSection, SectionKind
from portail.model.versions import parse_version
from portail.pages.release_view import by_line, release_views

BASELINE_HINT = "portail check --write-baseline"


def release(
    version: str,
    day: date | None,
    sections: tuple[SectionKind, ...] = (SectionKind.FIXED,),
    *,
    line: int = 1,
    path: str = "kb/releases/outil/notes.md",
    intro: str = "",
    body: str = "- texte",
    unpublished: bool = False,
) -> Release:
    return Release(
        product="outil",
        version=parse_version(version).version,
        date=day,
        declared_kind=None,
        unpublished=unpublished,
        intro=intro,
        sections=tuple(
            ReleaseSection(kind, kind.label, body, Source(path, line + 2 + i))
            for i, kind in enumerate(sections)
        ),
        source=Source(path, line),
    )


def product(*restarts: str) -> Product:
    return Product(
        slug="outil",
        name="Outil",
        code="OU",
        aliases=(),
        section="libriciels",
        description="",
        support_queue="SUPPORT_outil",
        source=Source("kb/catalogue.yml", 5),
        numbering_restarts=tuple(parse_version(v).version for v in restarts),
        numbering_restarts_source=Source("kb/catalogue.yml", 9) if restarts else None,
    )


def found(findings, code: str) -> list:
    return [f for f in findings if f.code == code]


# -- 1. numbering restarts ----------------------------------------------------------------------

MAJOR = (SectionKind.MIGRATION, SectionKind.PREREQUISITES)
RESTART = [
    release("13.2.0", date(2013, 5, 2), (SectionKind.ADDED,), line=10),
    release("14.0.0", date(2014, 1, 10), MAJOR, line=20),
    release("15.1.0", date(2014, 11, 3), MAJOR, line=30),
    release("2.0.0", date(2015, 6, 1), MAJOR, line=40),
    release("2.0.1", date(2015, 9, 1), line=50),
    release("3.0.0", date(2018, 2, 1), MAJOR, line=60),
    release("5.1.2", date(2025, 3, 4), line=70),
    release("5.1.1", date(2024, 12, 4), line=80),
    release("5.1.0", date(2024, 6, 4), (SectionKind.ADDED,), line=90),
    release("5.0.0", date(2023, 6, 4), MAJOR, line=100),
    release("4.0.0", date(2021, 6, 4), MAJOR, line=110),
]


def test_a_restart_is_detected_once_at_the_first_release_of_the_new_numbering() -> None:
    findings = check_releases(RESTART)
    (restart,) = found(findings, "numbering-restart")
    assert restart.source.line == 40 and restart.subject == "2.0.0" and not restart.is_error
    assert "repart de 2.0.0" in restart.message and "15.1.0" in restart.message
    assert "numbering_restarts: [2.0.0]" in restart.fix
    # Kinds bump within each numbering: no inversion, no gap, no kind finding across the drop.
    assert [f.code for f in findings] == ["numbering-restart"]


def test_a_declared_restart_is_no_finding() -> None:
    assert check_releases(RESTART, [product("2.0.0")]) == []


def test_declared_restarts_must_name_a_release_where_the_numbers_drop() -> None:
    (unknown,) = check_releases(RESTART, [product("2.0.0", "2.5.0")])
    assert (unknown.code, unknown.source.line, unknown.subject) == ("numbering-restart-unknown", 9, "2.5.0")
    assert unknown.is_error
    findings = check_releases(RESTART, [product("2.0.0", "4.0.0")])
    (no_drop,) = findings
    assert (no_drop.code, no_drop.subject) == ("numbering-restart-without-drop", "4.0.0")


def test_maintenance_of_an_older_major_is_no_restart() -> None:
    # 4.7.12 after 5.0.0: major 4 already has releases, and 5.x goes on.
    releases = [
        release("4.7.11", date(2025, 1, 1)),
        release("5.0.0", date(2025, 3, 1), MAJOR),
        release("4.7.12", date(2025, 4, 1)),
        release("4.7.13", date(2025, 5, 1)),
        release("5.0.1", date(2025, 6, 1)),
    ]
    assert numbering(releases).restarts == ()
    assert check_releases(releases) == []


CATALOGUE_KEY = "        support_queue: SUPPORT_lsmessage\n"


def restart_kb(tmp_path: Path, declared: str | None = None) -> Path:
    files = {}
    for number, day in [
        ("13.2.0", "2013-05-02"),
        ("15.1.0", "2014-11-03"),
        ("2.0.0", "2015-06-01"),
        ("2.1.0", "2016-06-01"),
        ("5.1.2", "2025-03-04"),
    ]:
        files[f"releases/lsmessage/{number}.md"] = (
            f"---\ndate: {day}\n---\n\nVersion {number}.\n\n## Migration\n\n- a\n\n## Prérequis\n\n- b\n"
        )
    kb = make_kb(tmp_path, files)
    if declared is not None:
        catalogue = kb / "catalogue.yml"
        text = catalogue.read_text(encoding="utf-8")
        assert CATALOGUE_KEY in text
        catalogue.write_text(
            text.replace(CATALOGUE_KEY, CATALOGUE_KEY + f"        numbering_restarts: {declared}\n"), "utf-8"
        )
    return kb


def catalogue_line(kb: Path, key: str) -> int:
    lines = (kb / "catalogue.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.strip().startswith(f"{key}:"))


def test_after_a_restart_the_latest_release_is_the_newest_of_the_current_numbering(tmp_path: Path) -> None:
    from portail.pages.generate import generate_pages

    analysis = analyse(restart_kb(tmp_path), tmp_path, now=NOW)
    (restart,) = found(analysis.findings, "numbering-restart")
    assert (restart.source.path, restart.source.line) == ("kb/releases/lsmessage/2.0.0.md", 1)
    lsmessage = analysis.kb.product("lsmessage")
    views = release_views(analysis.kb, lsmessage)
    # Every version stays published; the old numbering comes below the current one.
    assert [str(v.release.version) for v in views] == ["5.1.2", "2.1.0", "2.0.0", "15.1.0", "13.2.0"]
    assert [str(v.release.version) for v in views if v.is_latest] == ["5.1.2"]
    assert [str(line) for line, _ in by_line(views)] == ["5.1", "2.1", "2.0", "15.1", "13.2"]
    assert views[2].previous is not None and str(views[2].previous.version) == "15.1.0"
    pages = {
        page.url: page.markdown for page in generate_pages(analysis.kb, NOW, {"ticket": "https://t.example/"})
    }
    home = pages[""]
    assert "LSmessage : <a" in home and "version 5.1.2" in home and "version 15.1.0" not in home


def test_the_catalogue_declares_a_restart_with_its_line(tmp_path: Path) -> None:
    kb = restart_kb(tmp_path, "[2.0.0]")
    analysis = analyse(kb, tmp_path, now=NOW)
    lsmessage = analysis.kb.product("lsmessage")
    assert [str(v) for v in lsmessage.numbering_restarts] == ["2.0.0"]
    assert lsmessage.numbering_restarts_source == Source(
        "kb/catalogue.yml", catalogue_line(kb, "numbering_restarts")
    )
    assert not found(analysis.findings, "unknown-field")
    assert not found(check_releases(analysis.kb.releases, analysis.kb.products), "numbering-restart")
    views = release_views(analysis.kb, lsmessage)
    assert [str(v.release.version) for v in views if v.is_latest] == ["5.1.2"]


def test_a_declared_restart_gives_no_finding_in_portail_check(tmp_path: Path) -> None:
    analysis = analyse(restart_kb(tmp_path, "[2.0.0]"), tmp_path, now=NOW)
    assert not found(analysis.findings, "numbering-restart")


@pytest.mark.parametrize("value", ["2.0", "[2.0.0, deux]", "2.0.0.1"])
def test_an_unreadable_declared_restart_is_an_invalid_field_at_its_line(tmp_path: Path, value: str) -> None:
    kb = restart_kb(tmp_path, value)
    analysis = analyse(kb, tmp_path, now=NOW)
    (invalid,) = found(analysis.findings, "invalid-field")
    assert invalid.source == Source("kb/catalogue.yml", catalogue_line(kb, "numbering_restarts"))
    assert "numbering_restarts" in invalid.message and "2.0.0" in invalid.fix


# -- 2. version order across lines --------------------------------------------------------------


def test_a_lower_version_dated_after_a_higher_line_is_an_inversion() -> None:
    releases = [
        release("0.9.41", date(2019, 12, 1), line=10),
        release("0.10.0", date(2020, 1, 6), (SectionKind.ADDED,), line=20),
        release("0.10.1", date(2020, 2, 3), line=30),
        release("0.9.42", date(2020, 3, 2), line=40),
    ]
    findings = check_releases(releases)
    (inversion,) = findings
    assert (inversion.code, inversion.source.line, inversion.subject) == ("version-date-order", 40, "0.9.42")
    assert not inversion.is_error
    assert "0.10.1" in inversion.message


def test_a_line_that_keeps_receiving_releases_is_maintained() -> None:
    releases = [
        release("5.0.0", date(2022, 10, 9), MAJOR),
        release("5.0.1", date(2022, 11, 8)),
        release("5.1.0", date(2023, 2, 7), (SectionKind.ADDED,)),
        release("5.0.2", date(2023, 3, 1)),
        release("5.1.1", date(2023, 4, 1)),
        release("5.0.3", date(2023, 4, 1)),
        release("5.0.4", date(2023, 5, 1)),
    ]
    assert check_releases(releases) == []


CORPUS = ROOT.parent / "shared/corpus/changelogs"


@pytest.mark.parametrize("name", ["iparapheur-v5", "pastell", "idelibre"])
def test_real_changelogs_have_no_inversion_restart_or_empty_release(name: str) -> None:
    from portail.reading.changelog import read_changelog

    path = CORPUS / f"{name}.CHANGELOG.md"
    if not path.is_file():
        pytest.skip(f"corpus absent ({path}): the real changelogs live in ../shared/corpus")
    changelog = read_changelog(path.read_text(encoding="utf-8"), f"kb/releases/{name}/CHANGELOG.md", name)
    codes = {f.code for f in check_releases(changelog.releases)}
    assert not codes & {"version-date-order", "numbering-restart", "release-empty"}, codes


# -- 3. fixes that respect history ---------------------------------------------------------------


def test_a_release_a_newer_one_follows_is_acknowledged_not_renumbered() -> None:
    releases = [
        release("5.0.0", date(2020, 1, 1), MAJOR),
        release("5.0.1", date(2020, 2, 1), (SectionKind.FIXED, SectionKind.REMOVED), line=20),
        release("5.1.0", date(2024, 1, 1), (SectionKind.ADDED,)),
    ]
    (finding,) = found(check_releases(releases), "release-kind-too-small")
    assert finding.subject == "5.0.1" and finding.source.line == 23
    assert "Numérotez" not in finding.fix and "5.1.0" not in finding.fix
    assert BASELINE_HINT in finding.fix and "kb/portail-baseline.yml" in finding.fix


def test_a_suggested_number_never_collides_with_an_existing_version() -> None:
    releases = [
        release("5.0.0", date(2020, 1, 1), MAJOR),
        release("5.1.0-rc.1", date(2020, 3, 1), (SectionKind.ADDED,)),  # line 5.1 is taken
        release("5.2.0", None, (SectionKind.ADDED,), unpublished=True),  # so is 5.2
        release("5.0.1", date(2020, 4, 1), (SectionKind.FIXED, SectionKind.REMOVED), line=20),
        release("6.0.0", None, MAJOR, unpublished=True),
    ]
    findings = check_releases(releases)
    (finding,) = found(findings, "release-kind-too-small")
    assert "Numérotez-la 5.3.0" in finding.fix
    assert (
        History.of(releases).free_number(parse_version("5.0.1").version, finding_kind("majeure")) == "7.0.0"
    )


def finding_kind(value: str):
    from portail.model.contract import ReleaseKind

    return ReleaseKind(value)


def test_an_undated_changelog_release_is_never_told_to_be_marked_unpublished() -> None:
    changelog = "kb/releases/outil/CHANGELOG.md"
    latest = [
        release("1.0.0", date(2024, 1, 1), MAJOR),
        release("1.1.0", None, (SectionKind.ADDED,), path=changelog),
    ]
    (undated,) = found(check_releases(latest), "release-undated")
    assert "non publiée" not in undated.fix and "unpublished" not in undated.fix
    assert "[1.1.0] - AAAA-MM-JJ" in undated.fix and "[Unreleased]" in undated.fix
    past = [
        release("1.0.0", None, MAJOR, path=changelog),
        release("1.1.0", date(2024, 1, 1), (SectionKind.ADDED,)),
    ]
    (old,) = found(check_releases(past), "release-undated")
    assert "unpublished" not in old.fix and "Unreleased" not in old.fix and BASELINE_HINT in old.fix
    in_file = [release("1.0.0", date(2024, 1, 1), MAJOR), release("1.1.0", None, (SectionKind.ADDED,))]
    (file_undated,) = found(check_releases(in_file), "release-undated")
    assert "`unpublished: true`" in file_undated.fix


def test_nomenclature_findings_name_their_version_for_the_baseline() -> None:
    releases = [
        *RESTART,
        release("5.1.4", date(2025, 5, 1), line=120),  # 5.1.3 skipped
        release("5.1.5", None, line=130),
    ]
    for finding in check_releases(releases):
        assert finding.subject and parse_version(finding.subject), finding.format()


# -- 4. empty releases ------------------------------------------------------------------------


def test_an_empty_release_is_an_error() -> None:
    empty = release("1.1.0", date(2024, 2, 1), (), line=12)
    blank_section = release("1.2.0", date(2024, 3, 1), (SectionKind.ADDED,), body="  \n", line=20)
    findings = check_releases([release("1.0.0", date(2024, 1, 1), MAJOR), empty, blank_section])
    assert [(f.code, f.source.line, f.subject, f.is_error) for f in findings] == [
        ("release-empty", 12, "1.1.0", True),
        ("release-empty", 20, "1.2.0", True),
    ]
    assert "« Ajouts »" in findings[1].message
    assert BASELINE_HINT in findings[0].fix and "`unpublished: true`" in findings[1].fix
    with_intro = release("1.1.0", date(2024, 2, 1), (), intro="Une phrase.")
    unpublished = release("1.2.0", None, (), unpublished=True)
    assert check_releases([release("1.0.0", date(2024, 1, 1), MAJOR), with_intro, unpublished]) == []


def test_an_empty_release_stops_the_check_at_its_line(tmp_path: Path) -> None:
    changelog = (
        "# Journal\n\n"
        "## [4.2.1] - 2026-03-02\n\n"  # line 3: nothing under it
        "## [4.2.0] - 2026-02-02\n\n### Ajouts\n\n- Une fonction.\n"
    )
    analysis = analyse(
        make_kb(
            tmp_path,
            {
                "releases/idelibre/CHANGELOG.md": changelog,
                "releases/pastell/4.1.0.md": "---\ndate: 2026-01-05\n---\n",
            },
        ),
        tmp_path,
        now=NOW,
    )
    empty = {(f.source.path, f.source.line) for f in analysis.errors if f.code == "release-empty"}
    assert empty == {("kb/releases/idelibre/CHANGELOG.md", 3), ("kb/releases/pastell/4.1.0.md", 1)}
    assert analysis.has_errors
