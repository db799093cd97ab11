"""Prepared images → flowables: captioned figures that float to the next page when they do not
fit (the text after them fills the space), full-page images, and the cover image.

Every image is embedded as exactly the bytes `booklet.images` prepared: a JPEG as DCTDecode, a
PNG's compressed data as FlateDecode with the PNG predictor, so 1-bit line art stays 1-bit and
CMYK stays CMYK (ReportLab's own `drawImage` would decode and re-encode anything but a JPEG as
8-bit RGB). All lengths are in points.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
from functools import cache

from PIL import UnidentifiedImageError
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFStream
from reportlab.platypus import Flowable, PageBreak
from reportlab.platypus.doctemplate import NullActionFlowable

from ..errors import BookletError
from ..images import Prepared, PreparedDrawing, PreparedImage, cover_size, figure_size, full_page_covers
from ..layouts import Layout
from ..model import Figure

MIN_COVER_SHARE = 0.25
"""The cover image keeps at least this share of the text block height, even if the contents
must then continue on the next page."""


# --- embedding --------------------------------------------------------------


_COLOUR_SPACES = {"1": "DeviceGray", "L": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK"}


class ImageXObject(PDFObject):
    """An image XObject whose stream is the prepared bytes, untouched (PDF 1.7 § 8.9.5)."""

    def __init__(self, name: str, image: PreparedImage):
        self.name = name
        self.image = image
        entries: dict = {
            "Type": PDFName("XObject"),
            "Subtype": PDFName("Image"),
            "Width": image.pixel_width,
            "Height": image.pixel_height,
            "ColorSpace": PDFName(_COLOUR_SPACES[image.mode]),
        }
        if image.is_jpeg:
            self.content = image.data
            entries["BitsPerComponent"] = 8
            entries["Filter"] = PDFName("DCTDecode")
            if image.adobe_inverted:  # Adobe CMYK JPEGs store inverted samples
                entries["Decode"] = PDFArray([1, 0, 1, 0, 1, 0, 1, 0])
        else:
            width, height, depth, colours, self.content = _png_parts(image.data)
            if (width, height) != (image.pixel_width, image.pixel_height):
                raise ValueError(f"{image.source}: PNG size does not match the prepared size")
            entries["BitsPerComponent"] = depth
            entries["Filter"] = PDFName("FlateDecode")
            # PNG rows carry a filter-type byte each: Predictor 15 lets the reader undo them.
            entries["DecodeParms"] = PDFDictionary({"Predictor": 15, "Colors": colours,
                                                    "BitsPerComponent": depth, "Columns": width})
        self.entries = entries

    def format(self, document) -> bytes:
        stream = PDFStream(PDFDictionary(dict(self.entries)), self.content)
        return stream.format(document)


def _png_parts(data: bytes) -> tuple[int, int, int, int, bytes]:
    """(width, height, bit depth, colours per pixel, concatenated IDAT data) of a PNG that
    `booklet.images` wrote: grey or RGB, not interlaced."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    i, idat, header = 8, [], None
    while i + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        i += 12 + length
    if header is None:
        raise ValueError("PNG without IHDR")
    width, height, depth, colour_type, _, _, interlace = header
    if colour_type not in (0, 2) or interlace or depth not in (1, 8):
        raise ValueError(f"PNG colour type {colour_type}, depth {depth}, interlace {interlace} not embeddable")
    return width, height, depth, 1 if colour_type == 0 else 3, b"".join(idat)


def draw_image(canvas, image: Prepared, x: float, y: float, width: float, height: float) -> None:
    """Draw `image` with its lower left corner at (x, y), scaled to width × height points.
    An image drawn twice is embedded once (as ReportLab's `drawImage` does); a drawing is
    drawn as vectors (paths, not an image)."""
    if isinstance(image, PreparedDrawing):
        _draw_svg(canvas, image, x, y, width, height)
        return
    name = "img" + hashlib.sha1(image.data).hexdigest()[:20]
    document = canvas._doc
    registered = document.getXObjectName(name)
    if registered not in document.idToObject:
        xobject = ImageXObject(name, image)
        document.Reference(xobject, registered)
        document.addForm(name, xobject)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{registered} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)
    canvas._currentPageHasImages = 1


def draw_centred(canvas, image: Prepared, box: tuple[float, float, float, float], width: float,
                 height: float) -> None:
    """Draw `image` at width × height points centred on `box` (x, y, width, height), cut to
    the box where it is larger (a picture that covers a page or an area)."""
    x, y, box_width, box_height = box
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(x, y, box_width, box_height)
    canvas.clipPath(clip, stroke=0, fill=0)
    draw_image(canvas, image, x + (box_width - width) / 2, y + (box_height - height) / 2, width, height)
    canvas.restoreState()


def _draw_svg(canvas, drawing: PreparedDrawing, x: float, y: float, width: float, height: float) -> None:
    try:
        shapes = _svg_shapes(drawing.data)
    except _SvgUnreadable as exc:
        raise BookletError(f"the SVG drawing cannot be read: {exc}", drawing.source) from None
    if shapes is None or not shapes.width or not shapes.height:
        raise BookletError(f"the SVG drawing {drawing.source} cannot be drawn (svglib read no shapes from it)")
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width / shapes.width, height / shapes.height)
    # a picture embedded in the SVG is drawn inline, its data among the page's operators, which
    # ReportLab joins as text: ASCII85, not the binary streams the rest of the PDF has (an SVG
    # holding a PNG ended the build with an internal error)
    binary, rl_config.useA85 = rl_config.useA85, 1
    try:
        renderPDF.draw(shapes, canvas, 0, 0)
    finally:
        rl_config.useA85 = binary
    canvas.restoreState()


@cache
def _svg_shapes(data: bytes):
    """The SVG as a ReportLab Drawing (ReportLab's own route for SVG), read once per build."""
    from svglib.svglib import svg2rlg  # optional: the image stage has checked that it is installed

    # its notes (unsupported CSS, linked pictures it will not fetch) are not the user's: the image
    # stage has said what a reader will miss (images.prepare: `linked`)
    logging.getLogger("svglib").setLevel(logging.CRITICAL)
    try:
        return svg2rlg(io.BytesIO(data))
    except UnidentifiedImageError:
        raise _SvgUnreadable("a picture embedded in it is not an image Pillow can read") from None
    except Exception as exc:  # svglib raises many kinds on odd input
        raise _SvgUnreadable(str(exc)) from None


class _SvgUnreadable(Exception):
    """svglib could not read an SVG (the drawing's file is named by the caller)."""


# --- reserve for captions -----------------------------------------------------


def caption_gap(layout: Layout) -> float:
    """The space between an image and its caption."""
    return layout.styles["caption"].space_before or 3.0


def figure_reserve(caption_height: float, full_page: bool, layout: Layout) -> float:
    """The height kept under an image for its caption: the caption and the gap above it; on a
    full page also the bottom margin, which the caption sits on."""
    if caption_height <= 0:
        return 0.0
    return caption_height + caption_gap(layout) + (layout.margins.bottom if full_page else 0.0)


def caption_box_width(caption: Flowable, width_fraction: float | None, room: float) -> float:
    """The width a caption is set in: its picture's share (`width_fraction`, None for all) of
    `room`, the width the figure may take, or its longest word's width when that is wider (up
    to `room`), so that no word of it is broken between letters. Regression: under a picture
    5 % wide, "Zero width" was set as Z / ero / wi / dth."""
    return min(room, max(room * min(width_fraction or 1.0, 1.0), caption.min_width()))


# --- floating figures -----------------------------------------------------------


def _waiting(doc) -> list[Flowable]:
    """Figures that did not fit on their page, in order, waiting for the top of the next one."""
    return doc.__dict__.setdefault("_booklet_waiting_figures", [])


def wait_for_next_page(flowable: Flowable, doc) -> list[Flowable]:
    """Put `flowable` in the queue for the next page; the text after it goes on here."""
    _waiting(doc).append(flowable)
    release = doc.__dict__.setdefault("_booklet_release", _ReleaseFigures())
    if release not in doc._pageTopFlowables:
        # Platypus hands page-top flowables to every new page (SetPageTopFlowables uses the same list).
        doc._pageTopFlowables = [*doc._pageTopFlowables, release]
    return [NullActionFlowable()]


def others_waiting(flowable: Flowable) -> bool:
    canvas = getattr(flowable, "canv", None)
    doc = getattr(canvas, "_doctemplate", None)
    return doc is not None and any(f is not flowable for f in _waiting(doc))


class _ReleaseFigures(Flowable):
    """Zero-size; at the top of a new page it puts the waiting figures in front of the story."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        doc = self.canv._doctemplate
        waiting = _waiting(doc)
        figures, waiting[:] = waiting[:], []
        doc._pageTopFlowables = [f for f in doc._pageTopFlowables if f is not self]
        if figures:
            doc.frame.add_generated_content(*figures)
            doc._booklet_released_on = doc.page
        return 0, 0

    def draw(self) -> None:
        pass


def forgive_postponed(doc, flowables: list[Flowable]) -> None:
    """For the document's `handle_flowable`: a flowable that did not fit at the foot of the last
    page and now finds released figures filling this one may move on once more (Platypus
    otherwise calls a flowable that fails on two pages in a row too large)."""
    if (flowables and getattr(doc, "_booklet_released_on", None) == doc.page
            and hasattr(flowables[0], "_postponed")):
        del flowables[0]._postponed


class FlushFigures(Flowable):
    """Before a forced page break (the end of an article): waiting figures get their own pages
    first, so that none lands on the next article's opening page."""

    # Platypus asks a flowable to split only if some room is left, and otherwise postpones it,
    # which breaks the page in the middle of the flowables released at a page top; this makes
    # it always ask, and split() always answers.
    _ZEROSIZE = True

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        doc = getattr(self.canv, "_doctemplate", None)
        if doc is not None and _waiting(doc):
            return available_width, available_height + 1  # does not fit: split() breaks the page
        return 0, 0

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return [PageBreak(), self]

    def draw(self) -> None:
        pass


def flush_figures() -> Flowable:
    return FlushFigures()


class FigureFlowable(Flowable):
    """An image centred in its share of the text width with its caption under it, one unit.

    If it does not fit in what is left of the page, it waits for the top of the next page and
    the text after it fills this one. Figures keep their order.
    """

    # Platypus asks a flowable to split only if some room is left, and otherwise postpones it,
    # which breaks the page in the middle of the flowables released at a page top; this makes
    # it always ask, and split() always answers.
    _ZEROSIZE = True

    def __init__(self, image: Prepared, caption: Flowable | None, layout: Layout,
                 width_fraction: float | None = None, max_height: float | None = None):
        super().__init__()
        self.image, self.caption, self.layout = image, caption, layout
        self.width_fraction = width_fraction
        self.max_height = max_height
        leading = layout.styles["body"].leading
        self.spaceBefore = leading / 2
        self.spaceAfter = max(layout.styles["caption"].space_after, leading / 2) if caption else leading / 2

    def _measure(self, available_width: float) -> None:
        room = min(available_width, self.layout.text_width)
        self.box_width = room * min(self.width_fraction or 1.0, 1.0)
        self.caption_height = 0.0
        if self.caption is not None:
            self.caption_width = caption_box_width(self.caption, self.width_fraction, room)
            self.caption_height = self.caption.wrap(self.caption_width, self.layout.page_height)[1]
        self.reserve = figure_reserve(self.caption_height, False, self.layout)
        width, height = figure_size(self.image.aspect, self.width_fraction, False, self.layout, self.reserve)
        scale = min(1.0, self.box_width / width)  # narrower inside a quote or list
        if self.max_height is not None and (height * scale + self.reserve) > self.max_height:
            scale = max(0.05, (self.max_height - self.reserve) / height)
        self.image_width, self.image_height = width * scale, height * scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._measure(available_width)
        self.width = available_width
        self.height = self.image_height + self.reserve
        if others_waiting(self):
            return available_width, max(self.height, available_height + 1)  # keep the figures' order
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        doc = self.canv._doctemplate
        if not others_waiting(self) and doc.frame._atTop:
            # Taller than an empty page (a very long caption): shrink the image to fit.
            return [FigureFlowable(self.image, self.caption, self.layout, self.width_fraction,
                                   max_height=available_height)]
        return wait_for_next_page(self, doc)

    def draw(self) -> None:
        x = (self.width - self.image_width) / 2
        draw_image(self.canv, self.image, x, self.reserve, self.image_width, self.image_height)
        if self.caption is not None:
            self.caption.drawOn(self.canv, (self.width - self.caption_width) / 2, 0)


class FullPageFigure(Flowable):
    """An image on a page of its own: covering the page, with no marker and its caption (if
    any) on the bottom margin, or, when covering would cut off too much of it, a plate: fitted
    inside the margins with its caption under it. Placed at the top of the next page when the
    current one already has text."""

    # Platypus asks a flowable to split only if some room is left, and otherwise postpones it,
    # which breaks the page in the middle of the flowables released at a page top; this makes
    # it always ask, and split() always answers.
    _ZEROSIZE = True

    def __init__(self, image: Prepared, caption: Flowable | None, layout: Layout):
        super().__init__()
        self.image, self.caption, self.layout = image, caption, layout

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        doc = self.canv._doctemplate
        if others_waiting(self) or not doc.frame._atTop:
            return available_width, available_height + 1
        return available_width, available_height  # the whole page

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return wait_for_next_page(self, self.canv._doctemplate)

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        layout = self.layout
        text_width = layout.text_width
        caption_height = self.caption.wrap(text_width, layout.page_height)[1] if self.caption else 0.0
        reserve = figure_reserve(caption_height, True, layout)
        width, height = figure_size(self.image.aspect, None, True, layout, reserve)
        if full_page_covers(self.image.aspect, layout, reserve):
            draw_centred(canvas, self.image, (0.0, reserve, layout.page_width, layout.page_height - reserve),
                         width, height)
            caption_y = layout.margins.bottom
            doc = getattr(canvas, "_doctemplate", None)
            if doc is not None:
                doc.marker_hidden = True  # the page marker would print over the picture
        else:  # a plate: picture and caption one block, centred in the text block
            under = figure_reserve(caption_height, False, layout)
            caption_y = layout.margins.bottom + (layout.text_height - height - under) / 2
            draw_image(canvas, self.image, x + (text_width - width) / 2, caption_y + under, width, height)
        if self.caption is not None:
            self.caption.drawOn(canvas, x, caption_y)

    def draw(self) -> None:
        pass


def figure_flowable(figure: Figure, image: Prepared, caption: Flowable | None, layout: Layout) -> Flowable:
    """The flowable for a figure block: full-page or in the text."""
    if figure.full_page:
        return FullPageFigure(image, caption, layout)
    return FigureFlowable(image, caption, layout, figure.width)


# --- cover --------------------------------------------------------------------


class CoverImage(Flowable):
    """The cover image: as wide as the text, no taller than `cover_size`, and small enough to
    leave room for the cover flowables that follow it (`below`: title lines, contents)."""

    def __init__(self, image: Prepared, layout: Layout, below: list[Flowable]):
        super().__init__()
        self.image, self.layout, self.below = image, layout, below
        # a line above and below, so that it neither touches the author's line (regression)
        # nor stands two lines above the contents
        self.spaceBefore = self.spaceAfter = layout.styles["body"].leading

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        needed = 0.0
        for flowable in self.below:
            needed += flowable.wrap(available_width, available_height)[1]
            needed += flowable.getSpaceBefore() + flowable.getSpaceAfter()
        width, height = cover_size(self.image.aspect, self.layout)
        room = max(available_height - needed - self.spaceAfter, MIN_COVER_SHARE * self.layout.text_height)
        scale = min(1.0, room / height, available_width / width)
        self.image_width, self.image_height = width * scale, height * scale
        self.width = available_width
        self.height = self.image_height
        return self.width, self.height

    def draw(self) -> None:
        draw_image(self.canv, self.image, (self.width - self.image_width) / 2, 0,
                   self.image_width, self.image_height)
