"""A paper simulator: print PDF → print, cut, stack, fold → the booklet's reading order.

Independent of booklet.impose.plan: it reads which page lies in which tile of each sheet side
from the PDF itself (synthetic input pages show a big `P{index}`), then handles the paper as
a stack of tiles, each with its two faces, and performs the physical steps: duplex printing
(turning the sheet about the printer's flip edge), cutting, stacking piles, folding (180°
turns about a line, which reverses the order of the moving layers and turns them over), and
finally reads the closed booklet leaf by leaf from the top: the up face (recto), then the
down face (verso, seen by turning the leaf about the spine). The slit mini-zine collapses as
the ring of tiles its slit leaves (read_mini_zine).

`sides_from_plan` is the fast path for the exhaustive tests: the same simulation fed from
the plan instead of a PDF; test_impose_folding.py ties the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

A4 = (210 * mm, 297 * mm)
A6 = (105 * mm, 148 * mm)


def make_numbered_pdf(path: Path, count: int, size=A6, rotate: int = 0, sizes=None) -> Path:
    """A PDF of `count` pages, page i showing a big "P{i}" (0-based) centred upright.

    rotate: a /Rotate value for every page; the text is drawn so that the page *shows*
    upright after the viewer applies /Rotate.
    """
    c = canvas.Canvas(str(path), invariant=1, pageCompression=1)
    for i in range(count):
        w, h = sizes[i] if sizes else size
        raw_w, raw_h = (h, w) if rotate in (90, 270) else (w, h)
        # ReportLab takes the size as shown and writes the MediaBox turned for 90 and 270
        c.setPageSize((w, h))
        c.setPageRotation(rotate)
        c.saveState()
        # draw in "shown" coordinates: undo the viewer's clockwise turn
        if rotate == 90:
            c.translate(raw_w, 0); c.rotate(90)
        elif rotate == 180:
            c.translate(raw_w, raw_h); c.rotate(180)
        elif rotate == 270:
            c.translate(0, raw_h); c.rotate(270)
        c.setFont("Helvetica", 28)
        c.drawCentredString(w / 2, h / 2, f"P{i}")
        c.setFont("Helvetica", 7)
        c.drawString(6, h - 12, "head")  # small, read only to see the page is upright
        c.restoreState()
        c.showPage()
    c.save()
    return Path(path)


@dataclass(frozen=True)
class Tile:
    """What one grid cell of a printed side holds: source page and its rotation as seen on
    that side (counter-clockwise degrees; 0 = upright)."""

    page_index: int
    rotation: int


def read_sides(pdf_path: Path, rows: int, columns: int) -> list[dict[tuple[int, int], Tile]]:
    """For every page of the print PDF: (row, column) → Tile, read with pdfplumber from the
    big "P{n}" characters (rotation from the text matrix)."""
    import pdfplumber

    sides = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            tiles = {}
            big = [ch for ch in page.chars if ch["size"] > 14 or abs(ch["matrix"][0]) + abs(ch["matrix"][1]) > 14]
            words = {}
            for ch in big:
                a, b = ch["matrix"][0], ch["matrix"][1]
                rotation = {(1, 0): 0, (0, 1): 90, (-1, 0): 180, (0, -1): 270}[(_sign(a), _sign(b))]
                x = (ch["x0"] + ch["x1"]) / 2
                y = (ch["top"] + ch["bottom"]) / 2
                cell = (min(rows - 1, int(y / (float(page.height) / rows))),
                        min(columns - 1, int(x / (float(page.width) / columns))))
                words.setdefault(cell, []).append((ch, rotation))
            for cell, chars in words.items():
                rotation = chars[0][1]
                assert all(r == rotation for _, r in chars), f"mixed rotations in {cell}"
                # order the characters along their own baseline direction
                key = {0: lambda c: c["x0"], 180: lambda c: -c["x0"], 90: lambda c: -c["top"],
                       270: lambda c: c["top"]}[rotation]
                text = "".join(c["text"] for c, _ in sorted(chars, key=lambda item: key(item[0])))
                assert text.startswith("P"), text
                tiles[cell] = Tile(int(text[1:]), rotation)
            sides.append(tiles)
    return sides


def _sign(v: float) -> int:
    return 0 if abs(v) < 1e-6 else (1 if v > 0 else -1)


# --- the paper ---------------------------------------------------------------------

@dataclass(frozen=True)
class Face:
    """Printed content on one face of a tile: page and its rotation (None = blank)."""

    page_index: int | None
    rotation: int


BLANK = Face(None, 0)


@dataclass(frozen=True)
class Layer:
    """One tile of paper in a pile: its grid position (column, row; row 0 at the top) seen
    from above, its up face (rotation seen from above) and its down face (rotation seen from
    below after turning the whole pile over about a vertical axis, like a book page)."""

    column: int
    row: int
    up: Face
    down: Face
    name: str = ""  # "sheet/row/column" where the tile was printed, for messages


Pile = list  # of Layer, top first


def print_sheets(sides: list[dict], rows: int, columns: int, *, duplex: bool, flip: str,
                 manual_duplex: bool, landscape: bool) -> list[Pile]:
    """Print PDF sides → printed sheets, each a pile of its tiles with the front up."""
    if not duplex:
        fronts, backs = sides, [{} for _ in sides]
    elif manual_duplex:
        # fronts first; the re-fed pile takes the last printed sheet first
        half = len(sides) // 2
        fronts, backs = sides[:half], list(reversed(sides[half:]))
    else:
        fronts, backs = sides[0::2], sides[1::2]
    # The printer turns the sheet about its long edge (vertical on portrait paper,
    # horizontal on landscape) or its short edge.
    vertical_turn = (flip == "long") != landscape
    sheets = []
    for number, (front, back) in enumerate(zip(fronts, backs)):
        pile = []
        for r in range(rows):
            for c in range(columns):
                f = front.get((r, c))
                if vertical_turn:
                    # seen after a vertical-axis turn the back looks as in the PDF, mirrored
                    b = back.get((r, columns - 1 - c))
                    down = Face(b.page_index, b.rotation) if b else BLANK
                else:
                    # seen after a horizontal-axis turn it looks as in the PDF; a vertical
                    # turn differs from that by half a turn in the plane
                    b = back.get((rows - 1 - r, c))
                    down = Face(b.page_index, (b.rotation + 180) % 360) if b else BLANK
                up = Face(f.page_index, f.rotation) if f else BLANK
                pile.append(Layer(c, r, up, down, f"sheet {number + 1} row {r} column {c}"))
        sheets.append(pile)
    return sheets


def stack(*piles: Pile) -> Pile:
    """Put the piles on each other, the first on top."""
    return [layer for pile in piles for layer in pile]


def cut_rows(pile: Pile, row: int) -> tuple[Pile, Pile]:
    """Cut the pile along the line above `row`: (upper part, lower part moved to row 0)."""
    upper = [l for l in pile if l.row < row]
    lower = [replace(l, row=l.row - row) for l in pile if l.row >= row]
    return upper, lower


def fold_vertical(pile: Pile, line: int, move: str = "left", under: bool = True) -> Pile:
    """Fold about the vertical line before column `line`, the `move` side turning over onto
    the other, under it (mountain fold seen from above) or over it (valley)."""
    moving = [l for l in pile if (l.column < line) == (move == "left")]
    staying = [l for l in pile if (l.column < line) != (move == "left")]
    turned = [replace(l, column=2 * line - 1 - l.column, up=l.down, down=l.up) for l in reversed(moving)]
    return staying + turned if under else turned + staying


def fold_horizontal(pile: Pile, line: int, move: str = "top", under: bool = True) -> Pile:
    """Fold about the horizontal line above row `line`; a turn about a horizontal axis is a
    turn about a vertical one plus half a turn in the plane."""
    moving = [l for l in pile if (l.row < line) == (move == "top")]
    staying = [l for l in pile if (l.row < line) != (move == "top")]
    turned = [replace(l, row=2 * line - 1 - l.row,
                      up=Face(l.down.page_index, (l.down.rotation + 180) % 360),
                      down=Face(l.up.page_index, (l.up.rotation + 180) % 360)) for l in reversed(moving)]
    return staying + turned if under else turned + staying


def read_booklet(pile: Pile) -> list[Face]:
    """A closed booklet, cover up: each leaf's up face, then its down face (seen by turning the
    leaf about the spine, a vertical axis whichever side the spine is on)."""
    positions = {(l.column, l.row) for l in pile}
    assert len(positions) == 1, f"the pile is not folded down to one page size: {sorted(positions)}"
    return [face for layer in pile for face in (layer.up, layer.down)]


# --- the schemes, as a person at a table would finish them -------------------------------

def finish(scheme: str, sheets: list[Pile], nests: list[int], quarto_nested: bool = True,
           binding: str = "left") -> list[Face]:
    """Finish printed sheets into a booklet and read it.

    nests: how many sheets each nest (cut-stack, saddle-2up, quarto) or zine holds, in order.
    binding: "left" folds the left half under (the spine ends on the left of the cover);
        "right" folds the right half under, for a booklet read from right to left.
    """
    away = "left" if binding == "left" else "right"  # the half that folds under, behind the cover
    faces: list[Face] = []
    start = 0
    for count in nests:
        group = sheets[start:start + count]
        start += count
        if scheme == "cut-stack":
            tops, bottoms = zip(*(cut_rows(sheet, 1) for sheet in group))
            pile = stack(*tops, *bottoms)            # top halves on bottom halves
            faces += read_booklet(fold_vertical(pile, 1, away, under=True))
        elif scheme == "saddle-2up":
            faces += read_booklet(fold_vertical(stack(*group), 1, away, under=True))
        elif scheme == "quarto":
            halves = [fold_horizontal(sheet, 1, "top", under=True) for sheet in group]
            if quarto_nested:   # fold the half-folded sheets together: they nest
                faces += read_booklet(fold_vertical(stack(*halves), 1, away, under=True))
            else:
                for half in halves:
                    faces += read_booklet(fold_vertical(half, 1, away, under=True))
        elif scheme == "mini-zine":
            for sheet in group:
                faces += read_mini_zine(sheet, cover_column=-1 if binding == "left" else 0)
        else:
            raise ValueError(scheme)
    return faces


def read_mini_zine(sheet: Pile, cover_column: int = -1) -> list[Face]:
    """Slit, fold and collapse a one-sheet zine, and read it.

    cover_column: where the cover tile is in the bottom row, -1 the right end (a zine bound
    on the left), 0 the left end (bound on the right).
    The slit cuts the horizontal centre line through the middle two columns, so the only
    hinges left are the vertical creases within each row and the horizontal crease at the two
    outer columns: the sheet becomes a ring of eight tiles. Folded along the centre (printed
    side out) and pushed together, the ring collapses flat with the cover tile on top and
    the rest following in ring order, starting across the centre fold that stays folded.
    Every tile's final place and faces follow from the hinges crossed on the way to it: a
    turn about a vertical crease swaps the faces, one about the horizontal crease also turns
    them by half a turn (as in fold_vertical and fold_horizontal).
    """
    tiles = {(l.row, l.column): l for l in sheet}
    rows = 1 + max(r for r, _ in tiles)
    columns = 1 + max(c for _, c in tiles)
    slit = {frozenset({(0, c), (1, c)}) for c in range(1, columns - 1)}
    neighbours = {cell: [] for cell in tiles}
    for r, c in tiles:
        for other in ((r + 1, c), (r, c + 1)):
            if other in tiles and frozenset({(r, c), other}) not in slit:
                neighbours[(r, c)].append(other)
                neighbours[other].append((r, c))
    assert all(len(n) == 2 for n in neighbours.values()), "the slit sheet is not a ring"
    cover = (rows - 1, cover_column % columns)
    ring = [cover, (cover[0] - 1, cover[1])]  # first across the centre fold, which stays folded
    while len(ring) < len(tiles):
        ring.append(next(n for n in neighbours[ring[-1]] if n != ring[-2]))
    assert ring[0] in neighbours[ring[-1]]

    faces: list[Face] = []
    flipped, offset = False, 0
    reflections = []  # hinge lines crossed from the cover, in sheet coordinates (tile units)
    for i, cell in enumerate(ring):
        if i:
            previous = ring[i - 1]
            flipped = not flipped
            if previous[0] != cell[0]:  # across the horizontal crease
                offset = (offset + 180) % 360
                reflections.append(("y", max(previous[0], cell[0])))
            else:
                reflections.append(("x", max(previous[1], cell[1])))
        # where the tile lands: its centre reflected across every crease on the way, the
        # last crossed first
        x, y = cell[1] + 0.5, cell[0] + 0.5
        for axis, line in reversed(reflections):
            x, y = (2 * line - x, y) if axis == "x" else (x, 2 * line - y)
        assert (x, y) == (cover[1] + 0.5, cover[0] + 0.5), f"tile {cell} does not land on the cover"
        layer = tiles[cell]
        printed = Face(layer.up.page_index, (layer.up.rotation + offset) % 360)
        faces += [BLANK, printed] if flipped else [printed, BLANK]
    return _pair_leaves(faces)


def _pair_leaves(faces: list[Face]) -> list[Face]:
    """Tiles in stack order (each as [up, down]) → the booklet's pages: consecutive tiles lie
    blank side to blank side and read as one leaf (up face of the first, down face of the
    second)."""
    result = []
    for i in range(0, len(faces), 4):
        first_up, first_down, second_up, second_down = faces[i:i + 4]
        assert first_down.page_index is None and second_up.page_index is None, "printed faces inside a leaf"
        result += [first_up, second_down]
    return result


def sides_from_plan(plan) -> list[dict]:
    """The fast path: what read_sides would find in a print PDF that follows `plan`."""
    return [{(s.row, s.column): Tile(s.page_index, s.rotation) for s in side.slots if s.page_index is not None}
            for side in plan.sides]


def simulate(sides: list[dict], scheme: str, rows: int, columns: int, *, landscape: bool, duplex: bool,
             flip: str = "long", manual_duplex: bool = False, nests: list[int] | None = None,
             quarto_nested: bool = True, binding: str = "left") -> list[Face]:
    """Print, cut, stack and fold; the booklet's pages in reading order (blanks included)."""
    sheets = print_sheets(sides, rows, columns, duplex=duplex, flip=flip, manual_duplex=manual_duplex,
                          landscape=landscape)
    if nests is None:
        nests = [1] * len(sheets) if scheme == "mini-zine" else [len(sheets)]
    return finish(scheme, sheets, nests, quarto_nested, binding)


def reading_order(faces: list[Face]) -> list[int]:
    """The printed pages in reading order, asserting every page is upright."""
    for i, face in enumerate(faces):
        if face.page_index is not None:
            assert face.rotation == 0, f"page P{face.page_index} (position {i}) is turned {face.rotation}°"
    return [f.page_index for f in faces if f.page_index is not None]
