"""Pixels → print-ready pixels and bytes: orientation, colour modes, resampling, encoding,
and the few facts about JPEG files that decide whether one can be embedded as it is."""

from __future__ import annotations

import io

from PIL import Image, ImageChops

_EXIF_ORIENTATION = 0x0112

GRAPHICS_MAX_COLOURS = 256
"""A lossless source with at most this many colours is a drawing: kept lossless (PNG), not JPEG."""

PNG_SIZE_ALLOWANCE = 1.5
"""A drawing stays PNG if that is at most this many times the size of the JPEG."""


def encode(im: Image.Image, lossless_source: bool, quality: int) -> bytes:
    """PNG for 1-bit art and for drawings from lossless files (few colours, or a PNG not much
    larger than the JPEG would be: sharp edges without JPEG's ringing); JPEG for photos and for
    everything CMYK (PNG has no CMYK)."""
    lossless_source = lossless_source and im.mode != "CMYK"
    if im.mode == "1" or (lossless_source and im.getcolors(GRAPHICS_MAX_COLOURS) is not None):
        return _save(im, "PNG", compress_level=6)
    jpeg = _save(im, "JPEG", quality=quality, optimize=True)
    if lossless_source:
        png = _save(im, "PNG", compress_level=6)
        if len(png) <= PNG_SIZE_ALLOWANCE * len(jpeg):
            return png
    return jpeg


def _save(im: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


def exif_orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # a broken EXIF block must not stop the booklet; the pixels are fine
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def normalize_mode(im: Image.Image) -> Image.Image:
    """Any Pillow mode → "1", "L", "RGB" or "CMYK", 8 bits, transparency flattened onto white."""
    mode = im.mode
    if mode in ("1", "L", "RGB", "CMYK"):
        return im
    if mode == "P":
        has_alpha = "transparency" in im.info or im.palette.mode == "RGBA"
        im = im.convert("RGBA" if has_alpha else "RGB")
        return flatten(im) if has_alpha else im
    if mode in ("RGBA", "RGBa", "PA"):
        return flatten(im.convert("RGBA"))
    if mode in ("LA", "La"):
        return flatten(im.convert("LA"))
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


def flatten(im: Image.Image) -> Image.Image:
    """An image with alpha (RGBA or LA) on a white page."""
    base_mode = "RGB" if im.mode == "RGBA" else "L"
    page = Image.new(base_mode, im.size, "white")
    page.paste(im.convert(base_mode), mask=im.getchannel("A"))
    return page


def resize(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    if im.mode == "1":
        # Line art: resample the grey levels, then threshold back to sharp black and white.
        return im.convert("L").resize(size, Image.Resampling.LANCZOS).convert("1", dither=Image.Dither.NONE)
    # reducing_gap: a fast box reduction first, Lanczos for the last factor of 3 (Pillow docs).
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def is_grayscale(im: Image.Image) -> bool:
    """True when an RGB image has no colour (a black-and-white photo saved as RGB)."""
    r, g, b = im.split()
    return max(ImageChops.difference(r, g).getextrema()[1], ImageChops.difference(g, b).getextrema()[1]) <= 3


def needs_srgb_conversion(im: Image.Image) -> bool:
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


def to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    try:
        from PIL import ImageCms
        return ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                         ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:
        return im


_DCT_FRAMES = {0xC0: "baseline", 0xC1: "extended", 0xC2: "progressive"}
"""JPEG frames a PDF reader's DCTDecode must handle (PDF 1.7 § 7.4.8); arithmetic-coded,
lossless and hierarchical JPEGs are re-encoded instead of embedded."""


def jpeg_embeddable(data: bytes) -> bool:
    """True if a JPEG's frame is Huffman-coded baseline, extended or progressive with 8-bit samples."""
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start-of-frame marker
            return marker in _DCT_FRAMES and i + 4 < len(data) and data[i + 4] == 8
        if marker in (0xDA, 0xD9):
            return False
        i += 2 + length
    return False


def jpeg_has_adobe_marker(data: bytes) -> bool:
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
