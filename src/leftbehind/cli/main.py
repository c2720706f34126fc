"""Entry point of the ``leftbehind`` command: one place that maps errors to exit codes (layer L6).

A :class:`~leftbehind.errors.LeftbehindError` becomes one line on standard error and exit
status 2; ``--debug`` (anywhere on the command line) shows the traceback instead.
"""

from __future__ import annotations

import sys

import click

from leftbehind.cli._app import app

# Command modules register their commands on import.
from leftbehind.cli import quick, study, replicate, qual_store, qual_analysis  # noqa: E402,F401

EXIT_USER_ERROR = 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``) and return the exit status."""
    from leftbehind.errors import LeftbehindError

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        result = app(args=args, prog_name="leftbehind", standalone_mode=False)
    except LeftbehindError as exc:
        if debug:
            raise
        click.echo(f"error: {exc}", err=True)
        return EXIT_USER_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return EXIT_USER_ERROR if exc.exit_code == 2 else exc.exit_code
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        if debug:
            raise
        click.echo(f"error: {exc.filename}: {exc.strerror} (hint: check the path)", err=True)
        return EXIT_USER_ERROR
    return result if isinstance(result, int) else 0


def run() -> None:  # console_scripts entry point
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
