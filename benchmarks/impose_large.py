"""The print PDF's imposition on a 1,000-page booklet (issue #13): how long `impose_pdf` takes on
the reading PDF that `booklet build` has just made (everything parsed), and in `booklet watch`
after a one-word edit (writer.KeptImposition: only the objects the edit changed are parsed).

Run from the repository root after installing booklet: `python benchmarks/impose_large.py [--runs N]`.
The booklet is benchmarks/loop.py's large one (16 articles of 12,000 words, 992 A6 pages); the
two reading PDFs, before and after the edit, are made once, then the two kinds of imposition
alternate in one process (so that a busy machine slows both alike), whose garbage collector
runs as seldom as the `booklet` program's (booklet/__main__.py). Printed: the median wall
and CPU seconds (the CPU time of this process, less disturbed by other work on a shared
machine), and the CPU seconds of each stage in the median run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from loop import OneWordEdits, typical_booklet  # noqa: E402

from booklet import impose as impose_module  # noqa: E402
from booklet.__main__ import FEWER_COLLECTIONS  # noqa: E402
from booklet.build import build  # noqa: E402
from booklet.impose import ImposeOptions, impose_pdf  # noqa: E402
from booklet.impose import writer  # noqa: E402
from booklet.impose.writer import KeptImposition  # noqa: E402
from booklet.typeset.linecache import LineCache  # noqa: E402

STAGES = {"reading the PDF": (writer.SourcePDF, "_open"), "planning the sheets": (impose_module, "_draw_sheets"),
          "page forms": (writer, "_form_xobject"), "sheets": (writer, "_add_sheet"),
          "writing the file": (writer, "write_output")}
"""The stages timed (module or class, function name), in the order they run."""


def timed_stages(seconds: dict[str, float]) -> None:
    """Wrap each function of STAGES to add its CPU time to `seconds`."""
    for stage, (owner, name) in STAGES.items():
        function = getattr(owner, name)

        def wrapped(*args, _function: Callable = function, _stage: str = stage, **kwargs):
            start = time.process_time()
            try:
                return _function(*args, **kwargs)
            finally:
                seconds[_stage] += time.process_time() - start

        setattr(owner, name, wrapped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    gc.set_threshold(*FEWER_COLLECTIONS)  # as the `booklet` process has them
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = typical_booklet(work / "big", articles=16, words=12000)
        lines, out = LineCache(), work / "out"
        before = build(source, out, lines=lines).read_path.read_bytes()
        OneWordEdits(source)()
        result = build(source, out, lines=lines)
        after = result.read_path.read_bytes()
        read_path, print_path = result.read_path, work / "print.pdf"
        seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        timed_stages(seconds)
        rows: dict[str, list[tuple[float, float, dict[str, float]]]] = {
            "as `booklet build` does (nothing kept)": [], "as `booklet watch` does after a one-word edit": []}
        for _ in range(args.runs):
            for row, kept in zip(rows, (None, KeptImposition())):
                if kept is not None:  # the build before the edit
                    impose_pdf(read_path, print_path, ImposeOptions(), data=before, kept=kept)
                for stage in seconds:
                    seconds[stage] = 0.0
                wall, cpu = time.perf_counter(), time.process_time()
                impose_pdf(read_path, print_path, ImposeOptions(), data=after, kept=kept)
                rows[row].append((time.perf_counter() - wall, time.process_time() - cpu, dict(seconds)))
        print(f"imposing the {result.pages}-page reading PDF ({len(after) / 2 ** 20:.1f} MiB), "
              f"median of {args.runs}:")
        for row, runs in rows.items():
            runs.sort(key=lambda run: run[1])
            wall, (_, cpu, stages) = statistics.median(run[0] for run in runs), runs[len(runs) // 2]
            print(f"  {row:46} wall {wall:.3f} s, CPU {cpu:.3f} s: "
                  + ", ".join(f"{stage} {value:.3f}" for stage, value in stages.items()))


if __name__ == "__main__":
    main()
