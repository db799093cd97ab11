"""cut-stack: four pages a side in a 2 × 2 grid, cut once, stacked, folded once, stapled.

How to finish the printed sheets (A6 pages on A4 for the pocket layout):

1. Print double-sided, flipping on the long edge, at 100 % ("actual size").
2. Square the pile with sheet 1 on top, its front (the side with the cover) facing up.
3. Cut the whole pile across the middle.
4. Put the pile of top halves on the pile of bottom halves (do not shuffle either pile).
5. Fold the combined pile once down the middle, keeping the top strip (cover and back
   cover) on the outside: the spine is the vertical centre line of the sheet.
6. Staple twice through the spine.

No page is rotated. After the cut, the top half of sheet k is strip k and the bottom half is
strip S + k of one nest of 2·S folded strips (S sheets), strip 0 outermost. With --group G
every G sheets are cut, stacked and folded as their own nest, and the nests are gathered in
order (nest 1 on top of nest 2 …) before binding.
"""

from __future__ import annotations

from .slots import Slot, bifolium_pages

ROWS = 2
COLUMNS = 2
LANDSCAPE = False
DUPLEX = True
PAGES_PER_SHEET = 8
FOLDED_PER_SHEET = 2  # folded sheets or strips one sheet adds to its nest
FOLDED_INNER_EDGES = False  # the edges between slots are cut (or trimmed) except the spine
PAGE_SIZE = "A6"


def sheet_sides(reading, sheets):
    """(front slots, back slots) for each of `sheets` sheets holding the nest `reading`."""
    count = len(reading)
    result = []
    for k in range(sheets):
        front, back = [], []
        for row, b in ((0, k), (1, sheets + k)):
            out_left, out_right, in_left, in_right = (reading[i] for i in bifolium_pages(b, count))
            front += [Slot(out_left, row, 0, leaf=b, spine="right"), Slot(out_right, row, 1, leaf=b, spine="left")]
            back += [Slot(in_left, row, 0, leaf=b, spine="right"), Slot(in_right, row, 1, leaf=b, spine="left")]
        result.append((tuple(front), tuple(back)))
    return result
