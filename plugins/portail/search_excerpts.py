"""Excerpts of search hits: HTML with every character escaped, matched words in <mark>,
fragments cut at word boundaries (``FORMATTER``, whoosh's highlighter), or the start of the
text when no word matched (``lead``)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from whoosh import highlight


class _MarkFormatter(highlight.Formatter):
    """Excerpts as HTML: every character escaped, matched words in <mark>, whitespace collapsed,
    fragments cut at word boundaries and marked with an ellipsis."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(re.sub(r"\s+", " ", text))

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"

    def format(self, fragments: Sequence[Any], replace: bool = False) -> str:
        parts = []
        for fragment in fragments:
            _trim_to_words(fragment)
            formatted = self.format_fragment(fragment, replace=replace).strip()
            if fragment.startchar > 0:
                formatted = "… " + formatted
            if fragment.endchar < len(fragment.text):
                formatted += " …"
            parts.append(formatted)
        return " ".join(parts).replace("… …", "…")


def _trim_to_words(fragment: Any) -> None:
    """Move a fragment's edges to whitespace so no word is cut, without losing a match."""
    text = fragment.text
    first = min((t.startchar for t in fragment.matches), default=fragment.endchar)
    last = max((t.endchar for t in fragment.matches), default=fragment.startchar)
    start = fragment.startchar
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, first)
        newline = text.find("\n", start, first)
        cuts = [i for i in (space, newline) if i >= 0]
        if cuts:
            fragment.startchar = min(cuts) + 1
    end = fragment.endchar
    if end < len(text) and not text[end].isspace():
        cut = max(text.rfind(" ", last, end), text.rfind("\n", last, end))
        if cut > last:
            fragment.endchar = cut


FORMATTER = _MarkFormatter()
_LEAD_CHARS = 220


def lead(text: str) -> str:
    """The start of a text as an excerpt (escaped, no marks)."""
    if len(text) <= _LEAD_CHARS:
        end = len(text)
    else:
        end = text.rfind(" ", 0, _LEAD_CHARS)
        end = end if end > 0 else _LEAD_CHARS
    return FORMATTER.format([highlight.Fragment(text, [], 0, end)])
