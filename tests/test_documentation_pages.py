"""The documentation tree of the bundled demo, read from the built HTML."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import copy_project, make_kb, mkdocs_build
from portail.pages.generate import LINES_PAGE_SIZE, PRODUCT_LINES
from sitehtml import content, internal_links, list_pages, page, resolves, text


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


# A product with a long history: its page shows its newest lines and links a paginated page
# of all of them; every line page stays linked.

HISTORY = [(major, minor) for major in range(1, 5) for minor in range(30)]  # 1.0 … 4.29


def _history_files() -> dict[str, str]:
    """i-Parapheur with 120 lines (three pages of versions), Pastell just above the product
    page's bound, S²LOW exactly at it, idelibre above it with a document named « versions »."""
    lines = {
        "iparapheur": HISTORY,
        "pastell": [(1, minor) for minor in range(PRODUCT_LINES + 1)],
        "s2low": [(1, minor) for minor in range(PRODUCT_LINES)],
        "idelibre": [(1, minor) for minor in range(PRODUCT_LINES + 2)],
    }
    files = {
        "documentation/iparapheur/guide.md": "---\ntitle: Guide d'exploitation\n---\n\nTexte.\n",
        "documentation/idelibre/versions.md": "---\ntitle: Versions prises en charge\n---\n\nTexte.\n",
    }
    for product, numbers in lines.items():
        for index, (major, minor) in enumerate(numbers):
            files[f"documentation/{product}/{major}.{minor}/fiche.md"] = (
                f"---\ntitle: Fiche de la version {major}.{minor}\n---\n\nTexte.\n"
            )
            body = (
                "## Prérequis\n\n- Un serveur.\n\n## Migration\n\n- Aucune.\n"
                if minor == 0
                else "## Ajouts\n\n- Une fonction.\n"
            )
            day = date(2010, 1, 1) + timedelta(days=30 * index)
            files[f"releases/{product}/{major}.{minor}.0.md"] = f"---\ndate: {day}\n---\n\nVersion.\n\n{body}"
    return files


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history")
    project = copy_project(root / "project", kb=make_kb(root, _history_files()))
    result = mkdocs_build(project, root / "site")
    assert result.returncode == 0, result.output[-3000:]
    return root / "site"


def _target(page_url: str, href: str) -> str:
    return urlsplit(urljoin("/" + page_url, href)).path.lstrip("/")


def _line_links(site: Path, url: str) -> list[str]:
    return [_target(url, a["href"]) for a in content(page(site, url)).select("#versions + ul a")]


def test_long_history_product_page_shows_its_newest_lines_and_links_them_all(history_site: Path) -> None:
    article = content(page(history_site, "documentation/iparapheur/"))
    newest = [f"documentation/iparapheur/4.{minor}/" for minor in range(29, 29 - PRODUCT_LINES, -1)]
    assert _line_links(history_site, "documentation/iparapheur/") == newest
    assert "la plus récente" in text(article.select_one("#versions + ul li"))
    link = article.find("a", string=re.compile("^Toutes les versions"))
    assert text(link) == f"Toutes les versions de i-Parapheur ({len(HISTORY)})"
    assert link["href"] == "versions/"
    assert "Guide d'exploitation" in text(article)  # the rest of the page is unchanged
    assert [h.name for h in article.find_all(["h1", "h2", "h3"])] == ["h1", "h2", "h2", "h3"]


def test_versions_page_lists_every_line_newest_first_across_pages(history_site: Path) -> None:
    pages = list_pages(history_site, "documentation/iparapheur/versions/")
    count = -(-len(HISTORY) // LINES_PAGE_SIZE)
    assert [url for url, _ in pages] == ["documentation/iparapheur/versions/"] + [
        f"documentation/iparapheur/versions/page/{n}/" for n in range(2, count + 1)
    ]
    listed = []
    for number, (url, soup) in enumerate(pages, start=1):
        article = content(soup)
        title = "i-Parapheur — toutes les versions documentées"
        if number > 1:
            title += f" — page {number} sur {count}"
        assert text(article.find("h1")) == title and len(soup.find_all("h1")) == 1
        assert soup.title.get_text().startswith(title)
        crumbs = [text(li) for li in article.select("nav.portail-breadcrumb li")]
        expected = ["Ressources documentaires", "01- LES LIBRICIELS", "i-Parapheur"]
        assert crumbs == expected + (["Toutes les versions"] if number > 1 else []) + [title]
        assert [h.name for h in article.find_all(["h1", "h2", "h3"])][:2] == ["h1", "h2"]
        assert not article.find_all(["h3", "h4"])
        pager = article.select_one("nav.portail-pager")
        assert f"Page {number} sur {count}" in text(pager)
        assert text(pager.select_one("[aria-current=page]")) == f"Page {number}"
        assert f"{len(HISTORY)} versions documentées" in text(article.select_one(".portail-faq-status"))
        items = article.select("ul > li > a[href]")
        lines = [a for a in items if text(a).startswith("Version ")]
        assert len(lines) == (LINES_PAGE_SIZE if number < count else len(HISTORY) % LINES_PAGE_SIZE)
        for heading in article.find_all("h2"):  # each major version under its heading
            major = text(heading).removeprefix("Versions ").removesuffix(".x")
            under = heading.find_next_sibling("ul").find_all("a")
            assert all(text(a).startswith(f"Version {major}.") for a in under), text(heading)
        listed += [_target(url, a["href"]) for a in lines]
        back = article.find("a", string="Page du produit i-Parapheur")
        assert _target(url, back["href"]) == "documentation/iparapheur/"
    newest_first = sorted(HISTORY, reverse=True)
    assert listed == [f"documentation/iparapheur/{x}.{y}/" for x, y in newest_first]


def test_line_pages_and_the_tree_point_to_the_versions_page(history_site: Path) -> None:
    article = content(page(history_site, "documentation/iparapheur/1.0/"))
    link = article.find("a", string="Toutes les versions de i-Parapheur")
    assert link["href"] == "../versions/"
    assert article.find("a", string="Page du produit i-Parapheur")["href"] == "../"
    tree = content(page(history_site, "documentation/"))
    links = {text(a): a["href"] for a in tree.select("ul.portail-tree__links a")}
    assert links["Toutes les versions de i-Parapheur"] == "iparapheur/versions/"
    assert links["Toutes les versions de Pastell"] == "pastell/versions/"
    assert links["Toutes les versions de S²LOW"] == "s2low/#versions"  # listed on its page
    assert links["Toutes les versions de idelibre"] == "idelibre/#versions"


def test_section_page_shows_each_products_newest_lines_and_links_the_rest(history_site: Path) -> None:
    section = content(page(history_site, "documentation/libriciels/"))
    iparapheur = section.select_one("#iparapheur").find_next("ul")
    lines = [a["href"] for a in iparapheur.select("a") if re.match(r"^\.\./iparapheur/\d", a["href"])]
    assert lines == [f"../iparapheur/4.{minor}/" for minor in range(29, 29 - PRODUCT_LINES, -1)]
    link = iparapheur.find("a", string="Toutes les versions de i-Parapheur")
    assert link["href"] == "../iparapheur/versions/"
    assert f"({len(HISTORY)} versions)" in text(link.parent)


def test_a_product_at_the_bound_keeps_every_line_on_its_page(history_site: Path) -> None:
    assert len(_line_links(history_site, "documentation/s2low/")) == PRODUCT_LINES
    article = content(page(history_site, "documentation/s2low/"))
    assert article.find("a", string=re.compile("^Toutes les versions")) is None
    assert not (history_site / "documentation/s2low/versions").exists()
    lines = content(page(history_site, "documentation/s2low/1.0/"))
    assert text(lines.select("p a")[-1]) == "Tous les documents et toutes les versions de S²LOW"
    # One line more: the page of all versions, without a pager.
    pastell = list_pages(history_site, "documentation/pastell/versions/")
    assert len(pastell) == 1 and content(pastell[0][1]).select_one("nav.portail-pager") is None


def test_a_document_named_versions_keeps_its_address(history_site: Path) -> None:
    # Its page is the writer's; the product page then lists every line, as before.
    document = content(page(history_site, "documentation/idelibre/versions/"))
    assert text(document.find("h1")) == "Versions prises en charge"
    assert len(_line_links(history_site, "documentation/idelibre/")) == PRODUCT_LINES + 2


def test_every_line_page_is_reached_from_the_tree_and_every_link_resolves(history_site: Path) -> None:
    links = internal_links(history_site)
    assert [(src, dst) for src, dst in links if not resolves(history_site, dst)] == []
    # Follow links from the documentation tree as a reader does, leaving out the section page
    # (it lists every line too): the product pages and their pages of versions lead to all.
    following: dict[str, set[str]] = {}
    for src, dst in links:
        following.setdefault(src, set()).add(dst + "index.html" if dst.endswith("/") else dst)
    seen, todo = set(), ["/documentation/index.html"]
    while todo:
        url = todo.pop()
        if (
            url not in seen
            and url.startswith("/documentation/")
            and url != "/documentation/libriciels/index.html"
        ):
            seen.add(url)
            todo.extend(following.get(url, ()))
    lines = {p for p in (history_site / "documentation").glob("*/*.*/index.html")}
    assert len(lines) == len(HISTORY) + 3 * PRODUCT_LINES + 3
    assert {"/" + p.relative_to(history_site).as_posix() for p in lines} <= seen


def test_demo_product_pages_list_every_line_without_a_versions_page(demo_site: Path) -> None:
    for product in sorted((demo_site / "documentation").glob("*/index.html")):
        url = product.parent.relative_to(demo_site).as_posix() + "/"
        lines = sorted(p.parent.name for p in product.parent.glob("*.*/index.html"))
        assert sorted(u.split("/")[-2] for u in _line_links(demo_site, url)) == lines, url
        assert not (product.parent / "versions").exists()
        assert content(page(demo_site, url)).find("a", string=re.compile("^Toutes les versions")) is None
