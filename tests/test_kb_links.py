"""Links written in kb/ bodies: `portail check` and the strict build report broken ones with their
file and line, in French; valid ones are rewritten so that they work on the site."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import NOW, copy_project, make_kb, mkdocs_build, run
from sitehtml import content, page

MANUAL = (
    "---\ntitle: Manuel administrateur Pastell 4.0\nkind: manuel-administrateur\n---\n"
    "\n"
    "## Droits d'accès\n"  # 6
    "\n"
    "Le [guide](guide.pdf) et les [rôles](#roles-perso).\n"  # 8
    "\n"
    "## Rôles {: #roles-perso }\n"  # 10
    "\n"
    "Voir aussi [la mise à jour](manuel-mise-a-jour.md).\n"  # 12
)
RELEASE = (
    "---\ndate: 2024-09-10\n---\n"
    "\n"
    "Première version : [la FAQ](../../faq/pastell/role.md#reponse).\n"  # 5
    "\n"
    "## Prérequis\n"
    "\n"
    "- Docker, voir [le guide](../../documentation/pastell/4.0/guide.pdf).\n"  # 9
    "\n"
    "## Migration\n"
    "\n"
    "- Voir [le manuel](../../documentation/pastell/4.0/manuel-admin.md#droits-dacces).\n"  # 13
)
ARTICLE = (
    "---\ntitle: Le rôle n'apparaît pas\n---\n"
    "\n"
    "## Réponse\n"  # 5
    "\n"
    "Lisez le [manuel](../../documentation/pastell/4.0/manuel-admin.md#droits-dacces),\n"  # 7
    'le [guide](../../documentation/pastell/4.0/guide.pdf) et <a href="../../releases/pastell/4.0.0.md">la note</a>.\n'
    '![Capture](../../documentation/pastell/4.0/guide.pdf "titre") [plus haut](#reponse) [ref][r]\n'  # 9
    "\n"
    "[r]: ../../informations/maintenance.md\n"  # 11
    "\n"
    "```\n"
    "[exemple](../../../etc/passwd) portail:outil/inconnu\n"
    "```\n"
    "\n"
    "Le code `[x](absent.md)` n'est pas un lien.\n"
    "\n"
    "Voir [la version 4.0](../../documentation/pastell/4.0/), [le produit](../../documentation/pastell)\n"
    "et [le journal de webdelib](../../releases/webdelib/CHANGELOG.md).\n"
)
POST = (
    "---\ntitle: Maintenance\nkind: information\npublished: 2026-11-20 10:00\n---\n"
    "\n"
    "Texte, voir [la FAQ](../faq/pastell/role.md#reponse).\n"  # 7
    "\n"
    "## Mises à jour\n"
    "\n"
    "- 2026-11-20 11:00 : Voir [la note](../releases/pastell/4.0.0.md).\n"  # 11
)
CHANGELOG = (
    "# Journal\n"
    "\n"
    "## [Non publié]\n"
    "\n"
    "- [Pas encore](../../documentation/webdelib/absent.md) : jamais publié, jamais vérifié.\n"
    "\n"
    "## [7.0.0] - 2026-01-12\n"
    "\n"
    "### Ajouts\n"
    "\n"
    "- Voir [la FAQ de Pastell](../../faq/pastell/role.md).\n"  # 11
    "\n"
    "### Migration\n"
    "\n"
    "- Voir [le guide](../../documentation/pastell/4.0/guide.pdf).\n"  # 15
    "\n"
    "### Prérequis\n"
    "\n"
    "- PHP 8.\n"
)


def valid_kb(tmp_path: Path, changes: dict[str, str] | None = None) -> Path:
    """A small knowledge base whose links all work; ``changes`` replace or add files."""
    files = {
        "documentation/pastell/4.0/manuel-admin.md": MANUAL,
        "documentation/pastell/4.0/manuel-mise-a-jour.md": (
            "---\ntitle: Manuel de mise à jour Pastell 4.0\nkind: manuel-mise-a-jour\n---\n\n## Étapes\n\nTexte.\n"
        ),
        "documentation/pastell/4.0/guide.pdf.yml": "title: Guide Pastell 4.0\nkind: autre\n",
        "releases/pastell/4.0.0.md": RELEASE,
        "releases/webdelib/CHANGELOG.md": CHANGELOG,
        "faq/pastell/role.md": ARTICLE,
        "informations/maintenance.md": POST,
    }
    files.update(changes or {})
    kb = make_kb(tmp_path / "source", files)
    (kb / "documentation/pastell/4.0/guide.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return kb


def broken_kb(tmp_path: Path) -> Path:
    """Every kind of broken link, each at a known line (see BROKEN)."""
    article = ARTICLE.replace("manuel-admin.md#droits-dacces),", "manuel-admn.md),")  # 7
    article = article.replace("guide.pdf) et", "guide-absent.pdf) et")  # 8
    article = article.replace("[plus haut](#reponse)", "[plus haut](#reponses)")  # 9
    article = article.replace(
        "\n[r]:",
        "Ni [ça](../../../etc/passwd), ni [ceci](/etc/passwd), ni [cela](file:///etc/passwd).\n"  # 10
        "[Outil](portail:outil/inconnu) et [le catalogue](../../catalogue.yml).\n"  # 11
        "\n[r]:",
    )
    release = RELEASE.replace("#droits-dacces)", "#droits)")  # 13
    changelog = CHANGELOG.replace("faq/pastell/role.md", "faq/pastell/roles.md")  # 11
    post = POST.replace("4.0.0.md)", "9.9.9.md)")  # 11
    manual = MANUAL.replace("(manuel-mise-a-jour.md)", "(manuel-mise-a-jour.md#etape)")  # 12
    return valid_kb(
        tmp_path,
        {
            "faq/pastell/role.md": article,
            "releases/pastell/4.0.0.md": release,
            "releases/webdelib/CHANGELOG.md": changelog,
            "informations/maintenance.md": post,
            "documentation/pastell/4.0/manuel-admin.md": manual,
        },
    )


# (file:line, severity and code, words of the message or fix)
BROKEN = [
    (
        "kb/faq/pastell/role.md:7",
        "erreur [broken-link]",
        "Vouliez-vous dire « ../../documentation/pastell/4.0/manuel-admin.md » ?",
    ),
    (
        "kb/faq/pastell/role.md:8",
        "erreur [broken-link]",
        "kb/documentation/pastell/4.0/guide-absent.pdf, introuvable",
    ),
    (
        "kb/faq/pastell/role.md:10",
        "erreur [link-outside-kb]",
        "« ../../../etc/passwd » hors de la base de connaissances",
    ),
    (
        "kb/faq/pastell/role.md:10",
        "erreur [link-outside-kb]",
        "« /etc/passwd » hors de la base de connaissances (chemin absolu",
    ),
    (
        "kb/faq/pastell/role.md:10",
        "erreur [link-outside-kb]",
        "« file:///etc/passwd » hors de la base de connaissances",
    ),
    (
        "kb/faq/pastell/role.md:11",
        "erreur [unknown-link-target]",
        "« portail:outil/inconnu » vers une adresse non configurée",
    ),
    ("kb/faq/pastell/role.md:11", "erreur [broken-link]", "kb/catalogue.yml, qui n'est pas publié"),
    ("kb/releases/webdelib/CHANGELOG.md:11", "erreur [broken-link]", "« ../../faq/pastell/role.md » ?"),
    (
        "kb/informations/maintenance.md:11",
        "erreur [broken-link]",
        "kb/releases/pastell/9.9.9.md, introuvable",
    ),
    ("kb/faq/pastell/role.md:9", "avertissement [broken-anchor]", "pas d'ancre « #reponses » dans l'article"),
    (
        "kb/releases/pastell/4.0.0.md:13",
        "avertissement [broken-anchor]",
        "Vouliez-vous dire « #droits-dacces » ?",
    ),
    (
        "kb/documentation/pastell/4.0/manuel-admin.md:12",
        "avertissement [broken-anchor]",
        "pas d'ancre « #etape » dans le document « Manuel de mise à jour Pastell 4.0 »",
    ),
]


def findings_at(output: str, location: str, label: str) -> list[str]:
    """The findings printed at ``location`` with ``label``, each with its « Correction » line."""
    lines = output.splitlines()
    return [
        f"{line}\n{lines[i + 1] if i + 1 < len(lines) else ''}"
        for i, line in enumerate(lines)
        if line.startswith(f"{location}: {label}")
    ]


@pytest.fixture(scope="module")
def broken_check(tmp_path_factory: pytest.TempPathFactory) -> str:
    project = copy_project(
        tmp_path_factory.mktemp("broken") / "project", broken_kb(tmp_path_factory.mktemp("kb"))
    )
    result = run(["portail", "check"], cwd=project)
    assert result.returncode == 1, result.output
    return result.output


@pytest.mark.parametrize(("location", "label", "words"), BROKEN, ids=[f"{b[0]} {b[1]}" for b in BROKEN])
def test_check_reports_each_broken_link_at_its_line(
    broken_check: str, location: str, label: str, words: str
) -> None:
    assert any(words in finding for finding in findings_at(broken_check, location, label)), broken_check


def test_faq_link_to_missing_document_is_an_error_with_its_line(broken_check: str) -> None:
    (finding,) = findings_at(broken_check, "kb/faq/pastell/role.md:7", "erreur [broken-link]")
    message, fix = finding.split("\n")
    assert "« ../../documentation/pastell/4.0/manuel-admn.md »" in message
    assert "kb/documentation/pastell/4.0/manuel-admn.md, introuvable" in message
    assert fix.strip().startswith(
        "Correction : Vouliez-vous dire « ../../documentation/pastell/4.0/manuel-admin.md »"
    )


def test_check_counts_the_broken_links_and_nothing_else(broken_check: str) -> None:
    # Code blocks, inline code and the never-published « Non publié » block are not checked.
    errors = sum(1 for b in BROKEN if b[1].startswith("erreur"))
    warnings = len(BROKEN) - errors
    assert f"{errors} erreur(s), {warnings} avertissement(s)" in broken_check, broken_check
    assert "webdelib/absent.md" not in broken_check


def test_strict_build_stops_on_broken_links_before_writing_the_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", broken_kb(tmp_path))
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode != 0
    # Errors stop the build in on_config, before MkDocs creates the site folder; the warnings
    # are logged first, so one run names every problem.
    for location, label, _ in BROKEN:
        assert f"{location}: {label}" in result.output, result.output
    assert not site.exists()


def test_broken_anchor_alone_is_a_warning_that_fails_only_strict_builds(tmp_path: Path) -> None:
    kb = valid_kb(
        tmp_path, {"faq/pastell/role.md": ARTICLE.replace("[plus haut](#reponse)", "[plus haut](#reponses)")}
    )
    project = copy_project(tmp_path / "project", kb)
    check = run(["portail", "check"], cwd=project)
    assert check.returncode == 0, check.output
    assert "kb/faq/pastell/role.md:9: avertissement [broken-anchor]" in check.output
    assert "Vouliez-vous dire « #reponse » ?" in check.output
    assert mkdocs_build(project, tmp_path / "site").returncode != 0


def test_check_json_gives_the_line_of_each_link(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", broken_kb(tmp_path))
    result = run(["portail", "check", "--format", "json"], cwd=project)
    assert result.returncode == 1
    report = json.loads(result.output)  # the note on stderr is not in the way: stdout is JSON
    outside = [f for f in report["findings"] if f["code"] == "link-outside-kb"]
    assert {(f["file"], f["line"], f["severity"]) for f in outside} == {
        ("kb/faq/pastell/role.md", 10, "error")
    }
    assert len(outside) == 3


# --- portail: links and the site's configuration --------------------------------------------


def test_portail_link_to_unconfigured_tool_is_an_error_read_from_mkdocs_yml(tmp_path: Path) -> None:
    article = ARTICLE.replace("[ref][r]", "[ref][r] [outil](portail:outil/lspki) [x](portail:outil/inconnu)")
    project = copy_project(tmp_path / "project", valid_kb(tmp_path, {"faq/pastell/role.md": article}))
    result = run(["portail", "check"], cwd=project)
    assert result.returncode == 1, result.output
    (line,) = findings_at(result.output, "kb/faq/pastell/role.md:9", "erreur [unknown-link-target]")
    assert "portail:outil/inconnu" in line
    assert "portail:outil/lspki," in result.output  # the configured names, in the fix


def test_without_mkdocs_yml_portail_links_are_checked_for_their_form_only(tmp_path: Path) -> None:
    article = ARTICLE.replace("[ref][r]", "[ref][r] [x](portail:outil/inconnu) [y](portail:billet)")
    kb = valid_kb(tmp_path, {"faq/pastell/role.md": article})
    result = run(["portail", "check", "--kb", str(kb)], cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert "pas de mkdocs.yml : les liens portail: sont vérifiés dans leur forme seulement" in result.output
    (line,) = [line for line in result.output.splitlines() if "[unknown-link-target]" in line]
    assert "role.md:9:" in line and "« portail:billet » mal formé" in line


def test_check_reads_the_plugin_options_of_any_mkdocs_yml(tmp_path: Path) -> None:
    config = tmp_path / "site.yml"
    config.write_text(
        "site_name: !ENV [PORTAIL_TEST_UNSET, Portail]\n"
        "docs_dir: !relative $config_dir/docs\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "plugins:\n"
        "  search: {}\n"
        "  portail:\n"
        "    ticket_url: https://tickets.example.org/\n"
        "    tools:\n"
        "      inconnu: https://outil.example.org/\n",
        encoding="utf-8",
    )
    article = ARTICLE.replace("[ref][r]", "[ref][r] [x](portail:outil/inconnu) [t](portail:ticket)")
    kb = valid_kb(tmp_path, {"faq/pastell/role.md": article})
    result = run(["portail", "check", "--kb", str(kb), "--config", str(config)], cwd=tmp_path)
    assert result.returncode == 0, result.output
    missing = run(["portail", "check", "--kb", str(kb), "--config", "absent.yml"], cwd=tmp_path)
    assert missing.returncode == 2
    assert "« absent.yml » introuvable (option --config)" in missing.output


def test_config_targets_find_the_plugin_however_plugins_are_written(tmp_path: Path) -> None:
    from portail.checks.portail_links import config_targets

    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - search\n  - portail\n", encoding="utf-8")
    assert config_targets(config) == {}  # no options: no ticket, no tools
    config.write_text("plugins:\n  - search\n", encoding="utf-8")
    assert config_targets(config) is None  # not a portail site: nothing configured to compare
    config.write_text(
        "plugins:\n  - portail:\n      ticket_url: !ENV [PORTAIL_TEST_UNSET, https://t.example.org/]\n",
        encoding="utf-8",
    )
    assert config_targets(config) == {"ticket": "https://t.example.org/"}


# --- Links that work on the site -------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kb = valid_kb(tmp_path_factory.mktemp("kb"))
    project = copy_project(tmp_path_factory.mktemp("valid") / "project", kb)
    check = run(["portail", "check"], cwd=project)
    assert check.returncode == 0 and "0 erreur(s), 0 avertissement(s)" in check.output, check.output
    built = project / "site"
    result = mkdocs_build(project, built)
    assert result.returncode == 0, result.output
    assert "unrecognized relative link" not in result.output, result.output
    return built


def follow(site: Path, page_url: str, href: str) -> tuple[Path, str]:
    """The built file a link of the page at ``page_url`` leads to, and its fragment."""
    parts = urlsplit(urljoin(f"http://site/{page_url}", href))
    path = site / unquote(parts.path).lstrip("/")
    return (path / "index.html" if path.is_dir() else path), parts.fragment


def link(site: Path, page_url: str, text: str, tag: str = "a") -> tuple[str, Path, str]:
    node = content(page(site, page_url)).find(tag, string=text) if tag == "a" else None
    if node is None:
        node = content(page(site, page_url)).find(tag, alt=text)
    assert node is not None, f"{text} absent de {page_url}"
    href = node.get("href") or node.get("src")
    target, fragment = follow(site, page_url, href)
    return href, target, fragment


def assert_leads_to(
    site: Path, page_url: str, text: str, expected: str, fragment: str = "", tag: str = "a"
) -> None:
    href, target, anchor = link(site, page_url, text, tag)
    assert target == site / expected, (href, target)
    assert target.is_file(), href
    assert anchor == fragment, href
    if fragment:
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), href


def test_faq_link_to_a_document_heading_leads_to_its_page_on_the_site(site: Path) -> None:
    article = "faq/pastell/role/"
    assert_leads_to(
        site, article, "manuel", "documentation/pastell/4.0/manuel-admin/index.html", "droits-dacces"
    )
    assert_leads_to(site, article, "guide", "documentation/pastell/4.0/guide.pdf")
    assert_leads_to(site, article, "Capture", "documentation/pastell/4.0/guide.pdf", tag="img")
    assert_leads_to(site, article, "la note", "release-notes/pastell/4.0.0/index.html")  # raw HTML
    assert_leads_to(site, article, "ref", "informations/2026-11-20-maintenance/index.html")
    assert_leads_to(site, article, "plus haut", "faq/pastell/role/index.html", "reponse")
    # Folders lead to their listing, a changelog to the product's release notes.
    assert_leads_to(site, article, "la version 4.0", "documentation/pastell/4.0/index.html")
    assert_leads_to(site, article, "le produit", "documentation/pastell/index.html")
    assert_leads_to(site, article, "le journal de webdelib", "release-notes/webdelib/index.html")


def test_release_changelog_post_and_document_links_work_on_the_site(site: Path) -> None:
    release = "release-notes/pastell/4.0.0/"
    assert_leads_to(site, release, "la FAQ", "faq/pastell/role/index.html", "reponse")
    assert_leads_to(site, release, "le guide", "documentation/pastell/4.0/guide.pdf")
    assert_leads_to(
        site, release, "le manuel", "documentation/pastell/4.0/manuel-admin/index.html", "droits-dacces"
    )
    assert_leads_to(site, "release-notes/webdelib/7.0.0/", "la FAQ de Pastell", "faq/pastell/role/index.html")
    post = "informations/2026-11-20-maintenance/"
    assert_leads_to(site, post, "la FAQ", "faq/pastell/role/index.html", "reponse")
    assert_leads_to(site, post, "la note", "release-notes/pastell/4.0.0/index.html")  # an update's text
    manual = "documentation/pastell/4.0/manuel-admin/"
    assert_leads_to(site, manual, "guide", "documentation/pastell/4.0/guide.pdf")
    assert_leads_to(site, manual, "rôles", "documentation/pastell/4.0/manuel-admin/index.html", "roles-perso")
    assert_leads_to(site, manual, "la mise à jour", "documentation/pastell/4.0/manuel-mise-a-jour/index.html")


def test_code_is_shown_as_written(site: Path) -> None:
    html = content(page(site, "faq/pastell/role/")).get_text()
    assert "[exemple](../../../etc/passwd) portail:outil/inconnu" in html
    assert "[x](absent.md)" in html


# --- The finding rules on their own ----------------------------------------------------------


def test_links_are_found_in_every_markdown_syntax_but_not_in_code() -> None:
    from portail.checks.markdown_links import find_links

    text = (
        '[![image](a.png)](b.md) [multi\nligne](c.md \'titre\') <img src="d.png" alt="">\n'
        "   [ref]: <e f.md>\n"
        "[^note]: pas un lien\n"
        "<!-- [commentaire](g.md) -->\n"
        "~~~\n[code](h.md)\n~~~\n"
        "Un `[span](i.md)` et [j](j_(1).md).\n"
    )
    found = [(link.target, link.line, link.raw_html) for link in find_links(text)]
    assert found == [
        ("a.png", 0, False),
        ("b.md", 0, False),
        ("c.md", 1, False),
        ("d.png", 1, True),
        ("e f.md", 2, False),
        ("j_(1).md", 8, False),
    ]


def test_resolution_keeps_kb_closed() -> None:
    from portail.checks.kb_links import resolve

    assert resolve("faq/pastell", "../../documentation/p/x.md#a").path == "documentation/p/x.md"
    assert resolve("faq/pastell", "../../documentation/p/x.md#a").fragment == "a"
    assert resolve("faq/pastell", "../../../etc/passwd").kind == "outside"
    assert resolve("faq/pastell", "..\\..\\..\\etc\\passwd").kind == "outside"
    assert resolve("faq/pastell", "C:\\Windows\\win.ini").kind == "outside"
    assert resolve("faq/pastell", "file:///etc/passwd").kind == "outside"
    assert resolve("faq/pastell", "/etc/passwd").kind == "outside"
    for external in ("https://example.org/x", "//cdn.example.org/x.js", "mailto:a@b.fr", "tel:+33400000000"):
        assert resolve("faq/pastell", external).kind == "external"
    assert resolve("faq/pastell", "#x").kind == "self"
    assert resolve("faq/pastell", "autre%20article.md").path == "faq/pastell/autre article.md"


def test_analyse_checks_links_with_the_targets_it_is_given(tmp_path: Path) -> None:
    from portail.checks.analyse import analyse

    article = ARTICLE.replace("[ref][r]", "[ref][r] [t](portail:ticket)")
    kb = valid_kb(tmp_path, {"faq/pastell/role.md": article})
    codes = {f.code for f in analyse(kb, tmp_path, now=NOW, targets={}).findings}
    assert codes == {"unknown-link-target"}
    assert not analyse(kb, tmp_path, now=NOW, targets={"ticket": "https://t.example.org/"}).findings
    assert not analyse(kb, tmp_path, now=NOW).findings  # no configuration: well formed is enough


def test_demo_knowledge_base_links_check_clean(tmp_path: Path) -> None:
    result = run(["portail", "check"], cwd=copy_project(tmp_path / "demo"))
    assert result.returncode == 0, result.output
    assert result.output.startswith("0 erreur(s), 0 avertissement(s)"), result.output
