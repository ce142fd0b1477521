"""The command line speaks French: ``FrenchArgumentParser`` (argparse's own texts translated for
the duration of its calls only) and ``fail`` (a refusal on stderr, exit code 2)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

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



def fail(message: str) -> int:
    print(f"portail : {message}", file=sys.stderr)
    return 2
