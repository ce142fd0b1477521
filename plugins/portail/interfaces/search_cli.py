"""``portail search`` (the whoosh index in ``.portail/index/``, brought up to date when kb/
changed; without reading kb/ when the manifest matches) and ``portail serve-search`` (the
JSON endpoint)."""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.clock import build_time
from .cli_french import fail as _error

if TYPE_CHECKING:
    # Each command imports what it needs when it runs: `portail search` on an up-to-date
    # index loads neither the readers nor the checks (nor markdown, yaml or babel).
    from ..model.kb import Product
    from ..search.index import SearchIndex, SearchResults


# Where the command line keeps the search index, under the project root (git-ignored).
INDEX_DIR = Path(".portail") / "index"


def _limit(value: str) -> int:
    _light_whoosh()
    from ..search.index import MAX_LIMIT

    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"« {value} » : indiquez un nombre entier de 1 à {MAX_LIMIT}")
    return number


def _page_type(value: str) -> str:
    _light_whoosh()
    from ..search.index import TYPES

    if value not in TYPES:
        raise argparse.ArgumentTypeError(f"type inconnu « {value} » (types : {', '.join(TYPES)})")
    return value


def _port(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"« {value} » : indiquez un port de 0 à 65535")
    return number


def _origin(value: str) -> str:
    origin = value.strip().rstrip("/")
    if not re.fullmatch(r"https?://[^/\s?#]+", origin):
        raise argparse.ArgumentTypeError(
            f"« {value} » : une origine s'écrit schéma et hôte, par exemple https://support.example.org"
        )
    return origin


def register(commands: argparse._SubParsersAction) -> None:
    """``portail search`` and ``portail serve-search``."""
    search = commands.add_parser(
        "search",
        help="cherche dans la FAQ, les notes de version, la documentation et les informations",
        description=(
            "Cherche dans la base de connaissances (index .portail/index/, mis à jour quand kb/ a "
            "changé). Code de sortie : 0 avec des résultats, 1 sans résultat, 2 si la demande "
            "est incorrecte."
        ),
    )
    search.add_argument("query", nargs="*", metavar="mots", help="les mots à chercher")
    search.add_argument("--produit", help="limiter à un produit (slug, nom ou alias : s2low, S²LOW, SL)")
    search.add_argument(
        "--type",
        type=_page_type,
        help="limiter à un type de page : faq, release, documentation ou information",
    )
    search.add_argument("--limit", type=_limit, default=5, help="nombre de résultats, de 1 à 50 (défaut : 5)")
    search.add_argument("--json", action="store_true", help="sortie JSON (sur la sortie standard seule)")
    search.add_argument("--kb", default="kb", help="dossier de la base de connaissances (défaut : kb)")

    serve = commands.add_parser(
        "serve-search",
        help="sert la recherche en HTTP (GET /api/search?q=…) et recueille les retours des lecteurs",
        description=(
            "Construit ou met à jour l'index au démarrage si kb/ a changé, puis sert "
            "GET /api/search?q=&produit=&type=&limit= en JSON, ainsi que POST /api/avis et "
            "POST /api/recherche-vide (retours des lecteurs, sans adresse IP ni cookie)."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8081, help="port d'écoute (défaut : 8081)")
    serve.add_argument(
        "--cors-origin",
        dest="cors_origins",
        type=_origin,
        action="extend",
        nargs="+",
        default=[],
        metavar="URL",
        help="origine autorisée à appeler l'API depuis un navigateur (aucune par défaut ; répétable)",
    )
    serve.add_argument("--kb", default="kb", help="dossier de la base de connaissances (défaut : kb)")
    from .feedback import DEFAULT_DIR

    serve.add_argument(
        "--donnees",
        default=str(DEFAULT_DIR),
        metavar="DOSSIER",
        help=(
            "dossier où enregistrer les retours des lecteurs (recherches sans résultat, avis sur les "
            f"articles ; base SQLite retours.sqlite3, créée au besoin) (défaut : {DEFAULT_DIR}, à côté de "
            "l'index ; en production, un dossier durable et sauvegardé, par exemple /var/lib/portail)"
        ),
    )
    serve.add_argument(
        "--sans-retours",
        action="store_true",
        help="n'enregistre rien : ni recherches sans résultat, ni avis (POST /api/avis et /api/recherche-vide répondent 404)",
    )


def _light_whoosh() -> None:
    """Before whoosh is first imported: without the standard modules it does not use."""
    from ..search.startup import light_whoosh

    light_whoosh()


def _open_index(kb_dir: Path, quiet: bool) -> tuple[tuple[Product, ...], SearchIndex] | None:
    """The catalogue's products and the search index (``.portail/index/``), brought up to date
    with kb/. When the manifest next to the index shows kb/ unchanged since the index was
    written, nothing under kb/ is opened: the products come from the manifest. Otherwise kb/
    is read again, and only the pages added, changed or removed are written to the index."""
    _light_whoosh()
    from ..search.index import SearchIndex
    from ..search.manifest import ClockProbe, clock_key, read_manifest, take_snapshot, write_manifest

    if not kb_dir.is_dir():
        _error(f"dossier « {kb_dir} » introuvable (option --kb).")
        return None
    directory = Path.cwd() / INDEX_DIR
    index = SearchIndex(directory)
    now = build_time(os.environ)
    # Before reading: an edit made while the base is read leaves a manifest that no longer
    # matches, so the next command reads again.
    snapshot = take_snapshot(kb_dir)
    manifest = read_manifest(directory)
    if manifest is not None and manifest.describes(snapshot, index.state(), now):
        return manifest.products, index

    from ..reading.knowledge_base import read_knowledge_base
    from ..search.documents import page_sources

    probe = ClockProbe.wrap(now)
    kb, _findings = read_knowledge_base(kb_dir, Path.cwd(), probe)  # `portail check` reports them
    stats = index.update(page_sources(kb), synonyms=kb.synonyms)
    state = index.state()
    if state is not None:
        clock = clock_key(now) if probe.consulted else None
        write_manifest(directory, snapshot, kb.products, state, clock)
    if stats.rebuilt and not quiet:
        print(f"Index de recherche construit : {stats.added} pages dans {INDEX_DIR}/.", file=sys.stderr)
    return kb.products, index


def run_search(args: argparse.Namespace) -> int:
    _light_whoosh()
    from ..search.index import normalize_query, product_from_text
    from ..search.product_words import understand

    try:
        query = normalize_query(" ".join(args.query))
    except ValueError as error:
        return _error(f'{error}, par exemple : portail search "mot de passe oublié" --produit pastell')
    loaded = _open_index(Path(args.kb), quiet=args.json)
    if loaded is None:
        return 2
    products, index = loaded
    product = None
    if args.produit is not None:
        product = product_from_text(args.produit, products)
        if product is None:
            known = ", ".join(p.slug for p in products)
            return _error(f"produit inconnu « {args.produit} » (produits connus : {known}).")
    meant = understand(query, product, products)
    results = index.search(meant.query, product=meant.product, type=args.type, limit=args.limit)
    if args.json:
        from .search_server import results_payload  # the endpoint's JSON, not its server

        payload = results_payload(results, products, hits_key="hits", recognised=meant)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        if meant.recognised:
            name = next(p.name for p in products if p.slug == meant.product)
            print(f"Recherche dans {name}, nommé dans la recherche (--produit pour en choisir un autre).\n")
        print_results(results, products)
    return 0 if results.hits else 1


def terminal_excerpt(excerpt_html: str) -> str:
    """An HTML excerpt as terminal text: matched words «between French quotes», entities
    decoded, no markup left."""
    text = re.sub(r"<mark>(.*?)</mark>", "«\\1»", excerpt_html)
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def print_results(results: SearchResults, products: Sequence[Product]) -> None:
    from ..search.index import TYPE_LABELS

    names = {product.slug: product.name for product in products}
    if not results.hits:
        print(f"Aucun résultat pour « {results.query} ».")
    for number, hit in enumerate(results.hits, start=1):
        products = ", ".join(names.get(slug, slug) for slug in hit.products)
        print(f"{number}. {hit.title}")
        print(f"   {TYPE_LABELS.get(hit.type, hit.type)}{' — ' + products if products else ''}")
        print(f"   {hit.url}")
        if hit.excerpt:
            print(f"   {terminal_excerpt(hit.excerpt)}")
        print()
    if results.hits:
        shown = len(results.hits)
        print(
            f"{results.total} résultat{'s' if results.total > 1 else ''}"
            f" ({shown} affiché{'s' if shown > 1 else ''})."
        )
    if results.product_counts:
        counts = ", ".join(f"{names.get(slug, slug)} {n}" for slug, n in results.product_counts.items())
        print(f"Par produit : {counts}.")
    if results.suggestion:
        print(f"Vouliez-vous dire « {results.suggestion} » ?")


def run_serve_search(args: argparse.Namespace) -> int:
    _light_whoosh()
    from .search_server import make_app
    from .waitress_server import serve

    loaded = _open_index(Path(args.kb), quiet=False)
    if loaded is None:
        return 2
    products, index = loaded
    feedback = None
    if not args.sans_retours:
        import sqlite3

        from .feedback import FeedbackStore

        try:
            feedback = FeedbackStore(Path(args.donnees), today=lambda: build_time(os.environ))
        except (OSError, sqlite3.Error) as error:
            return _error(f"impossible d'ouvrir les données des retours dans « {args.donnees} » ({error}).")
        print(f"Retours des lecteurs enregistrés dans {feedback.path} (ni IP, ni cookie).", file=sys.stderr)
    app = make_app(index, products, args.cors_origins, feedback)
    try:
        serve(app, args.host, args.port)
    except OSError as error:
        return _error(f"impossible d'écouter sur {args.host}:{args.port} ({error.strerror or error}).")
    return 0
