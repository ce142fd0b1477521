"""`portail new`: every file it writes passes `portail check`; it says where and at which
address; it refuses what would break the history or leave kb/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import NOW, copy_project, run
from portail.checks.analyse import analyse


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def new(project: Path, *args: str) -> tuple[int, str]:
    done = run(["portail", "new", *args], cwd=project)
    return done.returncode, done.output


def check_passes(project: Path) -> str:
    done = run(["portail", "check"], cwd=project)
    assert done.returncode == 0, done.output
    assert re.search(r"^0 erreur\(s\)", done.output, re.MULTILINE), done.output
    return done.output


def model(project: Path):  # type: ignore[no-untyped-def]
    return analyse(project / "kb", project, now=NOW).kb


@pytest.mark.parametrize(
    ("product", "bump", "version", "kind", "sections"),
    [
        # s2low: 4.3.10 is the latest published, 4.3.11 is in preparation (unpublished).
        ("s2low", "--patch", "4.3.12", "corrective", ["Corrections"]),
        ("s2low", "--minor", "4.4.0", "mineure", ["Ajouts", "Évolutions", "Corrections"]),
        ("s2low", "--major", "5.0.0", "majeure", ["Ajouts", "Évolutions", "Prérequis", "Migration"]),
        ("iparapheur", "--patch", "4.7.12", "corrective", ["Corrections"]),
    ],
)
def test_release_proposals(project: Path, product, bump, version, kind, sections) -> None:  # type: ignore[no-untyped-def]
    code, output = new(project, "release", "--produit", product, bump)
    assert code == 0, output
    path = project / "kb/releases" / product / f"{version}.md"
    assert f"kb/releases/{product}/{version}.md" in output
    assert f"/release-notes/{product}/{version}/" in output
    assert f"Version proposée : {version}" in output
    text = path.read_text(encoding="utf-8")
    assert "date: 2026-11-26" in text and f"kind: {kind}" in text
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == sections
    check_passes(project)
    release = next(r for r in model(project).releases if r.product == product and str(r.version) == version)
    assert [s.label for s in (x.kind for x in release.sections)] == sections
    assert not release.unpublished


def test_release_into_changelog(project: Path) -> None:
    changelog = project / "kb/releases/webdelib/CHANGELOG.md"
    before = changelog.read_text(encoding="utf-8")
    code, output = new(project, "release", "--produit", "webdelib", "--minor")
    assert code == 0, output
    assert "kb/releases/webdelib/CHANGELOG.md" in output and "/release-notes/webdelib/7.2.0/" in output
    assert not (project / "kb/releases/webdelib/7.2.0.md").exists()
    text = changelog.read_text(encoding="utf-8")
    # Above the newest version heading, in its style (level, brackets, ISO date); the
    # « Non publié » block stays on top, every other line is kept.
    lines = text.splitlines()
    new_at = lines.index("## [7.2.0] - 2026-11-26")
    assert lines.index("## [Non publié]") < new_at < lines.index("## [7.1.1] - 2026-08-20")
    assert lines[new_at + 2] == "### Ajouts"
    assert set(before.splitlines()) <= set(lines)
    check_passes(project)
    assert any(r.product == "webdelib" and str(r.version) == "7.2.0" for r in model(project).releases)


def test_explicit_version_refusals(project: Path) -> None:
    cases = {
        "4.7.11": "existe déjà",
        "4.7.14": "laisse un trou",
        "4.9.2": "laisse un trou",
        "4.7": "illisible",
    }
    for version, message in cases.items():
        code, output = new(project, "release", "--produit", "iparapheur", version)
        assert code == 1, output
        assert message in output
    # s2low 4.3.11 is in preparation: it exists too.
    code, output = new(project, "release", "--produit", "s2low", "4.3.11")
    assert code == 1 and "existe déjà (en préparation)" in output
    assert not list((project / "kb/releases/iparapheur").glob("4.7.1[2-4].md"))
    # A gap the writer vouches for: written, and the check says it in a warning only.
    code, output = new(project, "release", "--produit", "iparapheur", "4.7.14", "--unpublished-gap")
    assert code == 0, output
    assert "4.7.12, 4.7.13" in output and "/release-notes/iparapheur/4.7.14/" in output
    assert "line-gap" in check_passes(project)
    code, output = new(project, "release", "--produit", "iparapheur", "4.7.13")
    assert code == 1 and "n'est pas au-dessus de la dernière version de sa ligne 4.7 (4.7.14)" in output
    code, output = new(project, "release", "--produit", "s2low", "4.3.12")
    assert code == 0, output
    code, output = new(project, "release", "--produit", "s2low")
    assert code == 1 and "--patch" in output


def test_faq_article(project: Path) -> None:
    title = "Le connecteur « GED » refuse l'envoi, que faire ?"
    code, output = new(project, "faq", "--produit", "pastell", title)
    assert code == 0, output
    slug = "le-connecteur-ged-refuse-l-envoi-que-faire"
    assert f"kb/faq/pastell/{slug}.md" in output and f"/faq/pastell/{slug}/" in output
    check_passes(project)
    article = next(a for a in model(project).articles if a.slug == slug)
    assert article.title == title and article.product == "pastell"
    assert str(article.updated) == "2026-11-26"
    # Same title, or one with the same address: refused, the article is untouched.
    text = (project / f"kb/faq/pastell/{slug}.md").read_text(encoding="utf-8")
    for clash in (title, "Le connecteur GED refuse l'envoi : que faire ?"):
        code, output = new(project, "faq", "--produit", "pastell", clash)
        assert code == 1 and "a déjà l'adresse" in output
    assert (project / f"kb/faq/pastell/{slug}.md").read_text(encoding="utf-8") == text
    code, output = new(project, "faq", "--produit", "pastel-inconnu", "Titre")
    assert code == 1 and "produit inconnu" in output


def test_hostile_title_is_text(project: Path) -> None:
    title = "Erreur \"x\" : 'y' # z <script>alert(1)</script> [lien](http://x) {{ a }}\nsuite"
    code, output = new(project, "faq", "--produit", "s2low", title)
    assert code == 0, output
    check_passes(project)
    article = next(a for a in model(project).articles if a.product == "s2low" and "script" in a.slug)
    assert article.title == title.replace("\n", " ")
    code, output = new(project, "info", "--type", "incident", title, "--produit", "s2low")
    assert code == 0, output
    check_passes(project)
    post = next(p for p in model(project).posts if "script" in p.slug)
    assert post.title == title.replace("\n", " ")
    for bad, message in (
        ("x" * 201, "200 au plus"),
        ("a\x1b[31mb", "caractère de contrôle"),
        ("!!!", "aucun nom"),
    ):
        code, output = new(project, "faq", "--produit", "s2low", bad)
        assert code == 1 and message in output


def test_information_with_dates(project: Path) -> None:
    code, output = new(
        project, "info", "--type", "intervention", "Maintenance de S²LOW", "--produit", "s2low",
        "--debut", "2026-12-01T08:00", "--fin", "2026-12-01T12:30+01:00",
    )  # fmt: skip
    assert code == 0, output
    assert "kb/informations/maintenance-de-s2low.md" in output
    assert "/informations/2026-11-26-maintenance-de-s2low/" in output
    check_passes(project)
    post = next(p for p in model(project).posts if p.slug == "maintenance-de-s2low")
    assert post.kind.value == "intervention" and post.products == ("s2low",)
    assert post.published == NOW
    assert (post.start.isoformat(), post.end.isoformat()) == (  # type: ignore[union-attr]
        "2026-12-01T08:00:00+01:00",
        "2026-12-01T12:30:00+01:00",
    )
    # A second post with the same title: its own file, its own address.
    code, output = new(
        project, "info", "--type", "actualite", "Maintenance de S²LOW", "--fin", "2027-01-05T00:00"
    )
    assert code == 0 and "maintenance-de-s2low-2.md" in output, output
    check_passes(project)
    refusals = [
        (["--debut", "demain", "--fin", "2026-12-01T12:00"], "--debut « demain » n'est pas une date"),
        (["--debut", "2026-12-01T08:00", "--fin", "2026-12-01T07:00"], "doit être après --debut"),
        (["--debut", "2026-12-01T08:00"], "--debut et --fin"),
    ]
    for extra, message in refusals:
        code, output = new(project, "info", "--type", "intervention", "Autre maintenance", *extra)
        assert code == 1 and message in output, output
    assert not (project / "kb/informations/autre-maintenance.md").exists()


def test_update_appended_and_parsed(project: Path) -> None:
    code, output = new(project, "info", "--type", "incident", "Lenteurs Pastell", "--produit", "pastell")
    assert code == 0, output
    text = "Cause trouvée : <script>x</script>, voir [ceci](http://x) *vite*\net la suite"
    code, output = new(project, "update", "kb/informations/lenteurs-pastell.md", text)
    assert code == 0, output
    assert "/informations/2026-11-26-lenteurs-pastell/" in output
    code, output = new(project, "update", "lenteurs-pastell", "Incident résolu.")  # a bare name works too
    assert code == 0, output
    check_passes(project)
    post = next(p for p in model(project).posts if p.slug == "lenteurs-pastell")
    assert [u.at for u in post.updates] == [NOW, NOW]
    assert "&lt;script&gt;" in post.updates[0].text and "\\[ceci\\]" in post.updates[0].text
    assert post.updates[1].text == "Incident résolu."
    # The page shows the text as written, nothing of it as markup.
    import markdown

    html = markdown.markdown(post.updates[0].text)
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html and "<a " not in html
    assert "[ceci](http://x) *vite* et la suite" in html


def test_update_refuses_paths_outside(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "dehors.md"
    outside.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    informations = project / "kb/informations"
    os.symlink(outside, informations / "lien.md")
    os.symlink(project / "kb/faq/pastell/connecteur-s2low-test-echoue.md", informations / "faq.md")
    for given in (
        str(outside),
        "kb/informations/lien.md",
        "kb/informations/faq.md",
        "kb/informations/../../mkdocs.yml",
        "kb/faq/pastell/connecteur-s2low-test-echoue.md",
        "/etc/passwd",
    ):
        code, output = new(project, "update", given, "Texte")
        assert code == 1 and "n'est pas une information" in output, (given, output)
    assert outside.read_text(encoding="utf-8") == "---\ntitle: x\n---\n"
    (informations / "lien.md").unlink()
    (informations / "faq.md").unlink()
    code, output = new(project, "update", "kb/informations/absente.md", "Texte")
    assert code == 1 and "introuvable" in output
    # A product folder that leads out of kb/: nothing is written there.
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (project / "kb/releases/lsmessage").rename(project / "kb/releases/lsmessage-vrai")
    os.symlink(elsewhere, project / "kb/releases/lsmessage")
    code, output = new(project, "release", "--produit", "lsmessage", "2.0.0")
    assert code == 1 and "hors de" in output, output
    assert list(elsewhere.iterdir()) == []


def test_kb_option(project: Path) -> None:
    (project / "kb").rename(project / "base")
    code, output = new(project, "faq", "--produit", "idelibre", "Titre", "--kb", "base")
    assert code == 0, output
    assert "base/faq/idelibre/titre.md" in output
    code, output = new(project, "faq", "--produit", "idelibre", "Titre")
    assert code == 2 and "introuvable" in output
