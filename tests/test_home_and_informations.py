"""The home page, the information feed, post pages, calendars, and the reference pages of the
bundled demo, read from the built HTML (clock fixed at BUILD_NOW by conftest)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import feedparser
import icalendar

from conftest import BUILD_NOW, copy_project, mkdocs_build
from sitehtml import content, page, text

NOW = datetime.fromisoformat(BUILD_NOW)


def posts(node) -> list:
    return node.select("li[data-portail-post]")


def test_home_headlines_running_coming_pinned_then_three_latest(demo_site: Path) -> None:
    home = content(page(demo_site, ""))
    block = home.select_one("#a-la-une").parent
    items = posts(block)
    states = [i.select_one("[data-portail-post-label]")["class"][-1] for i in items]
    running = [
        i
        for i, s in zip(items, states, strict=True)
        if s in ("portail-state--ongoing", "portail-state--open")
    ]
    coming = [i for i, s in zip(items, states, strict=True) if s == "portail-state--upcoming"]
    rest = items[len(running) + len(coming) :]
    assert running and coming and items[: len(running) + len(coming)] == running + coming
    pinned = [i for i in rest if i["data-pinned"] == "true"]
    others = [i for i in rest if i["data-pinned"] == "false"]
    assert pinned and rest[: len(pinned)] == pinned
    assert len(others) == 3
    published = [datetime.fromisoformat(i["data-published"]) for i in others]
    assert published == sorted(published, reverse=True)
    every = posts(content(page(demo_site, "informations/")))
    # The state group is bounded (3 at most); the latest are the news neither running nor to come.
    assert len(running) + len(coming) <= 3
    live = ("portail-state--ongoing", "portail-state--open", "portail-state--upcoming")
    newest = sorted(
        (
            datetime.fromisoformat(i["data-published"])
            for i in every
            if i["data-pinned"] == "false" and i.select_one("[data-portail-post-label]")["class"][-1] not in live
        ),
        reverse=True,
    )
    assert published == newest[:3]
    assert block.find("a", string="Voir toutes les informations")["href"] == "informations/"


def test_home_faq_documentation_versions_and_ticket_block(demo_site: Path) -> None:
    home = content(page(demo_site, ""))
    faq = home.select_one("#faq-recente").parent
    dates = [t["datetime"] for t in faq.find_all("time")]
    assert len(dates) == 3 and dates == sorted(dates, reverse=True)
    assert faq.find("a", string="Accéder à la FAQ")["href"] == "faq/"
    docs = home.select_one("#documentation").parent
    assert [text(h) for h in docs.find_all("h3")] == ["01- LES LIBRICIELS", "02- LES SERVICES", "03- AUTRES"]
    assert docs.find("a", string="S²LOW")["href"] == "documentation/s2low/"
    versions = text(home.select_one("#dernieres-versions").parent)
    assert "i-Parapheur : version 4.7.11" in versions and "webdelib : version 7.1.1" in versions
    ticket = home.select_one("#avant-ticket").parent
    assert (
        ticket.find("a", string="Déposer un ticket")["href"] == "https://support.example.org/tickets/nouveau"
    )
    assert (
        ticket.find("a", string="Ce que doit contenir un ticket")["href"]
        == "support/avant-de-deposer-un-ticket/"
    )


def labels(items) -> dict[str, str]:
    return {
        text(i.select_one(".portail-post__title")): text(i.select_one("[data-portail-post-label]"))
        for i in items
    }


def test_feed_page_splits_live_and_history_as_of_the_build(demo_site: Path) -> None:
    article = content(page(demo_site, "informations/"))
    live = labels(posts(article.select_one("[data-portail-live-list]")))
    history = labels(posts(article.select_one("[data-portail-history-list]")))
    assert live["Mise à jour de la plateforme @ctes de l'État"] == "Intervention à venir"
    assert live["Migration des serveurs de la plateforme Pastell mutualisée"] == "Intervention en cours"
    assert live["Signature impossible depuis la dernière mise à jour de Firefox"] == "Incident en cours"
    assert live["Continuité du support pendant la crise sanitaire"] == "Information COVID-19"
    assert history["Maintenance de la plateforme S²LOW mutualisée"] == "Intervention terminée"
    assert history["Retard d'envoi des convocations idelibre"] == "Incident résolu"
    first = posts(article.select_one("[data-portail-live-list]"))[0]
    assert first["data-pinned"] == "true"
    assert "Publiée le 16/03/2020 à 9h30" in text(first)


def test_static_product_page_of_the_feed(demo_site: Path) -> None:
    article = content(page(demo_site, "informations/s2low/"))
    titles = set(labels(posts(article)))
    assert "Mise à jour de la plateforme @ctes de l'État" in titles
    assert "Migration des serveurs de la plateforme Pastell mutualisée" not in titles


def post_page(site: Path, title: str):
    link = next(
        a for a in content(page(site, "informations/")).select("a.portail-post__title") if text(a) == title
    )
    return "informations/" + link["href"], content(page(site, "informations/" + link["href"]))


def test_post_page_has_label_times_timeline_and_calendar(demo_site: Path) -> None:
    url, article = post_page(demo_site, "Maintenance de la plateforme S²LOW mutualisée")
    assert url.startswith("informations/2026-11-20-")
    assert text(article.select_one("[data-portail-post-label]")) == "Intervention terminée"
    meta = text(article.select_one(".portail-docmeta"))
    assert "Intervention prévue du 25/11/2026 à 7h00 au 25/11/2026 à 9h00" in meta
    assert "terminée le 25/11/2026 à 8h35" in meta
    timeline = article.select("ol.portail-timeline li")
    assert timeline and all(li.find("time") for li in timeline)
    ics = article.find("a", string="Ajouter à mon agenda (iCalendar)")
    calendar = icalendar.Calendar.from_ical((demo_site / url / ics["href"]).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Maintenance de la plateforme S²LOW mutualisée"
    assert event.decoded("dtend").strftime("%d/%m %H:%M") == "25/11 08:35"  # the actual end


def test_calendar_of_interventions_to_come(demo_site: Path) -> None:
    calendar = icalendar.Calendar.from_ical((demo_site / "informations/interventions.ics").read_bytes())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    actes = events["Mise à jour de la plateforme @ctes de l'État"]
    assert actes.decoded("dtstart").strftime("%Y-%m-%d %H:%M") == "2026-11-29 08:00"
    assert "Coupure de la ligne téléphonique du support" in events
    assert all(str(e["uid"]).startswith("http://127.0.0.1:8000/informations/") for e in events.values())
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]  # RFC 5545


def test_information_feed_entry_is_refreshed_by_an_update(demo_site: Path) -> None:
    feed = feedparser.parse((demo_site / "informations.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    entry = next(e for e in feed.entries if e.title == "Retard d'envoi des convocations idelibre")
    assert entry.updated_parsed > entry.published_parsed
    # The summary opens with the latest update: the news a reader of the feed comes for.
    assert entry.summary.startswith("Mise à jour du 20/11/2026 à 11h45 : Incident résolu.")


def test_reference_pages_are_under_home_with_configured_links(demo_site: Path) -> None:
    soup = page(demo_site, "support/avant-de-deposer-un-ticket/")
    article = content(soup)
    assert text(article.find("h1")) == "Avant de déposer un ticket"
    assert article.find("a", href="https://support.example.org/tickets/nouveau") is not None
    nav = [text(a) for a in soup.select("nav.md-nav--primary a")]
    for title in (
        "Avant de déposer un ticket",
        "Comprendre les priorités",
        "Comprendre les états des tickets",
        "Horaires du support",
        "Outils",
    ):
        assert title in nav, nav
    tools = content(page(demo_site, "support/outils/"))
    assert tools.find("a", href="https://www.example.org/outils/teamviewer-quicksupport") is not None
    for html in (demo_site / "support").rglob("*.html"):
        assert "portail:" not in html.read_text(encoding="utf-8")
    priorities = text(content(page(demo_site, "support/priorites/")))
    for level in ("Niveau 0", "Niveau 1", "Niveau 2", "Niveau 3"):
        assert level in priorities


def test_an_unknown_link_target_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page_path = project / "docs/support/outils.md"
    page_path.write_text(
        page_path.read_text(encoding="utf-8") + "\n[Autre](portail:outil/inconnu)\n", encoding="utf-8"
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    lines = page_path.read_text(encoding="utf-8").count("\n")
    assert f"docs/support/outils.md:{lines}: erreur [unknown-link-target]" in result.output
    assert not (tmp_path / "site").exists()
