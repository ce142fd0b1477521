"""The ``portail`` command: ``portail check`` lists every finding of the knowledge base,
``portail search`` searches it from a terminal, ``portail serve-search`` serves the search
endpoint."""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import json
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .clock import build_time

if TYPE_CHECKING:
    # Each command imports what it needs when it runs: `portail search` on an up-to-date
    # index loads neither the readers nor the checks (nor markdown, yaml or babel).
    from .load import Analysis
    from .model import Product
    from .search import SearchIndex, SearchResults

# Where the command line keeps the search index, under the project root (git-ignored).
INDEX_DIR = Path(".portail") / "index"

# ----------------------------------------------------------------------------------------------
# A French command line. argparse takes every text of its own (« usage: », « options: »,
# errors) through gettext's ``_`` and ``ngettext`` at the moment it needs it; our parser lends
# it a French catalogue for the duration of its own calls only (construction, parsing, help,
# errors), then gives back gettext: other parsers of the process are untouched. The catalogue
# covers the texts of Python 3.11 to 3.14; a text it lacks stays as gettext gives it.

_ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    # Section titles: argparse adds the colon, French puts a space before it.
    "positional arguments": "arguments positionnels ",
    "options": "options ",
    "optional arguments": "options ",
    "subcommands": "sous-commandes ",
    "show this help message and exit": "affiche cette aide et quitte",
    "show program's version number and exit": "affiche la version du programme et quitte",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s : avertissement : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix « %(value)s » invalide (choix possibles : %(choices)s)",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "choix « %(value)s » invalide, vouliez-vous dire « %(closest)s » ? (choix possibles : %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valeur « %(value)s » invalide (%(type)s attendu)",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur « %s » ignorée",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "unexpected option string: %s": "option inattendue : %s",
    "cannot have multiple subparser arguments": "un seul groupe de sous-commandes est possible",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande « %(parser_name)s » inconnue (choix possibles : %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    'argument "-" with mode %r': "argument « - » en mode %r",
    "option '%(option)s' is deprecated": "l'option « %(option)s » est dépréciée",
    "command '%(parser_name)s' is deprecated": "la commande « %(parser_name)s » est dépréciée",
    "argument '%(argument_name)s' is deprecated": "l'argument « %(argument_name)s » est déprécié",
}
_ARGPARSE_FR_PLURALS = {
    "expected %s argument": ("%s valeur attendue", "%s valeurs attendues"),
    "conflicting option string: %s": ("option en double : %s", "options en double : %s"),
}


@contextlib.contextmanager
def _argparse_in_french() -> Iterator[None]:
    """argparse's ``_`` and ``ngettext`` answer in French inside the block (re-entrant)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return _ARGPARSE_FR.get(message) or saved[0](message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        forms = _ARGPARSE_FR_PLURALS.get(singular)
        if forms is None:
            return saved[1](singular, plural, count)
        return forms[0] if count <= 1 else forms[1]  # French: 0 and 1 are singular

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own texts are French (its subcommands' parsers are of its class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _argparse_in_french():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with _argparse_in_french():
            return super().add_subparsers(**kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with _argparse_in_french():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _argparse_in_french():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with _argparse_in_french():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_french():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _argparse_in_french():
            super().error(message)


def _quiet_when_stdout_closes(
    command: Callable[[list[str] | None], int],
) -> Callable[[list[str] | None], int]:
    """A reader that stops early (``portail check --format json | head -1``) ends the command
    quietly: no BrokenPipeError traceback, and the exit code a shell gives a command stopped by
    its pipe (128 + SIGPIPE)."""

    @functools.wraps(command)
    def quiet(argv: list[str] | None = None) -> int:
        try:
            status = command(argv)
            sys.stdout.flush()  # the end of the output is written here, while we can still catch it
            return status
        except BrokenPipeError:
            # Python flushes stdout again at exit: point it at /dev/null so that flush succeeds.
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            return 128 + signal.SIGPIPE

    return quiet


def _git_ref(value: str) -> str:
    """``--changed-only REF``: handed to git as one argument, never an option of git's."""
    from .report_gitlab import GitError, check_ref

    try:
        return check_ref(value)
    except GitError as problem:
        raise argparse.ArgumentTypeError(str(problem).rstrip(".")) from problem


@_quiet_when_stdout_closes
def main(argv: list[str] | None = None) -> int:
    parser = FrenchArgumentParser(
        prog="portail",
        description="Portail : outils de la base de connaissances du portail de support.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande")
    check = commands.add_parser(
        "check",
        help="vérifie la base de connaissances (code de sortie 1 en cas d'erreur)",
        description="Vérifie kb/ et liste chaque problème avec son fichier et sa ligne.",
    )
    check.add_argument("--kb", default="kb", help="dossier de la base de connaissances (défaut : kb)")
    check.add_argument(
        "--format",
        choices=("text", "json", "gitlab"),
        default="text",
        help="format de sortie : text, json ou gitlab (rapport Code Quality de GitLab) (défaut : text)",
    )
    check.add_argument(
        "--changed-only",
        metavar="REF",
        type=_git_ref,
        help=(
            "ne détaille que les constats des fichiers modifiés depuis REF (commits depuis l'ancêtre "
            "commun de REF et HEAD, et modifications non commitées) ; les règles entre fichiers "
            "portent toujours sur toute la base"
        ),
    )
    check.add_argument(
        "--config",
        help="mkdocs.yml du site, pour les adresses des liens portail: (défaut : ./mkdocs.yml s'il existe)",
    )
    check.add_argument(
        "--write-baseline",
        action="store_true",
        help=(
            "enregistre les constats actuels comme reconnus dans <kb>/portail-baseline.yml : "
            "ils ne sont plus détaillés, seuls les nouveaux le sont (à relire dans la demande de fusion)"
        ),
    )
    _add_search_parsers(commands)
    from .scaffold import add_new_parser, run_new

    add_new_parser(commands)
    from .feedback_report import add_rapport_parser, run_rapport

    add_rapport_parser(commands)
    from .export_cli import register as add_export_parsers

    add_export_parsers(commands)  # generate, index
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is not None:
        return args.run(args)
    if args.command == "check":
        return run_check(Path(args.kb), args.format, args.config, args.write_baseline, args.changed_only)
    if args.command == "search":
        return run_search(args)
    if args.command == "serve-search":
        return run_serve_search(args)
    if args.command == "new":
        return run_new(args)
    if args.command == "rapport":
        return run_rapport(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


def run_check(
    kb_dir: Path,
    output_format: str,
    config: str | None = None,
    write_baseline: bool = False,
    changed_only: str | None = None,
) -> int:
    from .findings import has_errors, to_json
    from .links import ConfigError, config_targets
    from .load import analyse

    if not kb_dir.is_dir():
        print(f"portail : dossier « {kb_dir} » introuvable (option --kb).", file=sys.stderr)
        return 2
    if changed_only is not None and write_baseline:
        return _error(
            "--write-baseline enregistre tous les constats : il ne s'emploie pas avec --changed-only."
        )
    changed = None
    if changed_only is not None:
        from .report_gitlab import GitError, changed_files

        try:
            changed = changed_files(changed_only, kb_dir)
        except GitError as problem:
            return _error(str(problem))
        kb_root = kb_dir.resolve()
        changed = frozenset(path for path in changed if path.is_relative_to(kb_root))
    config_file = Path(config or "mkdocs.yml")
    targets = None
    if config is not None and not config_file.is_file():
        return _error(f"fichier « {config} » introuvable (option --config).")
    if config_file.is_file():
        try:
            targets = config_targets(config_file)
        except ConfigError as problem:
            return _error(str(problem))
    if targets is None:
        # Said on stderr: the JSON on stdout stays parseable.
        why = "pas de plugin portail dans" if config_file.is_file() else "pas de"
        print(
            f"portail : {why} {config_file} : les liens portail: sont vérifiés dans leur forme seulement "
            "(portail:ticket, portail:outil/<nom>), pas d'après la configuration du site (option --config).",
            file=sys.stderr,
        )
    analysis = analyse(
        kb_dir, Path.cwd(), now=build_time(os.environ), targets=targets, memo_dir=INDEX_DIR.parent
    )
    if write_baseline:
        return _write_baseline(kb_dir, analysis, output_format)
    # Every rule ran on the whole base (duplicates, links between files); --changed-only
    # chooses what is reported, and the exit code follows what is reported.
    findings = list(analysis.findings)
    if changed is not None:
        from .report_gitlab import only_changed

        findings = only_changed(findings, changed, Path.cwd())
    left_out = len(analysis.findings) - len(findings)
    if output_format == "gitlab":
        from .report_gitlab import code_quality

        print(json.dumps(code_quality(findings), ensure_ascii=False, indent=2))
    elif output_format == "json":
        payload = json.loads(to_json(findings))
        payload["acknowledged"] = len(analysis.acknowledged)
        if changed is not None:
            payload["changed_only"] = {"ref": changed_only, "files": len(changed), "left_out": left_out}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding.format())
        if analysis.acknowledged_note:
            print(f"{analysis.acknowledged_note} (non détaillés).")
        if changed is not None:
            print(
                f"{len(changed)} fichier(s) de {kb_dir} modifié(s) depuis « {changed_only} » ; "
                f"{left_out} constat(s) hors de ces fichiers (non détaillés)."
            )
        kb = analysis.kb
        errors = sum(1 for finding in findings if finding.is_error)
        print(
            f"{errors} erreur(s), {len(findings) - errors} avertissement(s) — "
            f"{len(kb.products)} produits, {len(kb.lines)} lignes de version documentées, "
            f"{len(kb.documents)} documents, {len(kb.articles)} articles de FAQ, "
            f"{len(kb.releases)} notes de version."
        )
    return 1 if has_errors(findings) else 0


def _write_baseline(kb_dir: Path, analysis: Analysis, output_format: str) -> int:
    """``portail check --write-baseline``: every finding of now, acknowledged or not, becomes
    an entry of the baseline file (stale entries go); the file is reviewed like kb/."""
    from .baseline import baseline_path, write_baseline
    from .findings import relative_to

    try:
        path, count = write_baseline(kb_dir, analysis.recorded)
    except OSError as problem:
        return _error(f"impossible d'écrire {baseline_path(kb_dir)} ({problem.strerror or problem}).")
    shown = relative_to(path, Path.cwd())
    if output_format == "json":
        print(json.dumps({"baseline": shown, "recorded": count}, ensure_ascii=False, indent=2))
    else:
        print(
            f"{count} constat(s) enregistré(s) dans {shown} : relisez le fichier et joignez-le "
            "à votre demande de fusion ; seuls les nouveaux constats seront désormais signalés."
        )
        others = analysis.unacknowledgeable
        if others:
            print(
                f"{len(others)} constat(s) hors des notes de version ({analysis.baseline_history}) "
                "ne peuvent pas être reconnus : corrigez-les (`portail check` les détaille)."
            )
    return 0


# ----------------------------------------------------------------------------------------------
# search and serve-search


def _limit(value: str) -> int:
    _light_whoosh()
    from .search import MAX_LIMIT

    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"« {value} » : indiquez un nombre entier de 1 à {MAX_LIMIT}")
    return number


def _page_type(value: str) -> str:
    _light_whoosh()
    from .search import TYPES

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


def _add_search_parsers(commands: argparse._SubParsersAction) -> None:
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
    from .search_startup import light_whoosh

    light_whoosh()


def _error(message: str) -> int:
    print(f"portail : {message}", file=sys.stderr)
    return 2


def _open_index(kb_dir: Path, quiet: bool) -> tuple[tuple[Product, ...], SearchIndex] | None:
    """The catalogue's products and the search index (``.portail/index/``), brought up to date
    with kb/. When the manifest next to the index shows kb/ unchanged since the index was
    written, nothing under kb/ is opened: the products come from the manifest. Otherwise kb/
    is read again, and only the pages added, changed or removed are written to the index."""
    _light_whoosh()
    from .search import SearchIndex
    from .search_manifest import ClockProbe, clock_key, read_manifest, take_snapshot, write_manifest

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

    from .read import read_knowledge_base
    from .search_documents import page_sources

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
    from .search import normalize_query, product_from_text

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
    results = index.search(query, product=product, type=args.type, limit=args.limit)
    if args.json:
        from .search_server import results_payload  # the endpoint's JSON, not its server

        payload = results_payload(results, products, hits_key="hits")
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print_results(results, products)
    return 0 if results.hits else 1


def terminal_excerpt(excerpt_html: str) -> str:
    """An HTML excerpt as terminal text: matched words «between French quotes», entities
    decoded, no markup left."""
    text = re.sub(r"<mark>(.*?)</mark>", "«\\1»", excerpt_html)
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def print_results(results: SearchResults, products: Sequence[Product]) -> None:
    from .search import TYPE_LABELS

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
    from .search_server import make_app, serve

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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
