"""Image files named by a booklet → `PreparedImage`s: upright, in print-ready colour, no sharper
than the layout's target resolution at their placed size, as the JPEG or PNG bytes to embed.

Pillow only; the typesetter embeds `PreparedImage.data` as it is (see `booklet/typeset/figures.py`).
All lengths are in points (1/72 inch); resolutions in pixels per inch at the placed size.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

from PIL import Image, ImageChops, ImageOps, UnidentifiedImageError

from .errors import Problem
from .layouts import Layout
from .model import Booklet, Figure, Location, iter_blocks

SUPPORTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP",
                     "TIFF": "TIFF", "BMP": "BMP"}
"""Pillow format names accepted → the name users know. MPO is the multi-picture JPEG of phones."""

_LOSSLESS_FORMATS = {"PNG", "GIF", "BMP", "TIFF"}
_GRAPHICS_MAX_COLOURS = 256
"""A lossless source with at most this many colours is a drawing: kept lossless (PNG), not JPEG."""

_PNG_SIZE_ALLOWANCE = 1.5
"""A drawing stays PNG if that is at most this many times the size of the JPEG."""

_PPI_TOLERANCE = 1.01
"""An image at most 1 % above the target resolution is left alone (not worth a second generation)."""

CACHE_VERSION = 2
"""Bump when the processing changes, so that old cache entries are no longer used."""

_EXIF_ORIENTATION = 0x0112


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
        return self.is_jpeg and self.mode == "CMYK" and _jpeg_has_adobe_marker(self.data)


# --- placement --------------------------------------------------------------


def figure_size(aspect: float, width_fraction: float | None, full_page: bool, layout: Layout,
                reserve: float = 0.0) -> tuple[float, float]:
    """The placed (width, height) in points of an image of `aspect` (width / height).

    A figure is as wide as the text (or `width_fraction` of it) and never taller than
    `layout.images.max_height` of the text block, nor than the text block minus `reserve`
    (the caption's height), keeping its aspect. A full-page image fits the whole page
    (minus `reserve`).
    """
    if full_page:
        box_width, box_height = layout.page_width, layout.page_height - reserve
    else:
        fraction = 1.0 if width_fraction is None else min(max(width_fraction, 0.01), 1.0)
        box_width = layout.text_width * fraction
        box_height = min(layout.images.max_height * layout.text_height, layout.text_height - reserve)
    return _fit(aspect, box_width, max(box_height, 1.0))


def cover_size(aspect: float, layout: Layout) -> tuple[float, float]:
    """The placed size in points of the cover image: the text width, at most
    `layout.images.max_height` of the text block high (the title and contents share the page)."""
    return figure_size(aspect, None, False, layout)


def _fit(aspect: float, box_width: float, box_height: float) -> tuple[float, float]:
    if box_width / box_height > aspect:
        return box_height * aspect, box_height
    return box_width, box_width / aspect


# --- the stage --------------------------------------------------------------


@dataclass(frozen=True)
class _Use:
    """One place an image is shown: a figure, or the cover (figure None)."""

    where: Location
    shown_as: str  # the path as the model holds it
    width_fraction: float | None
    full_page: bool
    reserve: float
    cover: bool

    def size(self, aspect: float, layout: Layout) -> tuple[float, float]:
        if self.cover:
            return cover_size(aspect, layout)
        return figure_size(aspect, self.width_fraction, self.full_page, layout, self.reserve)


def prepare_images(booklet: Booklet, layout: Layout, cache_dir: Path | None = None, *,
                   reserve: Callable[[Figure], float] | None = None,
                   ) -> tuple[dict[Path, PreparedImage], list[Problem]]:
    """Every figure's image and the cover image, prepared for print, keyed by their paths as the
    model holds them (`Figure.image`, `Metadata.cover_image`: already relative to the naming file).

    `cache_dir` (default `default_cache_dir()`) keeps processed images by content and settings.
    `reserve(figure)` is the height in points to keep free under a figure for its caption.
    Problems come in document order: errors (missing, unreadable, corrupt, unsupported, too many
    pixels) name the Markdown file and line; a warning names each image below
    `layout.images.warn_below_ppi`. An image with an error is absent from the result.
    """
    uses: dict[Path, list[tuple[int, _Use]]] = {}
    for index, (path, use) in enumerate(_uses(booklet, reserve)):
        uses.setdefault(path, []).append((index, use))
    cache = _Cache(default_cache_dir() if cache_dir is None else cache_dir)
    jobs = [(path, [u for _, u in indexed]) for path, indexed in uses.items()]
    workers = max(1, min(len(jobs), os.cpu_count() or 1, 4))
    if workers == 1:
        results = [_prepare_path(path, u, layout, cache) for path, u in jobs]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:  # Pillow releases the GIL while decoding
            results = list(pool.map(lambda job: _prepare_path(job[0], job[1], layout, cache), jobs))

    prepared: dict[Path, PreparedImage] = {}
    found: list[tuple[int, Problem]] = []
    for (path, indexed), (image, error) in zip(uses.items(), results):
        if image is None:
            found += [(i, Problem(error.replace("{}", u.shown_as, 1), u.where.path, u.where.line))
                      for i, u in indexed]
            continue
        prepared[path] = image
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


def _uses(booklet: Booklet, reserve: Callable[[Figure], float] | None) -> Iterator[tuple[Path, _Use]]:
    meta = booklet.metadata
    if meta.cover_image is not None:
        yield meta.cover_image, _Use(
            meta.where, str(meta.cover_image), None, False, 0.0, cover=True)
    for article in booklet.articles:
        for block in iter_blocks(article.blocks):
            if isinstance(block, Figure):
                yield block.image, _Use(
                    block.where, str(block.image), block.width, block.full_page,
                    float(reserve(block)) if reserve else 0.0, cover=False)


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/booklet (default ~/.cache/booklet)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "booklet"


# --- one image ----------------------------------------------------------------


class _ImageError(Exception):
    """A problem with one image file; the message is completed with each figure's location."""


def _prepare_path(path: Path, uses: list[_Use], layout: Layout, cache: "_Cache",
                  ) -> tuple[PreparedImage | None, str]:
    shown = uses[0].shown_as
    try:
        if shown.startswith(("http:", "https:")):
            raise _ImageError("remote image {} is not supported; download it next to the Markdown file")
        try:
            source = path.read_bytes()
        except FileNotFoundError:
            raise _ImageError("image not found: {}") from None
        except IsADirectoryError:
            raise _ImageError("image {} is a folder, not a file") from None
        except OSError as exc:
            raise _ImageError(f"cannot read image {{}}: {exc.strerror or exc}") from None
        settings = {
            "version": CACHE_VERSION,
            "pillow": Image.__version__,
            "images": asdict(layout.images),
            "page": [layout.page_width, layout.page_height, layout.text_width, layout.text_height],
            "uses": sorted({(u.width_fraction, u.full_page, round(u.reserve, 3), u.cover) for u in uses},
                           key=repr),
        }
        key = hashlib.sha256(hashlib.sha256(source).digest()
                             + json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()
        hit = cache.get(key, path, source)
        if hit is not None:
            return hit, ""
        image = _process(path, source, uses, layout)
        cache.put(key, image, passthrough=image.data is source)
        return image, ""
    except _ImageError as exc:
        return None, str(exc)


def _process(path: Path, source: bytes, uses: list[_Use], layout: Layout) -> PreparedImage:
    settings = layout.images
    gray = settings.mode == "gray"
    im = _open(path, source)
    fmt = im.format
    orientation = _orientation(im)
    width, height = im.size
    if orientation in (5, 6, 7, 8):  # these swap width and height
        width, height = height, width

    # The largest place the image is shown decides its resolution.
    placed_width, placed_height = max((u.size(width / height, layout) for u in uses), key=lambda s: s[0])
    ppi = width * 72.0 / placed_width
    scale = settings.target_ppi / ppi if ppi > settings.target_ppi * _PPI_TOLERANCE else 1.0

    if fmt == "JPEG" and scale < 2 / 3:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 size, still at least 1.5 × the target, then Lanczos.
        stored = im.size
        im.draft("L" if gray and im.mode == "RGB" else im.mode,
                 (int(stored[0] * scale * 1.5) + 1, int(stored[1] * scale * 1.5) + 1))
    _load(im)

    needs_icc = _needs_srgb_conversion(im)
    if (fmt == "JPEG" and scale == 1.0 and orientation in (0, 1) and not needs_icc
            and (im.mode == "L" or (im.mode in ("RGB", "CMYK") and not gray))):
        # Already right: embed the original, no second lossy generation.
        return PreparedImage(path, source, width, height, placed_width, placed_height, ppi, im.mode)

    icc = im.info.get("icc_profile") if needs_icc else None
    if orientation not in (0, 1):
        im = ImageOps.exif_transpose(im)
    im = _normalize_mode(im)
    if scale < 1.0:
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
        im = _resize(im, target)
    if icc is not None and im.mode == "RGB":
        im = _to_srgb(im, icc)
    if im.mode in ("RGB", "CMYK") and (gray or (im.mode == "RGB" and _is_grayscale(im))):
        im = im.convert("L")

    data = _encode(im, lossless_source=fmt in _LOSSLESS_FORMATS and im.info.get("compression") != "jpeg",
                   quality=settings.jpeg_quality)
    return PreparedImage(path, data, im.width, im.height, placed_width, placed_height,
                         im.width * 72.0 / placed_width, im.mode)


def _encode(im: Image.Image, lossless_source: bool, quality: int) -> bytes:
    """PNG for 1-bit art and for drawings from lossless files (few colours, or a PNG not much
    larger than the JPEG would be: sharp edges without JPEG's ringing); JPEG for photos."""
    if im.mode == "1" or (lossless_source and im.getcolors(_GRAPHICS_MAX_COLOURS) is not None):
        return _save(im, "PNG", compress_level=6)
    jpeg = _save(im, "JPEG", quality=quality, optimize=True)
    if lossless_source:
        png = _save(im, "PNG", compress_level=6)
        if len(png) <= _PNG_SIZE_ALLOWANCE * len(jpeg):
            return png
    return jpeg


def _save(im: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


def _open(path: Path, source: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice the limit; we refuse both (issue 5).
        warnings.simplefilter("error", Image.DecompressionBombWarning)
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
    return ", ".join(dict.fromkeys(SUPPORTED_FORMATS.values()))


def _bomb_message(exc: Exception) -> str:
    numbers = [int(n) for n in re.findall(r"\d+", str(exc))]
    if len(numbers) >= 2:
        return (f"image {{}} has too many pixels ({numbers[0]:,}; Pillow's decompression-bomb limit "
                f"is {numbers[1]:,}); scale it down first")
    return f"image {{}} has too many pixels ({exc}); scale it down first"


_HINTS = {".svg": "SVG is a vector format; export it as PNG",
          ".heic": "HEIC is not supported; export it as JPEG",
          ".heif": "HEIF is not supported; export it as JPEG",
          ".pdf": "a PDF is not an image; export it as PNG or JPEG",
          ".avif": "AVIF is not supported; export it as JPEG or PNG"}


def _unidentified_message(path: Path, source: bytes) -> str:
    hint = _HINTS.get(path.suffix.lower())
    if hint:
        return f"image {{}} has an unsupported format: {hint}"
    if not source:
        return "image {} is an empty file"
    return f"image {{}} is not an image file, is corrupt, or has an unsupported format (supported: {_supported_names()})"


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # a broken EXIF block must not stop the booklet; the pixels are fine
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _normalize_mode(im: Image.Image) -> Image.Image:
    """Any Pillow mode → "1", "L", "RGB" or "CMYK", 8 bits, transparency flattened onto white."""
    mode = im.mode
    if mode in ("1", "L", "RGB", "CMYK"):
        return im
    if mode == "P":
        has_alpha = "transparency" in im.info or im.palette.mode == "RGBA"
        im = im.convert("RGBA" if has_alpha else "RGB")
        return _flatten(im) if has_alpha else im
    if mode in ("RGBA", "RGBa", "PA"):
        return _flatten(im.convert("RGBA"))
    if mode in ("LA", "La"):
        return _flatten(im.convert("LA"))
    if mode.startswith("I;16"):
        return im.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if mode in ("I", "F"):
        low, high = im.getextrema()
        if mode == "F" and high <= 1.0:
            return im.point(lambda v: v * 255).convert("L")
        if high > 255:  # 16-bit samples stored in a wide mode
            return im.point(lambda v: v * (255 / 65535)).convert("L")
        return im.convert("L")
    if mode == "RGBX":
        return im.convert("RGB")
    return im.convert("RGB")  # YCbCr, LAB, HSV, …


def _flatten(im: Image.Image) -> Image.Image:
    """An image with alpha (RGBA or LA) on a white page."""
    base_mode = "RGB" if im.mode == "RGBA" else "L"
    page = Image.new(base_mode, im.size, "white")
    page.paste(im.convert(base_mode), mask=im.getchannel("A"))
    return page


def _resize(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    if im.mode == "1":
        # Line art: resample the grey levels, then threshold back to sharp black and white.
        return im.convert("L").resize(size, Image.Resampling.LANCZOS).convert("1", dither=Image.Dither.NONE)
    # reducing_gap: a fast box reduction first, Lanczos for the last factor of 3 (Pillow docs).
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _is_grayscale(im: Image.Image) -> bool:
    """True when an RGB image has no colour (a black-and-white photo saved as RGB)."""
    r, g, b = im.split()
    return max(ImageChops.difference(r, g).getextrema()[1], ImageChops.difference(g, b).getextrema()[1]) <= 3


def _needs_srgb_conversion(im: Image.Image) -> bool:
    """An RGB image with an ICC profile other than sRGB (Display P3, Adobe RGB …): PDF's
    DeviceRGB is read as sRGB, so its colours must be converted."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode not in ("RGB", "RGBA", "RGBX", "P"):
        return False
    try:
        from PIL import ImageCms
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc)))
    except Exception:  # no littlecms, or a broken profile: take the pixels as sRGB
        return False
    return "srgb" not in description.lower().replace(" ", "")


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    try:
        from PIL import ImageCms
        return ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                         ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:
        return im


def _jpeg_has_adobe_marker(data: bytes) -> bool:
    """True if a JPEG has an APP14 "Adobe" segment before its image data."""
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker in (0xDA, 0xD9):  # start of scan, end of image
            return False
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if marker == 0xEE and data[i + 4:i + 9] == b"Adobe":
            return True
        i += 2 + length
    return False


# --- cache ------------------------------------------------------------------


class _Cache:
    """Prepared images on disk: `<key>.json` (fields) and `<key>.bin` (the bytes, unless the
    original file is embedded). Any failure to read or write just means no cache."""

    def __init__(self, folder: Path):
        self.folder = Path(folder) / "images"

    def get(self, key: str, path: Path, source: bytes) -> PreparedImage | None:
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text())
            data = source if meta.pop("passthrough") else (self.folder / f"{key}.bin").read_bytes()
            if len(data) != meta.pop("size"):
                return None
            return PreparedImage(source=path, data=data, **meta)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, image: PreparedImage, passthrough: bool) -> None:
        meta = {"passthrough": passthrough, "size": len(image.data), "pixel_width": image.pixel_width,
                "pixel_height": image.pixel_height, "placed_width": image.placed_width,
                "placed_height": image.placed_height, "ppi": image.ppi, "mode": image.mode}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not passthrough:
                self._write(f"{key}.bin", image.data)
            self._write(f"{key}.json", json.dumps(meta).encode())  # last: it marks the entry complete
        except OSError:
            pass

    def _write(self, name: str, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.folder / name)
        except BaseException:
            os.unlink(tmp)
            raise
