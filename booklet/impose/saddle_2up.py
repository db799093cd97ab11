"""saddle-2up: two pages a side on a landscape sheet, one nest, folded once, stapled.

How to finish the printed sheets (A5 pages on A4 landscape for the a5 layout):

1. Print double-sided at 100 % ("actual size") with the flip the summary names (the print
   PDF already turns the backs so that long-edge and short-edge printers give the same sheet).
2. Square the pile with sheet 1 on top, its front (the side with the cover) facing up.
3. Fold the whole pile once down the middle, keeping sheet 1 on the outside.
4. Staple twice through the spine.

Sheet k is bifolium k of the nest (0 outermost). With --group G every G sheets are folded as
their own nest and the nests are gathered in order.
"""

from __future__ import annotations

from .slots import Slot, bifolium_pages

ROWS = 1
COLUMNS = 2
LANDSCAPE = True
DUPLEX = True
PAGES_PER_SHEET = 4
FOLDED_PER_SHEET = 1  # folded sheets or strips one sheet adds to its nest
FOLDED_INNER_EDGES = False  # the edges between slots are cut (or trimmed) except the spine
PAGE_SIZE = "A5"


def sheet_sides(reading, sheets):
    """(front slots, back slots) for each of `sheets` sheets holding the nest `reading`."""
    count = len(reading)
    result = []
    for b in range(sheets):
        out_left, out_right, in_left, in_right = (reading[i] for i in bifolium_pages(b, count))
        front = (Slot(out_left, 0, 0, leaf=b, spine="right"), Slot(out_right, 0, 1, leaf=b, spine="left"))
        back = (Slot(in_left, 0, 0, leaf=b, spine="right"), Slot(in_right, 0, 1, leaf=b, spine="left"))
        result.append((front, back))
    return result
