"""Page count + scheme + printing options → a plan: sheets of slots, each naming a source page.

Pure: integers in, frozen data out. No PDFs, no points, no margins, no creep amounts; the
plan only says, for every sheet side in output order, which 0-based source page
(`page_index`, or None for a blank) sits in which row/column, turned how far, and how deep
its leaf lies in its nest (so that geometry.py can compute creep). The data types are in
slots.py, the schemes in schemes.py: each scheme's `sheet_sides` gives the sheets as seen
when turned over like a book page; `plan` then turns the backs for the printer's flip edge
and orders the sides for automatic or manual duplex.
"""

from __future__ import annotations

from dataclasses import replace

from .schemes import SCHEMES, scheme_module
from .slots import Plan, SheetSide, mirror, rotate_half_turn

FLIPS = ("long", "short")
BINDINGS = ("left", "right")
BLANKS = ("before-back", "end")


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
         blanks: str = "before-back", group: int | None = None, nest: bool = True,
         binding: str = "left") -> Plan:
    """Impose `page_count` source pages (0-based indices) with `scheme`.

    binding: "left" (the spine on the left of the cover, as in Latin scripts) or "right"
        (Arabic, Hebrew, Persian, Yiddish, manga): every side is the left-bound one mirrored.
    group: sheets per nest (cut-stack, saddle-2up, quarto); None = one nest of all sheets,
        except quarto with nest=False, where every sheet is its own signature.
    """
    module = scheme_module(scheme)
    if flip not in FLIPS:
        raise ValueError(f"flip must be one of {', '.join(FLIPS)}, not {flip!r}")
    if group is not None and group < 1:
        raise ValueError("group must be at least 1 sheet")
    if binding not in BINDINGS:
        raise ValueError(f"binding must be one of {', '.join(BINDINGS)}, not {binding!r}")
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
            per_sheet.append(tuple(tuple(_bound(replace(s, nest=nest_index), binding, module.COLUMNS)
                                         for s in side) for side in (front, back)))

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
                manual_duplex=manual_duplex and module.DUPLEX, sheets=sheets, nests=nests, sides=sides,
                binding=binding)


def _bound(slot, binding: str, columns: int):
    return mirror(slot, columns) if binding == "right" else slot
