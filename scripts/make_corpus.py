#!/usr/bin/env python3
"""Write a synthetic Portail project (mkdocs.yml, docs/, kb/) with N documents.

Used by the page-size test and the build benchmark: the documents are spread over products
and version lines like a real knowledge base, with realistic Markdown bodies.

    python scripts/make_corpus.py --documents 1000 /tmp/corpus
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PRODUCTS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
LINES = ("1.0", "1.1", "2.0", "2.1", "3.0")
KINDS = (
    "manuel-utilisateur",
    "manuel-administrateur",
    "manuel-installation",
    "pre-requis",
    "fiche-reflexe",
    "documentation-api",
)
WORDS = (
    "paramétrage connecteur certificat signature dossier circuit utilisateur collectivité "
    "télétransmission acte bordereau archivage serveur sauvegarde navigateur délégation "
    "métadonnée configuration journal erreur réseau pare-feu installation version"
).split()


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def write_project(root: Path, documents: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    kb = root / "kb"
    (kb / "documentation").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "a-propos.md").write_text("# Corpus de test\n\nSite généré.\n", encoding="utf-8")
    catalogue = ["sections:", "  - slug: libriciels", '    title: "01- LES LIBRICIELS"', "    products:"]
    for slug in PRODUCTS:
        catalogue += [
            f"      - slug: {slug}",
            f"        name: {slug.capitalize()}",
            f"        code: {slug[:2].upper()}",
            f"        description: Produit de test {slug}.",
            f"        support_queue: SUPPORT_{slug}",
        ]
    catalogue += [
        "  - slug: services",
        '    title: "02- LES SERVICES"',
        "    products: []",
        "  - slug: autres",
        '    title: "03- AUTRES"',
        "    products: []",
    ]
    (kb / "catalogue.yml").write_text("\n".join(catalogue) + "\n", encoding="utf-8")
    for index in range(documents):
        product = PRODUCTS[index % len(PRODUCTS)]
        line = LINES[(index // len(PRODUCTS)) % len(LINES)]
        folder = kb / "documentation" / product / line
        folder.mkdir(parents=True, exist_ok=True)
        kind = KINDS[index % len(KINDS)]
        body = ["## Présentation", "", paragraph(rng, 60), ""]
        for section in range(3):
            body += [f"## Étape {section + 1}", "", paragraph(rng, 80), "", paragraph(rng, 40), ""]
        (folder / f"document-{index:05d}.md").write_text(
            "---\n"
            f"title: Document {index} de {product} {line}\n"
            f"kind: {kind}\n"
            f"description: {paragraph(rng, 12)}\n"
            "updated: 2026-01-15\n"
            "---\n" + "\n".join(body),
            encoding="utf-8",
        )
    for product in PRODUCTS:
        folder = kb / "releases" / product
        folder.mkdir(parents=True, exist_ok=True)
        for month, line in enumerate(LINES, start=1):
            major = line.endswith(".0")  # 1.0.0, 2.0.0, 3.0.0: majors need migration and prerequisites
            sections = (
                "## Migration\n\n- Sauvegarder.\n\n## Prérequis\n\n- Debian 12.\n"
                if major
                else "## Ajouts\n\n- Une fonction.\n"
            )
            (folder / f"{line}.0.md").write_text(
                f"---\ndate: 2025-{month:02d}-01\n---\n\n{sections}", encoding="utf-8"
            )
    (root / "mkdocs.yml").write_text(
        "site_name: Corpus\n"
        "site_url: http://127.0.0.1:8000/\n"
        "docs_dir: docs\n"
        "theme:\n  name: material\n  language: fr\n"
        "  features: [navigation.tabs, navigation.indexes]\n"
        "plugins:\n  - portail:\n      kb_dir: kb\n"
        "markdown_extensions: [admonition, attr_list, md_in_html, toc]\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("root", type=Path)
    args = parser.parse_args()
    write_project(args.root, args.documents, args.seed)


if __name__ == "__main__":
    main()
