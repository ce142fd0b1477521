"""The ``portail`` MkDocs plugin: generates the site's pages from kb/ through the core."""

from __future__ import annotations

import logging
import os
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from ..browser_search import HELP_TYPE, PRODUCTS_FILE, attachment_records, index_site, product_names
from ..calendars import intervention_calendar, interventions_calendar, schedulable
from ..clock import build_time
from ..feeds import build_feeds, site_feeds
from ..findings import relative_to
from ..links import check_links, link_targets, resolve_links
from ..load import Analysis, analyse
from ..pages import attachment_files, generate_pages, navigation
from ..read import docs_symlink_findings
from ..related import related_articles
from ..urls import interventions_calendar_url, post_calendar_url

log = logging.getLogger("mkdocs.plugins.portail")

CACHE_DIR = ".portail"  # search index and related-articles cache, outside site/ (git-ignored)
ASSETS = ("assets/portail/portail.css", "assets/portail/portail.js", "assets/portail/portail-search.js")


class PortailConfig(Config):
    kb_dir = c.Type(str, default="kb")
    ticket_url = c.Type(str, default="")  # the ticket application (`portail:ticket` in pages)
    tools = c.Type(dict, default={})  # name -> URL (`portail:outil/<name>` in pages)
    home_pages = c.Type(list, default=[])  # hand-written pages under Accueil, in this order


class PortailPlugin(BasePlugin[PortailConfig]):
    def __init__(self) -> None:
        self.analysis: Analysis | None = None
        self.now = build_time(os.environ)
        self.kb_dir = Path("kb")

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
            raise PluginError("portail : " + "\n".join(f.format() for f in leaks))
        # kb/ bodies are checked against the plugin's own options: what the build resolves.
        self.targets = link_targets(self.config.ticket_url, self.config.tools)
        self.analysis = analyse(self.kb_dir, project_root, now=self.now, targets=self.targets)
        for finding in self.analysis.warnings:
            log.warning(finding.format())
        if self.analysis.has_errors:
            report = "\n".join(f.format() for f in self.analysis.errors)
            raise PluginError(
                f"portail : {len(self.analysis.errors)} erreur(s) dans la base de connaissances, "
                f"site non construit.\n{report}"
            )
        if not config.site_url:
            raise PluginError(
                "portail : `site_url` est nécessaire dans mkdocs.yml (adresses absolues des flux Atom)."
            )
        self.generate_nav = not config.nav
        # Our theme layer (feed links in <head>) sits under the site's custom_dir, above Material.
        theme_dir = str(package_files("portail.adapters").joinpath("material_theme"))
        if theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)
        config.extra["portail_feeds"] = site_feeds()
        for asset in ASSETS:
            target = config.extra_css if asset.endswith(".css") else config.extra_javascript
            if asset not in target:
                target.append(asset)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.analysis is not None
        kb = self.analysis.kb
        # The navigation is set explicitly (tabs and section pages): the rest is reached
        # through index pages, so it is marked as deliberately outside the nav.
        hidden = InclusionLevel.NOT_IN_NAV
        generated: list[File] = []
        vendor = (config.extra.get("vendor") or {}).get("name") or config.site_name
        for feed in build_feeds(kb, config.site_url or "", vendor):
            generated.append(File.generated(config, feed.path, content=feed.xml, inclusion=hidden))
        for post in kb.posts:
            if schedulable(post):
                ics = intervention_calendar(post, config.site_url or "", self.now)
                generated.append(
                    File.generated(config, post_calendar_url(post), content=ics, inclusion=hidden)
                )
        generated.append(
            File.generated(config, PRODUCTS_FILE, content=product_names(kb.products), inclusion=hidden)
        )
        ics = interventions_calendar(list(kb.posts), config.site_url or "", self.now)
        generated.append(File.generated(config, interventions_calendar_url(), content=ics, inclusion=hidden))
        related = related_articles(kb, self.root / CACHE_DIR)
        for page in generate_pages(kb, self.now, self.targets, related):
            generated.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=hidden))
        for attachment in attachment_files(kb):
            generated.append(
                File.generated(config, attachment.src_uri, abs_src_path=attachment.abs_path, inclusion=hidden)
            )
        for asset in ASSETS:
            source = package_files("portail").joinpath(asset.replace("assets/portail/", "assets/"))
            generated.append(File.generated(config, asset, content=source.read_bytes()))
        written = [f for f in files.documentation_pages() if f.abs_src_path is not None]
        problems = [
            finding
            for f in written
            for finding in check_links(
                f.content_string, relative_to(Path(f.abs_src_path or ""), self.root), self.targets
            )
        ]
        if problems:
            raise PluginError("portail : " + "\n".join(p.format() for p in problems))
        if self.generate_nav:
            home = list(self.config.home_pages) or sorted(
                f.src_uri for f in written if f.src_uri != "index.md"
            )
            config.nav = navigation(kb, home)
        for file in generated:
            clash = files.get_file_from_path(file.src_uri)
            if clash is not None:
                raise PluginError(
                    f"portail : {Path(config.docs_dir, clash.src_uri)} entre en conflit avec la page "
                    f"générée « {file.src_uri} » ; renommez ou supprimez le fichier de docs/."
                )
            files.append(file)
        return files

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        if page.file.abs_src_path is not None and page.file.src_uri != "index.md":
            # Hand-written help pages are searched too, as documentation.
            page.meta.setdefault("search", {"type": HELP_TYPE})
        return resolve_links(markdown, self.targets)

    # Runs last, on the written site: Pagefind indexes the HTML (pages marked data-pagefind-body).
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.analysis is not None
        index_site(Path(config.site_dir), attachment_records(self.analysis.kb))

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # kb/ is outside docs_dir: watch it so that writers see their changes live.
        server.watch(str(self.kb_dir))
        return server
