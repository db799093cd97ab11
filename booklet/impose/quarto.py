"""quarto: every sheet folded twice into an 8-page signature, the head trimmed open.

How to finish the printed sheets (A6 pages on A4):

1. Print double-sided, flipping on the long edge, at 100 % ("actual size").
2. Take sheet 1 with its front (the side with the cover, upright at the bottom right) facing
   you. The top row is printed upside down: the heads of all pages meet at the middle.
3. Fold the top half back, behind the bottom half, along the horizontal centre line.
4. Fold the left half back, behind the right half, along the vertical centre line: the
   cover is now on top and this fold is the spine.
5. Do the same with every sheet. Nested (--nest, the default): put folded sheet 2 inside
   folded sheet 1, sheet 3 inside sheet 2 and so on, then staple through the spine.
   Gathered (--gather): stack the folded signatures in order (sheet 1 on top) and sew or
   glue them along the spine.
6. Trim the head (the top edge of the folded booklet, where the first fold closes the
   pages) by about 2 mm to open the pages; the foot and fore-edge are already open, trim
   them only to square the block.

The bottom row of a sheet is its outer bifolium, the top row its inner one. In a nest of S
sheets, sheet k holds bifolia 2k and 2k + 1 (0 outermost); creep is applied per bifolium.
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
        outer, inner = 2 * k, 2 * k + 1
        o_out_l, o_out_r, o_in_l, o_in_r = (reading[i] for i in bifolium_pages(outer, count))
        i_out_l, i_out_r, i_in_l, i_in_r = (reading[i] for i in bifolium_pages(inner, count))
        # Top row turned 180°: its left and right swap, and its spine stays at the centre.
        front = (
            Slot(i_in_r, 0, 0, 180, leaf=inner, spine="right"), Slot(i_in_l, 0, 1, 180, leaf=inner, spine="left"),
            Slot(o_out_l, 1, 0, 0, leaf=outer, spine="right"), Slot(o_out_r, 1, 1, 0, leaf=outer, spine="left"),
        )
        back = (
            Slot(i_out_r, 0, 0, 180, leaf=inner, spine="right"), Slot(i_out_l, 0, 1, 180, leaf=inner, spine="left"),
            Slot(o_in_l, 1, 0, 0, leaf=outer, spine="right"), Slot(o_in_r, 1, 1, 0, leaf=outer, spine="left"),
        )
        result.append((front, back))
    return result
