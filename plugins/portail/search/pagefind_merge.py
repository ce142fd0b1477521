"""Merging the bundles of parts indexed one after the other (``pagefind_parts``) into the
bundle one Pagefind run writes."""

from __future__ import annotations

import heapq
import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pagefind_cbor import (
    _PAGE,
    _PAGE_RUN,
    _array,
    _full_hash,
    _head,
    _integer,
    _read_gz,
    _Reader,
    _text,
    _uint,
    _Unmergeable,
    _write_gz,
)

# The bundle format the merge reads and writes (``pagefind/src/index``, ``output``); another
# Pagefind version is indexed in one run, as before, until its format has been checked.
MERGEABLE_VERSIONS = ("1.5.",)

# The merge. A bundle is: ``pagefind-entry.json`` (version, per language the metadata file's
# hash and the page count), ``pagefind.<hash>.pf_meta`` (pages, word index chunks, filters,
# sorts, meta fields), ``index/*.pf_index`` (words, sorted, in chunks: for each word its pages,
# page numbers delta-encoded, with word positions and meta positions, and its accented
# variants), ``filter/*.pf_filter`` (for each value its page numbers), ``fragment/*`` (one per
# page, named by a hash of its content) and the JS/WASM files. Binary files are CBOR arrays,
# gzipped after the ``pagefind_dcd`` signature. Parts are merged in order: the pages of part n
# follow those of part n-1, so that a word's pages stay in page order.


@dataclass
class _Part:
    bundle: Path
    language: str
    entry: dict[str, Any]
    wasm: str | None
    version: str
    pages: list[tuple[str, int]]  # fragment hash, word count
    chunks: list[str]  # word index chunk hashes, in word order
    filters: list[tuple[str, str]]  # filter name, hash
    fields: list[str]  # meta fields, sorted
    offset: int = 0  # number of the part's first page in the merged index


@dataclass
class _Postings:
    """A word's pages in one part: the CBOR of the page list, with the first page number split
    off (it becomes a delta from the previous part's last page)."""

    count: int
    first: int  # absolute page number of the first page, in the part
    last: int  # absolute page number of the last page, in the part
    rest: bytes  # the first page after its page number, then the other pages as they were
    size: int  # Pagefind's chunk measure: positions + meta positions + 1, per page


_NO_POSTINGS = _Postings(0, 0, 0, b"", 0)


def merge_bundles(bundles: Sequence[Path], output: Path, *, keep: bool = False) -> None:
    """Merge ``bundles`` into ``output``. Their files are moved, or with ``keep`` (cached
    bundles) hard-linked or copied, so that the bundles stay whole."""
    transfer = _link if keep else _move
    parts = [part for part in (_read_part(bundle) for bundle in bundles) if part is not None]
    if not parts:
        raise _Unmergeable("aucune page indexée")
    language = parts[0].language
    if any(part.language != language or part.version != parts[0].version for part in parts):
        raise _Unmergeable("langues ou versions différentes selon les parties")
    fields = sorted({field for part in parts for field in part.fields})
    offset = 0
    for part in parts:
        part.offset = offset
        offset += len(part.pages)
    shutil.rmtree(output, ignore_errors=True)
    for folder in ("fragment", "index", "filter"):
        (output / folder).mkdir(parents=True)
    pages = _merge_fragments(parts, output, transfer)
    chunks = _merge_words(parts, fields, language, output)
    filters = _merge_filters(parts, language, output)
    meta = b"".join(
        [
            b"\x86",
            _text(parts[0].version),
            _array(pages, lambda page: b"\x82" + _text(page[0]) + _uint(page[1])),
            _array(chunks, lambda chunk: b"\x83" + b"".join(_text(s) for s in chunk)),
            _array(filters, lambda item: b"\x82" + _text(item[0]) + _text(item[1])),
            _head(4, 0),  # sorts: a part with sorts is not merged (_read_part)
            _array(fields, _text),
        ]
    )
    meta_hash = f"{language}_{_full_hash(meta)[: len(language) + 8]}"
    _write_gz(output / f"pagefind.{meta_hash}.pf_meta", meta)
    for item in parts[0].bundle.iterdir():  # pagefind.js, the UI, the WASM: the same in every part
        if item.is_file() and item.name != "pagefind-entry.json" and not item.name.endswith(".pf_meta"):
            transfer(item, output / item.name)
    entry = dict(parts[0].entry)
    entry["languages"] = {language: {"hash": meta_hash, "wasm": parts[0].wasm, "page_count": len(pages)}}
    (output / "pagefind-entry.json").write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _read_part(bundle: Path) -> _Part | None:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    if not str(entry.get("version", "")).startswith(MERGEABLE_VERSIONS):
        raise _Unmergeable(f"format de Pagefind {entry.get('version')} non vérifié")
    languages = entry.get("languages") or {}
    if not languages:
        return None  # no page of this part was indexed
    if len(languages) != 1:
        raise _Unmergeable("plusieurs langues")
    ((language, about),) = languages.items()
    reader = _Reader(_read_gz(bundle / f"pagefind.{about['hash']}.pf_meta"))
    reader.expect_array(6)
    meta_version = reader.text()
    pages, chunks, filters = [], [], []
    for _ in range(reader.array()):
        reader.expect_array(2)
        pages.append((reader.text(), reader.uint()))
    for _ in range(reader.array()):
        reader.expect_array(3)
        reader.text(), reader.text()  # the bounds: the merge cuts its own chunks
        chunks.append(reader.text())
    for _ in range(reader.array()):
        reader.expect_array(2)
        filters.append((reader.text(), reader.text()))
    if reader.array() != 0:
        raise _Unmergeable("tri (data-pagefind-sort)")
    fields = [reader.text() for _ in range(reader.array())]
    reader.end()
    if meta_version != entry["version"] or len(pages) != about.get("page_count"):
        raise _Unmergeable("métadonnées inattendues")
    return _Part(bundle, language, entry, about.get("wasm"), meta_version, pages, chunks, filters, fields)


def _merge_fragments(
    parts: Sequence[_Part], output: Path, transfer: Callable[[Path, Path], None]
) -> list[tuple[str, int]]:
    """Every part's fragments in one folder; two different pages whose hashes begin alike (one
    chance in twenty at 5,000 pages: 7 hex digits) get a longer name, as Pagefind does."""
    pages = []
    for part in parts:
        renamed: dict[str, str] = {}
        for name, word_count in part.pages:
            if name not in renamed:
                source = part.bundle / "fragment" / f"{name}.pf_fragment"
                final, target = name, output / "fragment" / f"{name}.pf_fragment"
                if target.exists() and target.read_bytes() != source.read_bytes():
                    full = f"{part.language}_{_full_hash(_read_gz(source))}"
                    if not full.startswith(name):
                        raise _Unmergeable("nom de fragment inattendu")
                    while target.exists() and target.read_bytes() != source.read_bytes():
                        if len(final) == len(full):
                            raise _Unmergeable("fragments de même hash")
                        final = full[: len(final) + 1]
                        target = output / "fragment" / f"{final}.pf_fragment"
                if not target.exists():
                    transfer(source, target)
                renamed[name] = final
            pages.append((renamed[name], word_count))
    return pages


def _move(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _link(source: Path, target: Path) -> None:
    """A file of a cached bundle: nothing rewrites a bundle's files in place (a new build
    removes the bundle first), so a hard link is as good as a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _merge_words(
    parts: Sequence[_Part], fields: Sequence[str], language: str, output: Path
) -> list[list[str]]:
    """The word index of all parts: each word's pages (and variants' pages) one part after the
    other, then cut in chunks as Pagefind cuts them."""
    chunk_size = _chunk_size()
    streams = [_part_words(part, number, fields) for number, part in enumerate(parts)]
    chunks: list[list[str]] = []  # [from, to, hash]
    names: set[str] = set()
    pending: list[bytes] = []
    bounds: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal size
        data = b"\x81" + _head(4, len(pending)) + b"".join(pending)
        chunks.append(
            [bounds[0], bounds[-1], _unique_name(f"{language}_{_full_hash(data)}", language, names)]
        )
        _write_gz(output / "index" / f"{chunks[-1][2]}.pf_index", data)
        pending.clear()
        bounds.clear()
        size = 0

    for word, group in itertools.groupby(
        heapq.merge(*streams, key=lambda item: item[0]), key=lambda item: item[0]
    ):
        postings: list[tuple[int, _Postings]] = []
        variants: dict[str, list[tuple[int, _Postings]]] = {}
        for _, number, pages, part_variants in group:
            postings.append((parts[number].offset, pages))
            for form, variant_pages in part_variants:
                variants.setdefault(form, []).append((parts[number].offset, variant_pages))
        encoded_pages, word_size = _join_postings(postings)
        encoded_variants = [
            b"\x82" + _text(form) + _join_postings(lists)[0] for form, lists in variants.items()
        ]
        pending.append(
            b"\x83"
            + _text(word)
            + encoded_pages
            + _head(4, len(encoded_variants))
            + b"".join(encoded_variants)
        )
        bounds.append(word)
        size += word_size
        if size >= chunk_size:
            flush()
    if pending:
        flush()
    # Chunk bounds shortened to the prefixes that tell neighbours apart (Pagefind's chunk_meta).
    for before, after in itertools.pairwise(chunks):
        common = len(
            list(itertools.takewhile(lambda pair: pair[0] == pair[1], zip(after[0], before[1], strict=False)))
        )
        to_prefix, from_prefix = before[1][: common + 1], after[0][: common + 1]
        if to_prefix >= before[0]:
            before[1] = to_prefix
        after[0] = from_prefix
    return chunks


def _part_words(
    part: _Part, number: int, fields: Sequence[str]
) -> Iterator[tuple[str, int, _Postings, list[tuple[str, _Postings]]]]:
    remap = None if list(part.fields) == list(fields) else [fields.index(field) for field in part.fields]
    for name in part.chunks:
        reader = _Reader(_read_gz(part.bundle / "index" / f"{name}.pf_index"))
        reader.expect_array(1)
        for _ in range(reader.array()):
            reader.expect_array(3)
            word = reader.text()
            pages = _read_postings(reader, remap)
            variants = []
            for _ in range(reader.array()):
                reader.expect_array(2)
                form = reader.text()
                variants.append((form, _read_postings(reader, remap)))
            yield word, number, pages, variants
        reader.end()


def _read_postings(reader: _Reader, remap: list[int] | None) -> _Postings:
    """Each page: [page number delta, [positions], [meta positions]]. Positions are integers
    only, so each list ends where the next array begins: regular expressions find the pages."""
    count = reader.array()
    if count == 0:
        return _NO_POSTINGS
    data, start = reader.data, reader.pos
    whole = _PAGE_RUN.match(data, start)
    if whole is None:
        raise _Unmergeable("pages inattendues dans l'index")
    reader.pos = end = whole.end()
    pages = _PAGE.findall(data, start, end)
    if len(pages) != count:
        raise _Unmergeable("pages inattendues dans l'index")
    deltas, positions, metas = zip(*pages, strict=True)
    first = _head_value(deltas[0])
    size = _sum_heads(positions, 0x80) + _sum_heads(metas, 0x80) + count
    rest_start = start + 1 + len(deltas[0])
    if remap is None:
        return _Postings(count, first, _sum_heads(deltas, 0), data[rest_start:end], size)
    # Meta positions name their field by its rank (negative numbers): the merged index has the
    # fields of every part, so a part's ranks may change.
    pieces = []
    for index, page in enumerate(_PAGE.finditer(data, start, end)):
        meta_reader = _Reader(data[page.start(3) : page.end()])
        meta = [meta_reader.integer() for _ in range(meta_reader.array())]
        meta_reader.end()
        meta = [-(remap[-value - 1]) - 1 if value < 0 else value for value in meta]
        head = data[page.start() : page.start(2)] if index else b""
        pieces.append(head + data[page.start(2) : page.start(3)] + _array(meta, _integer))
    return _Postings(count, first, _sum_heads(deltas, 0), b"".join(pieces), size)


def _head_value(head: bytes) -> int:
    """The number in a CBOR head (an unsigned integer, or an array's length)."""
    return head[0] & 31 if len(head) == 1 else int.from_bytes(head[1:], "big")


def _sum_heads(heads: Sequence[bytes], major: int) -> int:
    joined = b"".join(heads)
    if len(joined) == len(heads):  # all of one byte: the sum is done in C
        return sum(joined) - major * len(heads)
    return sum(map(_head_value, heads))


def _join_postings(lists: Sequence[tuple[int, _Postings]]) -> tuple[bytes, int]:
    pieces: list[bytes] = []
    count = size = last = 0
    for offset, postings in lists:
        if not postings.count:
            continue
        pieces.append(b"\x83" + _uint(offset + postings.first - last) + postings.rest)
        last = offset + postings.last
        count += postings.count
        size += postings.size
    return _head(4, count) + b"".join(pieces), size


def _merge_filters(parts: Sequence[_Part], language: str, output: Path) -> list[tuple[str, str]]:
    merged: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for name, file_hash in part.filters:
            reader = _Reader(_read_gz(part.bundle / "filter" / f"{file_hash}.pf_filter"))
            reader.expect_array(2)
            if reader.text() != name:
                raise _Unmergeable("filtre inattendu")
            values = merged.setdefault(name, {})
            for _ in range(reader.array()):
                reader.expect_array(2)
                pages = values.setdefault(reader.text(), [])
                pages.extend(part.offset + reader.uint() for _ in range(reader.array()))
            reader.end()
    filters, names = [], set()
    for name in sorted(merged):
        values = merged[name]
        data = b"\x82" + _text(name) + _head(4, len(values))
        data += b"".join(b"\x82" + _text(value) + _array(values[value], _uint) for value in sorted(values))
        file_hash = _unique_name(f"{language}_{_full_hash(data)}", language, names)
        _write_gz(output / "filter" / f"{file_hash}.pf_filter", data)
        filters.append((name, file_hash))
    return filters


def _chunk_size() -> int:
    try:  # Pagefind's own setting, read from the environment it inherits
        return int(os.environ.get("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", ""))
    except ValueError:
        return 20000


def _unique_name(full: str, language: str, taken: set[str]) -> str:
    length = len(language) + 8
    while full[:length] in taken and length < len(full):
        length += 1
    taken.add(full[:length])
    return full[:length]
