"""« Articles liés » on FAQ and release-note pages: whoosh's more-like-this, computed at build
time and cached by the content hash of the whole knowledge base, so an unchanged knowledge
base reads a JSON file instead of querying the index again."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .model import KnowledgeBase
from .search import ANALYSIS_VERSION, SearchIndex, documents_from_kb

RELATED_LIMIT = 5
WITH_RELATED = ("faq", "release")
EPHEMERAL = ("information",)


@dataclass(frozen=True)
class RelatedLink:
    url: str
    title: str
    type: str


def related_articles(kb: KnowledgeBase, cache_dir: Path) -> dict[str, list[RelatedLink]]:
    """Page URL -> up to five related pages (same product first), for FAQ and release pages."""
    documents = documents_from_kb(kb)
    # Information posts are left out: they come and go (and a demo's relative dates change
    # with the clock), while related links should only change when the articles do.
    lasting = [d for d in documents if d.type not in EPHEMERAL]
    digest = hashlib.sha256()
    for document in sorted(lasting, key=lambda d: d.url):
        digest.update(f"{document.url}\0{document.content_hash}\n".encode())
    cache = cache_dir / f"related-{ANALYSIS_VERSION}-{digest.hexdigest()[:20]}.json"
    if cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
        return {url: [RelatedLink(**link) for link in links] for url, links in data.items()}
    index = SearchIndex(cache_dir / "index")
    try:
        index.update(documents)
        extra = len(documents) - len(lasting)  # room for the posts the index may return
        related = {
            document.url: [
                RelatedLink(hit.url, hit.title, hit.type)
                for hit in index.related(document.url, limit=RELATED_LIMIT + extra)
                if hit.type not in EPHEMERAL
            ][:RELATED_LIMIT]
            for document in lasting
            if document.type in WITH_RELATED
        }
    finally:
        index.close()
    for old in cache_dir.glob("related-*.json"):
        old.unlink()
    cache_dir.mkdir(parents=True, exist_ok=True)
    payload = {url: [asdict(link) for link in links] for url, links in related.items()}
    cache.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return related
