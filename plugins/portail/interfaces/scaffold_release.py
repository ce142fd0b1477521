"""``portail new release``: the next version of a product, proposed from the model (latest
release, numbering restarts, versions in preparation) or given and checked against its line,
written as ``kb/releases/<product>/X.Y.Z.md`` or as a block of the product's CHANGELOG.md."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..checks.nomenclature import ALLOWED_EVERYWHERE, KIND_RANK, MAJOR_EXPECTS, SECTION_RULES
from ..checks.release_history import History
from ..model.contract import ReleaseKind
from ..model.findings import Source
from ..model.kb import KnowledgeBase, Product, Release, SectionKind
from ..model.versions import Version, VersionError, parse_version
from ..reading.changelog_headings import parse_heading
from ..reading.releases import CHANGELOG_NAMES
from .scaffold_files import (
    TODO,
    ScaffoldError,
    Written,
    analyse_kb,
    create_file,
    find_product,
    front_matter,
    kb_folder,
    now_paris,
    read_kb_file,
    replace_file,
    report,
    verify,
)

# What each kind of version usually says; a major also gives its migration path and
# prerequisites (nomenclature.MAJOR_EXPECTS). Sections the kind may not declare are left out.
BASE_SECTIONS = {
    ReleaseKind.PATCH: (SectionKind.FIXED,),
    ReleaseKind.MINOR: (SectionKind.ADDED, SectionKind.CHANGED, SectionKind.FIXED),
    ReleaseKind.MAJOR: (SectionKind.ADDED, SectionKind.CHANGED),
}
PLACEHOLDERS = {
    SectionKind.ADDED: "une ligne par fonctionnalité ajoutée.",
    SectionKind.CHANGED: "une ligne par fonctionnalité modifiée.",
    SectionKind.FIXED: "une ligne par anomalie corrigée, telle que les utilisateurs la constataient.",
    SectionKind.PREREQUISITES: "système, logiciels et versions requis par cette version.",
    SectionKind.MIGRATION: "les étapes pour passer de la version précédente à celle-ci.",
}
BUMPS = {"patch": ReleaseKind.PATCH, "minor": ReleaseKind.MINOR, "major": ReleaseKind.MAJOR}
_NUMBER = re.compile(r"(?<![\w.])([vV]?)[0-9]+(?:\.[0-9]+){1,3}(?:-[0-9A-Za-z.]+)?")
_LINK_TARGET = re.compile(r"\](?:\([^)]*\)|\[[^\]]*\])")
_PREFIX = re.compile(r"\([^()]*\)[ \t]*(?=[vV]?[0-9])")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_LONG_DATE = re.compile(r"\b\d{1,2}(?:er)?\s+[^\W\d_]+\.?\s+\d{4}\b")


def sections_for(kind: ReleaseKind) -> tuple[SectionKind, ...]:
    """The sections a new version of ``kind`` is written with, in display order."""
    wanted = set(BASE_SECTIONS[kind]) | (set(MAJOR_EXPECTS) if kind is ReleaseKind.MAJOR else set())
    allowed = {
        s
        for s in wanted
        if s in ALLOWED_EVERYWHERE
        or all(KIND_RANK[kind] >= KIND_RANK[r.minimum] for r in SECTION_RULES if r.section is s)
    }
    return tuple(s for s in SectionKind if s in allowed)


@dataclass(frozen=True)
class Proposal:
    version: Version
    why: str  # « corrective après 4.3.10, la dernière version publiée »


def _finals(releases: list[Release], history: History, era: int) -> list[Version]:
    return [r.version for r in releases if not r.version.is_prerelease and history.numbers.of(r) == era]


def propose(kb: KnowledgeBase, product: Product, releases: list[Release], bump: str) -> Proposal:
    """The next version of ``bump`` after the product's latest published release; a number a
    version in preparation already holds is skipped."""
    from ..pages.release_view import release_views

    latest = next((v.release for v in release_views(kb, product) if v.is_latest), None)
    if latest is None:
        raise ScaffoldError(
            f"{product.name} n'a aucune version publiée : indiquez le numéro, par exemple "
            f"`portail new release --produit {product.slug} 1.0.0`."
        )
    history = History.of(releases, product.numbering_restarts)
    base = latest.version
    kind = BUMPS[bump]
    if kind is ReleaseKind.PATCH:
        line = [v for v in _finals(releases, history, history.numbers.of(latest)) if v.line == base.line]
        version = Version(base.major, base.minor, max(line).patch + 1)
    else:
        version = parse_version(history.free_number(base, kind)).version
    why = f"{kind.label} après {base}, la dernière version publiée de {product.name}"
    skipped = sorted(
        v
        for v in history.taken
        if base < v < version
        and not v.is_prerelease
        and (v.line == base.line if kind is ReleaseKind.PATCH else v.line > base.line)
    )
    if skipped:
        why += f" ({', '.join(map(str, skipped))} déjà en préparation)"
    return Proposal(version, why)


def explicit(text: str) -> Version:
    try:
        version = parse_version(text).version
    except VersionError as problem:
        raise ScaffoldError(f"version « {text} » illisible : {problem.reason}.") from None
    if version.is_prerelease:
        raise ScaffoldError(
            f"« {text} » est une pré-version : `portail new release` écrit des versions X.Y.Z ; "
            "écrivez une pré-version à la main."
        )
    return version


def refuse(
    version: Version, releases: list[Release], history: History, candidate: Release, gap_ok: bool
) -> str:
    """A version that exists, is not above its line's latest, or leaves a gap in its line
    (unless ``gap_ok``); returns the versions skipped, when allowed."""
    existing = next((r for r in releases if r.version == version), None)
    if existing is not None:
        state = " (en préparation)" if existing.unpublished else ""
        raise ScaffoldError(f"la version {version} existe déjà{state} : {existing.source}.")
    line = [v for v in _finals(releases, history, history.numbers.of(candidate)) if v.line == version.line]
    top = max(line, default=None)
    if top is not None and version < top:
        raise ScaffoldError(
            f"la version {version} n'est pas au-dessus de la dernière version de sa ligne "
            f"{version.line} ({top}) : numérotez-la {top.major}.{top.minor}.{top.patch + 1}."
        )
    expected = top.patch + 1 if top is not None else 0
    missing = ", ".join(f"{version.major}.{version.minor}.{p}" for p in range(expected, version.patch))
    if version.patch > expected and not gap_ok:
        after = f"après {top}" if top is not None else f"la ligne {version.line} n'a encore aucune version"
        raise ScaffoldError(
            f"la version {version} laisse un trou dans sa ligne ({after} ; absente(s) : {missing}) : "
            f"numérotez-la {version.major}.{version.minor}.{expected}, ou ajoutez --unpublished-gap "
            "si ces numéros n'ont jamais été publiés."
        )
    return missing if version.patch > expected else ""


def new_release(kb_dir: Path, args: argparse.Namespace) -> None:
    from ..model.urls import release_url
    from ..reading.releases import RELEASES_DIR

    if args.version is None and args.bump is None:
        raise ScaffoldError("indiquez --patch, --minor, --major ou le numéro de la version (X.Y.Z).")
    if args.version is not None and args.bump is not None:
        raise ScaffoldError(f"indiquez soit --{args.bump}, soit le numéro {args.version}, pas les deux.")
    analysis = analyse_kb(kb_dir)
    product = find_product(analysis, args.produit)
    releases = [r for r in analysis.kb.releases if r.product == product.slug]
    today = now_paris().date()
    if args.bump is not None:
        proposal = propose(analysis.kb, product, releases, args.bump)
        version, why = proposal.version, proposal.why
    else:
        version, why = explicit(args.version), ""
    candidate = Release(product.slug, version, today, None, False, "", (), Source("", 0))
    history = History.of([*releases, candidate], product.numbering_restarts)
    skipped = refuse(version, releases, history, candidate, args.unpublished_gap)
    kind = history.kinds[version]
    folder = kb_folder(kb_dir, RELEASES_DIR, product.slug)
    changelog = next((folder / n for n in CHANGELOG_NAMES if (folder / n).exists()), None)
    if changelog is not None:
        written = _into_changelog(kb_dir, changelog, releases, history, version, kind, today)
    else:
        written = _release_file(folder, version, kind, today)
    if why:
        print(f"Version proposée : {version}, {why}.")
    if skipped:
        print(
            f"Numéros sautés, jamais publiés : {skipped}. La vérification le signale (line-gap) ; "
            "reconnaissez ce constat avec `portail check --write-baseline` et relisez la différence."
        )
    after = verify(kb_dir, analysis, written)
    release = next(r for r in after.kb.releases if r.product == product.slug and r.version == version)
    where = "Bloc de version ajouté" if changelog is not None else "Note de version écrite"
    report(
        written.path,
        release_url(release),
        f"{where} ({kind.label} {version})",
        f"Remplacez les lignes « {TODO} » ; la date est celle d'aujourd'hui, à corriger si la "
        "version sort un autre jour.",
    )


def _body(sections: tuple[SectionKind, ...], level: int) -> list[str]:
    lines: list[str] = []
    for section in sections:
        lines += [f"{'#' * level} {section.label}", "", f"- {TODO} : {PLACEHOLDERS[section]}", ""]
    return lines


def _release_file(folder: Path, version: Version, kind: ReleaseKind, today: date) -> Written:
    data = {"version": str(version), "date": today, "kind": kind.value}
    body = "\n".join(_body(sections_for(kind), 2)).rstrip("\n") + "\n"
    return create_file(folder / f"{version}.md", front_matter(data, body))


def _heading_like(heading: str, version: Version, today: date) -> str:
    """The newest version's heading with the new number and date, in its own style: level,
    brackets, ``v``, separator, ISO or French date (a link target is left out)."""
    from ..model.fr import long_date

    text = _LINK_TARGET.sub("]", heading)
    text = _PREFIX.sub("", text, count=1)  # « (Servlet)10.8.3 » is a warning: not copied
    text = _NUMBER.sub(lambda m: f"{m.group(1)}{version}", text, count=1)
    if _ISO_DATE.search(text):
        return _ISO_DATE.sub(today.isoformat(), text, count=1)
    if _LONG_DATE.search(text):
        return _LONG_DATE.sub(long_date(today), text, count=1)
    return f"{text} - {today.isoformat()}"


def _into_changelog(
    kb_dir: Path,
    changelog: Path,
    releases: list[Release],
    history: History,
    version: Version,
    kind: ReleaseKind,
    today: date,
) -> Written:
    """The new version's block above the newest version heading of the CHANGELOG.md, in the
    style of that heading; at the end of the file when it has no version yet."""
    path, before = read_kb_file(changelog, kb_dir)
    newline = "\r\n" if "\r\n" in before else "\n"
    lines = before.splitlines()
    mine = [r for r in releases if Path(r.source.path).name == changelog.name and not r.version.is_prerelease]
    newest = max(mine, key=lambda r: (history.numbers.of(r), r.version), default=None)
    index = newest.source.line - 1 if newest is not None else -1
    heading_line = parse_heading(lines[index]) if 0 <= index < len(lines) else None
    if newest is None or heading_line is None:
        block = [f"## [{version}] - {today.isoformat()}", "", *_body(sections_for(kind), 3)]
        while lines and not lines[-1].strip():
            lines.pop()
        text = newline.join([*lines, "", *block]).rstrip() + newline
        return replace_file(path, before, text)
    level = heading_line.level
    inner = [s for s in newest.sections if 0 < s.source.line <= len(lines)]
    section_heading = parse_heading(lines[inner[0].source.line - 1]) if inner else None
    section_level = section_heading.level if section_heading else min(level + 1, 6)
    heading = f"{'#' * level} {_heading_like(heading_line.text, version, today)}"
    block = [heading, "", *_body(sections_for(kind), section_level)]
    text = newline.join([*lines[:index], *block, *lines[index:]])
    return replace_file(path, before, text + (newline if before.endswith(("\n", "\r")) else ""))
