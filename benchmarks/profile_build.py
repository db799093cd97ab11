"""Where the time of one `booklet build` goes: imports (`python -X importtime`), the stages
(cProfile, by cumulative time), and the interpreter's exit, cold (empty cache folder) and warm.

Run from the repository root: `python benchmarks/profile_build.py [SOURCE] [--top N]`; without
SOURCE it profiles the typical booklet of benchmarks/loop.py (about 11,000 words, 4 photos).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loop import typical_booklet  # noqa: E402

PROFILE = """
import cProfile, pstats, sys, time
from pathlib import Path
start = time.perf_counter()
from booklet.build import build
imported = time.perf_counter()
profile = cProfile.Profile()
profile.enable()
build(Path(sys.argv[1]), Path(sys.argv[2]))
profile.disable()
done = time.perf_counter()
print(f"imports {imported - start:.3f} s, build {done - imported:.3f} s (profiled)")
pstats.Stats(profile).sort_stats("cumulative").print_stats(int(sys.argv[3]))
"""


def imports(source: Path, out: Path, env: dict, top: int) -> None:
    """The slowest imports of a build, by cumulative microseconds."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "booklet", "build", "-q", str(source),
                           "-o", str(out)], env=env, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match.group(2)), len(match.group(3)) // 2, match.group(4)))
    total = sum(cumulative for cumulative, depth, _ in rows if depth == 0)
    print(f"imports: {total / 1000:.0f} ms in all; the slowest:")
    for cumulative, depth, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cumulative / 1000:7.1f} ms  {'  ' * depth}{name}")


def whole(source: Path, out: Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "booklet", "build", "-q", str(source), "-o", str(out)], env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = args.source or typical_booklet(work / "typical")
        out, cache = work / "out", work / "cache"
        out.mkdir()
        env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
        for state in ("cold", "warm"):
            if state == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            print(f"\n=== {state}: whole process {whole(source, out, env):.3f} s")
            if state == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            subprocess.run([sys.executable, "-c", PROFILE, str(source), str(out), str(args.top)], env=env, check=True)
        imports(source, out, env, args.top)


if __name__ == "__main__":
    main()
