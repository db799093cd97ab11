"""Imposition: reading-order pages → printer sheets (plan is pure; writer alone touches pypdf).

`impose_pdf` reads a PDF of booklet pages, plans the sheets for a scheme (plan.py and one
module per scheme), places every page (geometry.py), adds marks (marks.py) and writes the
print PDF (writer.py). `write_guide` and `write_testsheet` make the one-page folding guide
and the printer calibration sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BookletError, UsageError
from ..files import Outputs
from ..paper import MM, SHEETS, paper_size
from . import geometry, marks as marks_module
from .instructions import finishing_steps, print_steps
from .plan import BINDINGS, BLANKS, FLIPS, plan
from .schemes import SCHEMES, scheme_module
from .slots import Plan

if TYPE_CHECKING:  # writer.py imports pypdf: only when a PDF is written
    from .writer import KeptImposition

__all__ = ["ImposeOptions", "ImposeReport", "impose_pdf", "guide_beside", "write_guide", "write_testsheet",
           "plan", "Plan", "SCHEMES", "MARKS", "sheet_size_for", "slot_size_for", "WARN_BELOW", "WARN_ABOVE"]

MARKS = marks_module.MARKS
MAX_FOLDED_PER_NEST = 16  # more folded sheets or strips than this in one nest fold badly


@dataclass(frozen=True)
class ImposeOptions:
    """How to impose. Lengths in points."""

    scheme: str = "cut-stack"        # cut-stack | quarto | saddle-2up | mini-zine
    flip: str = "long"               # long | short
    binding: str | None = None       # left | right (right-to-left booklets); None: as the PDF reads
    manual_duplex: bool = False
    blanks: str = "before-back"      # before-back | end   (where padding blanks go)
    printer_margin: float = 0.0      # points
    creep: float = 0.0               # points (paper thickness)
    marks: frozenset[str] = frozenset()   # cut, fold, crop, collate
    group: int | None = None         # sheets per nest (cut-stack, saddle-2up, quarto)
    nest: bool = True                # quarto: nested vs gathered signatures
    strict: bool = False             # refuse wrong-size pages instead of scaling
    sheet_size: tuple[float, float] | None = None  # points; None = the scheme's default


@dataclass
class ImposeReport:
    """What impose_pdf did: counts, the content scale, and lines for the CLI summary."""

    pages: int
    blanks: int
    sheets: int
    scale: float
    warnings: list[str]
    instructions: list[str]
    scheme: str = "cut-stack"
    output: Path | None = None
    sheet_size: tuple[float, float] = field(default_factory=lambda: paper_size("A4"))
    plan: Plan | None = field(default=None, repr=False)


def check_options(options: ImposeOptions) -> None:
    """Raise UsageError for an option value no scheme accepts."""
    if options.scheme not in SCHEMES:
        raise UsageError(f"unknown scheme {options.scheme!r}; choose one of {', '.join(SCHEMES)}")
    if options.flip not in FLIPS:
        raise UsageError(f"--flip must be long or short, not {options.flip!r}")
    if options.binding is not None and options.binding not in BINDINGS:
        raise UsageError(f"--binding must be left or right, not {options.binding!r}")
    if options.blanks not in BLANKS:
        raise UsageError(f"--blanks must be before-back or end, not {options.blanks!r}")
    unknown = set(options.marks) - set(MARKS)
    if unknown:
        raise UsageError(f"unknown mark {sorted(unknown)[0]!r}; choose from {', '.join(MARKS)}")
    if options.group is not None and options.group < 1:
        raise UsageError("--group must be at least 1")
    if not all(math.isfinite(v) and v >= 0 for v in (options.printer_margin, options.creep)):
        raise UsageError("--printer-margin and --creep must be millimetres, not negative, nan or inf")
    if options.creep > 1 * MM:
        raise UsageError("--creep is the paper thickness, e.g. 0.1 (mm); more than 1 mm is not paper")


def sheet_size_for(scheme: str, page_size: tuple[float, float] | None = None,
                   sheet_size: tuple[float, float] | None = None) -> tuple[float, float]:
    """The sheet in points, turned to the scheme's orientation: the given size, else the home
    printer's paper whose slots the pages fill, Letter or A4 (A4 when neither does; larger
    sheets only when asked for)."""
    if sheet_size is None:
        sheet_size = paper_size("A4")
        for name in ("A4", "Letter"):
            if page_size is not None and _close(page_size, slot_size_for(scheme, paper_size(name))):
                sheet_size = paper_size(name)
                break
    w, h = min(sheet_size), max(sheet_size)
    return (h, w) if scheme_module(scheme).LANDSCAPE else (w, h)


def slot_size_for(scheme: str, sheet_size: tuple[float, float]) -> tuple[float, float]:
    """One page slot of `scheme` on a sheet (any orientation) in points: the sheet turned to
    the scheme's orientation, divided into its grid."""
    module = scheme_module(scheme)
    w, h = sorted(sheet_size)
    if module.LANDSCAPE:
        w, h = h, w
    return w / module.COLUMNS, h / module.ROWS


def _close(a: tuple[float, float], b: tuple[float, float], tolerance: float = 1 * MM) -> bool:
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


def _mm(size: tuple[float, float]) -> str:
    return f"{size[0] / MM:.0f} × {size[1] / MM:.0f} mm"


def impose_pdf(source: Path, output: Path, options: ImposeOptions = ImposeOptions(),
               data: bytes | None = None, outputs: Outputs | None = None,
               kept: KeptImposition | None = None) -> ImposeReport:
    """Impose the pages of `source` onto sheets in `output` (written atomically).

    A page's trim box (its finished size; the crop box when it has none) fills its slot, its
    bleed is kept up to the slot's edges except across a fold. Raises BookletError (naming the
    file) for a missing, corrupt, password-protected or empty source, and for wrong-size pages
    with options.strict; UsageError for impossible options.

    `data`, when given, is the content of `source` (the build passes the reading PDF it has
    just made, so it is not read back from disk). `outputs`, when given, is the set of files
    that `output` is written as one of (the build's, replaced together). `kept`, when given,
    is what the imposition of this PDF before a small change kept (`booklet watch`): the
    objects `data` has byte for byte are not parsed again, the page forms are not written again.
    """
    from .writer import SourcePDF, source_title, write_print_pdf

    check_options(options)
    source, output = Path(source), Path(output)
    pdf = SourcePDF(source, data, kept)
    if data is None and pdf.is_imposed:  # imposed twice, its pages come out in no order on paper
        name = source.name.removesuffix("-print.pdf") + "-read.pdf" if source.name.endswith("-print.pdf") else "PDF"
        raise BookletError(f"this is a print PDF already (its sheets place the pages of a booklet): impose the "
                           f"reading {name} it was made from", source)
    page_count = len(pdf.pages)
    # a reading PDF that says it reads right to left (booklet's own do) is bound on the right
    binding = options.binding or ("right" if pdf.reads_right_to_left else "left")
    the_plan = plan(page_count, options.scheme, flip=options.flip, manual_duplex=options.manual_duplex,
                    blanks=options.blanks, group=options.group, nest=options.nest, binding=binding)
    first = _finished_size(pdf.pages[0])
    sheet = sheet_size_for(options.scheme, first, options.sheet_size)
    try:
        margin_scale = geometry.printer_margin_scale(sheet, the_plan.rows, the_plan.columns,
                                                     options.printer_margin)
    except ValueError as exc:
        raise UsageError(f"--printer-margin: {exc}") from None
    slot_size = (sheet[0] / the_plan.columns, sheet[1] / the_plan.rows)
    fits, warnings = _fit_pages(pdf, slot_size, options.strict)
    if warnings:
        warnings[0] += _size_hint(first, options.scheme, sheet)
    drawings = _draw_sheets(the_plan, pdf, sheet, margin_scale, options)
    warnings = pdf.warnings + warnings + _nest_warnings(the_plan, options) + _ignored_options(options)
    instructions = print_steps(the_plan, output.name) + finishing_steps(the_plan, sheet)
    if margin_scale < 1:
        instructions.append(f"Pages are shrunk to {margin_scale:.1%} to stay "
                            f"{options.printer_margin / MM:.1f} mm inside the sheet edges.")
    if options.creep:
        instructions.append(f"Creep: the content of leaf j (0 = outermost) is moved j × "
                            f"{options.creep / MM:.2f} mm toward the spine.")

    duplex = the_plan.duplex and not the_plan.manual_duplex
    warnings += write_print_pdf(pdf, drawings, output, flip=options.flip if duplex else None,
                                title=source_title(pdf), outputs=outputs)
    return ImposeReport(pages=page_count, blanks=the_plan.blanks, sheets=the_plan.sheets,
                        scale=min(fits) * margin_scale, warnings=warnings, instructions=instructions,
                        scheme=options.scheme, output=output, sheet_size=sheet, plan=the_plan)


WARN_BELOW = 0.95  # pages shrunk more than this to fit their slots get a warning, not just a note
WARN_ABOVE = 1 / WARN_BELOW  # and pages enlarged more than this: their type prints larger than set


def _finished_size(page) -> tuple[float, float]:
    """A source page's finished (trim) size as shown, in points."""
    to_upright, _, _ = geometry.upright(page.box, page.rotate)
    x0, y0, x1, y1 = geometry.transform_rect(to_upright, page.finished)
    return x1 - x0, y1 - y0


def _fit_pages(pdf, slot_size: tuple[float, float], strict: bool) -> tuple[list[float], list[str]]:
    """Each page's scale to fit its slot (1 for the right size), and a warning when a page is
    shrunk below WARN_BELOW or enlarged above WARN_ABOVE (the summary states any other scale);
    with `strict` a wrong-size page is an error."""
    fits = []
    for index, page in enumerate(pdf.pages):
        w, h = _finished_size(page)
        fits.append(geometry.fit_scale((w, h), slot_size))
        if fits[-1] != 1.0 and strict:
            raise BookletError(f"page {index + 1} is {_mm((w, h))}, not {_mm(slot_size)} like its slot; "
                               "--strict refuses to scale it", pdf.path)
    scaled = [i for i, k in enumerate(fits) if not WARN_BELOW <= k <= WARN_ABOVE]
    if not scaled:
        return fits, []
    pages = ", ".join(str(i + 1) for i in scaled[:5]) + (" …" if len(scaled) > 5 else "")
    low, high = (f"{k:.0%}" for k in (min(fits[i] for i in scaled), max(fits[i] for i in scaled)))
    span = low if low == high else f"{low} to {high}"  # (A5 at 71 % and A6 landscape at 71 %: one)
    count = f"{len(scaled)} page" + ("s" if len(scaled) > 1 else "")
    return fits, [f"{count} ({pages}) {'are' if len(scaled) > 1 else 'is'} not {_mm(slot_size)} like "
                  f"{'their slots' if len(scaled) > 1 else 'its slot'}: scaled to fit ({span})"]


def _size_hint(page_size: tuple[float, float], scheme: str, sheet: tuple[float, float]) -> str:
    """"; for these pages try --sheet a3" (or --scheme …) when a scheme and a sheet exist whose
    slots these pages fill: the same sheet first (the paper at hand), then the same scheme."""
    current = next((name for name in SHEETS if _close(sorted(sheet), sorted(paper_size(name)))), None)
    fitting = [(other, name) for other in SCHEMES for name in SHEETS
               if _close(page_size, slot_size_for(other, paper_size(name)))]
    fitting.sort(key=lambda pair: (pair[1] != current, pair[0] != scheme))
    if not fitting:
        return ""
    other, name = fitting[0]
    parts = ([f"--scheme {other}"] if other != scheme else []) + ([f"--sheet {name.lower()}"] if name != current else [])
    return f"; for {_mm(page_size)} pages try {' '.join(parts)}" if parts else ""


def _draw_sheets(the_plan: Plan, pdf, sheet: tuple[float, float], margin_scale: float,
                 options: ImposeOptions) -> list:
    """Plan + page boxes → a Drawing per print-PDF page: placements, marks, trim box."""
    from .writer import Drawing

    rows, columns = the_plan.rows, the_plan.columns
    drawings = []
    for side in the_plan.sides:
        drawing = Drawing(size=sheet)
        rects, clips, gaps = [], [], []
        for slot in side.slots:
            if slot.page_index is None:
                continue
            page = pdf.pages[slot.page_index]
            folds = geometry.fold_edges(slot, rows, columns, scheme_module(the_plan.scheme).FOLDED_INNER_EDGES)
            placed = geometry.place(slot, sheet, rows, columns, page.box, page.rotate, margin_scale, options.creep,
                                    page.trim, folds)
            drawing.placements.append((slot.page_index, placed.matrix, placed.clip))
            drawing.form_matrices[slot.page_index] = placed.form_matrix
            rects.append(placed.page_rect)
            clips.append(placed.clip)
            gaps.append(placed.bleed + marks_module.CROP_MARK_GAP)  # crop marks start past the bleed
        if options.marks:
            drawing.marks = marks_module.sheet_marks(the_plan, side, sheet, rects, clips, options.marks, gaps)
        if rects:
            drawing.trim = (min(r[0] for r in rects), min(r[1] for r in rects),
                            max(r[2] for r in rects), max(r[3] for r in rects))
        drawings.append(drawing)
    return drawings


def _nest_warnings(the_plan: Plan, options: ImposeOptions) -> list[str]:
    """Say so when one nest is too thick to fold and staple well, and suggest --group."""
    if the_plan.scheme == "mini-zine":
        if the_plan.sheets == 1:
            return []
        blank = the_plan.sheets * 8 - the_plan.page_count
        last = f", the last with {blank} blank page{'s' if blank > 1 else ''}" if blank else ""
        return [f"a mini-zine holds 8 pages: these {the_plan.page_count} make {the_plan.sheets} separate "
                f"zines{last}; for one booklet, make it 8 pages or choose bigger pages (booklet layouts)"]
    folded_per_sheet = scheme_module(the_plan.scheme).FOLDED_PER_SHEET
    biggest = max(count for _, count in the_plan.nests)
    strips = biggest * folded_per_sheet
    if strips <= MAX_FOLDED_PER_NEST:
        return []
    group = 4 if folded_per_sheet == 2 else 8
    pages = group * scheme_module(the_plan.scheme).PAGES_PER_SHEET
    nests = -(-the_plan.sheets // group)
    alternative = " or --gather" if the_plan.scheme == "quarto" else ""
    return [f"one nest of {strips} folded sheets is too thick to fold and staple well; try --group {group}"
            f"{alternative} ({nests} nests of up to {pages} pages, gathered)"]


def _ignored_options(options: ImposeOptions) -> list[str]:
    """One warning naming the options given that the scheme has no use for (a mini-zine is one
    side of one sheet, folded: no duplex, no nests; only quarto gathers signatures), so that
    nobody prints believing they took effect."""
    single_sided = not scheme_module(options.scheme).DUPLEX
    ignored = [name for name, given in (
        ("--flip short", single_sided and options.flip == "short"),
        ("--manual-duplex", single_sided and options.manual_duplex),
        ("--group", options.scheme == "mini-zine" and options.group is not None),
        ("--creep", options.scheme == "mini-zine" and options.creep > 0),
        ("--gather", options.scheme != "quarto" and not options.nest),
    ) if given]
    if not ignored:
        return []
    return [f"{', '.join(ignored)} {'does' if len(ignored) == 1 else 'do'} nothing with the {options.scheme} "
            f"scheme: ignored"]


def guide_beside(print_path: Path) -> Path:
    """The folding guide's path: PRINT-guide.pdf beside the print PDF."""
    return print_path.with_name(f"{print_path.stem}-guide.pdf")


def write_guide(report: ImposeReport, output: Path, outputs: Outputs | None = None) -> None:
    """The one-page folding guide for an imposition (A4 PDF, written atomically, as one file of
    `outputs` when given)."""
    from .guide import guide_pdf
    from .writer import write_pdf_bytes

    write_pdf_bytes(guide_pdf(report), Path(output), outputs)


def write_testsheet(output: Path, sheet_size: tuple[float, float] | None = None) -> None:
    """The two-sided printer calibration sheet (default A4), written atomically."""
    from .testsheet import testsheet_pdf
    from .writer import finish_pdf_bytes, write_pdf_bytes

    size = sheet_size or paper_size("A4")
    write_pdf_bytes(finish_pdf_bytes(testsheet_pdf((min(size), max(size))), flip="long"), Path(output))
