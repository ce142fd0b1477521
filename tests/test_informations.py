"""Live information posts: states computed from a clock passed in, the live part and the
history, updates, and every time mistake a finding with its line."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import NOW, make_kb
from portail.checks.analyse import analyse
from portail.pages.informations import headline_posts, split_live
from portail.pages.post_state import PostState, is_live, label, state

PARIS = NOW.tzinfo


INTERVENTION = """---
title: Mise à jour de la plateforme @ctes
kind: intervention
published: 2026-11-20 14:24
products: [s2low]
start: 2026-11-28 08:00
end: 2026-11-28 12:00
---

Les actes restent à l'état « transmis » pendant l'intervention.

## Mises à jour

- 2026-11-28 08:05 : Début de l'intervention.
- 28/11/2026 11h40 : Fin de l'intervention, les actes sont de nouveau transmis.
"""


def read(tmp_path: Path, posts: dict[str, str], now: datetime = NOW):
    return analyse(make_kb(tmp_path, {f"informations/{n}": t for n, t in posts.items()}), tmp_path, now=now)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def test_the_same_intervention_is_live_before_its_end_and_history_after(tmp_path: Path) -> None:
    analysis = read(tmp_path, {"actes.md": INTERVENTION})
    assert analysis.findings == ()
    (post,) = analysis.kb.posts
    moments = {
        "2026-11-27T10:00": (PostState.UPCOMING, "Intervention à venir", True),
        "2026-11-28T09:00": (PostState.ONGOING, "Intervention en cours", True),
        "2026-11-28T12:30": (PostState.DONE, "Intervention terminée", False),
    }
    for moment, (expected, text, live) in moments.items():
        now = at(moment)
        assert state(post, now) is expected and label(post, state(post, now)) == text
        assert is_live(post, now) is live
        in_live, in_history = split_live(analysis.kb, [post], now)
        assert (len(in_live), len(in_history)) == ((1, 0) if live else (0, 1))


def test_an_actual_end_ends_the_intervention_early(tmp_path: Path) -> None:
    text = INTERVENTION.replace(
        "end: 2026-11-28 12:00", "end: 2026-11-28 12:00\nactual_end: 2026-11-28 11:40"
    )
    (post,) = read(tmp_path, {"actes.md": text}).kb.posts
    assert state(post, at("2026-11-28T11:45")) is PostState.DONE


def test_updates_are_read_dated_and_removed_from_the_body(tmp_path: Path) -> None:
    (post,) = read(tmp_path, {"actes.md": INTERVENTION}).kb.posts
    assert [u.at.strftime("%d/%m %H:%M") for u in post.updates] == ["28/11 08:05", "28/11 11:40"]
    assert post.updates[1].text.startswith("Fin de l'intervention")
    assert post.updates[1].source.line == 15
    assert "Mises à jour" not in post.body and "transmis" in post.body


def test_incident_open_until_resolved_and_information_until_it_expires(tmp_path: Path) -> None:
    posts = {
        "incident.md": "---\ntitle: Signature impossible\nkind: incident\npublished: 2026-11-26 08:00\n"
        "resolved: 2026-11-26 15:00\n---\n\nTexte.\n",
        "info.md": "---\ntitle: Nouvelle version\nkind: information\nlabel: Nouvelle version\n"
        "published: 2026-11-20 10:00\nexpires: 2026-12-01 18:00\n---\n\nTexte.\n",
        "covid.md": "---\ntitle: Continuité\nkind: information\nlabel: Information COVID-19\n"
        "published: 2020-03-16 09:30\npinned: true\n---\n\nTexte.\n",
    }
    kb = read(tmp_path, posts).kb
    incident, info, covid = (next(p for p in kb.posts if p.slug == s) for s in ("incident", "info", "covid"))
    assert label(incident, state(incident, at("2026-11-26T10:00"))) == "Incident en cours"
    assert label(incident, state(incident, at("2026-11-26T16:00"))) == "Incident résolu"
    assert is_live(info, at("2026-11-30T10:00")) and not is_live(info, at("2026-12-02T10:00"))
    assert label(info, state(info, NOW)) == "Nouvelle version"
    assert is_live(covid, NOW) and label(covid, state(covid, NOW)) == "Information COVID-19"


def test_relative_dates_keep_a_demo_current(tmp_path: Path) -> None:
    text = INTERVENTION.replace("published: 2026-11-20 14:24", "published: J-1 14:24")
    text = text.replace("start: 2026-11-28 08:00", "start: J+2 08:00").replace(
        "end: 2026-11-28 12:00", "end: J+2 12:00"
    )
    text = text.split("## Mises à jour")[0]
    later = NOW + timedelta(days=100)
    for now in (NOW, later):
        (post,) = read(tmp_path / now.strftime("%Y%m%d"), {"actes.md": text}, now).kb.posts
        assert post.start.date() == (now + timedelta(days=2)).date() and post.start.hour == 8
        assert state(post, now) is PostState.UPCOMING


def test_home_headlines_are_pinned_plus_the_three_latest(tmp_path: Path) -> None:
    posts = {
        f"p{i}.md": f"---\ntitle: Info {i}\nkind: information\npublished: 2026-11-{10 + i} 10:00\n---\n\nT.\n"
        for i in range(5)
    }
    posts["pinned.md"] = (
        "---\ntitle: Épinglée\nkind: information\npublished: 2020-01-01 10:00\npinned: true\n---\n\nT.\n"
    )
    kb = read(tmp_path, posts).kb
    assert [v.post.title for v in headline_posts(kb, NOW)] == ["Épinglée", "Info 4", "Info 3", "Info 2"]


@pytest.mark.parametrize(
    "change, code, line",
    [
        (("end: 2026-11-28 12:00", "end: 2026-11-28 07:00"), "end-before-start", 7),
        (("start: 2026-11-28 08:00\n", ""), "intervention-missing-time", 2),
        (("products: [s2low]", "products: [slow]"), "unknown-product", 5),
        (("published: 2026-11-20 14:24", "published: bientôt"), "information-date-unreadable", 4),
        (("- 2026-11-28 08:05 : Début", "- vers 8h : Début"), "information-update-unreadable", 14),
    ],
    ids=[
        "end before start",
        "intervention without start",
        "unknown product",
        "unreadable date",
        "unreadable update",
    ],
)
def test_time_mistakes_are_findings_with_their_line(tmp_path: Path, change, code, line) -> None:
    analysis = read(tmp_path, {"actes.md": INTERVENTION.replace(*change)})
    found = [(f.code, f.source.line) for f in analysis.findings]
    assert (code, line) in found, found
    assert analysis.has_errors


def test_a_resolution_before_publication_is_an_error(tmp_path: Path) -> None:
    text = "---\ntitle: Panne\nkind: incident\npublished: 2026-11-26 08:00\nresolved: 2026-11-25 15:00\n---\n\nT.\n"
    found = [(f.code, f.source.line) for f in read(tmp_path, {"panne.md": text}).findings]
    assert found == [("resolved-before-published", 5)]


def test_a_field_of_another_kind_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    text = "---\ntitle: Panne\nkind: incident\npublished: 2026-11-26 08:00\nexpires: 2026-11-30 15:00\n---\n\nT.\n"
    (finding,) = read(tmp_path, {"panne.md": text}).findings
    assert (finding.code, finding.source.line, finding.is_error) == ("information-field-ignored", 5, False)


def test_two_posts_at_one_address_are_an_error(tmp_path: Path) -> None:
    text = "---\ntitle: Panne\nkind: incident\npublished: 2026-11-26 08:00\n---\n\nT.\n"
    analysis = read(tmp_path, {"incident-x.md": text, "incident_x.md": text})
    assert [f.code for f in analysis.findings] == ["duplicate-url"]


def test_home_headlines_stay_bounded_however_many_interventions(tmp_path: Path) -> None:
    # NOW is 2026-11-26 10:00: 8 interventions running, 6 to come; the home shows 3 of them,
    # running first, and 2 coming when only one runs.
    def intervention(name: str, start: str, end: str) -> str:
        return (
            f"---\ntitle: {name}\nkind: intervention\npublished: 2026-11-01 10:00\n"
            f"start: {start}\nend: {end}\n---\n\nT.\n"
        )

    posts = {
        f"r{i}.md": intervention(f"En cours {i}", f"2026-11-26 0{i}:00", "2026-11-26 20:00") for i in range(8)
    }
    posts |= {
        f"c{i}.md": intervention(f"À venir {i}", f"2026-12-0{i + 1} 08:00", f"2026-12-0{i + 1} 12:00")
        for i in range(6)
    }
    kb = read(tmp_path, posts).kb
    titles = [v.post.title for v in headline_posts(kb, NOW, latest=0)]
    assert titles == ["En cours 7", "En cours 6", "En cours 5"]
    one = read(tmp_path / "un", {"r0.md": posts["r0.md"], **{f"c{i}.md": posts[f"c{i}.md"] for i in range(6)}}).kb
    assert [v.post.title for v in headline_posts(one, NOW, latest=0)] == ["En cours 0", "À venir 0", "À venir 1"]
