"""What the image stage hands on: `PreparedImage`, and where a figure or the cover is placed.

All lengths are in points (1/72 inch).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..layouts import Layout
from .pixels import jpeg_has_adobe_marker


@dataclass(frozen=True)
class PreparedImage:
    """An image ready to embed. `data` is a JPEG (embed as DCTDecode) or a PNG (its IDAT stream
    embeds as FlateDecode with the PNG predictor); `mode` is "1", "L", "RGB" or "CMYK" as stored
    in `data`. `placed_*` is the largest size (points) at which the booklet shows it, `ppi` the
    effective resolution there. A CMYK JPEG is Adobe-style (inverted); `adobe_inverted` says so.
    """

    source: Path
    data: bytes
    pixel_width: int
    pixel_height: int
    placed_width: float
    placed_height: float
    ppi: float
    mode: str

    @property
    def is_jpeg(self) -> bool:
        return self.data[:2] == b"\xff\xd8"

    @property
    def aspect(self) -> float:
        """Width / height of the upright image."""
        return self.pixel_width / self.pixel_height

    @property
    def adobe_inverted(self) -> bool:
        """True for a CMYK JPEG written by Adobe software or Pillow: its samples are stored
        inverted, so a PDF must decode it with /Decode [1 0 1 0 1 0 1 0]."""
        return self.is_jpeg and self.mode == "CMYK" and jpeg_has_adobe_marker(self.data)


@dataclass(frozen=True)
class PreparedDrawing:
    """An SVG drawing, kept as vectors: `data` is the SVG text the typesetter draws (svglib),
    `width` × `height` its own size in points (only its proportions matter); `linked`, the
    pictures it links from elsewhere, which are left out (imageformats.SvgSize)."""

    source: Path
    data: bytes
    width: float
    height: float
    linked: tuple[str, ...] = ()

    @property
    def aspect(self) -> float:
        return self.width / self.height


Prepared = PreparedImage | PreparedDrawing
"""What the image stage hands on for one file."""


FULL_PAGE_CROP = 0.1
"""The share of a full-page picture's width or height that may be cut off so that it covers
its page: a photo of about the page's shape (2:3, 3:4, A-series) then runs to every edge (and
into the bleed) instead of leaving a sliver of white at a cut; one of another shape (a
landscape on a portrait page) is a plate: fitted whole inside the margins, its caption under it."""


def full_page_covers(aspect: float, layout: Layout, reserve: float = 0.0) -> bool:
    """True if a full-page picture of `aspect` covers its page above `reserve` (its caption,
    on the bottom margin), cut by at most FULL_PAGE_CROP; else it is a plate."""
    box_width, box_height = layout.page_width, layout.page_height - reserve
    covering_width, covering_height = _cover(aspect, box_width, box_height)
    return 1 - min(box_width / covering_width, box_height / covering_height) <= FULL_PAGE_CROP


def figure_size(aspect: float, width_fraction: float | None, full_page: bool, layout: Layout,
                reserve: float = 0.0) -> tuple[float, float]:
    """The placed (width, height) in points of an image of `aspect` (width / height).

    A figure is as wide as the text (or `width_fraction` of it) and never taller than
    `layout.images.max_height` of the text block, nor than the text block minus `reserve`
    (the caption's height), keeping its aspect. A full-page image covers the whole page (minus
    `reserve`, its caption and the bottom margin it sits on) when that cuts off little of it
    (full_page_covers), else it is fitted whole inside the text block with its caption.
    """
    if full_page and full_page_covers(aspect, layout, reserve):
        return _cover(aspect, layout.page_width, layout.page_height - reserve)
    if full_page:
        caption = max(reserve - layout.margins.bottom, 0.0)  # (the reserve holds the bottom margin)
        box_width, box_height = layout.text_width, layout.text_height - caption
    else:
        fraction = 1.0 if width_fraction is None else min(max(width_fraction, 0.01), 1.0)
        box_width = layout.text_width * fraction
        box_height = min(layout.images.max_height * layout.text_height, layout.text_height - reserve)
    return _fit(aspect, box_width, max(box_height, 1.0))


def cover_size(aspect: float, layout: Layout, mode: str = "inline",
               area: tuple[float, float] | None = None) -> tuple[float, float]:
    """The placed size in points of a cover picture of `aspect`.

    "inline": the built-in cover's image, the text width, at most `layout.images.max_height`
    of the text block high (the title and contents share the page); "full": covering `area`
    (default `cover_area`; cropped to it); "page": a cover made elsewhere, fitted whole inside
    the page.
    """
    if mode == "full":
        return _cover(aspect, *(area or cover_area(layout, mode)))
    if mode == "page":
        return _fit(aspect, *cover_area(layout, mode))
    return figure_size(aspect, None, False, layout)


def cover_area(layout: Layout, mode: str) -> tuple[float, float]:
    """(width, height) of the part of the page, from its top edge, that a full-page cover
    picture covers: all of it, or the top share above a title set under the picture."""
    if mode == "full" and layout.cover.title == "under":
        return layout.page_width, layout.cover.picture_height * layout.page_height
    return layout.page_width, layout.page_height


def _cover(aspect: float, box_width: float, box_height: float) -> tuple[float, float]:
    """The smallest size of `aspect` that covers the box (the box cuts off the rest)."""
    return (box_width, box_width / aspect) if aspect < box_width / box_height else (box_height * aspect, box_height)


def _fit(aspect: float, box_width: float, box_height: float) -> tuple[float, float]:
    if box_width / box_height > aspect:
        return box_height * aspect, box_height
    return box_width, box_width / aspect
