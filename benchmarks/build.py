"""Time `booklet build` on a ~60-page booklet and `booklet impose` on a 256-page PDF.

Run from the repository root after installing: `python benchmarks/build.py`.
Prints wall times (best and median of several runs, interpreter start included, so what a
person waits for) and peak memory of the child process.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus import make_booklet, make_image  # noqa: E402

RUNS = 5


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def report(name: str, command: list[str], per: int | None = None) -> None:
    timed(command)  # warm the file cache and the image cache
    runs = [timed(command) for _ in range(RUNS)]
    times = [t for t, _ in runs]
    peak = max(m for _, m in runs)
    line = f"{name:28} best {min(times):.3f} s  median {statistics.median(times):.3f} s  peak {peak:.0f} MiB"
    if per:
        line += f"  ({min(times) / per * 1000:.2f} ms per page)"
    print(line)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = make_booklet(work / "bench", articles=4, words_per_article=2700, photo_size=(1600, 1100))
        make_image(source / "images" / "lead1.jpg", (3600, 3600), seed=99)  # one huge photo
        words = sum(len(p.read_text().split()) for p in source.glob("*.md"))
        out = work / "out"
        out.mkdir()
        booklet = [sys.executable, "-m", "booklet", "build", str(source), "-o", str(out)]
        report(f"build ({words} words)", booklet)
        read_pdf = out / "bench-read.pdf"
        from pypdf import PdfReader, PdfWriter

        pages = len(PdfReader(read_pdf).pages)
        print(f"  {pages} pages; reading PDF {read_pdf.stat().st_size / 1e6:.2f} MB, "
              f"print PDF {(out / 'bench-print.pdf').stat().st_size / 1e6:.2f} MB")
        writer = PdfWriter()
        reader = PdfReader(read_pdf)
        for index in range(256):
            writer.add_page(reader.pages[index % pages])
        big = work / "big.pdf"
        with big.open("wb") as handle:
            writer.write(handle)
        impose = [sys.executable, "-m", "booklet", "impose", str(big), "-o", str(work / "big-print.pdf")]
        report("impose (256 pages)", impose, per=256)


if __name__ == "__main__":
    main()
