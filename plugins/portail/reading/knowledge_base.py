"""Read kb/ into the model: the catalogue, the documentation tree, the FAQ, release notes and
changelogs, information posts and synonyms.

The reader never stops at the first problem: it returns the model of what it could read and a
finding for everything it could not, each with the file and line.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ..model.findings import Finding
from ..model.kb import (
    KnowledgeBase,
)
from .catalogue import read_catalogue
from .context import ReadContext
from .documentation import read_documentation
from .faq import read_faq
from .incremental import ParseCache
from .informations import read_informations
from .releases import read_releases
from .synonyms import read_synonyms


def read_knowledge_base(
    kb_dir: Path, project_root: Path, now: datetime, cache: ParseCache | None = None
) -> tuple[KnowledgeBase, list[Finding]]:
    """Read kb/ into an immutable model; every problem met is returned as a finding. ``now``
    resolves the relative dates of information posts (« J+2 08:00 »); ``cache`` keeps parsed
    files between the rebuilds of a preview."""
    reader = ReadContext(kb_dir, project_root, cache)
    sections, products = read_catalogue(reader)
    product_documents, lines = read_documentation(reader, products)
    articles = read_faq(reader, products)
    releases, unreleased = read_releases(reader, products)
    posts = read_informations(reader, products, now)
    synonyms = read_synonyms(reader)
    shallow = reader.git.shallow_finding(reader.rel(kb_dir)) if reader.git is not None else None
    if shallow is not None:
        reader.add(shallow)
    findings = reader.findings
    if not products:
        # The catalogue's own finding says it all: one « produit inconnu » per folder and per
        # front matter would bury it.
        findings = [f for f in findings if f.code != "unknown-product"]
    if cache is not None:
        # A preview: unchanged items are the very objects of the last rebuild.
        keep = cache.intern
        sections, products = tuple(map(keep, sections)), tuple(map(keep, products))
        product_documents = tuple(map(keep, product_documents))
        lines = tuple(keep(replace(line, documents=tuple(map(keep, line.documents)))) for line in lines)
        articles, releases, posts = (
            tuple(map(keep, articles)),
            tuple(map(keep, releases)),
            tuple(map(keep, posts)),
        )
    kb = KnowledgeBase(
        root=str(kb_dir),
        sections=sections,
        products=products,
        product_documents=product_documents,
        lines=lines,
        articles=articles,
        releases=releases,
        unreleased=unreleased,
        posts=posts,
        synonyms=synonyms,
    )
    return kb, findings
