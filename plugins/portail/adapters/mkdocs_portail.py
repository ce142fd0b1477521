"""The ``portail`` MkDocs plugin: generates the site's pages from kb/ through the core."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from ..checks.analyse import Analysis, analyse
from ..checks.portail_links import check_links, link_targets, resolve_links
from ..interfaces.export_files import Options, site_files, theme_extra, theme_layer
from ..interfaces.quick_preview import edited_bodies, quick_pages
from ..model.clock import build_time
from ..model.findings import relative_to
from ..pages.generate import navigation
from ..pages.render_store import RenderStore
from ..reading.context import docs_symlink_findings
from ..reading.incremental import BuildLedger, PageMemo, ParseCache, digest
from ..search.browser import HELP_TYPE, attachment_records, index_site
from ..search.related import related_articles
from .mkdocs_preview import FindingsError, LastBuild, never_stuck, quick_then_full, write_pages
from .mkdocs_render_cache import RenderCache

log = logging.getLogger("mkdocs.plugins.portail")

CACHE_DIR = ".portail"  # search index and related-articles cache, outside site/ (git-ignored)


class PortailConfig(Config):
    kb_dir = c.Type(str, default="kb")
    ticket_url = c.Type(str, default="")  # the ticket application (`portail:ticket` in pages)
    tools = c.Type(dict, default={})  # name -> URL (`portail:outil/<name>` in pages)
    home_pages = c.Type(list, default=[])  # hand-written pages under Accueil, in this order
    # The writers' guide (guide-redaction/): always in the preview, in a build only when true.
    writers_guide = c.Type(bool, default=False)
    # The search endpoint (`portail serve-search`), e.g. http://127.0.0.1:8081/: FAQ articles
    # and release notes ask « Cet article vous a-t-il été utile ? » and post to its /api/avis.
    # Empty: no widget, no script, no request; the static site is unchanged.
    endpoint_url = c.Type(str, default="")


class _LedgerFile(File):
    """A generated file that a dirty build (``mkdocs serve --dirty``) rewrites only when its
    content changed since the last build of the site folder (MkDocs' own rule compares the
    modification times of a source and its output, which a virtual file does not have)."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed or not os.path.isfile(self.abs_dest_path)


class PortailPlugin(BasePlugin[PortailConfig]):
    def __init__(self) -> None:
        self.analysis: Analysis | None = None
        self.now = build_time(os.environ)
        self.kb_dir = Path("kb")
        # Kept between the rebuilds of `mkdocs serve`: on_startup makes MkDocs keep this
        # instance, so an edit re-parses one file and rewrites the pages it changed.
        self.parse_cache = ParseCache()
        self.page_memo: PageMemo | None = None  # a preview's generated pages, by their inputs
        self.serving = self.dirty = False
        self.builds = 0
        self.render_cache: RenderCache | None = None
        self.related: Any = {}
        # A preview's last successful build: its analysis and MkDocs' state (quick answer).
        self.last_build: tuple[Analysis, Any, LastBuild] | None = None
        self.nav: Any = None
        self.environment: tuple[Any, Files] | None = None
        # The findings the last failed build stopped with: the preview's error page lists them.
        self.failed_findings: tuple[Any, ...] = ()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving, self.dirty = command == "serve", dirty
        if self.serving:
            self.page_memo = PageMemo()

    # Runs first: reading and checking kb/ stops a bad build before anything is written.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not config.use_directory_urls:
            raise PluginError("portail : les adresses du portail exigent `use_directory_urls: true`.")
        project_root = self.root = Path(config.config_file_path or ".").resolve().parent
        self.kb_dir = (project_root / self.config.kb_dir).resolve()
        self.now = build_time(os.environ)
        # MkDocs follows symbolic links when it lists docs/, right after this event.
        leaks = docs_symlink_findings(Path(config.docs_dir), project_root)
        if leaks:
            raise FindingsError("portail : " + "\n".join(f.format() for f in leaks), leaks)
        # kb/ bodies are checked against the plugin's own options: what the build resolves.
        self.targets = link_targets(self.config.ticket_url, self.config.tools)
        self.analysis = analyse(
            self.kb_dir,
            project_root,
            now=self.now,
            targets=self.targets,
            cache=self.parse_cache,
            memo_dir=project_root / CACHE_DIR,
        )
        self.parse_cache.sweep()
        for finding in self.analysis.warnings:
            log.warning(finding.format())
        if self.analysis.acknowledged_note:
            log.info(f"portail : {self.analysis.acknowledged_note} (non détaillés).")
        if self.analysis.has_errors:
            report = "\n".join(f.format() for f in self.analysis.errors)
            raise FindingsError(
                f"portail : {len(self.analysis.errors)} erreur(s) dans la base de connaissances, "
                f"site non construit.\n{report}",
                self.analysis.errors,
            )
        if not config.site_url:
            raise PluginError(
                "portail : `site_url` est nécessaire dans mkdocs.yml (adresses absolues des flux Atom)."
            )
        self.generate_nav = not config.nav
        # Our theme layer (feed links in <head>) sits under the site's custom_dir, above Material.
        theme_dir = str(theme_layer())
        if theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)
        config.extra.update(theme_extra(config.extra_css, config.extra_javascript))  # feeds, assets
        # A dirty preview keeps the search index of its first build: the search page says so.
        config.extra["portail_preview"] = self.serving and self.dirty
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.analysis is not None
        kb = self.analysis.kb
        written = [f for f in files.documentation_pages() if f.abs_src_path is not None]
        problems = [
            finding
            for f in written
            for finding in check_links(
                f.content_string, relative_to(Path(f.abs_src_path or ""), self.root), self.targets
            )
        ]
        if problems:
            raise FindingsError("portail : " + "\n".join(p.format() for p in problems), problems)
        if self.generate_nav:
            home = list(self.config.home_pages) or sorted(
                f.src_uri for f in written if f.src_uri != "index.md"
            )
            config.nav = navigation(kb, home)
        self.ledger = BuildLedger.load(self.root / CACHE_DIR, Path(config.site_dir), self.signature(config))
        generated = list(self.generated_files(kb, config))
        for file in generated:
            clash = files.get_file_from_path(file.src_uri)
            if clash is not None:
                raise PluginError(
                    f"portail : {Path(config.docs_dir, clash.src_uri)} entre en conflit avec la page "
                    f"générée « {file.src_uri} » ; renommez ou supprimez le fichier de docs/."
                )
            files.append(file)
        if self.dirty:
            self.forget_stale(config, written)
        return files

    def generated_files(self, kb: Any, config: MkDocsConfig) -> Iterator[File]:
        """Pages, feeds, calendars, attachments and assets (the core's ``site_files``, which
        ``portail generate`` writes as plain files), as MkDocs virtual files."""
        assert self.analysis is not None and self.analysis.kb is kb
        vendor = (config.extra.get("vendor") or {}).get("name") or config.site_name
        options = Options(
            site_url=config.site_url or "",
            vendor=vendor,
            endpoint_url=self.config.endpoint_url,
            # The writers' guide: always in the preview, outside the nav and the search.
            writers_guide=self.serving or self.config.writers_guide,
        )
        related = self.related = related_articles(kb, self.root / CACHE_DIR)
        for file in site_files(
            kb, self.now, self.targets, related, self.analysis.links, options, self.page_memo
        ):
            if file.abs_path is not None:  # an attachment, copied from kb/
                yield File.generated(
                    config, file.src_uri, abs_src_path=file.abs_path, inclusion=InclusionLevel.NOT_IN_NAV
                )
            else:
                level = InclusionLevel.UNDEFINED if file.asset else InclusionLevel.NOT_IN_NAV
                yield self.virtual(config, file.src_uri, file.content or b"", level)

    def virtual(
        self,
        config: MkDocsConfig,
        src_uri: str,
        content: str | bytes,
        # The navigation is set explicitly (tabs and section pages): the rest is reached
        # through index pages, so it is marked as deliberately outside the nav.
        inclusion: InclusionLevel = InclusionLevel.NOT_IN_NAV,
    ) -> File:
        file = _LedgerFile.generated(config, src_uri, content=content, inclusion=inclusion)
        file.changed = self.ledger.changed(src_uri, content)
        return file

    def signature(self, config: MkDocsConfig) -> str:
        """What every page shows besides its own content: configuration, navigation, theme."""
        config_file = Path(config.config_file_path or "")
        return digest(
            config_file.read_bytes() if config_file.is_file() else b"",
            repr(config.nav),
            repr(config.theme.dirs),
            version("portail"),
            version("mkdocs-material"),
            version("mkdocs"),
        )

    def forget_stale(self, config: MkDocsConfig, written: list[File]) -> None:
        """In a dirty build, outputs MkDocs would keep although they are wrong: the pages of
        the navigation (a page MkDocs does not re-read has no title in the navigation of the
        pages it rewrites), hand-written pages when the navigation or configuration changed,
        and pages no longer generated."""
        in_nav = set(_nav_sources(config.nav))
        stale = [f.abs_dest_path for f in written if self.ledger.signature_changed or f.src_uri in in_nav]
        names = set(self.ledger.previous) - set(self.ledger.current) | in_nav
        for name in names:
            stale.append(
                File(name, src_dir=None, dest_dir=config.site_dir, use_directory_urls=True).abs_dest_path
            )
        for path in map(Path, stale):
            path.unlink(missing_ok=True)
            if path.name == "index.html" and path.parent.is_dir() and not any(path.parent.iterdir()):
                path.parent.rmdir()  # a page's folder (faq/p/article/), gone with its page

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # Every plugin has added its files: where each is published is known.
        self.render_cache = RenderCache(
            RenderStore(self.root / CACHE_DIR), config, files, self.signature(config)
        )
        self.nav = nav
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.serving:
            self.environment = (env, files)
        return env

    def on_pre_page(self, page: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # A page whose Markdown and surroundings did not change gets its last rendering back.
        if self.render_cache is not None:
            self.render_cache.install(page)
        return page

    def on_build_error(self, *, error: Exception) -> None:
        self.last_build = None
        self.failed_findings = tuple(getattr(error, "findings", ()))
        if self.render_cache is not None:
            self.render_cache.close(complete=False)
            self.render_cache = None

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        if page.file.abs_src_path is not None and page.file.src_uri != "index.md":
            # Hand-written help pages are searched too, as documentation.
            page.meta.setdefault("search", {"type": HELP_TYPE})
        return resolve_links(markdown, self.targets)

    # Runs last, on the written site: Pagefind indexes the HTML (pages marked data-pagefind-body).
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.analysis is not None
        self.builds += 1
        self.ledger.save()
        if self.serving and self.environment is not None:
            env, files = self.environment
            self.last_build = (self.analysis, self.related, LastBuild(config, files, self.nav, env))
        if self.render_cache is not None:
            # A dirty build renders some pages only: the others' entries stay.
            self.render_cache.close(complete=not self.dirty)
            self.render_cache = None
        if self.serving and self.dirty and self.builds > 1:
            # A preview rebuild shows an edit in a second or two; Pagefind would take tens of
            # seconds at thousands of pages. The index of the first build stays; the search
            # page says so, and `make build` indexes everything.
            log.info("portail : aperçu, index de recherche non mis à jour (make build le reconstruit).")
            return
        if not index_site(Path(config.site_dir), attachment_records(self.analysis.kb), self.root / CACHE_DIR):
            log.info("portail : pages inchangées depuis la dernière indexation, index de recherche repris.")

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # kb/ is outside docs_dir: watch it so that writers see their changes live.
        server.watch(str(self.kb_dir))
        # The edited page first (a fraction of a second), then the full rebuild.
        builder = quick_then_full(server, server.builder, self.quick_preview)
        # A failed rebuild (an error in kb/) shows its findings in the browser instead of
        # leaving every request waiting, and the site comes back with the next good build.
        server.builder = never_stuck(server, builder, self.take_failed_findings)
        return server

    def take_failed_findings(self) -> tuple[Any, ...]:
        """The findings the last failed build stopped with, forgotten once taken."""
        findings, self.failed_findings = self.failed_findings, ()
        return findings

    def quick_preview(self) -> list[str]:
        """The pages of the bodies edited since the last successful build, written into the
        site folder as that build would have: their addresses."""
        if self.last_build is None:
            return []
        analysis, related, last = self.last_build
        edits = edited_bodies(self.parse_cache, self.root)
        if not edits:
            return []
        now = build_time(os.environ)
        return write_pages(
            last,
            quick_pages(
                analysis.kb,
                edits,
                now,
                self.targets,
                related,
                analysis.links,
                endpoint_url=self.config.endpoint_url,
            ),
        )


def _nav_sources(nav: Any) -> Iterator[str]:
    """The page sources named in a MkDocs navigation (nested lists and one-key mappings)."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_sources(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_sources(value)
