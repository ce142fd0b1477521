"""Indexing in parts (browser_search.index_site with part_tokens): the merged bundle holds what
a single Pagefind run writes — same pages, fragments, words with their positions, accented
variants and meta positions, filters, chunks — whatever the page numbers."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from portail.search import pagefind_parts
from portail.search.browser import Record, index_site

WORDS = (
    "été école élève café résumé naïve connecteur signature parapheur certificat délibération "
    "convocation séance mandat ordre jour télétransmission préfecture acte budgétaire"
).split()


def write_site(site: Path, seed: int = 1) -> None:
    rng = random.Random(seed)

    def text(count: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(count))

    for i in range(60):
        meta = f'<span data-pagefind-meta="produits:P{i % 3}"></span>' if i >= 30 else ""
        version = f'<span data-pagefind-filter="version:{i % 4}"></span>' if i % 5 else ""
        rare = '<span data-pagefind-filter="rare:oui"></span>' if i in (3, 41) else ""
        sections = "".join(f'<h2 id="s{k}">Section {text(1)}</h2><p>{text(30)}</p>' for k in range(i % 3))
        page = site / f"d{i // 10}" / f"p{i}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<html lang="fr"><body><nav>menu {text(1)}</nav><div data-pagefind-body>'
            f'<span data-pagefind-filter="type:Doc"></span>{meta}{version}{rare}'
            f"<h1>Page {i} {text(1)}</h1><p>{text(rng.randint(20, 300))}</p>{sections}</div></body></html>",
            encoding="utf-8",
        )
    for name in ("x7", "x8"):  # two identical pages share a fragment
        page = site / "dup" / name / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            '<html lang="fr"><body><div data-pagefind-body><p>doublon été</p></div></body></html>'
        )
    # Pages without data-pagefind-body are left out, even in a part that has no other page.
    (site / "index.html").write_text("<html lang='fr'><body><p>accueil sans marqueur été</p></body></html>")
    for name in ("a", "b", "c"):
        page = site / "zz" / name / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<html lang='fr'><body><p>liste {text(1500)}</p></body></html>", encoding="utf-8")


RECORDS = [
    Record(f"d0/f{i}.pdf", f"Fichier été {i}", f"fichier école {i}", "Doc", ("P1",), "2" if i % 2 else None)
    for i in range(5)
]


def test_a_site_indexed_in_parts_gets_the_index_of_a_single_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "site"
    write_site(site)
    assert index_site(site, RECORDS, part_tokens=10**9)
    single = decode(site / "pagefind")
    assert len(pagefind_parts.plan_parts(site, 1500)) > 5
    assert index_site(site, RECORDS, part_tokens=1500)
    merged = decode(site / "pagefind")
    assert caplog.records == []  # merged, not indexed again in one run
    assert not list(site.glob(".pagefind-parts-*"))
    assert single["pages"] == 62 + len(RECORDS)  # not the page without data-pagefind-body
    assert merged == single


def decode(bundle: Path) -> dict[str, Any]:
    """The bundle without its page numbers and file names: pages by URL."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((_, language),) = entry["languages"].items()
    version, pages, chunks, filters, sorts, fields = cbor(
        read(bundle / f"pagefind.{language['hash']}.pf_meta")
    )
    fragments = [json.loads(read(bundle / "fragment" / f"{name}.pf_fragment")) for name, _ in pages]
    urls = [fragment["url"] for fragment in fragments]

    def by_url(postings: list[Any]) -> dict[str, Any]:
        found, number = {}, 0
        for delta, positions, meta in postings:
            number += delta
            found[urls[number]] = (positions, [fields[-v - 1] if v < 0 else v for v in meta])
        return found

    words, chunk_words = {}, []
    for _, _, name in chunks:
        (entries,) = cbor(read(bundle / "index" / f"{name}.pf_index"))
        chunk_words.append([word for word, _, _ in entries])
        for word, postings, variants in entries:
            words[word] = (by_url(postings), {form: by_url(p) for form, p in variants})
    values = {}
    for name, file_hash in filters:
        _, packed = cbor(read(bundle / "filter" / f"{file_hash}.pf_filter"))
        values[name] = {value: sorted(urls[n] for n in numbers) for value, numbers in packed}
    return {
        "version": (entry["version"], version),
        "pages": language["page_count"],
        "fragments": {f["url"]: (f, count) for f, (_, count) in zip(fragments, pages, strict=True)},
        "bounds": [(start, end) for start, end, _ in chunks],
        "chunks": chunk_words,
        "words": words,
        "filters": values,
        "sorts": sorts,
    }


def read(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return data[len(b"pagefind_dcd") :]


def cbor(data: bytes) -> Any:
    def item(pos: int) -> tuple[Any, int]:
        major, info = data[pos] >> 5, data[pos] & 31
        pos += 1
        if info >= 24:
            size = 1 << (info - 24)
            info, pos = int.from_bytes(data[pos : pos + size], "big"), pos + size
        if major == 0:
            return info, pos
        if major == 1:
            return -1 - info, pos
        if major == 3:
            return data[pos : pos + info].decode(), pos + info
        assert major == 4
        items = []
        for _ in range(info):
            value, pos = item(pos)
            items.append(value)
        return items, pos

    value, end = item(0)
    assert end == len(data)
    return value


def test_an_edit_indexes_again_only_the_part_of_the_edited_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_site(site)
    runs: list[list[str]] = []
    run = pagefind_parts.run_index

    async def counted(site_dir: Path, records: Any, output: Path, **options: Any) -> None:
        runs.append(options.get("globs"))
        await run(site_dir, records, output, **options)

    monkeypatch.setattr(pagefind_parts, "run_index", counted)
    plans = pagefind_parts.plan_parts(site, 1500)
    assert index_site(site, RECORDS, cache, part_tokens=1500)
    assert len(runs) == len(plans) > 5
    stored = cache / pagefind_parts.PARTS_CACHE
    before = {bundle.name for bundle in stored.iterdir()}
    assert len(before) == len(plans)
    first = decode(site / "pagefind")

    # Without the whole-site bundle, the parts' bundles make the index: no run, and they stay.
    for bundle in cache.glob("pagefind-*"):
        shutil.rmtree(bundle)
    runs.clear()
    assert not index_site(site, RECORDS, cache, part_tokens=1500)
    assert runs == []
    assert decode(site / "pagefind") == first
    assert {bundle.name for bundle in stored.iterdir()} == before

    # A longer page: the other pages stay in their parts, only the edited page's part runs.
    page = site / "d2" / "p25" / "index.html"
    longer = "<p>" + "signature nouvelle " * 200 + "</p></div>"
    page.write_text(page.read_text(encoding="utf-8").replace("</div>", longer), encoding="utf-8")
    edited = pagefind_parts.plan_parts(site, 1500)
    assert [plan.globs for plan in edited] == [plan.globs for plan in plans]
    (part,) = [plan for plan in edited if "d2/p25/index.html" in "".join(plan.globs)]
    runs.clear()
    assert index_site(site, RECORDS, cache, part_tokens=1500)
    assert runs == [part.globs]
    after = {bundle.name for bundle in stored.iterdir()}
    assert len(after) == len(plans) and len(after - before) == 1  # the stale bundle is gone
    merged = decode(site / "pagefind")
    assert caplog.records == []  # merged, not indexed again in one run

    assert index_site(site, RECORDS, part_tokens=10**9)
    assert merged == decode(site / "pagefind")
    (new,) = [pages for word, (pages, _) in merged["words"].items() if word.startswith("nouvel")]
    assert new.keys() == {"/d2/p25/"}
