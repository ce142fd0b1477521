"""``portail rapport``: what readers told the support team, read from the feedback database
(``feedback.py``) that ``portail serve-search`` fills: the searches found nothing most often
(with their product) and the articles most often judged not useful (« Non » counts and the
latest reasons). French plain text by default, JSON with ``--format json``.

The database is opened read-only: a report never changes it, and runs while the endpoint
writes (WAL). The clock (``now``) is passed in: tests fix it; the command uses ``PORTAIL_NOW``
or the current time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from ..model.clock import build_time, french_moment
from .feedback import DEFAULT_DIR, database_path

# Lines of each list.
TOP = 20
# Latest reasons shown per article.
REASONS = 3


@dataclass(frozen=True)
class EmptySearch:
    requete: str
    produit: str
    nombre: int


@dataclass(frozen=True)
class PageVotes:
    page: str
    oui: int
    non: int
    part_non: float  # from 0 to 1
    raisons: list[str] = field(default_factory=list)  # the latest first


@dataclass(frozen=True)
class Report:
    etabli_le: str  # ISO 8601, Europe/Paris
    depuis: str | None  # YYYY-MM-DD
    recherches_vides_total: int
    avis_total: int
    recherches_vides: list[EmptySearch]
    articles_peu_utiles: list[PageVotes]


class NoData(Exception):
    """The database is missing or unreadable; the French message says what to do."""


def build_report(directory: Path, now: datetime, since: date | None = None, top: int = TOP) -> Report:
    """The report of the database in ``directory``, rows of ``since`` and later (all without)."""
    path = database_path(directory)
    if not path.is_file():
        raise NoData(
            f"aucune donnée de retours dans « {directory} » ({path.name} absent) : les retours sont "
            "enregistrés par `portail serve-search` (option --donnees pour un autre dossier)"
        )
    day = since.isoformat() if since else ""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise NoData(f"impossible d'ouvrir « {path} » : {error}") from None
    try:
        empty_total = db.execute("SELECT COUNT(*) FROM recherches_vides WHERE jour >= ?", (day,)).fetchone()[
            0
        ]
        votes_total = db.execute("SELECT COUNT(*) FROM avis WHERE jour >= ?", (day,)).fetchone()[0]
        searches = [
            EmptySearch(query, product, count)
            for query, product, count in db.execute(
                "SELECT requete, produit, COUNT(*) AS n FROM recherches_vides WHERE jour >= ? "
                "GROUP BY requete, produit ORDER BY n DESC, MAX(id) DESC LIMIT ?",
                (day, top),
            )
        ]
        pages = []
        for page, yes, no in db.execute(
            "SELECT page, SUM(utile), SUM(1 - utile) AS non FROM avis WHERE jour >= ? GROUP BY page "
            "HAVING non > 0 ORDER BY CAST(non AS REAL) / COUNT(*) DESC, non DESC, page LIMIT ?",
            (day, top),
        ):
            reasons = [
                reason
                for (reason,) in db.execute(
                    "SELECT raison FROM avis WHERE page = ? AND utile = 0 AND raison != '' AND jour >= ? "
                    "ORDER BY id DESC LIMIT ?",
                    (page, day, REASONS),
                )
            ]
            pages.append(PageVotes(page, yes, no, round(no / (yes + no), 3), reasons))
    except sqlite3.Error as error:
        raise NoData(f"« {path} » n'est pas une base de retours lisible : {error}") from None
    finally:
        db.close()
    return Report(now.isoformat(timespec="seconds"), day or None, empty_total, votes_total, searches, pages)


def format_text(report: Report, now: datetime) -> str:
    """The report as French plain text."""
    period = f"depuis le {date.fromisoformat(report.depuis):%d/%m/%Y}" if report.depuis else "depuis le début"
    lines = [f"Rapport des retours des lecteurs, {period} (établi le {french_moment(now)})", ""]
    lines.append(f"Recherches sans résultat : {_count(report.recherches_vides_total, 'recherche')}")
    for item in report.recherches_vides:
        product = f" [{item.produit}]" if item.produit else " [tous produits]"
        lines.append(f"  {item.nombre:>5} × « {item.requete} »{product}")
    if not report.recherches_vides:
        lines.append("  aucune")
    lines += ["", f"Articles jugés peu utiles : {_count(report.avis_total, 'avis')} en tout"]
    for votes in report.articles_peu_utiles:
        share = round(100 * votes.part_non)
        lines.append(f"  {share:>3} % de « Non » ({votes.non} non, {votes.oui} oui) : {votes.page}")
        for reason in votes.raisons:
            lines.append(f"        – « {reason} »")
    if not report.articles_peu_utiles:
        lines.append("  aucun")
    return "\n".join(lines) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 and not word.endswith('s') else ''}"


def _day(value: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(
        f"date « {value} » invalide : écrivez-la AAAA-MM-JJ, par exemple 2026-11-01"
    )


def add_rapport_parser(commands: argparse._SubParsersAction) -> None:
    rapport = commands.add_parser(
        "rapport",
        help="résume les retours des lecteurs (recherches sans résultat, articles peu utiles)",
        description=(
            "Lit les retours enregistrés par `portail serve-search` : les recherches sans résultat "
            "les plus fréquentes (avec leur produit) et les articles au plus fort taux de « Non » "
            "(avec les dernières raisons). Code de sortie : 0, ou 2 si la base est absente ou la "
            "demande incorrecte."
        ),
    )
    rapport.add_argument(
        "--depuis", type=_day, metavar="AAAA-MM-JJ", help="seulement les retours de ce jour et après"
    )
    rapport.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="format de sortie : text ou json (défaut : text)",
    )
    rapport.add_argument(
        "--donnees",
        default=str(DEFAULT_DIR),
        metavar="DOSSIER",
        help=f"dossier des données de l'API, celui de `portail serve-search --donnees` (défaut : {DEFAULT_DIR})",
    )


def run_rapport(
    args: argparse.Namespace,
    now: Callable[[], datetime] = lambda: build_time(os.environ),
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    moment = now()
    try:
        report = build_report(Path(args.donnees), moment, args.depuis)
    except NoData as error:
        print(f"portail : {error}.", file=sys.stderr)
        return 2
    if args.format == "json":
        data: dict[str, Any] = asdict(report)
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
    else:
        out.write(format_text(report, moment))
    return 0
