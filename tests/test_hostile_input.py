"""Hostile and broken input: titles that try to run script, links out of kb/, files that cannot
be read, control characters, empty files. Every case ends in text shown exactly as written, or in
a French finding with its file and line, from `portail check` and from the build alike; never in
a traceback, never in a file from outside kb/ on the site."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from conftest import BIN, ENV, copy_project, mkdocs_build, run
from sitehtml import content, page, text

# One string holds every family of injection: HTML elements and attributes, Markdown links and
# attribute lists, emphasis that would eat characters, an entity that must stay literal.
HOSTILE = (
    'Le champ <objet> "><img src=x onerror=alert(1)> <script>alert(2)</script> '
    "[clic](javascript:alert(3)) {: onclick=alert(4) } *gras* _x_ C# &amp; 'fin'"
)


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_field(path: Path, key: str, value: str) -> None:
    """Replace the first ``key:`` line of a YAML file or front matter."""
    source = path.read_text(encoding="utf-8")
    changed, count = re.subn(
        rf"^{key}: .*$", lambda _: f"{key}: {quoted(value)}", source, count=1, flags=re.M
    )
    assert count == 1, (path, key)
    path.write_text(changed, encoding="utf-8")


FAQ = "kb/faq/pastell/connecteur-s2low-test-echoue.md"
POST = "kb/informations/maintenance-plateforme-s2low.md"
DOCUMENT = "kb/documentation/pastell/guide-des-connecteurs.md"
SIDECAR = "kb/documentation/pastell/4.0/prerequis-installation.pdf.yml"

PRODUCT = f"Pastell {HOSTILE}"
SECTION = f"01- LES LIBRICIELS {HOSTILE}"
TITLES = {
    FAQ: f"FAQ {HOSTILE}",
    POST: f"Info {HOSTILE}",
    DOCUMENT: f"Guide {HOSTILE}",
    SIDECAR: f"PDF {HOSTILE}",
}


def inject(project: Path) -> None:
    catalogue = project / "kb/catalogue.yml"
    source = catalogue.read_text(encoding="utf-8")
    source = source.replace("name: Pastell", f"name: {quoted(PRODUCT)}", 1)
    source = source.replace('title: "01- LES LIBRICIELS"', f"title: {quoted(SECTION)}", 1)
    source = re.sub(
        r"^( +)description: Plateforme d'échanges.*$",
        lambda m: f"{m.group(1)}description: {quoted('Description ' + HOSTILE)}",
        source,
        count=1,
        flags=re.M,
    )
    catalogue.write_text(source, encoding="utf-8")
    for path, title in TITLES.items():
        set_field(project / path, "title", title)
    set_field(project / FAQ, "tags", HOSTILE)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = copy_project(root / "project")
    inject(project)
    site = root / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.output
    return site


def urls_of(site: Path) -> dict[str, str]:
    """Addresses of the pages that show each injected title."""
    faq = next(p for p in (site / "faq/pastell").iterdir() if p.name.startswith("connecteur-s2low"))
    post = next(
        p for p in (site / "informations").iterdir() if p.name.endswith("maintenance-plateforme-s2low")
    )
    return {
        "faq": f"faq/pastell/{faq.name}/",
        "post": f"informations/{post.name}/",
        "document": "documentation/pastell/guide-des-connecteurs/",
    }


# -- escaping, read in the HTML ---------------------------------------------------------------


def test_no_injected_markup_survives_in_any_page(hostile_site: Path) -> None:
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 100
    for html in pages:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        where = html.relative_to(hostile_site)
        assert not soup.find("img", src="x"), where
        assert not any("alert(" in (s.string or "") for s in soup.find_all("script")), where
        assert not soup.select('a[href^="javascript:"]'), where
        for tag in soup.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs), (where, tag.name, tag.attrs)


def test_titles_read_exactly_as_written_in_page_header_tab_and_breadcrumb(hostile_site: Path) -> None:
    urls = urls_of(hostile_site)
    for kind, title in (("faq", TITLES[FAQ]), ("post", TITLES[POST]), ("document", TITLES[DOCUMENT])):
        soup = page(hostile_site, urls[kind])
        assert text(content(soup).find("h1")) == title, kind
        assert soup.title is not None and soup.title.get_text() == f"{title} - Portail de support"
        header = soup.select_one(".md-header__topic[data-md-component=header-topic]")
        assert header is not None and text(header) == title, kind
        crumb = soup.select_one(".portail-breadcrumb [aria-current=page]")
        assert crumb is not None and text(crumb) == title, kind


def test_catalogue_names_read_exactly_in_lists_navigation_and_filters(hostile_site: Path) -> None:
    soup = page(hostile_site, "documentation/")
    assert SECTION in [text(h) for h in content(soup).find_all("h2")]
    assert f"Description {HOSTILE} Page du produit {PRODUCT}" in text(content(soup))
    assert SECTION in [text(a) for a in soup.select(".md-tabs a, .md-nav a, .md-nav label")]
    faq = page(hostile_site, "faq/")
    assert any(text(chip).startswith(PRODUCT) for chip in faq.select(".portail-chip"))
    article = page(hostile_site, urls_of(hostile_site)["faq"])
    filters = [tag["data-pagefind-filter"] for tag in article.select("[data-pagefind-filter]")]
    assert f"produit:{PRODUCT}" in filters
    assert f"Mots-clés : {HOSTILE}" in text(content(article))
    line = page(hostile_site, "documentation/pastell/4.0/")
    assert any(text(a).startswith(TITLES[SIDECAR]) for a in content(line).find_all("a"))


def test_feeds_calendars_and_json_carry_the_text_exactly(hostile_site: Path) -> None:
    faq = feedparser.parse((hostile_site / "faq.xml").read_bytes())
    assert not faq.bozo
    assert TITLES[FAQ] in [entry.title for entry in faq.entries]
    news = feedparser.parse((hostile_site / "informations.xml").read_bytes())
    assert TITLES[POST] in [entry.title for entry in news.entries]
    calendar = icalendar.Calendar.from_ical(
        (hostile_site / urls_of(hostile_site)["post"] / "intervention.ics").read_bytes()
    )
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert TITLES[POST] in summaries
    names = json.loads((hostile_site / "portail-produits.json").read_text(encoding="utf-8"))
    assert PRODUCT in [product["name"] for product in names]


def test_a_title_is_one_line_of_text(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    faq = project / FAQ
    source = faq.read_text(encoding="utf-8")
    faq.write_text(
        re.sub(r"^title: .*$", "title: |\n  Première ligne\n  ## seconde", source, count=1, flags=re.M)
    )
    site = tmp_path / "site"
    assert mkdocs_build(project, site).returncode == 0
    soup = page(site, urls_of(site)["faq"])
    assert text(content(soup).find("h1")) == "Première ligne ## seconde"


# -- escaping, seen in Chromium -----------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    from browser import serve

    yield from serve(hostile_site)


@pytest.mark.browser
def test_no_script_runs_and_titles_show_as_written_in_chromium(
    hostile_url: str, hostile_site: Path, page: Any
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    urls = urls_of(hostile_site)
    visits = {
        "": None,
        "faq/": None,
        "faq/pastell/": None,
        urls["faq"]: TITLES[FAQ],
        "documentation/": None,
        "documentation/pastell/": None,
        "documentation/pastell/4.0/": None,
        urls["document"]: TITLES[DOCUMENT],
        "informations/": None,
        urls["post"]: TITLES[POST],
        "release-notes/pastell/": None,
    }
    # Every page: the catalogue's section and product names reach all of them (tabs, lists).
    everywhere = sorted(
        p.parent.relative_to(hostile_site).as_posix() + "/" for p in hostile_site.rglob("index.html")
    )
    visits |= {url.removeprefix("./"): None for url in everywhere if url not in visits}
    assert len(visits) > 100
    for url, title in visits.items():
        page.goto(hostile_url + url, wait_until="load")
        if title is not None:
            assert page.title() == f"{title} - Portail de support"
            assert page.locator("article h1").first.inner_text() == title
    page.goto(hostile_url + "recherche/?q=objet+onerror")
    expect(page.locator("[data-portail-search-status]")).to_contain_text("résultat", timeout=30_000)
    shown = page.locator(".portail-result__title").all_inner_texts()
    assert any(HOSTILE in title for title in shown), shown
    for selector in ("img[src=x]", "a[href^='javascript:']"):
        assert page.locator(selector).count() == 0
    assert dialogs == []


# -- kb/ is a closed box --------------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def attachment_linked_out(kb: Path) -> None:
    folder = kb / "documentation/pastell/4.0"
    (folder / "fuite.pdf").symlink_to("/etc/passwd")
    write(folder / "fuite.pdf.yml", "title: Fuite\nkind: autre\n")


def markdown_linked_out(kb: Path, outside: Path) -> None:
    write(outside / "secret.md", "---\ntitle: Secret\n---\n\nmot de passe\n")
    (kb / "faq/pastell/secret.md").symlink_to(outside / "secret.md")


def folder_linked_out(kb: Path, outside: Path) -> None:
    write(outside / "dossier/secret.md", "---\ntitle: Secret\nkind: autre\n---\n\nmot de passe\n")
    (kb / "documentation/pastell/4.2").symlink_to(outside / "dossier", target_is_directory=True)


def relative_link_out(kb: Path, outside: Path) -> None:
    write(outside / "secret.md", "---\ntitle: Secret\n---\n\nmot de passe\n")
    (kb / "faq/pastell/secret.md").symlink_to(os.path.relpath(outside / "secret.md", kb / "faq/pastell"))


def dangling_link(kb: Path) -> None:
    (kb / "faq/pastell/disparu.md").symlink_to("nulle-part.md")


def link_loop(kb: Path) -> None:
    (kb / "faq/pastell/boucle.md").symlink_to("boucle.md")


def section_root_linked_out(kb: Path, outside: Path) -> None:
    write(outside / "faq/pastell/secret.md", "---\ntitle: Secret\n---\n\nmot de passe\n")
    shutil.rmtree(kb / "faq")
    (kb / "faq").symlink_to(outside / "faq", target_is_directory=True)


LINK_CASES: dict[str, tuple[Callable[..., None], str, str]] = {
    "attachment to /etc/passwd": (
        attachment_linked_out,
        "kb/documentation/pastell/4.0/fuite.pdf:1",
        "symlink-outside",
    ),
    "Markdown file linked from outside": (
        markdown_linked_out,
        "kb/faq/pastell/secret.md:1",
        "symlink-outside",
    ),
    "version folder linked from outside": (
        folder_linked_out,
        "kb/documentation/pastell/4.2:1",
        "symlink-outside",
    ),
    "relative link climbing out": (relative_link_out, "kb/faq/pastell/secret.md:1", "symlink-outside"),
    "FAQ folder linked from outside": (section_root_linked_out, "kb/faq:1", "symlink-outside"),
    "dangling link": (dangling_link, "kb/faq/pastell/disparu.md:1", "symlink-broken"),
    "link loop": (link_loop, "kb/faq/pastell/boucle.md:1", "symlink-loop"),
}


def breaks(breaker: Callable[..., None], kb: Path, outside: Path) -> None:
    if breaker.__code__.co_argcount == 2:
        breaker(kb, outside)
    else:
        breaker(kb)


@pytest.mark.parametrize("case", LINK_CASES, ids=list(LINK_CASES))
def test_symbolic_links_never_lead_out_of_kb(case: str, tmp_path: Path) -> None:
    breaker, location, code = LINK_CASES[case]
    project = copy_project(tmp_path / "project")
    breaks(breaker, project / "kb", tmp_path / "outside")

    check = run(["portail", "check"], cwd=project)
    assert check.returncode == 1, check.output
    assert f"{location}: erreur [{code}]" in check.output, check.output
    assert "Traceback" not in check.output
    site = tmp_path / "site"
    build = mkdocs_build(project, site)
    assert build.returncode != 0
    assert f"{location}: erreur [{code}]" in build.output, build.output
    assert "Traceback" not in build.output
    assert not site.exists()


def test_a_link_inside_kb_is_followed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "kb/faq/s2low/connecteur-pastell.md").symlink_to("../pastell/connecteur-s2low-test-echoue.md")
    check = run(["portail", "check"], cwd=project)
    assert check.returncode == 0, check.output
    site = tmp_path / "site"
    assert mkdocs_build(project, site).returncode == 0
    assert (site / "faq/s2low/connecteur-pastell/index.html").is_file()


def test_docs_links_out_of_docs_stop_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs/support/fuite.md").symlink_to("/etc/passwd")
    site = tmp_path / "site"
    build = mkdocs_build(project, site)
    assert build.returncode != 0
    assert "docs/support/fuite.md:1: erreur [symlink-outside]" in build.output, build.output
    assert "Traceback" not in build.output
    assert not site.exists()


def test_no_file_from_outside_kb_reaches_the_demo_site(demo_site: Path) -> None:
    passwd = Path("/etc/passwd").read_bytes()
    for path in demo_site.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert passwd not in path.read_bytes(), path
        assert not path.is_symlink(), path


# -- no traceback on any input --------------------------------------------------------------


def control_in_faq_body(kb: Path) -> None:
    path = kb / FAQ.removeprefix("kb/")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[8] += " saut\x0cde page et \x1b[31mcouleur\x1b[0m"
    path.write_text("\n".join(lines), encoding="utf-8")


def nul_in_release(kb: Path) -> None:
    path = kb / "releases/webdelib/CHANGELOG.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] += "\x00"
    path.write_text("\n".join(lines), encoding="utf-8")


def invalid_utf8(kb: Path) -> None:
    (kb / "faq/pastell/latin1.md").write_bytes(
        "---\ntitle: Réponse\n---\n\nTexte accentué : é\n".encode("latin-1")
    )


def empty_sidecar(kb: Path) -> None:
    (kb / SIDECAR.removeprefix("kb/")).write_text("", encoding="utf-8")


def comments_only_sidecar(kb: Path) -> None:
    (kb / SIDECAR.removeprefix("kb/")).write_text("# titre à venir\n", encoding="utf-8")


def empty_catalogue(kb: Path) -> None:
    (kb / "catalogue.yml").write_text("# rien pour l'instant\n", encoding="utf-8")


def catalogue_without_sections(kb: Path) -> None:
    (kb / "catalogue.yml").write_text("sections: []\n", encoding="utf-8")


def unclosed_quote_in_catalogue(kb: Path) -> None:
    path = kb / "catalogue.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[5].startswith('    title: "01- LES LIBRICIELS"')
    lines[5] = '    title: "01- LES LIBRICIELS'
    path.write_text("\n".join(lines), encoding="utf-8")


def named_pipe(kb: Path) -> None:
    os.mkfifo(kb / "faq/pastell/tube.md")


TEXT_CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "form feed and ANSI escape in a FAQ body": (control_in_faq_body, f"{FAQ}:9", "control-character"),
    "NUL in a changelog": (nul_in_release, "kb/releases/webdelib/CHANGELOG.md:5", "control-character"),
    "invalid UTF-8": (invalid_utf8, "kb/faq/pastell/latin1.md:2", "encoding"),
    "empty sidecar": (empty_sidecar, f"{SIDECAR}:1", "empty-sidecar"),
    "comments-only sidecar": (comments_only_sidecar, f"{SIDECAR}:1", "empty-sidecar"),
    "empty catalogue": (empty_catalogue, "kb/catalogue.yml:1", "empty-catalogue"),
    "catalogue with no sections": (catalogue_without_sections, "kb/catalogue.yml:1", "empty-catalogue"),
    "unclosed quote in the catalogue": (unclosed_quote_in_catalogue, "kb/catalogue.yml:6", "yaml-syntax"),
    "named pipe": (named_pipe, "kb/faq/pastell/tube.md:1", "special-file"),
}


@pytest.mark.parametrize("case", TEXT_CASES, ids=list(TEXT_CASES))
def test_broken_files_are_findings_from_check_and_build_alike(case: str, tmp_path: Path) -> None:
    breaker, location, code = TEXT_CASES[case]
    project = copy_project(tmp_path / "project")
    breaker(project / "kb")

    check = run(["portail", "check"], cwd=project)
    assert check.returncode == 1, check.output
    assert "Traceback" not in check.output
    assert f"{location}: erreur [{code}]" in check.output, check.output
    site = tmp_path / "site"
    build = mkdocs_build(project, site)
    assert build.returncode != 0
    assert "Traceback" not in build.output
    assert f"{location}: erreur [{code}]" in build.output, build.output
    assert not site.exists()


def test_an_empty_catalogue_is_one_finding_not_a_flood(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    empty_catalogue(project / "kb")
    check = run(["portail", "check"], cwd=project)
    assert "[empty-catalogue]" in check.output
    assert "[unknown-product]" not in check.output


def test_control_character_finding_names_the_column_and_character(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    control_in_faq_body(project / "kb")
    check = run(["portail", "check"], cwd=project)
    assert "U+000C" in check.output
    assert "(3 dans le fichier)" in check.output


@pytest.fixture
def world_readable_tmp() -> Iterator[Path]:
    """A folder another user can enter: the unreadable-file test runs as « nobody » when the
    suite runs as root (root reads everything, whatever the file's mode)."""
    folder = Path(tempfile.mkdtemp(prefix="portail-unreadable-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / args[0]), *args[1:]]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("setpriv (util-linux) manque pour lancer la commande sans les droits de root")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(
        command, cwd=cwd, env={**ENV, "HOME": str(cwd)}, capture_output=True, text=True, timeout=120
    )


def test_unreadable_file_and_folder_are_findings(world_readable_tmp: Path) -> None:
    project = copy_project(world_readable_tmp / "project")
    for path in [project, *project.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    (project / FAQ).chmod(0)
    (project / "kb/documentation/pastell/4.0/prerequis-installation.pdf").chmod(0)
    (project / "kb/documentation/pastell/4.1").chmod(0)
    result = run_unprivileged(["portail", "check"], cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert f"{FAQ}:1: erreur [unreadable] fichier illisible (droit de lecture refusé)" in output, output
    assert "kb/documentation/pastell/4.0/prerequis-installation.pdf:1: erreur [unreadable]" in output
    assert output.count("kb/documentation/pastell/4.1:1: erreur [unreadable] dossier illisible") == 1, output
