"""Under ``mkdocs serve``: the page of an edited body shown before the full rebuild.

MkDocs' livereload server calls one builder per change. :func:`quick_then_full` wraps it: the
pages :mod:`portail.quick_preview` renders from the last build are written with that build's
configuration, navigation and theme (MkDocs' own page functions), the browsers reload, then
the full rebuild runs as before and reloads them again. Private parts of MkDocs 1.6 are used
here (``_populate_page``, ``_build_page``, the server's epochs); any surprise skips the quick
answer, never the rebuild.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel

from ..quick_preview import QuickPage

log = logging.getLogger("mkdocs.plugins.portail")


@dataclass
class LastBuild:
    """What MkDocs built the site with, kept from a successful build."""

    config: MkDocsConfig
    files: Files
    nav: Any
    env: Any


def write_pages(last: LastBuild, pages: Sequence[QuickPage]) -> list[str]:
    """Render ``pages`` as the last build would and write them into its site folder; the
    addresses written."""
    doc_files = last.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    written = []
    for page in pages:
        file = last.files.get_file_from_path(page.src_uri)
        if file is None or file.page is None:
            continue
        file.content_string = page.markdown
        _populate_page(file.page, last.config, last.files)
        _build_page(file.page, last.config, doc_files, last.nav, last.env)
        written.append(page.url)
    return written


def quick_then_full(
    server: Any, full: Callable[[], None], quick: Callable[[], list[str]]
) -> Callable[[], None]:
    """A builder for ``server``: ``quick()`` (the pages it wrote), browsers reloaded if it
    wrote any, then ``full()``, after which the server reloads them again."""

    def builder() -> None:
        start = time.perf_counter()
        try:
            written = quick()
        except Exception as reason:  # a saving only: the full rebuild shows the edit anyway
            log.debug("portail : aperçu rapide impossible (%r)", reason)
            written = []
        shown = bool(written) and _show(server)
        if shown:
            log.info(
                "portail : %s affichée en %.1f s ; le reste du site suit.",
                ", ".join(f"/{url}" for url in written),
                time.perf_counter() - start,
            )
        full()
        if shown:
            _newer(server)

    return builder


# MkDocs' server holds requests while a build runs (its visible epoch lags the wanted one), and
# tells browsers to reload when the visible epoch moves.


def _show(server: Any) -> bool:
    """Serve the site as it is now, and reload the browsers: the full rebuild then runs while
    pages are served, as the quick answer left them."""
    try:
        with server._epoch_cond:
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()
    except AttributeError:  # another server than MkDocs 1.6's
        return False
    return True


def _newer(server: Any) -> None:
    """Make the end of the full rebuild a new epoch, so that browsers reload once more."""
    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch + 1
