"""YAML that remembers lines: catalogue files, sidecars and Markdown front matter.

Every mapping read here is a :class:`LineDict` that knows the line of each key, so that a
finding can point a writer at the exact line to fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 1

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YamlError(Exception):
    """A YAML text that cannot be read; ``line`` is 1-based in the YAML text itself."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _LineLoader(yaml.SafeLoader):
    pass


# libyaml's parser (shipped in PyYAML's wheels) reads a text ten times faster than the Python
# one, with the same constructors below. A text it refuses is parsed again by the Python loader,
# whose error messages (the ones translated below) the findings quote.
_FastLineLoader: type[Any] | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastLineLoader(yaml.CSafeLoader):  # type: ignore[no-redef, name-defined]
        pass


_LOADERS: tuple[type[Any], ...] = (_LineLoader,) + ((_FastLineLoader,) if _FastLineLoader else ())

# Writers write versions bare (`versions: [4.7, 4.10]`): read as floats, 4.10 would become 4.1.
# No field of ours is a float, so plain scalars that look like floats stay text.
for _loader in _LOADERS:
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:float"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    data = LineDict()
    data.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            # `[brouillon]: true` makes a list a key: no field of ours can be that.
            raise YamlError(line, "clé invalide (une clé est un mot, pas une liste ni un dictionnaire)")
        if key in data:
            # YAML keeps the last value of a repeated key: the first one would vanish silently.
            raise YamlError(line, f"la clé « {key} » est écrite deux fois")
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line
    return data


for _loader in _LOADERS:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # `2026-13-45` looks like a date to YAML but is none: keep the text, the schema reports it.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


for _loader in _LOADERS:
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(text: str) -> Any:
    """Parse YAML text; mappings become :class:`LineDict`. Raises :class:`YamlError`. Inside
    :func:`remembered`, a text parsed by an earlier run is decoded from its cache instead."""
    if _memo is not None:
        return _memo.load(text)
    return _parse(text)


def _parse(text: str) -> Any:
    if _FastLineLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a SafeLoader subclass
        except YamlError:
            raise
        except yaml.YAMLError:
            pass  # the Python loader below says what is wrong, in the words translated here
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "syntaxe invalide"
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and _UNCLOSED.search(exc.context or ""):
            # An unclosed quote or bracket is found at the end of the file: the writer must
            # look where it was opened.
            mark = exc.context_mark
            what = "guillemet" if "quoted" in (exc.context or "") else "crochet ou accolade"
            problem = f"{what} ouvert à cette ligne et jamais fermé"
        line = mark.line + 1 if mark is not None else 1
        opened = _unclosed_quote_line(text, line)
        if opened is not None:
            # A quote left open swallows the lines below it up to the next quote: YAML stumbles
            # there, but the line to fix is the one that opened it.
            line, problem = opened, "guillemet ouvert à cette ligne et jamais fermé"
        raise YamlError(line, f"YAML invalide : {_french_problem(problem)}") from exc
    except yaml.YAMLError as exc:
        raise YamlError(1, f"YAML invalide : {exc}") from exc


_UNCLOSED = re.compile(r"quoted scalar|flow (sequence|mapping)")
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s"'#][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote_line(text: str, upto: int) -> int | None:
    """The first line before ``upto`` whose value opens a quote it does not close."""
    for number, line in enumerate(text.splitlines()[:upto], start=1):
        match = _QUOTED_VALUE.match(line)
        if match is None:
            continue
        quote, rest = match.groups()
        body = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in body:
            return number
    return None


def _french_problem(problem: str) -> str:
    known = {
        "mapping values are not allowed here": "« : » inattendu (une valeur contenant « : » doit être entre guillemets)",
        "could not find expected ':'": "« : » attendu après la clé",
        "found character '\\t' that cannot start any token": "tabulation interdite (utilisez des espaces)",
        "found unexpected end of stream": "fin de texte inattendue (guillemet ou crochet non fermé ?)",
        "expected <block end>, but found '<block mapping start>'": "indentation incohérente",
        "expected <block end>, but found '<block sequence start>'": "indentation incohérente",
    }
    return known.get(problem, problem)


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its front matter and body."""

    data: LineDict
    body: str
    body_line: int  # line of the file where the body starts (1-based)


FRONT_MATTER_FENCE = "---"


def split_front_matter(text: str) -> FrontMatter:
    """Split ``---`` front matter from a Markdown text. Lines in errors are lines of the file.

    A file without front matter has empty data. Raises :class:`YamlError` when the front matter
    is not closed or is not a mapping.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != FRONT_MATTER_FENCE:
        return FrontMatter(LineDict(), text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FRONT_MATTER_FENCE:
            break
    else:
        raise YamlError(1, "l'en-tête ouvert par « --- » n'est jamais fermé")
    yaml_text = "".join(lines[1:index])
    try:
        data = load_yaml(yaml_text) if yaml_text.strip() else LineDict()
    except YamlError as exc:
        raise YamlError(exc.line + 1, exc.message) from exc
    if data is None:
        data = LineDict()
    if not isinstance(data, LineDict):
        raise YamlError(2, "l'en-tête doit être une liste de clés « clé: valeur »")
    _shift_lines(data, 1)
    return FrontMatter(data, "".join(lines[index + 1 :]), index + 2)


def _shift_lines(data: LineDict, offset: int, done: set[int] | None = None) -> None:
    # A YAML alias (*ancre) shares one mapping between several places: shift it once.
    done = set() if done is None else done
    if id(data) in done:
        return
    done.add(id(data))
    data.line += offset
    data.key_lines = {key: line + offset for key, line in data.key_lines.items()}
    for value in data.values():
        if isinstance(value, LineDict):
            _shift_lines(value, offset, done)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, LineDict):
                    _shift_lines(item, offset, done)


# -- Parses kept between runs ------------------------------------------------------------------
# Pure-Python YAML takes about a millisecond per front matter: seconds for a base of thousands
# of files, at every `portail check` and build. Results are kept on disk by the digest of the
# YAML text itself (exact, whatever the file's dates), as JSON (data, never code).

MEMO_FILE = "yaml.json"
MEMO_VERSION = 1


class YamlMemo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == MEMO_VERSION and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError, AttributeError):
            pass  # none yet, or unreadable: parsed again
        self.used: dict[str, Any] = {}
        self.changed = False

    def load(self, text: str) -> Any:
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        encoded = self.entries.get(key)
        if encoded is None:
            try:
                value = _parse(text)
                encoded = _encode(value)
            except YamlError as exc:
                encoded = {"e": [exc.line, exc.message]}
            except TypeError:  # a value JSON cannot hold (!!binary, !!set): not kept
                return _parse(text)
            self.changed = True
        self.used[key] = encoded
        if isinstance(encoded, dict) and "e" in encoded:
            raise YamlError(int(encoded["e"][0]), str(encoded["e"][1]))
        return _decode(encoded)

    def save(self) -> None:
        """Keep the texts of this run only (the memo follows the base), written atomically."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            payload = {"version": MEMO_VERSION, "entries": self.used}
            temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only project still builds, without the memo


_memo: YamlMemo | None = None


@contextmanager
def remembered(cache_dir: Path | None) -> Iterator[None]:
    """Parse YAML through the memo of ``cache_dir`` (none: parse everything) while inside."""
    global _memo
    if cache_dir is None:
        yield
        return
    previous, _memo = _memo, YamlMemo(cache_dir / MEMO_FILE)
    try:
        yield
        _memo.save()
    finally:
        _memo = previous


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, LineDict):
        items = [[_encode(key), value.key_lines.get(key), _encode(item)] for key, item in value.items()]
        return {"m": items, "l": value.line}
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    raise TypeError(type(value).__name__)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "m" in value:
        data = LineDict()
        data.line = value["l"]
        for key, line, item in value["m"]:
            key = _decode(key)
            data[key] = _decode(item)
            if line is not None:
                data.key_lines[key] = line
        return data
    if "t" in value:
        return datetime.fromisoformat(value["t"])
    return date.fromisoformat(value["d"])
