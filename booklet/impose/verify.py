"""A print PDF's placements → the reading order after printing, cutting, stacking, folding.

The user-facing twin of tests/paper.py: the sheets are handled as piles of tiles, each with
an up face and a down face, and every step (duplex print about the flip edge, cut, stack,
fold) is a physical move of the pile. The result says which page the reader meets at each
position of the finished booklet and whether it is upright.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .schemes import scheme_module


@dataclass(frozen=True)
class Face:
    page_index: int | None
    rotation: int  # counter-clockwise degrees as the reader sees it; 0 = upright


@dataclass(frozen=True)
class Tile:
    column: int
    row: int
    up: Face
    down: Face  # seen from below after turning the pile about a vertical axis


BLANK = Face(None, 0)


def sides_from_placements(pages, scheme: str) -> list[dict[tuple[int, int], Face]]:
    """read_print_pdf output → per print-PDF page: (row, column) → Face as printed."""
    module = scheme_module(scheme)
    sides = []
    for (width, height), placements in pages:
        cells = {}
        for page_index, rotation, x, y in placements:
            row = min(module.ROWS - 1, max(0, int((height - y) / (height / module.ROWS))))
            column = min(module.COLUMNS - 1, max(0, int(x / (width / module.COLUMNS))))
            cells[(row, column)] = Face(page_index, rotation)
        sides.append(cells)
    return sides


def simulate(sides, scheme: str, *, flip: str = "long", manual_duplex: bool = False,
             nests: list[int] | None = None, nest: bool = True) -> list[Face]:
    """Print the sides, finish the sheets as the scheme says, read the booklet cover to back."""
    module = scheme_module(scheme)
    rows, columns = module.ROWS, module.COLUMNS
    if not module.DUPLEX:
        pairs = [(side, {}) for side in sides]
    elif manual_duplex:
        half = len(sides) // 2
        pairs = list(zip(sides[:half], reversed(sides[half:])))
    else:
        if len(sides) % 2:
            raise ValueError("a double-sided print PDF has an even number of pages")
        pairs = list(zip(sides[0::2], sides[1::2]))
    vertical_turn = (flip == "long") != module.LANDSCAPE
    sheets = []
    for front, back in pairs:
        pile = []
        for r in range(rows):
            for c in range(columns):
                if vertical_turn:
                    b = back.get((r, columns - 1 - c), BLANK)
                else:
                    b = back.get((rows - 1 - r, c), BLANK)
                    b = Face(b.page_index, (b.rotation + 180) % 360)
                pile.append(Tile(c, r, front.get((r, c), BLANK), b))
        sheets.append(pile)
    if nests is None:
        nests = [len(sheets)]
    if scheme == "mini-zine" or (scheme == "quarto" and not nest):
        nests = [1] * len(sheets)
    faces: list[Face] = []
    start = 0
    for count in nests:
        group, start = sheets[start:start + count], start + count
        if scheme == "cut-stack":
            tops = [[t for t in s if t.row == 0] for s in group]
            bottoms = [[replace(t, row=0) for t in s if t.row == 1] for s in group]
            faces += _read(_fold_left_under(_stack(tops + bottoms)))
        elif scheme == "saddle-2up":
            faces += _read(_fold_left_under(_stack(group)))
        elif scheme == "quarto":
            faces += _read(_fold_left_under(_stack([_fold_top_under(s) for s in group])))
        else:
            for sheet in group:
                faces += _mini_zine(sheet)
    return faces


def _stack(piles):
    return [t for pile in piles for t in pile]


def _fold_left_under(pile):
    moving = [t for t in pile if t.column == 0]
    staying = [t for t in pile if t.column != 0]
    return staying + [replace(t, column=1, up=t.down, down=t.up) for t in reversed(moving)]


def _fold_top_under(pile):
    moving = [t for t in pile if t.row == 0]
    staying = [t for t in pile if t.row != 0]
    half = lambda f: Face(f.page_index, (f.rotation + 180) % 360)  # noqa: E731
    return staying + [replace(t, row=1, up=half(t.down), down=half(t.up)) for t in reversed(moving)]


def _read(pile):
    return [f for t in pile for f in (t.up, t.down)]


def _mini_zine(sheet):
    """Slit, fold, collapse and read a one-sheet zine (see mini_zine.py). The slit leaves a
    ring of tiles; it collapses with the cover on top and the others in ring order, first
    across the centre fold. A tile's faces follow from the creases crossed to reach it: each
    swaps the faces, the horizontal one also turns them by half a turn."""
    tiles = {(t.row, t.column): t for t in sheet}
    rows, columns = 1 + max(r for r, _ in tiles), 1 + max(c for _, c in tiles)
    slit = {frozenset({(0, c), (1, c)}) for c in range(1, columns - 1)}
    neighbours = {cell: [] for cell in tiles}
    for r, c in tiles:
        for other in ((r + 1, c), (r, c + 1)):
            if other in tiles and frozenset({(r, c), other}) not in slit:
                neighbours[(r, c)].append(other)
                neighbours[other].append((r, c))
    ring = [(rows - 1, columns - 1), (rows - 2, columns - 1)]
    while len(ring) < len(tiles):
        ring.append(next(n for n in neighbours[ring[-1]] if n != ring[-2]))
    faces, flipped, offset = [], False, 0
    for i, cell in enumerate(ring):
        if i:
            flipped = not flipped
            if ring[i - 1][0] != cell[0]:
                offset = (offset + 180) % 360
        front = tiles[cell].up
        printed = Face(front.page_index, (front.rotation + offset) % 360)
        faces.append((BLANK, printed) if flipped else (printed, BLANK))
    # tiles lie blank side to blank side in pairs: each pair is one leaf
    return [face for first, second in zip(faces[0::2], faces[1::2]) for face in (first[0], second[1])]


def check(faces: list[Face], page_count: int) -> list[str]:
    """Problems with a simulated booklet: pages missing, repeated, out of order or turned."""
    problems = []
    pages = [f.page_index for f in faces if f.page_index is not None]
    for position, face in enumerate(faces, 1):
        if face.page_index is not None and face.rotation:
            problems.append(f"position {position}: page {face.page_index + 1} is turned {face.rotation}°")
    if pages != list(range(page_count)):
        missing = sorted(set(range(page_count)) - set(pages))
        if missing:
            problems.append(f"missing page(s): {', '.join(str(p + 1) for p in missing[:10])}")
        extra = sorted(set(pages) - set(range(page_count)))
        if extra:
            problems.append(f"unexpected page(s): {', '.join(str(p + 1) for p in extra[:10])}")
        for position, (got, want) in enumerate(zip(pages, range(page_count)), 1):
            if got != want:
                problems.append(f"the {_ordinal(position)} printed page is page {got + 1}, expected {want + 1}")
                break
    return problems


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(faces: list[Face]) -> str:
    """"1 2 3 … 16" with blanks as "-", compressed into ranges."""
    parts = []
    run: list[int] = []

    def flush():
        if run:
            parts.append(f"{run[0]}–{run[-1]}" if len(run) > 2 else " ".join(map(str, run)))
            run.clear()

    for f in faces:
        if f.page_index is None:
            flush()
            parts.append("blank")
        elif run and f.page_index + 1 == run[-1] + 1:
            run.append(f.page_index + 1)
        else:
            flush()
            run.append(f.page_index + 1)
    flush()
    return " ".join(parts)
