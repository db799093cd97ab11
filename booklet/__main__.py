"""`python -m booklet` and the `booklet` console script: the command line in a process of its own."""

import gc

from .cli import main

FEWER_COLLECTIONS = (20_000, 50, 100)
"""gc thresholds for the `booklet` process (Python's defaults: 700, 10, 10)."""


def run() -> None:
    """The `booklet` program (tests call `cli.main` in their own process instead).

    A build makes about a million objects and keeps nearly all of them to its end: the default
    thresholds run ~150 collections that free next to nothing, a tenth of a build's CPU time.
    Cycles are still collected, less often; and at exit everything is frozen, so that the
    interpreter's last collections do not walk a heap the end of the process frees anyway.
    """
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    run()
