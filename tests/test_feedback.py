"""What the CLI says besides errors: progress on a terminal only, --quiet, each warning once."""

from __future__ import annotations

import io
import time

import click
import pytest
from click.testing import CliRunner

from booklet.cli import Progress, main, unique_warnings


def test_progress_waits_a_second_then_shows_the_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    lines: list[str] = []
    monkeypatch.setattr(click, "echo", lambda text="", **kwargs: lines.append(text))
    monkeypatch.setattr(Progress, "DELAY", 0.05)
    progress = Progress(enabled=True)
    progress("typesetting")
    time.sleep(0.3)
    progress.close()
    assert any("booklet: typesetting…" in line for line in lines)
    assert lines[-1] == "\r\033[K"  # the status line is erased at the end


def test_quick_work_shows_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    lines: list[str] = []
    monkeypatch.setattr(click, "echo", lambda text="", **kwargs: lines.append(text))
    progress = Progress(enabled=True)
    progress("typesetting")
    progress.close()
    assert lines == []


def test_no_progress_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from booklet.cli import make_progress

    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert make_progress(quiet=False)._thread is None
    assert make_progress(quiet=True)._thread is None


def test_warnings_are_listed_once_each() -> None:
    warnings = ["warning: a.md:3: low resolution", "a.md:3: low resolution", "b.md:1: other"]
    assert unique_warnings(warnings) == ["warning: a.md:3: low resolution", "warning: b.md:1: other"]


def test_quiet_check_prints_nothing_on_success(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "book.md").write_text("---\ntitle: T\n---\n\n# One\n\nWords.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    loud = CliRunner().invoke(main, ["check", "book.md"])
    quiet = CliRunner().invoke(main, ["check", "--quiet", "book.md"])
    assert loud.exit_code == quiet.exit_code == 0, loud.output
    assert "no errors" in loud.stdout
    assert quiet.stdout == quiet.stderr == ""


def test_quiet_build_prints_nothing_on_success(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "book.md").write_text("---\ntitle: T\n---\n\n# One\n\nWords.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "-q", "book.md"])
    assert result.exit_code == 0, result.output
    assert result.stdout == result.stderr == ""
    assert (tmp_path / "book-read.pdf").is_file() and (tmp_path / "book-print.pdf").is_file()


def test_library_messages_become_warnings_each_once(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged PDF that pypdf can still read: its log lines become booklet warnings."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(8):
        writer.add_blank_page(297.64, 419.53)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    cut = data.rfind(b"startxref")
    (tmp_path / "broken.pdf").write_bytes(data[:cut] + b"startxref\n12345\n%%EOF\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["impose", "-q", "broken.pdf", "-o", "out.pdf"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert all(line.startswith("booklet: warning: ") for line in lines), lines  # no stray library lines
    assert len(lines) == len(set(lines))


def test_library_notes_are_collected(monkeypatch: pytest.MonkeyPatch) -> None:
    import logging
    import warnings

    from booklet.cli import library_notes

    monkeypatch.setattr(logging.getLogger("pypdf"), "level", logging.WARNING)  # the writer may silence it
    with library_notes() as notes:
        logging.getLogger("pypdf._reader").warning("incorrect startxref pointer(%d)", 2)
        warnings.warn("Image size (100000000 pixels) exceeds limit", stacklevel=1)
    assert notes == ["pypdf: incorrect startxref pointer(2)", "Image size (100000000 pixels) exceeds limit"]


def test_deprecation_warnings_are_not_shown_to_users() -> None:
    import warnings

    from booklet.cli import library_notes

    with library_notes() as notes:
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
    assert notes == []
