"""A document page must not grow with the number of documents in the site (Material renders
the whole navigation into every page; ours holds only tabs and section landing pages)."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, mkdocs_build

N = 25  # pages of the small corpus (60 % documents); the large one has 4N


def document_page_sizes(tmp: Path, pages: int) -> dict[str, int]:
    """Size of each document page filed under a version line, by the document's slug."""
    project = tmp / f"corpus-{pages}"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_corpus.py"), "--pages", str(pages), str(project)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    site = tmp / f"site-{pages}"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.output
    # documentation/<product>/<X.Y>/<slug>/index.html
    return {p.parent.name: p.stat().st_size for p in site.glob("documentation/*/*/*/index.html")}


def test_document_page_size_does_not_grow_with_the_site(tmp_path: Path) -> None:
    small = document_page_sizes(tmp_path, N)
    large = document_page_sizes(tmp_path, 4 * N)
    # The generator gives a document the same slug and body at any corpus size: compare each
    # document with itself, so that only what the site adds around it counts.
    common = small.keys() & large.keys()
    assert len(common) >= N / 3, (len(small), len(large))
    ratio = statistics.median(large[slug] / small[slug] for slug in common)
    print(f"document pages at {N} and {4 * N} pages: median ratio {ratio:.3f} over {len(common)} documents")
    assert ratio < 1.03
