"""Issue 13, points 6 and 7: the home page and the information lists tell the state of things
(running, coming, pinned, latest; time slots in French, heure de Paris), and documentation pages
lead to the other kinds of pages of their product (FAQ, release notes, information), as
« Articles liés » of a release note do. Built from the demo with posts of our own, clock fixed."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest

from conftest import copy_project, mkdocs_build
from portail.model.fr import time_slot
from portail.search.related_scores import RELATED_LIMIT, Page, final
from sitehtml import content, page, resolves, text

PARIS = ZoneInfo("Europe/Paris")


def post(title: str, kind: str, published: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nkind: {kind}\npublished: {published}\n{extra}---\n\nTexte.\n"


POSTS = {
    # Running at the build (2026-11-26 10:00), published long before the latest posts.
    "en-cours.md": post(
        "Intervention en cours publiée tôt",
        "intervention",
        "2026-10-01 09:00",
        "products: [iparapheur]\nstart: 2026-11-26 08:00\nend: 2026-11-26 12:00\n",
    ),
    "a-venir.md": post(
        "Intervention de nuit à venir",
        "intervention",
        "2026-11-02 09:00",
        "products: [iparapheur]\nstart: 2026-12-05 22:00\nend: 2026-12-06 02:00\n",
    ),
    "resolu.md": post(
        "Incident résolu",
        "incident",
        "2026-11-03 12:00",
        "products: [iparapheur]\nresolved: 2026-11-03 15:00\n",
    ),
    "epinglee.md": post("Information épinglée", "information", "2020-01-01 10:00", "pinned: true\n"),
    **{
        f"info-{i}.md": post(
            f"Information {i}", "information", f"2026-11-2{i} 10:00", "products: [pastell]\n"
        )
        for i in range(1, 5)
    },
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("state")
    project = copy_project(root / "project")
    shutil.rmtree(project / "kb/informations")
    (project / "kb/informations").mkdir()
    for name, body in POSTS.items():
        (project / "kb/informations" / name).write_text(body, encoding="utf-8")
    built = root / "site"
    result = mkdocs_build(project, built)
    assert result.returncode == 0, result.output
    return built


def titles(node) -> list[str]:
    return [text(a) for a in node.select("li[data-portail-post] .portail-post__title")]


def test_home_running_first_then_coming_pinned_and_latest(site: Path) -> None:
    block = content(page(site, "")).select_one("#a-la-une").parent
    assert titles(block) == [
        "Intervention en cours publiée tôt",
        "Intervention de nuit à venir",
        "Information épinglée",
        "Information 4",
        "Information 3",
        "Information 2",
    ]
    labels = [text(s) for s in block.select("[data-portail-post-label]")]
    assert labels[:2] == ["Intervention en cours", "Intervention à venir"]
    # The browser still recomputes states from the times the items carry.
    first = block.select_one("li[data-portail-post]")
    assert first["data-time-start"].startswith("2026-11-26T08:00") and "data-label-done" in first.attrs


def test_lists_show_time_slots_in_french_and_paris_time_once(site: Path) -> None:
    for url in ("", "informations/", "informations/iparapheur/"):
        article = content(page(site, url))
        shown = text(article)
        assert "le 26 novembre de 8 h à 12 h" in shown, url
        assert "du 5 décembre 22 h au 6 décembre 2 h" in shown, url
        assert shown.count("heure de Paris") == 1, url
    history = text(content(page(site, "informations/")).select_one("[data-portail-history-list]"))
    assert "le 3 novembre de 12 h à 15 h" in history


def links_of(site: Path, url: str, node) -> dict[str, str]:
    base = "/" + url
    return {text(a): unquote(urlsplit(urljoin(base, a["href"])).path) for a in node.find_all("a")}


def test_product_and_line_pages_link_to_faq_release_notes_and_information(site: Path) -> None:
    for url in ("documentation/iparapheur/", "documentation/iparapheur/4.7/"):
        nav = content(page(site, url)).select_one("nav.portail-kinds")
        assert nav is not None, url
        links = links_of(site, url, nav)
        assert links["Foire aux questions i-Parapheur"] == "/faq/iparapheur/"
        assert links["Notes de version i-Parapheur"] == "/release-notes/iparapheur/"
        assert links["Informations i-Parapheur"] == "/informations/iparapheur/"
        assert all(resolves(site, target) for target in links.values()), links
    line = links_of(
        site, "x/", content(page(site, "documentation/iparapheur/4.7/")).select_one("nav.portail-kinds")
    )
    assert "Notes de la version 4.7.11" in line
    # A product no post names has no information page, and no link to one.
    nav = content(page(site, "documentation/lsmessage/")).select_one("nav.portail-kinds")
    assert nav is not None and not any("Informations" in k for k in links_of(site, "x/", nav))


def test_release_note_related_articles_hold_other_kinds(site: Path) -> None:
    url = "release-notes/iparapheur/4.7.9/"
    aside = content(page(site, url)).select_one("aside.portail-related")
    assert aside is not None
    targets = list(links_of(site, url, aside).values())
    assert targets and all(resolves(site, t) for t in targets)
    releases = [t for t in targets if t.startswith("/release-notes/")]
    assert len(releases) <= 1 and len(targets) - len(releases) >= 1


def page_of(kind: str, products: tuple[str, ...] = ("p",)) -> Page:
    return Page("h", kind, products, {}, {}, {}, (0, 0, 0))


def test_final_keeps_one_sibling_and_fills_with_siblings_only_when_short() -> None:
    pages = {"me": page_of("release")}
    pages |= {f"r{i}": page_of("release") for i in range(6)}
    pages |= {"f1": page_of("faq"), "d1": page_of("documentation", ("q",))}
    pool = [("r0", 9.0), ("r1", 8.0), ("f1", 7.0), ("r2", 6.0), ("d1", 5.0), ("r3", 4.0), ("r4", 3.0)]
    # Same product first (d1 is another product's), one release note, then the other kinds; the
    # list is short of other kinds: the next release notes fill it, in the pool's order.
    assert final("me", pool, pages) == ["r0", "r1", "f1", "r2", "d1"]
    pages |= {f"f{i}": page_of("faq") for i in range(2, 6)}
    pool += [(f"f{i}", 2.0 - i / 10) for i in range(2, 6)]
    chosen = final("me", pool, pages)
    assert len(chosen) == RELATED_LIMIT and [c for c in chosen if c.startswith("r")] == ["r0"]
    assert chosen == final("me", list(pool), pages)  # deterministic


def test_time_slot_formats() -> None:
    def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
        return datetime(year, month, day, hour, minute, tzinfo=PARIS)

    assert time_slot(at(5, 12), at(5, 15)) == "le 5 décembre de 12 h à 15 h"
    assert time_slot(at(5, 22), at(6, 2)) == "du 5 décembre 22 h au 6 décembre 2 h"
    assert time_slot(at(1, 9, 30), None) == "à partir du 1er décembre 9 h 30"
    assert (
        time_slot(at(31, 23), at(1, 1, month=1, year=2027))
        == "du 31 décembre 2026 23 h au 1er janvier 2027 1 h"
    )
    assert time_slot(None, None) is None


@pytest.mark.parametrize(
    ("url", "tab"),
    [
        ("", "Accueil"),
        ("support/priorites/", "Accueil"),
        ("faq/iparapheur/mot-de-passe-oublie/", "FAQ"),
        ("faq/iparapheur/", "FAQ"),
        ("release-notes/iparapheur/4.7.1/", "FAQ"),
        ("documentation/iparapheur/4.5/manuel-utilisateur/", "Documentation"),
        ("documentation/iparapheur/", "Documentation"),
        ("informations/", "Informations"),
        ("recherche/", None),
    ],
)
def test_the_tab_of_the_page_is_marked_on_every_page_under_it(demo_site: Path, url: str, tab: str | None) -> None:
    # The navigation holds index pages only: a FAQ article or a document still shows its tab.
    current = [text(li) for li in page(demo_site, url).select("li.md-tabs__item--active")]
    assert current == ([tab] if tab else [])
