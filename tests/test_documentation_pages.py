"""The documentation tree of the bundled demo, read from the built HTML."""

from __future__ import annotations

import re
from pathlib import Path

from sitehtml import content, internal_links, page, resolves, text


def test_tree_lists_the_three_sections_in_catalogue_order(demo_site: Path) -> None:
    article = content(page(demo_site, "documentation/"))
    headings = [text(h) for h in article.find_all("h2")]
    assert headings == ["01- LES LIBRICIELS", "02- LES SERVICES", "03- AUTRES"]
    assert text(article.find("h1")) == "Ressources documentaires"


def test_tree_shows_products_with_version_lines_newest_first(demo_site: Path) -> None:
    article = content(page(demo_site, "documentation/"))
    summaries = [text(s) for s in article.select("details.portail-tree__node > summary")]
    products = [s.split(" (")[0] for s in summaries if not s.startswith("Version")]
    for name in (
        "i-Parapheur",
        "idelibre",
        "LSmessage",
        "Partenaires",
        "Pastell",
        "S²LOW",
        "VisuMatrice",
        "webdelib",
        "lspki",
        "Documentation transverse",
    ):
        assert name in products
    iparapheur = next(
        d for d in article.select("details.portail-tree__node") if text(d.summary).startswith("i-Parapheur")
    )
    summaries = iparapheur.select("details.portail-tree__node > summary")
    lines = [text(s) for s in summaries if s.parent is not iparapheur]
    assert lines == ["Version 4.7 la plus récente", "Version 4.6", "Version 4.5", "Version 4.4"]


def test_tree_is_open_without_javascript_and_buttons_wait_for_it(demo_site: Path) -> None:
    article = content(page(demo_site, "documentation/"))
    nodes = article.select("details.portail-tree__node")
    assert nodes and all(node.has_attr("open") for node in nodes)
    actions = article.select_one("[data-portail-tree-actions]")
    assert actions.has_attr("hidden")
    assert [text(b) for b in actions.find_all("button")] == ["Tout déplier", "Tout replier"]


def test_version_line_page_groups_documents_by_kind(demo_site: Path) -> None:
    article = content(page(demo_site, "documentation/iparapheur/4.7/"))
    assert text(article.find("h1")) == "i-Parapheur — version 4.7"
    assert "la plus récente" in text(article)
    groups = [text(h) for h in article.find_all("h2")]
    for group in (
        "Manuels utilisateur",
        "Manuels administrateur",
        "Manuels d'installation",
        "Pré-requis",
        "Fiches réflexes",
    ):
        assert group in groups, groups


def test_older_line_says_so_and_links_the_newest(demo_site: Path) -> None:
    article = content(page(demo_site, "documentation/iparapheur/4.5/"))
    notice = article.select_one(".admonition.warning")
    assert "Version antérieure" in text(notice)
    link = notice.find("a")
    assert text(link) == "version 4.7" and link["href"] == "../4.7/"


def test_attachment_shows_type_size_and_downloads(demo_site: Path) -> None:
    article = content(page(demo_site, "documentation/iparapheur/4.7/"))
    pdf_links = [a for a in article.find_all("a") if a["href"].endswith(".pdf")]
    assert pdf_links, "the 4.7 line has a PDF attachment"
    for link in pdf_links:
        assert link.has_attr("download")
        assert re.search(r"\(PDF, [\d,]+\s(Ko|Mo|octets)\)", text(link)), text(link)
        target = (demo_site / "documentation/iparapheur/4.7" / link["href"]).resolve()
        assert target.read_bytes().startswith(b"%PDF")
        assert not link.get_text().strip().lower().endswith(".pdf")  # a title, not a file name


def test_product_page_lists_lines_and_product_wide_documents(demo_site: Path) -> None:
    article = content(page(demo_site, "documentation/iparapheur/"))
    body = text(article)
    assert "SUPPORT_iparapheur" in body
    assert "Manuel de spécifications web-services SOAP" in body
    versions = [text(a) for a in article.select("ul a") if text(a).startswith("Version")]
    assert versions[:4] == ["Version 4.7", "Version 4.6", "Version 4.5", "Version 4.4"]


def test_document_page_has_breadcrumb_meta_and_single_h1(demo_site: Path) -> None:
    soup = page(demo_site, "documentation/iparapheur/4.7/manuel-utilisateur/")
    article = content(soup)
    crumbs = [text(li) for li in article.select("nav.portail-breadcrumb li")]
    assert crumbs[:4] == ["Ressources documentaires", "01- LES LIBRICIELS", "i-Parapheur", "Version 4.7"]
    assert len(soup.find_all("h1")) == 1
    assert "Manuel utilisateur · i-Parapheur · version 4.7" in text(article.select_one(".portail-docmeta"))
    assert soup.html["lang"] == "fr"


def test_navigation_holds_tabs_and_section_pages_only(demo_site: Path) -> None:
    soup = page(demo_site, "documentation/iparapheur/4.7/manuel-utilisateur/")
    tabs = [text(a) for a in soup.select(".md-tabs__link")]
    assert tabs == ["Accueil", "Informations", "FAQ", "Documentation"]
    nav_links = {a["href"] for a in soup.select("nav.md-nav--primary a.md-nav__link[href]")}
    assert not any("manuel" in href or "/4." in href for href in nav_links), nav_links


def test_every_internal_link_resolves(demo_site: Path) -> None:
    broken = [(src, dst) for src, dst in internal_links(demo_site) if not resolves(demo_site, dst)]
    assert broken == []


def test_nothing_is_written_into_docs_or_kb(demo_site: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    assert not (root / "docs" / "documentation").exists()
    assert not list((root / "kb").rglob("*.html"))


def test_site_is_french_without_material_search(demo_site: Path) -> None:
    soup = page(demo_site, "")
    assert soup.html["lang"] == "fr"
    assert soup.select_one(".md-search") is None
    assert not (demo_site / "search" / "search_index.json").exists()
    footer = text(soup.select_one(".md-copyright"))
    assert "Libriciel SCOP" in footer and "support@example.org" in footer
