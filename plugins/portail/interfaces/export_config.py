"""The configuration side of ``portail generate``: what the site's mkdocs.yml says (read
without MkDocs), and the ready configurations of the export, ``mkdocs.yml`` (no portail
plugin) and ``zensical.toml``, with the theme settings the build adds."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..checks.portail_links import ConfigError, config_targets, read_config
from .export_files import Options, theme_extra

PLUGIN, NOMENCLATURE = "portail", "nomenclature"
# Settings that name folders of the project, not of the export.
_PROJECT_PATHS = ("docs_dir", "site_dir", "plugins", "nav", "watch")


@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag MkDocs resolves (``!ENV``, ``!!python/name:``), kept as written."""

    tag: str
    value: Any


class _KeepTags(yaml.SafeLoader):
    pass


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        value: Any = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return Tagged(node.tag, value)


_KeepTags.add_multi_constructor("!", _tagged)
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


@dataclass
class Site:
    """A site's settings as the build reads them."""

    root: Path
    raw: dict[str, Any]  # mkdocs.yml as written (tags kept)
    docs_dir: Path
    kb_dir: Path
    custom_dir: Path | None
    targets: dict[str, str]
    options: Options
    home_pages: list[str]
    exclude_docs: str
    nomenclature_product: str | None  # the nomenclature plugin's product, None without it
    nav: Any = None
    extra_css: list[Any] = field(default_factory=list)
    extra_javascript: list[Any] = field(default_factory=list)


def read_site(config_file: Path) -> Site:
    """The settings of ``config_file``; ConfigError (French) when the build could not run."""
    plain = read_config(config_file)
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_KeepTags)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:  # read_config read it: not reached in practice
        raise ConfigError(f"{config_file} : YAML illisible") from exc
    targets = config_targets(config_file)
    if targets is None:
        raise ConfigError(f"{config_file} : pas de plugin portail, rien à générer.")
    plugins = _plugins(plain.get("plugins"))
    options = plugins.get(PLUGIN) or {}
    if plain.get("use_directory_urls", True) is not True:
        raise ConfigError("les adresses du portail exigent `use_directory_urls: true`.")
    root = config_file.resolve().parent
    theme = plain.get("theme") if isinstance(plain.get("theme"), dict) else {}
    custom = theme.get("custom_dir")
    site_url = str(plain.get("site_url") or "")
    if not site_url:
        raise ConfigError("`site_url` est nécessaire dans mkdocs.yml (adresses absolues des flux Atom).")
    vendor = (plain.get("extra") or {}).get("vendor") or {}
    nomenclature = plugins.get(NOMENCLATURE) if NOMENCLATURE in plugins else None
    return Site(
        root=root,
        raw=raw,
        docs_dir=(root / str(plain.get("docs_dir") or "docs")).resolve(),
        kb_dir=(root / str(options.get("kb_dir") or "kb")).resolve(),
        custom_dir=(root / str(custom)).resolve() if custom else None,
        targets=targets,
        options=Options(
            site_url=site_url,
            vendor=str(vendor.get("name") or plain.get("site_name") or ""),
            endpoint_url=str(options.get("endpoint_url") or ""),
            writers_guide=options.get("writers_guide") is True,
        ),
        home_pages=[str(p) for p in options.get("home_pages") or []],
        exclude_docs=str(plain.get("exclude_docs") or ""),
        nomenclature_product=(
            str((nomenclature or {}).get("product") or "produit") if NOMENCLATURE in plugins else None
        ),
        nav=plain.get("nav"),
        extra_css=list(raw.get("extra_css") or []),
        extra_javascript=list(raw.get("extra_javascript") or []),
    )


def _plugins(value: Any) -> dict[str, dict[str, Any]]:
    """``plugins`` written as a list of names or one-key mappings, or as a mapping."""
    entries = value.items() if isinstance(value, dict) else []
    if isinstance(value, list):
        entries = [
            (e, {}) if isinstance(e, str) else next(iter(e.items()))
            for e in value
            if isinstance(e, str) or (isinstance(e, dict) and len(e) == 1)
        ]
    return {str(name): options if isinstance(options, dict) else {} for name, options in entries}


def export_config(site: Site, nav: Any, overrides: str | None) -> dict[str, Any]:
    """The export's configuration: the site's own, its paths made the export's, without the
    portail and nomenclature plugins (their work is done: pages are files), with what the build
    adds (theme layer, feeds, assets, navigation)."""
    config = {k: copy.deepcopy(v) for k, v in site.raw.items() if k not in _PROJECT_PATHS}
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    others = [
        entry
        for entry in (site.raw.get("plugins") or [])
        if (entry if isinstance(entry, str) else next(iter(entry), None)) not in (PLUGIN, NOMENCLATURE)
    ]
    if isinstance(site.raw.get("plugins"), dict):
        others = [{k: v} for k, v in site.raw["plugins"].items() if k not in (PLUGIN, NOMENCLATURE)]
    config["plugins"] = others  # an empty list: no search plugin either (Pagefind is the search)
    config["nav"] = nav
    theme = dict(config.get("theme") or {})
    if overrides:
        theme["custom_dir"] = overrides
    else:
        theme.pop("custom_dir", None)
    config["theme"] = theme
    extra_css, extra_js = list(site.extra_css), list(site.extra_javascript)
    extra = dict(config.get("extra") or {})
    extra.update(theme_extra(extra_css, extra_js))
    config["extra"], config["extra_css"], config["extra_javascript"] = extra, extra_css, extra_js
    return config


def mkdocs_yml(config: dict[str, Any]) -> str:
    head = "# Written by `portail generate`: the site's pages as files, no portail plugin.\n"
    return head + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def zensical_toml(config: dict[str, Any]) -> str:
    """The same configuration as ``[project]`` of zensical.toml (tagged values as written)."""
    project = dict(config)
    project.pop("plugins", None)  # Zensical runs no MkDocs plugin
    extensions = project.pop("markdown_extensions", None) or []
    project["markdown_extensions"] = {
        (e if isinstance(e, str) else next(iter(e))): (
            {} if isinstance(e, str) else next(iter(e.values())) or {}
        )
        for e in extensions
    }
    head = "# Written by `portail generate`: `zensical build` in this folder.\n"
    return head + "\n".join(_table("project", project)) + "\n"


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: Any) -> str:
    text = str(key)
    return text if _BARE.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, Tagged):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"  {_value(item)},\n" for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _table(name: str, data: dict[str, Any]) -> list[str]:
    lines = [f"[{name}]"]
    tables = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict) and not isinstance(value, Tagged):
            tables.append((f"{name}.{_key(key)}", value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for sub, value in tables:
        lines += ["", *_table(sub, value)]
    return lines
