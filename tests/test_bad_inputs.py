"""Bad inputs → one clear line on stderr, the right exit code, no traceback, nothing touched.

Each folder in tests/bad_inputs/ is one case: the files of a broken booklet (or PDF) and an
`expected.txt` with lines `args: ...` (the command line, run from inside a copy of the
folder), `exit: N`, one or more `message: REGEX` (each must match a line of stderr), and
optionally `setup: chmod PATH MODE`. Before each run the output folder `out/` holds the
files of a "previous build"; after the failure every file in the copy must be byte-for-byte
as it was, with no temporary file left behind.
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main

CASES_DIR = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())
PREVIOUS_OUTPUTS = ("book-read.pdf", "book-print.pdf", "input-print.pdf")


@dataclass
class Expected:
    args: list[str]
    exit_code: int
    messages: list[str] = field(default_factory=list)
    setup: list[list[str]] = field(default_factory=list)


def read_expected(case: Path) -> Expected:
    fields: dict[str, list[str]] = {}
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), []).append(value.strip())
    return Expected(
        args=shlex.split(fields["args"][0]),
        exit_code=int(fields["exit"][0]),
        messages=fields.get("message", []),
        setup=[shlex.split(s) for s in fields.get("setup", [])],
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder below `folder` → its bytes (None for folders)."""
    files: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        files[str(path.relative_to(folder))] = None if path.is_dir() else path.read_bytes()
    return files


def prepare(case: Path, tmp_path: Path) -> tuple[Expected, Path]:
    """A copy of the case in `tmp_path/work`, with a previous build's files in `out/`."""
    expected = read_expected(case)
    work = tmp_path / "work"
    shutil.copytree(case, work, ignore=shutil.ignore_patterns("expected.txt"))
    out = work / "out"
    out.mkdir()
    for name in PREVIOUS_OUTPUTS:
        (out / name).write_bytes(b"%PDF-1.4\n% the previous, good build of " + name.encode() + b"\n")
    for command in expected.setup:
        if command[0] == "chmod":
            if os.geteuid() == 0:
                pytest.skip("root may write to any folder, so a read-only folder cannot be tested")
            os.chmod(work / command[1], int(command[2], 8))
        else:
            raise ValueError(f"unknown setup command {command}")
    return expected, work


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected, work = prepare(case, tmp_path)
    before = snapshot(work)
    monkeypatch.chdir(work)
    try:
        result = CliRunner().invoke(main, expected.args)
    finally:
        for command in expected.setup:
            os.chmod(work / command[1], 0o755)

    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(*result.exc_info))
        pytest.fail(f"crashed instead of reporting an error:\n{trace}")
    stderr_lines = result.stderr.splitlines()
    assert result.exit_code == expected.exit_code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for pattern in expected.messages:
        assert any(re.search(pattern, line) for line in stderr_lines), \
            f"no line of stderr matches {pattern!r}:\n{result.stderr}"
    assert len(stderr_lines) == len(expected.messages), f"expected one line per problem:\n{result.stderr}"
    assert snapshot(work) == before, "a failed run changed or left files behind"


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


def test_real_process_prints_one_line_and_debug_shows_traceback(tmp_path: Path) -> None:
    """The installed entry point (not CliRunner): stderr is one line; --debug adds the traceback."""
    expected, work = prepare(CASES_DIR / "unknown-metadata-key", tmp_path)
    command = [sys.executable, "-c", "from booklet.cli import main; main()"]
    plain = subprocess.run([*command, *expected.args], cwd=work, capture_output=True, text=True)
    assert plain.returncode == 1
    assert plain.stdout == ""
    assert len(plain.stderr.splitlines()) == 1
    assert re.search(expected.messages[0], plain.stderr)
    debug = subprocess.run([*command, "--debug", *expected.args], cwd=work, capture_output=True, text=True)
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr


def test_a_named_pipe_as_source_is_one_line_not_a_wait_for_ever(tmp_path: Path) -> None:
    """Regression: `booklet build zine.md` on a FIFO blocked reading it, waiting for a writer."""
    os.mkfifo(tmp_path / "zine.md")
    command = [sys.executable, "-c", "from booklet.cli import main; main()", "check", "zine.md"]
    try:
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("booklet check waited for ever on a named pipe")
    assert done.returncode == 1
    assert done.stderr.startswith("booklet: zine.md: not a file but a named pipe") and len(done.stderr.splitlines()) == 1


def test_a_file_without_read_permission_is_a_problem_of_the_input(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """As a user who is not root sees it (root reads any file, so both the permission and the
    failed read are simulated). Regression: click's own check refused the file first, "Invalid
    value for 'SOURCE': Path 'zine.md' is not readable. (see booklet check --help)", exit 2."""
    (tmp_path / "zine.md").write_text("---\ntitle: T\n---\nText.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    access, read_text = os.access, Path.read_text

    def no_permission(path, mode, *args, **kwargs):
        return False if Path(path).name == "zine.md" and mode & os.R_OK else access(path, mode, *args, **kwargs)

    def refused(self, *args, **kwargs):
        if self.name == "zine.md":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(os, "access", no_permission)
    monkeypatch.setattr(Path, "read_text", refused)
    result = CliRunner().invoke(main, ["check", "zine.md"])
    assert (result.exit_code, result.stderr) == (1, "booklet: zine.md: cannot read: Permission denied\n")


# --- failures of the machine, simulated (root may write anywhere, and disks rarely fill on cue) ---


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a booklet `book` and the outputs of a previous, good build in `out/`."""
    shutil.copytree(CASES_DIR / "unknown-metadata-key" / "book", tmp_path / "book")
    (tmp_path / "book" / "booklet.yaml").write_text("title: A Booklet\narticles:\n  - one.md\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "-q", "book", "-o", "out"])
    assert result.exit_code == 0, result.output
    return tmp_path


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EACCES, errno.EROFS])
@pytest.mark.parametrize("command", [["build", "book", "-o", "out"],
                                     ["impose", "out/book-read.pdf", "-o", "out/book-print.pdf"]])
def test_a_failing_disk_is_one_line_and_loses_nothing(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                      error: int, command: list[str]) -> None:
    before = snapshot(built / "out")

    def refuse(*args, **kwargs):
        raise OSError(error, os.strerror(error), str(args[1]) if len(args) > 1 else None)

    monkeypatch.setattr(os, "replace", refuse)
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1, result.output
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("booklet: "), result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.stderr
    assert snapshot(built / "out") == before


def test_ctrl_c_is_one_line_and_loses_nothing(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import booklet.build

    before = snapshot(built / "out")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(booklet.build, "impose_pdf", interrupt)
    result = CliRunner().invoke(main, ["build", "book", "-o", "out"])
    assert result.exit_code == 130
    assert result.stderr.startswith("booklet: interrupted")
    assert snapshot(built / "out") == before


def test_a_successful_build_leaves_only_its_two_files(built: Path) -> None:
    """No temporary file is left beside the outputs (they are written whole, then renamed)."""
    assert sorted(p.name for p in (built / "out").iterdir()) == ["book-print.pdf", "book-read.pdf"]
    result = CliRunner().invoke(main, ["build", "-q", "book", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (built / "out").iterdir()) == ["book-print.pdf", "book-read.pdf"]
