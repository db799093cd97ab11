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


# --- imposition: impose, testsheet, verify ---------------------------------------------

_SCHEME_CHOICE = click.Choice(["cut-stack", "quarto", "saddle-2up", "mini-zine"])


def _millimetres(ctx, param, value):
    """Millimetres on the command line → points for the API."""
    if value is None:
        return 0.0
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


@main.command()
@click.argument("input_pdf", metavar="INPUT.pdf", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Print PDF to write (default: INPUT-print.pdf beside the input).")
@click.option("--scheme", type=_SCHEME_CHOICE, default="cut-stack", show_default=True,
              help="How pages go on sheets (see the list above and the README).")
@click.option("--flip", type=click.Choice(["long", "short"]), default="long", show_default=True,
              help="The edge your printer turns the sheet about for the back side.")
@click.option("--manual-duplex", is_flag=True, help="All fronts, then all backs, for printers without a duplexer.")
@click.option("--blanks", type=click.Choice(["before-back", "end"]), default="before-back", show_default=True,
              help="Where blank padding pages go: before the last page (the back cover) or at the end.")
@click.option("--printer-margin", type=float, callback=_millimetres, metavar="MM",
              help="Border (mm) your printer cannot print; pages shrink just enough to stay inside.")
@click.option("--creep", type=float, callback=_millimetres, metavar="MM",
              help="Paper thickness (mm, e.g. 0.1): inner leaves' content moves toward the spine.")
@click.option("--marks", callback=_marks, metavar="LIST",
              help="Comma-separated marks: cut, fold, crop, collate (or all). None by default.")
@click.option("--group", type=click.IntRange(min=1), metavar="G",
              help="Fold nests of G sheets separately and gather them (thick booklets).")
@click.option("--nest/--gather", default=True, help="quarto: folded sheets inside each other, or stacked signatures.")
@click.option("--strict", is_flag=True, help="Refuse pages of the wrong size instead of scaling them.")
@click.option("--guide", is_flag=True, help="Also write OUTPUT-guide.pdf, a one-page folding guide.")
@reports_errors
def impose(input_pdf, output, scheme, flip, manual_duplex, blanks, printer_margin, creep, marks, group, nest,
           strict, guide):
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
    from .impose import ImposeOptions, impose_pdf, write_guide

    output = output or input_pdf.with_name(f"{input_pdf.stem}-print.pdf")
    options = ImposeOptions(scheme=scheme, flip=flip, manual_duplex=manual_duplex, blanks=blanks,
                            printer_margin=printer_margin, creep=creep, marks=marks, group=group,
                            nest=nest, strict=strict)
    report = impose_pdf(input_pdf, output, options)
    padding = ""
    if report.blanks:
        where = "before the back cover" if blanks == "before-back" and report.pages > 1 else "at the end"
        padding = f" + {report.blanks} blank {where}"
    click.echo(f"{report.pages} pages{padding} on {report.sheets} sheet(s), scheme {report.scheme}: {output}")
    if report.scale < 0.999:
        click.echo(f"pages printed at {report.scale:.1%} of their size")
    if guide:
        guide_path = output.with_name(f"{output.stem}-guide.pdf")
        write_guide(report, guide_path)
        click.echo(f"folding guide: {guide_path}")
    for number, line in enumerate(report.instructions, 1):
        click.echo(f"  {number}. {line}")
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path),
              default="booklet-testsheet.pdf", show_default=True, help="PDF to write.")
@click.option("--letter", is_flag=True, help="US Letter instead of A4.")
@reports_errors
def testsheet(output, letter):
    """Write a two-sided calibration sheet: flip edge, front/back registration, printer margins."""
    from .impose import write_testsheet
    from .layouts import paper_size

    write_testsheet(output, paper_size("Letter" if letter else "A4"))
    click.echo(f"test sheet: {output}")
    click.echo("Print it double-sided at 100 % (actual size) and follow the steps printed on its front.")


@main.command()
@click.argument("print_pdf", metavar="PRINT.pdf", type=click.Path(path_type=Path))
@click.option("--scheme", type=_SCHEME_CHOICE, default="cut-stack", show_default=True,
              help="The scheme the file was imposed with.")
@click.option("--pages", "page_count", type=click.IntRange(min=1), required=True,
              help="How many pages the booklet has (without blank padding).")
@click.option("--flip", type=click.Choice(["long", "short"]), default="long", show_default=True,
              help="The flip edge the printer will use.")
@click.option("--manual-duplex", is_flag=True, help="The file has all fronts, then all backs.")
@click.option("--group", type=click.IntRange(min=1), metavar="G", help="Nests of G sheets, as imposed.")
@click.option("--nest/--gather", default=True, help="quarto: nested sheets or gathered signatures.")
@reports_errors
def verify(print_pdf, scheme, page_count, flip, manual_duplex, group, nest):
    """Simulate printing, cutting, stacking and folding PRINT.pdf; report the reading order.

    Exits 1 when pages come out missing, out of order or upside down.
    """
    from .errors import BookletError
    from .impose.plan import nest_sizes
    from .impose.verify import check, describe, sides_from_placements, simulate
    from .impose.writer import read_print_pdf

    if not print_pdf.exists():
        raise BookletError("file not found", print_pdf)
    pages = read_print_pdf(print_pdf)
    sides = sides_from_placements(pages, scheme)
    from .impose.plan import scheme_module

    module = scheme_module(scheme)
    sheets = len(sides) // (2 if module.DUPLEX else 1)
    nests = [count for _, count in nest_sizes(sheets, group)]
    try:
        faces = simulate(sides, scheme, flip=flip, manual_duplex=manual_duplex, nests=nests, nest=nest)
    except (ValueError, KeyError, IndexError) as exc:
        raise BookletError(f"cannot simulate {scheme}: {exc}", print_pdf) from None
    click.echo(f"reading order: {describe(faces)}")
    problems = check(faces, page_count)
    if problems:
        for problem in problems:
            click.echo(f"booklet: {print_pdf}: {problem}", err=True)
        sys.exit(1)
    click.echo(f"ok: all {page_count} pages in order and upright after {scheme} "
               f"({sheets} sheet(s), flip {flip}{', manual duplex' if manual_duplex else ''})")
