"""The ``slocalc`` command (also ``python -m slocalc``).

Sub-commands:

* ``deadline``: every target's due instant for a case opened at an instant;
* ``check``: evaluate a JSON Lines or CSV export of cases, print alerts and a summary;
* ``coverage``: a week of follow-the-sun coverage as an hours × days grid, gaps listed;
* ``schema``: the JSON Schema of policy files.

Exit status: 0 success (for ``check``: nothing breached), 1 ``check`` found a breach,
2 bad usage or bad input (for ``check``: after reporting every valid case). Errors are one
line on standard error, never a traceback. See docs/cli.md.
"""

from __future__ import annotations

import os
import sys

# Only `os` and `sys` (loaded by every interpreter start) at import time: `slocalc --version`
# answers before argparse, json or any library layer is imported (see docs/architecture.md).
# `TYPE_CHECKING = False` rather than importing typing, which costs about as much as starting
# the interpreter; type checkers treat the name alike.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import TextIO

__all__ = ["build_parser", "main"]

#: exit statuses
OK, BREACHED, BAD_INPUT = 0, 1, 2

#: the options that print the version; answered without building the parser
VERSION_FLAGS = ("--version", "-V")

#: where the documentation lives (the command's pages: "Command line")
DOCS_URL = "https://slocalc.readthedocs.io/en/latest/cli/"


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from slocalc.policies import Policy

    json.dump(Policy.json_schema(), out, indent=2, ensure_ascii=False)
    out.write("\n")
    return OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``slocalc`` command."""

    import slocalc._cli._check as _check
    import slocalc._cli._coverage as _coverage
    import slocalc._cli._deadline as _deadline
    from slocalc import __version__
    from slocalc._cli._common import Parser

    parser = Parser(
        prog="slocalc",
        description="Exact service-level deadlines and breach checks.",
        epilog=f"Run 'slocalc COMMAND --help' for a command's options. Docs: {DOCS_URL}",
    )
    parser.add_argument(*VERSION_FLAGS, action="version", version=f"slocalc {__version__}")
    sub: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=Parser
    )
    _deadline.add_parser(sub)
    _check.add_parser(sub)
    _coverage.add_parser(sub)
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of policy files",
        description="Print the JSON Schema (draft 2020-12) of policy files, for editors and validators.",
    )
    p.set_defaults(run=_schema)
    return parser


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason.lower()}" if exc.filename else reason


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``slocalc`` command; returns the exit status.

    Args:
        argv: the arguments after the program name; ``sys.argv[1:]`` when ``None``.

    ``--version`` (or ``-V``) as the first argument prints ``slocalc VERSION`` and returns 0
    before anything else is imported, as fast as the interpreter starts.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] and arguments[0] in VERSION_FLAGS:
        from slocalc import __version__

        print(f"slocalc {__version__}")
        return OK
    return _run(arguments)


def _say(text: str) -> None:
    """``text`` on standard error; nothing if it is closed (never on standard output)."""
    if sys.stderr is None:
        return
    import contextlib

    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr)


def _run(argv: list[str]) -> int:
    from slocalc._cli._common import CliError, one_line
    from slocalc.errors import SlocalcError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args, sys.stdout)
        sys.stdout.flush()
    except (CliError, SlocalcError) as exc:
        _say(f"slocalc {args.command}: error: {one_line(str(exc))}")
        return BAD_INPUT
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):  # e.g. `slocalc check big.jsonl | head`
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 141  # what a shell reports for a command killed by SIGPIPE
        _say(f"slocalc {args.command}: error: {_os_error(exc)}")
        return BAD_INPUT
    except KeyboardInterrupt:
        _say(f"slocalc {args.command}: interrupted")
        return 130
    except Exception as exc:
        if os.environ.get("SLOCALC_DEBUG"):
            raise
        _say(
            f"slocalc {args.command}: internal error, a bug in slocalc: {type(exc).__name__}: "
            f"{one_line(str(exc))} (set SLOCALC_DEBUG=1 for the traceback, and please report it)"
        )
        return BAD_INPUT
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
