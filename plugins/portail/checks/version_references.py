"""Cross-references to versions: every version named elsewhere in kb/ (a documentation folder
X.Y, a document's version, an article's ``versions``) must exist among the product's release
notes (``doc-line-without-release``, ``unknown-version``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model.findings import Finding, error
from ..model.kb import KnowledgeBase
from ..model.versions import LineNumber, Precision, Version, VersionError, VersionReference, parse_reference
from .nomenclature import releases_by_product


def check_references(kb: KnowledgeBase) -> Iterator[Finding]:
    """Every version named elsewhere in kb/ must exist among the product's release notes."""
    releases = releases_by_product(kb.releases)
    lines = {p: {r.version.line for r in rs} for p, rs in releases.items()}
    versions = {p: {r.version for r in rs} for p, rs in releases.items()}
    codes = [p.code for p in kb.products]
    for line in kb.lines:
        if line.number not in lines.get(line.product, set()):
            yield error(
                line.source,
                "doc-line-without-release",
                f"le dossier de documentation {line.number} de « {line.product} » ne correspond à "
                "aucune version publiée, en préparation ou pré-version",
                f"Ajoutez la note de version (kb/releases/{line.product}/{line.number}.0.md par exemple), "
                "ou corrigez le nom du dossier.",
                subject=str(line.number),
            )
    for document in kb.documents:
        if document.version is None:
            continue
        known = versions.get(document.product, set())
        if not any(str(v) == document.version for v in known):
            yield error(
                document.source,
                "unknown-version",
                f"le document « {document.title} » est rangé sous la version {document.version}, "
                f"qui n'a pas de note de version",
                "Rangez-le dans le dossier de sa ligne X.Y, ou ajoutez la note de version.",
                subject=document.version,
            )
    for article in kb.articles:
        for written in article.versions:
            try:
                reference = parse_reference(written, codes)
            except VersionError:
                continue  # the reader already reported it
            if not any(
                _exists(reference, lines.get(p, set()), versions.get(p, set())) for p in article.products
            ):
                names = ", ".join(article.products)
                yield error(
                    article.versions_source,
                    "unknown-version",
                    f"la version « {written} » de l'article n'existe pas pour {names}",
                    "Citez une ligne (X.Y) ou une version (X.Y.Z) qui a une note de version.",
                    subject=written,
                )


def _exists(reference: VersionReference, lines: set[LineNumber], versions: set[Version]) -> bool:
    if reference.precision is Precision.RELEASE:
        return reference.version in versions
    if reference.precision is Precision.LINE:
        return reference.version.line in lines
    return any(line.major == reference.version.major for line in lines)
