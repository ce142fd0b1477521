"""FAQ articles and release notes read from kb/: both ways of writing release notes, one model,
and every mistake a finding with its file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import NOW, make_kb
from portail.checks.analyse import analyse
from portail.model.contract import ReleaseKind, installation_deadline, kinds_by_version
from portail.model.kb import SectionKind
from portail.model.versions import parse_version


def codes(analysis) -> list[tuple[str, str, int]]:
    return [(f.code, f.source.path, f.source.line) for f in analysis.findings]


ARTICLE = """---
title: Le connecteur de GED ne répond plus
products: [s2low]
versions: [4.0, 4.10]
tags: [connecteur, GED]
updated: 2026-04-02
---

## Symptôme

Le flux reste en attente.
"""


def test_article_concerns_its_folder_product_and_the_listed_ones(tmp_path: Path) -> None:
    files = {
        "faq/pastell/connecteur-ged.md": ARTICLE,
        # the versions an article names must exist, in any of its products
        "releases/pastell/4.0.0.md": "---\ndate: 2025-01-02\n---\n\n## Migration\n\nx\n\n## Prérequis\n\ny\n",
        "releases/s2low/4.10.0.md": "---\ndate: 2025-01-02\n---\n\n## Ajouts\n\n- z\n",
    }
    analysis = analyse(make_kb(tmp_path, files), tmp_path, now=NOW)
    assert analysis.findings == ()
    (article,) = analysis.kb.articles
    assert article.products == ("pastell", "s2low")
    assert article.versions == ("4.0", "4.10")  # bare numbers stay text: 4.10 is not 4.1
    assert article.updated == date(2026, 4, 2)
    assert (article.source.path, article.source.line) == ("kb/faq/pastell/connecteur-ged.md", 2)


def test_unknown_product_in_front_matter_names_the_line_and_the_fix(tmp_path: Path) -> None:
    text = ARTICLE.replace("products: [s2low]", "products: [slow, webdeli]")
    analysis = analyse(make_kb(tmp_path, {"faq/pastell/connecteur-ged.md": text}), tmp_path, now=NOW)
    findings = [f for f in analysis.findings if f.code == "unknown-product"]
    assert [(f.source.line, f.fix) for f in findings] == [
        (3, "Écrivez « s2low »."),
        (3, "Écrivez « webdelib »."),
    ]


@pytest.mark.parametrize(
    "change, code, line",
    [
        (("title: Le connecteur de GED ne répond plus\n", ""), "missing-field", 2),
        (("updated: 2026-04-02", "updated: 31/02/2026"), "invalid-field", 6),
        (("versions: [4.0, 4.10]", "versions: [4.0.1.2]"), "invalid-version", 4),
    ],
    ids=["missing title", "unreadable date", "bad version"],
)
def test_article_mistakes(tmp_path: Path, change: tuple[str, str], code: str, line: int) -> None:
    text = ARTICLE.replace(*change)
    analysis = analyse(make_kb(tmp_path, {"faq/pastell/connecteur-ged.md": text}), tmp_path, now=NOW)
    assert (code, "kb/faq/pastell/connecteur-ged.md", line) in codes(analysis)
    assert analysis.has_errors


def test_article_in_unknown_product_folder(tmp_path: Path) -> None:
    analysis = analyse(make_kb(tmp_path, {"faq/pastel/role.md": ARTICLE}), tmp_path, now=NOW)
    assert codes(analysis) == [("unknown-product", "kb/faq/pastel/role.md", 1)]
    assert "Renommez le dossier en « pastell »" in analysis.findings[0].fix


RELEASE = """---
date: 2026-10-06
kind: corrective
---

Une version de maintenance.

## Corrections

- Le bordereau est de nouveau signé.

## Sécurité

- Mise à jour d'une bibliothèque.
"""

CHANGELOG = """# Journal des modifications

## [Non publié]

### Ajouts

- Un tableau de bord.

## [4.7.2] - 3 novembre 2026

### Corrections

- Un correctif.

## 4.7.0 - 2026-01-05

### Ajouts

- Une fonction.
"""


def test_one_file_per_version_reads_front_matter_and_sections(tmp_path: Path) -> None:
    analysis = analyse(make_kb(tmp_path, {"releases/iparapheur/4.7.11.md": RELEASE}), tmp_path, now=NOW)
    assert analysis.findings == ()
    (release,) = analysis.kb.releases
    assert str(release.version) == "4.7.11"
    assert release.date == date(2026, 10, 6) and release.declared_kind == "corrective"
    assert release.intro == "Une version de maintenance."
    assert [(s.kind, s.source.line) for s in release.sections] == [
        (SectionKind.FIXED, 8),
        (SectionKind.SECURITY, 12),
    ]


def test_a_changelog_and_version_files_make_one_model(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path,
        {
            "releases/webdelib/CHANGELOG.md": CHANGELOG,
            "releases/webdelib/4.7.1.md": RELEASE.replace("2026-10-06", "2026-06-01"),
        },
    )
    analysis = analyse(kb, tmp_path, now=NOW)
    assert analysis.findings == ()
    versions = sorted(str(r.version) for r in analysis.kb.releases)
    assert versions == ["4.7.0", "4.7.1", "4.7.2"]
    (unreleased,) = analysis.kb.unreleased
    assert unreleased.title.lower().startswith("non publi")
    changelog_release = next(r for r in analysis.kb.releases if str(r.version) == "4.7.2")
    assert changelog_release.source.path == "kb/releases/webdelib/CHANGELOG.md"
    assert changelog_release.source.line == 9
    assert changelog_release.date == date(2026, 11, 3)


def test_a_version_given_twice_is_an_error(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path, {"releases/webdelib/CHANGELOG.md": CHANGELOG, "releases/webdelib/4.7.2.md": RELEASE}
    )
    analysis = analyse(kb, tmp_path, now=NOW)
    duplicate = [f for f in analysis.findings if f.code == "duplicate-version"]
    assert len(duplicate) == 1 and "4.7.2" in duplicate[0].message
    assert analysis.has_errors


@pytest.mark.parametrize(
    "name, text, code, line",
    [
        ("4.7.11.md", RELEASE.replace("date: 2026-10-06", "date: 2026-13-45"), "invalid-field", 2),
        (
            "4.7.11.md",
            RELEASE.replace("---\ndate", "---\nversion: 4.7.12\ndate"),
            "release-version-mismatch",
            2,
        ),
        ("notes.md", RELEASE, "release-version-invalid", 1),
        (
            "CHANGELOG.md",
            "## [4.7.1-patch] - 2026-01-02\n\n### Corrections\n\n- x\n",
            "changelog-version-invalid",
            1,
        ),
        ("CHANGELOG.md", "## [4.7.1] - 2026-??-??\n\n### Corrections\n\n- x\n", "release-date-unreadable", 1),
    ],
    ids=[
        "unreadable date",
        "version mismatch",
        "file name not a version",
        "changelog heading",
        "changelog date",
    ],
)
def test_release_mistakes(tmp_path: Path, name: str, text: str, code: str, line: int) -> None:
    analysis = analyse(make_kb(tmp_path, {f"releases/iparapheur/{name}": text}), tmp_path, now=NOW)
    assert (code, f"kb/releases/iparapheur/{name}", line) in codes(analysis)
    assert analysis.has_errors


def v(text: str):
    return parse_version(text).version


def test_kinds_follow_version_order_not_file_order() -> None:
    kinds = kinds_by_version([v("5.1.1"), v("5.0.3"), v("5.1.0"), v("5.0.2"), v("5.0.0"), v("6.0.0-rc.1")])
    assert kinds[v("5.0.0")] is ReleaseKind.MAJOR
    assert kinds[v("5.0.2")] is ReleaseKind.PATCH and kinds[v("5.0.3")] is ReleaseKind.PATCH
    assert kinds[v("5.1.0")] is ReleaseKind.MINOR and kinds[v("5.1.1")] is ReleaseKind.PATCH
    assert kinds[v("6.0.0-rc.1")] is ReleaseKind.MAJOR


def test_installation_deadlines_follow_the_contract() -> None:
    assert installation_deadline(date(2026, 10, 6), ReleaseKind.PATCH) == date(2027, 1, 6)
    assert installation_deadline(date(2026, 8, 31), ReleaseKind.MINOR) == date(2027, 2, 28)
    assert installation_deadline(date(2026, 1, 15), ReleaseKind.MAJOR) == date(2026, 7, 15)
