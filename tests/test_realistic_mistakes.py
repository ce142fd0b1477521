"""Realistic mistakes that used to pass in silence (issue 12, point 6): each one is a finding at
its file and line, and what the site shows does not lie meanwhile."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import NOW, make_kb
from portail.checks.analyse import analyse
from portail.checks.markdown_links import find_links, heading_lines, mask_code
from portail.model.clock import in_paris
from portail.model.findings import Finding
from portail.model.urls import release_notes_product_url, release_url
from portail.pages.generate import generate_pages
from portail.pages.release_view import release_views
from portail.reading.changelog_headings import scan

TODAY = in_paris(NOW).date()
NEXT_MONTH = TODAY + timedelta(days=30)


def found(findings: tuple[Finding, ...] | list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def line_of(kb: Path, name: str, text: str) -> int:
    lines = (kb / name).read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


# -- 1. a release dated in the future ---------------------------------------------------------


def release_file(day: object) -> str:
    return f"---\ndate: {day}\n---\n\nUne version.\n\n## Corrections\n\n- Un correctif.\n"


def test_a_release_dated_next_month_is_a_warning_and_not_the_latest_before_its_date(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path,
        {
            "releases/idelibre/4.2.0.md": release_file("2026-10-01"),
            "releases/idelibre/4.2.1.md": release_file(NEXT_MONTH.isoformat()),
        },
    )
    analysis = analyse(kb, tmp_path, now=NOW)
    (future,) = found(analysis.findings, "release-future-date")
    assert not future.is_error
    assert (future.source.path, future.source.line) == ("kb/releases/idelibre/4.2.1.md", 1)
    assert future.subject == "4.2.1"
    assert f"{NEXT_MONTH:%d/%m/%Y}" in future.message and "dernière version" in future.message
    assert "unpublished: true" in future.fix

    idelibre = analysis.kb.product("idelibre")
    views = release_views(analysis.kb, idelibre, TODAY)
    # Still listed, in version order, but the latest is the newest release already out.
    assert [(str(v.release.version), v.is_latest, v.upcoming) for v in views] == [
        ("4.2.1", False, True),
        ("4.2.0", True, False),
    ]
    # On its date, it becomes the latest.
    on_the_day = release_views(analysis.kb, idelibre, NEXT_MONTH)
    assert [str(v.release.version) for v in on_the_day if v.is_latest] == ["4.2.1"]

    pages = {page.url: page.markdown for page in generate_pages(analysis.kb, NOW, {"ticket": "https://t/"})}
    product_page = pages[release_notes_product_url("idelibre")]
    entries = product_page.split("<li>")[1:]
    (newest,) = [e for e in entries if "Version 4.2.1" in e]
    (current,) = [e for e in entries if "Version 4.2.0" in e]
    assert "dernière version" not in newest and "dernière version" in current
    assert "dernière version" not in pages[release_url(views[0].release)]
    assert "dernière version" in pages[release_url(views[1].release)]
    assert "version 4.2.0" in pages[""] and "version 4.2.1" not in pages[""]  # the home page


def test_a_future_version_of_a_changelog_points_at_its_heading(tmp_path: Path) -> None:
    changelog = (
        "# Changelog\n\n"
        f"## [7.1.0] - {NEXT_MONTH.isoformat()}\n\n### Ajouts\n\n- Nouveau.\n\n"
        "## [7.0.0] - 2026-01-12\n\n### Migration\n\n- Suivre le guide.\n\n### Prérequis\n\n- PHP 8.\n"
    )
    kb = make_kb(tmp_path, {"releases/webdelib/CHANGELOG.md": changelog})
    analysis = analyse(kb, tmp_path, now=NOW)
    (future,) = found(analysis.findings, "release-future-date")
    assert (future.source.path, future.source.line) == (
        "kb/releases/webdelib/CHANGELOG.md",
        line_of(kb, "releases/webdelib/CHANGELOG.md", "## [7.1.0]"),
    )
    assert "[Unreleased]" in future.fix
    views = release_views(analysis.kb, analysis.kb.product("webdelib"), TODAY)
    assert [str(v.release.version) for v in views if v.is_latest] == ["7.0.0"]


def test_a_release_of_today_or_before_is_no_finding(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path,
        {
            "releases/idelibre/4.2.0.md": release_file("2026-10-01"),
            "releases/idelibre/4.2.1.md": release_file(TODAY.isoformat()),
            "releases/idelibre/4.2.2.md": "---\nunpublished: true\n" + release_file(NEXT_MONTH)[4:],
        },
    )
    analysis = analyse(kb, tmp_path, now=NOW)
    assert not found(analysis.findings, "release-future-date")
    views = release_views(analysis.kb, analysis.kb.product("idelibre"), TODAY)
    assert [str(v.release.version) for v in views if v.is_latest] == ["4.2.1"]


# -- 2. tags written as one text ----------------------------------------------------------------


ARTICLE = "---\ntitle: Le rôle n'apparaît pas\n{tags}\n---\n\n## Symptôme\n\nTexte.\n"


def test_tags_written_as_one_text_are_a_warning_and_split_at_commas(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path,
        {
            "faq/pastell/role.md": ARTICLE.format(tags="tags: rôles, droits"),
            "faq/pastell/liste.md": ARTICLE.format(tags="tags: [rôles, droits]"),
            "faq/pastell/mot.md": ARTICLE.format(tags="tags: signature électronique"),
        },
    )
    analysis = analyse(kb, tmp_path, now=NOW)
    (tags,) = found(analysis.findings, "tags-not-a-list")
    assert not tags.is_error
    assert (tags.source.path, tags.source.line) == ("kb/faq/pastell/role.md", 3)
    assert "« rôles, droits »" in tags.message
    assert tags.fix == "Écrivez une liste : [rôles, droits]."
    by_slug = {a.slug: a for a in analysis.kb.articles}
    assert by_slug["role"].tags == ("rôles", "droits")  # nothing lost meanwhile
    assert by_slug["liste"].tags == ("rôles", "droits")
    assert by_slug["mot"].tags == ("signature électronique",)  # one keyword of two words


# -- 3. an update with a date and no time -------------------------------------------------------


POST = (
    "---\ntitle: Lenteurs\nkind: incident\npublished: 2026-11-20 08:00\n---\n\nTexte.\n\n"
    "## Mises à jour\n\n"
    "- 2026-11-21 : Le correctif est installé.\n"
    "- 2026-11-20 09:15 : Cause identifiée.\n"
    "- 21/11/2026 : Surveillance.\n"
    "- J-1 : Relative, sans heure.\n"
)


def test_an_update_without_time_is_a_finding_at_its_line_and_never_midnight(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, {"informations/lenteurs.md": POST})
    analysis = analyse(kb, tmp_path, now=NOW)
    missing = found(analysis.findings, "information-update-time-missing")
    name = "informations/lenteurs.md"
    assert [(f.source.path, f.source.line) for f in missing] == [
        (f"kb/{name}", line_of(kb, name, "- 2026-11-21 :")),
        (f"kb/{name}", line_of(kb, name, "- 21/11/2026 :")),
        (f"kb/{name}", line_of(kb, name, "- J-1 :")),
    ]
    assert all(f.is_error for f in missing)
    assert "0h00" in missing[0].message and "21/11/2026" in missing[0].message
    assert "- 2026-11-21 hh:mm : Le correctif est installé." in missing[0].fix
    assert "- J-1 hh:mm" in missing[2].fix
    assert not found(analysis.findings, "information-update-unreadable")
    (post,) = analysis.kb.posts
    assert [(u.at.hour, u.at.minute, u.text) for u in post.updates] == [(9, 15, "Cause identifiée.")]
    assert all((u.at.hour, u.at.minute) != (0, 0) for u in post.updates)


# -- 4. fences: a ``` line inside a ~~~ fence, and both fence kinds ------------------------------


DOCUMENT = """---
title: Exemples de Markdown
---

## Exemple

~~~markdown
```
# Pas un titre
[pas un lien](absent.md)
~~~

## Avec des accents graves

````text
~~~
# Toujours pas un titre
[toujours pas](absent-aussi.md)
````

!!! note "Dans un encadré"

    ```yaml
    # commentaire
    lien: [non](absent-encore.md)
    ```

#### Niveau sauté
"""


def test_a_backtick_line_inside_a_tilde_fence_opens_nothing(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, {"documentation/pastell/exemples.md": DOCUMENT})
    analysis = analyse(kb, tmp_path, now=NOW)
    name = "documentation/pastell/exemples.md"
    mine = [f for f in analysis.findings if f.source.path == f"kb/{name}"]
    # The one real mistake is found at its line; nothing inside a fence is a heading or a link.
    assert [(f.code, f.source.line) for f in mine] == [("heading-order", line_of(kb, name, "#### Niveau"))]


def test_both_fence_kinds_mask_links_and_headings() -> None:
    for opening, closing in (("```", "```"), ("~~~", "~~~"), ("~~~", "~~~~"), ("````", "````")):
        body = f"## Avant\n\n{opening}\n# code\n[a](a.md)\n{closing}\n\n## Après [b](b.md)\n"
        assert [link.target for link in find_links(body)] == ["b.md"], opening
        assert heading_lines(body) == ((0, 2), (7, 2)), opening
        masked = mask_code(body)
        assert "a.md" not in masked and "# code" not in masked and masked.count("\n") == body.count("\n")
    # A tilde fence holding a backtick line, and the reverse: the inner line is code.
    tilde = "~~~\n```\n~~~\n# Titre\n[c](c.md)\n"
    assert heading_lines(tilde) == ((3, 1),) and [link.target for link in find_links(tilde)] == ["c.md"]
    backtick = "```\n~~~\n```\n# Titre\n[c](c.md)\n"
    assert heading_lines(backtick) == ((3, 1),) and [link.target for link in find_links(backtick)] == ["c.md"]
    # An unclosed fence runs to the end; a heading in raw HTML is not one either.
    assert heading_lines("```\n# code\n") == ()
    assert heading_lines("<div>\n# dans du HTML\n</div>\n\n# Titre\n") == ((4, 1),)


def test_the_changelog_reader_is_not_misled_by_a_backtick_line_in_a_tilde_fence() -> None:
    text = "## [1.1.0] - 2026-01-02\n\n~~~\n```\n## [9.9.9] - 2026-01-01\n~~~\n\n## [1.0.0] - 2025-01-01\n"
    headings = [line.number for line in scan(text, 1).lines if line.heading is not None]
    assert headings == [1, 8]


def test_release_section_headings_are_shifted_by_the_parser_s_headings() -> None:
    """A `#` line inside a code block, of either fence kind, is not a heading to shift."""
    from portail.pages.render import headings_from

    body = "#### Détail\n\n~~~\n```\n~~~\n\n##### Sous-détail\n\n```\n# pas un titre\n```\n"
    shifted = headings_from(body, 3)
    assert shifted.splitlines()[0] == "### Détail"
    assert "#### Sous-détail" in shifted
    assert "# pas un titre" in shifted.splitlines()
