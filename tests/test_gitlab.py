"""GitLab: `portail check --format gitlab` (the Code Quality report), `--changed-only REF`
(findings of the files a branch changed, in a throwaway git repository), the pipeline of
`.gitlab-ci.yml` run as written on a copy of the demo, and the pre-commit hook."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ENV, ROOT, copy_project, run
from portail.interfaces.report_gitlab import code_quality, fingerprint
from portail.model.findings import Source, error, warning

# GitLab's Code Quality fields (docs.gitlab.com/ci/testing/code_quality, « Code Quality report
# format »): the required ones with their types; the optional ones GitLab reads or ignores.
REQUIRED = {"description": str, "check_name": str, "fingerprint": str, "severity": str, "location": dict}
OPTIONAL = {"type", "categories", "content", "engine_name", "other_locations", "remediation_points"}
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def assert_code_quality(report: object) -> None:
    """A hand-written schema check of a Code Quality report."""
    assert isinstance(report, list), report
    fingerprints = set()
    for issue in report:
        assert isinstance(issue, dict), issue
        for key, kind in REQUIRED.items():
            assert key in issue, (key, issue)
            assert isinstance(issue[key], kind), (key, issue)
        assert set(issue) <= set(REQUIRED) | OPTIONAL, issue
        assert issue["description"].strip() and issue["check_name"].strip()
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"]), issue
        assert issue["fingerprint"] not in fingerprints, "GitLab shows one issue per fingerprint"
        fingerprints.add(issue["fingerprint"])
        assert issue["severity"] in SEVERITIES
        location = issue["location"]
        assert set(location) == {"path", "lines"}, location
        assert isinstance(location["path"], str) and location["path"]
        assert not location["path"].startswith("/"), "relative to the repository"
        lines = location["lines"]
        assert isinstance(lines, dict) and set(lines) <= {"begin", "end"}, lines
        begin = lines["begin"]
        assert isinstance(begin, int) and not isinstance(begin, bool) and begin >= 1, lines


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


UNKNOWN_PRODUCT = "---\ntitle: Rôles\nkind: autre\n---\n\nTexte.\n"  # under documentation/pastel/
FAQ_UNKNOWN_PRODUCT = "---\ntitle: Le rôle n'apparaît pas\nproducts: [pastel]\n---\n\n## Réponse\n\nTexte.\n"


def unknown_field(extra_lines: int = 0) -> str:
    """A document with an unknown key (a warning), ``extra_lines`` lines lower."""
    return (
        "---\ntitle: Jetons USB\nkind: autre\n" + "# note\n" * extra_lines + "titre: Jetons\n---\n\nTexte.\n"
    )


# ----------------------------------------------------------------------------------------------
# --format gitlab


def test_demo_report_is_an_empty_array(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "portail"), "check", "--format", "gitlab"],
        cwd=copy_project(tmp_path / "demo"),  # outside git: a shallow checkout warns (git-shallow)
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == []
    assert_code_quality(report)


def test_report_fields_severities_and_french_descriptions(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    write(project / "kb/documentation/pastel/role.md", UNKNOWN_PRODUCT)
    write(project / "kb/documentation/lspki/jetons.md", unknown_field())

    result = subprocess.run(
        [str(BIN / "portail"), "check", "--format", "gitlab"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr  # errors fail the job, like the text format
    report = json.loads(result.stdout)
    assert_code_quality(report)
    as_json = json.loads(run(["portail", "check", "--format", "json"], cwd=project).output)["findings"]
    assert len(report) == len(as_json) == 2
    for issue, finding in zip(report, as_json, strict=True):  # same order: errors first
        assert issue["check_name"] == finding["code"]
        assert issue["location"] == {"path": finding["file"], "lines": {"begin": finding["line"]}}
        assert issue["severity"] == {"error": "major", "warning": "minor"}[finding["severity"]]
        assert finding["message"] in issue["description"]
        assert f"Correction : {finding['fix']}" in issue["description"]
    assert [issue["check_name"] for issue in report] == ["unknown-product", "unknown-field"]
    assert report[1]["location"] == {"path": "kb/documentation/lspki/jetons.md", "lines": {"begin": 4}}


def test_fingerprint_survives_a_line_move(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    document = project / "kb/documentation/lspki/jetons.md"

    def report() -> dict:
        write(document, text)
        done = run(["portail", "check", "--format", "gitlab"], cwd=project)
        (issue,) = json.loads(done.output)
        return issue

    text = unknown_field()
    before = report()
    text = unknown_field(extra_lines=3)
    after = report()
    assert before["location"]["lines"]["begin"] == 4
    assert after["location"]["lines"]["begin"] == 7
    assert before["fingerprint"] == after["fingerprint"]


def test_fingerprints_ignore_lines_and_tell_identical_findings_apart() -> None:
    def found(line: int, other: int) -> object:
        return error(
            Source("kb/faq/a.md", line),
            "duplicate-url",
            f"l'article serait publié à l'adresse /faq/a/, déjà prise par (kb/faq/b.md:{other})",
            "Renommez l'un des deux fichiers.",
        )

    # The finding's line and the line of the other file it names are left out.
    assert fingerprint(found(3, 10)) == fingerprint(found(30, 12))
    # Its code, file and subject are not.
    subject = warning(Source("kb/faq/a.md", 3), "x", "message", "fix", subject="4.2.1")
    assert fingerprint(subject) != fingerprint(
        warning(Source("kb/faq/a.md", 3), "x", "message", "fix", "4.2.2")
    )
    assert fingerprint(subject) != fingerprint(
        warning(Source("kb/faq/c.md", 3), "x", "message", "fix", "4.2.1")
    )
    # Two identical findings in one file: two issues, their fingerprints by order.
    twice = code_quality([found(40, 1), found(5, 1)])
    assert_code_quality(twice)
    assert [issue["location"]["lines"]["begin"] for issue in twice] == [5, 40]
    moved = code_quality([found(41, 2), found(6, 2)])
    assert [i["fingerprint"] for i in twice] == [i["fingerprint"] for i in moved]


# ----------------------------------------------------------------------------------------------
# --changed-only REF, in a throwaway repository


def git(repo: Path, *args: str, date: str = "2026-01-05T09:00:00+01:00") -> str:
    env = {**ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("GIT_DIR", None)
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def commit_all(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the demo in a git repository: ``main`` with an old error (F) and an old
    warning (E); branch ``feature`` forked there. Then ``main`` fixes E, and ``feature`` adds a
    warning in a commit (A), an unstaged one in a tracked file (B) and an untracked error (C)."""
    project = copy_project(tmp_path / "repo")
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.name", "Camille Testeuse")
    git(project, "config", "user.email", "camille@example.org")
    git(project, "config", "commit.gpgsign", "false")
    write(project / ".gitignore", "/.portail/\n/public/\ngl-code-quality-report.json\n")
    write(project / "kb/documentation/pastel/role.md", UNKNOWN_PRODUCT)  # F
    write(project / "kb/documentation/lspki/ancien.md", unknown_field())  # E
    commit_all(project, "Base de connaissances", "2026-01-05T09:00:00+01:00")
    git(project, "branch", "feature")
    write(project / "kb/documentation/lspki/ancien.md", "---\ntitle: Ancien\nkind: autre\n---\n\nTexte.\n")
    commit_all(project, "Correction sur main", "2026-01-06T09:00:00+01:00")
    git(project, "checkout", "-q", "feature")
    write(project / "kb/documentation/lspki/jetons.md", unknown_field())  # A
    commit_all(project, "Nouveau document", "2026-01-07T09:00:00+01:00")
    tracked = project / "kb/documentation/pastell/4.1"
    existing = sorted(p for p in tracked.glob("*.md"))[0]  # B
    existing.write_text(
        existing.read_text(encoding="utf-8").replace("---\n", "---\ntitre: X\n", 1), encoding="utf-8"
    )
    write(project / "kb/faq/pastell/role.md", FAQ_UNKNOWN_PRODUCT)  # C
    return project


def check(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "portail"), "check", *args], cwd=repo, env=env or ENV, capture_output=True, text=True
    )


def test_changed_only_reports_the_branch_and_uncommitted_files(repo: Path) -> None:
    full = json.loads(check(repo, "--format", "json").stdout)
    files = {finding["file"] for finding in full["findings"]}
    assert "kb/documentation/pastel/role.md" in files and "kb/documentation/lspki/ancien.md" in files

    result = check(repo, "--changed-only", "main", "--format", "json")
    assert result.returncode == 1, result.stderr  # C is an error
    payload = json.loads(result.stdout)
    shown = {(finding["file"], finding["code"]) for finding in payload["findings"]}
    tracked = sorted((repo / "kb/documentation/pastell/4.1").glob("*.md"))[0].relative_to(repo).as_posix()
    assert shown == {
        ("kb/documentation/lspki/jetons.md", "unknown-field"),  # committed on the branch
        (tracked, "unknown-field"),  # not staged
        ("kb/faq/pastell/role.md", "unknown-product"),  # untracked
    }
    # F is old; E changed on main since the fork, not on the branch: neither is reported.
    assert payload["changed_only"] == {"ref": "main", "files": 3, "left_out": 2}

    gitlab = check(repo, "--changed-only", "main", "--format", "gitlab")
    report = json.loads(gitlab.stdout)
    assert_code_quality(report)
    assert {(i["location"]["path"], i["check_name"]) for i in report} == shown

    text = check(repo, "--changed-only", "main")
    assert "3 fichier(s) de kb modifié(s) depuis « main » ; 2 constat(s) hors de ces fichiers" in text.stdout
    assert "1 erreur(s), 2 avertissement(s)" in text.stdout


def test_changed_only_exit_code_follows_what_is_reported(repo: Path) -> None:
    (repo / "kb/faq/pastell/role.md").unlink()
    result = check(repo, "--changed-only", "main")
    assert result.returncode == 0, result.stdout  # F's old error is not the branch's
    assert check(repo).returncode == 1
    git(repo, "stash", "-q", "--include-untracked")
    nothing = check(repo, "--changed-only", "HEAD", "--format", "gitlab")
    assert (nothing.returncode, json.loads(nothing.stdout)) == (0, [])


def test_rules_across_files_still_see_the_whole_base(repo: Path) -> None:
    """A new file that takes the address of an old one: the duplicate is reported whichever
    of the two files the finding names first."""
    text = '---\ntitle: "Certificats : questions fréquentes"\nkind: autre\n---\n\nTexte.\n'
    write(repo / "kb/documentation/lspki/questions-certificats.md", text)
    commit_all(repo, "Ancien document", "2026-01-08T09:00:00+01:00")
    write(repo / "kb/documentation/lspki/Questions Certificats.md", text)
    payload = json.loads(check(repo, "--changed-only", "HEAD", "--format", "json").stdout)
    assert [finding["code"] for finding in payload["findings"]] == ["duplicate-url"], payload


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--changed-only=-x"], "ne commence pas par « - »"),
        (["--changed-only=--output=/tmp/x"], "ne commence pas par « - »"),
        (["--changed-only", "branche-inconnue"], "référence git « branche-inconnue » introuvable"),
        (["--changed-only", "main; touch pwned"], "introuvable"),
        (["--changed-only", "$(touch pwned)"], "introuvable"),
        (["--changed-only", "main", "--write-baseline"], "ne s'emploie pas avec --changed-only"),
    ],
)
def test_changed_only_refuses_bad_refs_in_french(repo: Path, args: list[str], words: str) -> None:
    result = check(repo, *args)
    assert result.returncode == 2, result
    assert words in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (repo / "pwned").exists()


def test_changed_only_without_git_or_repository(tmp_path: Path, repo: Path) -> None:
    no_git = check(repo, "--changed-only", "main", env={**ENV, "PATH": str(tmp_path / "empty")})
    assert no_git.returncode == 2
    assert "git est introuvable" in no_git.stderr
    plain = copy_project(tmp_path / "plain")
    outside = check(plain, "--changed-only", "main", env={**ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert outside.returncode == 2
    assert "n'est pas dans un dépôt git" in outside.stderr


# ----------------------------------------------------------------------------------------------
# .gitlab-ci.yml and .pre-commit-hooks.yaml


def pipeline() -> dict:
    return yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))


def commands(config: dict, tool: str) -> list[str]:
    """The script lines of every job that run ``tool``, in file order."""
    found = []
    for job in config.values():
        if isinstance(job, dict) and "script" in job:
            found += [line for line in job["script"] if line.split()[0] == tool]
    return found


def test_pipeline_jobs_and_rules() -> None:
    config = pipeline()
    assert str(config["variables"]["GIT_DEPTH"]) == "0"
    image = config["default"]["image"]
    major, minor = map(int, re.search(r"python:(\d+)\.(\d+)", image).groups())
    assert (major, minor) >= (3, 11)

    check_job = config["check"]
    assert check_job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert check_job["artifacts"]["when"] == "always"  # the report even when the job fails
    assert commands(config, "mkdocs") == ["mkdocs build --strict", "mkdocs build --strict --site-dir public"]
    assert "mkdocs build --strict" in config["build"]["script"]

    pages = config["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    conditions = [rule["if"] for rule in pages["rules"]]
    assert any('$CI_PIPELINE_SOURCE == "schedule"' in rule for rule in conditions)
    assert any("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in rule for rule in conditions)
    # A scheduled pipeline rebuilds and deploys; it does not run the merge request jobs.
    for job in ("check", "build"):
        first = config[job]["rules"][0]
        assert '$CI_PIPELINE_SOURCE == "schedule"' in first["if"] and first["when"] == "never"


def shell(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**ENV, "PATH": f"{BIN}{os.pathsep}{ENV.get('PATH', '')}"}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", line], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_pipeline_check_commands_run_as_written(tmp_path: Path) -> None:
    lines = commands(pipeline(), "portail")
    assert lines == ["portail check --format gitlab > gl-code-quality-report.json || true", "portail check"]
    report_file = shlex.split(lines[0])[lines[0].split().index(">") + 1]

    clean = copy_project(tmp_path / "clean")
    assert [shell(line, clean).returncode for line in lines] == [0, 0]
    assert json.loads((clean / report_file).read_text(encoding="utf-8")) == []

    broken = copy_project(tmp_path / "broken")
    write(broken / "kb/documentation/pastel/role.md", UNKNOWN_PRODUCT)
    results = [shell(line, broken) for line in lines]
    # The report is written and kept (artifacts: when: always), then the job fails on the error.
    assert [result.returncode for result in results] == [0, 1]
    assert "erreur [unknown-product]" in results[1].stdout
    report = json.loads((broken / report_file).read_text(encoding="utf-8"))
    assert_code_quality(report)
    assert [issue["severity"] for issue in report] == ["major"]


def test_pre_commit_hook() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "portail-check"
    assert hook["entry"] == "portail check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("kb/faq/pastell/role.md") and not files.search("docs/index.md")
    assert not files.search("plugins/kb/x.py")
    # The entry is the command the tests run: the console script of the package.
    assert run(hook["entry"].split(), cwd=ROOT).returncode == 0


def test_readme_explains_both() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## GitLab : pipeline et pre-commit", 1)[1].split("\n## ", 1)[0]
    for words in ("--format gitlab", "--changed-only", "GIT_DEPTH", "schedule", "portail-check", "major"):
        assert words in section, words
