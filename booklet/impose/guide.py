"""ImposeReport → a one-page A4 folding guide (PDF bytes): steps, sheet diagram, stacking order.

Drawn with ReportLab's canvas (not Platypus) in the bundled Noto Sans, embedded, with
`invariant=1` so the guide is byte-identical from run to run.
"""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas

from ..errors import counted
from ..fonts import face_name
from ..paper import MM, paper_size

NAMES = {
    "cut-stack": "cut and stack", "quarto": "quarto (two folds)",
    "saddle-2up": "saddle stitch, two up", "mini-zine": "one-sheet mini-zine",
}


def guide_pdf(report) -> bytes:
    """The guide for `report` (an ImposeReport with its plan) as PDF bytes."""
    regular, bold = face_name("Noto Sans"), face_name("Noto Sans", bold=True)
    width, height = paper_size("A4")
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height), invariant=1, initialFontName=regular,
                      initialFontSize=10)
    plan = report.plan
    margin = 18 * MM
    y = height - margin
    c.setFont(bold, 16)
    c.drawString(margin, y, f"Folding guide: {NAMES.get(report.scheme, report.scheme)}")
    y -= 20
    c.setFont(regular, 10)
    name = report.output.name if report.output else "the print PDF"
    padded = f" + {report.blanks} blank" if report.blanks else ""  # (a build's blanks are pages of its PDF)
    c.drawString(margin, y, f"{counted(report.pages, 'page')}{padded} on {counted(report.sheets, 'sheet')} "
                            f"of {report.sheet_size[0] / MM:.0f} × {report.sheet_size[1] / MM:.0f} mm: {name}")
    y -= 14
    if report.scale < 0.999:
        c.drawString(margin, y, f"Pages printed at {report.scale:.1%} of their size.")
        y -= 14

    # diagram of sheet 1, front and back, as printed
    y -= 8
    box_w = (width - 2 * margin - 20 * MM) / 2
    sheet_w, sheet_h = report.sheet_size
    k = min(box_w / sheet_w, 85 * MM / sheet_h)
    dw, dh = sheet_w * k, sheet_h * k
    sides = [s for s in plan.sides if s.sheet == 0]
    for i, side in enumerate(sides):
        x0 = margin + i * (box_w + 20 * MM)
        y0 = y - 12 - dh
        c.setFont(bold, 10)
        c.drawString(x0, y - 8, f"Sheet 1, {side.side}" + (" (as printed)" if side.side == "back" else ""))
        _draw_side(c, plan, side, x0, y0, dw, dh, regular)
    y -= dh + 30

    c.setFont(bold, 11)
    c.drawString(margin, y, "Stacking order")
    y -= 15
    c.setFont(regular, 9.5)
    for line in (line[0].upper() + line[1:] for line in stacking_order(plan)):
        for part in _wrap(line, regular, 9.5, width - 2 * margin):
            c.drawString(margin, y, part)
            y -= 12.5
    y -= 8
    c.setFont(bold, 11)
    c.drawString(margin, y, "Steps")
    y -= 15
    c.setFont(regular, 9.5)
    for number, line in enumerate(report.instructions, 1):
        for j, part in enumerate(_wrap(line, regular, 9.5, width - 2 * margin - 14)):
            c.drawString(margin + 14, y, part)
            if j == 0:
                c.drawRightString(margin + 9, y, f"{number}.")
            y -= 12.5
        y -= 2
    if report.warnings:
        y -= 6
        c.setFont(bold, 11)
        c.drawString(margin, y, "Notes")
        y -= 15
        c.setFont(regular, 9.5)
        for line in report.warnings:
            for part in _wrap(line, regular, 9.5, width - 2 * margin):
                c.drawString(margin, y, part)
                y -= 12.5
    c.setFont(regular, 8)
    footer = ("Numbers are the input PDF's page numbers (1 = cover), – a blank; upside-down numbers are "
              "printed upside down. Print at 100 % (actual size).")
    for i, part in enumerate(_wrap(footer, regular, 8, width - 2 * margin)):
        c.drawString(margin, margin / 2 + 10 - 10 * i, part)
    c.showPage()
    c.save()
    return out.getvalue()


def stacking_order(plan) -> list[str]:
    """How the pile lies, from the top, before the last fold of each nest."""
    lines = []
    for number, (first, count) in enumerate(plan.nests, 1):
        sheets = f"sheets {first + 1}–{first + count}" if count > 1 else f"sheet {first + 1}"
        prefix = f"Nest {number}: " if len(plan.nests) > 1 and plan.scheme != "mini-zine" else ""
        if plan.scheme == "cut-stack":
            lines.append(f"{prefix}top halves of {sheets} (sheet {first + 1} on top, fronts up), "
                         f"then the bottom halves of {sheets} in the same order.")
        elif plan.scheme == "quarto":
            if count > 1:
                lines.append(f"{prefix}folded {sheets}, each inside the one before (sheet {first + 1} outside).")
            elif len(plan.nests) > 1 and number == 1:
                lines.append(f"Signatures 1–{len(plan.nests)}, each folded on its own, stacked with 1 on top.")
        elif plan.scheme == "saddle-2up":
            lines.append(f"{prefix}{sheets}, sheet {first + 1} on top, fronts up.")
    if len(plan.nests) > 1 and plan.scheme in ("cut-stack", "saddle-2up"):
        lines.append(f"Fold each nest on its own; gather the {len(plan.nests)} folded nests with nest 1 on top.")
    if plan.scheme == "mini-zine":
        lines.append("Every sheet is one zine of 8 pages; no stacking.")
    return lines


def _draw_side(c, plan, side, x0, y0, dw, dh, font) -> None:
    c.setLineWidth(0.8)
    c.rect(x0, y0, dw, dh)
    cw, rh = dw / plan.columns, dh / plan.rows
    c.setLineWidth(0.3)
    c.setDash(1, 2)
    for col in range(1, plan.columns):
        c.line(x0 + col * cw, y0, x0 + col * cw, y0 + dh)
    for row in range(1, plan.rows):
        if plan.scheme == "cut-stack":
            c.setDash(4, 2)
        c.line(x0, y0 + row * rh, x0 + dw, y0 + row * rh)
    c.setDash()
    for slot in side.slots:
        cx = x0 + (slot.column + 0.5) * cw
        cy = y0 + dh - (slot.row + 0.5) * rh
        label = "–" if slot.page_index is None else str(slot.page_index + 1)
        c.saveState()
        c.translate(cx, cy)
        c.rotate(slot.rotation)
        c.setFont(font, 16 if plan.columns <= 2 else 12)
        c.drawCentredString(0, -5, label)
        c.restoreState()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + ([line] if line else [])
