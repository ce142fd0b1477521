"""Section names of a release note, as writers spell them (and misspell them), and the Markdown
of section bodies as it must render: nested lists indented by two spaces re-indented to four.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.kb import SectionKind
from .changelog_headings import fold

_E = r"(?:e|s|es)?"  # French agreement: supprimé, supprimée, supprimés, supprimées
_SECURE = r"securites?"
# Order matters: « Évolutions réglementaires » is REGULATORY before « Évolutions » is CHANGED,
# « Correctifs de sécurité » is SECURITY before « Correctifs » is FIXED.
_SECTION_NAMES: tuple[tuple[SectionKind, str], ...] = (
    (
        SectionKind.REGULATORY,
        r"(?:(?:evolution|modification|changement|mise a jour)s? )?reglementaires?|reglementations?",
    ),
    (
        SectionKind.SECURITY,
        rf"{_SECURE}|security|(?:corrections?|correctifs?|mises? a jour|failles?) (?:de )?{_SECURE}",
    ),
    (
        SectionKind.INCOMPATIBILITIES,
        r"incompatibilites?|ruptures? de compatibilite|breaking(?: changes?)?|changements? incompatibles?",
    ),
    (SectionKind.KNOWN_LIMITATIONS, r"limitations?|problemes? connus|known (?:issues|limitations)"),
    (SectionKind.PREREQUISITES, r"pre ?requis|prerequisites?"),
    (SectionKind.MIGRATION, r"migrations?|mises? a jour|notes? de migration"),
    (SectionKind.ADDED, rf"ajouts?|ajoute{_E}|nouveautes?|nouvelles? fonctionnalites?|added"),
    (SectionKind.CHANGED, rf"evolutions?|modifications?|modifie{_E}|ameliorations?|changements?|changed"),
    (SectionKind.FIXED, rf"corrections?|correctifs?|corrige{_E}|fixed|bugs?|bugfix(?:es)?"),
    (
        SectionKind.DEPRECATED,
        rf"depreciations?|deprecie{_E}|deprecated|(?:elements?|fonctionnalites?) deprecie{_E}",
    ),
    (
        SectionKind.REMOVED,
        (
            rf"retraits?|suppressions?|supprime{_E}|retire{_E}|removed"
            rf"|(?:elements?|fonctionnalites?) (?:supprime|retire){_E}"
        ),
    ),
)
_SECTION_PATTERNS = tuple((kind, re.compile(rf"(?:{pattern})(?: |$)")) for kind, pattern in _SECTION_NAMES)
KNOWN_SECTION_NAMES = ", ".join(kind.label for kind in SectionKind if kind is not SectionKind.OTHER)

# The words of the names above (folded), to read a misspelt word as the one it is closest to.
_VOCABULARY = tuple(
    sorted(
        set(
            """ajout ajouts ajoute ajoutee ajoutes ajoutees nouveaute nouveautes nouvelle nouvelles
            fonctionnalite fonctionnalites evolution evolutions modification modifications modifie
            modifiee modifies modifiees amelioration ameliorations changement changements
            correction corrections correctif correctifs corrige corrigee corriges corrigees securite
            securites security reglementaire reglementaires reglementation reglementations
            incompatibilite incompatibilites rupture ruptures compatibilite breaking changes
            incompatible incompatibles limitation limitations probleme problemes connus known issues
            prerequis prerequisite prerequisites migration migrations depreciation depreciations
            deprecie depreciee deprecies depreciees deprecated retrait retraits suppression
            suppressions supprime supprimee supprimes supprimees retire retiree retires retirees
            removed added changed fixed bugfix bugfixes element elements failles""".split()
        )
    )
)
_VOCABULARY_SET = frozenset(_VOCABULARY)


@dataclass(frozen=True)
class SectionMatch:
    """The kind a section title names; ``approximate`` when a misspelt word had to be read as
    a known one (« Corections » as « corrections »)."""

    kind: SectionKind
    approximate: bool


def section_kind(title: str) -> SectionKind | None:
    """The kind a section title names by its first word(s) spelt right, or None."""
    return _exact_kind(fold(title))


def match_section(title: str) -> SectionMatch | None:
    """The kind a section title names, spelt right or with a typo or two; None when none."""
    folded = fold(title)
    kind = _exact_kind(folded)
    if kind is not None:
        return SectionMatch(kind, False)
    corrected = " ".join(_closest_word(word) for word in folded.split(" "))
    kind = _exact_kind(corrected) if corrected != folded else None
    return SectionMatch(kind, True) if kind is not None else None


def _exact_kind(folded: str) -> SectionKind | None:
    for kind, pattern in _SECTION_PATTERNS:
        if pattern.match(folded):
            return kind
    return None


def _closest_word(word: str) -> str:
    """``word``, or the known word it misspells: one edit away (five letters or more), two
    edits away (eight letters or more); a word of fewer letters is taken as written."""
    if len(word) < 5 or word in _VOCABULARY_SET or not word.isalpha():
        return word
    allowed = 2 if len(word) >= 8 else 1
    best, best_distance = word, allowed + 1
    for known in _VOCABULARY:
        if abs(len(known) - len(word)) > allowed:
            continue
        distance = _edits(word, known, allowed)
        if distance < best_distance:
            best, best_distance = known, distance
    return best


def _edits(a: str, b: str, limit: int) -> int:
    """Edits (insertion, deletion, substitution, swap of neighbours) from ``a`` to ``b``; any
    number above ``limit`` is returned as ``limit + 1``. Words are short: no early exit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


# --- Bodies ------------------------------------------------------------------------------------

_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
_ANY_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
NESTED_INDENT = 4  # what Python-Markdown needs to nest a list in a list item


def _indent(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def reindent_lists(lines: list[str]) -> list[str]:
    """The lines, with nested list items (and the lines that continue them) re-indented so that
    a list nested by two spaces renders nested as one nested by four does; every other line,
    code fences and their content first, is returned as written. A line indented by tabs is
    left as it is (a tab already nests)."""
    out: list[str] = []
    items: list[tuple[int, int]] = []  # open list items: (indent written, indent written out)
    fence: tuple[str, int] | None = None
    blank_before = True
    for line in lines:
        if fence is not None:
            match = _ANY_FENCE.match(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= fence[1]:
                if not match.group(2).strip():
                    fence = None
            out.append(line)
            continue
        if not line.strip():
            out.append(line)
            blank_before = True
            continue
        width = _indent(line)
        fence_match = _ANY_FENCE.match(line) if (width <= 3 or items) else None
        if fence_match and not (fence_match.group(1)[0] == "`" and "`" in fence_match.group(2)):
            fence = (fence_match.group(1)[0], len(fence_match.group(1)))
            out.append(line)
            blank_before = False
            continue
        item = _LIST_ITEM.match(line)
        if item and (items or width <= 3):
            target = _item_indent(items, width)
            out.append(_shift(line, width, target))
        elif items and width > 0:
            owner = next((entry for entry in reversed(items) if entry[0] < width), None)
            out.append(_shift(line, width, width + owner[1] - owner[0]) if owner else line)
        else:
            if width == 0 and blank_before:
                items.clear()  # a paragraph after a blank line ends the list
            out.append(line)
        blank_before = False
    return out


def _item_indent(items: list[tuple[int, int]], width: int) -> int:
    """Where a list item written at ``width`` goes, given the open items (updated)."""
    while items and items[-1][0] > width:
        items.pop()
    if items and (items[-1][0] == width or width < items[-1][0] + 2):
        target = items[-1][1]  # a sibling
        items[-1] = (width, target)
    elif items:
        target = items[-1][1] + NESTED_INDENT  # a child
        items.append((width, target))
    else:
        target = width  # a first-level item, as written
        items.append((width, target))
    return target


def _shift(line: str, width: int, target: int) -> str:
    if target == width or "\t" in line[: len(line) - len(line.lstrip())]:
        return line
    return " " * target + line.lstrip(" ")
