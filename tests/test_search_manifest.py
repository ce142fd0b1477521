"""`portail search` and `portail serve-search` on an up-to-date index: the manifest next to the
index (kb/ entries, products, index state, clock when it matters) lets them query without
reading kb/; any change under kb/ makes them read it again and update the changed pages only.
Behaviour only: files opened (an audit hook in a real subprocess), modules loaded, results."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import portail.reading.knowledge_base
from conftest import BIN, BUILD_NOW, ENV, ROOT, copy_project, make_kb, run
from portail.interfaces import cli, search_cli
from portail.search.manifest import (
    MANIFEST_FILE,
    ClockProbe,
    clock_key,
    read_manifest,
    take_snapshot,
)

INDEX = Path(".portail/index")
# Runs `portail search` in a fresh interpreter and reports, as JSON on the last line, the files
# it opened under kb/ and the heavy modules it imported.
PROBE = """
import json, os, sys
kb = os.path.realpath("kb") + os.sep
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if os.path.realpath(path).startswith(kb):
            opened.append(path)
sys.addaudithook(hook)
from portail.interfaces.cli import main
code = main(sys.argv[1:])
heavy = ("mkdocs", "material", "markdown", "yaml", "jinja2", "babel", "portail.reading.knowledge_base", "portail.reading.context",
         "portail.checks.analyse",
         "portail.checks.consistency", "portail.search.documents")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)
print(json.dumps({"code": code, "opened": opened, "loaded": loaded}))
"""


def probe(project: Path, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [str(BIN / "python"), "-c", PROBE, "search", *args],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    result["output"] = "\n".join(lines[:-1])
    return result


def age(path: Path, seconds: float = 60) -> None:
    """Date a file back: a file modified within two seconds of a snapshot is not trusted."""
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


@pytest.fixture(scope="module")
def indexed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project with its index built once (a few seconds: copied by each test)."""
    project = copy_project(tmp_path_factory.mktemp("indexed") / "project")
    assert run(["portail", "search", "certificat"], cwd=project).returncode == 0
    return project


@pytest.fixture
def project(indexed_project: Path, tmp_path: Path) -> Path:
    # Times kept (copy2): the copy's first search reads kb/ (another folder) but rewrites no page.
    return Path(shutil.copytree(indexed_project, tmp_path / "project"))


def test_second_search_opens_no_kb_file_and_loads_no_reader(project: Path) -> None:
    first = probe(project, "certificat expiré", "--produit", "SL")
    assert first["code"] == 0 and len(first["opened"]) > 100  # the first search here reads kb/
    assert (project / INDEX / MANIFEST_FILE).is_file()
    second = probe(project, "certificat expiré", "--produit", "SL")
    assert second["code"] == 0 and second["output"] == first["output"]
    assert second["opened"] == []
    assert second["loaded"] == []  # no reader, no checks, no Markdown, YAML, Jinja or babel
    assert "S²LOW" in second["output"]  # product names and aliases come from the manifest
    json_run = probe(project, "s²low", "--json", "--limit", "2")
    assert json_run["opened"] == [] and json.loads(json_run["output"])["hits"]


def test_an_edit_is_found_and_only_that_page_is_written(project: Path) -> None:
    assert run(["portail", "search", "certificat"], cwd=project).returncode == 0
    article = project / "kb/faq/pastell/nouveau-role-absent-de-la-liste.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nLe mot zorglubification est propre à ce test.\n",
        encoding="utf-8",
    )
    found = probe(project, "zorglubification")
    assert found["code"] == 0 and "faq/pastell/nouveau-role-absent-de-la-liste/" in str(found["output"])
    assert found["opened"]  # read again
    age(article)  # the snapshot just taken did not trust the fresh edit: now it may
    probe(project, "zorglubification")
    again = probe(project, "zorglubification")
    assert again["opened"] == [] and again["output"] == found["output"]


def test_added_and_removed_files_are_seen(project: Path) -> None:
    run(["portail", "search", "certificat"], cwd=project)
    new = project / "kb/faq/lspki/code-puk.md"
    new.write_text(
        "---\ntitle: Où trouver le code PUK ?\ntags: [PUK]\nupdated: 2026-01-01\n---\n\nDans le pli.\n",
        encoding="utf-8",
    )
    assert "faq/lspki/code-puk/" in run(["portail", "search", "code PUK"], cwd=project).output
    new.unlink()
    assert "faq/lspki/code-puk/" not in run(["portail", "search", "code PUK"], cwd=project).output


def test_the_manifest_trusts_size_and_time_like_make(project: Path) -> None:
    run(["portail", "search", "certificat"], cwd=project)
    article = project / "kb/faq/lspki/code-pin-bloque.md"
    text = article.read_text(encoding="utf-8")
    status = article.stat()
    assert "déblocage" in text
    article.write_text(text.replace("déblocage", "zorglubéx"), encoding="utf-8")  # as many bytes
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert article.stat().st_size == status.st_size
    assert "code-pin-bloque" not in run(["portail", "search", "zorglubéx"], cwd=project).output
    age(article, 30)  # `touch`: a new time
    assert "faq/lspki/code-pin-bloque/" in run(["portail", "search", "zorglubéx"], cwd=project).output


def test_hidden_files_and_a_new_index_state(project: Path) -> None:
    run(["portail", "search", "certificat"], cwd=project)
    (project / "kb/faq/.code-pin-bloque.md.swp").write_text("brouillon", encoding="utf-8")
    assert probe(project, "certificat")["opened"] == []  # the reader ignores hidden files too
    # The index written by something else since (another base, another version): read again.
    meta = project / INDEX / "portail-search.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "build": "another"}))
    assert probe(project, "certificat")["opened"]


def test_a_damaged_manifest_means_a_new_read(project: Path) -> None:
    run(["portail", "search", "certificat"], cwd=project)
    (project / INDEX / MANIFEST_FILE).write_text('{"version": 1, "entries": [', encoding="utf-8")
    result = probe(project, "certificat")
    assert result["code"] == 0 and result["opened"]
    assert probe(project, "certificat")["opened"] == []


def test_in_process_second_search_calls_no_reader(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("PORTAIL_NOW", BUILD_NOW)
    assert cli.main(["search", "mot de passe oublié", "--produit", "idélibre"]) == 0
    first = capsys.readouterr().out

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("kb/ must not be read: nothing changed")

    monkeypatch.setattr(portail.reading.knowledge_base, "read_knowledge_base", forbidden)
    assert cli.main(["search", "mot de passe oublié", "--produit", "idélibre"]) == 0
    assert capsys.readouterr().out == first
    loaded = search_cli._open_index(Path("kb"), quiet=True)  # serve-search starts the same way
    assert loaded is not None and "idelibre" in [p.slug for p in loaded[0]]


# -- the clock -------------------------------------------------------------------------------------


def test_relative_dates_make_the_manifest_depend_on_the_clock(project: Path) -> None:
    # The demo's posts use relative times (« H-5 », « J+3 08:00 »): their dates, so their URLs
    # and texts, move with the clock.
    run(["portail", "search", "certificat"], cwd=project)
    manifest = read_manifest(project / INDEX)
    assert manifest is not None and manifest.clock is not None
    assert probe(project, "certificat")["opened"] == []
    later = {**ENV, "PORTAIL_NOW": "2026-11-27T10:00:00+01:00"}
    done = subprocess.run(
        [str(BIN / "portail"), "search", "DGCL", "--type", "information"],
        cwd=project,
        env=later,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # « published: J-1 14:24 » seen from the next day: the post is dated one day later.
    assert "informations/2026-11-26-mise-a-jour-plateforme-actes-etat/" in done.stdout


def test_absolute_dates_keep_the_manifest_clock_free(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path,
        {
            "faq/pastell/role.md": "---\ntitle: Rôle absent\nupdated: 2026-01-01\n---\n\nLe rôle manque.\n",
            "informations/maintenance.md": (
                "---\ntitle: Maintenance\nkind: intervention\npublished: 2026-11-20 09:00\n"
                "start: 2026-11-28 08:00\nend: 2026-11-28 12:00\nproducts: [pastell]\n---\n\nCoupure.\n"
            ),
        },
    )
    for path in kb.rglob("*"):
        age(path)
    assert run(["portail", "search", "rôle"], cwd=tmp_path).returncode == 0
    manifest = read_manifest(tmp_path / INDEX)
    assert manifest is not None and manifest.clock is None
    later = {**ENV, "PORTAIL_NOW": "2027-03-01T10:00:00+01:00"}
    done = subprocess.run(
        [str(BIN / "python"), "-c", PROBE, "search", "rôle"],
        cwd=tmp_path,
        env=later,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1])["opened"] == []


def test_clock_probe_tells_whether_reading_consulted_the_clock(tmp_path: Path) -> None:
    moment = datetime.fromisoformat(BUILD_NOW)
    now = ClockProbe.wrap(moment)
    assert not now.consulted
    assert now == moment and now.consulted
    assert ClockProbe.wrap(moment) + timedelta(hours=1) == moment + timedelta(hours=1)
    demo = ClockProbe.wrap(moment)
    kb, _ = portail.reading.knowledge_base.read_knowledge_base(ROOT / "kb", ROOT, demo)
    assert demo.consulted  # the demo's relative times
    assert all(type(post.published) is datetime for post in kb.posts)  # no probe in the model
    plain = ClockProbe.wrap(moment)
    portail.reading.knowledge_base.read_knowledge_base(make_kb(tmp_path, {}), tmp_path, plain)
    assert not plain.consulted
    # Relative times resolve to five minutes: so does the manifest's clock.
    assert clock_key(moment) == clock_key(moment + timedelta(minutes=4, seconds=59))
    assert clock_key(moment) != clock_key(moment + timedelta(minutes=5))


# -- the snapshot ----------------------------------------------------------------------------------


def test_snapshot_lists_what_the_reader_may_read(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, {"faq/x/a.md": "a", "faq/x/.cache": "b", ".git/config": "c"})
    (kb / "faq/x/lien.md").symlink_to("a.md")
    for path in kb.rglob("*"):
        age(path)
    snapshot = take_snapshot(kb)
    assert snapshot.certain
    assert set(snapshot.entries) == {"catalogue.yml", "faq", "faq/x", "faq/x/a.md", "faq/x/lien.md"}
    assert snapshot.entries["faq/x/lien.md"].startswith("l a.md ")
    (kb / "faq/x/a.md").write_text("fresh", encoding="utf-8")
    assert not take_snapshot(kb).certain  # modified just now: its time is not trusted yet
