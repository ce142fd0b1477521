"""A second renderer: `portail generate OUT` writes the site's source as plain files (no MkDocs
plugin needed), which a plain MkDocs and Zensical build into the same pages as the regular
build; `portail index SITE` gives the rendered site its browser search."""

from __future__ import annotations

import importlib.util
import shutil
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BIN, copy_project, run

ZENSICAL_VERSION = "0.0.73"


def page_addresses(site: Path) -> set[str]:
    """The addresses of a built site: its pages' index.html and the 404 page."""
    found = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    return found | ({"404.html"} if (site / "404.html").is_file() else set())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the demo and its export (`portail generate`)."""
    root = tmp_path_factory.mktemp("export")
    project = copy_project(root / "project")
    result = run(["portail", "generate", str(root / "out")], cwd=project)
    assert result.returncode == 0, result.output
    assert "Site généré dans" in result.output
    return project, root / "out"


def test_generate_writes_every_file_of_the_site(exported: tuple[Path, Path]) -> None:
    project, out = exported
    docs = out / "docs"
    pages = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    assert len(pages) > 150
    assert {"index.md", "faq/index.md", "recherche/index.md", "support/outils.md"} <= pages
    assert "accessibilite.md" in pages  # the hand-written pages, beside the generated ones
    # Generated pages keep their front matter (title, search filters).
    article = (docs / "faq/s2low/certificat-teletransmission-expire.md").read_text(encoding="utf-8")
    assert article.startswith("---\n") and "search:" in article.split("\n---", 1)[0]
    # `portail:` links are resolved as the build resolves them, in every page.
    help_page = (docs / "support/avant-de-deposer-un-ticket.md").read_text(encoding="utf-8")
    assert "portail:" not in help_page and "https://support.example.org/tickets/nouveau" in help_page
    assert not [p for p in pages if "portail:ticket" in (docs / p).read_text(encoding="utf-8")]
    # Hand-written pages are searched as documentation, as in the build.
    assert help_page.startswith("---\nsearch:\n  type: ")
    # Attachments, feeds, calendars, assets, browser files.
    assert list(docs.rglob("*.pdf")) and list(docs.rglob("*.ics"))
    assert (docs / "release-notes.xml").is_file() and (docs / "faq.xml").is_file()
    assert (docs / "assets/portail/portail-search.js").is_file()
    assert (docs / "portail-produits.json").is_file() and (docs / "portail-synonymes.json").is_file()
    # The theme layer: the build's (main.html, 404.html) under the site's own overrides.
    assert (out / "overrides/main.html").is_file() and (out / "overrides/404.html").is_file()
    assert (out / "overrides/partials/copyright.html").is_file()
    assert not (docs / "overrides").exists()
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == [] and config["theme"]["custom_dir"] == "overrides"
    assert config["nav"][0]["Accueil"][0] == "index.md"
    assert "assets/portail/portail.css" in config["extra_css"]
    project_config = tomllib.loads((out / "zensical.toml").read_text(encoding="utf-8"))["project"]
    assert project_config["nav"] == config["nav"] and project_config["theme"]["font"] is False
    assert "plugins" not in project_config
    # Nothing written into the project.
    assert not (project / "docs/index.md").exists() and not list((project / "kb").rglob("index.md"))


def test_an_error_stops_generate_before_anything_is_written(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    article = project / "kb/faq/pastell/role.md"
    article.write_text(
        "---\ntitle: Le rôle n'apparaît pas\nproducts: [pastel]\n---\n\n## Réponse\n\nTexte.\n",
        encoding="utf-8",
    )
    result = run(["portail", "generate", str(tmp_path / "out")], cwd=project)
    assert result.returncode == 1, result.output
    assert "kb/faq/pastell/role.md:" in result.output and "pastel" in result.output
    assert "site non généré" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_portail_link_in_docs_stops_generate(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs/support/horaires.md").write_text("# Horaires\n\n[x](portail:outil/inconnu)\n", "utf-8")
    result = run(["portail", "generate", str(tmp_path / "out")], cwd=project)
    assert result.returncode == 1, result.output
    assert "docs/support/horaires.md:3" in result.output and "portail:outil/inconnu" in result.output
    assert not (tmp_path / "out").exists()


def test_the_output_folder_is_checked(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    inside = run(["portail", "generate", "kb/export"], cwd=project)
    assert inside.returncode == 2 and "hors de kb" in inside.output
    above = run(["portail", "generate", "."], cwd=project)
    assert above.returncode == 2 and "hors de" in above.output
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("à garder", encoding="utf-8")
    refused = run(["portail", "generate", str(busy)], cwd=project)
    assert refused.returncode == 2 and "--force" in refused.output
    forced = run(["portail", "generate", str(busy), "--force"], cwd=project)
    assert forced.returncode == 2 and "export précédent" in forced.output
    assert (busy / "notes.txt").read_text(encoding="utf-8") == "à garder"
    out = tmp_path / "out"
    assert run(["portail", "generate", str(out)], cwd=project).returncode == 0
    (out / "docs/stale.md").write_text("# Ancien\n", encoding="utf-8")
    again = run(["portail", "generate", str(out), "--force"], cwd=project)
    assert again.returncode == 0, again.output
    assert not (out / "docs/stale.md").exists() and (out / "docs/index.md").is_file()


def test_index_refuses_a_folder_that_is_no_site(tmp_path: Path) -> None:
    result = run(["portail", "index", str(tmp_path)], cwd=tmp_path)
    assert result.returncode == 2 and "n'est pas un site construit" in result.output


def test_plain_mkdocs_builds_the_export_into_the_same_pages(
    exported: tuple[Path, Path], demo_site: Path
) -> None:
    _project, out = exported
    site = out.parent / "mkdocs-site"
    result = run(["mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=out)
    assert result.returncode == 0, result.output
    assert page_addresses(site) == page_addresses(demo_site)
    # The theme layer is there: feed links, the search marks, the French 404.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate feed"' in home and "Accessibilité : " in home
    faq = (site / "faq/s2low/certificat-teletransmission-expire/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in faq
    assert "Page introuvable" in (site / "404.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def zensical_site(exported: tuple[Path, Path]) -> Path:
    """The export built by Zensical, then indexed by `portail index`."""
    if importlib.util.find_spec("zensical") is None or not (BIN / "zensical").exists():
        pytest.skip(f"zensical non installé (pip install zensical=={ZENSICAL_VERSION}, extra test)")
    _project, out = exported
    start = time.monotonic()
    result = run(["zensical", "build", "--clean", "-f", "zensical.toml"], cwd=out)
    assert result.returncode == 0, result.output
    assert time.monotonic() - start < 60
    site = out / "site"
    indexed = run(["portail", "index", str(site)], cwd=out)
    assert indexed.returncode == 0, indexed.output
    assert "Index de recherche écrit" in indexed.output
    return site


def test_zensical_builds_the_export_into_the_same_pages(zensical_site: Path, demo_site: Path) -> None:
    assert page_addresses(zensical_site) == page_addresses(demo_site)
    assert (zensical_site / "pagefind/pagefind.js").is_file()
    faq = (zensical_site / "faq/s2low/certificat-teletransmission-expire/index.html").read_text("utf-8")
    assert "data-pagefind-body" in faq and 'rel="alternate feed"' in faq


@pytest.fixture
def zensical_url(zensical_site: Path) -> Iterator[str]:
    from browser import serve

    yield from serve(zensical_site)


@pytest.mark.browser
def test_search_works_on_the_zensical_site(page: Any, zensical_url: str) -> None:
    if shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists():
        pytest.skip("Chromium introuvable : lancez scripts/setup-system")
    from playwright.sync_api import expect

    page.goto(zensical_url + "recherche/?q=certificat")
    expect(page.locator("[data-portail-search-status]")).to_contain_text("résultat")
    urls = page.eval_on_selector_all(
        "[data-portail-search-results] a.portail-result__title",
        "links => links.map(a => new URL(a.href).pathname)",
    )
    assert "/faq/s2low/certificat-teletransmission-expire/" in urls


def test_a_symbolic_link_out_of_docs_stops_generate(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n", encoding="utf-8")
    (project / "docs/support/secret.md").symlink_to(secret)
    result = run(["portail", "generate", str(tmp_path / "out")], cwd=project)
    assert result.returncode == 1, result.output
    assert "docs/support/secret.md" in result.output
    assert not (tmp_path / "out").exists()
