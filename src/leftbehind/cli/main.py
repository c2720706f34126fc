"""Entry point of the ``leftbehind`` command: one place that maps errors to exit codes (layer L6).

A :class:`~leftbehind.errors.LeftbehindError` becomes one line on standard error and exit
status 2; ``--debug`` (anywhere on the command line) shows the traceback instead. Usage errors
are reported by Typer itself (exit status 2), so this module needs only Typer's public API.

Examples
--------
>>> main(["qual", "--help"]) == 0  # doctest: +ELLIPSIS
Usage: leftbehind qual ...
True
"""

from __future__ import annotations

import sys

import typer

from leftbehind.cli._app import app

# Command modules register their commands on import.
from leftbehind.cli import mixed, qual_analysis, qual_store, quick, replicate, study  # noqa: E402,F401

EXIT_USER_ERROR = 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit status."""
    from leftbehind.errors import LeftbehindError

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        app(args=args, prog_name="leftbehind")  # standalone: usage errors print and exit 2
    except SystemExit as exc:
        return _exit_status(exc.code)
    except LeftbehindError as exc:
        if debug:
            raise
        typer.echo(f"error: {exc}", err=True)
        return EXIT_USER_ERROR
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        if debug:
            raise
        typer.echo(f"error: {exc.filename}: {exc.strerror} (hint: check the path)", err=True)
        return EXIT_USER_ERROR
    return 0


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` would give: None is 0, an int itself, a message 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    typer.echo(str(code), err=True)
    return 1


def run() -> None:  # console_scripts entry point
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
