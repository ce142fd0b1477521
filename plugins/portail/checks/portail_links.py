"""Links to configured places in hand-written pages: ``[Déposer un ticket](portail:ticket)``.

The ticket application and the tools live at addresses each deployment configures
(mkdocs.yml); pages name them by key and the build writes the address in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..model.findings import Finding, Source, error

# Wherever it is written: inline or reference Markdown links, titles, raw HTML attributes.
LINK = re.compile(r"portail:([A-Za-z0-9/_.-]*[A-Za-z0-9_-])")
# The names a page may use whatever the configuration: without mkdocs.yml, only their form
# can be checked.
WELL_FORMED = re.compile(r"ticket|outil/[A-Za-z0-9_.-]+")
PLUGIN = "portail"


def link_targets(ticket_url: str, tools: Mapping[str, str]) -> dict[str, str]:
    """Keys pages may link to: ``ticket`` and ``outil/<name>``."""
    targets = {f"outil/{name}": url for name, url in tools.items()}
    if ticket_url:
        targets["ticket"] = ticket_url
    return targets


def check_links(source: str, path: str, targets: Mapping[str, str]) -> list[Finding]:
    """Every ``portail:`` link of a page's source that names no configured target."""
    findings = []
    for number, line in enumerate(source.splitlines(), start=1):
        for match in LINK.finditer(line):
            if match.group(1) not in targets:
                findings.append(unknown_target(Source(path, number), match.group(1), targets))
    return findings


def unknown_target(source: Source, name: str, targets: Mapping[str, str] | None) -> Finding:
    """``portail:<name>`` that the configuration does not know; ``targets`` None: there is no
    configuration to ask (``portail check`` without mkdocs.yml), only the form is wrong."""
    if targets is None:
        return error(
            source,
            "unknown-link-target",
            f"lien « portail:{name} » mal formé : un lien portail: s'écrit portail:ticket ou "
            "portail:outil/<nom>",
            "Écrivez portail:ticket ou portail:outil/<nom d'un outil des options `tools` du plugin "
            "portail dans mkdocs.yml>.",
        )
    known = ", ".join(f"portail:{k}" for k in sorted(targets)) or "aucune"
    return error(
        source,
        "unknown-link-target",
        f"lien « portail:{name} » vers une adresse non configurée",
        f"Utilisez une adresse configurée ({known}), ou ajoutez-la aux options du "
        "plugin portail dans mkdocs.yml (`ticket_url`, `tools`).",
    )


def is_known(name: str, targets: Mapping[str, str] | None) -> bool:
    """Whether ``portail:<name>`` is accepted: configured, or well formed when nothing is."""
    return WELL_FORMED.fullmatch(name) is not None if targets is None else name in targets


class ConfigError(Exception):
    """mkdocs.yml cannot be read; the message is in French."""


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running it: MkDocs' own tags (``!ENV``, ``!relative``,
    ``!!python/name:…``) become plain values instead of stopping the reading."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # !ENV NAME or !ENV [NAME, OTHER, default]: the first variable set, else the default.
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    names = [str(item) for item in loader.construct_sequence(node)]  # type: ignore[arg-type]
    for name in names[:-1] if len(names) > 1 else names:
        if name in os.environ:
            return os.environ[name]
    return names[-1] if len(names) > 1 else None


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TolerantLoader.add_constructor("!ENV", _env)
_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def read_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as values, without MkDocs (``!ENV`` resolved, other tags as plain values);
    raises ConfigError (French)."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506 - safe loader
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_file} illisible ({exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{config_file}{where} : YAML illisible ({getattr(exc, 'problem', exc)})") from exc
    return config if isinstance(config, dict) else {}


def config_targets(config_file: Path) -> dict[str, str] | None:
    """The ``portail:`` targets mkdocs.yml configures (options of the ``portail`` plugin), the
    same the build uses; None when the site does not use the plugin. Raises ConfigError."""
    config = read_config(config_file)
    plugins = config.get("plugins") if isinstance(config, dict) else None
    options: Any = None
    if isinstance(plugins, dict):  # plugins written as a mapping: {portail: {...}}
        if PLUGIN not in plugins:
            return None
        options = plugins[PLUGIN]
    elif isinstance(plugins, list):  # a list of names, or of one-key mappings
        for entry in plugins:
            if entry == PLUGIN:
                break
            if isinstance(entry, dict) and PLUGIN in entry:
                options = entry[PLUGIN]
                break
        else:
            return None
    else:
        return None
    options = options if isinstance(options, dict) else {}
    ticket_url = options.get("ticket_url") or ""
    tools = options.get("tools") or {}
    if not isinstance(tools, dict):
        raise ConfigError(
            f"{config_file} : l'option `tools` du plugin portail n'est pas une liste nom: adresse"
        )
    return link_targets(str(ticket_url), {str(k): str(v) for k, v in tools.items()})


def resolve_links(markdown: str, targets: Mapping[str, str]) -> str:
    """The Markdown with each known ``portail:`` link replaced by its address."""

    return LINK.sub(lambda match: targets.get(match.group(1), match.group(0)), markdown)
