"""The writers' synonyms: ``kb/synonymes.yml``, read and checked into the model's ``Synonyms``.

```yaml
# Mots équivalents : chercher l'un trouve aussi les autres.
synonymes:
  - [échéance, expiré, expiration]
  - [perdu, oublié]
# Abréviations : chercher l'abréviation trouve aussi son développement.
abreviations:
  mdp: mot de passe
  AR: accusé de réception
```

A missing file means no synonyms and no finding. Every problem is a finding at its line:
unknown keys, a value of the wrong form, a word in two groups, an empty group or a group of
one, an abbreviation that is also in a group, an abbreviation without expansion. What can be
read is kept (the first group of a word wins), so one run lists every problem.

The JSON the searches read (``synonyms_json``) is written from the model: ``portail.model.synonyms``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.findings import Source, error, warning
from ..model.synonyms import SYNONYMS_FILE, Synonyms, fold_text

# `portail search` on an up-to-date index never reads YAML: yaml and yamlfile are imported by
# the functions that read.
if TYPE_CHECKING:
    from .context import ReadContext

_KEYS = ("synonymes", "abreviations")
_EXAMPLE = "synonymes:\n  - [perdu, oublié]\nabreviations:\n  mdp: mot de passe"

def read_synonyms(reader: ReadContext) -> Synonyms:
    """``kb/synonymes.yml`` read through ``reader`` (kb/ rules, parse cache, findings)."""
    path = reader.kb_dir / SYNONYMS_FILE
    if not path.exists() and not path.is_symlink():
        return Synonyms()
    if not reader.inside_kb(path):
        return Synonyms()
    return reader.parsed("synonyms", path, lambda: _parse(reader, path))


def _parse(reader: ReadContext, path: Path) -> Synonyms:
    from .yamlfile import YamlError, load_yaml

    rel = reader.rel(path)
    text = reader.read_text(path)
    if text is None:
        return Synonyms()
    try:
        data = load_yaml(text)
    except YamlError as exc:
        reader.add(
            error(
                Source(rel, exc.line),
                "yaml-syntax",
                exc.message,
                "Corrigez la syntaxe YAML à cette ligne (indentation par espaces, listes entre "
                "crochets `[mot, autre mot]`, `abréviation: développement`).",
            )
        )
        return Synonyms()
    checker = _Checker(rel, _group_lines(text))
    synonyms = checker.check(data)
    for finding in checker.findings:
        reader.add(finding)
    return synonyms


def check_synonyms_text(text: str, rel: str = "kb/synonymes.yml") -> tuple[Synonyms, list[Any]]:
    """The synonyms of a YAML text and the findings about it (no file: for tests and tools)."""
    from .yamlfile import YamlError, load_yaml

    try:
        data = load_yaml(text)
    except YamlError as exc:
        found = error(Source(rel, exc.line), "yaml-syntax", exc.message, "Corrigez la syntaxe YAML.")
        return Synonyms(), [found]
    checker = _Checker(rel, _group_lines(text))
    return checker.check(data), checker.findings


def _group_lines(text: str) -> list[tuple[int, list[int]]]:
    """The line of each item of ``synonymes:`` and of each of its words (YAML lists do not
    remember lines once loaded: the composed nodes do)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "synonymes" and isinstance(value, yaml.SequenceNode):
            return [
                (
                    item.start_mark.line + 1,
                    [w.start_mark.line + 1 for w in item.value] if isinstance(item, yaml.SequenceNode) else [],
                )
                for item in value.value
            ]
    return []


class _Checker:
    def __init__(self, rel: str, lines: list[tuple[int, list[int]]]) -> None:
        self.rel = rel
        self.lines = lines
        self.findings: list[Any] = []

    def at(self, line: int) -> Source:
        return Source(self.rel, line)

    def structure(self, line: int, message: str, fix: str) -> None:
        self.findings.append(error(self.at(line), "synonyms-structure", message, fix))

    def check(self, data: Any) -> Synonyms:
        from .yamlfile import LineDict

        if data is None:
            return Synonyms(source=self.rel)
        if not isinstance(data, LineDict):
            self.structure(
                getattr(data, "line", 1),
                "le fichier des synonymes doit contenir les clés « synonymes: » et « abreviations: »",
                f"Écrivez par exemple :\n{_EXAMPLE}",
            )
            return Synonyms(source=self.rel)
        for key in data:
            if key not in _KEYS:
                self.findings.append(
                    error(
                        self.at(data.line_of(key)),
                        "synonyms-unknown-key",
                        f"clé « {key} » inconnue dans le fichier des synonymes",
                        "Le fichier ne contient que `synonymes:` (listes de mots équivalents) et "
                        "`abreviations:` (abréviation: développement) ; corrigez ou supprimez cette clé.",
                    )
                )
        groups, owner = self.groups(data)
        abbreviations = self.abbreviations(data, owner)
        return Synonyms(groups, abbreviations, self.rel)

    def groups(self, data: Any) -> tuple[tuple[tuple[str, ...], ...], dict[str, int]]:
        value = data.get("synonymes")
        line = data.line_of("synonymes")
        if value is None:
            return (), {}
        if not isinstance(value, list):
            self.structure(
                line,
                "« synonymes: » doit être une liste de groupes de mots",
                "Écrivez un groupe par ligne, entre crochets : `  - [perdu, oublié]`.",
            )
            return (), {}
        groups: list[tuple[str, ...]] = []
        owner: dict[str, int] = {}  # folded word -> line of the group that keeps it
        for number, group in enumerate(value):
            group_line, word_lines = self.lines[number] if number < len(self.lines) else (line, [])
            if not isinstance(group, list):
                self.structure(
                    group_line,
                    "un groupe de synonymes doit être une liste de mots",
                    "Écrivez le groupe entre crochets, mots séparés par des virgules : `- [perdu, oublié]`.",
                )
                continue
            kept: list[str] = []
            for index, word in enumerate(group):
                word_line = word_lines[index] if index < len(word_lines) else group_line
                text = self.word(word, word_line)
                if text is None:
                    continue
                key = fold_text(text)
                if key in owner:
                    where = "plus haut dans ce groupe" if owner[key] == group_line else f"ligne {owner[key]}"
                    self.findings.append(
                        error(
                            self.at(word_line),
                            "synonyms-duplicate-word",
                            f"« {text} » est déjà dans un groupe de synonymes ({where}) : "
                            "un mot n'appartient qu'à un groupe",
                            "Fusionnez les deux groupes en un seul, ou retirez le mot de l'un d'eux.",
                            subject=key,
                        )
                    )
                    continue
                owner[key] = group_line
                kept.append(text)
            if len(kept) < 2:
                self.findings.append(
                    warning(
                        self.at(group_line),
                        "synonyms-small-group",
                        "groupe de synonymes vide" if not kept else f"groupe d'un seul mot (« {kept[0]} ») : il ne sert à rien",
                        "Ajoutez au moins un mot équivalent au groupe, ou supprimez la ligne.",
                    )
                )
                continue
            groups.append(tuple(kept))
        return tuple(groups), owner

    def word(self, word: Any, line: int) -> str | None:
        if isinstance(word, bool) or not isinstance(word, (str, int)):
            self.structure(
                line,
                f"« {word} » n'est pas un mot"
                + (" (YAML lit oui/non, on/off, yes/no comme vrai ou faux)" if isinstance(word, bool) else ""),
                "Mettez ce mot entre guillemets : `\"on\"`, ou écrivez des mots séparés par des virgules.",
            )
            return None
        text = " ".join(str(word).split())
        if not fold_text(text):
            self.structure(line, "mot vide dans un groupe de synonymes", "Supprimez la virgule en trop.")
            return None
        return text

    def abbreviations(self, data: Any, owner: dict[str, int]) -> tuple[tuple[str, str], ...]:
        from .yamlfile import LineDict

        value = data.get("abreviations")
        if value is None:
            return ()
        if not isinstance(value, LineDict):
            self.structure(
                data.line_of("abreviations"),
                "« abreviations: » doit associer chaque abréviation à son développement",
                "Écrivez une abréviation par ligne : `  mdp: mot de passe`.",
            )
            return ()
        kept: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        for abbreviation, expansion in value.items():
            line = value.line_of(abbreviation)
            text = self.word(abbreviation, line)
            if text is None:
                continue
            key = fold_text(text)
            if expansion is None or (isinstance(expansion, str) and not fold_text(expansion)):
                self.findings.append(
                    error(
                        self.at(line),
                        "synonyms-empty-expansion",
                        f"l'abréviation « {text} » n'a pas de développement",
                        f"Écrivez ce qu'elle veut dire après les deux-points : `{text}: …`, ou supprimez la ligne.",
                    )
                )
                continue
            if isinstance(expansion, bool) or not isinstance(expansion, (str, int)):
                self.structure(
                    line,
                    f"le développement de « {text} » doit être un texte",
                    f"Écrivez les mots à la suite : `{text}: mot de passe` (sans crochets).",
                )
                continue
            if key in owner:
                self.findings.append(
                    error(
                        self.at(line),
                        "synonyms-abbreviation-in-group",
                        f"l'abréviation « {text} » est aussi dans un groupe de synonymes (ligne {owner[key]})",
                        "Gardez-la à un seul endroit : dans `abreviations:` si elle abrège un mot, "
                        "sinon dans son groupe.",
                        subject=key,
                    )
                )
                continue
            if key in seen:
                self.findings.append(
                    error(
                        self.at(line),
                        "synonyms-duplicate-word",
                        f"l'abréviation « {text} » est déjà définie ligne {seen[key]} "
                        "(majuscules et accents ne comptent pas)",
                        "Gardez une seule ligne pour cette abréviation.",
                        subject=key,
                    )
                )
                continue
            seen[key] = line
            kept.append((text, " ".join(str(expansion).split())))
        return tuple(kept)
