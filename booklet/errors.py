"""The one exception root: a BookletError is a problem the user can fix, told in one line."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


class BookletError(Exception):
    """A problem in the user's input or environment, reported as `FILE:LINE: message`."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)


class UsageError(BookletError):
    """A command-line usage problem (exit code 2)."""


def not_utf8(exc: UnicodeDecodeError, path: Path) -> BookletError:
    """The error for a text file (Markdown, YAML, a layout) that is not UTF-8: UTF-16 (Windows
    Notepad's "Unicode", known by its byte-order mark) named as such, else the line of the first
    byte that is not UTF-8 (a Latin-1 or Windows-1252 file)."""
    if exc.object.startswith((b"\xff\xfe", b"\xfe\xff")):
        return BookletError("UTF-16 text, not UTF-8; save the file as UTF-8", path)
    line = exc.object[:exc.start].count(b"\n") + 1
    return BookletError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", path, line)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """"1 sheet", "2 sheets": a count with its noun in the right number, for messages."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def format_location(path: Path | None, line: int | None, message: str) -> str:
    if path is None:
        return message
    if line is None:
        return f"{path}: {message}"
    return f"{path}:{line}: {message}"


def error_line(exc: Exception) -> tuple[str, int]:
    """What the user sees for an exception that ends a build: one line (without the
    `booklet: ` in front) and the exit code (2 usage, 1 input or machine, 70 a bug)."""
    if isinstance(exc, BookletError):
        return str(exc), 2 if isinstance(exc, UsageError) else 1
    if isinstance(exc, OSError):  # the machine, not the input: a full disk, a folder without permission
        place = f"{exc.filename}: " if exc.filename else ""
        return f"{place}{exc.strerror or exc}; files from earlier builds are unchanged", 1
    # a bug, not the user's mistake: still one line, and a way to learn more
    return (f"internal error ({type(exc).__name__}: {exc}); files from earlier builds are unchanged; "
            "rerun with --debug for a traceback and please report it"), 70  # EX_SOFTWARE


@dataclass(frozen=True)
class Problem:
    """One finding of a check: an error stops the build, a warning is reported in the summary."""

    message: str
    path: Path | None = None
    line: int | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        text = format_location(self.path, self.line, self.message)
        return text if self.severity == "error" else f"warning: {text}"


class BookletErrors(BookletError):
    """Several problems found at once. It reads as the first, with a count of the others;
    `booklet check` prints them all."""

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        more = f" (and {len(problems) - 1} more: run `booklet check`)" if len(problems) > 1 else ""
        super().__init__(first.message + more, first.path, first.line)
        self.problems = problems


class Collector:
    """Gathers the errors of independent checks so that all of them are reported together.

    with errors.attempt(): check_one()   # a BookletError is kept, the work goes on
    errors.raise_any()                   # BookletErrors with everything kept, if any
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    @contextmanager
    def attempt(self) -> Iterator[None]:
        try:
            yield
        except BookletErrors as exc:
            self.problems += exc.problems
        except UsageError:
            raise
        except BookletError as exc:
            self.problems.append(Problem(exc.message, exc.path, exc.line))

    def raise_any(self) -> None:
        if self.problems:
            raise BookletErrors(self.problems)
