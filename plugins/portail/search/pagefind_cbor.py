"""The part of CBOR that Pagefind's bundle files use (minicbor): writing and reading them
for the merge of bundles (``pagefind_merge``)."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_DCD = b"pagefind_dcd"  # what Pagefind puts before the content of each gzipped file


class _Unmergeable(Exception):
    """The parts' bundles are not in the format the merge knows: index the site in one run."""


def _full_hash(data: bytes) -> str:
    # Pagefind writes each byte of the SHA-1 in hex without its leading zero.
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _strip_dcd(data: bytes) -> bytes:
    if not data.startswith(_DCD):
        raise _Unmergeable("fichier sans signature pagefind_dcd")
    return data[len(_DCD) :]


def _read_gz(path: Path) -> bytes:
    return _strip_dcd(gzip.decompress(path.read_bytes()))


def _write_gz(path: Path, data: bytes) -> None:
    # Pagefind compresses at level 9: four times the time of level 6 for 1.5 % less.
    path.write_bytes(gzip.compress(_DCD + data, compresslevel=6, mtime=0))


# CBOR, the part Pagefind's minicbor uses: unsigned and negative integers, text, arrays of
# definite length, always in their shortest form.


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, length in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * length):
            return bytes([major << 5 | info]) + value.to_bytes(length, "big")
    raise _Unmergeable("entier trop grand")


def _uint(value: int) -> bytes:
    return _head(0, value)


def _integer(value: int) -> bytes:
    return _head(0, value) if value >= 0 else _head(1, -1 - value)


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    return _head(3, len(data)) + data


def _array(items: Iterable[T], encode: Callable[[T], bytes]) -> bytes:
    encoded = [encode(item) for item in items]
    return _head(4, len(encoded)) + b"".join(encoded)


_UINT = rb"(?:[\x00-\x17]|\x18.|\x19..|\x1a....|\x1b........)"
_INTEGER = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....|[\x1b\x3b]........)"
_ARRAY_HEAD = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a....|\x9b........)"
# A page of a word's page list, its three heads captured; a run of pages, uncaptured. The
# positions are integers only: each list of them ends where the next array begins, and the page
# list ends where the word's variants (or the next word) begin.
_PAGE = re.compile(
    rb"\x83(%s)(%s)%s*+(%s)%s*+" % (_UINT, _ARRAY_HEAD, _INTEGER, _ARRAY_HEAD, _INTEGER), re.DOTALL
)
_PAGE_RUN = re.compile(
    rb"(?:\x83%s%s%s*+%s%s*+)++" % (_UINT, _ARRAY_HEAD, _INTEGER, _ARRAY_HEAD, _INTEGER), re.DOTALL
)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _head(self, major: int) -> int:
        try:
            first = self.data[self.pos]
            info = first & 31
            if first >> 5 != major or info > 27:
                raise _Unmergeable("CBOR inattendu")
            if info < 24:
                self.pos += 1
                return info
            length = 1 << (info - 24)
            value = int.from_bytes(self.data[self.pos + 1 : self.pos + 1 + length], "big")
            self.pos += 1 + length
            return value
        except IndexError:
            raise _Unmergeable("fichier tronqué") from None

    def array(self) -> int:
        return self._head(4)

    def expect_array(self, length: int) -> None:
        if self._head(4) != length:
            raise _Unmergeable("structure inattendue")

    def uint(self) -> int:
        return self._head(0)

    def integer(self) -> int:
        if self.pos < len(self.data) and self.data[self.pos] >> 5 == 1:
            return -1 - self._head(1)
        return self._head(0)

    def text(self) -> str:
        length = self._head(3)
        value = self.data[self.pos : self.pos + length]
        if len(value) != length:
            raise _Unmergeable("fichier tronqué")
        self.pos += length
        return value.decode("utf-8")

    def end(self) -> None:
        if self.pos != len(self.data):
            raise _Unmergeable("données en trop")
