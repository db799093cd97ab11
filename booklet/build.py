"""The pipeline, stage after stage: source → model → checks → images → reading PDF → print PDF."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from .cache import digest, store
from .errors import BookletError, BookletErrors, Collector, Problem, UsageError
from .files import atomic_outputs, check_output_dir, tidy_output_dir, write_atomic
from .fonts import bundled_family, forget_changed_fonts
from .images import Prepared, prepare_images
from .impose import (WARN_ABOVE, WARN_BELOW, ImposeOptions, ImposeReport, check_options, guide_beside, impose_pdf,
                     slot_size_for, write_guide)
from .impose.geometry import fit_scale
from .impose.schemes import SCHEMES, scheme_module
from .impose.shop import write_shop_pdf
from .impose.writer import KeptImposition, SourcePDF, place_pages
from .layouts import Layout, as_written, bled, bound, did_you_mean, layout_error, load_layout, with_page_size
from .paper import MM
from .model import Booklet, CoverPage, Figure, article_blocks
from .parse import key_line, read_booklet
from .preflight import preflight
from .sources import read_sources
from .typeset.document import typeset
from .typeset.linecache import LineCache, using
from .typeset.story import caption_reserve, unfit_tables
from .typeset.words import forget_measures


@dataclass
class BuildResult:
    read_path: Path
    print_path: Path
    pages: int
    article_pages: tuple[tuple[str, int], ...]
    imposition: ImposeReport
    warnings: list[str] = field(default_factory=list)
    blank_pages: int = 0  # of `pages`, the blank ones (padding before the back cover)
    shop_path: Path | None = None
    guide_path: Path | None = None
    notes: list[str] = field(default_factory=list)  # facts for the summary, before the page counts
    sources: frozenset[Path] = frozenset()  # every file the booklet was made from (source_files)


def load_booklet(source: Path, layout_name: str | None = None) -> tuple[Booklet, Layout]:
    """Read and parse a booklet and find its layout (command line beats metadata beats `pocket`);
    every error of the sources and the layout is raised together (BookletErrors)."""
    booklet, layout, problems = read_booklet_and_layout(source, layout_name)
    if problems:
        raise BookletErrors(problems)
    assert booklet is not None
    return booklet, layout


def read_booklet_and_layout(source: Path, layout_name: str | None = None
                            ) -> tuple[Booklet | None, Layout, list[Problem]]:
    """The booklet (None if it has no text to check), its layout (`pocket` in place of a layout
    with errors) and the errors of both, found in one pass."""
    booklet: Booklet | None = None
    problems: list[Problem] = []
    collect = Collector()
    with collect.attempt():
        booklet, problems = read_booklet(read_sources(source))
    problems = collect.problems + problems
    where = booklet.metadata.where if booklet else None
    collect = Collector()
    layout = None
    with collect.attempt():
        layout = _find_layout(booklet, layout_name, where)
    problems += collect.problems
    return booklet, layout or load_layout("pocket"), problems


def _find_layout(booklet: Booklet | None, layout_name: str | None, where) -> Layout:
    if layout_name is not None:
        try:
            layout = load_layout(layout_name, Path.cwd())
        except BookletError as exc:
            if exc.path is None:  # an unknown name given with --layout: a usage error
                raise UsageError(exc.message) from None
            raise
    elif booklet is not None and booklet.metadata.layout is not None:
        try:
            base = where.path.parent if where.path.is_file() else where.path
            layout = load_layout(booklet.metadata.layout, base)
        except BookletError as exc:
            if exc.path is None:  # an unknown name: point at the metadata that names it
                raise BookletError(exc.message, where.path, key_line(where, "layout")) from None
            raise
    else:
        layout = load_layout("pocket")
    if layout.imposition.scheme not in SCHEMES:
        scheme = layout.imposition.scheme
        raise layout_error(layout, f"[imposition] scheme must be one of {', '.join(SCHEMES)}, not {as_written(scheme)}"
                                   f"{did_you_mean(scheme, SCHEMES, as_written)}", "imposition", "scheme")
    return layout


def source_files(source: Path, booklet: Booklet, layout: Layout) -> frozenset[Path]:
    """The files a build reads: the Markdown files, booklet.yaml (of a folder, even before it
    exists), every image used, the covers, the layout file and the font files it names."""
    meta = booklet.metadata
    files = {article.where.path for article in booklet.all_articles()} | {meta.where.path}
    if source.is_dir():
        files.add(source / "booklet.yaml")
    files |= {block.image for article in booklet.all_articles() for block in article_blocks(article)
              if isinstance(block, Figure)}
    files |= {page.path for page in (meta.cover, meta.back) if page is not None and page.path is not None}
    if meta.cover_image is not None:
        files.add(meta.cover_image)
    if layout.path is not None:
        files.add(layout.path)
        families = [*layout.fonts.values(), *layout.fallback_fonts]
        files |= {face.path for family in families for face in (family.regular, family.bold, family.italic,
                                                                  family.bold_italic)
                  if face is not None and bundled_family(family.name) is None}
    return frozenset(Path(os.path.abspath(path)) for path in files if not path.is_dir())


def check(source: Path, layout_name: str | None = None) -> list[Problem]:
    """Every problem found without laying out pages (what `booklet check` prints), in one pass:
    sources, metadata, front matter and layout first, then the preflight's (images, glyphs,
    words, Markdown printed as written), tables that fit nowhere, and the images' own problems."""
    booklet, layout, problems = read_booklet_and_layout(source, layout_name)
    if booklet is None:
        return problems
    problems += _checks(booklet, layout) + _sheet_problems(layout)
    flagged = {(p.path, p.line) for p in problems if p.severity == "error"}
    problems += [p for p in prepare_images(booklet, layout)[1] if (p.path, p.line) not in flagged]
    return problems


def _sheet_problems(layout: Layout) -> list[Problem]:
    """The layout's pages against the slots of its own [imposition] sheet: a build says they are
    scaled only when it imposes them, which `check` does not."""
    imposition = layout.imposition
    slot = slot_size_for(imposition.scheme, (imposition.sheet_width, imposition.sheet_height))
    page = (layout.page_width, layout.page_height)
    scale = fit_scale(page, slot)
    if WARN_BELOW <= scale <= WARN_ABOVE:
        return []
    error = layout_error(layout, f"[imposition] sheet: its {imposition.scheme} slots are {slot[0] / MM:.0f} × "
                                 f"{slot[1] / MM:.0f} mm and the pages {page[0] / MM:.0f} × {page[1] / MM:.0f} mm: "
                                 f"they will print at {scale:.0%}", "imposition", "sheet")
    return [Problem(error.message, error.path, error.line, severity="warning")]


def _checks(booklet: Booklet, layout: Layout) -> list[Problem]:
    """What the preflight finds, the tables too wide to set even at the smallest size, and
    covers made elsewhere that cannot be read."""
    return preflight(booklet, layout) + unfit_tables(booklet, layout) + _made_pdf_problems(booklet)


@contextmanager
def _images_meanwhile(booklet: Booklet, layout: Layout
                      ) -> Iterator[Callable[[], tuple[dict[Path, Prepared], list[Problem]]]]:
    """Prepare the images in a thread while the block runs (the preflight: Python, while Pillow
    decodes and resamples mostly outside the GIL); gives the function that waits for them. When
    the block fails, the images not begun are skipped."""
    reserve = caption_reserve(booklet, layout)
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as background:
        pending = background.submit(prepare_images, booklet, layout, reserve=reserve, stop=stop)
        try:
            yield pending.result
        except BaseException:
            stop.set()
            raise


def _made_pdfs(booklet: Booklet) -> dict[str, CoverPage]:
    """The front and back covers given as PDFs ("front", "back" → the page)."""
    meta = booklet.metadata
    pages = {"front": meta.cover, "back": meta.back}
    return {side: page for side, page in pages.items() if page is not None and page.kind == "pdf"}


def _place_made_pages(booklet: Booklet, pdf: bytes, page_count: int) -> tuple[bytes, list[Problem]]:
    """The covers made elsewhere as PDFs, drawn on the blank pages the typesetter left for them."""
    made = {0 if side == "front" else page_count - 1: page for side, page in _made_pdfs(booklet).items()}
    if not made:
        return pdf, []
    pdf, scaled = place_pages(pdf, {index: page.path for index, page in made.items()})
    return pdf, [Problem(f"{made[i].path.name} is not the size of the page: it is scaled to fit, centred",
                         made[i].where.path, made[i].where.line, severity="warning") for i in scaled]


def _made_pdf_problems(booklet: Booklet) -> list[Problem]:
    """Covers given as PDFs that cannot be read (encrypted, damaged, no pages)."""
    problems = []
    for page in _made_pdfs(booklet).values():
        try:
            SourcePDF(page.path)
        except BookletError as exc:
            problems.append(Problem(f"{page.path.name}: {exc.message}", page.where.path, page.where.line))
    return problems


def _silent(stage: str) -> None:
    pass


def _raise_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        others = len(errors) - 1
        more = f" (and {others} more problem{'s' if others > 1 else ''}: run `booklet check`)" if others else ""
        raise BookletError(first.message + more, first.path, first.line)


LAST_PDF_DATE = 253402300799  # 9999-12-31 23:59:59 UTC: a PDF date has four digits for the year


def check_source_date_epoch() -> None:
    """SOURCE_DATE_EPOCH, when set, must be a whole number of seconds that a PDF date can hold
    (ReportLab reads it for the document dates; see reproducible-builds.org)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value and not (value.isdigit() and int(value) <= LAST_PDF_DATE):
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 "
                         f"(0 to {LAST_PDF_DATE}), not {value!r}")


def build(source: Path, outdir: Path, layout_name: str | None = None,
          options: ImposeOptions | None = None, chosen: frozenset[str] = frozenset(),
          progress: Callable[[str], None] = _silent, shop: bool = False,
          lines: LineCache | None = None, guide: bool = False,
          on_reading: Callable[[Path], None] | None = None,
          kept: KeptImposition | None = None) -> BuildResult:
    """Write OUTDIR/NAME-read.pdf and OUTDIR/NAME-print.pdf (OUTDIR is created when missing),
    all replaced together (files.atomic_outputs); on failure none is touched.

    The layout decides the scheme and the sheet, the booklet's `direction` the binding, except
    for the options named in `chosen` ("scheme", "sheet", "binding"), asked for explicitly. A
    chosen sheet whose slots the layout's pages do not fill gives the pages the slot's size.
    `progress` is called with the name of each stage as it starts (the CLI shows it on a terminal).
    `shop` also writes OUTDIR/NAME-shop.pdf, the pages one by one with bleed and crop marks;
    `guide`, OUTDIR/NAME-print-guide.pdf, the folding guide.
    `lines` is the line cache to use (`booklet watch` keeps one in the process); by default the
    booklet's lines are kept in the store on disk.
    `on_reading`, when given, is called with the reading PDF's path as soon as it is in place:
    it is then replaced on its own, before the imposition (`booklet watch` shows the edited
    page without waiting for the print PDF), and the print PDFs follow as a set of their own.
    `kept` is what the imposition of the last build kept (`booklet watch` keeps one): the
    reading PDF's objects and page forms that an edit did not change are not made again.
    """
    check_source_date_epoch()
    if outdir.suffix.lower() == ".pdf" and not outdir.is_dir():
        raise UsageError(f"-o names the output folder, not a file: NAME-read.pdf and NAME-print.pdf are "
                         f"written into it (try -o {outdir.parent})", outdir)
    check_output_dir(outdir)
    tidy_output_dir(outdir)
    if forget_changed_fonts():  # a font file replaced in place since the last build of this process
        forget_measures()
        if lines is not None:
            lines.forget_made()
    progress("reading sources")
    booklet, layout = load_booklet(source, layout_name)
    options = options or ImposeOptions()
    options = replace(
        options,
        scheme=options.scheme if "scheme" in chosen else layout.imposition.scheme,
        sheet_size=options.sheet_size if "sheet" in chosen else (layout.imposition.sheet_width,
                                                                 layout.imposition.sheet_height),
        binding=options.binding if "binding" in chosen else ("right" if booklet.metadata.direction == "rtl"
                                                             else "left"))
    check_options(options)
    notes = []
    slot = slot_size_for(options.scheme, options.sheet_size)
    if "sheet" in chosen and fit_scale((layout.page_width, layout.page_height), slot) != 1.0:
        layout = with_page_size(layout, slot)
        notes.append(f"pages {slot[0] / MM:.1f} × {slot[1] / MM:.1f} mm, to fill the sheet's slots at 100 %")
    if shop and not layout.bleed:
        notes.append("the layout has no bleed: add `bleed = 3` to its [page] table for pictures that run "
                     "to the edge of the cut page")
    layout = bled(bound(layout, options.binding))
    progress("checking")
    with _images_meanwhile(booklet, layout) as prepared_images:
        problems = _checks(booklet, layout)
        _raise_errors(problems)
        progress("preparing images")
        images, image_problems = prepared_images()
    problems += image_problems
    _raise_errors(image_problems)
    progress("typesetting")
    # blanks before the back cover are the typesetter's job (they are real pages of the
    # reading PDF); with --blanks end the imposition pads after the last page instead
    unit = scheme_module(options.scheme).PAGES_PER_SHEET if options.blanks == "before-back" else 1
    if lines is None:
        lines = LineCache(store(), digest(str(source.resolve()).encode()).hex()[:32])
    with using(lines):
        result = typeset(booklet, layout, images, pages_per_sheet=unit)
    reading_pdf, cover_warnings = _place_made_pages(booklet, result.pdf, result.page_count)
    problems += cover_warnings
    lines.finish()
    problems += store().take_warnings()
    read_path = outdir / f"{booklet.name}-read.pdf"
    print_path = outdir / f"{booklet.name}-print.pdf"
    shop_file, guide_file = outdir / f"{booklet.name}-shop.pdf", guide_beside(print_path)
    if on_reading is not None:
        write_atomic(read_path, reading_pdf)
        on_reading(read_path)
    progress("imposing")
    with atomic_outputs(outdir) as outputs:
        if on_reading is None:
            outputs.write(read_path, reading_pdf)
        report = impose_pdf(read_path, print_path, options, data=reading_pdf, outputs=outputs, kept=kept)
        if shop:
            shop_warnings = write_shop_pdf(read_path, shop_file, data=reading_pdf, outputs=outputs)
            report.warnings.extend(w for w in shop_warnings if w not in report.warnings)
        else:  # an earlier build's is not of this set
            outputs.remove(shop_file)
        if guide:
            write_guide(report, guide_file, outputs)
        else:
            outputs.remove(guide_file)
    return BuildResult(read_path, print_path, result.page_count, result.article_pages, report,
                       [str(p) for p in problems], sources=source_files(source, booklet, layout),
                       blank_pages=len(result.blank_pages), notes=notes, shop_path=shop_file if shop else None,
                       guide_path=guide_file if guide else None)
