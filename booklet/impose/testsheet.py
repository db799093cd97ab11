"""Sheet size → a two-sided printer calibration sheet (PDF bytes).

Front and back each carry margin gauges on every edge (the first bar printed whole tells
how many millimetres the printer cannot print), a registration cross at the centre (hold the
sheet against the light: the back's cross, with its millimetre scale, shows how far back
and front are apart), and arrows and labels that read the right way only for one flip
setting. The print PDF asks for long-edge duplex; what comes out tells the user which
--flip to pass.
"""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas

from ..fonts import face_name
from ..paper import MM

RULER_MM = 10


def testsheet_pdf(sheet_size: tuple[float, float]) -> bytes:
    """Two pages (front, back) of `sheet_size` points, portrait."""
    # Charis SIL has the arrows (Noto Sans has no ↑)
    regular, bold = face_name("Charis SIL"), face_name("Charis SIL", bold=True)
    width, height = sheet_size
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height), invariant=1, initialFontName=regular,
                      initialFontSize=10)
    c.setTitle("booklet test sheet")

    # front
    _rulers(c, width, height, regular)
    _cross(c, width / 2, height / 2, scale=False)
    c.setFont(bold, 22)
    c.drawCentredString(width / 2, height - 45 * MM, "FRONT  ↑  top edge")
    _arrow(c, width / 2, height - 75 * MM, up=True)
    c.setFont(regular, 10.5)
    lines = [
        "1. Print this file double-sided at 100 % (actual size, no fit to page).",
        "2. Turn the sheet over like the page of a book (about its left or right edge).",
        "3. If the back reads upright, your printer flips on the long edge: use --flip long",
        "    (the default). If it is upside down, use --flip short.",
        "4. Margins: on each edge, the first bar printed whole (not cut off at the edge)",
        "    names the unprintable border in mm; pass the largest: --printer-margin N.",
        "5. Hold the sheet against the light: the front's cross should sit on the back's cross;",
        "    the back's scale (1 mm steps) shows how far apart they are.",
        "No duplexer? Print page 1, put the sheet back blank side to be printed, print page 2,",
        "    and use --manual-duplex with the flip that gave an upright back.",
    ]
    y = height / 2 - 35 * MM
    for line in lines:
        c.drawString(25 * MM, y, line)
        y -= 14
    c.showPage()

    # back: upright only if the printer turned the sheet about its long (vertical) edge
    _rulers(c, width, height, regular)
    _cross(c, width / 2, height / 2, scale=True)
    c.setFont(bold, 22)
    c.drawCentredString(width / 2, height - 45 * MM, "Reads upright?  --flip long  ↑")
    _arrow(c, width / 2, height - 75 * MM, up=True)
    c.saveState()
    c.translate(width, height)
    c.rotate(180)
    c.setFont(bold, 22)
    c.drawCentredString(width / 2, height - 45 * MM, "Reads upright?  --flip short  ↑")
    c.restoreState()
    c.setFont(regular, 10.5)
    c.drawCentredString(width / 2, height / 2 - 35 * MM,
                        "The arrow on this side points the same way as the front's: long-edge flip.")
    c.showPage()
    c.save()
    return out.getvalue()


def _rulers(c, width: float, height: float, font: str) -> None:
    """Margin gauges at the middle and near the ends of every edge: bar d starts exactly d mm
    from the edge and runs 5 mm inward, labelled d at its inner end. The printer clips the
    bars that start inside its unprintable border; the first bar printed whole names the
    border in mm."""
    c.setFont(font, 6)
    step, bar, run = 3.2 * MM, 1.4 * MM, 5 * MM
    count = RULER_MM - 1  # bars 0 … 8
    span = (count - 1) * step
    for edge in ("bottom", "top", "left", "right"):
        length = width if edge in ("bottom", "top") else height
        for centre in (length / 2, 35 * MM, length - 35 * MM):
            for d in range(count):
                along = centre - span / 2 + d * step
                start, end, label = d * MM, d * MM + run, d * MM + run + 1.5 * MM
                if edge == "bottom":
                    c.rect(along - bar / 2, start, bar, run, stroke=0, fill=1)
                    c.drawCentredString(along, label, str(d))
                elif edge == "top":
                    c.rect(along - bar / 2, height - end, bar, run, stroke=0, fill=1)
                    c.drawCentredString(along, height - label - 4, str(d))
                elif edge == "left":
                    c.rect(start, along - bar / 2, run, bar, stroke=0, fill=1)
                    c.drawString(label, along - 2, str(d))
                else:
                    c.rect(width - end, along - bar / 2, run, bar, stroke=0, fill=1)
                    c.drawRightString(width - label, along - 2, str(d))


def _cross(c, x: float, y: float, scale: bool) -> None:
    c.setLineWidth(0.4)
    c.line(x - 15 * MM, y, x + 15 * MM, y)
    c.line(x, y - 15 * MM, x, y + 15 * MM)
    c.circle(x, y, 5 * MM)
    if scale:
        for d in range(-10, 11):
            t = 2 * MM if d % 5 == 0 else 1 * MM
            c.line(x + d * MM, y - t, x + d * MM, y + t)
            c.line(x - t, y + d * MM, x + t, y + d * MM)


def _arrow(c, x: float, y: float, up: bool) -> None:
    s = 1 if up else -1
    p = c.beginPath()
    p.moveTo(x, y + s * 15 * MM)
    p.lineTo(x - 10 * MM, y)
    p.lineTo(x - 4 * MM, y)
    p.lineTo(x - 4 * MM, y - s * 15 * MM)
    p.lineTo(x + 4 * MM, y - s * 15 * MM)
    p.lineTo(x + 4 * MM, y)
    p.lineTo(x + 10 * MM, y)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
