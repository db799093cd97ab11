"""Sheet size → a two-sided printer calibration sheet (PDF bytes).

Front and back each carry a margin ruler on every edge (the first fully printed tick tells
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
from ..layouts import MM

RULER_MM = 10


def testsheet_pdf(sheet_size: tuple[float, float]) -> bytes:
    """Two pages (front, back) of `sheet_size` points, portrait."""
    # Gentium Book Plus has the arrows (Noto Sans has no ↑)
    regular, bold = face_name("Gentium Book Plus"), face_name("Gentium Book Plus", bold=True)
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
        "4. Margins: on each edge, the smallest number whose tick is printed in full is",
        "    the unprintable border in mm; pass the largest of the four: --printer-margin N.",
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
    """Ticks every millimetre from each edge inward, numbered every 2 mm, at the middle of
    every edge and near the corners."""
    c.setLineWidth(0.3)
    c.setFont(font, 5)
    positions = {"bottom": [width / 2, 30 * MM, width - 30 * MM], "top": [width / 2, 30 * MM, width - 30 * MM],
                 "left": [height / 2, 30 * MM, height - 30 * MM], "right": [height / 2, 30 * MM, height - 30 * MM]}
    for edge, places in positions.items():
        for p in places:
            for d in range(0, RULER_MM + 1):
                inset = d * MM
                length = 3 * MM if d % 2 == 0 else 1.5 * MM
                if edge == "bottom":
                    c.line(p - length / 2, inset, p + length / 2, inset)
                    if d % 2 == 0 and d:
                        c.drawString(p + length / 2 + 1, inset - 1.5, str(d))
                elif edge == "top":
                    c.line(p - length / 2, height - inset, p + length / 2, height - inset)
                    if d % 2 == 0 and d:
                        c.drawString(p + length / 2 + 1, height - inset - 1.5, str(d))
                elif edge == "left":
                    c.line(inset, p - length / 2, inset, p + length / 2)
                    if d % 2 == 0 and d:
                        c.drawString(inset - 1.5, p + length / 2 + 1, str(d))
                else:
                    c.line(width - inset, p - length / 2, width - inset, p + length / 2)
                    if d % 2 == 0 and d:
                        c.drawString(width - inset - 1.5, p + length / 2 + 1, str(d))


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
