"""Page count + scheme + printing options → a plan: sheets of slots, each naming a source page.

Pure: integers in, frozen data out. No PDFs, no points, no margins, no creep amounts; the
plan only says, for every sheet side in output order, which 0-based source page
(`page_index`, or None for a blank) sits in which row/column, turned how far, and how deep
its leaf lies in its nest (so that geometry.py can compute creep).

Coordinates: a side is seen as printed, i.e. as its page appears in the print PDF; row 0 is
the top row, column 0 the left column. Rotation is counter-clockwise in degrees.

Every scheme module (cut_stack, quarto, saddle_2up, mini_zine) has the same shape: a
docstring that is its folding procedure, constants describing the sheet grid, and
`sheet_sides(reading, sheets_per_nest)` that returns, for every sheet, the front and back
slots as they must appear on the paper when the sheet is turned over like a book page (about
the vertical axis). `plan` then turns the backs for the printer's flip edge and orders the
sides for automatic or manual duplex.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import ModuleType

SCHEMES = ("cut-stack", "quarto", "saddle-2up", "mini-zine")
FLIPS = ("long", "short")
BLANKS = ("before-back", "end")


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

    @property
    def blanks(self) -> int:
        return sum(1 for p in self.reading if p is None)


def scheme_module(scheme: str) -> ModuleType:
    """The module implementing a scheme (its docstring is the folding procedure)."""
    from . import cut_stack, mini_zine, quarto, saddle_2up

    modules = {"cut-stack": cut_stack, "quarto": quarto, "saddle-2up": saddle_2up, "mini-zine": mini_zine}
    try:
        return modules[scheme]
    except KeyError:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}") from None


def pad_reading(page_count: int, multiple: int, blanks: str = "before-back") -> tuple[int | None, ...]:
    """Source page indices in reading order, padded with None to a multiple of `multiple`.

    "before-back" keeps the last page (the back cover) last, blanks just before it; "end"
    appends the blanks. A single page is a cover, not a back cover: its blanks follow it.
    """
    if page_count < 1:
        raise ValueError("nothing to impose: the document has no pages")
    if blanks not in BLANKS:
        raise ValueError(f"blanks must be one of {', '.join(BLANKS)}, not {blanks!r}")
    pad = -page_count % multiple
    pages: list[int | None] = list(range(page_count))
    if blanks == "before-back" and page_count >= 2:
        return tuple(pages[:-1] + [None] * pad + pages[-1:])
    return tuple(pages + [None] * pad)


def nest_sizes(sheets: int, sheets_per_nest: int | None) -> tuple[tuple[int, int], ...]:
    """Split `sheets` into nests of `sheets_per_nest` (the last may be smaller): (first, count)."""
    size = sheets if not sheets_per_nest else min(sheets_per_nest, sheets)
    return tuple((first, min(size, sheets - first)) for first in range(0, sheets, max(size, 1)))


def plan(page_count: int, scheme: str = "cut-stack", *, flip: str = "long", manual_duplex: bool = False,
         blanks: str = "before-back", group: int | None = None, nest: bool = True) -> Plan:
    """Impose `page_count` source pages (0-based indices) with `scheme`.

    group: sheets per nest (cut-stack, saddle-2up, quarto); None = one nest of all sheets,
        except quarto with nest=False, where every sheet is its own signature.
    """
    module = scheme_module(scheme)
    if flip not in FLIPS:
        raise ValueError(f"flip must be one of {', '.join(FLIPS)}, not {flip!r}")
    if group is not None and group < 1:
        raise ValueError("group must be at least 1 sheet")
    reading = pad_reading(page_count, module.PAGES_PER_SHEET, blanks)
    sheets = len(reading) // module.PAGES_PER_SHEET
    sheets_per_nest = group
    if (scheme == "quarto" and not nest) or scheme == "mini-zine":
        sheets_per_nest = 1
    nests = nest_sizes(sheets, sheets_per_nest)
    per_sheet = []
    for nest_index, (first, count) in enumerate(nests):
        pages = reading[first * module.PAGES_PER_SHEET:(first + count) * module.PAGES_PER_SHEET]
        for front, back in module.sheet_sides(pages, count):
            per_sheet.append((tuple(replace(s, nest=nest_index) for s in front),
                              tuple(replace(s, nest=nest_index) for s in back)))

    # The schemes describe backs for a turn about the vertical axis. The printer turns the
    # sheet about its long edge (vertical on a portrait sheet, horizontal on a landscape one)
    # or its short edge; when that axis is horizontal the back must be printed upside down.
    landscape = module.LANDSCAPE
    turn_back = (flip == "short") != landscape
    fronts = [SheetSide(i, "front", front) for i, (front, _) in enumerate(per_sheet)]
    backs = []
    for i, (_, back) in enumerate(per_sheet):
        if back and turn_back:
            back = tuple(rotate_half_turn(s, module.ROWS, module.COLUMNS) for s in back)
        backs.append(SheetSide(i, "back", back))
    if not module.DUPLEX:
        sides = tuple(fronts)
    elif manual_duplex:
        # All fronts, then the backs last-to-first: the printed pile goes back into the tray
        # as it came out, so the sheet printed last is fed first (see instructions()).
        sides = tuple(fronts) + tuple(reversed(backs))
    else:
        sides = tuple(side for pair in zip(fronts, backs) for side in pair)
    return Plan(scheme=scheme, page_count=page_count, reading=reading, rows=module.ROWS,
                columns=module.COLUMNS, landscape=landscape, duplex=module.DUPLEX, flip=flip,
                manual_duplex=manual_duplex and module.DUPLEX, sheets=sheets, nests=nests, sides=sides)


def rotate_half_turn(slot: Slot, rows: int, columns: int) -> Slot:
    """The slot as it lands when its whole side is turned by 180° in its plane."""
    spine = {"left": "right", "right": "left"}.get(slot.spine) if slot.spine else None
    return replace(slot, row=rows - 1 - slot.row, column=columns - 1 - slot.column,
                   rotation=(slot.rotation + 180) % 360, spine=spine)


def bifolium_pages(b: int, nest_pages: int) -> tuple[int, int, int, int]:
    """Reading positions on bifolium b (0 = outermost) of a nest of `nest_pages` pages.

    Returns (outside left, outside right, inside left, inside right), each side seen flat
    with the head up: outside = back cover side | front cover side; inside = the spread.
    """
    return nest_pages - 1 - 2 * b, 2 * b, 2 * b + 1, nest_pages - 2 - 2 * b
