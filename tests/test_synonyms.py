"""kb/synonymes.yml (issue 14): reading, the writers' findings with their lines, the folded JSON
the build publishes at the site root, and the document page's lead paragraph (descriptions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import NOW, ROOT, make_kb
from portail.checks.analyse import analyse
from portail.model.synonyms import SYNONYMS_JSON, Synonyms, fold_text, synonyms_json
from portail.reading.synonyms import check_synonyms_text
from sitehtml import content, page, text

EXAMPLE = """\
# Mots équivalents : chercher l'un trouve aussi les autres.
synonymes:
  - [échéance, expiré, expiration]
  - [perdu, oublié]
# Abréviations : chercher l'abréviation trouve aussi son développement.
abreviations:
  mdp: mot de passe
  AR: accusé de réception
"""


def codes_and_lines(text_: str) -> list[tuple[str, int]]:
    _synonyms, findings = check_synonyms_text(text_)
    return sorted((f.code, f.source.line) for f in findings)


def test_the_issue_example_gives_the_exact_json() -> None:
    synonyms, findings = check_synonyms_text(EXAMPLE)
    assert findings == []
    assert json.loads(synonyms_json(synonyms)) == {
        "groupes": [["echeance", "expire", "expiration"], ["perdu", "oublie"]],
        "abreviations": {"mdp": "mot de passe", "ar": "accuse de reception"},
    }


def test_fold_is_the_search_fold_with_apostrophes_as_spaces() -> None:
    assert fold_text("Numéro d'Acte") == "numero d acte"
    assert fold_text("  S²LOW’s   Œuvre ") == "s2low s oeuvre"


@pytest.mark.parametrize(
    ("text_", "expected"),
    [
        ("synonymes:\n  - [perdu, oublié]\nsynonymmes: []\n", [("synonyms-unknown-key", 3)]),
        ("- [perdu, oublié]\n", [("synonyms-structure", 1)]),
        ("synonymes: perdu, oublié\n", [("synonyms-structure", 1)]),
        ("synonymes:\n  - perdu\n", [("synonyms-structure", 2)]),
        (
            "synonymes:\n  - [perdu, oublié]\n  - [égaré,\n     Oublie]\n",
            [("synonyms-duplicate-word", 4), ("synonyms-small-group", 3)],
        ),
        ("synonymes:\n  - []\n  - [seul]\n", [("synonyms-small-group", 2), ("synonyms-small-group", 3)]),
        (
            "synonymes:\n  - [mdp, mot de passe]\nabreviations:\n  MDP: mot de passe\n",
            [("synonyms-abbreviation-in-group", 4)],
        ),
        ("abreviations:\n  mdp:\n  AR: ''\n", [("synonyms-empty-expansion", 2), ("synonyms-empty-expansion", 3)]),
        ("abreviations:\n  préf: préfecture\n  pref: préfecture\n", [("synonyms-duplicate-word", 3)]),
        ("abreviations:\n  - mdp\n", [("synonyms-structure", 1)]),
        ("synonymes:\n  - [on, off]\n", [("synonyms-small-group", 2), ("synonyms-structure", 2), ("synonyms-structure", 2)]),
        ("synonymes:\n\t- [perdu, oublié]\n", [("yaml-syntax", 2)]),
    ],
)
def test_mistakes_are_findings_at_their_line(text_: str, expected: list[tuple[str, int]]) -> None:
    assert codes_and_lines(text_) == sorted(expected)


def test_what_can_be_read_is_kept() -> None:
    synonyms, findings = check_synonyms_text(
        "synonymes:\n  - [perdu, oublié]\n  - [égaré, oublié, paumé]\nabreviations:\n  mdp: mot de passe\n  x:\n"
    )
    assert synonyms.groups == (("perdu", "oublié"), ("égaré", "paumé"))
    assert synonyms.abbreviations == (("mdp", "mot de passe"),)
    assert {f.code for f in findings} == {"synonyms-duplicate-word", "synonyms-empty-expansion"}


def test_messages_are_french_and_say_the_fix() -> None:
    _synonyms, findings = check_synonyms_text("synonymes:\n  - [perdu, oublié]\n  - [oublié, égaré, paumé]\n")
    (finding,) = findings
    assert "« oublié » est déjà dans un groupe de synonymes (ligne 2)" in finding.message
    assert "Fusionnez" in finding.fix


def test_missing_file_means_no_synonyms_and_no_finding(tmp_path: Path) -> None:
    kb_dir = make_kb(tmp_path, {})
    analysis = analyse(kb_dir, tmp_path, now=NOW)
    assert analysis.kb.synonyms == Synonyms() and not analysis.kb.synonyms
    assert not [f for f in analysis.findings if f.source.path.endswith("synonymes.yml")]


def test_check_reports_the_file_with_its_path(tmp_path: Path) -> None:
    kb_dir = make_kb(tmp_path, {"synonymes.yml": "synonymes:\n  - [perdu]\nabreviations:\n  AR:\n"})
    analysis = analyse(kb_dir, tmp_path, now=NOW)
    found = sorted((f.source.path, f.source.line, f.code) for f in analysis.findings if "synonym" in f.code)
    assert found == [
        ("kb/synonymes.yml", 2, "synonyms-small-group"),
        ("kb/synonymes.yml", 4, "synonyms-empty-expansion"),
    ]
    assert analysis.has_errors


def test_the_demo_synonyms_are_clean() -> None:
    analysis = analyse(ROOT / "kb", ROOT, now=NOW)
    assert not [f for f in analysis.findings if f.source.path.endswith("synonymes.yml")]
    folded = analysis.kb.synonyms.folded()
    assert folded["abreviations"]["mdp"] == "mot de passe"
    assert folded["abreviations"]["ar"] == "accuse de reception"
    assert ["perdu", "oublie"] in folded["groupes"]


def test_build_publishes_the_synonyms_and_document_descriptions(demo_site: Path) -> None:
    published = json.loads((demo_site / SYNONYMS_JSON).read_text(encoding="utf-8"))
    assert published == analyse(ROOT / "kb", ROOT, now=NOW).kb.synonyms.folded()
    soup = page(demo_site, "documentation/pastell/4.1/manuel-exploitation/")
    lead = content(soup).select_one("p.portail-lead")
    assert lead is not None
    assert text(lead).startswith("Superviser, sauvegarder et dépanner une plateforme Pastell 4.1")
    # Under the title, before the document's own text; inside what Pagefind indexes.
    assert lead.find_previous("h1") is not None
    assert lead.find_parent(attrs={"data-pagefind-body": True}) is not None


def test_description_is_escaped_on_the_document_page(tmp_path: Path) -> None:
    from portail.pages.generate import generate_pages

    kb_dir = make_kb(
        tmp_path,
        {
            "documentation/pastell/guide.md": (
                "---\ntitle: Guide\nkind: fiche-reflexe\n"
                "description: \"<script>alert(1)</script> *pas* d'emphase [lien](http://x)\"\n---\n\nTexte.\n"
            )
        },
    )
    analysis = analyse(kb_dir, tmp_path, now=NOW)
    assert not analysis.has_errors, [f.format() for f in analysis.errors]
    pages = {p.src_uri: p for p in generate_pages(analysis.kb, NOW)}
    markdown = next(p.markdown for uri, p in pages.items() if uri.startswith("documentation/pastell/guide"))
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert '<p class="portail-lead">' in markdown
