"""Read release notes: ``kb/releases/<product>/<X.Y.Z>.md`` (one file per version, front matter)
and ``kb/releases/<product>/CHANGELOG.md`` (a product's changelog), into one model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.findings import Finding, Source, error
from ..model.kb import Product, Release, UnreleasedNotes
from ..model.versions import Version, VersionError, parse_reference, parse_version
from .changelog import read_changelog, read_release_body
from .schema import Field, Schema
from .yamlfile import FrontMatter, LineDict, YamlError, split_front_matter

if TYPE_CHECKING:
    from .context import ReadContext

RELEASES_DIR = "releases"
CHANGELOG_NAMES = ("CHANGELOG.md", "changelog.md")
KINDS = ("majeure", "mineure", "corrective")

RELEASE_SCHEMA = Schema(
    "l'en-tête de la note de version",
    (
        Field("version", "text", "numéro X.Y.Z (par défaut : le nom du fichier)", example="4.7.11"),
        Field("date", "date", "date de mise à disposition", example="2026-10-06"),
        Field("kind", "choice", "type de version déclaré", choices=KINDS, example="corrective"),
        Field("unpublished", "bool", "`true` tant que la version n'est pas publiée", example="true"),
        Field(
            "updated",
            "date",
            "date de dernière mise à jour de la note, AAAA-MM-JJ (défaut : dernier commit)",
            example="2026-10-20",
        ),
    ),
)


def read_releases(
    context: ReadContext, products: tuple[Product, ...]
) -> tuple[tuple[Release, ...], tuple[UnreleasedNotes, ...]]:
    """Every release of kb/releases/, in file order per product; findings for the rest."""
    root = context.kb_dir / RELEASES_DIR
    if not context.inside_kb(root) or not root.is_dir():
        return (), ()
    releases: list[Release] = []
    unreleased: list[UnreleasedNotes] = []
    for folder, _ in context.product_folders(root, products):
        for path in context.listdir(folder):
            if path.name in CHANGELOG_NAMES:
                text = context.read_text(path)
                if text is None:
                    continue
                changelog = read_changelog(text, context.rel(path), folder.name)
                releases.extend(changelog.releases)
                unreleased.extend(changelog.unreleased)
                context.findings.extend(changelog.findings)
            elif path.is_file() and path.suffix.lower() == ".md":
                release = _read_release_file(context, path, folder.name)
                if release is not None:
                    releases.append(release)
            else:
                context.add(
                    error(
                        context.folder_source(path) if path.is_dir() else Source(context.rel(path), 1),
                        "release-file-name",
                        f"« {path.name} » n'est ni une note de version X.Y.Z.md ni un CHANGELOG.md : "
                        "il n'est pas publié",
                        "Nommez le fichier d'après sa version (4.7.11.md), ou déplacez-le.",
                    )
                )
    return tuple(releases), tuple(unreleased)


def _read_release_file(context: ReadContext, path: Path, product: str) -> Release | None:
    read = context.read_markdown_file(path, RELEASE_SCHEMA)
    if read is None:
        return None
    rel, front, values = read
    written = values["version"] or path.stem
    line = front.data.line_of("version") if values["version"] else 1
    try:
        version = parse_version(written).version
    except VersionError as exc:
        context.add(
            error(
                Source(rel, line),
                "release-version-invalid",
                f"version « {written} » illisible : {exc.reason} ; la note n'est pas publiée",
                "Nommez le fichier X.Y.Z.md (par exemple 4.7.11.md) ou écrivez `version: X.Y.Z`.",
            )
        )
        return None
    if values["version"] and path.stem != written:
        context.add(
            error(
                Source(rel, line),
                "release-version-mismatch",
                f"le fichier {path.name} annonce la version {written}",
                f"Renommez le fichier en {written}.md, ou corrigez `version:`.",
            )
        )
    release, body_findings = _release(values, front, Source(rel, line), product, version)
    context.findings.extend(body_findings)
    # The version as written (a pre-release keeps its spelling): part of the release's value,
    # so that a preview notices a respelling.
    return replace(release, written_version=written, updated=context.updated(path, values["updated"]))


def _release(
    values: dict[str, Any], front: FrontMatter, source: Source, product: str, version: Version
) -> tuple[Release, tuple[Finding, ...]]:
    """A release from its validated front matter and its body's sections."""
    intro, intro_line, sections, findings = read_release_body(
        front.body, source.path, front.body_line, product, version
    )
    release = Release(
        product=product,
        version=version,
        date=values["date"],
        declared_kind=values["kind"],
        unpublished=bool(values["unpublished"]),
        intro=intro,
        sections=sections,
        source=source,
        intro_line=intro_line,
    )
    return release, findings


PAGE_SCHEMA = Schema(
    "l'en-tête de la page",
    (
        Field("version", "text", "numéro X.Y.Z de la version décrite par la page", True, example="4.7.11"),
        Field(
            "product", "text", "produit de la version (si le site en documente plusieurs)", example="pastell"
        ),
        # `updated` is left to the site's pages: another site's front matter keeps its meaning.
        *(f for f in RELEASE_SCHEMA.fields[1:] if f.name != "updated"),
    ),
)


def releases_from_pages(
    pages: Iterable[tuple[str, str]], default_product: str
) -> tuple[list[Release], list[Finding]]:
    """Releases described by the Markdown pages of any site: a page whose front matter has
    ``version:`` is a release note (``product``, ``date``, ``kind``, ``unpublished`` optional);
    other pages and other front matter keys are not ours and are left alone."""
    releases: list[Release] = []
    findings: list[Finding] = []
    for path, text in pages:
        try:
            front = split_front_matter(text)
        except YamlError:
            continue  # not ours to judge: MkDocs reports broken front matter itself
        if "version" not in front.data:
            continue
        ours = LineDict()
        ours.line = front.data.line
        for key in PAGE_SCHEMA.names:
            if key in front.data:
                ours[key] = front.data[key]
                ours.key_lines[key] = front.data.line_of(key)
        values, problems = PAGE_SCHEMA.validate(ours, path)
        findings += problems
        line = ours.line_of("version")
        try:
            version = parse_reference(str(values["version"] or "")).version
        except VersionError as exc:
            findings.append(
                error(
                    Source(path, line),
                    "release-version-invalid",
                    f"version « {values['version']} » illisible : {exc.reason}",
                    "Écrivez `version: X.Y.Z` (par exemple 4.7.11).",
                )
            )
            continue
        product = values["product"] or default_product
        release, body_findings = _release(values, front, Source(path, line), product, version)
        findings += body_findings
        releases.append(release)
    return releases, findings
