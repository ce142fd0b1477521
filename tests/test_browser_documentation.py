"""The documentation tree in real headless Chromium: expand and collapse all, download a PDF,
and the same page with JavaScript off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

NODES = "details.portail-tree__node"


def open_states(page: Any) -> list[bool]:
    return page.eval_on_selector_all(NODES, "nodes => nodes.map(n => n.open)")


def test_collapse_all_then_expand_all(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "documentation/")
    assert open_states(page) and all(open_states(page))

    page.get_by_role("button", name="Tout replier").click()
    assert not any(open_states(page))
    assert not page.get_by_role("link", name="Manuel utilisateur i-Parapheur 4.7").is_visible()

    page.get_by_role("button", name="Tout déplier").click()
    assert all(open_states(page))
    assert page.get_by_role("link", name="Manuel utilisateur i-Parapheur 4.7").is_visible()


def test_a_node_opens_with_the_keyboard(page: Any, demo_url: str) -> None:
    page.goto(demo_url + "documentation/")
    page.get_by_role("button", name="Tout replier").click()
    summary = page.locator(f"{NODES} > summary", has_text="Pastell").first
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.evaluate("s => s.parentElement.open")


def test_pdf_link_downloads_a_pdf(page: Any, demo_url: str, tmp_path: Path) -> None:
    page.goto(demo_url + "documentation/iparapheur/4.7/")
    link = page.locator("a[download][href$='.pdf']").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename.startswith("iparapheur-4.7-")
    assert target.suffix == ".pdf"
    assert target.read_bytes().startswith(b"%PDF")


def test_without_javascript_everything_is_visible(page_without_js: Any, demo_url: str) -> None:
    page = page_without_js
    page.goto(demo_url + "documentation/")
    assert all(open_states(page))
    assert page.get_by_role("link", name="Manuel utilisateur i-Parapheur 4.7").is_visible()
    assert not page.get_by_role("button", name="Tout replier").is_visible()
    summary = page.locator(f"{NODES} > summary", has_text="Pastell").first
    summary.click()  # native <details>: still usable without JavaScript
    assert not summary.evaluate("s => s.parentElement.open")
