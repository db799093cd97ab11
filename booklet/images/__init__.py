"""Image files named by a booklet → `PreparedImage`s: upright, in print-ready colour, no sharper
than the layout's target resolution at their placed size, as the JPEG or PNG bytes to embed;
SVG drawings → `PreparedDrawing`s, kept as vectors.

Pillow only; the typesetter embeds `PreparedImage.data` as it is (`booklet/typeset/figures.py`).
All lengths are in points (1/72 inch); resolutions in pixels per inch at the placed size.

- `prepare.py`: the stage, `prepare_images`, and the problems it reports
- `prepared.py`: `PreparedImage`, and the placed size of a figure or the cover
- `pixels.py`: orientation, colour modes, resampling, encoding, JPEG facts
- `cache.py`: prepared images on disk, by content and settings
"""

from .cache import default_cache_dir
from .prepare import SUPPORTED_FORMATS, prepare_images
from .prepared import (Prepared, PreparedDrawing, PreparedImage, cover_area, cover_size, figure_size,
                       full_page_covers)

__all__ = ["Prepared", "PreparedDrawing", "PreparedImage", "SUPPORTED_FORMATS", "cover_area", "cover_size",
           "default_cache_dir", "figure_size", "full_page_covers", "prepare_images"]
