"""The one exception root: a BookletError is a problem the user can fix, told in one line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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


def format_location(path: Path | None, line: int | None, message: str) -> str:
    if path is None:
        return message
    if line is None:
        return f"{path}: {message}"
    return f"{path}:{line}: {message}"


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
