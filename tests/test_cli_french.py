"""The command line speaks French: help, usage and errors, argparse's own texts included; and
a reader that stops early (`| head -1`) ends it quietly."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ENV, ROOT, copy_project
from portail.interfaces import cli

# argparse's English texts (Python 3.11 to 3.14), none of which may reach a writer.
ENGLISH = (
    "usage:",
    "options:",
    "optional arguments",
    "positional arguments",
    "show this help message and exit",
    "error:",
    "the following arguments are required",
    "invalid choice",
    "choose from",
    "unrecognized arguments",
    "expected one argument",
    "expected at least one argument",
    "invalid int value",
    "maybe you meant",
)


def portail(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "portail"), *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120
    )


def assert_french(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    for phrase in ENGLISH:
        assert phrase not in output, (phrase, output)
    assert "Traceback" not in output
    return output


@pytest.mark.parametrize("command", [[], ["check"], ["search"], ["serve-search"]], ids=str)
def test_help_is_french(command: list[str]) -> None:
    result = portail(*command, "--help")
    assert result.returncode == 0, result.stderr
    output = assert_french(result)
    assert output.startswith(f"utilisation : portail{' ' if command else ''}{' '.join(command)}")
    assert "options :" in output
    assert "-h, --help" in output and "affiche cette aide et quitte" in output


def test_top_help_lists_the_commands() -> None:
    output = assert_french(portail("-h"))
    assert "arguments positionnels :" in output
    for command in ("check", "search", "serve-search"):
        assert f"\n    {command}" in output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "portail : erreur : arguments obligatoires manquants : commande"),
        (["check", "--kb"], "portail check : erreur : argument --kb : une valeur attendue"),
        (["check", "--format", "xml"], "argument --format : choix « xml » invalide (choix possibles :"),
        (["chek"], "argument commande : choix « chek » invalide (choix possibles :"),
        (["check", "en-trop"], "portail : erreur : arguments non reconnus : en-trop"),
        (["search", "--limit", "0"], "« 0 » : indiquez un nombre entier de 1 à 50"),
        (["serve-search", "--cors-origin"], "argument --cors-origin : au moins une valeur attendue"),
        (["check", "--changed-only=-x"], "ne commence pas par « - »"),
    ],
    ids=[
        "missing-command",
        "missing-value",
        "invalid-choice",
        "invalid-command",
        "extra",
        "limit",
        "nargs",
        "ref",
    ],
)
def test_errors_are_french(args: list[str], words: str) -> None:
    result = portail(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    output = assert_french(result)
    assert output.startswith("utilisation : portail"), output
    assert words in result.stderr, result.stderr


def test_no_side_effect_on_other_parsers(capsys: pytest.CaptureFixture[str]) -> None:
    """The French catalogue is lent to our parser during its own calls only."""
    gettext = argparse._  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "utilisation : portail" in capsys.readouterr().out
    assert argparse._ is gettext  # type: ignore[attr-defined]
    other = argparse.ArgumentParser(prog="autre")
    assert other.format_usage().startswith("usage: autre")
    assert "show this help message and exit" in other.format_help()


def many_warnings(tmp_path: Path) -> Path:
    """A copy of the demo with 400 warnings: a JSON report far larger than a pipe's buffer."""
    project = copy_project(tmp_path / "project")
    folder = project / "kb/documentation/lspki"
    for number in range(400):
        (folder / f"jeton-{number:03}.md").write_text(
            f"---\ntitle: Jeton {number}\nkind: autre\ntitre: Jeton\n---\n\nTexte.\n", encoding="utf-8"
        )
    return project


@pytest.mark.parametrize("output_format", ["json", "gitlab", "text"])
def test_head_ends_the_command_quietly(tmp_path: Path, output_format: str) -> None:
    project = many_warnings(tmp_path)
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"'{BIN / 'portail'}' check --format {output_format} | head -1"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() in {"[", "{"} or "avertissement [unknown-field]" in done.stdout
    assert done.stderr == "", done.stderr  # no traceback, no « Exception ignored »
    assert done.returncode == 141  # 128 + SIGPIPE, as a shell reports a command its pipe stopped


def test_pipe_closed_before_anything_is_written() -> None:
    process = subprocess.Popen(
        [str(BIN / "portail"), "check", "--format", "json"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141
    assert errors == ""
