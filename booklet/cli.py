"""The `booklet` command: parse options, call the API, turn a BookletError into one line."""

from __future__ import annotations

import functools
import logging
import math
import os
import shlex
import signal
import sys
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import click

from . import __version__
from .errors import BookletError, UsageError, counted, error_line


def reports_errors(command: Callable) -> Callable:
    """Print a BookletError as `booklet: FILE:LINE: message` and exit 1 (2 for usage errors).

    With --debug the traceback is shown instead.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug")
        try:
            with library_notes() as notes:
                result = command(*args, **kwargs)
            for note in dict.fromkeys(notes):  # after the summary, each once
                click.echo(f"booklet: warning: {note}", err=True)
            return result
        except KeyboardInterrupt:
            if debug:
                raise
            click.echo("booklet: interrupted; files from earlier builds are unchanged", err=True)
            sys.exit(130)
        except BrokenPipeError:
            _stdout_to_devnull()  # what reads our output has gone (`booklet build … | head -1`):
            sys.exit(141)  # nothing more to say there; end as a program stopped by SIGPIPE does
        except Exception as exc:  # BookletError, OSError, or a bug: one line all the same
            if debug:
                raise
            line, code = error_line(exc)
            click.echo(f"booklet: {line}", err=True)
            sys.exit(code)

    return wrapper


def _stdout_to_devnull() -> None:
    """Send what is still buffered for a closed stdout nowhere, so that the interpreter's last
    flush does not fail on it too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a file (a test's stand-in): nothing buffered to lose
        pass


@contextmanager
def library_notes() -> Iterator[list[str]]:
    """Collect what the libraries would print on stderr by themselves (pypdf's log lines about a
    damaged PDF it could still read, Python warnings such as Pillow's about huge images), to be
    shown as booklet's own warnings instead of stray lines."""
    notes: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notes.append(f"{record.name.split('.')[0]}: {record.getMessage()}")

    logger = logging.getLogger("pypdf")
    handler, propagate = Keep(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
                warnings.simplefilter("ignore", category)  # for developers, not for the person printing
            yield notes
        notes.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


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


# --- option helpers ---------------------------------------------------------------------

_SCHEME_CHOICE = click.Choice(["cut-stack", "quarto", "saddle-2up", "mini-zine"])


def _millimetres(ctx, param, value):
    """Millimetres on the command line → points for the API."""
    if value is None:
        return 0.0
    if not math.isfinite(value):  # float() takes nan and inf (regression: nan was taken as 0)
        raise click.BadParameter(f"must be a number of millimetres, not {value}")
    if value < 0:
        raise click.BadParameter("cannot be negative")
    return value * 72 / 25.4


def _marks(ctx, param, value):
    if not value:
        return frozenset()
    from .impose import MARKS

    names = [v.strip() for v in value.split(",") if v.strip()]
    if names == ["all"]:
        return frozenset(MARKS)
    for name in names:
        if name not in MARKS:
            raise click.BadParameter(f"unknown mark {name!r}; choose from {', '.join(MARKS)} (or all)")
    return frozenset(names)


def imposition_options(command: Callable) -> Callable:
    """The options `build` and `impose` share: how pages go on sheets and how they are printed."""
    options = [
        click.option("--scheme", type=_SCHEME_CHOICE, default=None,
                     help="How pages go on sheets (default: the layout's scheme, else cut-stack)."),
        click.option("--sheet", metavar="a4|a3|a5|letter|legal|tabloid|WxH",
                     help="The paper (WxH in mm); default: the layout's sheet, else the one the pages fit."),
        click.option("--binding", type=click.Choice(["left", "right"]), default=None,
                     help="Spine on the left, or on the right for right-to-left booklets "
                          "(default: left, or right for `direction: rtl`)."),
        click.option("--flip", type=click.Choice(["long", "short"]), default="long", show_default=True,
                     help="The edge your printer turns the sheet about for the back side."),
        click.option("--manual-duplex", is_flag=True,
                     help="All fronts, then all backs, for printers without a duplexer."),
        click.option("--blanks", type=click.Choice(["before-back", "end"]), default="before-back",
                     show_default=True,
                     help="Where blank padding pages go: before the last page (the back cover) or at the end."),
        click.option("--printer-margin", type=float, callback=_millimetres, metavar="MM",
                     help="Border (mm) your printer cannot print; pages shrink just enough to stay inside."),
        click.option("--creep", type=float, callback=_millimetres, metavar="MM",
                     help="Paper thickness (mm, e.g. 0.1): inner leaves' content moves toward the spine."),
        click.option("--marks", callback=_marks, metavar="LIST",
                     help="Comma-separated marks: cut, fold, crop, collate (or all). None by default."),
        click.option("--group", type=click.IntRange(min=1), metavar="G",
                     help="Fold nests of G sheets separately and gather them (thick booklets)."),
        click.option("--nest/--gather", default=True,
                     help="quarto: folded sheets inside each other, or stacked signatures."),
        click.option("--strict", is_flag=True, help="Refuse pages of the wrong size instead of scaling them."),
        click.option("--guide", is_flag=True, help="Also write a one-page folding guide, PRINT-guide.pdf."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def impose_options(params: dict) -> tuple["ImposeOptions", frozenset[str]]:
    """ImposeOptions from the shared options (removed from `params`), and the names of those
    given on the command line among scheme, sheet and binding (the others are the layout's)."""
    from .impose import ImposeOptions
    from .paper import sheet_size

    chosen = frozenset(name for name in ("scheme", "sheet", "binding") if params[name] is not None)
    names = ("flip", "manual_duplex", "blanks", "printer_margin", "creep", "marks", "group", "nest", "strict")
    values = {name: params.pop(name) for name in names}
    sheet = params.pop("sheet")
    try:
        values["sheet_size"] = sheet_size(sheet) if sheet is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return ImposeOptions(scheme=params.pop("scheme") or "cut-stack", binding=params.pop("binding"),
                         **values), chosen


def report_imposition(report, guide_path: Path | None, quiet: bool) -> None:
    """The imposition part of the summary: scale, guide, printing steps."""
    if quiet:
        return
    if abs(report.scale - 1) > 0.0005:
        click.echo(f"pages printed at {report.scale:.1%} of their size")
    if guide_path is not None:
        click.echo(f"folding guide: {guide_path}")
    for number, line in enumerate(report.instructions, 1):
        click.echo(f"  {number}. {line}")


def page_count_line(pages: int, blanks: int, report, others: str = "with content") -> str:
    """"16 pages (9 with content, 7 blank) on 2 sheets": what the booklet is made of, honestly."""
    made = counted(pages, "page")
    if blanks:
        made += f" ({pages - blanks} {others}, {blanks} blank)"
    line = f"{made} on {counted(report.sheets, 'sheet')}"
    if report.scheme == "mini-zine" and report.sheets > 1:
        line += f": {report.sheets} separate 8-page zines, one a sheet"
    return line


INPUT_PATH = click.Path(path_type=Path, readable=False)
"""A file or folder to read. Whether it can be read is found by reading it: a file without read
permission is a problem of the input (one line naming it, exit 1), not of the command line (click's
"Path 'x' is not readable", exit 2)."""


def build_options(command: Callable) -> Callable:
    """What `build` and `watch` share: SOURCE, -o, --layout and the imposition options."""
    command = imposition_options(command)
    command = click.option("--layout", "layout_name", metavar="NAME|PATH",
                           help="A built-in layout or a layout file.")(command)
    command = click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("."),
                           show_default=True, help="Folder for NAME-read.pdf and NAME-print.pdf.")(command)
    return click.argument("source", type=INPUT_PATH)(command)


class _Commands(click.Group):
    """The `booklet` group: a wrong command line (an unknown option, a bad value, a missing
    argument) is one line `booklet: …` and exit code 2, like every other error, for every
    command, instead of click's usage, hint and error lines."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:  # `booklet` alone: the help, as click shows it
            exc.show()
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            command = " ".join(["booklet", *exc.ctx.command_path.split()[1:]]) if exc.ctx is not None else "booklet"
            hint = f" (see {command} --help)"
            click.echo(f"booklet: {exc.format_message()}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("booklet: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)  # an int is click's exit code (--help, --version)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
@click.option("--debug", is_flag=True, help="Show a traceback instead of a one-line error.")
def main(debug: bool) -> None:
    """Typeset Markdown articles into a print-ready pocket booklet."""


@main.command()
@build_options
@click.option("--shop", is_flag=True,
              help="Also write NAME-shop.pdf: single pages in reading order with bleed and crop marks, for a copy shop.")
@quiet_option
@reports_errors
def build(source: Path, outdir: Path, layout_name: str | None, shop: bool, guide: bool, quiet: bool,
          **params) -> None:
    """Typeset SOURCE (a Markdown file or a booklet folder) into a reading and a print PDF."""
    from .build import build as build_booklet

    options, chosen = impose_options(params)
    progress = make_progress(quiet)
    try:
        result = build_booklet(source, outdir, layout_name, options, chosen=chosen, progress=progress, shop=shop,
                               guide=guide)
    finally:
        progress.close()
    report = result.imposition
    if not quiet:
        for note in result.notes:
            click.echo(note)
        click.echo(page_count_line(result.pages + report.blanks, result.blank_pages + report.blanks, report))
        click.echo(f"reading PDF: {result.read_path}")
        click.echo(f"print PDF:   {result.print_path}")
        if result.shop_path is not None:
            click.echo(f"shop PDF:    {result.shop_path}")
    report_imposition(report, result.guide_path, quiet)
    for warning in unique_warnings([*result.warnings, *report.warnings]):
        click.echo(f"booklet: {warning}", err=True)


@main.command()
@build_options
@click.option("--open", "open_viewer", is_flag=True, help="Open the reading PDF in the system viewer once.")
@quiet_option
@reports_errors
def watch(source: Path, outdir: Path, layout_name: str | None, guide: bool, quiet: bool, open_viewer: bool,
          **params) -> None:
    """Build SOURCE, then rebuild whenever a file it is made from changes (Ctrl-C stops).

    One status line per build: what changed, pages, time, warnings. A save that breaks the
    booklet prints the error and leaves the last good PDFs in place.
    """
    stop_on_signals()
    options, chosen = impose_options(params)
    if not source.exists():  # else it would watch the parent folder for a file that may never come
        raise BookletError("no such file or folder", source)

    def rebuild(lines, kept, on_reading):
        with library_notes() as notes:
            result = build_booklet(source, outdir, layout_name, options, chosen=chosen, lines=lines, guide=guide,
                                   on_reading=on_reading, kept=kept)
        result.warnings.extend(notes)
        return result

    def echo(line: str) -> None:
        if not quiet or line.startswith("booklet: "):
            click.echo(line, err=line.startswith("booklet: "))

    try:
        if not quiet:
            click.echo(f"watching {source} (Ctrl-C to stop)")
        from .build import build as build_booklet
        from .watch import watch as watch_booklet

        watch_booklet(source, rebuild, echo, open_viewer=open_viewer)
    except KeyboardInterrupt:  # Ctrl-C before the watch got going (watch_booklet handles it after)
        pass


def stop_on_signals() -> None:
    """Make Ctrl-C (SIGINT) and `kill` (SIGTERM) a stop: KeyboardInterrupt, which ends watch
    quietly with exit 0. Set, not assumed: a watch that a script starts in the background
    inherits SIGINT ignored (bash ignores it for a `&` job), and SIGTERM would end it mid-write."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def unique_warnings(warnings: list[str]) -> list[str]:
    """Each warning once, in order, every one starting with `warning: `."""
    shown = (str(w) if str(w).startswith("warning: ") else f"warning: {w}" for w in warnings)
    return list(dict.fromkeys(shown))


@main.command(name="check")
@click.argument("source", type=INPUT_PATH)
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
        click.echo(f"{source}: no errors" + (f", {counted(len(problems), 'warning')}" if problems else ""))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@reports_errors
def new(folder: Path) -> None:
    """Create a starter booklet in FOLDER that builds as it is."""
    from .starter import create_starter

    create_starter(folder)
    click.echo(f"created {folder}; build it with: booklet build {shlex.quote(str(folder))}")


@main.command()
@reports_errors
def layouts() -> None:
    """List the built-in layouts."""
    from .layouts import builtin_layouts, parse_layout
    from .paper import MM

    for name, path in sorted(builtin_layouts().items()):
        layout = parse_layout(path)
        page = f"{layout.page_width / MM:.0f}×{layout.page_height / MM:.0f} mm"
        sheet = f"{layout.imposition.sheet_width / MM:.0f}×{layout.imposition.sheet_height / MM:.0f} mm"
        click.echo(f"{name:16} {page} pages on {sheet} sheets, {layout.imposition.scheme}: {layout.description}")


@main.command()
@click.argument("input_pdf", metavar="INPUT.pdf", type=INPUT_PATH)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Print PDF to write (default: INPUT-print.pdf beside the input).")
@imposition_options
@quiet_option
@reports_errors
def impose(input_pdf: Path, output: Path | None, guide: bool, quiet: bool, **params) -> None:
    """Impose the pages of INPUT.pdf on sheets for double-sided printing.

    \b
    Schemes (A6 pages on A4 unless stated):
      cut-stack   2 x 2 a side; cut across the middle, top pile on bottom pile,
                  fold once, staple (the default).
      quarto      2 x 2 a side, top row upside down; fold each sheet twice,
                  nest or gather, trim the head.
      saddle-2up  A5 pages two a side on A4 landscape; fold once, staple.
      mini-zine   8 A7 pages on one side of A4 landscape; slit and fold.
    """
    from .files import atomic_outputs
    from .impose import guide_beside, impose_pdf, write_guide

    output = output or input_pdf.with_name(f"{input_pdf.stem}-print.pdf")
    if output.resolve() == input_pdf.resolve():
        raise UsageError("the output would replace the input; choose another name with -o", output)
    guide_path = guide_beside(output) if guide else None
    progress = make_progress(quiet)
    progress("imposing")
    try:
        with atomic_outputs(output.parent) as outputs:  # the print PDF and its guide, as a pair
            report = impose_pdf(input_pdf, output, impose_options(params)[0], outputs=outputs)
            if guide_path is not None:
                write_guide(report, guide_path, outputs)
    finally:
        progress.close()
    if not quiet:
        click.echo(f"{page_count_line(report.pages + report.blanks, report.blanks, report, 'from the PDF')}, "
                   f"scheme {report.scheme}: {output}")
    report_imposition(report, guide_path, quiet)
    for warning in unique_warnings(report.warnings):
        click.echo(f"booklet: {warning}", err=True)


@main.command()
@click.argument("source", metavar="SOURCE_OR_PDF", type=INPUT_PATH)
@click.option("-o", "--outdir", type=click.Path(path_type=Path), help="Folder for the PNGs (default NAME-preview).")
@click.option("--pages", is_flag=True, help="The single pages.")
@click.option("--spreads", is_flag=True, help="The spreads (and the contact sheet).")
@click.option("--sheets", is_flag=True, help="The print sheets, front and back side by side. Without any of "
              "these three, all of them; with some, only those.")
@click.option("--dpi", type=float, default=100, show_default=True, help="Pixels per inch of the pictures.")
@click.option("--binding", type=click.Choice(["left", "right"]), default=None,
              help="The spine's side, for the spreads (default: the booklet's direction, else left).")
@quiet_option
@reports_errors
def preview(source: Path, outdir: Path | None, pages: bool, spreads: bool, sheets: bool, dpi: float,
            binding: str | None, quiet: bool) -> None:
    """PNG pictures of a booklet (SOURCE, a reading PDF or a print PDF): pages, spreads as the
    folded booklet shows them, print sheets, and one contact sheet of all spreads."""
    from .preview import KINDS, preview as write_preview

    chosen = tuple(kind for kind, wanted in zip(KINDS, (pages, spreads, sheets)) if wanted)
    result = write_preview(source, outdir, kinds=chosen or KINDS, dpi=dpi, binding=binding)
    if not quiet:
        parts = [counted(len(getattr(result, k)), k[:-1]) for k in KINDS if getattr(result, k)]
        parts += ["a contact sheet"] if result.contact else []
        folder = result.files[0].parent if result.files else outdir
        click.echo(f"{', '.join(parts)}: {folder}")


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path),
              default="booklet-testsheet.pdf", show_default=True, help="PDF to write.")
@click.option("--letter", is_flag=True, help="US Letter instead of A4.")
@reports_errors
def testsheet(output, letter):
    """Write a two-sided calibration sheet: flip edge, front/back registration, printer margins."""
    from .impose import write_testsheet
    from .paper import paper_size

    write_testsheet(output, paper_size("Letter" if letter else "A4"))
    click.echo(f"test sheet: {output}")
    click.echo("Print it double-sided at 100 % (actual size) and follow the steps printed on its front.")


@main.command()
@click.argument("print_pdf", metavar="PRINT.pdf", type=INPUT_PATH)
@click.option("--scheme", type=_SCHEME_CHOICE, default="cut-stack", show_default=True,
              help="The scheme the file was imposed with.")
@click.option("--pages", "page_count", type=click.IntRange(min=1), required=True,
              help="How many pages the reading PDF has: the first number of the build's summary "
                   "('40 pages (34 with content, 6 blank)': 40), blanks before the back cover included.")
@click.option("--flip", type=click.Choice(["long", "short"]), default="long", show_default=True,
              help="The flip edge the printer will use.")
@click.option("--manual-duplex", is_flag=True, help="The file has all fronts, then all backs.")
@click.option("--group", type=click.IntRange(min=1), metavar="G", help="Nests of G sheets, as imposed.")
@click.option("--nest/--gather", default=True, help="quarto: nested sheets or gathered signatures.")
@click.option("--binding", type=click.Choice(["left", "right"]), default="left", show_default=True,
              help="The side the spine is on, as imposed.")
@reports_errors
def verify(print_pdf, scheme, page_count, flip, manual_duplex, group, nest, binding):
    """Simulate printing, cutting, stacking and folding PRINT.pdf; report the reading order.

    Exits 1 when pages come out missing, out of order or upside down, with the one setting
    to change when a single one explains it.
    """
    from .errors import BookletError
    from .impose.verify import Settings, verify_print_pdf
    from .impose.writer import read_print_pdf

    if not print_pdf.exists():
        raise BookletError("file not found", print_pdf)
    settings = Settings(scheme, flip, manual_duplex, group, nest, binding)
    order, problems, sheets = verify_print_pdf(read_print_pdf(print_pdf), page_count, settings, print_pdf)
    click.echo(f"reading order: {order}")
    if problems:
        for problem in problems:
            click.echo(f"booklet: {print_pdf}: {problem}", err=True)
        sys.exit(1)
    pages = "the page upright" if page_count == 1 else f"all {page_count} pages in order and upright"
    click.echo(f"ok: {pages} after {scheme} "
               f"({counted(sheets, 'sheet')}, flip {flip}{', manual duplex' if manual_duplex else ''}"
               f"{', bound on the right' if binding == 'right' else ''})")

