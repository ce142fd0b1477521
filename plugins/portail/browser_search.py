"""The browser search: Pagefind indexes the built HTML; pages say what to index and with which
filters (``render.SearchMeta``, read by ``theme/main.html``)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from .model import Product

HELP_TYPE = "Documentation"  # hand-written help pages (« Avant de déposer un ticket »…)
BUNDLE = "pagefind"
PRODUCTS_FILE = "portail-produits.json"


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path) -> None:
    """Run Pagefind (PyPI ``pagefind[bin]``, no download) over the built site, in French."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE,
        "--force-language",
        "fr",
        "--exclude-selectors",
        ".headerlink",
        "--silent",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SearchIndexError(
            f"Pagefind a échoué ({done.returncode}) : {done.stderr.strip() or done.stdout.strip()}"
        )


def product_names(products: Iterable[Product]) -> bytes:
    """``portail-produits.json``: each product's display name (the search filter) and the ways
    readers write it (slug, code, aliases), so that « s2low », « s²low » or « SL » in a query
    becomes the S²LOW filter."""
    data = [
        {"slug": p.slug, "name": p.name, "aliases": sorted({p.slug, p.code, p.name, *p.aliases})}
        for p in products
    ]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
