"""The browser search: Pagefind indexes the built HTML; pages say what to index and with which
filters (``render.SearchMeta``, read by ``theme/main.html``)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from ..model.kb import PAGE_TYPES, KnowledgeBase, Product
from ..model.urls import document_url
from .pagefind_parts import PART_TOKENS, index_in_parts, plan_parts
from .pagefind_run import BUNDLE, Record, run_index, run_sync
from .product_words import filter_words

HELP_TYPE = PAGE_TYPES["documentation"]  # hand-written help pages (« Avant de déposer un ticket »…)
PRODUCTS_FILE = "portail-produits.json"
__all__ = [
    "BUNDLE",
    "HELP_TYPE",
    "PRODUCTS_FILE",
    "Record",
    "attachment_records",
    "filter_words",
    "index_site",
    "product_names",
]


def attachment_records(kb: KnowledgeBase) -> list[Record]:
    """Attached files, found by their title, kind and description like any page."""
    records = []
    for document in kb.documents:
        if document.attachment is None:
            continue
        product = kb.product(document.product)
        words = [document.title, document.kind.label, document.description or "", product.name]
        records.append(
            Record(
                url=document_url(document),
                title=document.title,
                content=". ".join(w for w in words if w),
                type=HELP_TYPE,
                products=(product.name,),
                line=str(document.line) if document.line else None,
            )
        )
    return records


def index_site(
    site_dir: Path,
    records: Sequence[Record] = (),
    cache_dir: Path | None = None,
    *,
    part_tokens: int = PART_TOKENS,
) -> bool:
    """Index the built site with Pagefind (PyPI ``pagefind[bin]``, no download), in French:
    the HTML pages marked ``data-pagefind-body``, plus ``records`` (attachments). With
    ``cache_dir``, a site whose pages and records are those of the last indexed build gets that
    build's bundle back instead of a new run (Pagefind takes tens of seconds at thousands of
    pages; hashing the pages takes a fraction of a second). True when Pagefind ran.

    Pagefind holds every page's words and positions in memory, then copies them while it builds
    the index: about 3 times what the words take, some 200 KB a page here (1.1 GB at 5,000
    pages). A site of more than ``part_tokens`` (see ``PART_TOKENS``) is therefore indexed in
    parts, one Pagefind process after the other, and the parts' bundles are merged into the
    bundle a single run writes (same words, positions, pages, excerpts, filters: same ranking),
    so that memory follows the size of a part, not of the site. A page's part follows from its
    path, and with ``cache_dir`` each part's bundle is kept: after an edit, only the parts whose
    pages changed are indexed again (True as soon as one is)."""
    # A dirty build keeps the site folder: the previous bundle's files (named by content hash)
    # would stay beside the new ones.
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
    cached = cache_dir / f"{BUNDLE}-{_site_digest(site_dir, records)}" if cache_dir is not None else None
    if cached is not None and cached.is_dir():
        shutil.copytree(cached, site_dir / BUNDLE)
        return False
    parts = plan_parts(site_dir, part_tokens)
    ran = True
    if len(parts) == 1:
        run_sync(run_index(site_dir, records, site_dir / BUNDLE))
    else:
        ran = index_in_parts(site_dir, records, parts, cache_dir)
    if cached is not None:
        # One bundle is kept: the cache follows the site instead of growing with each edit.
        for old in cache_dir.glob(f"{BUNDLE}-*"):  # type: ignore[union-attr]
            shutil.rmtree(old, ignore_errors=True)
        shutil.copytree(site_dir / BUNDLE, cached)
    return ran


def _site_digest(site_dir: Path, records: Sequence[Record]) -> str:
    """What Pagefind reads: every HTML page (path and bytes), the records, its version."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(json.dumps([asdict(r) for r in records], sort_keys=True).encode())
    hasher.update(version("pagefind").encode())
    for page in sorted(site_dir.rglob("*.html")):
        hasher.update(page.relative_to(site_dir).as_posix().encode() + b"\0")
        hasher.update(page.read_bytes())
    return hasher.hexdigest()


def product_names(products: Iterable[Product]) -> bytes:
    """``portail-produits.json``: for each product, its display name (the search filter), the
    names ``?produit=`` accepts (``aliases``: slug, code, name, declared aliases, as
    ``search_query.product_from_text`` accepts them) and the words of a query that restrict the
    search to it (``words``, see ``filter_words``): « s2low », « s²low » or « slow » in a query
    become the S²LOW filter, « SL » only in ``?produit=``."""
    data = [
        {
            "slug": p.slug,
            "name": p.name,
            "code": p.code,
            "aliases": sorted({p.slug, p.code, p.name, *p.aliases}),
            "words": filter_words(p),
        }
        for p in products
    ]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
