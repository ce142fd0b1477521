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

# Each command imports what it needs when it runs: `portail search` on an up-to-date index
# loads neither the readers nor the checks (nor markdown, yaml or babel).
from .check_cli import register as add_check_parser
from .check_cli import run_check
from .cli_french import FrenchArgumentParser
from .search_cli import register as add_search_parsers
from .search_cli import run_search, run_serve_search


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
    add_check_parser(commands)
    add_search_parsers(commands)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
