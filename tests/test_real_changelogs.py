"""Real history: the vendor's public changelogs (../shared/corpus/changelogs/) publish every
version they hold after one `portail check --write-baseline`, in `portail check` and in
`mkdocs build --strict`, and the baseline stays valid."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build, run

CORPUS = ROOT.parent / "shared" / "corpus" / "changelogs"
# Corpus file -> the product it is read as: products of their own, added to the demo's
# catalogue (the demo's products have notes and articles of other versions).
CHANGELOGS = {
    "pastell.CHANGELOG.md": "historique-pastell",
    "iparapheur-v5.CHANGELOG.md": "historique-parapheur",
    "idelibre.CHANGELOG.md": "historique-idelibre",
}
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+\[?[vV]?(\d+(?:\.\d+)*(?:-[0-9A-Za-z.]+)?)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"corpus absent ({CORPUS}): clone outside CI, ../shared missing"
)


def version_headings(text: str) -> list[str]:
    """The versions named by headings, outside code blocks, counted independently of the reader."""
    found, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line.replace("\ufffc", ""))
        if match:
            found.append(match.group(1))
    return found


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str]:
    project = copy_project(tmp_path_factory.mktemp("real") / "project")
    catalogue = project / "kb" / "catalogue.yml"
    entries = "".join(
        f"      - slug: {product}\n        name: Historique {number}\n        code: H{number}\n"
        f"        aliases: []\n        description: Journal importé.\n"
        f"        support_queue: SUPPORT_general\n"
        for number, product in enumerate(CHANGELOGS.values(), start=1)
    )
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + entries, encoding="utf-8")
    for name, product in CHANGELOGS.items():
        folder = project / "kb" / "releases" / product
        folder.mkdir(parents=True)
        shutil.copy(CORPUS / name, folder / "CHANGELOG.md")
    first = run(["portail", "check"], cwd=project)
    written = run(["portail", "check", "--write-baseline"], cwd=project)
    assert written.returncode == 0, written.output
    site = project.parent / "site"
    built = mkdocs_build(project, site)
    assert built.returncode == 0, built.output[-4000:]
    return project, site, first.output, written.output


def test_the_raw_changelogs_stop_the_check_with_findings_at_their_lines(history) -> None:
    _, _, first, _ = history
    assert "kb/releases/historique-pastell/CHANGELOG.md:" in first


def test_after_the_baseline_check_passes_and_names_what_it_acknowledged(history) -> None:
    project, _, _, _ = history
    assert (project / "kb/portail-baseline.yml").is_file()
    again = run(["portail", "check"], cwd=project)
    assert again.returncode == 0, again.output[-3000:]
    assert "reconnu" in again.output
    assert "baseline-stale" not in again.output


@pytest.mark.parametrize("name", sorted(CHANGELOGS))
def test_every_version_heading_is_published(history, name: str) -> None:
    _, site, _, _ = history
    product = CHANGELOGS[name]
    headings = version_headings((CORPUS / name).read_text(encoding="utf-8"))
    pages = sorted(p.parent.name for p in (site / "release-notes" / product).glob("*/index.html"))
    pages = [p for p in pages if p != "page"]
    assert len(pages) == len(headings), (len(pages), len(headings), sorted(set(headings) - set(pages)))


def test_the_baseline_survives_edits_elsewhere_in_the_file(history, tmp_path: Path) -> None:
    project, _, _, _ = history
    moved = copy_project(tmp_path / "moved", kb=project / "kb")
    changelog = moved / "kb/releases/historique-pastell/CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(text.replace("\n", "\n\n", 3), encoding="utf-8")  # every line moves down
    result = run(["portail", "check"], cwd=moved)
    assert result.returncode == 0, result.output[-3000:]
    assert "baseline-stale" not in result.output
