"""Commands on a study folder: ``check``, ``run`` and ``demo`` (layer L6)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from leftbehind.cli._app import app
from leftbehind.cli._output import echo_json

STUDY = typer.Argument(..., help="Study folder (holding study.toml) or the study.toml itself.")


@contextmanager
def progress_bar(total: int, description: str) -> Iterator[Callable[[str], None]]:
    """A Rich progress bar on standard error; yields the callback the library calls per step."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[step]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=not console.is_terminal, disable=not console.is_terminal) as bar:
        task = bar.add_task(description, total=total, step="")

        def step(message: str) -> None:
            bar.update(task, advance=1, step=message)

        yield step
        bar.update(task, completed=total)


@app.command()
def check(study: Path = STUDY, as_json: bool = typer.Option(False, "--json")) -> None:
    """List every problem of a study file and its data at once (key path and line)."""
    from leftbehind.survey import check_study

    problems = check_study(study)
    if as_json:
        echo_json([{"message": p.message, "hint": p.hint, "file": p.location.file, "line": p.location.line,
                    "key": p.location.key, "row": p.location.row, "column": p.location.column} for p in problems])
    else:
        for problem in problems:
            typer.echo(str(problem))
        typer.echo(f"{len(problems)} problem(s)" if problems else "ok: no problems found")
    if problems:
        raise typer.Exit(2)


@app.command()
def run(study: Path = STUDY, out: Path | None = typer.Option(None, help="Output folder (default STUDY/output).")) -> None:
    """Run the whole study: sample flow, reliability, factors, tables, models, plots, report, results.json."""
    from leftbehind.report.outputs import planned_steps, run_and_write
    from leftbehind.report.pipeline import load

    loaded = load(study)
    with progress_bar(planned_steps(loaded), "leftbehind run") as step:
        written = run_and_write(loaded, out=out, progress=step)
    typer.echo(f"wrote {written}")


@app.command()
def demo(folder: Path = typer.Argument(Path("leftbehind-demo"), help="Where to put the example study."),
         force: bool = typer.Option(False, help="Replace the folder if it exists.")) -> None:
    """Copy the bundled example studies into FOLDER and run them end to end."""
    from leftbehind.report.demo import copy_examples, demo_steps, run_examples

    studies = copy_examples(folder, force=force)
    with progress_bar(demo_steps(studies), "leftbehind demo") as step:
        written = run_examples(studies, progress=step)
    for path in written:
        typer.echo(f"wrote {path}")
