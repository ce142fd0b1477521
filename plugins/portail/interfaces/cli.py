"""The ``portail`` command: one subcommand group per module, each adding its parsers with a
``register(commands)`` function: ``portail check`` (check_cli.py), ``search`` and
``serve-search`` (search_cli.py), ``new`` (scaffold.py), ``rapport`` (feedback_report.py),
``generate`` and ``index`` (export_cli.py). A closed pipe ends quietly."""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cli_french import FrenchArgumentParser

# Each command imports what it needs when it runs: `portail search` on an up-to-date index
# loads neither the readers nor the checks (nor markdown, yaml or babel), nor the modules of
# the other commands: only the named command's parsers are added (all of them for `--help` or
# an unknown command, so that argparse lists them).
GROUPS = {
    "check": "check",
    "search": "search",
    "serve-search": "search",
    "new": "new",
    "rapport": "rapport",
    "generate": "export",
    "index": "export",
}


def _add_parsers(commands: Any, group: str) -> None:
    if group == "check":
        from .check_cli import register

        register(commands)
    elif group == "search":
        from .search_cli import register

        register(commands)
    elif group == "new":
        from .scaffold import add_new_parser

        add_new_parser(commands)
    elif group == "rapport":
        from .feedback_report import add_rapport_parser

        add_rapport_parser(commands)
    elif group == "export":
        from .export_cli import register

        register(commands)  # generate, index


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


@_quiet_when_stdout_closes
def main(argv: list[str] | None = None) -> int:
    parser = FrenchArgumentParser(
        prog="portail",
        description="Portail : outils de la base de connaissances du portail de support.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande")
    named = next((arg for arg in (sys.argv[1:] if argv is None else argv) if not arg.startswith("-")), None)
    wanted = GROUPS.get(named or "")
    for group in dict.fromkeys(GROUPS.values()):
        if wanted is None or group == wanted:
            _add_parsers(commands, group)
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is not None:
        return args.run(args)
    if args.command == "check":
        from .check_cli import run_check

        return run_check(Path(args.kb), args.format, args.config, args.write_baseline, args.changed_only)
    if args.command == "search":
        from .search_cli import run_search

        return run_search(args)
    if args.command == "serve-search":
        from .search_cli import run_serve_search

        return run_serve_search(args)
    if args.command == "new":
        from .scaffold import run_new

        return run_new(args)
    if args.command == "rapport":
        from .feedback_report import run_rapport

        return run_rapport(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
