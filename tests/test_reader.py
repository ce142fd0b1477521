"""Reading kb/ into the model: catalogue, documents, version lines, sources and lines."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import NOW, ROOT, copy_project, make_kb
from portail.checks.analyse import analyse
from portail.model.kb import DocumentKind
from portail.model.versions import LineNumber
from portail.reading.knowledge_base import read_knowledge_base


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    # A copy outside git: a shallow checkout of this repository warns (git-shallow).
    root = copy_project(tmp_path_factory.mktemp("demo") / "project")
    kb, findings = read_knowledge_base(root / "kb", root, NOW)
    assert findings == []
    return kb


def test_catalogue_has_three_sections_in_order_with_their_products(demo) -> None:
    assert [s.title for s in demo.sections] == ["01- LES LIBRICIELS", "02- LES SERVICES", "03- AUTRES"]
    libriciels = demo.products_of(demo.sections[0])
    assert [p.slug for p in libriciels] == [
        "iparapheur",
        "idelibre",
        "lsmessage",
        "partenaires",
        "pastell",
        "s2low",
        "visumatrice",
        "webdelib",
    ]
    s2low = demo.product("s2low")
    assert (s2low.name, s2low.code, s2low.support_queue) == ("S²LOW", "SL", "SUPPORT_s2low")
    assert "s2low" in s2low.aliases
    assert demo.product("lspki").section == "services"


def test_every_object_knows_its_file_and_line(demo) -> None:
    s2low = demo.product("s2low")
    catalogue_lines = (ROOT / "kb/catalogue.yml").read_text(encoding="utf-8").splitlines()
    assert s2low.source.path == "kb/catalogue.yml"
    assert catalogue_lines[s2low.source.line - 1].strip() == "- slug: s2low"
    for document in demo.documents:
        path = ROOT / document.source.path
        assert path.is_file()
        line = path.read_text(encoding="utf-8").splitlines()[document.source.line - 1]
        assert line.startswith("title:"), (document.source, line)


def test_version_lines_newest_first_and_pdf_attachments(demo) -> None:
    iparapheur = demo.product("iparapheur")
    assert [str(line.number) for line in demo.lines_of(iparapheur)] == ["4.7", "4.6", "4.5", "4.4"]
    newest = demo.newest_line(iparapheur)
    kinds = {d.kind for d in newest.documents}
    assert {
        DocumentKind.USER_MANUAL,
        DocumentKind.ADMIN_MANUAL,
        DocumentKind.INSTALLATION_MANUAL,
        DocumentKind.PREREQUISITES,
        DocumentKind.QUICK_SHEET,
    } <= kinds
    pdf = next(d for d in newest.documents if d.is_attachment)
    assert pdf.attachment.extension == "pdf" and pdf.attachment.size > 0
    assert not pdf.title.lower().endswith(".pdf")
    for slug in ("pastell", "s2low"):
        assert len(demo.lines_of(demo.product(slug))) >= 3


def test_model_is_immutable(demo) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        demo.products[0].name = "autre"  # type: ignore[misc]
    assert isinstance(demo.documents, tuple) and isinstance(demo.lines, tuple)


def test_lines_sort_numerically() -> None:
    assert sorted([LineNumber(4, 10), LineNumber(4, 9), LineNumber(10, 0)]) == [
        LineNumber(4, 9),
        LineNumber(4, 10),
        LineNumber(10, 0),
    ]


def test_a_version_folder_x_y_z_joins_its_line(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path,
        {
            "documentation/pastell/4.1.3/correctif.md": "---\ntitle: Correctif des connecteurs\n"
            "kind: manuel-mise-a-jour\n---\n\n## Étapes\n",
            "releases/pastell/4.1.3.md": "---\ndate: 2025-01-02\n---\n\n## Corrections\n\n- a\n",
        },
    )
    analysis = analyse(kb, tmp_path, now=NOW)
    assert not analysis.findings
    (line,) = analysis.kb.lines
    assert str(line.number) == "4.1"
    assert line.documents[0].version == "4.1.3"


def test_headings_out_of_order_are_warnings_with_the_line(tmp_path: Path) -> None:
    body = "---\ntitle: Jetons\n---\n\n# Jetons\n\n## Choisir\n\n#### Modèles\n\n```\n# pas un titre\n```\n"
    kb = make_kb(tmp_path, {"documentation/lspki/jetons.md": body})
    findings = analyse(kb, tmp_path, now=NOW).findings
    assert [(f.code, f.source.line) for f in findings] == [("heading-h1", 5), ("heading-order", 9)]
    assert all(not f.is_error for f in findings)
