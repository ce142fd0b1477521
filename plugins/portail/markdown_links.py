"""Where a writer's Markdown links to: every link target of a body, with its place in the text,
and the heading ids of a page.

Targets are found in inline links and images ``[t](target "title")``, reference definitions
``[ref]: target``, raw HTML ``href=``/``src=`` attributes and ``portail:`` names written
anywhere; code (fenced blocks, inline spans) and HTML comments are not links, whatever they
contain.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import markdown

from .links import LINK


@dataclass(frozen=True)
class LinkTarget:
    """A link target as written in a body: ``start``/``end`` delimit it in the text (angle
    brackets included), ``line`` counts from 0 at the body's first line."""

    start: int
    end: int
    target: str  # as written, without the angle brackets of ``<a b.md>``
    line: int
    raw_html: bool  # an HTML attribute: Markdown renderers never rewrite it


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# One level of nested brackets in the text (an image inside a link), parentheses balanced once
# in the target (``fiche_(2).pdf``), an optional title.
_INLINE = re.compile(
    r"""!?\[(?P<text>(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*)\]
    \([ \t]*\n?[ \t]*
    (?P<target><[^<>\n]*>|(?:\\.|[^\s()\\]|\((?:\\.|[^\s()\\])*\))+)
    (?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\n?[ \t]*\)""",
    re.VERBOSE,
)
_REFERENCE = re.compile(
    r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\n?[ \t]*(?P<target><[^<>\n]*>|\S+)", re.MULTILINE
)
_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*(?:\s(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?/?>")
_URL_ATTRIBUTE = re.compile(
    r"""\s(?:href|src)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))"""
)


# The functions of texts below are pure and called on every body by the checks, then again by
# the page generator, and again at each preview rebuild for bodies that did not change: they
# are memoised on the text (a body is hashed once; Python keeps a string's hash). Bounded: a
# base's bodies fit, a long preview session does not grow without end.
_MEMO = 32768


@lru_cache(maxsize=_MEMO)
def mask_code(text: str) -> str:
    """``text`` with code blocks, code spans and HTML comments blanked out (newlines kept), so
    that offsets and line numbers found in it hold for ``text``."""
    lines = text.split("\n")
    fence: tuple[str, int] | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= fence[1]:
                if not match.group(2).strip():
                    fence = None
            lines[index] = " " * len(line)
        elif match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = (match.group(1)[0], len(match.group(1)))
            lines[index] = " " * len(line)
    masked = "\n".join(lines)

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _CODE_SPAN.sub(blank, _COMMENT.sub(blank, masked))


@lru_cache(maxsize=_MEMO)
def find_links(text: str) -> tuple[LinkTarget, ...]:
    """Every link target of a Markdown body, in text order (``portail:`` names excepted)."""
    masked = mask_code(text)
    found: list[LinkTarget] = []
    newlines = _newlines(masked)

    def add(start: int, end: int, raw_html: bool) -> None:
        written = text[start:end]
        if written.startswith("<") and written.endswith(">"):
            written = written[1:-1]
        found.append(LinkTarget(start, end, written.strip(), bisect.bisect(newlines, start), raw_html))

    for start, end in _inline(masked, 0, len(masked)):
        add(start, end, False)
    for match in _REFERENCE.finditer(masked):
        add(match.start("target"), match.end("target"), False)
    for tag in _TAG.finditer(masked):
        for attribute in _URL_ATTRIBUTE.finditer(masked, tag.start(), tag.end()):
            group = next(name for name in ("dq", "sq", "bare") if attribute.group(name) is not None)
            add(attribute.start(group), attribute.end(group), True)
    return tuple(sorted(found, key=lambda link: link.start))


def _inline(masked: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of inline link targets between ``start`` and ``end``, images inside link texts too."""
    for match in _INLINE.finditer(masked, start, end):
        yield from _inline(masked, match.start("text"), match.end("text"))
        yield match.start("target"), match.end("target")


@lru_cache(maxsize=_MEMO)
def portail_names(text: str) -> tuple[tuple[str, int], ...]:
    """Every ``portail:`` name outside code, with its line (from 0)."""
    masked = mask_code(text)
    newlines = _newlines(masked)
    return tuple((match.group(1), bisect.bisect(newlines, match.start())) for match in LINK.finditer(masked))


def _newlines(text: str) -> list[int]:
    # Offsets of the line breaks: a link's line by bisection, not by counting from the start
    # for every link (a long body full of links stays linear).
    return [match.start() for match in re.finditer("\n", text)]


# Python-Markdown's own extensions that can hold a heading or give it an id: the ids are
# computed by the toc extension itself, as MkDocs does by default (``toc.slugify``, ``_1``
# suffixes for duplicates, ``{: #id }`` from attr_list).
_EXTENSIONS = ("toc", "attr_list", "admonition", "md_in_html", "fenced_code", "tables")
_RAW_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@lru_cache(maxsize=_MEMO)
def heading_ids(text: str) -> frozenset[str]:
    """The ids a Markdown page gives its headings, and the ids written in its raw HTML."""
    md = markdown.Markdown(extensions=list(_EXTENSIONS))
    md.convert(text)
    ids: set[str] = set()
    stack = list(getattr(md, "toc_tokens", []))
    while stack:
        token = stack.pop()
        ids.add(token["id"])
        stack.extend(token.get("children", []))
    masked = mask_code(text)
    for tag in _TAG.finditer(masked):
        for match in _RAW_ID.finditer(masked, tag.start(), tag.end()):
            ids.add(match.group(1) if match.group(1) is not None else match.group(2))
    return frozenset(ids)
