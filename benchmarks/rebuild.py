"""In-process rebuilds of the typical booklet after a one-word edit (issue #13): build() and the
time in drawing the lines and in the preflight, the way `booklet watch` rebuilds (line and page
caches in the process) and the way `booklet build` does (the store on disk: every page drawn).

Run from the repository root: `python benchmarks/rebuild.py [--runs N] [--rounds N] [--against TREE]`.
With --against, the booklet package of another source tree (say `git worktree add /tmp/base main`)
is measured too, each round running both trees in turn in fresh processes, so that a busy machine
slows both alike. Unlike benchmarks/loop.py (whole processes), this leaves out the imports and the
interpreter's start, which are the same for every rebuild in `booklet watch`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("watch", "cli")


def child(mode: str, runs: int) -> dict[str, list[float]]:
    """Milliseconds per rebuild, of `runs` rebuilds after a first (cold) build."""
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]
    from loop import OneWordEdits, typical_booklet

    import booklet.build
    from booklet.typeset import linecache, paragraph

    spent = {"draw": 0.0, "preflight": 0.0}
    for module, name, stage in ((paragraph, "draw_lines", "draw"), (booklet.build, "preflight", "preflight")):
        setattr(module, name, _timed(getattr(module, name), spent, stage))
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
        source, out = typical_booklet(Path(folder) / "typical"), Path(folder) / "out"
        lines = linecache.LineCache() if mode == "watch" else None  # None: the store on disk
        booklet.build.build(source, out, lines=lines)
        edit = OneWordEdits(source)
        times: dict[str, list[float]] = {"build": [], "cpu": [], "draw": [], "preflight": []}
        for _ in range(runs):
            edit()
            spent.update(draw=0.0, preflight=0.0)
            wall, cpu = time.perf_counter(), time.process_time()
            booklet.build.build(source, out, lines=lines)
            times["build"].append(time.perf_counter() - wall)
            times["cpu"].append(time.process_time() - cpu)
            times["draw"].append(spent["draw"])
            times["preflight"].append(spent["preflight"])
    return {stage: [1000 * t for t in values] for stage, values in times.items()}


def _timed(function, spent: dict[str, float], stage: str):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] += time.perf_counter() - start
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="rebuilds per process")
    parser.add_argument("--rounds", type=int, default=3, help="processes per tree and mode")
    parser.add_argument("--against", type=Path, help="another source tree to measure in alternation")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return
    trees = [ROOT] + ([args.against.resolve()] if args.against else [])
    results: dict[tuple[Path, str], dict[str, list[float]]] = {}
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(args.rounds):
        for mode in MODES:
            for tree in trees:
                done = subprocess.run([sys.executable, __file__, "--child", mode, "--runs", str(args.runs)],
                                      env={**env, "PYTHONPATH": str(tree)}, check=True, capture_output=True,
                                      text=True)
                for stage, values in json.loads(done.stdout.splitlines()[-1]).items():
                    results.setdefault((tree, mode), {}).setdefault(stage, []).extend(values)
    for (tree, mode), stages in results.items():
        print(f"{tree.name:12} {mode:5} " + "  ".join(f"{stage} {statistics.median(values):6.1f} ms"
                                                    for stage, values in stages.items()), flush=True)


if __name__ == "__main__":
    main()
