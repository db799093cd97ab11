"""The `booklet` command: parse options, call the API, turn a BookletError into one line."""

from __future__ import annotations

import functools
import sys
import threading
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
        debug = click.get_current_context().find_root().params.get("debug")
        try:
            return command(*args, **kwargs)
        except BookletError as exc:
            if debug:
                raise
            click.echo(f"booklet: {exc}", err=True)
            sys.exit(2 if isinstance(exc, UsageError) else 1)
        except KeyboardInterrupt:
            if debug:
                raise
            click.echo("booklet: interrupted; files from earlier builds are unchanged", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug, not the user's mistake: still one line, and a way to learn more
            if debug:
                raise
            click.echo(f"booklet: internal error ({type(exc).__name__}: {exc}); files from earlier builds are "
                       "unchanged; rerun with --debug for a traceback and please report it", err=True)
            sys.exit(70)  # EX_SOFTWARE

    return wrapper


class Progress:
    """A one-line status on stderr, shown only on a terminal and only once work has taken a second.

    Call it with the name of each stage as it starts; `close()` erases the line. A background
    thread draws the line, so a single long stage still shows up after a second.
    """

    DELAY = 1.0  # seconds of silence before the first status
    TICK = 0.1

    def __init__(self, enabled: bool):
        self.stage = "working"
        self.shown = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._show, daemon=True) if enabled else None
        if self._thread is not None:
            self._thread.start()

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def _show(self) -> None:
        if self._done.wait(self.DELAY):
            return
        shown = None
        while True:
            stage = self.stage
            if stage != shown:
                click.echo(f"\r\033[Kbooklet: {stage}…", err=True, nl=False)
                self.shown, shown = True, stage
            if self._done.wait(self.TICK):
                return

    def close(self) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)


def make_progress(quiet: bool) -> Progress:
    return Progress(enabled=not quiet and sys.stderr.isatty())


quiet_option = click.option("-q", "--quiet", is_flag=True,
                            help="Print nothing but errors and warnings (for scripts).")


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
@quiet_option
@reports_errors
def build(source: Path, outdir: Path, layout_name: str | None, quiet: bool) -> None:
    """Typeset SOURCE (a Markdown file or a booklet folder) into a reading and a print PDF."""
    from .build import build as build_booklet

    progress = make_progress(quiet)
    try:
        result = build_booklet(source, outdir, layout_name, progress=progress)
    finally:
        progress.close()
    report = result.imposition
    if not quiet:
        click.echo(f"{result.pages} pages on {report.sheets} sheets")
        click.echo(f"reading PDF: {result.read_path}")
        click.echo(f"print PDF:   {result.print_path}")
        for line in report.instructions:
            click.echo(f"  {line}")
    for warning in unique_warnings([*result.warnings, *report.warnings]):
        click.echo(f"booklet: {warning}", err=True)


def unique_warnings(warnings: list[str]) -> list[str]:
    """Each warning once, in order, every one starting with `warning: `."""
    shown = (str(w) if str(w).startswith("warning: ") else f"warning: {w}" for w in warnings)
    return list(dict.fromkeys(shown))


@main.command(name="check")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--layout", "layout_name", metavar="NAME|PATH", help="A built-in layout or a layout file.")
@quiet_option
@reports_errors
def check_command(source: Path, layout_name: str | None, quiet: bool) -> None:
    """Report every problem in SOURCE that can be found without laying out pages."""
    from .build import check

    problems = list(dict.fromkeys(check(source, layout_name)))
    for problem in problems:
        click.echo(f"booklet: {problem}", err=True)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        sys.exit(1)
    if not quiet:
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

