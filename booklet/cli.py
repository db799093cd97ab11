"""The `booklet` command: parse options, call the API, turn a BookletError into one line."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .errors import BookletError, UsageError


def reports_errors(command: Callable) -> Callable:
    """Print a BookletError as `booklet: FILE:LINE: message` and exit 1 (2 for usage errors).

    With --debug the traceback is shown instead.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BookletError as exc:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"booklet: {exc}", err=True)
            sys.exit(2 if isinstance(exc, UsageError) else 1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
@click.option("--debug", is_flag=True, help="Show a traceback instead of a one-line error.")
def main(debug: bool) -> None:
    """Typeset Markdown articles into a print-ready pocket booklet."""


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="Folder for NAME-read.pdf and NAME-print.pdf.")
@click.option("--layout", "layout_name", metavar="NAME|PATH", help="A built-in layout or a layout file.")
@reports_errors
def build(source: Path, outdir: Path, layout_name: str | None) -> None:
    """Typeset SOURCE (a Markdown file or a booklet folder) into a reading and a print PDF."""
    from .build import build as build_booklet

    result = build_booklet(source, outdir, layout_name)
    report = result.imposition
    click.echo(f"{result.pages} pages on {report.sheets} sheets")
    click.echo(f"reading PDF: {result.read_path}")
    click.echo(f"print PDF:   {result.print_path}")
    for line in report.instructions:
        click.echo(f"  {line}")
    for warning in dict.fromkeys([*result.warnings, *report.warnings]):
        click.echo(warning if warning.startswith("warning") else f"warning: {warning}", err=True)


@main.command(name="check")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--layout", "layout_name", metavar="NAME|PATH", help="A built-in layout or a layout file.")
@reports_errors
def check_command(source: Path, layout_name: str | None) -> None:
    """Report every problem in SOURCE that can be found without laying out pages."""
    from .build import check

    problems = check(source, layout_name)
    for problem in problems:
        click.echo(f"booklet: {problem}", err=True)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        sys.exit(1)
    click.echo(f"{source}: no errors" + (f", {len(problems)} warnings" if problems else ""))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@reports_errors
def new(folder: Path) -> None:
    """Create a starter booklet in FOLDER that builds as it is."""
    from .starter import create_starter

    create_starter(folder)
    click.echo(f"created {folder}; build it with: booklet build {folder}")


@main.command()
@reports_errors
def layouts() -> None:
    """List the built-in layouts."""
    from .layouts import MM, builtin_layouts, parse_layout

    for name, path in sorted(builtin_layouts().items()):
        layout = parse_layout(path)
        page = f"{layout.page_width / MM:.0f}×{layout.page_height / MM:.0f} mm"
        sheet = f"{layout.imposition.sheet_width / MM:.0f}×{layout.imposition.sheet_height / MM:.0f} mm"
        click.echo(f"{name:16} {page} pages on {sheet} sheets, {layout.imposition.scheme}: {layout.description}")

