"""Reading built HTML the way a reader sees it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup


def page(site: Path, url: str) -> BeautifulSoup:
    """The built page at a site URL such as ``documentation/iparapheur/``."""
    path = site / url / "index.html" if url.endswith("/") or url == "" else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def content(soup: BeautifulSoup) -> BeautifulSoup:
    """The article, without the header, navigation and footer."""
    article = soup.select_one("article.md-content__inner")
    assert article is not None
    return article


def text(node: BeautifulSoup) -> str:
    """Visible text with white space folded, heading permalinks (¶) left out."""
    strings = [
        s
        for s in node.find_all(string=True)
        if not any("headerlink" in (parent.get("class") or []) for parent in s.parents)
    ]
    return " ".join(" ".join(strings).split())


def internal_links(site: Path) -> list[tuple[str, str]]:
    """Every (page, target) pair of relative links in the built site."""
    pairs = []
    for html in site.rglob("*.html"):
        page_url = "/" + html.relative_to(site).as_posix()
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "script", "img"]):
            target = tag.get("href") or tag.get("src")
            if not target or target.startswith(("#", "mailto:", "data:", "javascript:")):
                continue
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:
                continue
            pairs.append((page_url, unquote(urlsplit(urljoin(page_url, target)).path)))
    return pairs


def resolves(site: Path, path: str) -> bool:
    local = site / path.lstrip("/")
    return local.is_file() or (local / "index.html").is_file()


def list_pages(site: Path, url: str) -> list[tuple[str, BeautifulSoup]]:
    """The pages of a paginated list, from ``url`` on, by following its « Page suivante » links
    as a reader without JavaScript does; each with its site URL."""
    found = []
    seen = set()
    while url not in seen:
        seen.add(url)
        soup = page(site, url)
        found.append((url, soup))
        following = soup.select_one("nav.portail-pager a[rel~=next]")
        if following is None:
            break
        assert text(following) == "Page suivante"
        url = urlsplit(urljoin("/" + url, following["href"])).path.lstrip("/")
    return found
