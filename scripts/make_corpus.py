#!/usr/bin/env python3
"""Write a synthetic Portail project (mkdocs.yml, docs/, kb/) of N pages, and its anchor.

Shaped like a real knowledge base (issue 10): 60 % documentation (Markdown, a few PDF
attachments with their sidecars), 26 % FAQ articles, 14 % release notes (one file per version
for most products, a CHANGELOG.md for two), 8 products in the catalogue's 3 sections, about 88
version lines at 5,000 pages (scaled with N), and information posts dated relative to the build
clock. The text is French, a few hundred words per page, drawn from bench_vocabulary.py.

The anchor (``--anchor DIR``) is a plain MkDocs + Material project built from the very same
Markdown bodies, laid out as in kb/ (so relative links resolve alike), with a 4-entry nav, the
demo's theme features and palette, no portail plugin and no search.

Deterministic: every item draws from its own generator seeded by (seed, kind, index), so an
item keeps its slug and body whatever N (the page-size test compares the same documents
across two sizes); only where it is filed (its version line) depends on N.

    python scripts/make_corpus.py --pages 1000 [--anchor /tmp/anchor] /tmp/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_vocabulary as V  # noqa: E402 - the vocabulary and the text beside this script
from bench_text import (  # noqa: E402
    bullets,
    cap,
    document_body,
    faq_body,
    noun,
    paragraph,
    release_sections,
    sentence,
    slugify,
    tiny_pdf,
    title_case_date,
)

ROOT = Path(__file__).resolve().parent.parent
LINES_AT_5000 = 88
PDF_SHARE = 0.05  # documents that are attached files rather than Markdown
PRODUCT_WIDE_SHARE = 0.1  # documents filed under the product rather than a version line
LAST_RELEASE = date(2026, 11, 10)  # before the tests' build clock (2026-11-26)


@dataclass(frozen=True)
class Product:
    slug: str
    name: str
    code: str
    section: str
    weight: float  # share of the pages: real bases are skewed towards a few products
    changelog: bool  # release notes in one CHANGELOG.md rather than one file per version
    first_major: int
    description: str


# fmt: off
PRODUCTS = (
    Product("parafeo", "Parafeo", "PF", "libriciels", 0.24, False, 3, "Parapheur électronique des collectivités."),
    Product("teletrans", "TéléTrans", "TT", "libriciels", 0.18, False, 2, "Tiers de télétransmission des actes."),
    Product("deliberis", "Délibéris", "DL", "libriciels", 0.15, True, 5, "Préparation et vote des délibérations."),
    Product("convoca", "Convoca", "CV", "libriciels", 0.10, False, 1, "Convocations dématérialisées des élus."),
    Product("flux-echanges", "Flux Échanges", "FE", "libriciels", 0.11, False, 2, "Échanges de flux et archivage."),
    Product("certiplus", "CertiPlus", "CP", "services", 0.09, False, 1, "Certificats des agents et des élus."),
    Product("messagerie", "Messagerie sécurisée", "MS", "services", 0.07, True, 4, "Courriels et SMS aux administrés."),
    Product("transverse", "Documentation transverse", "TR", "autres", 0.06, False, 1, "Postes de travail et navigateurs."),
)
# fmt: on
SECTIONS = (
    ("libriciels", "01- LES LIBRICIELS", "Les logiciels de la coopérative."),
    ("services", "02- LES SERVICES", "Les services opérés pour les adhérents."),
    ("autres", "03- AUTRES", "La documentation commune à plusieurs logiciels."),
)
WEIGHTS = [p.weight for p in PRODUCTS]


@dataclass
class Release:
    version: tuple[int, int, int]
    day: date = date.min

    @property
    def number(self) -> str:
        return "{}.{}.{}".format(*self.version)

    @property
    def kind(self) -> str:
        major, minor, patch = self.version
        return "corrective" if patch else "mineure" if minor else "majeure"


Lines = dict[str, list[list[Release]]]  # per product, its version lines, each a run of releases
Siblings = dict[str, list[tuple[str, str]]]  # per documentation folder, its Markdown (slug, title)


@dataclass
class Page:
    """One Markdown body, written into kb/ (with its front matter) and into the anchor."""

    path: str  # relative to kb/ and to the anchor's docs/
    title: str
    front: dict[str, object]
    body: str


@dataclass
class Corpus:
    pages: int
    documents: int = 0
    attachments: int = 0
    articles: int = 0
    releases: int = 0
    lines: int = 0
    posts: int = 0
    words: int = 0
    faq_paths: list[str] = field(default_factory=list)  # kb-relative, for the edit measures
    document_paths: list[str] = field(default_factory=list)


def share_out(total: int, weights: list[float], minimum: int) -> list[int]:
    """``total`` split by weights (largest remainders), each share at least ``minimum``."""
    total = max(total, minimum * len(weights))
    spare = total - minimum * len(weights)
    exact = [spare * w / sum(weights) for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [minimum + c for c in counts]


def plan_releases(pages: int, releases: int, seed: int) -> Lines:
    """Per product, its version lines X.Y in order, each a run of X.Y.0, X.Y.1… without gaps."""
    rng = random.Random(f"{seed}:lines:{pages}")
    line_counts = share_out(round(LINES_AT_5000 * pages / 5000), WEIGHTS, 1)
    lines: dict[str, list[list[Release]]] = {}
    for product, count in zip(PRODUCTS, line_counts, strict=True):
        major, minor, minors_left = product.first_major, 0, rng.randint(2, 6)
        product_lines = []
        for _ in range(count):
            product_lines.append([Release((major, minor, 0))])
            minor, minors_left = minor + 1, minors_left - 1
            if minors_left == 0:
                major, minor, minors_left = major + 1, 0, rng.randint(2, 6)
        lines[product.slug] = product_lines
    all_lines = [(p.slug, line) for p in PRODUCTS for line in lines[p.slug]]
    line_weights = [next(p.weight for p in PRODUCTS if p.slug == slug) for slug, _ in all_lines]
    for _ in range(max(0, releases - len(all_lines))):  # patches, more for the big products
        _, line = rng.choices(all_lines, line_weights)[0]
        major, minor, patch = line[-1].version
        line.append(Release((major, minor, patch + 1)))
    for product in PRODUCTS:  # dates grow with version numbers, the last one before the clock
        ordered = sorted((r for line in lines[product.slug] for r in line), key=lambda r: r.version)
        gaps = [rng.randint(6, 40) for _ in ordered]
        day = LAST_RELEASE - timedelta(days=sum(gaps) + rng.randint(0, 20))
        for release, gap in zip(ordered, gaps, strict=True):
            day += timedelta(days=gap)
            release.day = day
    return lines


def item_rng(seed: int, kind: str, index: int) -> random.Random:
    return random.Random(f"{seed}:{kind}:{index}")


def pick_product(rng: random.Random) -> Product:
    return rng.choices(PRODUCTS, WEIGHTS)[0]


def quoted(value: object) -> str:
    """A YAML scalar: JSON strings and lists are valid YAML flow scalars."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str | list) else str(value)


# -- writing ----------------------------------------------------------------------------------


def write_page(kb: Path, anchor_docs: Path | None, page: Page) -> None:
    target = kb / page.path
    target.parent.mkdir(parents=True, exist_ok=True)
    front = "".join(f"{key}: {quoted(value)}\n" for key, value in page.front.items())
    target.write_text(f"---\n{front}---\n\n{page.body}\n" if front else page.body + "\n", encoding="utf-8")
    if anchor_docs is not None:
        copy = anchor_docs / page.path
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(f"---\ntitle: {quoted(page.title)}\n---\n\n{page.body}\n", encoding="utf-8")


def write_catalogue(kb: Path) -> None:
    lines = ["# Catalogue du corpus synthétique (scripts/make_corpus.py).", "sections:"]
    for slug, title, description in SECTIONS:
        lines += [
            f"  - slug: {slug}",
            f"    title: {quoted(title)}",
            f"    description: {quoted(description)}",
        ]
        lines.append("    products:")
        for p in (p for p in PRODUCTS if p.section == slug):
            lines += [
                f"      - slug: {p.slug}",
                f"        name: {quoted(p.name)}",
                f"        code: {p.code}",
                f"        aliases: [{p.slug}-app]",
                f"        description: {quoted(p.description)}",
                f"        support_queue: SUPPORT_{p.slug.replace('-', '_')}",
            ]
    (kb / "catalogue.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_documents(
    kb: Path, anchor: Path | None, count: int, seed: int, lines: Lines, corpus: Corpus
) -> Siblings:
    """Documents, filed under the product or one of its lines; returns the Markdown ones by
    folder (``documentation/<product>/<X.Y>/``), as (slug, title), for links to them."""
    plan = []
    for i in range(count):
        rng = item_rng(seed, "document", i)
        product = pick_product(rng)
        kind, label = rng.choice(V.DOC_KINDS)
        pdf = rng.random() < PDF_SHARE
        wide = rng.random() < PRODUCT_WIDE_SHARE
        topic = f"{rng.choice(V.INFINITIVES)} {rng.choice(V.NOUNS)}"
        title = f"{label} {product.name}" if rng.random() < 0.4 else f"{label} : {topic}"
        slug = f"{slugify(title)[:50].strip('-')}-{i:05d}"
        # Where the document is filed depends on N (the number of lines does): its own draw.
        place = item_rng(seed, f"document-line-{len(lines[product.slug])}", i)
        product_lines = lines[product.slug]
        line = None if wide else product_lines[place.randrange(len(product_lines))][0]
        if line is not None:
            title += f" {line.version[0]}.{line.version[1]}" if ":" not in title else ""
        folder = f"documentation/{product.slug}/" + (f"{line.version[0]}.{line.version[1]}/" if line else "")
        plan.append((rng, product, kind, title, slug, folder, pdf))
    siblings: Siblings = {}
    for _, _, _, title, slug, folder, pdf in plan:
        if not pdf:
            siblings.setdefault(folder, []).append((slug, title))
    for i, (rng, _product, kind, title, slug, folder, pdf) in enumerate(plan):
        updated = date(2026, 1, 1) - timedelta(days=rng.randint(0, 900))
        description = sentence(rng)
        if pdf:
            path = kb / folder / f"{slug}.pdf"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(tiny_pdf(title))
            sidecar = f"title: {quoted(title)}\nkind: {kind}\ndescription: {quoted(description)}\nupdated: {updated}\n"
            (kb / folder / f"{slug}.pdf.yml").write_text(sidecar, encoding="utf-8")
            if anchor is not None:
                (anchor / folder).mkdir(parents=True, exist_ok=True)
                shutil.copy(path, anchor / folder / f"{slug}.pdf")
            corpus.attachments += 1
            continue
        body = document_body(rng)
        others = [s for s in siblings[folder] if s[0] != slug]
        if others:  # a link to a sibling, relative to the file as writers write them
            link = item_rng(seed, "document-link", i).choice(others)
            body += f"\n\nVoir aussi : [{link[1]}]({link[0]}.md)."
        front = {"title": title, "kind": kind, "description": description, "updated": updated}
        write_page(kb, anchor, Page(f"{folder}{slug}.md", title, front, body))
        corpus.documents += 1
        corpus.words += len(body.split())
        corpus.document_paths.append(f"{folder}{slug}.md")
    return siblings


def write_articles(
    kb: Path, anchor: Path | None, count: int, seed: int, lines: Lines, siblings: Siblings, corpus: Corpus
) -> None:
    by_product: dict[str, list[tuple[str, str]]] = {}
    for folder, docs in siblings.items():
        by_product.setdefault(folder.split("/")[1], []).extend((f"{folder}{s}.md", t) for s, t in docs)
    for i in range(count):
        rng = item_rng(seed, "faq", i)
        product = pick_product(rng)
        pattern = rng.randrange(3)
        if pattern == 0:
            title = f"{cap(noun(rng))} {rng.choice(V.PROBLEMS)}, que faire ?"
        elif pattern == 1:
            title = f"Comment {rng.choice(V.INFINITIVES)} {noun(rng)} ?"
        else:
            title = f"Message « {rng.choice(V.ERRORS)} » : {noun(rng)} {rng.choice(V.PROBLEMS)}"
        slug = f"{slugify(title)[:50].strip('-')}-{i:05d}"
        front: dict[str, object] = {"title": title}
        place = item_rng(seed, f"faq-refs-{len(lines[product.slug])}", i)
        if place.random() < 0.5:
            chosen = place.sample(lines[product.slug], min(len(lines[product.slug]), place.randint(1, 2)))
            front["versions"] = ["{}.{}".format(*line[0].version[:2]) for line in chosen]
        if rng.random() < 0.15:
            front["products"] = [rng.choice([p.slug for p in PRODUCTS if p != product])]
        front["tags"] = [
            n.split(" ", 1)[-1].removeprefix("l'") for n in rng.sample(V.NOUNS, rng.randint(1, 4))
        ]
        front["updated"] = date(2026, 11, 1) - timedelta(days=rng.randint(0, 1200))
        body = faq_body(rng)
        targets = by_product.get(product.slug)
        if targets:  # FAQ articles point to the manual that explains more
            path, text = place.choice(targets)
            body += f"\n\nPour aller plus loin : [{text}](../../{path})."
        write_page(kb, anchor, Page(f"faq/{product.slug}/{slug}.md", title, front, body))
        corpus.articles += 1
        corpus.words += len(body.split())
        corpus.faq_paths.append(f"faq/{product.slug}/{slug}.md")


def write_releases(kb: Path, anchor: Path | None, seed: int, lines: Lines, corpus: Corpus) -> None:
    for product in PRODUCTS:
        releases = sorted((r for line in lines[product.slug] for r in line), key=lambda r: r.version)
        corpus.lines += len(lines[product.slug])
        corpus.releases += len(releases)
        blocks = []
        for release in reversed(releases) if product.changelog else releases:
            rng = random.Random(f"{seed}:release:{product.slug}:{release.number}")
            intro = paragraph(rng, 1, 2) if rng.random() < 0.5 else ""
            level = "###" if product.changelog else "##"
            sections = "\n\n".join(
                f"{level} {name}\n\n" + "\n".join(f"- {item}" for item in items)
                for name, items in release_sections(rng, release.kind)
            )
            body = f"{intro}\n\n{sections}" if intro else sections
            corpus.words += len(body.split())
            if product.changelog:
                day = release.day.isoformat() if rng.random() < 0.7 else title_case_date(release.day)
                blocks.append(f"## [{release.number}] - {day}\n\n{body}")
                continue
            front: dict[str, object] = {"version": release.number, "date": release.day}
            if rng.random() < 0.3:
                front["kind"] = release.kind
            title = f"{product.name} {release.number}"
            write_page(kb, anchor, Page(f"releases/{product.slug}/{release.number}.md", title, front, body))
        if product.changelog:
            text = (
                "# Journal des modifications\n\n"
                + f"Les versions de {product.name}, la plus récente en tête.\n\n"
            )
            title = f"Journal des modifications de {product.name}"
            body = text + "\n\n".join(blocks)
            write_page(kb, anchor, Page(f"releases/{product.slug}/CHANGELOG.md", title, {}, body))


def write_posts(kb: Path, anchor: Path | None, count: int, seed: int, corpus: Corpus) -> None:
    """Interventions, incidents and news, dated relative to the build clock (J±n, H±n)."""
    for i in range(count):
        rng = item_rng(seed, "post", i)
        product = pick_product(rng)
        days = rng.randint(1, 400)
        kind = ("intervention", "incident", "information")[i % 3]
        front: dict[str, object] = {}
        updates: list[str] = []
        if kind == "intervention":
            title = rng.choice(V.INTERVENTION_TITLES).format(product=product.name)
            front |= {"title": title, "kind": kind}
            if i % 4 == 0:  # to come
                front |= {
                    "published": "J-2 09:00",
                    "start": f"J+{i % 9 + 1} 08:00",
                    "end": f"J+{i % 9 + 1} 12:00",
                }
            else:
                front |= {
                    "published": f"J-{days + 7} 10:00",
                    "start": f"J-{days} 20:00",
                    "end": f"J-{days} 23:00",
                }
                front["actual_end"] = f"J-{days} 22:40"
                updates = [f"J-{days} 20:05 : Début de l'intervention.", f"J-{days} 22:40 : {sentence(rng)}"]
        elif kind == "incident":
            title = rng.choice(V.INCIDENT_TITLES).format(product=product.name)
            front |= {"title": title, "kind": kind}
            if i % 10 == 1:  # still open
                front["published"] = "H-4"
                updates = [f"H-2 : {sentence(rng)}"]
            else:
                front |= {"published": f"J-{days} 09:10", "resolved": f"J-{days} 11:45"}
                updates = [
                    f"J-{days} 09:50 : {sentence(rng)}",
                    f"J-{days} 11:45 : Incident résolu. {sentence(rng)}",
                ]
        else:
            title = rng.choice(V.NEWS_TITLES).format(product=product.name)
            front |= {"title": title, "kind": kind, "label": rng.choice(V.NEWS_LABELS)}
            front["published"] = f"J-{days} 10:00"
            if days < 20:
                front["expires"] = f"J+{days} 18:00"
            if i == 2:
                front["pinned"] = True
        if rng.random() < 0.8:
            front["products"] = [product.slug]
        body = "\n\n".join(
            [paragraph(rng), *([bullets(rng)] if rng.random() < 0.4 else []), paragraph(rng, 1, 3)]
        )
        if updates:
            body += "\n\n## Mises à jour\n\n" + "\n".join(f"- {u}" for u in updates)
        slug = f"{slugify(title)[:50].strip('-')}-{i:04d}"
        write_page(kb, anchor, Page(f"informations/{slug}.md", title, front, body))
        corpus.posts += 1
        corpus.words += len(body.split())


def write_mkdocs_projects(root: Path, anchor: Path | None) -> None:
    """The portail project is the demo's mkdocs.yml and docs/; the anchor keeps the demo's
    theme (features, palette, Markdown extensions) without the plugins and with 4 nav entries."""
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", root / "docs", dirs_exist_ok=True)
    if anchor is None:
        return
    docs = anchor / "docs"
    for path, title in (
        ("index.md", "Accueil"),
        ("informations/index.md", "Informations"),
        ("faq/index.md", "FAQ"),
        ("documentation/index.md", "Documentation"),
    ):
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(f"# {title}\n\nPages du corpus de comparaison.\n", encoding="utf-8")
    (anchor / "mkdocs.yml").write_text(
        """site_name: Corpus de comparaison
site_url: http://127.0.0.1:8000/
docs_dir: docs
use_directory_urls: true
theme:
  name: material
  language: fr
  font: false
  features: [navigation.tabs, navigation.indexes, navigation.top, content.code.copy]
  palette:
    - scheme: default
      primary: indigo
      accent: indigo
# Plain Material: no portail plugin, no search (as the demo, which leaves Material's search out).
plugins: []
nav:
  - Accueil: index.md
  - Informations: informations/index.md
  - FAQ: faq/index.md
  - Documentation: documentation/index.md
# Pages outside the nav are meant to be: reached through links, as in the portal.
not_in_nav: |
  /**
validation:
  omitted_files: ignore
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
      permalink_title: Lien vers cette section
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight:
      anchor_linenums: true
  - pymdownx.inlinehilite
""",
        encoding="utf-8",
    )


def write_project(root: Path, pages: int, seed: int = 1, anchor: Path | None = None) -> Corpus:
    """Write the portail project into ``root`` (and the anchor into ``anchor``); both must not
    exist yet or be empty."""
    root.mkdir(parents=True, exist_ok=True)
    kb = root / "kb"
    kb.mkdir(exist_ok=True)
    anchor_docs = None
    if anchor is not None:
        anchor_docs = anchor / "docs"
        anchor_docs.mkdir(parents=True, exist_ok=True)
    documents = round(0.60 * pages)
    articles = round(0.26 * pages)
    releases = pages - documents - articles
    corpus = Corpus(pages)
    write_catalogue(kb)
    lines = plan_releases(pages, releases, seed)
    siblings = write_documents(kb, anchor_docs, documents, seed, lines, corpus)
    write_articles(kb, anchor_docs, articles, seed, lines, siblings, corpus)
    write_releases(kb, anchor_docs, seed, lines, corpus)
    write_posts(kb, anchor_docs, max(6, round(pages / 100)), seed, corpus)
    write_mkdocs_projects(root, anchor)
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", type=int, required=True, help="N: documents, FAQ articles and release notes"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anchor", type=Path, help="also write the plain Material anchor project here")
    parser.add_argument("root", type=Path, help="the portail project to write (mkdocs.yml, docs/, kb/)")
    args = parser.parse_args()
    corpus = write_project(args.root, args.pages, args.seed, args.anchor)
    print(
        f"{corpus.documents} documents + {corpus.attachments} fichiers joints, {corpus.articles} articles de FAQ, "
        f"{corpus.releases} notes de version sur {corpus.lines} lignes, {corpus.posts} informations, "
        f"{corpus.words} mots ({corpus.words // max(1, corpus.documents + corpus.articles + corpus.releases)} par page)."
    )


if __name__ == "__main__":
    main()
