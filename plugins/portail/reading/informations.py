"""Read live information posts: ``kb/informations/<slug>.md``, front matter and a body whose
optional last section « ## Mises à jour » lists dated updates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.clock import in_paris, parse_moment
from ..model.findings import Finding, Source, error, warning
from ..model.fr import parse_date
from ..model.kb import InformationKind, InformationPost, InformationUpdate, Product, guess_product
from ..model.urls import slugify
from .schema import Field, Schema

if TYPE_CHECKING:
    from .context import ReadContext

INFORMATIONS_DIR = "informations"
MOMENT_HELP = "date et heure « 2026-05-10 14:24 » (Europe/Paris), ou relative : « J+2 08:00 », « H-3 »"

INFORMATION_SCHEMA = Schema(
    "l'en-tête de l'information",
    (
        Field("title", "text", "titre de l'information", True, example="Mise à jour de la plateforme @ctes"),
        Field(
            "kind",
            "choice",
            "nature de l'information",
            True,
            choices=tuple(k.value for k in InformationKind),
            example="intervention",
        ),
        Field("published", "raw", f"publication : {MOMENT_HELP}", True, example="2026-05-10 14:24"),
        Field(
            "products", "list", "produits concernés (identifiants du catalogue)", example="[s2low, pastell]"
        ),
        Field("pinned", "bool", "`true` pour l'épingler en tête des informations en direct", example="true"),
        Field("label", "text", "étiquette propre à une information", example="Information COVID-19"),
        Field("start", "raw", f"début prévu d'une intervention : {MOMENT_HELP}", example="J+2 08:00"),
        Field("end", "raw", f"fin prévue d'une intervention : {MOMENT_HELP}", example="J+2 12:00"),
        Field("actual_end", "raw", f"fin réelle d'une intervention, une fois connue : {MOMENT_HELP}"),
        Field("resolved", "raw", f"résolution d'un incident, une fois connue : {MOMENT_HELP}"),
        Field("expires", "raw", f"fin d'affichage d'une information en direct : {MOMENT_HELP}"),
        Field(
            "updated",
            "date",
            "date de dernière mise à jour, AAAA-MM-JJ (défaut : dernière ligne de « Mises à jour », "
            "sinon dernier commit)",
            example="2026-05-12",
        ),
    ),
)
MOMENTS = ("published", "start", "end", "actual_end", "resolved", "expires")
ONLY_FOR = {
    "start": InformationKind.INTERVENTION,
    "end": InformationKind.INTERVENTION,
    "actual_end": InformationKind.INTERVENTION,
    "resolved": InformationKind.INCIDENT,
    "expires": InformationKind.INFORMATION,
    "label": InformationKind.INFORMATION,
}
_UPDATES_HEADING = re.compile(r"^##\s+mises?\s+a\s+jour\s*$", re.IGNORECASE)
_ITEM = re.compile(r"^[-*]\s+(.+?)\s+:\s+(.+)$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip()


def read_informations(
    context: ReadContext, products: tuple[Product, ...], now: datetime
) -> tuple[InformationPost, ...]:
    """Every readable post of kb/informations/; relative dates are resolved against ``now``."""
    root = context.kb_dir / INFORMATIONS_DIR
    if not context.inside_kb(root) or not root.is_dir():
        return ()
    known = {p.slug for p in products}
    posts = []
    for path in context.listdir(root):
        if path.is_dir() or path.suffix.lower() != ".md":
            context.add(
                error(
                    context.folder_source(path) if path.is_dir() else Source(context.rel(path), 1),
                    "information-not-markdown",
                    f"« {path.name} » n'est pas une information Markdown (.md) : il n'est pas publié",
                    "Une information est un fichier .md directement dans kb/informations/.",
                )
            )
            continue
        post = _read_post(context, path, known, products, now)
        if post is not None:
            posts.append(post)
    return tuple(posts)


def _read_post(
    context: ReadContext, path: Path, known: set[str], products: tuple[Product, ...], now: datetime
) -> InformationPost | None:
    read = context.read_markdown_file(path, INFORMATION_SCHEMA)
    if read is None:
        return None
    rel, front, values = read
    data = front.data
    moments: dict[str, datetime | None] = {}
    for name in MOMENTS:
        raw = data.get(name)
        moments[name] = parse_moment(raw, now) if raw is not None else None
        if raw is not None and moments[name] is None:
            context.add(
                error(
                    Source(rel, data.line_of(name)),
                    "information-date-unreadable",
                    f"« {name} » : « {raw} » n'est pas une date et heure lisible",
                    f"Écrivez une {MOMENT_HELP}.",
                )
            )
    kind = InformationKind(values["kind"]) if values["kind"] else None
    for name, only in ONLY_FOR.items():
        if kind is not None and kind is not only and data.get(name) is not None:
            context.add(
                warning(
                    Source(rel, data.line_of(name)),
                    "information-field-ignored",
                    f"« {name} » ne concerne que les informations de nature « {only.value} » : "
                    f"il est ignoré pour une information « {kind.value} »",
                    f"Retirez « {name} », ou corrigez `kind:`.",
                )
            )
    for name in values["products"] or ():
        if name not in known:
            guess = guess_product(name, products)
            context.add(
                error(
                    Source(rel, data.line_of("products")),
                    "unknown-product",
                    f"produit inconnu « {name} » (produits connus : {', '.join(sorted(known))})",
                    f"Écrivez « {guess} »."
                    if guess
                    else "Utilisez l'identifiant (slug) d'un produit de kb/catalogue.yml.",
                )
            )
    body, body_line, updates = _split_updates(context, rel, front.body, front.body_line, now)
    if values["title"] is None or kind is None or moments["published"] is None:
        return None
    post = InformationPost(
        title=values["title"],
        slug=slugify(path.stem),
        kind=kind,
        published=moments["published"],
        products=tuple(p for p in values["products"] or () if p in known),
        pinned=bool(values["pinned"]),
        label=values["label"] if kind is InformationKind.INFORMATION else None,
        start=moments["start"] if kind is InformationKind.INTERVENTION else None,
        end=moments["end"] if kind is InformationKind.INTERVENTION else None,
        actual_end=moments["actual_end"] if kind is InformationKind.INTERVENTION else None,
        resolved=moments["resolved"] if kind is InformationKind.INCIDENT else None,
        expires=moments["expires"] if kind is InformationKind.INFORMATION else None,
        body=body,
        body_line=body_line,
        updates=updates,
        source=Source(rel, data.line_of("title")),
        updated=_updated(context, path, values["updated"], moments["published"], updates),
    )
    for finding in check_post(post, data.line_of):
        context.add(finding)
    return post


def _split_updates(
    context: ReadContext, rel: str, body: str, body_line: int, now: datetime
) -> tuple[str, int, tuple[InformationUpdate, ...]]:
    """The body without its « ## Mises à jour » section, and that section's dated items."""
    lines = body.split("\n")
    start = next((i for i, line in enumerate(lines) if _UPDATES_HEADING.match(_fold(line))), None)
    if start is None:
        return body, body_line, ()
    updates: list[InformationUpdate] = []
    for offset, line in enumerate(lines[start + 1 :], start=start + 1):
        number = body_line + offset
        if not line.strip():
            continue
        if line.startswith((" ", "\t")) and updates:
            last = updates[-1]
            updates[-1] = InformationUpdate(last.at, f"{last.text}\n{line.strip()}", last.source)
            continue
        match = _ITEM.match(line.strip())
        day = _date_only(match.group(1), now) if match else None
        if match and day is not None:
            # A date without its time would be read as midnight: 00:00 published as a fact.
            context.add(_update_without_time(Source(rel, number), match.group(1), match.group(2), day))
            continue
        moment = parse_moment(match.group(1), now) if match else None
        if match is None or moment is None:
            context.add(
                error(
                    Source(rel, number),
                    "information-update-unreadable",
                    f"ligne de mise à jour illisible : « {line.strip()} » (elle n'est pas publiée)",
                    "Écrivez chaque mise à jour « - <date et heure> : <texte> », par exemple "
                    "« - 2026-05-10 16:10 : Fin de l'intervention. », et rien d'autre dans cette section.",
                )
            )
            continue
        updates.append(InformationUpdate(moment, match.group(2).strip(), Source(rel, number)))
    return "\n".join(lines[:start]).rstrip() + "\n", body_line, tuple(sorted(updates, key=lambda u: u.at))


_DAY_ONLY = re.compile(r"^(?:(\d{1,2})/(\d{1,2})/(\d{4})|J\s*(?:([+-])\s*(\d+))?)$", re.IGNORECASE)


def _date_only(written: str, now: datetime) -> date | None:
    """The day of an update written as a date without a time (« 2026-05-12 », « 12/05/2026 »,
    « 12 mai 2026 », « J+1 »); None for anything else (a date and time, or unreadable)."""
    text = written.strip()
    day = parse_date(text)
    if day is not None:
        return day
    match = _DAY_ONLY.match(text)
    if match is None:
        return None
    d, m, y, sign, days = match.groups()
    if y is not None:
        try:
            return date(int(y), int(m), int(d))
        except ValueError:
            return None
    return in_paris(now).date() + timedelta(days=int(days or 0) * (-1 if sign == "-" else 1))


def _update_without_time(source: Source, written: str, text: str, day: date) -> Finding:
    relative = written.strip().upper().startswith("J")
    example = written.strip() if relative else day.isoformat()
    return error(
        source,
        "information-update-time-missing",
        f"mise à jour « {written.strip()} » sans heure : elle serait affichée à 0h00 le "
        f"{day:%d/%m/%Y} (elle n'est pas publiée)",
        f"Ajoutez l'heure (Europe/Paris) après la date : « - {example} hh:mm : {text.strip()} ».",
    )


def check_post(post: InformationPost, line_of: Callable[[str], int]) -> list[Finding]:
    """Rules on a post's times: what must be there for its kind, and in what order."""
    rel = post.source.path
    findings: list[Finding] = []

    def at(name: str) -> Source:
        return Source(rel, line_of(name))

    if post.kind is InformationKind.INTERVENTION:
        for name, value in (("start", post.start), ("end", post.end)):
            if value is None:
                findings.append(
                    error(
                        at(name) if name == "end" and post.start else post.source,
                        "intervention-missing-time",
                        f"intervention sans {'début' if name == 'start' else 'fin'} prévu(e) : "
                        "son état (à venir, en cours, terminée) ne peut pas être calculé",
                        f"Ajoutez `{name}: …` ({MOMENT_HELP}).",
                    )
                )
        if post.start and post.end and post.end <= post.start:
            findings.append(
                error(
                    at("end"),
                    "end-before-start",
                    "la fin prévue de l'intervention précède son début",
                    "Corrigez `start:` ou `end:` (fin après le début).",
                )
            )
        if post.start and post.actual_end and post.actual_end <= post.start:
            findings.append(
                error(
                    at("actual_end"),
                    "end-before-start",
                    "la fin réelle de l'intervention précède son début",
                    "Corrigez `actual_end:` (après `start:`).",
                )
            )
    if post.resolved and post.resolved < post.published:
        findings.append(
            error(
                at("resolved"),
                "resolved-before-published",
                "l'incident est résolu avant d'avoir été publié",
                "Corrigez `resolved:` ou `published:`.",
            )
        )
    if post.expires and post.expires <= post.published:
        findings.append(
            error(
                at("expires"),
                "expires-before-published",
                "l'information expire avant d'avoir été publiée",
                "Corrigez `expires:` (après `published:`).",
            )
        )
    for update in post.updates:
        if update.at < post.published:
            findings.append(
                warning(
                    update.source,
                    "update-before-published",
                    "mise à jour datée avant la publication de l'information",
                    "Vérifiez la date de la mise à jour ou celle de `published:`.",
                )
            )
    return findings


def _updated(
    context: ReadContext,
    path: Path,
    declared: date | None,
    published: datetime,
    updates: tuple[InformationUpdate, ...],
) -> date | None:
    """A post's « Mis à jour le », None unless later than its publication: `updated:`, else its
    last update line (the news readers follow, with its time), else the file's last commit or
    modification date (a correction, a time set afterwards)."""
    if declared is None and updates:
        last = max(update.at for update in updates)
        return last if last > published else None
    day = context.updated(path, declared)
    return day if day > published.date() else None
