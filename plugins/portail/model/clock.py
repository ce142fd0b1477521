"""Date-times as writers give them, in Europe/Paris, with the build's clock passed in.

Writers write ``2026-05-10 14:24`` (Europe/Paris when no zone is given), ISO 8601 with a zone,
or, for content that must stay current such as the bundled demo, a time relative to the build:
``J+2 08:00`` (in two days at 08:00), ``J-1 14:24``, ``J 09:00``, ``H-3`` (three hours ago) and
``H+1``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_DAY_RELATIVE = re.compile(r"^J\s*(?:([+-])\s*(\d+))?\s+(\d{1,2})[:h](\d{2})$", re.IGNORECASE)
_HOUR_RELATIVE = re.compile(r"^H\s*([+-])\s*(\d+)$", re.IGNORECASE)
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?$")
_FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(?:à\s+)?(\d{1,2})[:h](\d{2})$")


def in_paris(moment: datetime) -> datetime:
    """A date-time in Europe/Paris; a naive one is taken as already in Paris."""
    return moment.replace(tzinfo=PARIS) if moment.tzinfo is None else moment.astimezone(PARIS)


def parse_moment(value: object, now: datetime) -> datetime | None:
    """A YAML value or text as an aware date-time in Europe/Paris; None when unreadable."""
    if isinstance(value, datetime):
        return in_paris(value)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), PARIS)
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _DAY_RELATIVE.match(text)
    if match:
        sign, days, hour, minute = match.groups()
        offset = int(days or 0) * (-1 if sign == "-" else 1)
        day = in_paris(now).date() + timedelta(days=offset)
        return _at(day, int(hour), int(minute))
    match = _HOUR_RELATIVE.match(text)
    if match:
        hours = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
        # Elapsed hours, not wall-clock hours: computed in UTC so that a daylight-saving change
        # in between neither adds nor removes an hour.
        moment = (now.astimezone(UTC) + timedelta(hours=hours)).astimezone(PARIS)
        return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)
    match = _LOCAL.match(text)
    if match:
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            return None
        return _at(day, int(match.group(2)), int(match.group(3)))
    match = _FRENCH.match(text)
    if match:
        d, m, y, hour, minute = (int(g) for g in match.groups())
        try:
            return _at(date(y, m, d), hour, minute)
        except ValueError:
            return None
    try:
        return in_paris(datetime.fromisoformat(text))
    except ValueError:
        return None


def _at(day: date, hour: int, minute: int) -> datetime | None:
    try:
        return datetime.combine(day, time(hour, minute), PARIS)
    except ValueError:
        return None


def french_moment(moment: datetime) -> str:
    """« 10/05/2022 à 14h24 » (Europe/Paris), as the portal prints publication times."""
    local = in_paris(moment)
    return f"{local:%d/%m/%Y} à {local.hour}h{local.minute:02d}"


def build_time(environ: Mapping[str, str]) -> datetime:
    """The build's clock: now in Europe/Paris, or ``PORTAIL_NOW`` (ISO 8601) from ``environ``
    for reproducible builds and tests. Pages recompute what depends on it in the browser."""
    fixed = environ.get("PORTAIL_NOW")
    return in_paris(datetime.fromisoformat(fixed)) if fixed else datetime.now(PARIS)
