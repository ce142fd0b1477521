"""Small pieces of the core, each alone: YAML with lines, schemas, version folders, URLs, French formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from portail.model import fr
from portail.model.urls import relative, slugify
from portail.model.versions import parse_version_folder, suggest_version_folder
from portail.reading.schema import Field, Schema
from portail.reading.yamlfile import YamlError, load_yaml, split_front_matter


def test_front_matter_keeps_file_lines() -> None:
    front = split_front_matter("---\ntitle: Guide\nkind: autre\n---\n\n## Texte\n")
    assert front.data["title"] == "Guide"
    assert front.data.line_of("kind") == 3
    assert front.body_line == 5
    assert front.body == "\n## Texte\n"


def test_front_matter_error_points_at_the_file_line() -> None:
    with pytest.raises(YamlError) as raised:
        split_front_matter("---\ntitle: Guide\nkind: a: b\n---\n")
    assert raised.value.line == 3
    assert "entre guillemets" in raised.value.message


def test_unclosed_front_matter_is_an_error() -> None:
    with pytest.raises(YamlError, match="jamais fermé"):
        split_front_matter("---\ntitle: Guide\n\n## Texte\n")


def test_a_key_written_twice_is_an_error_not_a_silent_overwrite() -> None:
    with pytest.raises(YamlError) as raised:
        load_yaml("title: Un\nkind: autre\ntitle: Deux\n")
    assert raised.value.line == 3 and "deux fois" in raised.value.message


def test_schema_reports_missing_invalid_and_unknown_fields() -> None:
    schema = Schema(
        "l'en-tête",
        (
            Field("title", "text", "titre", True),
            Field("updated", "date", "date"),
            Field("kind", "choice", "type", choices=("autre", "fiche-reflexe")),
        ),
    )
    data = load_yaml("titre: X\nupdated: 12/03/2026\nkind: fiche-reflex\n")
    values, findings = schema.validate(data, "kb/x.md")
    by_code = {(f.code, f.source.line): f for f in findings}
    assert set(by_code) == {
        ("unknown-field", 1),
        ("invalid-field", 2),
        ("invalid-field", 3),
        ("missing-field", 1),
    }
    assert "vouliez-vous dire « title »" in by_code[("unknown-field", 1)].fix
    assert "vouliez-vous dire « fiche-reflexe »" in by_code[("invalid-field", 3)].message
    assert values == {"title": None, "updated": None, "kind": None}


@pytest.mark.parametrize(
    "name, line, version",
    [("4.7", "4.7", None), ("4.7.11", "4.7", "4.7.11"), ("10.0", "10.0", None)],
)
def test_version_folders_that_parse(name: str, line: str, version: str | None) -> None:
    parsed = parse_version_folder(name)
    assert parsed is not None and str(parsed.line) == line and parsed.version == version


@pytest.mark.parametrize("name", ["V4.7", "VERSION 4.7", "4", "4.07", "10.8.3.1", "4.x", ""])
def test_version_folders_that_do_not(name: str) -> None:
    assert parse_version_folder(name) is None


@pytest.mark.parametrize(
    "name, suggestion",
    [("VERSION 4.7", "4.7"), ("v4.07", "4.7"), ("version_5.0.1", "5.0.1"), ("clients", None)],
)
def test_near_misses_get_a_suggestion(name: str, suggestion: str | None) -> None:
    assert suggest_version_folder(name) == suggestion


def test_slugs_are_lowercase_ascii() -> None:
    assert slugify("Pré-requis Ubuntu 4.7 (serveur)") == "pre-requis-ubuntu-4-7-serveur"
    assert slugify("S²LOW") == "s2low"


def test_relative_links_between_directory_urls() -> None:
    assert relative("documentation/", "documentation/iparapheur/4.7/") == "iparapheur/4.7/"
    assert relative("documentation/iparapheur/4.5/", "documentation/iparapheur/4.7/") == "../4.7/"
    assert relative("documentation/a/", "documentation/a/") == "./"
    assert relative("documentation/a/4.7/", "documentation/a/4.7/x.pdf") == "x.pdf"


def test_french_formats() -> None:
    assert fr.long_date(date(2026, 3, 1)) == "1 mars 2026"
    assert fr.file_size(820) == "820 octets"
    assert fr.file_size(43_008) == "42\u00a0Ko"
    assert fr.file_size(1_258_291) == "1,2\u00a0Mo"
    assert fr.file_type("PDF") == "PDF"
    assert fr.file_type("ods") == "tableur OpenDocument"


def test_the_core_never_imports_mkdocs() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, portail\n"
        "for m in pkgutil.walk_packages(portail.__path__, 'portail.'):\n"
        "    if not m.name.startswith('portail.adapters'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('mkdocs', 'material')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_list_as_a_yaml_key_is_a_finding_not_a_crash() -> None:
    with pytest.raises(YamlError) as raised:
        load_yaml("title: Guide\n[brouillon]: true\n")
    assert raised.value.line == 2 and "clé invalide" in raised.value.message


def test_a_yaml_alias_does_not_shift_lines_twice() -> None:
    front = split_front_matter("---\nbase: &b\n  kind: autre\ncopie: *b\n---\n")
    assert front.data["base"].line_of("kind") == 3
    assert front.data["copie"].line_of("kind") == 3


def test_relative_hours_count_elapsed_time_across_daylight_saving() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portail.model.clock import parse_moment

    paris = ZoneInfo("Europe/Paris")
    after_spring_forward = datetime(2026, 3, 29, 4, 0, tzinfo=paris)  # 02:00 -> 03:00 that night
    assert parse_moment("H-3", after_spring_forward) == datetime(2026, 3, 29, 0, 0, tzinfo=paris)
    after_fall_back = datetime(2026, 10, 25, 4, 0, tzinfo=paris)  # 03:00 -> 02:00 that night
    earlier = parse_moment("H-3", after_fall_back)
    utc = ZoneInfo("UTC")
    assert (after_fall_back.astimezone(utc) - earlier.astimezone(utc)).total_seconds() == 3 * 3600


def test_portail_links_are_resolved_however_they_are_written() -> None:
    from portail.checks.portail_links import check_links, resolve_links

    targets = {"ticket": "https://t.example.org/", "outil/lspki": "https://pki.example.org/"}
    text = "[T](portail:ticket \"Déposer\")\n<a href='portail:outil/lspki'>PKI</a>\n[r]: portail:ticket\n"
    resolved = resolve_links(text, targets)
    assert "portail:" not in resolved and resolved.count("https://t.example.org/") == 2
    findings = check_links("texte\n[x][y]\n\n[y]: portail:outil/inconnu\n", "docs/a.md", targets)
    assert [(f.code, f.source.line) for f in findings] == [("unknown-link-target", 4)]


def test_release_headings_are_shifted_under_the_page_sections() -> None:
    from portail.pages.render import headings_from

    body = "#### Détail\n\ntexte\n\n##### Plus fin\n\n```\n# pas un titre\n```\n"
    assert headings_from(body, 3) == "### Détail\n\ntexte\n\n#### Plus fin\n\n```\n# pas un titre\n```\n"


def test_unpublished_releases_do_not_move_the_bump_of_published_ones() -> None:
    from portail.model.contract import ReleaseKind, kinds_by_version
    from portail.model.versions import parse_version

    v = {t: parse_version(t).version for t in ("4.7.3", "4.8.0", "4.8.1")}
    kinds = kinds_by_version(v.values(), unpublished=[v["4.8.0"]])
    assert kinds[v["4.8.1"]] is ReleaseKind.MINOR  # what clients can install after 4.7.3
    assert kinds[v["4.8.0"]] is ReleaseKind.MINOR


def test_git_dates_read_accented_file_names(tmp_path: Path) -> None:
    import subprocess

    from portail.reading.gitdates import last_commit_dates

    env = {
        "GIT_AUTHOR_DATE": "2025-03-04T10:00:00+01:00",
        "GIT_COMMITTER_DATE": "2025-03-04T23:30:00+00:00",
        "GIT_AUTHOR_NAME": "Camille Exemple",
        "GIT_AUTHOR_EMAIL": "c@example.org",
        "GIT_COMMITTER_NAME": "Camille Exemple",
        "GIT_COMMITTER_EMAIL": "c@example.org",
        "PATH": "/usr/bin:/bin",
    }
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq/élu-oublié.md").write_text("x", encoding="utf-8")
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "a"]):
        subprocess.run(command, cwd=tmp_path, env=env, check=True)
    dates = last_commit_dates(tmp_path / "faq")
    # 23:30 UTC on the 4th is already the 5th in Paris.
    assert dates == {(tmp_path / "faq/élu-oublié.md").resolve(): date(2025, 3, 5)}


def test_no_core_module_mentions_mkdocs_in_its_imports() -> None:
    import ast

    core = Path(__file__).resolve().parent.parent / "plugins/portail"
    for path in core.rglob("*.py"):
        if "adapters" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] in ("mkdocs", "material") for n in names), path
