"""The writers' synonyms as the model holds them (``KnowledgeBase.synonyms``) and as the
searches read them: ``portail-synonymes.json``, words folded (lowercase, accents removed,
apostrophes as spaces) by the search's own ``fold``. Reading and checking ``kb/synonymes.yml``:
``portail.reading.synonyms``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# The model holds a ``Synonyms``: `portail search` on an up-to-date index imports this module
# and never reads YAML (reading/synonyms.py reads and checks kb/synonymes.yml).
SYNONYMS_FILE = "synonymes.yml"
SYNONYMS_JSON = "portail-synonymes.json"  # at the site root, and next to the search index


@dataclass(frozen=True)
class Synonyms:
    """Groups of equivalent words and abbreviations, as the writers wrote them (checked)."""

    groups: tuple[tuple[str, ...], ...] = ()
    abbreviations: tuple[tuple[str, str], ...] = ()  # (abbreviation, expansion), file order
    source: str = ""  # the file, as writers see it; empty when there is none

    def __bool__(self) -> bool:
        return bool(self.groups or self.abbreviations)

    def folded(self) -> dict[str, Any]:
        """The searches' form: ``{"groupes": [[…]], "abreviations": {abbr: expansion}}``."""
        return {
            "groupes": [[fold_text(word) for word in group] for group in self.groups],
            "abreviations": {fold_text(abbr): fold_text(expansion) for abbr, expansion in self.abbreviations},
        }


def fold_text(text: str) -> str:
    """A word or phrase as the searches compare it: lowercase, accents removed (the whoosh
    analysis' ``fold``), apostrophes as spaces, white space collapsed."""
    from .words import fold  # whoosh.lang only, and only when folding

    lowered = fold(text.lower())
    for apostrophe in ("'", "\u2019", "\u02bc", "`"):
        lowered = lowered.replace(apostrophe, " ")
    return " ".join(lowered.split())


def synonyms_json(synonyms: Synonyms) -> bytes:
    """``portail-synonymes.json``: the folded groups and abbreviations, stable bytes (a build
    rewrites the file only when they change)."""
    return json.dumps(synonyms.folded(), ensure_ascii=False, sort_keys=False).encode("utf-8")
