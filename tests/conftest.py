"""Shared fixtures: build sites into temp dirs as a writer would, with the real commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Run:
    returncode: int
    output: str


def run(args: list[str], cwd: Path) -> Run:
    """Run a command of the project's venv; stdout and stderr together, as a user reads them."""
    command = [str(BIN / args[0]), *args[1:]]
    done = subprocess.run(
        command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=300,
    )
    return Run(done.returncode, done.stdout)


def mkdocs_build(project: Path, site_dir: Path) -> Run:
    return run(["mkdocs", "build", "--strict", "--site-dir", str(site_dir)], cwd=project)


def copy_project(target: Path, kb: Path | None = None) -> Path:
    """A copy of the demo project (mkdocs.yml, docs/, kb/) that a test may break at will."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs", target / "docs")
    shutil.copytree(kb or ROOT / "kb", target / "kb")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo, built once with `mkdocs build --strict` into a temp dir."""
    site = tmp_path_factory.mktemp("demo") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.output
    return site


@pytest.fixture(scope="session")
def demo_config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
