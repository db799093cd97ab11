"""Time the image stage on the end-to-end issue's booklet (~60 pages, four phone photos, one of
them 3600 × 3600, and four drawings) and print the PDF sizes it leads to.

Run from the repository root after installing: `python benchmarks/images.py`.
Cold: an empty image cache; warm: the cache filled by an earlier run (what a rebuild costs).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from imagekit import make_photo_booklet  # noqa: E402

from booklet.images import prepare_images  # noqa: E402
from booklet.layouts import load_layout  # noqa: E402
from booklet.parse import parse_booklet  # noqa: E402
from booklet.sources import read_sources  # noqa: E402
from booklet.typeset.document import typeset  # noqa: E402
from booklet.typeset.figures import caption_reserve  # noqa: E402

RUNS = 5


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def line(name: str, times: list[float]) -> str:
    return f"{name:34} best {min(times) * 1000:7.1f} ms  median {statistics.median(times) * 1000:7.1f} ms"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = make_photo_booklet(work / "bench")
        booklet = parse_booklet(read_sources(source))
        layout = load_layout("pocket")
        reserve = caption_reserve(booklet, layout)
        photos = sorted((source / "images").iterdir())
        print(f"{len(photos)} images, {sum(p.stat().st_size for p in photos) / 1e6:.1f} MB as files:",
              ", ".join(p.name for p in photos))

        cold = [seconds(lambda i=i: prepare_images(booklet, layout, work / f"cold{i}", reserve=reserve))
                for i in range(RUNS)]
        print(line("prepare_images, cold cache", cold))
        prepare_images(booklet, layout, work / "warm", reserve=reserve)
        warm = [seconds(lambda: prepare_images(booklet, layout, work / "warm", reserve=reserve))
                for _ in range(RUNS)]
        print(line("prepare_images, warm cache", warm))

        images, _ = prepare_images(booklet, layout, work / "warm", reserve=reserve)
        for path, image in sorted(images.items()):
            print(f"  {path.name:12} {image.pixel_width:5} × {image.pixel_height:<5} {image.mode:5}"
                  f" {'JPEG' if image.is_jpeg else 'PNG ':4} {len(image.data) / 1e3:7.1f} kB  {image.ppi:5.0f} ppi")
        result = typeset(booklet, layout, images)
        typeset_times = [seconds(lambda: typeset(booklet, layout, images)) for _ in range(RUNS)]
        print(line("typeset (reading PDF)", typeset_times))
        print(f"reading PDF: {result.page_count} pages, {len(result.pdf) / 1e6:.2f} MB"
              f" (images {sum(len(i.data) for i in images.values()) / 1e6:.2f} MB)")
        try:
            from booklet.build import build
        except ImportError:
            print("print PDF: booklet.build unavailable (no imposition yet)")
            return
        out = work / "out"
        out.mkdir()
        built = build(source, out)
        print(f"print PDF: {built.print_path.stat().st_size / 1e6:.2f} MB;"
              f" reading PDF via build: {built.read_path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
