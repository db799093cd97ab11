"""Image files named by figures → `PreparedImage`s: bytes to embed and their placed size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .errors import BookletError, Problem
from .layouts import Layout
from .model import Booklet, Figure, iter_blocks


@dataclass(frozen=True)
class PreparedImage:
    source: Path
    data: bytes
    pixel_width: int
    pixel_height: int
    placed_width: float
    placed_height: float
    ppi: float
    mode: str


def figure_size(aspect: float, width_fraction: float | None, full_page: bool, layout: Layout,
                reserve: float = 0.0) -> tuple[float, float]:
    """Placed (width, height) in points for an image of `aspect` = width / height."""
    if full_page:
        max_w, max_h = layout.text_width, layout.text_height
    else:
        max_w = layout.text_width * (width_fraction or 1.0)
        max_h = layout.text_height * layout.images.max_height - reserve
    width = max_w
    height = width / aspect
    if height > max_h:
        height = max_h
        width = height * aspect
    return width, height


def prepare_images(booklet: Booklet, layout: Layout, cache_dir: Path | None = None
                   ) -> tuple[dict[Path, PreparedImage], list[Problem]]:
    prepared: dict[Path, PreparedImage] = {}
    for article in booklet.articles:
        for block in iter_blocks(article.blocks):
            if isinstance(block, Figure) and block.image not in prepared:
                prepared[block.image] = _prepare(block, layout)
    return prepared, []


def _prepare(figure: Figure, layout: Layout) -> PreparedImage:
    try:
        data = figure.image.read_bytes()
        with Image.open(figure.image) as image:
            width, height = image.size
            mode = image.mode
    except (OSError, UnidentifiedImageError) as exc:
        raise BookletError(f"cannot read image {figure.image}: {exc}", figure.where.path, figure.where.line) from None
    w, h = figure_size(width / height, figure.width, figure.full_page, layout)
    return PreparedImage(figure.image, data, width, height, w, h, width / (w / 72), mode)
