"""Entry point of the ``leftbehind`` command: one place that maps errors to exit codes (layer L6).

A :class:`~leftbehind.errors.LeftbehindError` becomes one line on standard error and exit
status 2; ``--debug`` (anywhere on the command line) shows the traceback instead.
"""

from __future__ import annotations

import sys

import click
import typer

from leftbehind.cli._app import app

# Command modules register their commands on import.
from leftbehind.cli import mixed, qual_analysis, qual_store, quick, replicate, study  # noqa: E402,F401

try:  # Typer >= 0.16 raises the exceptions of its own vendored click
    from typer._click.exceptions import ClickException as _TyperClickException
    from typer._click.exceptions import NoArgsIsHelpError as _NoArgsIsHelp
except ImportError:  # pragma: no cover - older Typer uses click itself
    _TyperClickException = click.ClickException
    _NoArgsIsHelp = ()

_EXIT = tuple({click.exceptions.Exit, typer.Exit})
_ABORT = tuple({click.exceptions.Abort, typer.Abort})
_CLICK_ERROR = tuple({click.ClickException, _TyperClickException})

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
    except _EXIT as exc:
        return exc.exit_code
    except _ABORT:
        click.echo("aborted", err=True)
        return 1
    except _NoArgsIsHelp as exc:
        exc.show()
        return EXIT_USER_ERROR
    except _CLICK_ERROR as exc:
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
