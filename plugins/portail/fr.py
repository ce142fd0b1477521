"""French formats shown to readers: dates, file sizes, file types. One place for each."""

from __future__ import annotations

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
