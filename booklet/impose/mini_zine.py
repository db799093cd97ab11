"""mini-zine: eight pages on one side of one landscape sheet, slit and folded, no staples.

How to finish the printed sheet (A7 pages on A4 landscape, printed on one side only):

1. Print single-sided at 100 % ("actual size"). The top row is printed upside down.
2. Fold the sheet in half along the horizontal centre line, printed side out, and unfold.
3. Cut a slit along that centre line through the middle two columns only (from the first
   vertical column line to the third), leaving the outer quarters whole.
4. Fold the sheet along the horizontal centre line again, printed side out.
5. Hold the two ends and push them towards each other: the slit opens into a diamond and
   then a cross of four leaves. Flatten it so the cover (bottom right) lies on top.
6. Crease the spine: pages 1–8 follow each other.

More than eight pages make one such zine per sheet (pages 1–8 on sheet 1, 9–16 on sheet 2 …),
to be read one after the other.
"""

from __future__ import annotations

from .slots import Slot

ROWS = 2
COLUMNS = 4
LANDSCAPE = True
DUPLEX = False
PAGES_PER_SHEET = 8
FOLDED_PER_SHEET = 0  # folded sheets or strips one sheet adds to its nest
FOLDED_INNER_EDGES = True  # every edge between two pages stays folded: bleed is clipped there
PAGE_SIZE = "A7"

# reading position → (row, column, rotation): the classic one-sheet zine.
POSITIONS = {
    0: (1, 3, 0), 1: (0, 3, 180), 2: (0, 2, 180), 3: (0, 1, 180),
    4: (0, 0, 180), 5: (1, 0, 0), 6: (1, 1, 0), 7: (1, 2, 0),
}


def sheet_sides(reading, sheets):
    """(front slots, no back) for every sheet; sheet k is the zine of pages 8k … 8k + 7."""
    result = []
    for k in range(len(reading) // PAGES_PER_SHEET):
        front = tuple(
            Slot(reading[8 * k + position], row, column, rotation)
            for position, (row, column, rotation) in sorted(POSITIONS.items(), key=lambda x: x[1][:2])
        )
        result.append((front, ()))
    return result
