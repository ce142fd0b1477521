"""« Mis à jour le » from git: every kind of page shows the last commit touching its file, the
front matter's `updated` wins, an uncommitted edit and a file outside git show the modification
date, and a shallow clone is a `git-shallow` warning instead of silently wrong dates."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import NOW, copy_project, make_kb, mkdocs_build, run
from portail.model.clock import PARIS
from portail.reading import gitdates
from portail.reading.knowledge_base import read_knowledge_base

FIRST = "2026-08-03T10:00:00+02:00"
SECOND = "2026-09-15T23:30:00+00:00"  # already the 16th in Paris
IDENTITY = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",  # no user configuration: the repository's own is used
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
}


def git(repo: Path, *args: str, when: str = FIRST) -> None:
    env = {**IDENTITY, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def init_repo(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Camille Rédactrice")
    git(repo, "config", "user.email", "camille@example.org")


def commit_all(repo: Path, message: str, when: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def drop_updated(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^updated: .*\n", "", text, count=1, flags=re.MULTILINE), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def set_mtime(path: Path, moment: datetime) -> None:
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def docmeta(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<(?:p|div) class="portail-docmeta".*?</(?:p|div)>', html, re.DOTALL)
    assert match, url
    return re.sub(r"<[^>]+>", "", match.group())


def test_built_pages_show_commit_dates(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "projet")
    kb = project / "kb"
    document = kb / "documentation/iparapheur/4.5/manuel-mise-a-jour.md"
    declared = kb / "documentation/iparapheur/4.4/manuel-utilisateur.md"
    article = kb / "faq/idelibre/convocation-non-recue.md"
    edited = kb / "faq/idelibre/elu-mot-de-passe-oublie.md"
    release = kb / "releases/iparapheur/4.7.10.md"
    post = kb / "informations/enquete-satisfaction-support-2025.md"
    for path in (document, article, edited):
        drop_updated(path)
    init_repo(project)
    commit_all(project, "Base", FIRST)
    for path in (document, declared, article, release, post):
        append(path, "\nUne phrase ajoutée.\n")
    commit_all(project, "Corrections", SECOND)
    # Edited after the last commit, not committed: its own modification date.
    append(edited, "\nEn cours de relecture.\n")
    set_mtime(edited, datetime(2026, 10, 20, 12, 0, tzinfo=PARIS))

    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.output
    assert "git-shallow" not in result.output

    assert "mis à jour le 16 septembre 2026" in docmeta(
        site, "documentation/iparapheur/4.5/manuel-mise-a-jour"
    )
    # The front matter's `updated` wins over the commit.
    assert "mis à jour le " in (meta := docmeta(site, "documentation/iparapheur/4.4/manuel-utilisateur"))
    assert "16 septembre 2026" not in meta
    assert "Mis à jour le 16 septembre 2026" in docmeta(site, "faq/idelibre/convocation-non-recue")
    assert "Mis à jour le 20 octobre 2026" in docmeta(site, "faq/idelibre/elu-mot-de-passe-oublie")
    # A release note: its publication date, and its update when the note changed afterwards.
    meta = docmeta(site, "release-notes/iparapheur/4.7.10")
    assert "Publiée le 28 juillet 2026 · mise à jour le 16 septembre 2026" in meta
    # Committed before its publication date (4.7.11, 6 October): the update says nothing new.
    assert "mise à jour" not in docmeta(site, "release-notes/iparapheur/4.7.11")
    meta = docmeta(site, "informations/2025-10-06-enquete-satisfaction-support-2025")
    assert "Publiée le 06/10/2025 à 9h00 · mise à jour le 16 septembre 2026" in meta


def _history_kb(tmp_path: Path) -> Path:
    kb = make_kb(
        tmp_path,
        {
            "faq/pastell/ancien.md": "---\ntitle: Un article ancien\n---\n\nTexte.\n",
            "faq/pastell/recent.md": "---\ntitle: Un article récent\n---\n\nTexte.\n",
        },
    )
    init_repo(tmp_path)
    commit_all(tmp_path, "Ancien", "2025-01-10T10:00:00+01:00")
    append(kb / "faq/pastell/recent.md", "Suite.\n")
    commit_all(tmp_path, "Récent", "2025-06-10T10:00:00+02:00")
    return kb


def test_shallow_clone_is_a_warning_with_its_fix(tmp_path: Path) -> None:
    _history_kb(tmp_path / "origine")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{tmp_path / 'origine'}", str(clone)],
        env=IDENTITY,
        check=True,
        capture_output=True,
    )
    result = run(["portail", "check", "--kb", "kb"], cwd=clone)
    assert "kb:1: " in result.output and "[git-shallow]" in result.output, result.output
    assert "clone git partiel" in result.output and "de 2 fichiers" in result.output
    assert "`GIT_DEPTH: 0`" in result.output and "`git fetch --unshallow`" in result.output
    # The full history: no warning, the old article keeps its own date.
    kb, findings = read_knowledge_base(tmp_path / "origine/kb", tmp_path / "origine", NOW)
    assert not [f for f in findings if f.code == "git-shallow"]
    assert {a.slug: a.updated for a in kb.articles} == {
        "ancien": date(2025, 1, 10),
        "recent": date(2025, 6, 10),
    }


def test_outside_git_the_modification_date(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path,
        {
            "faq/pastell/article.md": "---\ntitle: Un article\n---\n\nTexte.\n",
            "faq/pastell/date.md": "---\ntitle: Daté\nupdated: 2024-02-03\n---\n\nTexte.\n",
            "documentation/pastell/4.1/guide.md": "---\ntitle: Guide\n---\n\nTexte.\n",
            "releases/pastell/4.1.0.md": "---\ndate: 2026-01-05\n---\n\n## Corrections\n\n- Un défaut.\n",
            "informations/note.md": (
                "---\ntitle: Une note\nkind: information\npublished: 2026-01-02 09:00\n---\n\nTexte.\n"
            ),
            "informations/suivi.md": (
                "---\ntitle: Un suivi\nkind: information\npublished: 2026-01-02 09:00\n---\n\nTexte.\n\n"
                "## Mises à jour\n\n- 2026-01-02 16:10 : Fin.\n"
            ),
        },
    )
    assert gitdates.read_history(kb) is gitdates.NO_GIT
    when = datetime(2026, 3, 4, 8, 0, tzinfo=PARIS)
    for path in kb.rglob("*.md"):
        set_mtime(path, when)
    model, findings = read_knowledge_base(kb, tmp_path, NOW)
    assert not [f for f in findings if f.code == "git-shallow"]
    assert {a.slug: a.updated for a in model.articles} == {
        "article": date(2026, 3, 4),
        "date": date(2024, 2, 3),
    }
    assert [d.updated for d in model.documents] == [date(2026, 3, 4)]
    assert [r.updated for r in model.releases] == [date(2026, 3, 4)]
    posts = {p.slug: p.updated for p in model.posts}
    # A post's update line wins over the file's date (it is the news, with its time).
    assert posts == {"note": date(2026, 3, 4), "suivi": datetime(2026, 1, 2, 16, 10, tzinfo=PARIS)}


def test_one_log_per_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = _history_kb(tmp_path)
    calls: list[str] = []
    real = gitdates._git

    def counted(*args: str, timeout: int = 120) -> str:
        calls.append(args[2])
        return real(*args, timeout=timeout)

    monkeypatch.setattr(gitdates, "_git", counted)
    monkeypatch.setattr(gitdates, "_LOGS", {})
    first = gitdates.read_history(kb)
    assert calls == ["rev-parse", "status", "log"]
    again = gitdates.read_history(kb)  # a preview's rebuild, nothing committed
    assert calls[3:] == ["rev-parse", "status"] and again.dates is first.dates
    recent = kb / "faq/pastell/recent.md"
    append(recent, "Encore.\n")
    assert gitdates.read_history(kb).updated(recent) == datetime.now(PARIS).date()  # uncommitted
    commit_all(tmp_path, "Encore", "2025-07-01T10:00:00+02:00")
    history = gitdates.read_history(kb)
    assert calls[-3:] == ["rev-parse", "status", "log"]
    assert history.updated(recent) == date(2025, 7, 1)
