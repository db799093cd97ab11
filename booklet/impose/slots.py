"""The plan's data (Slot, SheetSide, Plan) and the slot arithmetic the schemes and the planner share.

Coordinates: a side is seen as printed, i.e. as its page appears in the print PDF; row 0 is
the top row, column 0 the left column. Rotation is counter-clockwise in degrees.

This module imports nothing from the rest of impose/: the scheme modules build on it,
schemes.py knows the schemes, and plan.py builds on both (dependencies run one way).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Slot:
    """One page position on one side of a sheet.

    page_index: 0-based source page, None for a blank.
    row, column: 0-based, row 0 at the top of the side as printed (as in the PDF).
    rotation: 0, 90, 180 or 270 degrees counter-clockwise, the page's turn on the sheet.
    nest: 0-based nest (sub-nest, signature or zine) the leaf belongs to.
    leaf: depth of the leaf's bifolium in its nest, 0 = outermost (creep grows with it).
    spine: "left" or "right": which side of the slot faces the spine on the printed side;
        None when the scheme has no nest to creep (mini-zine).
    """

    page_index: int | None
    row: int
    column: int
    rotation: int = 0
    nest: int = 0
    leaf: int = 0
    spine: str | None = None


@dataclass(frozen=True)
class SheetSide:
    """One printed side. sheet is 0-based; side is "front" or "back"."""

    sheet: int
    side: str
    slots: tuple[Slot, ...]

    def slot_at(self, row: int, column: int) -> Slot:
        for slot in self.slots:
            if slot.row == row and slot.column == column:
                return slot
        raise KeyError((row, column))


@dataclass(frozen=True)
class Plan:
    """The whole imposition: `sides` in the order they appear in the print PDF.

    reading: the booklet's physical pages in reading order after padding, each a source
        page_index or None (blank).
    nests: (first sheet, sheet count) of every nest, folded separately and gathered in order.
    """

    scheme: str
    page_count: int
    reading: tuple[int | None, ...]
    rows: int
    columns: int
    landscape: bool
    duplex: bool
    flip: str
    manual_duplex: bool
    sheets: int
    nests: tuple[tuple[int, int], ...]
    sides: tuple[SheetSide, ...]
    binding: str = "left"

    @property
    def blanks(self) -> int:
        return sum(1 for p in self.reading if p is None)


_OTHER_SIDE = {"left": "right", "right": "left"}


def rotate_half_turn(slot: Slot, rows: int, columns: int) -> Slot:
    """The slot as it lands when its whole side is turned by 180° in its plane."""
    return replace(slot, row=rows - 1 - slot.row, column=columns - 1 - slot.column,
                   rotation=(slot.rotation + 180) % 360, spine=_OTHER_SIDE.get(slot.spine))


def mirror(slot: Slot, columns: int) -> Slot:
    """The slot of a booklet bound on the right: a left-bound booklet seen in a mirror, its
    columns swapped, its turns reversed and its spine on the other side of the slot. The pages
    themselves stay unmirrored; only where they lie is reflected, so folding the mirrored sheet
    the mirrored way gives the same reading order with the spine on the right."""
    return replace(slot, column=columns - 1 - slot.column, rotation=-slot.rotation % 360,
                   spine=_OTHER_SIDE.get(slot.spine))


def bifolium_pages(b: int, nest_pages: int) -> tuple[int, int, int, int]:
    """Reading positions on bifolium b (0 = outermost) of a nest of `nest_pages` pages.

    Returns (outside left, outside right, inside left, inside right), each side seen flat
    with the head up: outside = back cover side | front cover side; inside = the spread.
    """
    return nest_pages - 1 - 2 * b, 2 * b, 2 * b + 1, nest_pages - 2 - 2 * b
