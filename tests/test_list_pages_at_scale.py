"""List pages and feeds keep their size whatever the size of the knowledge base: a synthetic
base is built at N and 4N (long titles, one product holding most articles, releases and
documents), and read as a reader without JavaScript reads it."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from conftest import copy_project, mkdocs_build
from portail.pages.feeds import FEED_LIMIT, SUMMARY_CHARS
from portail.pages.generate import PRODUCT_LINES, TREE_LINES
from sitehtml import content, list_pages, page, text

BUDGET = 100 * 1024  # no HTML page above 100 KB
SCALES = (1, 4)
KINDS = ("manuel-utilisateur", "manuel-administrateur", "pre-requis", "fiche-reflexe", "autre")
LONG_BODY = 200_000  # characters of the one long article: its feed entry stays a summary
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

CATALOGUE = """\
sections:
  - slug: libriciels
    title: "01- LES LIBRICIELS"
    products:
      - slug: alpha
        name: Alpha²
        code: AL
        description: Le produit qui porte l'essentiel de la base.
        support_queue: SUPPORT_alpha
      - slug: beta
        name: Bêta
        code: BE
        description: Un produit plus discret.
        support_queue: SUPPORT_beta
  - slug: services
    title: "02- LES SERVICES"
    products:
      - slug: gamma
        name: Gamma
        code: GA
        description: Un service.
        support_queue: SUPPORT_gamma
  - slug: autres
    title: "03- AUTRES"
    products:
      - slug: delta
        name: Documentation transverse
        code: DT
        description: Ce qui concerne tous les produits.
        support_queue: SUPPORT_delta
"""


def long_title(what: str, i: int) -> str:
    """A title of about 170 characters, with what escaping turns into entities."""
    return (
        f"{what} {i} : pourquoi le connecteur « Alpha² » refuse-t-il l'envoi <urgent> des dossiers "
        f"de plus de 20 Mo après le renouvellement du certificat & du cachet serveur ? [{i}]"
    )


@dataclass
class Corpus:
    """What the generator wrote, as site URLs: what the list pages must reach."""

    articles: dict[str, list[str]] = field(default_factory=dict)  # product -> article URLs
    releases: dict[str, list[str]] = field(default_factory=dict)  # product -> release URLs
    history: list[str] = field(default_factory=list)  # past posts, newest first
    line_documents: list[str] = field(default_factory=list)  # alpha 1.0
    general_documents: list[str] = field(default_factory=list)  # alpha, product-wide
    lines: dict[str, list[str]] = field(default_factory=dict)  # product -> line numbers


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def write_releases(kb: Path, corpus: Corpus, product: str, major: int, lines: int, last: date) -> None:
    """``lines`` lines X.0 … of ten versions each, dated in version order up to ``last``."""
    versions = [(major, y, z) for y in range(lines) for z in range(10)]
    corpus.releases[product] = []
    corpus.lines[product] = [f"{major}.{y}" for y in range(lines)]
    for index, (x, y, z) in enumerate(versions):
        day = last - timedelta(days=12 * (len(versions) - 1 - index))
        if (y, z) == (0, 0):
            body = "Première version.\n\n## Prérequis\n\n- Un serveur.\n\n## Migration\n\n- Aucune.\n"
        elif z == 0:
            body = f"Nouvelle version {x}.{y}.\n\n## Ajouts\n\n- Une fonctionnalité de plus.\n"
        else:
            body = f"Correctif {z} de la ligne {x}.{y}.\n\n## Corrections\n\n- Une anomalie corrigée.\n"
        write(kb / f"releases/{product}/{x}.{y}.{z}.md", f"---\ndate: {day.isoformat()}\n---\n\n{body}")
        corpus.releases[product].append(f"release-notes/{product}/{x}.{y}.{z}/")


def write_documents(kb: Path, corpus: Corpus, scale: int) -> None:
    # Alpha: its first line and its product-wide documents hold 52 × scale documents each (a
    # page of 50 and more); every other line one; one in seven is an attached file.
    def document(folder: str, slug: str, i: int, what: str) -> str:
        kind = KINDS[i % len(KINDS)]
        fields = (
            f'title: "{long_title(what, i)}"\nkind: {kind}\n'
            'description: "Une description assez longue pour peser dans la liste : prise en main, '
            'paramétrage et exploitation au quotidien."\nupdated: 2026-01-15\n'
        )
        if i % 7 == 3:
            write(kb / f"documentation/{folder}/{slug}.pdf", PDF)
            write(kb / f"documentation/{folder}/{slug}.pdf.yml", fields)
            return f"documentation/{folder}/{slug}.pdf"
        write(kb / f"documentation/{folder}/{slug}.md", f"---\n{fields}---\n\n## Objet\n\nUn texte court.\n")
        return f"documentation/{folder}/{slug}/"

    for i in range(52 * scale):
        corpus.line_documents.append(document("alpha/1.0", f"doc-{i:04d}", i, "Document"))
        corpus.general_documents.append(document("alpha", f"general-{i:04d}", i, "Guide"))
    for product, numbers in corpus.lines.items():
        for number in numbers:
            if (product, number) != ("alpha", "1.0"):
                for i in range(1):
                    document(f"{product}/{number}", f"fiche-{i}", i, "Fiche")


def write_articles(kb: Path, corpus: Corpus, scale: int) -> None:
    start = date(2024, 1, 1)
    for product, count in (("alpha", 52 * scale), ("beta", 8 * scale), ("gamma", 3)):
        corpus.articles[product] = []
        for i in range(count):
            updated = start + timedelta(days=(i * 7 + len(product)) % 1000)
            also = "products: [alpha]\n" if product == "beta" and i % 2 else ""
            write(
                kb / f"faq/{product}/question-{i:04d}.md",
                f'---\ntitle: "{long_title("Question", i)}"\n{also}updated: {updated}\n---\n\n'
                "## Symptôme\n\nLe dossier reste bloqué.\n\n## Solution\n\nRenouvelez le certificat.\n",
            )
            corpus.articles[product].append(f"faq/{product}/question-{i:04d}/")
    # The most recent article is very long: the FAQ feed must carry a summary of it.
    body = "## Contexte\n\n" + ("Une phrase du très long article, répétée pour le rendre énorme. " * 3200)
    write(
        kb / "faq/alpha/tres-long-article.md",
        f'---\ntitle: "Un très long article"\nupdated: 2026-11-20\n---\n\n{body}',
    )
    corpus.articles["alpha"].append("faq/alpha/tres-long-article/")
    assert len(body) > LONG_BODY


def write_posts(kb: Path, corpus: Corpus, scale: int) -> None:
    first = datetime(2023, 1, 2, 9, 30)
    past = []
    for i in range(31 * scale):
        published = first + timedelta(days=3 * i)
        products = "products: [alpha]\n" if i % 2 else ""
        write(
            kb / f"informations/passe-{i:04d}.md",
            f'---\ntitle: "{long_title("Incident", i)}"\nkind: incident\n{products}'
            f"published: {published:%Y-%m-%d %H:%M}\nresolved: {published + timedelta(hours=2):%Y-%m-%d %H:%M}\n---\n\n"
            "Un incident, résolu depuis.\n\n## Mises à jour\n\n"
            f"- {published + timedelta(hours=2):%Y-%m-%d %H:%M} : Incident résolu.\n",
        )
        past.append(f"informations/{published:%Y-%m-%d}-passe-{i:04d}/")
    corpus.history = past[::-1]
    write(
        kb / "informations/intervention-a-venir.md",
        '---\ntitle: "Intervention à venir"\nkind: intervention\nproducts: [alpha]\n'
        "published: 2026-11-20 10:00\nstart: 2026-12-01 08:00\nend: 2026-12-01 12:00\n---\n\nUne intervention.\n",
    )


def write_corpus(project: Path, scale: int) -> Corpus:
    kb = project / "kb-source"
    write(kb / "catalogue.yml", CATALOGUE)
    corpus = Corpus()
    write_releases(kb, corpus, "alpha", 1, 6 * scale, date(2026, 11, 10))
    write_releases(kb, corpus, "beta", 2, 1, date(2026, 10, 1))
    write_releases(kb, corpus, "gamma", 1, 1, date(2026, 9, 1))
    write_releases(kb, corpus, "delta", 1, 1, date(2026, 8, 1))
    write_documents(kb, corpus, scale)
    write_articles(kb, corpus, scale)
    write_posts(kb, corpus, scale)
    return corpus


@dataclass
class Built:
    scale: int
    site: Path
    corpus: Corpus

    def sizes(self) -> dict[str, int]:
        """Size of every HTML page, by site URL."""
        return {
            html.parent.relative_to(self.site).as_posix() + "/": html.stat().st_size
            for html in self.site.rglob("index.html")
            if html.parent != self.site
        } | {"": (self.site / "index.html").stat().st_size}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Built]:
    """Both sizes built with `mkdocs build --strict`, side by side."""

    def build(scale: int) -> Built:
        root = tmp_path_factory.mktemp(f"scale-{scale}")
        corpus = write_corpus(root, scale)
        project = copy_project(root / "project", kb=root / "kb-source")
        result = mkdocs_build(project, root / "site")
        assert result.returncode == 0, result.output[-3000:]
        return Built(scale, root / "site", corpus)

    with ThreadPoolExecutor(len(SCALES)) as pool:
        return {built.scale: built for built in pool.map(build, SCALES)}


LIST_PAGE = re.compile(
    r"^(|faq/|faq/[a-z]+/|release-notes/|release-notes/[a-z]+/|informations/|informations/[a-z]+/"
    r"|documentation/|documentation/[a-z]+/|documentation/[a-z]+/versions/|documentation/[a-z]+/[\d.]+/)"
    r"(page/\d+/)?$"
)


def list_sizes(built: Built) -> dict[str, int]:
    return {url: size for url, size in built.sizes().items() if LIST_PAGE.match(url)}


def test_every_page_stays_under_the_budget_and_list_pages_do_not_grow(builds: dict[int, Built]) -> None:
    small, large = (list_sizes(builds[scale]) for scale in SCALES)
    for url in ("faq/alpha/", "release-notes/alpha/", "documentation/alpha/1.0/", "documentation/alpha/"):
        assert f"{url}page/5/" in large, url  # several full pages at 4N
    assert "informations/page/4/" in large
    over = {
        url: size
        for url, size in builds[4].sizes().items()
        if size > BUDGET and url != "faq/alpha/tres-long-article/"  # a writer's own long text
    }
    assert over == {}
    largest_small, largest_large = max(small.values()), max(large.values())
    print(
        f"largest list page: {largest_small} B at scale 1 ({len(small)} list pages), "
        f"{largest_large} B at scale 4 ({len(large)} list pages)"
    )
    assert largest_large <= BUDGET * 0.7  # well under the budget, long titles included
    assert largest_large / largest_small <= 1.05
    # Page by page too where the content of a page is alike at both sizes (the first page of a
    # FAQ list mixes articles and releases differently): the home page, the tree, the index of
    # release notes, the live information and its first page of history.
    for url in ("", "documentation/", "release-notes/", "informations/"):
        assert large[url] / small[url] <= 1.05, (url, small[url], large[url])


def reached(site: Path, url: str, selector: str) -> list[str]:
    """Site URLs of the links ``selector`` finds on every page of the list at ``url``,
    following « Page suivante »; checks the pager of each page on the way."""
    pages = list_pages(site, url)
    found = []
    for number, (page_url, soup) in enumerate(pages, start=1):
        titles = soup.title.get_text()
        if len(pages) > 1:
            pager = content(soup).select_one("nav.portail-pager")
            assert pager["aria-label"] and f"Page {number} sur {len(pages)}" in text(pager)
            assert text(pager.select_one("[aria-current=page]")) == f"Page {number}"
            assert (pager.select_one("a[rel~=prev]") is None) == (number == 1)
        if number > 1:
            assert f"page {number} sur {len(pages)}" in titles  # each page its own title
        for link in content(soup).select(selector):
            target = (Path("/" + page_url) / link["href"]).as_posix()
            found.append(_normalize(target))
    return found


def _normalize(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts) + ("/" if not parts[-1].endswith(".pdf") else "")


@pytest.mark.parametrize("scale", SCALES)
def test_pagination_reaches_everything_once_without_javascript(builds: dict[int, Built], scale: int) -> None:
    built = builds[scale]
    site, corpus = built.site, built.corpus
    every_article = sorted({u for urls in corpus.articles.values() for u in urls})
    every_release = sorted(u for urls in corpus.releases.values() for u in urls)
    faq = reached(site, "faq/", "ul.portail-faq-list a")
    assert sorted(faq) == sorted(every_article + every_release)
    alpha = reached(site, "faq/alpha/", "ul.portail-faq-list a")
    beta_about_alpha = [u for i, u in enumerate(corpus.articles["beta"]) if i % 2]
    assert sorted(alpha) == sorted(corpus.articles["alpha"] + beta_about_alpha + corpus.releases["alpha"])
    releases = reached(site, "release-notes/alpha/", "ul.portail-releases a")
    assert sorted(releases) == sorted(corpus.releases["alpha"])
    history = reached(site, "informations/", "[data-portail-history-list] a.portail-post__title")
    assert history == corpus.history  # newest first, across pages
    line = reached(site, "documentation/alpha/1.0/", "li.portail-doc a")
    assert sorted(line) == sorted(corpus.line_documents)
    general = reached(site, "documentation/alpha/", "li.portail-doc a")
    assert sorted(general) == sorted(corpus.general_documents)


def test_faq_chips_count_everything_and_lead_to_product_pages(builds: dict[int, Built]) -> None:
    built = builds[4]
    article = content(page(built.site, "faq/page/2/"))
    chips = {chip["data-produit"]: chip for chip in article.select("a.portail-chip")}
    corpus = built.corpus
    articles = sum(len(urls) for urls in corpus.articles.values())
    total = articles + sum(len(urls) for urls in corpus.releases.values())
    assert int(text(chips[""].select_one(".portail-chip__count"))) == total
    assert chips["alpha"]["href"] == "../../alpha/"
    # A paginated list holds part of the entries: the chips are links, not an in-place filter.
    assert article.select_one("nav.portail-chips")["data-portail-chips"] == "links"
    assert "Page 2 sur" in text(article.select_one("[data-portail-filter-status]"))


def test_documentation_tree_holds_products_and_lines_not_documents(builds: dict[int, Built]) -> None:
    built = builds[4]
    article = content(page(built.site, "documentation/"))
    assert article.select("li.portail-doc") == []
    buttons = [text(b) for b in article.select("[data-portail-tree-actions] button")]
    assert buttons == ["Tout déplier", "Tout replier"]
    nodes = article.select("details.portail-tree__node")
    alpha = next(node for node in nodes if text(node.summary).startswith("Alpha²"))
    links = {text(a): a["href"] for a in alpha.select("ul a")}
    lines = [name for name in links if name.startswith("Version ")]
    assert len(lines) == TREE_LINES
    assert lines[0] == f"Version {built.corpus.lines['alpha'][-1]}"  # newest first
    assert links["Toutes les versions de Alpha²"] == "alpha/versions/"
    assert "Documents généraux de Alpha²" in links
    # The product page shows its newest lines and links the page of all of them.
    every = [f"Version {number}" for number in reversed(built.corpus.lines["alpha"])]
    assert len(every) > PRODUCT_LINES
    product = content(page(built.site, "documentation/alpha/"))
    assert [text(a) for a in product.select("#versions + ul a")] == every[:PRODUCT_LINES]
    more = product.find("a", string=f"Toutes les versions de Alpha² ({len(every)})")
    assert more["href"] == "versions/"
    versions = reached(built.site, "documentation/alpha/versions/", "h2 + ul a")
    assert versions == [f"documentation/alpha/{n.removeprefix('Version ')}/" for n in every]


def test_product_pages_show_a_bounded_number_of_lines(builds: dict[int, Built]) -> None:
    for scale in SCALES:
        lines = builds[scale].corpus.lines["alpha"]
        product = content(page(builds[scale].site, "documentation/alpha/"))
        assert len(product.select("#versions + ul li")) == min(len(lines), PRODUCT_LINES)
        has_more = (builds[scale].site / "documentation/alpha/versions").exists()
        assert has_more == (len(lines) > PRODUCT_LINES)


FEEDS = ["faq.xml", "release-notes.xml", "release-notes-alpha.xml", "informations.xml"]


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_hold_a_bounded_number_of_summaries(builds: dict[int, Built], path: str) -> None:
    sizes, counts = [], []
    for scale in SCALES:
        raw = (builds[scale].site / path).read_bytes()
        feed = feedparser.parse(raw)
        assert not feed.bozo and feed.version == "atom10"
        assert 0 < len(feed.entries) <= FEED_LIMIT
        for entry in feed.entries:
            assert "content" not in entry
            assert 0 < len(entry.summary) <= SUMMARY_CHARS + 2
        sizes.append(len(raw))
        counts.append(len(feed.entries))
    print(f"{path}: {sizes[0]} B ({counts[0]} entries) at scale 1, {sizes[1]} B ({counts[1]}) at scale 4")
    assert counts[1] == FEED_LIMIT and sizes[1] <= FEED_LIMIT * 1024  # about 0.6 KB an entry
    if counts[0] == FEED_LIMIT:  # full at both sizes: the same size
        assert sizes[1] / sizes[0] <= 1.05


def test_the_long_article_is_summarized_in_the_faq_feed(builds: dict[int, Built]) -> None:
    feed = feedparser.parse((builds[4].site / "faq.xml").read_bytes())
    entry = feed.entries[0]
    assert entry.title == "Un très long article"
    assert entry.summary.startswith("Contexte Une phrase du très long article")
    assert entry.summary.endswith("…")
    assert entry.link.endswith("/faq/alpha/tres-long-article/")


def test_informations_history_pages_and_product_chips(builds: dict[int, Built]) -> None:
    site = builds[4].site
    first = content(page(site, "informations/"))
    assert first.select_one("[data-portail-live-list]") is not None
    assert first.select_one("nav.portail-chips")["data-portail-chips"] == "links"
    second = content(page(site, "informations/page/2/"))
    assert second.select_one("[data-portail-live-list]") is None  # the live part is on page 1
    assert second.find("a", string="première page du fil d'information")["href"] == "../../"
    headings = [h.name for h in second.find_all(["h1", "h2"])]
    assert headings == ["h1", "h2"]


def test_a_list_that_fits_one_page_has_no_pager(builds: dict[int, Built]) -> None:
    article = content(page(builds[1].site, "faq/gamma/"))
    assert article.select_one("nav.portail-pager") is None
    assert not (builds[1].site / "faq/gamma/page").exists()
