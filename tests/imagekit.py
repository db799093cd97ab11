"""Test images of every kind, written with Pillow (or by hand where Pillow cannot), and small
booklets that show them: shared by tests/test_images*.py."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

from booklet.model import Article, Booklet, Figure, Location, Metadata, Paragraph, Span

QUADRANTS = {"top_left": (220, 30, 30), "top_right": (30, 180, 30),
             "bottom_left": (30, 30, 220), "bottom_right": (250, 250, 250)}


def quadrants(width: int = 300, height: int = 200) -> Image.Image:
    """An upright RGB test card: red, green / blue, white quadrants, so orientation is visible."""
    im = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(im)
    w2, h2 = width // 2, height // 2
    draw.rectangle((0, 0, w2 - 1, h2 - 1), fill=QUADRANTS["top_left"])
    draw.rectangle((w2, 0, width - 1, h2 - 1), fill=QUADRANTS["top_right"])
    draw.rectangle((0, h2, w2 - 1, height - 1), fill=QUADRANTS["bottom_left"])
    draw.rectangle((w2, h2, width - 1, height - 1), fill=QUADRANTS["bottom_right"])
    return im


def quadrant_colours(im: Image.Image) -> dict[str, tuple[int, ...]]:
    """The colour at the centre of each quadrant of an image."""
    im = im.convert("RGB")
    w, h = im.size
    return {"top_left": im.getpixel((w // 4, h // 4)), "top_right": im.getpixel((3 * w // 4, h // 4)),
            "bottom_left": im.getpixel((w // 4, 3 * h // 4)),
            "bottom_right": im.getpixel((3 * w // 4, 3 * h // 4))}


def close(a, b, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


# EXIF 2.32, tag 0x0112: how the stored rows must be transformed to show the image upright.
# Here the inverse: how an upright picture is stored for each orientation value.
STORED_FOR_ORIENTATION = {
    1: [],
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_90],    # shown by turning 90° clockwise; stored turned anticlockwise
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_270],
}


def exif_jpeg(path: Path, orientation: int, upright: Image.Image | None = None) -> Path:
    im = upright or quadrants()
    for step in STORED_FOR_ORIENTATION[orientation]:
        im = im.transpose(step)
    exif = Image.Exif()
    exif[0x0112] = orientation
    im.save(path, "JPEG", quality=95, exif=exif.tobytes())
    return path


def photo(width: int, height: int, mode: str = "RGB", seed: int = 1) -> Image.Image:
    """A photo-like picture (smooth gradients plus grain: thousands of colours)."""
    base = Image.linear_gradient("L").resize((width, height))
    other = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((max(1, width // 4), max(1, height // 4)), 40 + seed).resize((width, height))
    im = Image.merge("RGB", (base, other, noise))
    return im if mode == "RGB" else im.convert(mode)


def png_rgb16(path: Path, width: int, height: int) -> Path:
    """A 16-bit-per-channel RGB PNG, written by hand (Pillow cannot write one)."""
    rows = b""
    for y in range(height):
        row = b"\x00"
        for x in range(width):
            row += struct.pack(">HHH", x * 65535 // max(width - 1, 1), y * 65535 // max(height - 1, 1), 32768)
        rows += row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims a size (for the decompression-bomb guard) with almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b""))
    return path


def line_art(width: int, height: int) -> Image.Image:
    """1-bit line art: circles and lines."""
    im = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(im)
    for i in range(0, min(width, height) // 2, max(4, width // 60)):
        draw.ellipse((i, i, width - 1 - i, height - 1 - i), outline=0, width=max(1, width // 400))
    draw.line((0, 0, width - 1, height - 1), fill=0, width=max(1, width // 200))
    return im


def decoded(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def figure(md: Path, image: str, line: int = 3, width: float | None = None, full_page: bool = False,
           caption: str = "A caption") -> Figure:
    return Figure(image=md.parent / image, caption=(Span(caption),), where=Location(md, line), width=width,
                  full_page=full_page)


def booklet_with(md: Path, figures: list[Figure], cover: str | None = None, paragraphs: int = 0) -> Booklet:
    blocks = []
    for i, f in enumerate(figures):
        blocks.append(f)
        blocks += [Paragraph((Span(f"Text after figure {i + 1}. " * 12),), Location(md, 100 + i))
                   for _ in range(paragraphs)]
    meta = Metadata(title="Test", where=Location(md.parent / "booklet.yaml", 1),
                    cover_image=md.parent / cover if cover else None)
    return Booklet(name="test", metadata=meta,
                   articles=(Article(title="Pictures", blocks=tuple(blocks), where=Location(md, 1)),))


def make_photo_booklet(folder: Path) -> Path:
    """The end-to-end issue's booklet: ~11,000 words, ~60 A6 pages, four phone-sized photos
    (one of them 3600 × 3600) and four small drawings."""
    from corpus import make_booklet

    make_booklet(folder, articles=4, words_per_article=2700, photo_size=(1600, 1100))
    for number in range(1, 5):
        size = (3600, 3600) if number == 1 else (4000, 3000)
        photo(*size, seed=number).save(folder / "images" / f"lead{number}.jpg", quality=92)
    return folder


# --- ICC profiles, written by hand (ICC.1:2001-04, version 2 matrix/TRC display profile) ---

SRGB_PRIMARIES_D50 = ((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141))


def rgb_profile(name: str, red, green, blue, gamma: float = 2.2) -> bytes:
    """An RGB display profile with the given D50 primaries (XYZ) and one gamma for all channels."""
    def s15(x):
        return struct.pack(">i", round(x * 65536))

    def xyz(x, y, z):
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    def curve(g):
        return b"curv" + bytes(4) + struct.pack(">IH", 1, round(g * 256)) + bytes(2)

    def description(text):
        ascii_ = text.encode() + b"\0"
        return b"desc" + bytes(4) + struct.pack(">I", len(ascii_)) + ascii_ + bytes(8) + bytes(3) + bytes(67)

    tags = [(b"desc", description(name)), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(*red)),
            (b"gXYZ", xyz(*green)), (b"bXYZ", xyz(*blue)), (b"rTRC", curve(gamma)), (b"gTRC", curve(gamma)),
            (b"bTRC", curve(gamma)), (b"cprt", b"text" + bytes(4) + b"none\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        data += bytes(-(offset + len(data)) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (struct.pack(">I", offset + len(data)) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB "
              + b"XYZ " + bytes(12) + b"acsp" + b"APPL" + bytes(12) + bytes(8) + bytes(4)
              + s15(0.9642) + s15(1.0) + s15(0.8249) + bytes(4) + bytes(16) + bytes(28))
    return header + struct.pack(">I", len(tags)) + table + data


def swapped_profile() -> bytes:
    """A profile whose red is sRGB's blue and whose blue is sRGB's red: converting is visible."""
    red, green, blue = SRGB_PRIMARIES_D50
    return rgb_profile("Red and blue swapped", blue, green, red)
