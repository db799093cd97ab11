"""Plan + placements → printer's marks (cut, fold, crop, collate) as plain lines and boxes.

Pure geometry in points, PDF coordinates (origin bottom left). Marks stay inside the sheet
and never on page content: cut and fold marks lie on the cut and fold lines themselves (the
blank edges of the pages, which the knife or the fold takes); crop marks lie between a page
and its slot edge; the collation mark sits on the spine, inside the blank inner margins,
no more than COLLATE_HALF_WIDTH from the fold. Labels are drawn as strokes, not text, so a
print PDF with marks needs no extra font and its text is only the pages' own.
"""

from __future__ import annotations

from dataclasses import dataclass

from .slots import Plan, SheetSide

MARKS = ("cut", "fold", "crop", "collate")
MM = 72 / 25.4
FOLD_MARK_LENGTH = 5 * MM
CROP_MARK_LENGTH = 4 * MM
CROP_MARK_GAP = 1 * MM
COLLATE_HALF_WIDTH = 3.5  # points each side of the spine
LINE_WIDTH = 0.4


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = LINE_WIDTH
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Box:
    """A filled rectangle."""

    x0: float
    y0: float
    x1: float
    y1: float


# A seven-segment-like stroke font on a 4 × 6 grid, enough for "12/32 top".
_GLYPHS: dict[str, tuple[tuple[tuple[int, int], ...], ...]] = {
    "0": (((0, 0), (4, 0), (4, 6), (0, 6), (0, 0)), ((0, 0), (4, 6))),
    "1": (((1, 5), (2, 6), (2, 0)), ((1, 0), (3, 0))),
    "2": (((0, 6), (4, 6), (4, 3), (0, 3), (0, 0), (4, 0)),),
    "3": (((0, 6), (4, 6), (4, 0), (0, 0)), ((1, 3), (4, 3))),
    "4": (((0, 6), (0, 3), (4, 3)), ((4, 6), (4, 0))),
    "5": (((4, 6), (0, 6), (0, 3), (4, 3), (4, 0), (0, 0)),),
    "6": (((4, 6), (0, 6), (0, 0), (4, 0), (4, 3), (0, 3)),),
    "7": (((0, 6), (4, 6), (4, 0)),),
    "8": (((0, 0), (4, 0), (4, 6), (0, 6), (0, 0)), ((0, 3), (4, 3))),
    "9": (((4, 3), (0, 3), (0, 6), (4, 6), (4, 0), (0, 0)),),
    "/": (((0, 0), (4, 6)),),
    "t": (((2, 6), (2, 0), (4, 0)), ((0, 4), (4, 4))),
    "o": (((0, 0), (4, 0), (4, 4), (0, 4), (0, 0)),),
    "p": (((0, -2), (0, 4), (4, 4), (4, 1), (0, 1)),),
    "b": (((0, 6), (0, 0), (4, 0), (4, 4), (0, 4)),),
    "m": (((0, 0), (0, 4), (4, 4), (4, 0)), ((2, 4), (2, 0))),
    " ": (),
}


def label_lines(text: str, x: float, y: float, height: float, vertical: bool = False) -> list[Line]:
    """`text` in the stroke font, its baseline starting at (x, y); `height` is the digit
    height in points. Vertical text runs upward (turned 90° counter-clockwise)."""
    unit = height / 6
    lines = []
    for i, char in enumerate(text):
        for stroke in _GLYPHS[char]:
            points = [(6 * i + gx, gy) for gx, gy in stroke]
            for (ax, ay), (bx, by) in zip(points, points[1:]):
                if vertical:
                    lines.append(Line(x - ay * unit, y + ax * unit, x - by * unit, y + bx * unit, width=unit * 0.6))
                else:
                    lines.append(Line(x + ax * unit, y + ay * unit, x + bx * unit, y + by * unit, width=unit * 0.6))
    return lines


def label_width(text: str, height: float) -> float:
    return (6 * len(text) - 2) * height / 6


def sheet_marks(plan: Plan, side: SheetSide, sheet_size: tuple[float, float], page_rects, clips,
                kinds: frozenset[str], crop_gaps=None) -> list[Line | Box]:
    """The marks of `kinds` for one side. page_rects and clips are the placed page areas (trim)
    and slot rectangles of the side's printed pages, in order; crop_gaps how far from each
    page's trim its crop marks start (past its bleed; CROP_MARK_GAP by default)."""
    width, height = sheet_size
    marks: list[Line | Box] = []
    front = side.side == "front"
    if "cut" in kinds and front:
        if plan.scheme == "cut-stack":
            marks.append(Line(0, height / 2, width, height / 2, dash=(6, 4)))
        elif plan.scheme == "mini-zine":
            marks.append(Line(width / 4, height / 2, 3 * width / 4, height / 2, dash=(6, 4)))
    if "fold" in kinds and front:
        marks += _fold_marks(plan, width, height)
    if "crop" in kinds:
        for rect, clip, gap in zip(page_rects, clips, crop_gaps or [CROP_MARK_GAP] * len(page_rects)):
            marks += crop_marks(rect, clip, gap)
    if "collate" in kinds and front and plan.scheme != "mini-zine":
        marks += _collate_marks(plan, side, width, height)
    return marks


def _fold_marks(plan: Plan, width: float, height: float) -> list[Line]:
    n = FOLD_MARK_LENGTH
    vertical_x = [width / 2] if plan.scheme != "mini-zine" else [width / 4, width / 2, 3 * width / 4]
    # the ends of every strip's spine: sheet edges, and both sides of the cut for cut-stack
    ends = [(height, -1), (0, 1)]
    if plan.scheme == "cut-stack":
        ends += [(height / 2, 1), (height / 2, -1)]
    marks = [Line(x, y, x, y + direction * n) for x in vertical_x for y, direction in ends]
    if plan.scheme in ("quarto", "mini-zine"):
        marks += [Line(0, height / 2, n, height / 2), Line(width, height / 2, width - n, height / 2)]
    return marks


def crop_marks(rect, clip, gap: float = CROP_MARK_GAP) -> list[Line]:
    """Crop marks at the corners of `rect` (the trim), `gap` away from it (past any bleed),
    inside `clip`."""
    x0, y0, x1, y1 = rect
    cx0, cy0, cx1, cy1 = clip
    g = gap
    marks = []
    # horizontal ticks left and right of each corner, vertical ticks above and below,
    # only where the slot leaves room between the page and its edge
    for y in (y0, y1):
        if x0 - cx0 > g + 1:
            marks.append(Line(max(cx0, x0 - g - CROP_MARK_LENGTH), y, x0 - g, y, width=0.25))
        if cx1 - x1 > g + 1:
            marks.append(Line(x1 + g, y, min(cx1, x1 + g + CROP_MARK_LENGTH), y, width=0.25))
    for x in (x0, x1):
        if y0 - cy0 > g + 1:
            marks.append(Line(x, max(cy0, y0 - g - CROP_MARK_LENGTH), x, y0 - g, width=0.25))
        if cy1 - y1 > g + 1:
            marks.append(Line(x, y1 + g, x, min(cy1, y1 + g + CROP_MARK_LENGTH), width=0.25))
    return marks


def _collate_marks(plan: Plan, side: SheetSide, width: float, height: float) -> list[Line | Box]:
    """A label such as "3/8 top" (sheet 3 of the nest's 8, top half) along the spine of every
    strip, readable when the cut pile is fanned before folding; and, on the outermost strip
    of every nest, a short black bar on the spine that steps down nest by nest, so gathered
    nests or signatures show a staircase along the spine and one out of place breaks it."""
    nest_index, (first, count) = next((i, n) for i, n in enumerate(plan.nests) if n[0] <= side.sheet < n[0] + n[1])
    k = side.sheet - first
    x = width / 2
    text_height = 3.6
    strips: list[tuple[str, float, float, bool]] = []  # label, strip top, strip bottom, outermost?
    if plan.scheme == "cut-stack":
        strips.append((f"{k + 1}/{count} top", height, height / 2, k == 0))
        strips.append((f"{k + 1}/{count} bottom", height / 2, 0, False))
    elif plan.scheme == "quarto":
        strips.append((f"{k + 1}/{count}", height / 2, 0, k == 0))
    else:  # saddle-2up
        strips.append((f"{k + 1}/{count}", height, 0, k == 0))
    marks: list[Line | Box] = []
    nests = len(plan.nests)
    for text, top, bottom, outermost in strips:
        length = label_width(text, text_height)
        marks += label_lines(text, x + text_height / 2, top - 8 * MM - length, text_height, vertical=True)
        if outermost and nests > 1:
            free_top = top - 10 * MM - length
            free = free_top - (bottom + 8 * MM)
            bar = max(2.0, min(6 * MM, free / nests))
            y = free_top - (nest_index + 1) * bar
            marks.append(Box(x - 1.5, y, x + 1.5, y + bar))
    return marks
