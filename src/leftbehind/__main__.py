"""``python -m leftbehind`` runs the CLI."""

from leftbehind.cli.main import run

run()
