"""A reading PDF with bleed → the copy-shop PDF: its pages one by one, in reading order, bleed and crop marks around them.

What a copy shop asks for when it imposes the booklet itself: every page as a sheet of its
own, the finished page (its TrimBox) with its bleed, in a slug wide enough for crop marks that
start past the bleed, so that no mark shows on the cut page. Each page is placed unscaled.
"""

from __future__ import annotations

from pathlib import Path

from ..files import Outputs
from . import geometry, marks

MM = 72 / 25.4
SLUG = 8 * MM  # paper around the bleed: room for the crop marks


def shop_drawings(pdf) -> list:
    """writer.SourcePDF → one Drawing per page: the page at its own size in a SLUG-wide frame,
    its TrimBox and BleedBox stated, crop marks at the trim corners beyond the bleed."""
    from .writer import Drawing

    drawings = []
    for page_index, page in enumerate(pdf.pages):
        to_upright, width, height = geometry.upright(page.box, page.rotate)
        matrix = geometry.translate(SLUG, SLUG)
        drawn = (SLUG, SLUG, SLUG + width, SLUG + height)
        trim = geometry.transform_rect(geometry.multiply(to_upright, matrix), page.finished)
        bleed = max(trim[0] - drawn[0], trim[1] - drawn[1], drawn[2] - trim[2], drawn[3] - trim[3])
        size = (width + 2 * SLUG, height + 2 * SLUG)
        drawing = Drawing(size=size, trim=trim, bleed=drawn)
        drawing.placements.append((page_index, matrix, drawn))
        drawing.form_matrices[page_index] = to_upright
        drawing.marks = marks.crop_marks(trim, (0.0, 0.0, *size), gap=bleed + marks.CROP_MARK_GAP)
        drawings.append(drawing)
    return drawings


def write_shop_pdf(source: Path, output: Path, data: bytes | None = None,
                   outputs: Outputs | None = None) -> list[str]:
    """Write the copy-shop PDF of `source` (or of `data`, its content) to `output`
    (atomically, as one file of `outputs` when given); returns its warnings."""
    from .writer import SourcePDF, source_title, write_print_pdf

    pdf = SourcePDF(Path(source), data)
    return pdf.warnings + write_print_pdf(pdf, shop_drawings(pdf), Path(output), flip=None, title=source_title(pdf),
                                          outputs=outputs)
