"""The baseline of acknowledged findings (kb/portail-baseline.yml): `portail check
--write-baseline` records the findings of old history; afterwards `portail check` and
`mkdocs build --strict` fail on new findings only, whatever lines the old ones move to, and
say when an entry no longer matches anything."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import copy_project, mkdocs_build, run

BASELINE = "kb/portail-baseline.yml"
CHANGELOG = "kb/releases/webdelib/CHANGELOG.md"

# Ten-year-old history appended to an imported changelog: an undated version, a section its
# kind may not hold, a gap, a major without migration, an unknown section. Two errors and
# three warnings.
OLD_HISTORY = """
## [5.0.2]

### Retraits

- Ancien export retiré.

## [5.0.0] - 2015-01-10

### Divers

- Première version.
"""
OLD_CODES = {
    "release-undated",
    "release-kind-too-small",
    "line-gap",
    "major-without-migration",
    "changelog-section-unknown",
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def append(path: Path, text: str) -> None:
    write(path, path.read_text(encoding="utf-8") + text)


def check(project: Path, *args: str):
    return run(["portail", "check", *args], cwd=project)


def check_json(project: Path) -> dict:
    result = run(["portail", "check", "--format", "json"], cwd=project)
    return json.loads(result.output[result.output.index("{") :])  # stderr's note comes first


def codes(output: str) -> set[str]:
    return set(re.findall(r"\[([a-z][a-z-]*)\]", output))


def entry_line(project: Path, code: str) -> int:
    """The line of the baseline file where the entry of ``code`` starts."""
    for number, line in enumerate((project / BASELINE).read_text(encoding="utf-8").splitlines(), 1):
        if line == f"- code: {code}":
            return number
    raise AssertionError(f"no entry {code}")


@pytest.fixture
def acknowledged(tmp_path: Path) -> Path:
    """A copy of the demo whose changelog carries old history, recorded in the baseline."""
    project = copy_project(tmp_path / "project")
    append(project / CHANGELOG, OLD_HISTORY)
    before = check(project)
    assert before.returncode == 1, before.output
    assert OLD_CODES <= codes(before.output)
    written = check(project, "--write-baseline")
    assert written.returncode == 0, written.output
    assert f"{len(OLD_CODES)} constat(s) enregistré(s) dans {BASELINE}" in written.output
    return project


def test_write_baseline_then_check_and_strict_build_pass(acknowledged: Path, tmp_path: Path) -> None:
    project = acknowledged
    text = (project / BASELINE).read_text(encoding="utf-8")
    # Reviewable: a French comment first (what it is, how to regenerate), then sorted entries
    # with code, file, message (subject when there is one), never a line number.
    assert text.startswith("# Constats reconnus")
    assert "portail check --write-baseline" in text.split("acknowledged:")[0]
    entries = yaml.safe_load(text)["acknowledged"]
    assert {e["code"] for e in entries} == OLD_CODES
    assert all(set(e) <= {"code", "file", "subject", "message"} and "message" in e for e in entries)
    assert all(e["file"] == CHANGELOG for e in entries)
    keys = [(e["file"], e["code"], e.get("subject", ""), e["message"]) for e in entries]
    assert keys == sorted(keys)
    assert "5.0.2 n'a pas de date" in text

    result = check(project)
    assert result.returncode == 0, result.output
    assert f"{len(OLD_CODES)} constat(s) reconnu(s) dans {BASELINE}" in result.output
    assert "0 erreur(s), 0 avertissement(s)" in result.output
    assert not codes(result.output) & OLD_CODES

    payload = check_json(project)
    assert payload["findings"] == [] and payload["errors"] == 0
    assert payload["acknowledged"] == len(OLD_CODES)

    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode == 0, build.output
    assert "WARNING" not in build.output and not codes(build.output) & OLD_CODES


def test_new_finding_after_the_baseline_still_fails(acknowledged: Path) -> None:
    project = acknowledged
    write(
        project / "kb/faq/pastell/role.md",
        "---\ntitle: Le rôle n'apparaît pas\nproducts: [pastel]\n---\n\n## Réponse\n\nTexte.\n",
    )
    # A second unknown section in the same old version: two findings alike need two entries
    # (a multiset), so the second one is new.
    append(project / CHANGELOG, "\n### Bric-à-brac\n\n- Encore.\n")
    result = check(project)
    assert result.returncode == 1, result.output
    assert "kb/faq/pastell/role.md:3: erreur [unknown-product]" in result.output
    assert result.output.count("[changelog-section-unknown]") == 1
    assert "Bric-à-brac" in result.output and "Divers" not in result.output
    assert f"{len(OLD_CODES)} constat(s) reconnu(s) dans {BASELINE}" in result.output
    payload = check_json(project)
    assert {f["code"] for f in payload["findings"]} >= {"unknown-product", "changelog-section-unknown"}
    assert payload["acknowledged"] == len(OLD_CODES)


def test_findings_moved_to_other_lines_stay_acknowledged(acknowledged: Path) -> None:
    project = acknowledged
    changelog = project / CHANGELOG
    title, rest = changelog.read_text(encoding="utf-8").split("\n", 1)
    added = "\n".join(f"Ligne d'introduction ajoutée n° {n}." for n in range(7))
    write(changelog, f"{title}\n\n{added}\n{rest}")
    result = check(project)
    assert result.returncode == 0, result.output
    assert f"{len(OLD_CODES)} constat(s) reconnu(s) dans {BASELINE}" in result.output
    assert "baseline-stale" not in result.output


def test_fixed_problem_makes_a_stale_entry_at_its_line(acknowledged: Path, tmp_path: Path) -> None:
    project = acknowledged
    line = entry_line(project, "release-undated")
    changelog = project / CHANGELOG
    write(
        changelog, changelog.read_text(encoding="utf-8").replace("## [5.0.2]\n", "## [5.0.2] - 2015-05-04\n")
    )
    result = check(project)
    assert result.returncode == 0, result.output  # a warning: the check passes, --strict does not
    assert f"{BASELINE}:{line}: avertissement [baseline-stale]" in result.output
    assert "5.0.2 n'a pas de date" in result.output
    assert "retirez cette entrée, ou régénérez le fichier" in result.output
    assert "portail check --write-baseline" in result.output
    assert f"{len(OLD_CODES) - 1} constat(s) reconnu(s) dans {BASELINE}" in result.output

    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0
    assert "baseline-stale" in build.output

    # Regenerating drops the stale entry and keeps the others.
    assert check(project, "--write-baseline").returncode == 0
    entries = yaml.safe_load((project / BASELINE).read_text(encoding="utf-8"))["acknowledged"]
    assert {e["code"] for e in entries} == OLD_CODES - {"release-undated"}
    again = check(project)
    assert again.returncode == 0 and "baseline-stale" not in again.output, again.output


MALFORMED = {
    # name: (baseline text, expected "file:line: erreur [code]", expected words)
    "bad yaml": (
        'acknowledged:\n- code: "line-gap\n  file: kb/releases/webdelib/CHANGELOG.md\n',
        f"{BASELINE}:2: erreur [baseline-syntax]",
        "guillemet",
    ),
    "entry without code": (
        "acknowledged:\n- code: line-gap\n  file: kb/releases/x.md\n  message: m\n- file: kb/releases/x.md\n  message: m\n",
        f"{BASELINE}:5: erreur [baseline-invalid]",
        "sans « code »",
    ),
    "entry without file": (
        "acknowledged:\n- code: line-gap\n  message: m\n",
        f"{BASELINE}:2: erreur [baseline-invalid]",
        "sans « file »",
    ),
    "unknown key": (
        "acknowledged:\n- code: line-gap\n  file: kb/releases/x.md\n  line: 12\n  message: m\n",
        f"{BASELINE}:4: erreur [baseline-invalid]",
        "clé « line » inconnue",
    ),
    "unknown top-level key": (
        "acknowledged: []\nconstats: []\n",
        f"{BASELINE}:2: erreur [baseline-invalid]",
        "clé « constats » inconnue",
    ),
    "not a list": (
        "- code: line-gap\n  file: kb/releases/x.md\n",
        f"{BASELINE}:1: erreur [baseline-invalid]",
        "« acknowledged: »",
    ),
    "list value": (
        "acknowledged:\n- code: line-gap\n  file: kb/releases/x.md\n  message: [a, b]\n",
        f"{BASELINE}:4: erreur [baseline-invalid]",
        "doit être un texte",
    ),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_baseline_is_an_error_with_its_line(tmp_path: Path, name: str) -> None:
    text, where, words = MALFORMED[name]
    project = copy_project(tmp_path / "project")
    write(project / BASELINE, text)
    result = check(project)
    assert result.returncode == 1, result.output
    assert where in result.output, result.output
    assert words in result.output
    assert "Correction :" in result.output and "--write-baseline" in result.output


def test_malformed_baseline_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    write(
        project / BASELINE,
        "acknowledged:\n- code: line-gap\n  file: kb/releases/x.md\n  bogus: 1\n  message: m\n",
    )
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0
    assert f"{BASELINE}:4: erreur [baseline-invalid]" in build.output


def test_hostile_text_round_trips_through_the_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    hostile = "pa'st\\\"el: <script>alert(1)</script> # x: - [y] {z} &a *b !c %d @e `f` | > ligne 2"
    write(
        project / "kb/releases/idelibre/4.2.1.md",
        f"---\nversion: 4.2.1\ndate: 2024-11-08\n---\n\n## {hostile}\n\n- Texte.\n",
    )
    before = check_json(project)
    messages = [f["message"] for f in before["findings"] if f["code"] == "changelog-section-unknown"]
    assert len(messages) == 1 and "<script>alert(1)</script>" in messages[0] and '"' in messages[0]

    assert check(project, "--write-baseline").returncode == 0
    text = (project / BASELINE).read_text(encoding="utf-8")
    entries = yaml.safe_load(text)["acknowledged"]
    assert [e["message"] for e in entries if e["code"] == "changelog-section-unknown"] == messages
    result = check(project)
    assert result.returncode == 0, result.output
    assert f"constat(s) reconnu(s) dans {BASELINE}" in result.output


def test_only_the_history_can_be_acknowledged(tmp_path: Path) -> None:
    """A finding outside release notes and changelogs (here a FAQ article naming an unknown
    product) is never written to the baseline: the writer fixes it."""
    project = copy_project(tmp_path / "project")
    write(
        project / "kb/faq/pastell/piege.md",
        '---\ntitle: Article piégé\nproducts: ["<script>inconnu</script>"]\n---\n\n## Réponse\n\nTexte.\n',
    )
    written = check(project, "--write-baseline")
    assert written.returncode == 0, written.output
    assert (
        "1 constat(s) hors des notes de version (kb/releases/) ne peuvent pas être reconnus" in written.output
    )
    assert "piege.md" not in (project / BASELINE).read_text(encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert "kb/faq/pastell/piege.md" in result.output and "[unknown-product]" in result.output
    # An entry written by hand for it matches nothing: it is stale, the finding still stops.
    write(
        project / BASELINE,
        "acknowledged:\n- code: unknown-product\n  file: kb/faq/pastell/piege.md\n  message: x\n",
    )
    result = check(project)
    assert result.returncode == 1
    assert "[baseline-stale]" in result.output and "[unknown-product]" in result.output


@pytest.mark.parametrize(
    "message",
    [
        "ligne 1\nligne 2\n\n  ligne 4 indentée ",
        "guillemets \" et ' et « » : deux-points # dièse",
        "<script>alert('x')</script> & <b>gras</b>",
        "- ressemble à une liste",
        "null",
        "yes",
        "4.10",
        "2024-01-01",
        "  espaces autour  ",
        "tabulation\tet retour\r\nWindows",
        "séparateur\u2028de ligne\u2029Unicode",
        "{accolades: [crochets]} *étoile &esperluette !point %pour @arobase `accent`",
        "| barre\n> chevron",
        "émoji 🚀 et S²LOW",
    ],
)
def test_any_message_round_trips(tmp_path: Path, message: str) -> None:
    """Whatever text a check quotes, the file keeps it exactly: matched, not stale, not new."""
    from portail.checks.baseline import apply_baseline, read_baseline, write_baseline
    from portail.model.findings import Source, error

    kb = tmp_path / "kb"
    kb.mkdir()
    finding = error(Source("kb/releases/x.md", 3), "invalid-field", message, "Corrigez.")
    other = error(
        Source("kb/releases/x.md", 4), "invalid-field", message, "Corrigez.", subject=message + " sujet"
    )
    write_baseline(kb, [finding, other])
    baseline = read_baseline(kb, tmp_path)
    assert baseline.findings == ()
    assert [(e.message, e.subject) for e in baseline.entries] == [
        (message, ""),
        (message, message + " sujet"),
    ]
    moved = [
        error(Source("kb/releases/x.md", 30), "invalid-field", message, "Corrigez."),
        error(
            Source("kb/releases/x.md", 40),
            "invalid-field",
            "autre message",
            "Corrigez.",
            subject=message + " sujet",
        ),
    ]
    applied = apply_baseline(moved, baseline)
    assert applied.reported == [] and len(applied.acknowledged) == 2
