"""Declared schemas for what writers write in YAML (catalogue entries, front matter, sidecars).

A schema lists its fields once; validation turns every deviation into a finding that names the
line, so no reader module scatters ``dict.get`` calls or drops an unknown key silently.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from ..model.findings import Finding, Source, error, warning
from ..model.fr import parse_date
from .yamlfile import LineDict

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Field:
    """One key of a YAML mapping: its type, whether it is required, what it means (French)."""

    name: str
    kind: str  # "text", "slug", "date", "bool", "list", "choice", "raw"
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    example: str = ""


@dataclass(frozen=True)
class Schema:
    """The keys a mapping may hold. ``what`` names the mapping in messages (« l'en-tête »)."""

    what: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def validate(self, data: LineDict, path: str) -> tuple[dict[str, Any], list[Finding]]:
        """Return the known values (None when absent or invalid) and the findings."""
        values: dict[str, Any] = {f.name: None for f in self.fields}
        findings: list[Finding] = []
        by_name = {f.name: f for f in self.fields}
        invalid: set[str] = set()
        for key in data:
            line = data.line_of(key)
            spec = by_name.get(key) if isinstance(key, str) else None
            if spec is None:
                close = difflib.get_close_matches(str(key), self.names, n=1)
                hint = f"vouliez-vous dire « {close[0]} » ? " if close else ""
                findings.append(
                    warning(
                        Source(path, line),
                        "unknown-field",
                        f"clé « {key} » inconnue dans {self.what} : elle serait ignorée",
                        f"{hint}Clés possibles : {', '.join(self.names)}.",
                    )
                )
                continue
            value, problem = _convert(spec, data[key])
            if problem:
                findings.append(
                    error(
                        Source(path, line),
                        "invalid-field",
                        f"valeur invalide pour « {key} » dans {self.what} : {problem}",
                        f"{spec.help}" + (f" Exemple : `{spec.example}`." if spec.example else ""),
                    )
                )
                invalid.add(key)
                continue
            values[key] = value
        for spec in self.fields:
            if spec.required and values[spec.name] is None and spec.name not in invalid:
                findings.append(
                    error(
                        Source(path, data.line_of(spec.name) if spec.name in data else data.line),
                        "missing-field",
                        f"champ obligatoire « {spec.name} » absent de {self.what}",
                        f"Ajoutez la ligne `{spec.name}: …` ({spec.help})"
                        + (f" Exemple : `{spec.example}`." if spec.example else ""),
                    )
                )
        return values, findings


def _convert(spec: Field, raw: Any) -> tuple[Any, str | None]:
    if raw is None:
        return None, None
    if spec.kind == "text":
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            return None, "un texte est attendu"
        # A title or a name is one line of text: YAML folding or a pasted line break would
        # otherwise cut it in the middle of a heading or a feed entry.
        text = " ".join(str(raw).split())
        return (text or None), None
    if spec.kind == "slug":
        if not isinstance(raw, str) or not SLUG.match(raw):
            return None, f"« {raw} » n'est pas un identifiant (minuscules sans accent, chiffres, tirets)"
        return raw, None
    if spec.kind == "choice":
        if raw not in spec.choices:
            close = difflib.get_close_matches(str(raw), spec.choices, n=1)
            hint = f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
            return (
                None,
                f"« {raw} » n'est pas une valeur possible{hint} ; valeurs : {', '.join(spec.choices)}",
            )
        return raw, None
    if spec.kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date(), None
        if isinstance(raw, dt.date):
            return raw, None
        parsed = parse_date(raw) if isinstance(raw, str) else None
        if parsed is None:
            return None, f"« {raw} » n'est pas une date (AAAA-MM-JJ ou « 8 septembre 2026 »)"
        return parsed, None
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            return None, "`true` ou `false` attendu"
        return raw, None
    if spec.kind == "raw":
        return raw, None  # converted by the reader, which knows what the value means
    if spec.kind == "list":
        # A single value is a list of one: `products: pastell` means what it says.
        items = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in items):
            return None, "une liste de textes est attendue, comme [a, b]"
        words = (" ".join(str(i).split()) for i in items)
        return tuple(w for w in words if w), None
    raise ValueError(f"unknown field kind {spec.kind}")
