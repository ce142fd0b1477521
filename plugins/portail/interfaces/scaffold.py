"""``portail new``: new files of kb/ that `portail check` accepts, ready to complete.

``portail new release`` (scaffold_release.py), ``new faq``, ``new info`` and ``new update``
(a dated update appended to a post). Titles and texts come from a terminal and are taken as
text: front matter is written by ``yaml.safe_dump``, a text in a Markdown body is escaped.
Nothing is opened outside kb/: every path written is resolved (links included) and must stay
inside it. After writing, kb/ is read and checked again: a file that brings a new error is
taken back (restored or removed), so a file this command leaves passes `portail check`.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from ..model.clock import in_paris
from .scaffold_files import (
    INFO_TYPES,
    MAX_TEXT,
    MAX_TITLE,
    TODO,
    ScaffoldError,
    analyse_kb,
    clean_text,
    create_file,
    find_product,
    fold,
    front_matter,
    inside,
    kb_folder,
    local_moment,
    markdown_text,
    model_item,
    now_paris,
    read_kb_file,
    replace_file,
    report,
    shown,
    slug_from_title,
    verify,
)

# ----------------------------------------------------------------------------------------------
# the command line


def add_new_parser(commands: argparse._SubParsersAction) -> None:
    """``portail new release|faq|info|update``."""
    new = commands.add_parser(
        "new",
        help="crée une note de version, un article de FAQ ou une information, ou ajoute une mise à jour",
        description=(
            "Écrit un nouveau fichier dans kb/ (ou une mise à jour d'une information), déjà "
            "conforme à `portail check`, et affiche son chemin et son adresse sur le site. "
            "Remplacez ensuite les lignes « À compléter »."
        ),
    )
    kinds = new.add_subparsers(dest="new_kind", required=True, metavar="type")

    release = kinds.add_parser(
        "release",
        help="note de version : portail new release --produit s2low --patch",
        description=(
            "Nouvelle note de version : numéro proposé d'après la dernière version du produit "
            "(--patch, --minor, --major) ou donné, date du jour, sections attendues pour ce type "
            "de version. Dans le CHANGELOG.md du produit s'il en a un, sinon dans "
            "kb/releases/<produit>/X.Y.Z.md."
        ),
    )
    release.add_argument("--produit", required=True, help="produit (identifiant du catalogue : s2low)")
    bump = release.add_mutually_exclusive_group()
    bump.add_argument(
        "--patch", dest="bump", action="store_const", const="patch", help="version corrective suivante"
    )
    bump.add_argument(
        "--minor", dest="bump", action="store_const", const="minor", help="version mineure suivante"
    )
    bump.add_argument(
        "--major", dest="bump", action="store_const", const="major", help="version majeure suivante"
    )
    release.add_argument(
        "version", nargs="?", metavar="X.Y.Z", help="numéro de la version (au lieu de --patch…)"
    )
    release.add_argument(
        "--unpublished-gap",
        action="store_true",
        help="accepte un numéro sauté dans la ligne (versions intermédiaires jamais publiées)",
    )
    _kb_option(release)

    faq = kinds.add_parser(
        "faq",
        help='article de FAQ : portail new faq --produit pastell "Titre"',
        description="Nouvel article de FAQ dans kb/faq/<produit>/, nommé d'après son titre.",
    )
    faq.add_argument("--produit", required=True, help="produit (identifiant du catalogue : pastell)")
    faq.add_argument("title", metavar="titre", help="titre de l'article, souvent une question")
    _kb_option(faq)

    info = kinds.add_parser(
        "info",
        help='information en direct : portail new info --type incident "Titre"',
        description=(
            "Nouvelle information dans kb/informations/, publiée maintenant. Une intervention "
            "demande --debut et --fin ; une actualité accepte --fin (fin d'affichage)."
        ),
    )
    info.add_argument(
        "--type",
        dest="info_type",
        required=True,
        type=_info_type,
        metavar="TYPE",
        help="intervention, incident ou actualite",
    )
    info.add_argument("title", metavar="titre", help="titre de l'information")
    info.add_argument(
        "--produit",
        dest="products",
        action="append",
        default=[],
        metavar="PRODUIT",
        help="produit concerné (répétable ; sans : tous les produits)",
    )
    info.add_argument("--debut", help="début de l'intervention, ISO 8601 : 2026-12-01T08:00 (heure de Paris)")
    info.add_argument("--fin", help="fin de l'intervention, ou fin d'affichage d'une actualité, ISO 8601")
    _kb_option(info)

    update = kinds.add_parser(
        "update",
        help='mise à jour datée d\'une information : portail new update FICHIER "Texte"',
        description=(
            "Ajoute « - <date et heure> : <texte> » à la section « Mises à jour » d'une "
            "information de kb/informations/, à l'heure actuelle."
        ),
    )
    update.add_argument("file", metavar="FICHIER", help="l'information (kb/informations/<nom>.md)")
    update.add_argument("text", metavar="texte", help="le texte de la mise à jour (une ligne)")
    _kb_option(update)


def _kb_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", default="kb", help="dossier de la base de connaissances (défaut : kb)")


def _info_type(value: str) -> str:
    folded = fold(value).lower()
    if folded not in INFO_TYPES:
        raise argparse.ArgumentTypeError(f"« {value} » : indiquez intervention, incident ou actualite")
    return folded


def run_new(args: argparse.Namespace) -> int:
    kb_dir = Path(args.kb)
    try:
        if not kb_dir.is_dir():
            raise ScaffoldError(f"dossier « {kb_dir} » introuvable (option --kb).", code=2)
        if args.new_kind == "release":
            from .scaffold_release import new_release

            new_release(kb_dir, args)
        elif args.new_kind == "faq":
            new_faq(kb_dir, args.produit, args.title)
        elif args.new_kind == "info":
            new_info(kb_dir, args)
        else:
            new_update(kb_dir, args.file, args.text)
    except ScaffoldError as refusal:
        print(f"portail : {refusal}", file=sys.stderr)
        return refusal.code
    return 0


# ----------------------------------------------------------------------------------------------
# portail new faq


def new_faq(kb_dir: Path, product_name: str, raw_title: str) -> None:
    from ..model.urls import article_url, slugify
    from ..reading.faq import FAQ_DIR

    title = clean_text(raw_title, "le titre", MAX_TITLE)
    analysis = analyse_kb(kb_dir)
    product = find_product(analysis, product_name)
    slug = slug_from_title(title)
    folder = kb_folder(kb_dir, FAQ_DIR, product.slug)
    for entry in sorted(os.listdir(folder)):
        if slugify(Path(entry).stem) == slug:
            raise ScaffoldError(
                f"« {shown(folder / entry)} » a déjà l'adresse /faq/{product.slug}/{slug}/ : "
                "complétez cet article, ou choisissez un autre titre."
            )
    today = now_paris().date()
    data = {"title": title, "tags": [], "updated": today}
    body = "\n\n".join(
        (
            f"## Symptôme\n\n{TODO} : ce que l'utilisateur constate, avec le message d'erreur exact.",
            f"## Cause\n\n{TODO} : pourquoi cela arrive.",
            f"## Solution\n\n1. {TODO} : la première étape.",
            f"## Si le problème persiste\n\nOuvrez un ticket sur la file {product.support_queue} "
            "en indiquant la version du produit et le message complet.",
        )
    )
    written = create_file(folder / f"{slug}.md", front_matter(data, body + "\n"))
    after = verify(kb_dir, analysis, written)
    article = model_item(after.kb.articles, written.path)
    report(written.path, article_url(article), "Article écrit", f"Complétez les lignes « {TODO} ».")


# ----------------------------------------------------------------------------------------------
# portail new info


def parse_iso(value: str, option: str) -> datetime:
    try:
        return in_paris(datetime.fromisoformat(value.strip()))
    except ValueError:
        raise ScaffoldError(
            f"{option} « {value} » n'est pas une date et heure ISO 8601 lisible : écrivez par exemple "
            "2026-12-01T08:00 (heure de Paris) ou 2026-12-01T08:00+01:00."
        ) from None


def new_info(kb_dir: Path, args: argparse.Namespace) -> None:
    from ..model.urls import post_url, slugify
    from ..reading.informations import INFORMATIONS_DIR

    title = clean_text(args.title, "le titre", MAX_TITLE)
    kind = INFO_TYPES[args.info_type]
    start = parse_iso(args.debut, "--debut") if args.debut is not None else None
    end = parse_iso(args.fin, "--fin") if args.fin is not None else None
    now = now_paris()
    if kind == "intervention":
        if start is None or end is None:
            raise ScaffoldError("une intervention demande son début et sa fin prévus : --debut et --fin.")
        if end <= start:
            raise ScaffoldError(
                f"--fin ({local_moment(end)}) doit être après --debut ({local_moment(start)})."
            )
    elif kind == "incident" and (start or end):
        raise ScaffoldError(
            "un incident n'a ni --debut ni --fin : il est publié maintenant ; sa résolution "
            "s'écrit `resolved:` dans le fichier, une fois connue."
        )
    elif kind == "information":
        if start is not None:
            raise ScaffoldError(
                "une actualité est publiée maintenant : pas de --debut (--fin : fin d'affichage)."
            )
        if end is not None and end <= now:
            raise ScaffoldError(
                f"--fin ({local_moment(end)}) doit être après la publication ({local_moment(now)})."
            )
    analysis = analyse_kb(kb_dir)
    products = []
    for name in args.products:
        slug = find_product(analysis, name).slug
        if slug not in products:
            products.append(slug)
    folder = kb_folder(kb_dir, INFORMATIONS_DIR)
    base = slug_from_title(title)
    taken = {slugify(Path(entry).stem) for entry in os.listdir(folder)}
    # Posts come back (a monthly maintenance): the file name takes -2, -3… while the address
    # keeps its date.
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    data: dict[str, Any] = {"title": title, "kind": kind, "published": local_moment(now)}
    if products:
        data["products"] = products
    if kind == "intervention":
        data["start"], data["end"] = local_moment(start), local_moment(end)  # type: ignore[arg-type]
    if kind == "information" and end is not None:
        data["expires"] = local_moment(end)
    body = {
        "intervention": f"{TODO} : ce qui est fait pendant l'intervention, ce qui ne sera pas "
        "accessible, et ce que les utilisateurs doivent faire ensuite.",
        "incident": f"{TODO} : les symptômes constatés, les produits touchés et le contournement "
        "s'il existe. Chaque nouvelle étape s'ajoute avec `portail new update`.",
        "information": f"{TODO} : le texte de l'information.",
    }[kind]
    written = create_file(folder / f"{slug}.md", front_matter(data, body + "\n"))
    after = verify(kb_dir, analysis, written)
    post = model_item(after.kb.posts, written.path)
    report(written.path, post_url(post), "Information écrite", f"Complétez la ligne « {TODO} ».")


# ----------------------------------------------------------------------------------------------
# portail new update


def post_file(kb_dir: Path, given: str) -> Path:
    """The post ``given`` names (a path, or a file name of kb/informations/), resolved; refused
    when it is not a Markdown file directly in kb/informations/, links followed."""
    from ..reading.informations import INFORMATIONS_DIR

    folder = (kb_dir / INFORMATIONS_DIR).resolve()
    if not inside(folder, kb_dir.resolve()):
        raise ScaffoldError(
            f"{shown(kb_dir / INFORMATIONS_DIR)}/ mène hors de {shown(kb_dir)}/ : rien n'est ouvert."
        )
    path = Path(given)
    if not path.exists() and not path.is_symlink() and "/" not in given and os.sep not in given:
        path = kb_dir / INFORMATIONS_DIR / (given if given.endswith(".md") else f"{given}.md")
    real = Path(os.path.realpath(path))
    if real.parent != folder or real.suffix.lower() != ".md":
        raise ScaffoldError(
            f"« {given} » n'est pas une information de {shown(kb_dir / INFORMATIONS_DIR)}/ "
            "(un fichier .md de ce dossier, sans lien vers ailleurs) : rien n'est ouvert."
        )
    if not real.is_file():
        raise ScaffoldError(f"« {given} » : information introuvable.")
    return real


def new_update(kb_dir: Path, given: str, raw_text: str) -> None:
    from ..model.urls import post_url
    from ..reading.informations import _UPDATES_HEADING, _fold

    text = clean_text(raw_text, "le texte de la mise à jour", MAX_TEXT)
    path = post_file(kb_dir, given)
    analysis = analyse_kb(kb_dir)
    post = model_item(analysis.kb.posts, path)
    if post is None:
        raise ScaffoldError(
            f"« {shown(path)} » n'est pas une information lisible : corrigez-la d'abord (portail check)."
        )
    path, before = read_kb_file(path, kb_dir)
    newline = "\r\n" if "\r\n" in before else "\n"
    now = now_paris()
    line = f"- {local_moment(now)} : {markdown_text(text)}"
    lines = before.splitlines()
    has_section = any(_UPDATES_HEADING.match(_fold(candidate)) for candidate in lines)
    while lines and not lines[-1].strip():
        lines.pop()
    # The section « Mises à jour » is the post's last: a new item goes at the end of the file.
    added = [line] if has_section else ["", "## Mises à jour", "", line]
    written = replace_file(path, before, newline.join([*lines, *added]) + newline)
    after = verify(kb_dir, analysis, written)
    post = model_item(after.kb.posts, path)
    count = len(post.updates) if post is not None else 0
    report(
        path,
        post_url(post),
        "Mise à jour ajoutée",
        f"{count} mise(s) à jour dans cette information ; la dernière est datée du {local_moment(now)} (heure de Paris).",
    )
