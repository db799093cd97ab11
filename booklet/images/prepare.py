"""The image stage: every image a booklet names → a `PreparedImage` (upright, print-ready
colour, no sharper than the target resolution at its placed size) and the problems found."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import Problem
from ..imageformats import heif_available, is_svg, missing_plugin, svg_size
from ..layouts import ImageSettings, Layout
from ..model import Booklet, Figure, Location, article_blocks
from ..parse import key_line
from .. import cache as store_module
from . import cache as cache_module
from .pixels import (encode, exif_orientation, is_grayscale, jpeg_embeddable, needs_srgb_conversion, normalize_mode,
                     resize, to_srgb)
from .prepared import Prepared, PreparedDrawing, PreparedImage, cover_size, figure_size

SUPPORTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP",
                     "TIFF": "TIFF", "BMP": "BMP", "HEIF": "HEIC/HEIF"}
"""Pillow format names accepted → the name users know. MPO is the multi-picture JPEG of phones,
HEIF the HEIC photos of iPhones (through pillow-heif). SVG is read apart (`imageformats`)."""

_LOSSLESS_FORMATS = {"PNG", "GIF", "BMP", "TIFF"}

_PPI_TOLERANCE = 1.01
"""An image at most 1 % above the target resolution is left alone (not worth a second generation)."""

CACHE_VERSION = 5
"""Bump when the processing changes, so that old cache entries are no longer used."""


@dataclass(frozen=True)
class _Use:
    """One place an image is shown: a figure, or a cover picture (`cover`: its `cover_size` mode)."""

    where: Location
    shown_as: str  # the path as the model holds it
    width_fraction: float | None
    full_page: bool
    reserve: float
    cover: str | None

    def size(self, aspect: float, layout: Layout) -> tuple[float, float]:
        if self.cover is not None:
            return cover_size(aspect, layout, self.cover)
        return figure_size(aspect, self.width_fraction, self.full_page, layout, self.reserve)


def prepare_images(booklet: Booklet, layout: Layout, cache_dir: Path | None = None, *,
                   reserve: Callable[[Figure], float] | None = None, stop: threading.Event | None = None,
                   ) -> tuple[dict[Path, Prepared], list[Problem]]:
    """Every figure's image and the cover image, prepared for print, keyed by their paths as the
    model holds them (`Figure.image`, `Metadata.cover_image`: already relative to the naming file).

    `cache_dir` (default: the process's store in `cache.default_folder()`) keeps processed images
    by content and settings.
    `reserve(figure)` is the height in points to keep free under a figure for its caption.
    `stop`, once set, skips the images not begun (the caller no longer wants the result).
    Problems come in document order: errors (missing, unreadable, corrupt, unsupported, too many
    pixels) name the Markdown file and line; a warning names each image below
    `layout.images.warn_below_ppi`. An image with an error is absent from the result.
    """
    uses: dict[Path, list[tuple[int, _Use]]] = {}
    for index, (path, use) in enumerate(_uses(booklet, reserve)):
        uses.setdefault(path, []).append((index, use))
    cache = cache_module.Cache(store_module.store() if cache_dir is None else cache_dir)
    jobs = [(path, [u for _, u in indexed]) for path, indexed in uses.items()]
    workers = max(1, min(len(jobs), os.cpu_count() or 1, 4))

    def prepare(job: tuple[Path, list[_Use]]) -> tuple[Prepared | None, str]:
        if stop is not None and stop.is_set():
            return None, "{} not prepared: stopped"
        return _prepare_path(*job, layout, cache)

    if workers == 1:
        results = list(map(prepare, jobs))
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:  # Pillow releases the GIL while decoding
            results = list(pool.map(prepare, jobs))

    prepared: dict[Path, Prepared] = {}
    found: list[tuple[int, Problem]] = []
    for (path, indexed), (image, error) in zip(uses.items(), results):
        if image is None:
            found += [(i, Problem(error.replace("{}", u.shown_as, 1), u.where.path, u.where.line))
                      for i, u in indexed]
            continue
        prepared[path] = image
        if isinstance(image, PreparedDrawing):  # vectors are sharp at any size
            if image.linked:
                i, u = indexed[0]
                found.append((i, Problem(
                    f"the SVG drawing {u.shown_as} links {_listed(image.linked)} from outside it, which "
                    f"{'is' if len(image.linked) == 1 else 'are'} left out: embed the picture in the SVG "
                    f"or give it a figure of its own", u.where.path, u.where.line, severity="warning")))
            continue
        for i, u in indexed:
            width, _ = u.size(image.aspect, layout)
            ppi = image.pixel_width * 72.0 / width
            if ppi < layout.images.warn_below_ppi - 0.5:
                found.append((i, Problem(
                    f"image {u.shown_as} prints at {ppi:.0f} ppi at its size on the page "
                    f"(below {layout.images.warn_below_ppi:.0f} ppi) and will look soft; "
                    f"use a larger image or give it a smaller width",
                    u.where.path, u.where.line, severity="warning")))
    found.sort(key=lambda item: item[0])
    return prepared, [problem for _, problem in found]


def _listed(links: tuple[str, ...]) -> str:
    shown = [repr(link if len(link) <= 60 else link[:57] + "...") for link in links[:3]]
    return ", ".join(shown) + (f" and {len(links) - 3} more" if len(links) > 3 else "")


def _uses(booklet: Booklet, reserve: Callable[[Figure], float] | None) -> Iterator[tuple[Path, _Use]]:
    meta = booklet.metadata
    if meta.cover_image is not None:
        where = Location(meta.where.path, key_line(meta.where, "cover_image"))
        mode = "full" if meta.cover is not None and meta.cover.kind == "full" else "inline"
        yield meta.cover_image, _Use(where, str(meta.cover_image), None, False, 0.0, cover=mode)
    for page in (meta.cover, meta.back):
        if page is not None and page.kind == "image" and page.path is not None:
            yield page.path, _Use(page.where, str(page.path), None, False, 0.0, cover="page")
    for article in booklet.all_articles():
        for block in article_blocks(article):
            if isinstance(block, Figure):
                yield block.image, _Use(
                    block.where, str(block.image), block.width, block.full_page,
                    float(reserve(block)) if reserve else 0.0, cover=None)


class _ImageError(Exception):
    """A problem with one image file; the message is completed with each figure's location."""


def _prepare_path(path: Path, uses: list[_Use], layout: Layout, cache: cache_module.Cache,
                  ) -> tuple[Prepared | None, str]:
    try:
        source = _read(path, uses[0].shown_as)
        if (missing := missing_plugin(path)) is not None:
            raise _ImageError(f"image {{}} cannot be read: {missing}")
        if is_svg(path, source):
            try:
                size = svg_size(source)
            except ValueError as exc:
                raise _ImageError(f"image {{}} cannot be used: {exc}") from None
            return PreparedDrawing(path, source, size.width, size.height, size.linked), ""
        digest = hashlib.sha256(source).hexdigest()
        im = None
        facts = cache.get_facts(digest)
        if facts is None:  # not seen before: read the header (size, format, EXIF)
            im = _open(path, source)
            facts = (*im.size, exif_orientation(im))
            cache.put_facts(digest, facts)
        plan = _plan(*facts, uses, layout)
        key = _cache_key(digest, plan, layout.images)
        hit = cache.get(key, path, source)
        if hit is not None:
            return hit, ""
        try:
            image = _process(path, source, im or _open(path, source), plan, layout.images)
        except (ValueError, OSError, SyntaxError, EOFError, IndexError, struct.error) as exc:
            # a file Pillow opens but cannot convert (an unusual mode, a broken colour profile …)
            raise _ImageError(f"image {{}} cannot be prepared for print ({exc})") from None
        cache.put(key, image, passthrough=image.data is source)
        return image, ""
    except _ImageError as exc:
        return None, str(exc)


def _read(path: Path, shown: str) -> bytes:
    if shown.startswith(("http:", "https:")):
        raise _ImageError("remote image {} is not supported; download it next to the Markdown file")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _ImageError("image not found: {}") from None
    except IsADirectoryError:
        raise _ImageError("image {} is a folder, not a file") from None
    except OSError as exc:
        raise _ImageError(f"cannot read image {{}}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class _Plan:
    """What an image becomes: its upright size in pixels, the largest size it is placed at
    (points), its resolution there and the scale that brings it to the target."""

    width: int
    height: int
    orientation: int
    placed_width: float
    placed_height: float
    ppi: float
    scale: float


def _plan(stored_width: int, stored_height: int, orientation: int, uses: list[_Use], layout: Layout) -> _Plan:
    width, height = stored_width, stored_height
    if orientation in (5, 6, 7, 8):  # these swap width and height
        width, height = height, width
    # The largest place the image is shown decides its resolution.
    placed_width, placed_height = max((u.size(width / height, layout) for u in uses), key=lambda s: s[0])
    ppi = width * 72.0 / placed_width
    target = layout.images.target_ppi
    scale = target / ppi if ppi > target * _PPI_TOLERANCE else 1.0
    return _Plan(width, height, orientation, placed_width, placed_height, ppi, scale)


def _cache_key(digest: str, plan: _Plan, settings: ImageSettings) -> str:
    """The content's digest and everything the result depends on (not the booklet around it,
    so that `booklet check` and `booklet build`, or two booklets, share entries)."""
    parts = {"content": digest, "version": CACHE_VERSION, "pillow": Image.__version__, "mode": settings.mode,
             "quality": settings.jpeg_quality, "target_ppi": settings.target_ppi,
             "placed": [round(plan.placed_width, 3), round(plan.placed_height, 3)]}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _process(path: Path, source: bytes, im: Image.Image, plan: _Plan, settings: ImageSettings) -> PreparedImage:
    gray = settings.mode == "gray"
    fmt = im.format
    lossless_source = fmt in _LOSSLESS_FORMATS and im.info.get("compression") != "jpeg"
    scale = plan.scale
    if fmt in ("JPEG", "MPO") and scale < 2 / 3:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 size, still at least 1.5 × the target, then Lanczos.
        stored = im.size
        im.draft("L" if gray and im.mode == "RGB" else im.mode,
                 (int(stored[0] * scale * 1.5) + 1, int(stored[1] * scale * 1.5) + 1))
    _load(im)

    needs_icc = needs_srgb_conversion(im)
    if (fmt == "JPEG" and scale == 1.0 and plan.orientation == 1 and not needs_icc
            and (im.mode == "L" or (im.mode in ("RGB", "CMYK") and not gray))
            and jpeg_embeddable(source)):
        # Already right: embed the original, no second lossy generation.
        return PreparedImage(path, source, plan.width, plan.height, plan.placed_width, plan.placed_height,
                             plan.ppi, im.mode)

    icc = im.info.get("icc_profile") if needs_icc else None
    if plan.orientation != 1:
        im = ImageOps.exif_transpose(im)
    im = normalize_mode(im)
    if scale < 1.0:
        im = resize(im, (max(1, round(plan.width * scale)), max(1, round(plan.height * scale))))
    if icc is not None and im.mode == "RGB":
        im = to_srgb(im, icc)
    if im.mode in ("RGB", "CMYK") and (gray or (im.mode == "RGB" and is_grayscale(im))):
        im = im.convert("L")

    data = encode(im, lossless_source, settings.jpeg_quality)
    return PreparedImage(path, data, im.width, im.height, plan.placed_width, plan.placed_height,
                         im.width * 72.0 / plan.placed_width, im.mode)


def _open(path: Path, source: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice the limit; we refuse both (issue 5).
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        heif_available()  # registers the HEIC/HEIF opener
        try:
            im = Image.open(io.BytesIO(source))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _ImageError(_bomb_message(exc)) from None
        except UnidentifiedImageError:
            raise _ImageError(_unidentified_message(path, source)) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _ImageError(f"image {{}} is corrupt ({exc})") from None
    if im.format not in SUPPORTED_FORMATS:
        raise _ImageError(f"image {{}} has an unsupported format, {im.format}"
                          f" (supported: {_supported_names()})")
    return im


def _load(im: Image.Image) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _ImageError(_bomb_message(exc)) from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as exc:
            raise _ImageError(f"image {{}} is corrupt or truncated ({exc})") from None


def _supported_names() -> str:
    return ", ".join([*dict.fromkeys(SUPPORTED_FORMATS.values()), "SVG"])


def _bomb_message(exc: Exception) -> str:
    numbers = [int(n) for n in re.findall(r"\d+", str(exc))]
    if len(numbers) >= 2:
        return (f"image {{}} has too many pixels ({numbers[0]:,}; Pillow's decompression-bomb limit "
                f"is {numbers[1]:,}); scale it down first")
    return f"image {{}} has too many pixels ({exc}); scale it down first"


_HINTS = {".pdf": "a PDF is not an image; export it as PNG or JPEG",
          ".avif": "AVIF is not supported; export it as JPEG or PNG"}


def _unidentified_message(path: Path, source: bytes) -> str:
    hint = _HINTS.get(path.suffix.lower())
    if hint:
        return f"image {{}} has an unsupported format: {hint}"
    if not source:
        return "image {} is an empty file"
    return f"image {{}} is not an image file, is corrupt, or has an unsupported format (supported: {_supported_names()})"
