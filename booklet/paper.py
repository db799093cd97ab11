"""Paper: the named sizes and the millimetre, in points (1 pt = 1/72 inch).

A module of its own, without ReportLab, so that imposing a PDF made elsewhere
(`booklet impose`) does not load what laying out pages needs.
"""

from __future__ import annotations

import re

MM = 72 / 25.4
"""Points per millimetre."""

PAPER_SIZES_MM: dict[str, tuple[float, float]] = {
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "A7": (74.0, 105.0),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
    "Tabloid": (279.4, 431.8),
    "half-letter": (139.7, 215.9),
    "quarter-letter": (107.95, 139.7),
}
"""Portrait paper sizes (width, height) in millimetres."""

SHEETS = ("A4", "A3", "A5", "Letter", "Legal", "Tabloid")
"""The sheet sizes `--sheet` names (any other is given as WxH in millimetres)."""


def paper_size(name: str) -> tuple[float, float]:
    """A named portrait paper size in points."""
    w, h = PAPER_SIZES_MM[name]
    return w * MM, h * MM


def paper_name(text: str, names=PAPER_SIZES_MM) -> str | None:
    """The one of `names` that `text` spells, in any case (`a4` is A4), or None."""
    return {name.lower(): name for name in names}.get(text.strip().lower())


def sheet_size(text: str) -> tuple[float, float]:
    """`--sheet`'s value → a portrait sheet in points: a name of SHEETS (any case) or `WxH` in
    millimetres (e.g. `320x450`). Raises ValueError with the message for the user."""
    name = paper_name(text, SHEETS)
    if name is not None:
        return paper_size(name)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*", text.lower())
    if not match:
        raise ValueError(f"--sheet must be one of {', '.join(n.lower() for n in SHEETS)} or WxH in mm "
                         f"(e.g. 320x450), not {text!r}")
    w, h = sorted(float(v) for v in match.groups())
    if w < 50 or h > 2000:
        raise ValueError(f"--sheet {text}: a sheet is 50 to 2000 mm on a side")
    return w * MM, h * MM
