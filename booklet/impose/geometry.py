"""Plan slots + sheet and page sizes → where each page goes on the sheet, in points.

Pure arithmetic on floats (points, 1/72 inch; PDF coordinates with the origin at the bottom
left of a sheet). A placement is an affine matrix (a, b, c, d, e, f) in PDF's convention:
x' = a·x + c·y + e, y' = b·x + d·y + f.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .slots import Slot

Matrix = tuple[float, float, float, float, float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SIZE_TOLERANCE = 72 / 25.4  # 1 mm: pages this close to their slot are placed unscaled


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying `first`, then `then`."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def translate(x: float, y: float) -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, x, y)


def scale(k: float) -> Matrix:
    return (k, 0.0, 0.0, k, 0.0, 0.0)


def scale_xy(kx: float, ky: float) -> Matrix:
    return (kx, 0.0, 0.0, ky, 0.0, 0.0)


def rotate(degrees: int) -> Matrix:
    """Counter-clockwise rotation by a multiple of 90° (exact, no floating-point residue)."""
    cos, sin = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}[degrees % 360]
    return (float(cos), float(sin), float(-sin), float(cos), 0.0, 0.0)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def transform_rect(m: Matrix, rect: Rect) -> Rect:
    xs, ys = zip(*(apply(m, x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])))
    return min(xs), min(ys), max(xs), max(ys)


def slot_rect(sheet_size: tuple[float, float], rows: int, columns: int, row: int, column: int) -> Rect:
    """The slot's rectangle on the sheet; row 0 is the top row."""
    width, height = sheet_size[0] / columns, sheet_size[1] / rows
    x0 = column * width
    y0 = sheet_size[1] - (row + 1) * height
    return x0, y0, x0 + width, y0 + height


def upright(box: Rect, page_rotate: int) -> tuple[Matrix, float, float]:
    """A page's visible box and /Rotate (clockwise degrees) → (matrix to the page as shown,
    with its lower left corner at the origin, shown width, shown height)."""
    llx, lly, urx, ury = box
    w, h = urx - llx, ury - lly
    rot = page_rotate % 360
    to_origin = translate(-llx, -lly)
    # Turning clockwise by /Rotate is turning counter-clockwise by -/Rotate, then moving the
    # result back into the first quadrant.
    back = {0: (0.0, 0.0), 90: (0.0, w), 180: (w, h), 270: (h, 0.0)}[rot]
    m = multiply(multiply(to_origin, rotate(-rot)), translate(*back))
    shown = (h, w) if rot in (90, 270) else (w, h)
    return m, shown[0], shown[1]


def fit_scale(page_size: tuple[float, float], slot_size: tuple[float, float]) -> float:
    """1 for pages within SIZE_TOLERANCE of the slot, else the scale that fits the page in it
    (keeping the aspect ratio)."""
    (pw, ph), (sw, sh) = page_size, slot_size
    if abs(pw - sw) <= SIZE_TOLERANCE and abs(ph - sh) <= SIZE_TOLERANCE and pw <= sw + 0.01 and ph <= sh + 0.01:
        return 1.0
    if pw <= sw and ph <= sh and sw - pw <= SIZE_TOLERANCE and sh - ph <= SIZE_TOLERANCE:
        return 1.0
    return min(sw / pw, sh / ph)


def printer_margin_scale(sheet_size: tuple[float, float], rows: int, columns: int, margin: float) -> float:
    """The largest scale (≤ 1) keeping a slot-filling page, centred in its slot, at least
    `margin` points away from every sheet edge."""
    if margin <= 0:
        return 1.0
    sw, sh = sheet_size[0] / columns, sheet_size[1] / rows
    if 2 * margin >= min(sw, sh):
        raise ValueError("the printer margin leaves no room for the pages")
    return min(1.0, (sw - 2 * margin) / sw, (sh - 2 * margin) / sh)


def creep_shift(slot: Slot, creep: float) -> float:
    """Horizontal shift in points of the slot's content toward the spine: leaf j (0 =
    outermost) moves by j × creep, creep being the paper thickness. Inner leaves of a nest
    reach further out at the fore-edge by roughly one thickness per leaf outside them; moving
    their content inward by as much lines the text blocks up after folding and trimming."""
    if not creep or slot.spine is None:
        return 0.0
    amount = slot.leaf * creep
    return amount if slot.spine == "right" else -amount


@dataclass(frozen=True)
class Placement:
    """Where one source page lands. `form_matrix` turns the page's own coordinates into the
    page as shown (upright, lower left corner of its drawn box at the origin; it becomes the
    form XObject's /Matrix); `matrix` maps that shown page onto the sheet; `page_rect` is the
    placed finished page (its trim box); `clip` is what may be drawn: the slot, less any bleed
    that would cross a fold."""

    form_matrix: Matrix
    matrix: Matrix
    page_rect: Rect
    clip: Rect
    scale: float
    drawn_rect: Rect  # what is drawn of the page (its bleed box, within the clip)

    @property
    def bleed(self) -> float:
        """How far the drawn bleed reaches beyond the trim, at the widest edge (points)."""
        (x0, y0, x1, y1), (d0, e0, d1, e1) = self.page_rect, self.drawn_rect
        return max(0.0, x0 - d0, y0 - e0, d1 - x1, e1 - y1)


def fold_edges(slot: Slot, rows: int, columns: int, inner_edges_fold: bool) -> frozenset[str]:
    """The slot's edges ("left", "right", "top", "bottom" on the printed side) that become folds
    and stay folded: the spine, and with `inner_edges_fold` (mini-zine) every edge shared with
    another slot. Bleed is clipped there, at the trim; at a cut or the sheet edge it is kept
    (the knife takes it)."""
    edges = {slot.spine} if slot.spine else set()
    if inner_edges_fold:
        edges |= {edge for edge, inside in (("left", slot.column > 0), ("right", slot.column < columns - 1),
                                            ("top", slot.row > 0), ("bottom", slot.row < rows - 1)) if inside}
    return frozenset(edges)


def clip_at_folds(slot: Rect, page: Rect, folds: frozenset[str]) -> Rect:
    """The slot, its fold edges moved in to the page's trim edge."""
    x0, y0, x1, y1 = slot
    return (max(x0, page[0]) if "left" in folds else x0, max(y0, page[1]) if "bottom" in folds else y0,
            min(x1, page[2]) if "right" in folds else x1, min(y1, page[3]) if "top" in folds else y1)


def place(slot: Slot, sheet_size: tuple[float, float], rows: int, columns: int, box: Rect,
          page_rotate: int, margin_scale: float = 1.0, creep: float = 0.0, trim: Rect | None = None,
          folds: frozenset[str] = frozenset()) -> Placement:
    """Place a page (drawn box `box`, finished page `trim` inside it, /Rotate `page_rotate`)
    into `slot`: upright as shown, its finished page fitted to the slot, shrunk by
    `margin_scale`, centred, turned by the slot's rotation and shifted toward the spine by its
    creep; its bleed (box outside trim) is drawn up to the slot's edges except at `folds`."""
    return _placed(slot.row, slot.column, slot.rotation, creep_shift(slot, creep), sheet_size, rows, columns,
                   box, page_rotate, margin_scale, trim, folds)


@functools.lru_cache(maxsize=1024)
def _placed(row: int, column: int, rotation: int, shift: float, sheet_size: tuple[float, float], rows: int,
            columns: int, box: Rect, page_rotate: int, margin_scale: float, trim: Rect | None,
            folds: frozenset[str]) -> Placement:
    """place() of a slot at (row, column) turned by `rotation`, its content shifted by `shift`
    toward the spine. Cached: the pages of a booklet share a box, so its sheets repeat the
    same few placements (a Placement is frozen)."""
    slot_box = slot_rect(sheet_size, rows, columns, row, column)
    to_upright, _, _ = upright(box, page_rotate)
    finished = transform_rect(to_upright, trim or box)
    w, h = finished[2] - finished[0], finished[3] - finished[1]
    slot_size = (slot_box[2] - slot_box[0], slot_box[3] - slot_box[1])
    turned = rotation % 180 == 90
    k = fit_scale((h, w) if turned else (w, h), slot_size) * margin_scale
    cx = (slot_box[0] + slot_box[2]) / 2 + shift
    cy = (slot_box[1] + slot_box[3]) / 2
    m = multiply(translate(-(finished[0] + finished[2]) / 2, -(finished[1] + finished[3]) / 2), scale(k))
    m = multiply(m, rotate(rotation))
    m = multiply(m, translate(cx, cy))
    page_rect = transform_rect(m, finished)
    clip = clip_at_folds(slot_box, page_rect, folds)
    drawn = transform_rect(multiply(to_upright, m), box)
    drawn = (max(drawn[0], clip[0]), max(drawn[1], clip[1]), min(drawn[2], clip[2]), min(drawn[3], clip[3]))
    return Placement(to_upright, m, page_rect, clip, k, drawn)
