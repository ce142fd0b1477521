"""Shared fixtures: build sites into temp dirs as a writer would, with the real commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# A fixed build clock: pages that depend on the date (deadlines) are reproducible.
BUILD_NOW = "2026-11-26T10:00:00+01:00"
NOW = datetime.fromisoformat(BUILD_NOW)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAIL_NOW": BUILD_NOW}


@dataclass
class Run:
    returncode: int
    output: str


def run(args: list[str], cwd: Path) -> Run:
    """Run a command of the project's venv; stdout and stderr together, as a user reads them."""
    command = [str(BIN / args[0]), *args[1:]]
    done = subprocess.run(
        command,
        cwd=cwd,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
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


def make_kb(tmp_path: Path, files: dict[str, str]) -> Path:
    """A small knowledge base in ``tmp_path/kb``: the demo's catalogue plus ``files``."""
    kb = tmp_path / "kb"
    kb.mkdir(parents=True)
    shutil.copy(ROOT / "kb/catalogue.yml", kb / "catalogue.yml")
    for name, text in files.items():
        path = kb / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return kb


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo, built once with `mkdocs build --strict` into a temp dir. Built from a
    copy outside the repository: its dates then do not depend on the checkout's history (a
    shallow clone is a `git-shallow` warning, which fails a strict build)."""
    root = tmp_path_factory.mktemp("demo")
    site = root / "site"
    result = mkdocs_build(copy_project(root / "project"), site)
    assert result.returncode == 0, result.output
    return site


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, tuple[Any, ...]]:
    """The demo knowledge base in a whoosh index, with its products (the endpoint's inputs)."""
    from portail.checks.analyse import analyse
    from portail.search.index import SearchIndex, documents_from_kb

    kb = analyse(ROOT / "kb", ROOT, now=NOW).kb
    index = SearchIndex(tmp_path_factory.mktemp("index") / "index")
    index.update(documents_from_kb(kb))
    return index, kb.products


@pytest.fixture(scope="session")
def demo_config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_url(demo_site: Path) -> Iterator[str]:
    """The demo site served on 127.0.0.1."""
    from browser import serve

    yield from serve(demo_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright, shared by the session."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
