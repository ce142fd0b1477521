"""A document page must not grow with the number of documents in the site (Material renders
the whole navigation into every page; ours holds only tabs and section landing pages)."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, mkdocs_build

N = 40


def median_document_page_size(tmp: Path, documents: int) -> float:
    project = tmp / f"corpus-{documents}"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_corpus.py"), "--documents", str(documents), str(project)],
        check=True,
    )
    site = tmp / f"site-{documents}"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.output
    sizes = [p.stat().st_size for p in site.glob("documentation/*/*/document-*/index.html")]
    assert len(sizes) == documents
    return statistics.median(sizes)


def test_document_page_size_does_not_grow_with_the_site(tmp_path: Path) -> None:
    small = median_document_page_size(tmp_path, N)
    large = median_document_page_size(tmp_path, 4 * N)
    print(
        f"median document page: {small:.0f} B at {N} documents, {large:.0f} B at {4 * N} "
        f"(ratio {large / small:.3f})"
    )
    assert large / small < 1.03
