"""Same tree, same site: two clean builds of the demo (fixed clock, each from its own copy with
no `.portail/` cache) are identical byte for byte. Pagefind writes each filter's values in hash-map
order, so its filter files, the meta listing them and ``pagefind-entry.json`` are compared by
content (``scripts/site_digest.py --stable``); every other file byte for byte."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build


def _site_digest():
    spec = importlib.util.spec_from_file_location("site_digest", ROOT / "scripts" / "site_digest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def two_builds(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The session's demo build (conftest.demo_site: a fresh copy, no cache) and a second one
    made the same way."""
    root = tmp_path_factory.mktemp("second")
    project = copy_project(root / "project")
    # copy_project keeps modification times (« Mis à jour le » outside git): both copies agree.
    site = root / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.output
    return demo_site, site


def test_two_clean_builds_are_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    digest = _site_digest()
    a, b = digest.manifest(first, stable=True), digest.manifest(second, stable=True)
    assert len(a) > 100
    differ = sorted(set(a) ^ set(b))
    assert not differ, "fichiers différents entre deux constructions :\n" + "\n".join(differ[:40])


def test_only_pagefind_filters_need_the_stable_digest(two_builds: tuple[Path, Path]) -> None:
    """Byte for byte, the two sites differ at most in Pagefind's filters, meta and entry."""
    first, second = two_builds
    digest = _site_digest()
    raw = sorted(set(digest.manifest(first)) ^ set(digest.manifest(second)))
    paths = {line.split("  ", 1)[1] for line in raw}
    others = {
        p
        for p in paths
        if not (p.startswith("pagefind/filter/") or p.endswith(".pf_meta") or p == "pagefind/pagefind-entry.json")
    }
    assert not others, sorted(others)
