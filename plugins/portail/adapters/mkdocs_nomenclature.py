"""The ``nomenclature`` MkDocs plugin: checks the X.Y.Z nomenclature of the contract on any
MkDocs site whose release-note pages carry ``version:`` front matter."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from ..checks.nomenclature import check_releases
from ..model.findings import relative_to, sort_findings
from ..reading.releases import releases_from_pages

log = logging.getLogger("mkdocs.plugins.nomenclature")


class NomenclatureConfig(Config):
    product = c.Type(str, default="produit")  # for pages that do not say `product:`


class NomenclaturePlugin(BasePlugin[NomenclatureConfig]):
    # on_files runs before anything is written: an error stops the build with the site intact.
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = Path(config.config_file_path or ".").resolve().parent
        pages = [
            (relative_to(Path(file.abs_src_path), root), file.content_string)
            for file in files.documentation_pages()
            if file.abs_src_path is not None  # generated pages are not the writers'
        ]
        releases, findings = releases_from_pages(pages, self.config.product)
        findings = sort_findings(findings + check_releases(releases))
        for finding in findings:
            if not finding.is_error:
                log.warning(finding.format())
        errors = [f for f in findings if f.is_error]
        if errors:
            report = "\n".join(f.format() for f in errors)
            raise PluginError(
                f"nomenclature : {len(errors)} erreur(s) de numérotation, site non construit.\n{report}"
            )
        return files
