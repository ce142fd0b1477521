"""Print a sha256 manifest of a built site: one line per file, ``<sha256>  <path>``, paths
relative to the site and sorted, then a last line with the number of files and the digest of
the manifest itself. Compare a site before and after a change with ``diff`` of two manifests:

    python scripts/site_digest.py site/ > before.txt

Pagefind (1.5) writes the values of each filter (``pagefind/filter/*.pf_filter``) in the order
of a hash map, which changes from one run to the next: a clean build and another clean build of
the same tree differ there, and in the names that carry those files' hashes (the ``.pf_meta``
that lists them, ``pagefind-entry.json`` that names the meta). ``--stable`` digests these three
kinds of files by their content instead (filters named by what they filter, values sorted; the
meta with its filter hashes replaced by the filters' names): two builds of one tree then give the
same manifest, and any other difference still shows (tests/test_same_output.py).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import struct
import sys
from pathlib import Path
from typing import Any

_DCD = b"pagefind_dcd"  # what Pagefind puts before the CBOR of each gzipped file
_ENTRY_HASH = re.compile(r'"hash":"[^"]*"')


def _cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """The CBOR item at ``at`` (the subset Pagefind writes: integers, strings, arrays, maps)."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise ValueError(f"CBOR non lu : octet {head:#x}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major == 2:
        return data[at : at + value], at + value
    if major == 3:
        return data[at : at + value].decode("utf-8"), at + value
    if major in (4, 5):
        items = []
        for _ in range(value * (2 if major == 5 else 1)):
            item, at = _cbor(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    if major == 7:
        return {20: False, 21: True, 22: None}.get(info, struct.pack(">B", info)), at
    raise ValueError(f"CBOR non lu : type {major}")


def _pagefind(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_DCD):
        raise ValueError(f"{path}: pas un fichier de Pagefind")
    value, end = _cbor(data, len(_DCD))
    if end != len(data):
        raise ValueError(f"{path}: octets en trop")
    return value


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _named_filters(part: Any, filter_names: dict[str, str]) -> Any:
    """``[[name, hash], …]`` of the meta's filters as sorted ``[[name, "filtre name"], …]``;
    any other part as it is."""
    if isinstance(part, list) and part and all(
        isinstance(item, list) and len(item) == 2 and item[1] in filter_names for item in part
    ):
        return sorted([name, f"filtre {filter_names[file_hash]}"] for name, file_hash in part)
    return part


def manifest(site: Path, stable: bool = False) -> list[str]:
    """``<sha256>  <path>`` for every file under ``site``, sorted by path (POSIX)."""
    entries: dict[str, str] = {}
    filter_names: dict[str, str] = {}  # filter file hash (fr_xxx) -> the filter's name
    metas: list[Path] = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if stable and rel.startswith("pagefind/filter/") and rel.endswith(".pf_filter"):
            name, values = _pagefind(path)
            filter_names[path.stem] = name
            rel = f"pagefind/filter/{name}.pf_filter (valeurs triées)"
            entries[rel] = _sha(repr(sorted(values, key=repr)).encode())
        elif stable and re.fullmatch(r"pagefind/pagefind\.[^/]+\.pf_meta", rel):
            metas.append(path)
        elif stable and rel == "pagefind/pagefind-entry.json":
            text = path.read_text(encoding="utf-8")
            entries[rel + " (sans hash)"] = _sha(_ENTRY_HASH.sub('"hash":"…"', text).encode())
        else:
            entries[rel] = _sha(path.read_bytes())
    for path in metas:
        meta = _pagefind(path)
        if isinstance(meta, list):
            # The list of filters ([name, file hash] pairs) comes in hash-map order as well.
            meta = [_named_filters(part, filter_names) for part in meta]
        entries["pagefind/pagefind.pf_meta (filtres nommés)"] = _sha(repr(meta).encode())
    return [f"{digest}  {rel}" for rel, digest in sorted(entries.items())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (mkdocs build -d SITE)")
    parser.add_argument(
        "--stable",
        action="store_true",
        help="Pagefind's filters, meta and entry digested by content (see above)",
    )
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        parser.error(f"{args.site} is not a folder")
    lines = manifest(args.site, args.stable)
    total = _sha("\n".join(lines).encode())
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.write(f"# {len(lines)} files, manifest sha256 {total}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
