"""Recall@5 of the browser search, run through Pagefind's own JavaScript in headless Chromium
over the built demo, on the shared query set (tests/search_queries.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))


def test_browser_recall_at_5(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "recherche/")
    found = page.evaluate(
        """async queries => {
            const out = [];
            for (const q of queries) {
                const r = await window.portailSearch(q.query, {produit: q.produit || "", limit: 5});
                out.push(r.results.map(x => x.url));
            }
            return out;
        }""",
        QUERIES,
    )
    misses = [
        (q["query"], q["expected"], urls)
        for q, urls in zip(QUERIES, found, strict=True)
        if "/" + q["expected"] not in urls
    ]
    recall = 1 - len(misses) / len(QUERIES)
    print(f"\nbrowser search (Pagefind) recall@5: {recall:.3f} over {len(QUERIES)} queries")
    for query, expected, urls in misses:
        print(f"  miss: {query!r} -> expected {expected}, got {urls}")
    assert len(QUERIES) >= 30
    assert recall >= 0.9
