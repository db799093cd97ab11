"""Saves → rebuilt PDFs: `booklet watch` builds a booklet, then again whenever a file it was made
from changes, with one status line per build.

The files watched are those the last good build read (`BuildResult.sources`: the Markdown files,
booklet.yaml, the images, the layout file and font files it names), and in a folder booklet any
Markdown file that appears beside them. Until a first build succeeds, any change under the
source folder counts. watchdog reports the changes (inotify, FSEvents, ReadDirectoryChangesW, or
polling elsewhere); a burst of events (editors write, rename and touch in one save) is taken as
one change once no event has come for DEBOUNCE seconds. Line and page breaks and the drawn
pages live in the process (`LineCache`, typeset/drawn.py), so a rebuild breaks only the
paragraphs and articles that changed and draws only the pages that changed; the reading PDF
is replaced as soon as it is set, before the print PDF is made, whose imposition parses only
the reading PDF's objects that changed (`KeptImposition`, impose/writer.py). A build that fails
prints its one-line error and leaves the last good PDFs as they were (build() replaces them
only whole); Ctrl-C (or SIGTERM) ends the loop.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from .build import BuildResult
from .errors import error_line
from .impose.writer import KeptImposition
from .typeset.linecache import LineCache

DEBOUNCE = 0.025
"""Seconds of quiet after an event before the rebuild starts: several times the gap between
the writes of one save (an editor's write, rename and touch come within a few milliseconds),
short against the time of a build; it is part of the time from save to PDF. An event that
comes later only costs one more build."""

_CHANGES = {"modified", "created", "moved", "deleted", "closed"}
"""watchdog event types that change a file (not "opened" or "closed_no_write": the build
itself opens every file it reads)."""


def watch(source: Path, rebuild: Callable[[LineCache, KeptImposition, Callable[[Path], None]], BuildResult],
          echo: Callable[[str], None], open_viewer: bool = False, debounce: float = DEBOUNCE) -> None:
    """Build with `rebuild(lines, objects, on_reading)`, then again after each change, until
    KeyboardInterrupt; `rebuild` calls `on_reading` when the reading PDF is in place, before
    the print PDF is made.

    `echo` prints a line (status lines, errors and warnings, each complete). The times in a
    status line run from the moment the first event of a save was seen to the PDFs in place,
    and to the reading PDF in place (what a viewer that reloads shows first).
    """
    from watchdog.observers import Observer

    source = Path(os.path.abspath(source))
    folder = source if source.is_dir() else source.parent
    lines = LineCache()
    objects = KeptImposition()
    events: queue.Queue[Path] = queue.Queue()
    observer = Observer()
    watched: frozenset[Path] = frozenset()
    shown_warnings: list[str] = []
    opened = False

    def wanted(path: Path) -> bool:
        if not watched:
            return folder in path.parents and path.suffix.lower() != ".pdf" and not path.name.startswith(".")
        return path in watched or (source.is_dir() and path.parent == source and path.suffix.lower() == ".md")

    def follow(files: frozenset[Path]) -> None:
        """Watch the folders that hold `files` (a folder's events name the file a save renames
        into place, which a watch on the file itself would lose)."""
        observer.unschedule_all()
        folders = {path.parent for path in files} | {folder}
        for place in sorted(folders):
            if place.is_dir():
                observer.schedule(_Handler(events, wanted), str(place), recursive=not files and place == folder)

    def build_once(changed: list[Path], start: float) -> None:
        """Build; the status line gives the seconds since `start` (the save was seen)."""
        nonlocal watched, opened, shown_warnings
        what = ", ".join(_shown(path, folder) for path in changed) if changed else "first build"
        reading: list[float] = []
        try:
            result = rebuild(lines, objects, lambda path: reading.append(time.perf_counter() - start))
        except Exception as exc:  # a broken save: say why, keep the last good PDFs, go on watching
            echo(f"booklet: {error_line(exc)[0]}")
            kept = "the print PDF is the last good build's" if reading else \
                "the PDFs of the last good build are unchanged"
            echo(f"{_clock()} {what}: not built; {kept}")
            return
        seconds = time.perf_counter() - start
        if result.sources != watched:  # before the status line: a save right after it is seen
            watched = result.sources
            follow(watched)
        warnings = list(dict.fromkeys([*result.warnings, *result.imposition.warnings]))
        count = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
        early = f" (reading PDF in {reading[0]:.2f} s)" if reading else ""
        echo(f"{_clock()} {what}: {result.pages} pages in {seconds:.2f} s{early}{count} → {result.read_path}")
        if warnings != shown_warnings:  # each warning once, and again only when the set changes
            for warning in warnings:
                echo(f"booklet: {warning if warning.startswith('warning: ') else 'warning: ' + warning}")
            shown_warnings = warnings
        if open_viewer and not opened:
            opened = True
            open_in_viewer(result.read_path, echo)

    try:
        follow(watched)
        observer.start()
        build_once([], time.perf_counter())
        while True:
            build_once(*_next_changes(events, debounce))
    except KeyboardInterrupt:
        for stop in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C while stopping: no traceback
            signal.signal(stop, signal.SIG_IGN)
    finally:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=2)


class _Handler:
    """watchdog's handler protocol: put each wanted path an event names on the queue."""

    def __init__(self, events: queue.Queue[Path], wanted: Callable[[Path], bool]):
        self.events, self.wanted = events, wanted

    def dispatch(self, event) -> None:
        if event.event_type not in _CHANGES or event.is_directory:
            return
        for name in (event.src_path, getattr(event, "dest_path", "")):
            if name:
                path = Path(os.path.abspath(os.fsdecode(name)))
                if self.wanted(path):
                    self.events.put(path)


def _next_changes(events: queue.Queue[Path], debounce: float) -> tuple[list[Path], float]:
    """Wait for a change, then gather the events that follow it closely: the files, in order,
    and when the first was seen (time.perf_counter)."""
    changed = [events.get()]
    seen = time.perf_counter()
    while True:
        try:
            changed.append(events.get(timeout=debounce))
        except queue.Empty:
            return list(dict.fromkeys(changed)), seen


def open_in_viewer(path: Path, echo: Callable[[str], None]) -> None:
    """Open `path` in the system's PDF viewer (without waiting for it)."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # Windows' `start`
            return
        command = ["open" if sys.platform == "darwin" else "xdg-open", str(path)]
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        echo(f"booklet: warning: cannot open a PDF viewer ({exc.strerror or exc}); open {path} yourself")


def _shown(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def _clock() -> str:
    return time.strftime("%H:%M:%S")
