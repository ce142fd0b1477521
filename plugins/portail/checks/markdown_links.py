"""Where a writer's Markdown links to: every link target of a body, with its place in the text,
and the heading ids of a page.

Targets are found in inline links and images ``[t](target "title")``, reference definitions
``[ref]: target``, raw HTML ``href=``/``src=`` attributes and ``portail:`` names written
anywhere; code (fenced blocks, inline spans) and HTML comments are not links, whatever they
contain.

What is code and what is a heading is the parser's answer, not a regex's: markdown-it-py
(CommonMark) reads the block structure (fences of either kind, in lists and quotes too; a
```` ``` ```` line inside a ``~~~`` fence is code), and its tokens' line maps say which lines
each fence and heading covers. Python-Markdown's admonitions (``!!! note``, ``??? note``),
which CommonMark does not know, are unwrapped line for line before parsing. Code spans and
HTML comments, inline, are still masked by pattern (inline tokens carry no offsets).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import markdown
from markdown_it import MarkdownIt

from .portail_links import LINK


@dataclass(frozen=True)
class LinkTarget:
    """A link target as written in a body: ``start``/``end`` delimit it in the text (angle
    brackets included), ``line`` counts from 0 at the body's first line."""

    start: int
    end: int
    target: str  # as written, without the angle brackets of ``<a b.md>``
    line: int
    raw_html: bool  # an HTML attribute: Markdown renderers never rewrite it


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


def _block_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark")
    # Block structure only: inline parsing is most of the time and none of the answer. Link
    # reference definitions and setext underlines change no fence nor ATX heading.
    parser.core.ruler.disable(["inline", "text_join"])
    parser.block.ruler.disable(["reference", "lheading"])
    return parser


_PARSER = _block_parser()
_ADMONITION = re.compile(r"^( *)(?:!!!|\?\?\?\+?) ?[\w-]")
_ATX_HEADING = re.compile(r"^(#{1,6})\s+\S")
_HTML_LINE = re.compile(r"^ {0,3}<", re.MULTILINE)


def _has_fence(text: str) -> bool:
    return "```" in text or "~~~" in text


def _unwrap_admonitions(lines: list[str]) -> list[str]:
    """Python-Markdown's admonitions and details hold blocks indented by four spaces, which
    CommonMark would read as indented code: each opener becomes a blank line and its content
    loses four columns per open admonition. Lines stay lines, so the parser's line maps hold
    for the text as written."""
    out: list[str] = []
    open_columns: list[int] = []  # the content column of each open admonition
    for line in lines:
        expanded = line.expandtabs(4)
        stripped = expanded.lstrip(" ")
        if not stripped:
            out.append("")
            continue
        indent = len(expanded) - len(stripped)
        while open_columns and indent < open_columns[-1]:
            open_columns.pop()
        if _ADMONITION.match(expanded):
            open_columns.append(indent + 4)
            out.append("")
            continue
        out.append(expanded[4 * len(open_columns) :])
    return out


@lru_cache(maxsize=_MEMO)
def _blocks(text: str) -> tuple[tuple[tuple[int, int], ...], frozenset[int]]:
    """The parser's reading of a body: the lines [start, end) of each fenced code block
    (closing fence included; an unclosed one runs to the end of its container), and the first
    line of each heading. Lines count from 0, split at each line feed."""
    lines = text.replace("\r", " ").split("\n")
    if "!!!" in text or "???" in text:
        lines = _unwrap_admonitions(lines)
    fences: list[tuple[int, int]] = []
    headings: set[int] = set()
    for token in _PARSER.parse("\n".join(lines)):
        if token.map is None:
            continue
        if token.type == "fence":
            fences.append((token.map[0], token.map[1]))
        elif token.type == "heading_open":
            headings.add(token.map[0])
    return tuple(fences), frozenset(headings)


def fenced_code(text: str) -> tuple[tuple[int, int], ...]:
    """The lines [start, end) of each fenced code block of a body (from 0)."""
    return _blocks(text)[0] if _has_fence(text) else ()


@lru_cache(maxsize=_MEMO)
def heading_lines(text: str) -> tuple[tuple[int, int], ...]:
    """(line from 0, level) of each ``#`` heading written from the first column of a body, as
    Python-Markdown renders them (``#`` then a space), left out when the parser reads the line
    as code or raw HTML. Without a fence or an HTML block no line can be either: the parse is
    skipped, with the same answer."""
    candidates = tuple(
        (index, len(match.group(1)))
        for index, line in enumerate(text.split("\n"))
        if (match := _ATX_HEADING.match(line))
    )
    if not candidates or not (_has_fence(text) or _HTML_LINE.search(text)):
        return candidates
    headings = _blocks(text)[1]
    return tuple(candidate for candidate in candidates if candidate[0] in headings)


@lru_cache(maxsize=_MEMO)
def mask_code(text: str) -> str:
    """``text`` with code blocks, code spans and HTML comments blanked out (newlines kept), so
    that offsets and line numbers found in it hold for ``text``."""
    lines = text.split("\n")
    for start, end in fenced_code(text):
        for index in range(start, min(end, len(lines))):
            lines[index] = " " * len(lines[index])
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
