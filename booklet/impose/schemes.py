"""Scheme names → the modules that implement them (the one table of schemes).

Every scheme module (cut_stack, quarto, saddle_2up, mini_zine) has the same shape: a
docstring that is its folding procedure, constants describing the sheet grid (ROWS, COLUMNS,
LANDSCAPE, DUPLEX, PAGES_PER_SHEET, PAGE_SIZE, FOLDED_PER_SHEET, FOLDED_INNER_EDGES) and
`sheet_sides(reading, sheets_per_nest)`, which returns, for every sheet, the front and back
slots as they must appear on the paper when the sheet is turned over like a book page (about
the vertical axis), for a booklet bound on the left.
"""

from __future__ import annotations

from types import ModuleType

from . import cut_stack, mini_zine, quarto, saddle_2up

MODULES: dict[str, ModuleType] = {
    "cut-stack": cut_stack,
    "quarto": quarto,
    "saddle-2up": saddle_2up,
    "mini-zine": mini_zine,
}
SCHEMES = tuple(MODULES)


def scheme_module(scheme: str) -> ModuleType:
    """The module implementing a scheme (its docstring is the folding procedure)."""
    try:
        return MODULES[scheme]
    except KeyError:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}") from None
