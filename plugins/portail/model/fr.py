"""French formats shown to readers: dates, file sizes, file types. One place for each."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "fr_FR"

_FILE_TYPES = {
    "pdf": "PDF",
    "odt": "texte OpenDocument",
    "ods": "tableur OpenDocument",
    "odp": "présentation OpenDocument",
    "doc": "document Word",
    "docx": "document Word",
    "xls": "classeur Excel",
    "xlsx": "classeur Excel",
    "csv": "CSV",
    "zip": "archive ZIP",
    "txt": "texte",
    "xml": "XML",
    "xsd": "schéma XML",
    "wsdl": "WSDL",
    "png": "image PNG",
    "jpg": "image JPEG",
    "jpeg": "image JPEG",
}


def long_date(value: date) -> str:
    """« 12 mars 2026 »."""
    return format_date(value, "d MMMM y", locale=LOCALE)


def day_month(value: date, with_year: bool = False) -> str:
    """« 5 décembre », « 1er janvier », « 1er janvier 2027 » with ``with_year``."""
    text = format_date(value, "d MMMM y" if with_year else "d MMMM", locale=LOCALE)
    return "1er" + text[1:] if value.day == 1 else text


def clock_time(moment: datetime) -> str:
    """« 12 h », « 9 h 30 » (the hour as it is read on the moment's own clock)."""
    return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"


def time_slot(start: datetime | None, end: datetime | None) -> str | None:
    """A time slot in French, in Europe/Paris: « le 5 décembre de 12 h à 15 h », « du 5 décembre
    22 h au 6 décembre 2 h », « à partir du 5 décembre 12 h » (no end), « jusqu'au 5 décembre
    15 h » (no start); None without either. The year shows when the slot crosses one."""
    from .clock import in_paris  # clock imports nothing from here; kept local all the same

    if start is None and end is None:
        return None
    if end is None:
        assert start is not None
        local = in_paris(start)
        return f"à partir du {day_month(local.date())} {clock_time(local)}"
    if start is None:
        local = in_paris(end)
        return f"jusqu'au {day_month(local.date())} {clock_time(local)}"
    begin, finish = in_paris(start), in_paris(end)
    if begin.date() == finish.date():
        return f"le {day_month(begin.date())} de {clock_time(begin)} à {clock_time(finish)}"
    years = begin.year != finish.year
    return (
        f"du {day_month(begin.date(), years)} {clock_time(begin)}"
        f" au {day_month(finish.date(), years)} {clock_time(finish)}"
    )


def file_size(size: int) -> str:
    """« 820 octets », « 42 Ko », « 1,2 Mo » (multiples of 1024, as file managers show)."""
    if size < 1024:
        return f"{size} octet{'s' if size > 1 else ''}"
    for unit, power in (("Ko", 1), ("Mo", 2), ("Go", 3)):
        value = size / 1024**power
        if value < 1024 or unit == "Go":
            pattern = "#,##0" if value >= 10 else "#,##0.#"
            return f"{format_decimal(value, format=pattern, locale=LOCALE)}\u00a0{unit}"
    raise AssertionError("unreachable")


def file_type(extension: str) -> str:
    """A reader's name for a file type: « PDF », « tableur OpenDocument »."""
    return _FILE_TYPES.get(extension.lower(), f"fichier {extension.upper()}" if extension else "fichier")


_MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_LONG_DATE = re.compile(r"^(\d{1,2})(?:er)?\s+([a-zéèêûôàç]+)\.?\s+(\d{4})$", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """Read ``2026-09-08`` or ``8 septembre 2026`` (``1er``, accents optional); None otherwise."""
    value = text.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = _LONG_DATE.match(value)
    if not match:
        return None
    month_name = unicodedata.normalize("NFKD", match.group(2).lower()).encode("ascii", "ignore").decode()
    month = _MONTHS.get(month_name)
    if month is None:
        return None
    try:
        return date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 août + 6 mois = 28 février)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in range(start.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(start.day, 28))
