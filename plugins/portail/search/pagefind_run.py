"""Running Pagefind (PyPI ``pagefind[bin]``, its Python API) over a built site: pages marked
``data-pagefind-body``, records without a page (attachments), in French; waits until the
bundle is really written."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pagefind.service import PagefindService

T = TypeVar("T")

BUNDLE = "pagefind"
_MARKER_URL = "/.portail-pagefind-part/"
_MARKER_PAGE = '<html lang="fr"><body><div data-pagefind-body></div></body></html>'


@dataclass(frozen=True)
class Record:
    """A searchable item that has no HTML page of its own (an attached PDF)."""

    url: str  # site-relative
    title: str
    content: str
    type: str
    products: tuple[str, ...]
    line: str | None


def pagefind_config(output: Path) -> dict[str, Any]:
    return {"force_language": "fr", "exclude_selectors": [".headerlink"], "output_path": str(output)}


async def run_index(
    site_dir: Path,
    records: Sequence[Record],
    output: Path,
    *,
    globs: Sequence[str] | None = None,
    body_marker: bool = False,
) -> None:
    service = await PagefindService().launch()
    try:
        index = await service.create_index(pagefind_config(output))
        for glob in globs or [None]:
            await index.add_directory(str(site_dir), glob=glob)
        if body_marker:
            # A part must index what the whole site would: pages without data-pagefind-body
            # left out as soon as one page has it. This empty page says so and is not indexed.
            await index.add_html_file(content=_MARKER_PAGE, url=_MARKER_URL)
        for record in records:
            filters = {"type": [record.type], "produit": list(record.products)}
            if record.line:
                filters["version"] = [record.line]
            await index.add_custom_record(
                url="/" + record.url,
                content=record.content,
                language="fr",
                meta={"title": record.title, "type": record.type, "produits": ", ".join(record.products)},
                filters=filters,
            )
        await index.write_files()
        await wait_written(output)
    finally:
        await service.close()


async def wait_written(output: Path, timeout: float = 60) -> None:
    """Wait until Pagefind has written its files. It answers once it has created them, but
    writes their content from background threads (tokio), and the service is then stopped with
    a signal: without this wait, the last ones could stay empty (seen on pagefind-entry.json).
    Pagefind writes no empty file, and each file in one go."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    empty = [os.path.join(folder, name) for folder, _, names in os.walk(output) for name in names]
    while True:
        empty = [path for path in empty if os.stat(path).st_size == 0]
        if not empty:
            try:
                entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
                if all(
                    (output / f"pagefind.{lang['hash']}.pf_meta").is_file()
                    for lang in entry["languages"].values()
                ):
                    return
            except (OSError, ValueError, KeyError, TypeError):
                pass
        if loop.time() > deadline:
            raise RuntimeError(f"Pagefind n'a pas fini d'écrire {output}")
        await asyncio.sleep(0.05)


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to its end from synchronous code, also when the calling thread
    already runs an event loop (a host that drives the build from async code, a test that
    keeps a browser open): then in a thread of its own, with its own loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
