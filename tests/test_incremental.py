"""Incremental builds: a dirty rebuild after an edit writes what the edit touched and nothing
else, and its site equals a clean build of the same sources, byte for byte."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import BIN, ENV, copy_project, run

FAQ = "kb/faq/pastell/connecteur-s2low-test-echoue.md"
GONE = "kb/faq/pastell/controle-etat-renvoie-503.md"


def build(project: Path, site: Path, *, dirty: bool = False) -> None:
    # MkDocs warns at every dirty build (« inaccurate navigation »), which --strict refuses.
    args = ["mkdocs", "build", "--dirty"] if dirty else ["mkdocs", "build", "--strict"]
    result = run([*args, "--site-dir", str(site)], cwd=project)
    assert result.returncode == 0, result.output


def edit(project: Path, words: str) -> None:
    path = project / FAQ
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Symptôme\n", f"## Symptôme\n\n{words}\n", 1), encoding="utf-8")


def html_times(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def differences(left: Path, right: Path) -> list[str]:
    """Paths that exist on one side only or whose bytes differ."""
    found = []
    compare = filecmp.dircmp(left, right)
    stack = [(compare, "")]
    while stack:
        node, prefix = stack.pop()
        found += [f"{prefix}{name} (d'un seul côté)" for name in node.left_only + node.right_only]
        found += [
            f"{prefix}{name}"
            for name in node.common_files
            if (Path(node.left) / name).read_bytes() != (Path(node.right) / name).read_bytes()
        ]
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return sorted(found)


def test_dirty_rebuild_after_edits_equals_a_clean_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    incremental = tmp_path / "incremental"
    build(project, incremental)
    edit(project, "Un mot ajouté par la rédaction : cornemuse.")
    (project / GONE).unlink()
    build(project, incremental, dirty=True)
    clean = tmp_path / "clean"
    build(project, clean)

    assert "cornemuse" in (incremental / "faq/pastell/connecteur-s2low-test-echoue/index.html").read_text()
    assert not (incremental / "faq/pastell/controle-etat-renvoie-503").exists()
    assert [d for d in differences(incremental, clean) if not pagefind_order(d)] == []
    assert pagefind_pages(incremental) == pagefind_pages(clean)


def test_renderings_kept_between_builds_give_the_site_of_a_build_without_them(tmp_path: Path) -> None:
    """A build takes back the HTML of pages whose Markdown did not change (.portail/); what it
    writes is what a build with no cache writes, edits and removals included."""
    project = copy_project(tmp_path / "project")
    build(project, tmp_path / "first")
    store = project / ".portail" / "rendered.sqlite"
    assert store.is_file()
    edit(project, "Un mot ajouté par la rédaction : cornemuse.")
    (project / GONE).unlink()
    kept = tmp_path / "kept"
    build(project, kept)
    shutil.rmtree(project / ".portail")
    fresh = tmp_path / "fresh"
    build(project, fresh)

    assert "cornemuse" in (kept / "faq/pastell/connecteur-s2low-test-echoue/index.html").read_text()
    assert [d for d in differences(kept, fresh) if not pagefind_order(d)] == []
    # The store follows the site: one rendering per page, the removed article's gone.
    pages = sum(1 for _ in kept.rglob("index.html")) + 1  # and 404.html
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM rendered").fetchone()[0] <= pages


def test_a_page_rendered_with_a_warning_fails_the_strict_build_every_time(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "aide-en-cours.md").write_text(
        "# Aide en cours\n\nVoir [la page à venir](page-a-venir.md).\n", encoding="utf-8"
    )
    for _ in range(2):
        result = run(["mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")], cwd=project)
        assert result.returncode != 0
        assert "page-a-venir.md" in result.output


def pagefind_order(path: str) -> bool:
    """Files of Pagefind's bundle that two clean builds of the same site already write
    differently (filter files, and the metadata and entry naming them, follow the order of a
    hash map): compared by what they index instead."""
    return (
        path.startswith(("pagefind/filter/", "pagefind/pagefind.")) or path == "pagefind/pagefind-entry.json"
    )


def pagefind_pages(site: Path) -> tuple[int, list[str]]:
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    fragments = sorted(p.name for p in (site / "pagefind/fragment").iterdir())
    return entry["languages"]["fr"]["page_count"], fragments


def test_dirty_rebuild_rewrites_only_what_an_edit_touched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    build(project, site)
    before = html_times(site)

    build(project, site, dirty=True)
    unchanged = html_times(site)
    # With no change, only the pages of the navigation (MkDocs needs their titles) and the
    # error page are written again: a constant, whatever the size of the knowledge base.
    constant = {page for page, time_ns in unchanged.items() if before[page] != time_ns}
    assert len(constant) <= 20, sorted(constant)
    assert not any(page.startswith(("faq/pastell/", "release-notes/pastell/")) for page in constant)

    edit(project, "Un mot ajouté par la rédaction : cornemuse.")
    build(project, site, dirty=True)
    after = html_times(site)
    rewritten = sorted(
        page for page, time_ns in after.items() if unchanged[page] != time_ns and page not in constant
    )
    assert "faq/pastell/connecteur-s2low-test-echoue/index.html" in rewritten
    # The article itself, and lists that show its date or its related links at most.
    assert len(rewritten) <= 12, rewritten


def test_an_unchanged_site_gets_its_search_index_back_without_pagefind(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    first, second = tmp_path / "first", tmp_path / "second"
    build(project, first)
    result = run(["mkdocs", "build", "--strict", "--site-dir", str(second)], cwd=project)
    assert result.returncode == 0, result.output
    assert "index de recherche repris" in result.output
    assert differences(first / "pagefind", second / "pagefind") == []
    edit(project, "Un mot ajouté par la rédaction : cornemuse.")
    third = run(["mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "third")], cwd=project)
    assert "index de recherche repris" not in third.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(url: str, pattern: str, deadline: float) -> bool:
    """Poll the preview until the page matches (the server rebuilds in the background)."""
    while time.monotonic() < deadline:
        if re.search(pattern, fetch(url)):
            return True
        time.sleep(0.2)
    return False


def test_make_serve_preview_shows_an_edit_and_says_search_is_from_its_start(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**ENV, "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        page = base + "faq/pastell/connecteur-s2low-test-echoue/"
        assert wait_for(page, "Symptôme", time.monotonic() + 120), "l'aperçu n'a pas démarré"
        assert "pagefind" in fetch(base + "pagefind/pagefind.js") or fetch(
            base + "pagefind/pagefind-entry.json"
        )
        assert "Aperçu" in fetch(base + "recherche/")
        edit(project, "Un mot ajouté pendant l'aperçu : cornemuse.")
        os.utime(project / FAQ)
        assert wait_for(page, "cornemuse", time.monotonic() + 60), "l'aperçu ne montre pas la modification"
        # The edited page was written ahead of the full rebuild, which then ran as before.
        deadline = time.monotonic() + 60
        while (
            "Documentation built" not in _after(tmp_path / "serve.log", "affichée en")
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
        output = (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert "/faq/pastell/connecteur-s2low-test-echoue/ affichée en" in output, output[-3000:]
        assert "Documentation built" in _after(tmp_path / "serve.log", "affichée en"), output[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _after(path: Path, marker: str) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index(marker) :] if marker in text else ""


def generated(project: Path, cache: object = None, memo: object = None) -> dict[str, str]:
    from portail.checks.analyse import analyse
    from portail.model.clock import build_time
    from portail.pages.generate import generate_pages
    from portail.search.related import related_articles

    now = build_time(ENV)
    analysis = analyse(project / "kb", project, now=now, cache=cache)  # type: ignore[arg-type]
    related = related_articles(analysis.kb, project / ".portail")
    pages = generate_pages(analysis.kb, now, {"ticket": "https://t.example/"}, related, memo)  # type: ignore[arg-type]
    return {page.url: page.markdown for page in pages}


def test_preview_renders_again_only_the_pages_an_edit_reaches_and_equals_a_fresh_run(
    tmp_path: Path,
) -> None:
    """What `make serve` keeps between rebuilds (parsed files, model objects, generated pages)
    gives the pages a fresh run gives, and an edit renders a handful of pages, not all."""
    from portail.reading.incremental import PageMemo, ParseCache

    project = copy_project(tmp_path / "project")
    cache, memo = ParseCache(), PageMemo()
    first = generated(project, cache, memo)
    cache.sweep()
    assert memo.reused == 0 and len(memo.rendered) == len(first)
    again = generated(project, cache, memo)
    cache.sweep()
    assert again == first
    # Nothing changed: only the pages of live information, which read the clock, and the home
    # page, which shows a bit of everything, are rendered.
    assert "" in memo.rendered
    assert all(url.startswith("informations/") for url in memo.rendered if url), memo.rendered
    clock_pages = set(memo.rendered)

    edit(project, "Un mot ajouté pendant l'aperçu : cornemuse.")
    os.utime(project / FAQ, ns=(1, time.time_ns()))
    previewed = generated(project, cache, memo)
    assert previewed == generated(project)  # the same as a run with no memory at all
    assert "cornemuse" in previewed["faq/pastell/connecteur-s2low-test-echoue/"]
    # The article, the FAQ lists that show its summary, the pages whose « Articles liés » name
    # it; not the other pages of the site.
    reached = set(memo.rendered) - clock_pages
    assert "faq/pastell/connecteur-s2low-test-echoue/" in reached
    assert len(reached) <= 12, sorted(reached)
    assert memo.reused > 0.8 * len(previewed)


def test_quick_answer_renders_the_edited_pages_as_the_full_run_does(tmp_path: Path) -> None:
    """`make serve` shows an edited body before its full rebuild: the page of each FAQ
    article or document whose body alone changed, equal to the page a full run gives; a front
    matter edit, or a file nobody touched, is left to the full rebuild."""
    from portail.checks.analyse import analyse
    from portail.interfaces.quick_preview import edited_bodies, quick_pages
    from portail.model.clock import build_time
    from portail.pages.generate import generate_pages
    from portail.reading.incremental import ParseCache
    from portail.search.related import related_articles

    project = copy_project(tmp_path / "project")
    cache = ParseCache()
    now = build_time(ENV)
    analysis = analyse(project / "kb", project, now=now, cache=cache)
    cache.sweep()
    related = related_articles(analysis.kb, project / ".portail")
    links = {"ticket": "https://t.example/"}
    assert edited_bodies(cache, project) == {}

    edit(project, "Un mot ajouté pendant l'aperçu : cornemuse.")
    document = project / "kb/documentation/iparapheur/4.5/manuel-mise-a-jour.md"
    document.write_text(
        document.read_text(encoding="utf-8") + "\nUne ligne de plus : biniou.\n", encoding="utf-8"
    )
    retitled = project / GONE
    retitled.write_text(
        retitled.read_text(encoding="utf-8").replace("title:", "title: Nouveau", 1), encoding="utf-8"
    )
    for path in (project / FAQ, document, retitled):
        os.utime(path, ns=(1, time.time_ns()))
    edits = edited_bodies(cache, project)
    assert sorted(edits) == sorted([FAQ, "kb/documentation/iparapheur/4.5/manuel-mise-a-jour.md"])

    quick = {
        page.url: page.markdown
        for page in quick_pages(analysis.kb, edits, now, links, related, analysis.links)
    }
    # The full rebuild's page, with the last run's « Articles liés » (the rebuild recomputes
    # them, and rewrites the page when they change).
    fresh = analyse(project / "kb", project, now=now)
    full = {page.url: page.markdown for page in generate_pages(fresh.kb, now, links, related)}
    assert len(quick) == 2, sorted(quick)
    for url, markdown in quick.items():
        assert markdown == full[url], url
    assert "cornemuse" in quick["faq/pastell/connecteur-s2low-test-echoue/"]
    assert any("biniou" in markdown for markdown in quick.values())


def test_check_gives_the_same_findings_from_parses_kept_between_runs(tmp_path: Path) -> None:
    """`portail check` keeps parsed YAML in .portail/ (by the text's digest): a second run,
    an edit and an error read from that memory say exactly what a first run says."""
    project = copy_project(tmp_path / "project")
    broken = project / "kb/faq/pastell/entete-cassee.md"
    broken.write_text(
        '---\ntitle: "Titre jamais fermé\nupdated: 2026-11-02\n---\n\nCorps.\n', encoding="utf-8"
    )
    first = run(["portail", "check"], cwd=project)
    assert (project / ".portail/yaml.json").is_file()
    second = run(["portail", "check"], cwd=project)
    assert first.returncode == second.returncode == 1
    assert "entete-cassee.md:2" in first.output and "jamais fermé" in first.output
    assert second.output == first.output
    shutil.rmtree(project / ".portail")
    edit(project, "Un mot ajouté par la rédaction : cornemuse.")
    fresh = run(["portail", "check"], cwd=project)
    edited = run(["portail", "check"], cwd=project)
    assert edited.output == fresh.output
