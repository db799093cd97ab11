"""Time `impose_pdf` on 64-, 256- and 1000-page text PDFs with an embedded font on every page.

Run from the repository root after installing: `python benchmarks/impose.py`.
Prints, per size and scheme: milliseconds per page (best of several in-process runs, so the
cost of imposing and not of starting Python), output size ÷ input size, and the wall time
of the whole `booklet impose` command for the 256-page file. Targets (issue 3): ≤ 1.5 ms per
page and output ≤ 1.02 × input.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from booklet.fonts import face_name
from booklet.impose import ImposeOptions, impose_pdf

RUNS = 5
WORDS = ("the quick brown fox jumps over a lazy dog while small presses print long tables of "
         "zines and pamphlets ї є ґ").split()


def make_text_pdf(path: Path, pages: int) -> Path:
    """A6 pages of justified-looking body text (≈ 250 words each) in an embedded TrueType font."""
    body = face_name("Gentium Book Plus")
    c = canvas.Canvas(str(path), pagesize=(105 * mm, 148 * mm), invariant=1)
    for number in range(pages):
        c.setFont(body, 9.6)
        for line in range(30):
            words = [WORDS[(number * 7 + line * 3 + i) % len(WORDS)] for i in range(9)]
            c.drawString(11 * mm, (148 - 14) * mm - line * 12.4, " ".join(words))
        c.drawCentredString(52.5 * mm, 6.5 * mm, f"← {number + 1} →")
        c.showPage()
    c.save()
    return path


def best_ms_per_page(source: Path, output: Path, pages: int, options: ImposeOptions) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        impose_pdf(source, output, options)
        times.append(time.perf_counter() - start)
    return min(times) / pages * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        print(f"{'pages':>6} {'scheme':11} {'ms/page':>8} {'out/in':>7} {'input':>9}")
        for pages in (64, 256, 1000):
            source = make_text_pdf(work / f"text-{pages}.pdf", pages)
            for scheme in ("cut-stack", "quarto", "saddle-2up", "mini-zine"):
                output = work / f"text-{pages}-{scheme}.pdf"
                options = ImposeOptions(scheme=scheme, group=4 if pages > 64 and scheme == "cut-stack" else None)
                ms = best_ms_per_page(source, output, pages, options)
                ratio = output.stat().st_size / source.stat().st_size
                print(f"{pages:>6} {scheme:11} {ms:8.3f} {ratio:7.3f} {source.stat().st_size / 1024:7.0f} KiB")
        big = work / "text-256.pdf"
        command = [sys.executable, "-m", "booklet", "impose", str(big), "-o", str(work / "cli.pdf")]
        walls = []
        for _ in range(RUNS):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"booklet impose, 256 pages, whole command: best {min(walls):.3f} s "
              f"({min(walls) / 256 * 1000:.2f} ms per page with interpreter start), peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
