"""A print PDF's placements → the reading order after printing, cutting, stacking, folding.

The user-facing twin of tests/paper.py: the sheets are handled as piles of tiles, each with
an up face and a down face, and every step (duplex print about the flip edge, cut, stack,
fold) is a physical move of the pile. The result says which page the reader meets at each
position of the finished booklet and whether it is upright.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import counted
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
             nests: list[int] | None = None, nest: bool = True, binding: str = "left") -> list[Face]:
    """Print the sides, finish the sheets as the scheme says, read the booklet cover to back.

    binding "right" folds the right half under instead of the left (the spine ends on the right)."""
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
            faces += _read(_fold_half_under(_stack(tops + bottoms), binding))
        elif scheme == "saddle-2up":
            faces += _read(_fold_half_under(_stack(group), binding))
        elif scheme == "quarto":
            faces += _read(_fold_half_under(_stack([_fold_top_under(s) for s in group]), binding))
        else:
            for sheet in group:
                faces += _mini_zine(sheet, binding)
    return faces


def _stack(piles):
    return [t for pile in piles for t in pile]


def _fold_half_under(pile, binding: str):
    """Fold the left half (the right half for a right binding) of a two-column pile under the other."""
    away = 0 if binding == "left" else 1
    moving = [t for t in pile if t.column == away]
    staying = [t for t in pile if t.column != away]
    return staying + [replace(t, column=1 - away, up=t.down, down=t.up) for t in reversed(moving)]


def _fold_top_under(pile):
    moving = [t for t in pile if t.row == 0]
    staying = [t for t in pile if t.row != 0]
    half = lambda f: Face(f.page_index, (f.rotation + 180) % 360)  # noqa: E731
    return staying + [replace(t, row=1, up=half(t.down), down=half(t.up)) for t in reversed(moving)]


def _read(pile):
    return [f for t in pile for f in (t.up, t.down)]


def _mini_zine(sheet, binding: str = "left"):
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
    cover_column = columns - 1 if binding == "left" else 0
    ring = [(rows - 1, cover_column), (rows - 2, cover_column)]
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
    turned: dict[int, list[int]] = {}
    for face in faces:
        if face.page_index is not None and face.rotation:
            turned.setdefault(face.rotation, []).append(face.page_index + 1)
    for rotation, numbers in sorted(turned.items()):
        listed = ", ".join(map(str, numbers[:8])) + (" …" if len(numbers) > 8 else "")
        problems.append(f"{counted(len(numbers), 'page')} ({listed}) turned {rotation}°")
    if pages != list(range(page_count)):
        missing = sorted(set(range(page_count)) - set(pages))
        if missing:
            problems.append(f"missing {'page' if len(missing) == 1 else 'pages'}: "
                            f"{', '.join(str(p + 1) for p in missing[:10])}")
        extra = sorted(set(pages) - set(range(page_count)))
        if extra:
            problems.append(f"unexpected {'page' if len(extra) == 1 else 'pages'}: "
                            f"{', '.join(str(p + 1) for p in extra[:10])}")
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


@dataclass(frozen=True)
class Settings:
    """How a print PDF is assumed to be printed and finished (what `booklet verify` is told)."""

    scheme: str = "cut-stack"
    flip: str = "long"
    manual_duplex: bool = False
    group: int | None = None
    nest: bool = True
    binding: str = "left"


def fold_print_pdf(pages, settings: Settings) -> list[Face]:
    """read_print_pdf output → the booklet's faces in reading order, printed and finished as
    `settings` say."""
    from .plan import nest_sizes

    module = scheme_module(settings.scheme)
    sides = sides_from_placements(pages, settings.scheme)
    sheets = len(sides) // (2 if module.DUPLEX else 1)
    nests = [count for _, count in nest_sizes(sheets, settings.group)]
    return simulate(sides, settings.scheme, flip=settings.flip, manual_duplex=settings.manual_duplex,
                    nests=nests, nest=settings.nest, binding=settings.binding)


def diagnose(pages, page_count: int, settings: Settings) -> str | None:
    """One sentence naming the single setting that, changed, makes the booklet read in order
    (a wrong flip, scheme, duplex mode or binding); None when no single change does."""
    from .schemes import SCHEMES

    candidates = [
        (replace(settings, flip=other), f"the file is imposed for a printer that flips on the {other} edge; "
                                        f"yours flips on the {settings.flip} edge: impose it again with "
                                        f"--flip {settings.flip}")
        for other in ("long", "short") if other != settings.flip
    ] + [
        (replace(settings, manual_duplex=not settings.manual_duplex),
         "the file is imposed " + ("for automatic duplex: leave out --manual-duplex" if settings.manual_duplex
                                   else "for manual duplex (all fronts, then all backs): use --manual-duplex"))
    ] + [
        (replace(settings, binding=other), f"the file is imposed for binding on the {other}: use --binding {other}")
        for other in ("left", "right") if other != settings.binding
    ] + [
        (replace(settings, scheme=other), f"the file is imposed with another scheme: use --scheme {other}")
        for other in SCHEMES if other != settings.scheme
    ]
    for candidate, sentence in candidates:
        try:
            if not check(fold_print_pdf(pages, candidate), page_count):
                return sentence
        except (ValueError, KeyError, IndexError):
            continue
    return None
