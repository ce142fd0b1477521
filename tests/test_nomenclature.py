"""The version nomenclature: parsing, kinds, the contract's rules (a passing and a failing case
for each), sequences per product, cross-references, and the two interfaces."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import NOW, ROOT, copy_project, make_kb, mkdocs_build, run
from portail.checks.nomenclature import check_releases
from portail.model.contract import ReleaseKind
from portail.model.findings import Source
from portail.model.kb import Release, ReleaseSection, SectionKind
from portail.model.versions import Precision, VersionError, parse_reference

# -- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, canonical, precision, code",
    [
        ("4.7.11", "4.7.11", Precision.RELEASE, None),
        ("V4.7.11", "4.7.11", Precision.RELEASE, None),
        ("v4.7.11", "4.7.11", Precision.RELEASE, None),
        ("4.7", "4.7", Precision.LINE, None),
        ("V4.3", "4.3", Precision.LINE, None),
        ("V3", "3", Precision.MAJOR, None),
        ("SL 4.3.10", "4.3.10", Precision.RELEASE, "SL"),
        ("4.7.11-rc1", "4.7.11-rc.1", Precision.RELEASE, None),
        ("4.7.11-rc.1", "4.7.11-rc.1", Precision.RELEASE, None),
        ("5.0.0-beta.2", "5.0.0-beta.2", Precision.RELEASE, None),
    ],
)
def test_written_forms_parse_to_a_canonical_form(written, canonical, precision, code) -> None:
    reference = parse_reference(written, ["SL", "IP"])
    assert (reference.canonical, reference.precision, reference.product_code) == (canonical, precision, code)


def test_a_line_or_major_means_its_first_release_where_a_release_is_meant() -> None:
    assert str(parse_reference("V4.3").version) == "4.3.0"
    assert str(parse_reference("V3").version) == "3.0.0"


@pytest.mark.parametrize(
    "written, reason",
    [
        ("10.8.3.1", "4 nombres"),
        ("2.1.01", "zéro"),
        ("4.7.x", "que des nombres"),
        ("quatre", "que des nombres"),
        ("", "vide"),
        ("XY 4.3.1", "code produit « XY » inconnu"),
        ("4.7.11-gamma", "suffixe"),
    ],
)
def test_what_is_not_a_version_is_rejected_with_a_reason(written: str, reason: str) -> None:
    with pytest.raises(VersionError) as raised:
        parse_reference(written, ["SL"])
    assert reason in raised.value.reason


def test_total_order_puts_a_pre_release_before_its_release() -> None:
    texts = ["4.10.0", "4.9.1", "5.0.0", "5.0.0-rc.1", "5.0.0-beta.2", "5.0.0-rc.2", "4.9.0"]
    ordered = sorted(parse_reference(t).version for t in texts)
    assert [str(v) for v in ordered] == [
        "4.9.0",
        "4.9.1",
        "4.10.0",
        "5.0.0-beta.2",
        "5.0.0-rc.1",
        "5.0.0-rc.2",
        "5.0.0",
    ]


# -- rules on releases -------------------------------------------------------------------------


def release(
    version: str, sections=(), day: date | None = date(2026, 1, 1), kind=None, unpublished=False, line=1
):
    parsed = parse_reference(version).version
    return Release(
        product="demo",
        version=parsed,
        date=day,
        declared_kind=kind,
        unpublished=unpublished,
        intro="Une phrase.",  # a release with no word at all is a finding of its own (release-empty)
        sections=tuple(
            ReleaseSection(section, section.label, "- texte", Source("notes.md", line + 2 + i))
            for i, section in enumerate(sections)
        ),
        source=Source("notes.md", line),
    )


def codes(findings) -> list[str]:
    return sorted(f.code for f in findings)


BASE = [release("4.6.0", (SectionKind.ADDED,), date(2025, 1, 1))]


@pytest.mark.parametrize(
    "version, section, expected",
    [
        ("4.6.1", SectionKind.INCOMPATIBILITIES, ReleaseKind.MAJOR),
        ("4.6.1", SectionKind.PREREQUISITES, ReleaseKind.MAJOR),
        ("4.6.1", SectionKind.REMOVED, ReleaseKind.MINOR),
        ("4.7.0", SectionKind.INCOMPATIBILITIES, ReleaseKind.MAJOR),
        ("4.7.0", SectionKind.PREREQUISITES, ReleaseKind.MAJOR),
    ],
)
def test_a_section_reserved_to_a_bigger_kind_is_an_error(version, section, expected) -> None:
    findings = check_releases([*BASE, release(version, (SectionKind.FIXED, section), line=10)])
    (finding,) = [f for f in findings if f.code == "release-kind-too-small"]
    assert finding.is_error and finding.source.line == 13  # the section's own heading
    assert f"doit être une {expected.label}" in finding.message


@pytest.mark.parametrize(
    "version, sections",
    [
        (
            "4.6.1",
            (
                SectionKind.FIXED,
                SectionKind.ADDED,
                SectionKind.CHANGED,
                SectionKind.REGULATORY,
                SectionKind.SECURITY,
                SectionKind.KNOWN_LIMITATIONS,
            ),
        ),
        ("4.7.0", (SectionKind.ADDED, SectionKind.REMOVED, SectionKind.DEPRECATED, SectionKind.REGULATORY)),
        (
            "5.0.0",
            (
                SectionKind.INCOMPATIBILITIES,
                SectionKind.PREREQUISITES,
                SectionKind.MIGRATION,
                SectionKind.REMOVED,
            ),
        ),
    ],
    ids=["patch with non-impacting changes", "minor with a removal", "major with everything"],
)
def test_what_each_kind_may_declare_passes(version, sections) -> None:
    assert codes(check_releases([*BASE, release(version, sections)])) == []


def test_declared_kind_contradicting_the_bump_is_an_error() -> None:
    assert codes(check_releases([*BASE, release("4.6.1", kind="corrective")])) == []
    findings = check_releases([*BASE, release("4.6.1", kind="mineure")])
    assert codes(findings) == ["declared-kind-mismatch"] and findings[0].is_error


def test_kinds_come_from_version_order_not_file_order() -> None:
    # Written newest first and lines interleaved, as real changelogs are: no false finding.
    written = [
        release("5.1.1", kind="corrective"),
        release("5.0.3", kind="corrective"),
        release("5.1.0", kind="mineure"),
        release("5.0.2"),
        release("5.0.1"),
        release("5.0.0", (SectionKind.MIGRATION, SectionKind.PREREQUISITES), kind="majeure"),
    ]
    assert codes(check_releases(written)) == []


def test_a_major_without_migration_or_prerequisites_is_a_warning() -> None:
    findings = check_releases([*BASE, release("5.0.0", (SectionKind.ADDED, SectionKind.MIGRATION))])
    assert codes(findings) == ["major-without-migration"] and not findings[0].is_error
    assert "Prérequis" in findings[0].message
    complete = release("5.0.0", (SectionKind.MIGRATION, SectionKind.PREREQUISITES))
    assert codes(check_releases([*BASE, complete])) == []


def test_duplicate_version_is_an_error() -> None:
    assert codes(check_releases([*BASE, release("4.6.0", line=40)])) == ["duplicate-version"]


def test_undated_published_release_is_an_error_but_not_an_unpublished_one() -> None:
    assert codes(check_releases([*BASE, release("4.6.1", day=None)])) == ["release-undated"]
    assert codes(check_releases([*BASE, release("4.6.1", day=None, unpublished=True)])) == []


def test_a_version_dated_before_a_lower_one_of_its_line_is_a_warning() -> None:
    ok = [*BASE, release("4.6.1", day=date(2025, 2, 1)), release("4.6.2", day=date(2025, 3, 1))]
    assert codes(check_releases(ok)) == []
    late = [*BASE, release("4.6.1", day=date(2025, 3, 1)), release("4.6.2", day=date(2025, 2, 1))]
    findings = check_releases(late)
    assert codes(findings) == ["line-date-order"] and "4.6.2" in findings[0].message


def test_a_line_maintained_side_by_side_is_not_an_inversion() -> None:
    # 5.0.31 after 5.1.0 in time is normal: two lines maintained side by side. (Issue 11: dates
    # are now compared across lines; a line is maintained from its second release after a higher
    # line opened, tests/test_release_history.py.)
    both = [
        release("5.0.0", (SectionKind.MIGRATION, SectionKind.PREREQUISITES), date(2023, 1, 1)),
        release("5.1.0", day=date(2023, 2, 7)),
        release("5.0.1", day=date(2024, 10, 24)),
        release("5.0.2", day=date(2024, 11, 24)),
    ]
    assert codes(check_releases(both)) == []


def test_a_gap_in_a_line_is_a_warning() -> None:
    assert codes(check_releases([*BASE, release("4.6.1"), release("4.6.2")])) == []
    findings = check_releases([*BASE, release("4.6.1"), release("4.6.3")])
    assert codes(findings) == ["line-gap"] and "4.6.2" in findings[0].message


def test_a_pre_release_is_never_the_latest(tmp_path: Path) -> None:
    from portail.checks.analyse import analyse
    from portail.pages.release_view import release_views

    kb = make_kb(
        tmp_path,
        {
            "releases/pastell/4.1.0.md": "---\ndate: 2026-01-05\n---\n\n## Ajouts\n\n- a\n",
            "releases/pastell/5.0.0-rc.1.md": "---\ndate: 2026-03-05\n---\n\n## Migration\n\n- a\n\n"
            "## Prérequis\n\n- b\n",
        },
    )
    analysis = analyse(kb, tmp_path, now=NOW)
    assert not analysis.has_errors, analysis.findings
    views = release_views(analysis.kb, analysis.kb.product("pastell"))
    assert [str(v.release.version) for v in views] == ["5.0.0-rc.1", "4.1.0"]
    assert [v.is_latest for v in views] == [False, True]


# -- cross-references and interfaces --------------------------------------------------------


def test_cross_references_to_versions_that_do_not_exist(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    kb = project / "kb"
    (kb / "documentation/pastell/4.9").mkdir()
    (kb / "documentation/pastell/4.9/notes.md").write_text(
        "---\ntitle: Notes 4.9\n---\n\nTexte.\n", encoding="utf-8"
    )
    article = kb / "faq/pastell/nouveau-role-absent-de-la-liste.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace('versions: ["4.0", "4.1"]', 'versions: ["4.1", "4.1.7"]', 1), encoding="utf-8"
    )
    result = run(["portail", "check", "--format", "json"], cwd=project)
    assert result.returncode == 1
    found = {(f["code"], f["file"], f["line"]) for f in json.loads(result.output)["findings"]}
    assert ("doc-line-without-release", "kb/documentation/pastell/4.9", 1) in found
    assert ("unknown-version", "kb/faq/pastell/nouveau-role-absent-de-la-liste.md", 3) in found
    messages = json.loads(result.output)["findings"]
    assert any("« 4.1.7 »" in f["message"] for f in messages)
    assert not any("« 4.1 »" in f["message"] for f in messages)  # the line 4.1 exists


def test_a_broken_release_fails_the_strict_build_with_its_code(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    notes = project / "kb/releases/iparapheur/4.7.11.md"
    notes.write_text(
        notes.read_text(encoding="utf-8") + "\n## Incompatibilités\n\n- Ancienne API retirée.\n",
        encoding="utf-8",
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "erreur [release-kind-too-small]" in result.output
    assert "doit être une version majeure" in result.output
    assert not (tmp_path / "site").exists()


STANDALONE = {
    "mkdocs.yml": "site_name: Notes\nplugins:\n  - nomenclature:\n      product: outil\n",
    "docs/index.md": "# Notes de version\n",
    "docs/notes/1.0.0.md": "---\nversion: 1.0.0\ndate: 2026-01-10\n---\n\n# 1.0.0\n\n## Migration\n\nx\n\n## Prérequis\n\ny\n",
    "docs/notes/1.0.1.md": "---\nversion: 1.0.1\ndate: 2026-02-10\ntags: [maintenance]\n---\n\n# 1.0.1\n\n## Corrections\n\n- z\n",
    "docs/autre.md": "---\ntitle: Sans version\n---\n\nTexte.\n",
}


def write_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_nomenclature_plugin_works_alone_in_any_mkdocs_site(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site-ok", STANDALONE)
    result = mkdocs_build(site, tmp_path / "out-ok")
    assert result.returncode == 0, result.output


def test_nomenclature_plugin_alone_stops_a_broken_site(tmp_path: Path) -> None:
    broken = {
        **STANDALONE,
        "docs/notes/1.0.2.md": "---\nversion: 1.0.2\ndate: 2026-03-10\nkind: majeure\n---\n\n"
        "## Incompatibilités\n\n- format\n",
    }
    site = write_site(tmp_path / "site-ko", broken)
    result = mkdocs_build(site, tmp_path / "out-ko")
    assert result.returncode != 0
    assert "docs/notes/1.0.2.md:2: erreur [declared-kind-mismatch]" in result.output
    assert "docs/notes/1.0.2.md:7: erreur [release-kind-too-small]" in result.output
    assert not (tmp_path / "out-ko").exists()


# -- the vendor's real changelogs (../shared/corpus) ----------------------------------------

CORPUS = ROOT.parent / "shared/corpus/changelogs"
RESERVED = {
    rule.section for rule in __import__("portail.checks.nomenclature", fromlist=["SECTION_RULES"]).SECTION_RULES
}


def corpus(name: str):
    from portail.reading.changelog import read_changelog

    path = CORPUS / f"{name}.CHANGELOG.md"
    if not path.is_file():
        pytest.skip(f"corpus absent ({path}): the real changelogs live in ../shared/corpus")
    changelog = read_changelog(path.read_text(encoding="utf-8"), path.name, name)
    findings = list(changelog.findings) + check_releases(changelog.releases)
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding.code] = by_code.get(finding.code, 0) + 1
    print(f"{name}: {len(changelog.releases)} versions, findings {dict(sorted(by_code.items()))}")
    return changelog, findings, by_code


@pytest.mark.parametrize("name", ["pastell", "iparapheur-v5", "idelibre"])
def test_corpus_errors_fall_only_where_a_rule_is_broken(name: str) -> None:
    changelog, findings, _ = corpus(name)
    reserved_lines = {s.source.line for r in changelog.releases for s in r.sections if s.kind in RESERVED}
    undated_lines = {r.source.line for r in changelog.releases if r.date is None}
    for finding in findings:
        if not finding.is_error:
            continue
        if finding.code == "release-kind-too-small":
            assert finding.source.line in reserved_lines
        else:
            assert finding.code in ("release-undated", "release-date-unreadable"), finding.format()
            assert finding.source.line in undated_lines
    # Stretches that follow the rules raise no error at all.
    clean = [r for r in changelog.releases if r.date and not any(s.kind in RESERVED for s in r.sections)]
    error_lines = {f.source.line for f in findings if f.is_error}
    for release in clean:
        lines = {release.source.line, *(s.source.line for s in release.sections)}
        assert not lines & error_lines, release.version


def test_corpus_idelibre_known_findings() -> None:
    _, findings, by_code = corpus("idelibre")
    assert by_code.get("version-two-parts") == 1
    assert by_code.get("release-date-unreadable") == 2  # 2024-??-?? and 2023-??-??
    two_parts = next(f for f in findings if f.code == "version-two-parts")
    assert "4.1.0" in two_parts.message


def test_corpus_iparapheur_v5_undated_and_interleaved_lines() -> None:
    changelog, findings, by_code = corpus("iparapheur-v5")
    undated = [f for f in findings if f.code == "release-undated"]
    assert [f.message for f in undated] == ["la version publiée 5.2.0 n'a pas de date"]
    # 5.1.x and 5.0.x alternate in the file, and 5.1.0 is dated before 5.0.31: no ordering finding.
    assert "line-date-order" not in by_code and "line-gap" not in by_code
    file_order = [str(r.version) for r in changelog.releases[:4]]
    assert file_order == ["5.2.0", "5.1.9", "5.0.31", "5.1.8"]


def test_corpus_pastell_runs_without_false_sequence_findings() -> None:
    _, _, by_code = corpus("pastell")
    assert (
        "line-date-order" not in by_code and "line-gap" not in by_code and "duplicate-version" not in by_code
    )
