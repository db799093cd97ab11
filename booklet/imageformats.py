"""Image files → what kind of image they are: a raster Pillow reads (HEIC/HEIF through the
pillow-heif plugin), or an SVG drawing, kept as vectors, with its size in points.

Both the preflight and the image stage ask here, so a format is known in one place. Neither
plugin is imported by name elsewhere: when one is missing, the message names the format and the
package to install.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SVG_SUFFIXES = (".svg",)
HEIF_SUFFIXES = (".heic", ".heif", ".hif")

_UNITS = {"": 1.0, "px": 0.75, "pt": 1.0, "pc": 12.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
"""Points per SVG length unit (a CSS pixel is 1/96 inch)."""


@cache
def heif_available() -> bool:
    """Register pillow-heif's opener with Pillow once; False when the plugin is not installed."""
    if importlib.util.find_spec("pillow_heif") is None:
        return False
    import pillow_heif

    pillow_heif.register_heif_opener()
    return True


def svg_available() -> bool:
    return importlib.util.find_spec("svglib") is not None


def missing_plugin(path: Path) -> str | None:
    """Why this installation cannot read the image at `path` although booklet can, or None."""
    suffix = path.suffix.lower()
    if suffix in HEIF_SUFFIXES and not heif_available():
        return "HEIC/HEIF photos need the pillow-heif package, which is not installed: pip install pillow-heif"
    if suffix in SVG_SUFFIXES and not svg_available():
        return "SVG drawings need the svglib package, which is not installed: pip install svglib"
    return None


def is_svg(path: Path, head: bytes) -> bool:
    """An SVG file: by its name, or by an `<svg` element near the start of its text."""
    return path.suffix.lower() in SVG_SUFFIXES or (b"<svg" in head[:2048] and head.lstrip()[:1] == b"<")


@dataclass(frozen=True)
class SvgSize:
    """The drawing's size in points (its width and height, or its viewBox in CSS pixels), and
    the pictures it links from other files or the web (`<image href="…">` not of `data:`),
    which are not drawn: the SVG is drawn from its bytes, and a linked file may be any file."""

    width: float
    height: float
    linked: tuple[str, ...] = ()


def svg_size(source: bytes) -> SvgSize:
    """The size of an SVG drawing; ValueError when it is not SVG or has no usable size."""
    try:
        root = ElementTree.fromstring(source)
    except ElementTree.ParseError as exc:
        raise ValueError(f"not valid SVG ({exc})") from None
    if not root.tag.endswith("svg"):
        raise ValueError("not an SVG drawing (its root element is not <svg>)")
    box = [float(x) for x in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if x] if root.get("viewBox") else []
    width, height = _length(root.get("width")), _length(root.get("height"))
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        aspect = box[2] / box[3]
        if width is None and height is None:
            width, height = box[2] * 0.75, box[3] * 0.75
        elif width is None:
            width = height * aspect
        elif height is None:
            height = width / aspect
    if not width or not height or width <= 0 or height <= 0:
        raise ValueError("the SVG has no width, height or viewBox to take its size from")
    links = (element.get(key) for element in root.iter() if element.tag.rpartition("}")[2] == "image"
             for key in ("href", "{http://www.w3.org/1999/xlink}href"))
    return SvgSize(width, height, tuple(dict.fromkeys(link for link in links if link and not link.startswith("data:"))))


def _length(value: str | None) -> float | None:
    """An SVG length in points; None for a missing or relative (%) one."""
    match = re.fullmatch(r"\s*([0-9.]+(?:e[-+]?\d+)?)\s*([a-z]*)\s*", value or "")
    if not match or match.group(2) not in _UNITS:
        return None
    return float(match.group(1)) * _UNITS[match.group(2)]
