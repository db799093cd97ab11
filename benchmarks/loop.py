"""The writer's loop against Typst (issue #13): cold build, CLI rebuild after a one-word edit,
`booklet watch` from save to PDF, and a 1,000-page booklet. Prints medians and ratios.

Run from the repository root after installing booklet: `python benchmarks/loop.py [--runs N]`.
Typst is only for comparison and is not a dependency of booklet: `pip install typst` (the
Python package carries the whole compiler). Without it the Typst rows are left out.

Every time is of a whole process (interpreter start and imports included, as a person waits),
in one interleaved run: booklet and Typst alternate, so that a busy machine slows both alike.
The corpus is tests/corpus.py's generated booklet: 4 articles of 2,700 words with a lead photo
each (the figures inside the articles are taken out: 4 photos in all); Typst sets the same
text (benchmarks/reference/typst_engine.py, without the photos) in the same pages and fonts.
Two floors run in the same rounds: processes that only import the libraries booklet is built
on, which no build can take less than.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import make_booklet  # noqa: E402

ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""The environment of every run, less PYTHONDONTWRITEBYTECODE (set on some machines, this one
among them): pip compiles an installed booklet's bytecode at install, and with that variable
an editable install would compile its 12,000 lines again in every run."""

TYPST = ("import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], "
         "ignore_system_fonts=True)")

FLOORS = {
    "floor: import ReportLab's PDF writer and pypdf": "import reportlab.pdfgen.canvas, reportlab.pdfbase.ttfonts, pypdf",
    "floor: import the libraries a build uses": "import reportlab.platypus, pypdf, markdown_it, yaml, pyphen, PIL.Image",
}
"""Processes that only import libraries booklet cannot do without: the least any build can
take, whatever booklet itself does (the first is what typesetting and imposing need at all)."""


def typical_booklet(folder: Path, articles: int = 4, words: int = 2700) -> Path:
    """About 11,000 words with one lead photo per article."""
    make_booklet(folder, articles=articles, words_per_article=words, photo_size=(1600, 1100))
    for article in folder.glob("*-article.md"):
        text = article.read_text(encoding="utf-8")
        article.write_text(re.sub(r"!\[Figure [^\n]*\n", "", text), encoding="utf-8")
    for middle in (folder / "images").glob("middle*"):
        middle.unlink()
    return folder


@dataclass(frozen=True)
class Run:
    """One process: wall seconds, CPU seconds (user + system: on a machine shared with other
    work they vary less than the wall time, so both are printed), peak resident MiB."""

    wall: float
    cpu: float
    peak: float


def run(command: list[str], env: dict | None = None) -> Run:
    """Run `command` to its end; its own usage (os.wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"failed ({child.returncode}): {' '.join(command)}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def booklet_build(source: Path, out: Path, cache: Path, cold: bool) -> Run:
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    env = {**ENVIRONMENT, "XDG_CACHE_HOME": str(cache)}
    return run([sys.executable, "-m", "booklet", "build", "-q", str(source), "-o", str(out)], env)


class OneWordEdits:
    """Edits that change one word of the first article, back and forth (each a real change)."""

    def __init__(self, source: Path):
        self.article = next(iter(sorted(source.glob("*-article.md"))))
        self.text = self.article.read_text(encoding="utf-8")
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        word = ("paper", "ink")[self.count % 2]
        self.article.write_text(self.text.replace(" the ", f" {word} ", 1), encoding="utf-8")


def typst_source(source: Path, work: Path) -> Path:
    from booklet.layouts import load_layout
    from reference.corpus import read_corpus
    from reference.typst_engine import typst_document

    document = work / "doc.typ"
    document.write_text(typst_document(read_corpus(source), load_layout("pocket"), {}), encoding="utf-8")
    return document


def watch_latencies(source: Path, out: Path, cache: Path, edits: OneWordEdits, runs: int
                    ) -> tuple[list[float], list[float], list[float]]:
    """Seconds from the save seen to the new reading PDF, and to both PDFs, as `booklet watch`
    reports them; and to both PDFs after the worst edit, the booklet's language changed back
    and forth (every paragraph hyphenated and broken again, every page drawn)."""
    env = {**ENVIRONMENT, "XDG_CACHE_HOME": str(cache), "PYTHONUNBUFFERED": "1"}
    watcher = subprocess.Popen([sys.executable, "-m", "booklet", "watch", str(source), "-o", str(out)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    reading, both, worst = [], [], []
    meta = source / "booklet.yaml"
    english = meta.read_text(encoding="utf-8")
    try:
        next_status(watcher)  # the first build
        for run in range(runs):
            time.sleep(0.3)  # a person's next save comes later, not in the same burst
            edits()
            times = re.search(r" pages in ([\d.]+) s \(reading PDF in ([\d.]+) s\)", next_status(watcher))
            both.append(float(times.group(1)))
            reading.append(float(times.group(2)))
        for run in range(max(2, runs // 2)):
            time.sleep(0.3)
            meta.write_text(english.replace("language: en", "language: en-GB") if run % 2 == 0 else english,
                            encoding="utf-8")
            worst.append(float(re.search(r" pages in ([\d.]+) s", next_status(watcher)).group(1)))
    finally:
        watcher.send_signal(2)
        watcher.wait(timeout=30)
        meta.write_text(english, encoding="utf-8")
    return reading, both, worst


def next_status(watcher: subprocess.Popen) -> str:
    for status in watcher.stdout:
        if " pages in " in status:
            return status
    raise SystemExit("booklet watch ended")


def median(values: list[float]) -> float:
    return statistics.median(values)


def line(name: str, runs: list[Run] | list[float], reference: list[Run] | None = None, note: str = "") -> None:
    """Median and best wall time (and CPU time) of `runs` (Runs, or bare seconds), and the ratio
    to Typst's."""
    walls = [r.wall if isinstance(r, Run) else r for r in runs]
    text = f"{name:50} median {median(walls):6.3f} s  (best {min(walls):.3f})"
    if all(isinstance(r, Run) for r in runs):
        text += f"  CPU {median([r.cpu for r in runs]):.3f} s"
    if reference:
        text += f"  = {median(walls) / median([r.wall for r in reference]):5.2f} × Typst"
        text += f" ({median([r.cpu for r in runs]) / median([r.cpu for r in reference]):.2f} × in CPU time)"
    print(text + (f"  {note}" if note else ""), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true", help="leave out the 1,000-page booklet")
    args = parser.parse_args()
    have_typst = importlib.util.find_spec("typst") is not None
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = typical_booklet(work / "typical")
        out, cache = work / "out", work / "cache"
        out.mkdir()
        words = sum(len(p.read_text().split()) for p in source.glob("*.md"))
        booklet_build(source, out, cache, cold=True)
        from pypdf import PdfReader

        pages = len(PdfReader(out / "typical-read.pdf").pages)
        print(f"corpus: {words} words, {pages} A6 pages, 4 photos", flush=True)
        typst_runs: list[Run] = []
        if have_typst:
            document = typst_source(source, work)
            typst_command = [sys.executable, "-c", TYPST, str(document), str(work / "typst.pdf"), str(ROOT / "fonts")]
            run(typst_command)  # warm the disk cache
            typst_pages = len(PdfReader(work / "typst.pdf").pages)
            print(f"Typst sets the same text in {typst_pages} pages (without the photos)", flush=True)
        cold, warm = [], []
        floors: dict[str, list[Run]] = {name: [] for name in FLOORS}
        edits = OneWordEdits(source)
        for _ in range(args.runs):  # interleaved: Typst, the floors, cold booklet, one-word edit + warm booklet
            if have_typst:
                typst_runs.append(run(typst_command))
            for name, imports in FLOORS.items():
                floors[name].append(run([sys.executable, "-c", imports], ENVIRONMENT))
            cold.append(booklet_build(source, out, cache, cold=True))
            edits()
            warm.append(booklet_build(source, out, cache, cold=False))
        reference = typst_runs or None
        if typst_runs:
            line("typst compile (whole process)", typst_runs)
        for name, runs in floors.items():
            line(name, runs, reference)
        line("booklet build, cold (empty cache, both PDFs)", cold, reference, "target ≤ 1.0 × Typst")
        line("booklet build after a one-word edit, warm cache", warm, reference, "target ≤ 0.5 × Typst")
        reading, both, worst = watch_latencies(source, out, cache, edits, args.runs)
        line("booklet watch: one-word edit, save seen → reading PDF", reading, None, "target ≤ 0.15 s")
        line("booklet watch: one-word edit, save seen → both PDFs", both)
        line("booklet watch: language changed, save seen → both PDFs", worst, None, "target ≤ 3 s (worst case)")
        if not args.skip_large:
            large(work, args.runs, source)


def large(work: Path, runs: int, small: Path) -> None:
    """A 1,000-page booklet against the typical one (64 pages): time, peak memory, incremental
    rebuild."""
    big = typical_booklet(work / "big", articles=16, words=12000)
    out, cache = work / "out-large", work / "cache-large"
    out.mkdir()
    from pypdf import PdfReader

    results = {}
    for name, source in ((small.name, small), (big.name, big)):
        cold = [booklet_build(source, out, cache, cold=True) for _ in range(max(2, runs // 2))]
        edits = OneWordEdits(source)
        warm = []
        for _ in range(max(2, runs // 2)):
            edits()
            warm.append(booklet_build(source, out, cache, cold=False))
        pages = len(PdfReader(out / f"{name}-read.pdf").pages)
        results[name] = (pages, cold, warm)
    (small_pages, small_cold, _), (big_pages, big_cold, big_warm) = results[small.name], results[big.name]
    ratio = median([r.wall for r in big_cold]) / median([r.wall for r in small_cold])
    line(f"booklet build, cold, {small_pages} pages", small_cold)
    line(f"booklet build, cold, {big_pages} pages", big_cold, None,
         f"= {ratio:.1f} × the {small_pages}-page time (target ≤ 16 ×); "
         f"peak {max(r.peak for r in big_cold):.0f} MiB (target ≤ 300)")
    incremental = median([r.wall for r in big_warm]) / median([r.wall for r in big_cold])
    line(f"booklet build after a one-word edit, {big_pages} pages", big_warm, None,
         f"= {incremental:.2f} × its cold build (target ≤ 0.1 ×)")
    reading, both, _ = watch_latencies(big, out, cache, OneWordEdits(big), max(2, runs // 2))
    line(f"booklet watch: one-word edit, {big_pages} pages, save seen → reading PDF", reading, None,
         f"= {median(reading) / median([r.wall for r in big_cold]):.2f} × its cold build")
    line(f"booklet watch: one-word edit, {big_pages} pages, save seen → both PDFs", both)


if __name__ == "__main__":
    main()
