"""Small pieces of the core, each alone: YAML with lines, schemas, version folders, URLs, French formats."""

from __future__ import annotations

from datetime import date

import pytest

from portail import fr
from portail.schema import Field, Schema
from portail.urls import relative, slugify
from portail.versions import parse_version_folder, suggest_version_folder
from portail.yamlfile import YamlError, load_yaml, split_front_matter


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
