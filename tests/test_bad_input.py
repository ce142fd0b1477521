"""Bad input in a copy of the demo kb/: `portail check` and `mkdocs build --strict` both stop,
naming the file and line, the rule and the fix, in French; nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_project, mkdocs_build, run


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def malformed_front_matter(kb: Path) -> None:
    write(
        kb / "documentation/pastell/4.1/sauvegarde.md",
        "---\ntitle: Sauvegarde: la base et les fichiers\nkind: manuel-exploitation\n---\n\n## Étapes\n",
    )


def unknown_product(kb: Path) -> None:
    write(kb / "documentation/pastel/role.md", "---\ntitle: Rôles\nkind: autre\n---\n\nTexte.\n")


def bad_version_folder(kb: Path) -> None:
    write(
        kb / "documentation/iparapheur/VERSION 4.8/notes.md",
        "---\ntitle: Notes 4.8\nkind: autre\n---\n\nTexte.\n",
    )


def attachment_without_title(kb: Path) -> None:
    (kb / "documentation/s2low/4.3").mkdir(parents=True, exist_ok=True)
    (kb / "documentation/s2low/4.3/guide-actes.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")


def duplicate_url(kb: Path) -> None:
    text = '---\ntitle: "Certificats : questions fréquentes"\nkind: autre\n---\n\nTexte.\n'
    write(kb / "documentation/lspki/questions-certificats.md", text)
    write(kb / "documentation/lspki/Questions Certificats.md", text.replace("---\ntitle", "---\n\ntitle"))


def faq_unknown_product(kb: Path) -> None:
    write(
        kb / "faq/pastell/role.md",
        "---\ntitle: Le rôle n'apparaît pas\nproducts: [pastel]\n---\n\n## Réponse\n\nTexte.\n",
    )


def version_given_twice(kb: Path) -> None:
    write(
        kb / "releases/webdelib/7.1.1.md",
        "---\ndate: 2026-08-20\n---\n\n## Corrections\n\n- Un correctif.\n",
    )


def changelog_heading_not_a_version(kb: Path) -> None:
    changelog = kb / "releases/webdelib/CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    write(changelog, text.replace("## [7.1.1]", "## [7.1.x]", 1))


CASES: dict[str, tuple[Callable[[Path], None], str, str, str]] = {
    # name: (break the kb, expected "file:line", expected code, expected words of message/fix)
    "malformed front matter": (
        malformed_front_matter,
        "kb/documentation/pastell/4.1/sauvegarde.md:2",
        "front-matter-syntax",
        "entre guillemets",
    ),
    "unknown product": (
        unknown_product,
        "kb/documentation/pastel/role.md:1",
        "unknown-product",
        "Renommez le dossier en « pastell »",
    ),
    "version folder not X.Y": (
        bad_version_folder,
        "kb/documentation/iparapheur/VERSION 4.8/notes.md:1",
        "version-folder-name",
        "Renommez le dossier en « 4.8 »",
    ),
    "attachment without title": (
        attachment_without_title,
        "kb/documentation/s2low/4.3/guide-actes.pdf:1",
        "attachment-without-title",
        "« guide-actes.pdf.yml »",
    ),
    "two documents, one URL": (
        duplicate_url,
        "kb/documentation/lspki/questions-certificats.md:2",
        "duplicate-url",
        "/documentation/lspki/questions-certificats/, déjà prise par le document",
    ),
    "FAQ article about an unknown product": (
        faq_unknown_product,
        "kb/faq/pastell/role.md:3",
        "unknown-product",
        "Écrivez « pastell ».",
    ),
    "version given twice": (
        version_given_twice,
        "kb/releases/webdelib/CHANGELOG.md:12",
        "duplicate-version",
        "kb/releases/webdelib/7.1.1.md:1",
    ),
    "changelog heading that does not parse": (
        changelog_heading_not_a_version,
        "kb/releases/webdelib/CHANGELOG.md:12",
        "changelog-version-invalid",
        "ne sont pas publiées",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_names_file_line_rule_and_fix(case: str, tmp_path: Path) -> None:
    breaker, location, code, words = CASES[case]
    project = copy_project(tmp_path / "project")
    breaker(project / "kb")

    result = run(["portail", "check"], cwd=project)
    assert result.returncode == 1, result.output
    line = next((out for out in result.output.splitlines() if out.startswith(location + ":")), None)
    assert line is not None, result.output
    assert f"erreur [{code}]" in line
    assert words in result.output
    assert "Correction :" in result.output


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_strict_build_stops_before_writing_the_site(case: str, tmp_path: Path) -> None:
    breaker, location, code, _ = CASES[case]
    project = copy_project(tmp_path / "project")
    breaker(project / "kb")
    site = tmp_path / "site"

    result = mkdocs_build(project, site)
    assert result.returncode != 0
    assert f"{location}: erreur [{code}]" in result.output
    assert not site.exists()


def test_check_json_for_ci(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    unknown_product(project / "kb")
    result = run(["portail", "check", "--format", "json"], cwd=project)
    assert result.returncode == 1
    report = json.loads(result.output)
    assert report["errors"] == 1
    (finding,) = report["findings"]
    assert finding == {
        "file": "kb/documentation/pastel/role.md",
        "line": 1,
        "code": "unknown-product",
        "severity": "error",
        "message": finding["message"],
        "fix": finding["fix"],
    }
    assert "« pastel »" in finding["message"]


def test_unknown_key_is_a_warning_that_fails_only_strict_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    write(
        project / "kb/documentation/lspki/jetons.md",
        "---\ntitle: Jetons USB\nkind: autre\ntitre: Jetons\n---\n\nTexte.\n",
    )
    check = run(["portail", "check"], cwd=project)
    assert check.returncode == 0, check.output
    assert "kb/documentation/lspki/jetons.md:4: avertissement [unknown-field]" in check.output
    assert "vouliez-vous dire « title »" in check.output
    assert mkdocs_build(project, tmp_path / "site").returncode != 0


def test_demo_knowledge_base_is_clean(tmp_path: Path) -> None:
    # A copy outside git: a shallow checkout of this repository warns (git-shallow).
    result = run(["portail", "check"], cwd=copy_project(tmp_path / "demo"))
    assert result.returncode == 0, result.output
    assert result.output.startswith("0 erreur(s), 0 avertissement(s)"), result.output
