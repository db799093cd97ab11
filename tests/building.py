"""Building a test booklet through the command line, as a user would, for tests that read the PDF."""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from click.testing import CliRunner

from booklet.cli import main


def build_reading_pdf(source: Path) -> Path:
    """`booklet build SOURCE -o out` (out/ beside SOURCE); the reading PDF's path. Fails the test
    with booklet's output when the build does not succeed."""
    out = source.parent / "out"
    out.mkdir(exist_ok=True)
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    name = source.name if source.is_dir() else source.stem
    return out / f"{name}-read.pdf"


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail with TimeoutError instead of hanging the test run (a build that loops)."""
    def expire(signum, frame):
        raise TimeoutError(f"still laying out pages after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
