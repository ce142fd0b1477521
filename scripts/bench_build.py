#!/usr/bin/env python3
"""Build benchmark: the same synthetic knowledge base at N and 4N documents, in one command.

Prints build time, time per document, median document page size and site size for each, and
the 4N/N ratios: a linear build has a time-per-document ratio near 1 and a page-size ratio of 1.

    python scripts/bench_build.py [--documents 250]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def measure(workdir: Path, documents: int) -> dict[str, float]:
    project = workdir / f"corpus-{documents}"
    subprocess.run(
        [sys.executable, str(HERE / "make_corpus.py"), "--documents", str(documents), str(project)],
        check=True,
    )
    site = workdir / f"site-{documents}"
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-q", "--site-dir", str(site)],
        cwd=project,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    elapsed = time.perf_counter() - start
    pages = [p.stat().st_size for p in site.glob("documentation/*/*/document-*/index.html")]
    return {
        "documents": documents,
        "seconds": elapsed,
        "ms_per_document": 1000 * elapsed / documents,
        "median_page_kb": statistics.median(pages) / 1024,
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1024**2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=250, help="N (the baseline); 4N is also built")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = measure(Path(tmp), args.documents)
        large = measure(Path(tmp), 4 * args.documents)
    for row in (base, large):
        print(
            f"{row['documents']:>6} documents: build {row['seconds']:.2f} s, "
            f"{row['ms_per_document']:.2f} ms/document, median page {row['median_page_kb']:.1f} Ko, "
            f"site {row['site_mb']:.1f} Mo"
        )
    print(
        f"ratio {large['documents']}/{base['documents']} documents: "
        f"time per document x{large['ms_per_document'] / base['ms_per_document']:.2f}, "
        f"median page size x{large['median_page_kb'] / base['median_page_kb']:.3f}"
    )


if __name__ == "__main__":
    main()
