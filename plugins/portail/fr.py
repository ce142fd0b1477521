"""French formats shown to readers: dates, file sizes, file types. One place for each."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

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
