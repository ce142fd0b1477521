"""The FAQ and the release notes of the bundled demo, read from the built HTML (clock fixed
at BUILD_NOW by conftest)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sitehtml import content, list_pages, page, text


def entries(article) -> list:
    return article.select("ul.portail-faq-list > li")


def all_entries(site: Path, url: str) -> list:
    """The entries of every page of a FAQ list, following « Page suivante »."""
    return [item for _, soup in list_pages(site, url) for item in entries(content(soup))]


def entry_date(item) -> date:
    return date.fromisoformat(item.find("time")["datetime"])


def test_faq_lists_articles_and_release_notes_most_recent_first(demo_site: Path) -> None:
    article = content(page(demo_site, "faq/"))
    items = all_entries(demo_site, "faq/")
    kinds = {item["data-type"] for item in items}
    assert kinds == {"article", "release"}
    dates = [entry_date(item) for item in items]
    assert dates == sorted(dates, reverse=True)
    titles = [text(item.find("a")) for item in items]
    assert "Notes de version i-Parapheur 4.7.11" in titles
    assert "Notes de version i-Parapheur 4.7.10" in titles
    assert "Le nouveau rôle créé n'apparaît pas dans la liste, que faire ?" in titles
    assert sum(1 for item in items if item["data-type"] == "article") >= 20
    assert article.select_one("[data-portail-faq-search] input") is not None  # the keyword box


def test_product_chips_show_counts_and_link_static_pages(demo_site: Path) -> None:
    article = content(page(demo_site, "faq/"))
    items = all_entries(demo_site, "faq/")
    chips = article.select("a.portail-chip")
    assert text(chips[0]).startswith("Tous les produits") and chips[0].has_attr("aria-current")
    assert int(chips[0].select_one(".portail-chip__count").get_text()) == len(items)
    products_with_articles = set()
    for chip in chips[1:]:
        slug = chip["data-produit"]
        count = int(chip.select_one(".portail-chip__count").get_text())
        expected = sum(1 for item in items if slug in item["data-produits"].split())
        assert count == expected, slug
        assert chip["href"] == f"{slug}/"
        static = all_entries(demo_site, f"faq/{slug}/")
        assert len(static) == count  # the static pages work with JavaScript off
        if any(i["data-type"] == "article" for i in static):
            products_with_articles.add(slug)
    assert len(products_with_articles) >= 5


def test_article_page_shows_badges_versions_date_and_way_back(demo_site: Path) -> None:
    faq = content(page(demo_site, "faq/pastell/"))
    link = next(a for a in faq.select("ul.portail-faq-list a") if "nouveau rôle" in text(a))
    soup = page(demo_site, "faq/pastell/" + link["href"])
    article = content(soup)
    meta = text(article.select_one(".portail-docmeta"))
    assert "Pastell" in meta and "Mis à jour le" in meta
    badges = [text(a) for a in article.select(".portail-docmeta a.portail-badge")]
    assert "Pastell" in badges
    back = article.select_one(".portail-back a")
    assert text(back) == "Retour à la FAQ Pastell" and back["href"] == "../"
    assert len(soup.find_all("h1")) == 1


def test_release_notes_per_product_grouped_by_line_newest_first(demo_site: Path) -> None:
    article = content(page(demo_site, "release-notes/iparapheur/"))
    lines = [text(h) for h in article.find_all("h2")]
    assert lines[0] == "Version 4.7"
    numbers = [tuple(int(n) for n in heading.split()[1].split(".")) for heading in lines]
    assert numbers == sorted(numbers, reverse=True)
    first = article.select("ul.portail-releases")[0].find_all("li")
    assert text(first[0]).startswith("Version 4.7.11")
    assert "dernière version" in text(first[0])
    assert sum("dernière version" in text(li) for li in article.find_all("li")) == 1
    assert "version corrective" in text(first[0])
    assert first[0].find("time") is not None


def test_release_page_has_sections_neighbours_and_deadline(demo_site: Path) -> None:
    article = content(page(demo_site, "release-notes/iparapheur/4.7.10/"))
    assert text(article.find("h1")) == "i-Parapheur — version 4.7.10"
    assert "version corrective" in text(article.select_one(".portail-docmeta"))
    assert "corrige la ligne 4.7" in text(article.select_one(".portail-docmeta"))
    assert article.find("h2") is not None
    nav = article.select_one("nav.portail-prevnext")
    assert {text(a) for a in nav.find_all("a")} >= {"4.7.9", "4.7.11"}
    box = article.select_one("[data-portail-deadline]")
    published = date.fromisoformat(article.select_one(".portail-docmeta time")["datetime"])
    deadline = date.fromisoformat(box["data-portail-deadline"])
    assert (deadline.year * 12 + deadline.month) - (published.year * 12 + published.month) == 3
    open_text = box.select_one("[data-portail-deadline-open]")
    passed_text = box.select_one("[data-portail-deadline-passed]")
    build_day = date(2026, 11, 26)
    if deadline < build_day:
        assert open_text.has_attr("hidden") and not passed_text.has_attr("hidden")
        assert "Délai dépassé" in text(passed_text)
    else:
        assert passed_text.has_attr("hidden") and "À installer avant le" in text(open_text)


def test_deadline_of_a_recent_patch_is_open_and_of_an_old_one_passed(demo_site: Path) -> None:
    recent = content(page(demo_site, "release-notes/iparapheur/4.7.11/")).select_one(
        "[data-portail-deadline]"
    )
    old = content(page(demo_site, "release-notes/iparapheur/4.7.0/")).select_one("[data-portail-deadline]")
    assert not recent.select_one("[data-portail-deadline-open]").has_attr("hidden")
    assert re.search(r"À installer avant le \d{1,2} \w+ 2027", text(recent))
    assert old.select_one("[data-portail-deadline-open]").has_attr("hidden")
    assert "6 mois" in text(old) or "six mois" in text(old)


def test_changelog_product_is_published_and_unreleased_is_not(demo_site: Path) -> None:
    article = content(page(demo_site, "release-notes/webdelib/"))
    versions = [text(a) for a in article.select("ul.portail-releases a")]
    assert "Version 7.1.1" in versions and "Version 7.0.0" in versions
    assert not (demo_site / "release-notes/s2low/4.3.11").exists()  # unpublished: true
    assert (demo_site / "release-notes/s2low/4.3.10/index.html").is_file()


def test_major_release_is_labelled(demo_site: Path) -> None:
    article = content(page(demo_site, "release-notes/pastell/4.0.0/"))
    assert "version majeure" in text(article.select_one(".portail-docmeta"))
    headings = [text(h) for h in article.find_all("h2")]
    assert "Migration" in headings and "Prérequis" in headings


def test_nomenclature_page_explains_the_rules_and_release_pages_link_it(demo_site: Path) -> None:
    soup = page(demo_site, "nomenclature-des-versions/")
    article = content(soup)
    assert text(article.find("h1")) == "Nomenclature des versions"
    body = text(article)
    for words in (
        "version majeure",
        "version mineure",
        "version corrective",
        "3 mois",
        "6 mois",
        "release-kind-too-small",
        "IP 4.7.11",
    ):
        assert words in body, words
    rows = {
        text(tr.find("td")): [text(td) for td in tr.find_all("td")]
        for tr in article.select("table tr")
        if tr.find("td")
    }
    assert rows["Incompatibilités"][1:4] == ["non", "non", "oui"]
    assert rows["Retraits"][1:4] == ["non", "oui", "oui"]
    assert "Nomenclature des versions" in [text(a) for a in soup.select("nav.md-nav--primary a")]
    release = content(page(demo_site, "release-notes/pastell/4.1.1/"))
    link = next(a for a in release.find_all("a") if "numérotation" in text(a))
    assert link["href"] == "../../../nomenclature-des-versions/"
