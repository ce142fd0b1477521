"""A preview's quick answer to an edit: the new page of a FAQ article or Markdown document
whose body alone changed, before the rebuild of everything else.

At 5,000 pages a preview rebuild takes seconds (the whole base is read and checked again,
« Articles liés » and the list pages follow the edit). A writer who changes a sentence wants to
see that sentence: the page of the file is rendered from the last rebuild's knowledge base
with the new body, in a fraction of a second; the full rebuild follows and rewrites whatever
the edit changed, that page included (the list of related articles, a date, a check that now
fails). Edits of front matter, new, moved or deleted files, catalogue and changelog changes go
to the full rebuild only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..checks.kb_links import KbLinks
from ..model.findings import relative_to
from ..model.kb import Document, FaqArticle, KnowledgeBase
from ..pages.generate import generate_pages
from ..reading.incremental import ParseCache
from ..reading.yamlfile import FrontMatter, YamlError, split_front_matter

MARKDOWN_KIND = "markdown"  # the parse cache's kind for Markdown files (read.parse_markdown)


@dataclass(frozen=True)
class QuickPage:
    """A page rendered ahead of the full rebuild: its virtual source, address and Markdown."""

    src_uri: str
    url: str
    markdown: str


def edited_bodies(cache: ParseCache, root: Path) -> dict[str, FrontMatter]:
    """Markdown files of the last run changed since, whose front matter is the same: their new
    body, by path as writers see it (the ``path`` of the model's sources). A file that cannot
    be read or parsed now is left to the full rebuild, which says why."""
    edits = {}
    for (kind, name), (stamp, value) in list(cache.entries.items()):
        if kind != MARKDOWN_KIND:
            continue
        path = Path(name)
        try:
            info = path.stat()
            if (info.st_size, info.st_mtime_ns) == stamp:
                continue
            new = split_front_matter(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, YamlError):
            continue
        old = value[0] if isinstance(value, tuple) else value  # ReadContext.parsed: (parse, findings)
        if not isinstance(old, FrontMatter) or old.data != new.data or old.body == new.body:
            continue
        edits[relative_to(path, root)] = new
    return edits


def quick_pages(
    kb: KnowledgeBase,
    edits: Mapping[str, FrontMatter],
    now: datetime,
    links: Mapping[str, str] | None = None,
    related: Mapping[str, Sequence[Any]] | None = None,
    published: KbLinks | None = None,
    endpoint_url: str = "",
) -> list[QuickPage]:
    """The pages of the FAQ articles and Markdown documents in ``edits``, rendered with their
    new body and everything else as in ``kb`` (the last run's)."""
    items: dict[str, FaqArticle | Document] = {
        item.source.path: item for item in (*kb.articles, *kb.documents) if item.body is not None
    }
    swaps: dict[int, tuple[Any, Any]] = {}
    for path, front in edits.items():
        item = items.get(path)
        if item is not None:
            swaps[id(item)] = (item, replace(item, body=front.body, body_line=front.body_line))
    if not swaps:
        return []
    chosen: set[str] = set()

    def swapped(value: Any) -> Any:
        pair = swaps.get(id(value))
        return pair[1] if pair is not None and pair[0] is value else value

    def only(url: str, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
        # The page of an item is the one given that item itself (``article=``, ``document=``);
        # lists hold items inside sequences and are left to the full rebuild.
        if not any(swapped(value) is not value for value in context.values()):
            return None
        chosen.add(url)
        return {key: swapped(value) for key, value in context.items()}

    pages = generate_pages(kb, now, links, related, None, published, only=only, endpoint_url=endpoint_url)
    return [QuickPage(p.src_uri, p.url, p.markdown) for p in pages if p.url in chosen]
