"""`python -m booklet` and the `booklet` console script: the command line in a process of its own."""

import atexit
import gc
import os
import sys
import threading

from .cli import main

FEWER_COLLECTIONS = (20_000, 50, 100)
"""gc thresholds for the `booklet` process (Python's defaults: 700, 10, 10)."""


def run() -> None:
    """The `booklet` program (tests call `cli.main` in their own process instead).

    A build makes about a million objects and keeps nearly all of them to its end: the default
    thresholds run ~150 collections that free next to nothing, a tenth of a build's CPU time.
    Cycles are still collected, less often. And the process ends without tearing down what it
    made: once the command has returned its exit code, the exit handlers are run (the words
    hyphenated, kept for the next run), the output flushed, and the process ends there, where
    the interpreter would free every object and module one by one first (20-30 ms after a
    build; everything is frozen first, so a collection on the way out walks nothing).
    """
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        main()
    except SystemExit as done:
        if isinstance(done.code, int | None) and threading.active_count() == 1 and not _watched():
            # (else Python's own exit)
            gc.freeze()
            _end(done.code or 0)
        raise
    finally:
        gc.freeze()


def _watched() -> bool:
    """Whether a profiler or tracer runs the process (`python -m cProfile -m booklet`,
    pyinstrument, coverage): it writes its results at the interpreter's exit."""
    return sys.getprofile() is not None or sys.gettrace() is not None


def _end(code: int) -> None:
    """End the process with `code` after what Python's own exit would do that matters here."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
