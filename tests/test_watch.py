"""`booklet watch` as a person runs it: a process on a copy of a booklet, edited while it runs."""

from __future__ import annotations

import io
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from booklet.fonts import bundled_font_path
from corpus import booklet_with_own_layout, make_image
from pdftext import embedded_fonts

TIMEOUT = 60.0  # seconds for one build on a slow, busy machine; a passing test takes far less


class Watcher:
    """`booklet watch` in a subprocess; its stdout lines arrive on a queue."""

    def __init__(self, source: Path, out: Path, cache: Path, viewer_log: Path, sigint_ignored: bool = False):
        """`--open` runs a stand-in `xdg-open` that writes what it was asked to open to `viewer_log`;
        `sigint_ignored` starts it as bash starts a `&` job of a script, with SIGINT ignored."""
        tools = viewer_log.parent / "bin"
        tools.mkdir()
        (tools / "xdg-open").write_text(f'#!/bin/sh\necho "$1" >> "{viewer_log}"\n')
        (tools / "xdg-open").chmod(0o755)
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONUNBUFFERED": "1",
               "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}
        self.process = subprocess.Popen([sys.executable, "-m", "booklet", "watch", str(source), "-o", str(out),
                                         "--open"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                        cwd=tools,  # not the clone: `-m` would import its uninstalled source
                                        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
                                        if sigint_ignored else None)
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.stderr.append), daemon=True).start()

    @staticmethod
    def _read(stream, put) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def status(self) -> str:
        """The next status line of a build (skipping the greeting)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                assert self.process.poll() is None, f"watch ended: {self.stderr}"
                continue
            if " pages in " in line or "not built" in line:
                return line
        pytest.fail(f"no build within {TIMEOUT} s; stderr: {self.stderr}")

    def stop(self, how: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture
def booklet(tmp_path: Path) -> Path:
    return booklet_with_own_layout(tmp_path / "zine", articles=1, words_per_article=300, photo_size=(600, 400))


def text_of(pdf: Path) -> str:
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def image_sizes(pdf: Path) -> list[tuple[int, int]]:
    return [(image.image.width, image.image.height) for page in PdfReader(pdf).pages for image in page.images]


def test_watch_rebuilds_on_every_kind_of_edit_and_survives_a_broken_save(booklet: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    read, printed = out / "zine-read.pdf", out / "zine-print.pdf"
    viewer_log = tmp_path / "viewer.log"
    watcher = Watcher(booklet, out, tmp_path / "cache", viewer_log)
    try:
        assert "first build" in watcher.status()
        assert read.is_file() and printed.is_file()
        assert "Zanzibarite" not in text_of(read)

        article = booklet / "01-article.md"
        article.write_text(article.read_text().replace(" the ", " Zanzibarite ", 1))
        status = watcher.status()
        assert "01-article.md" in status
        both, reading = map(float, re.search(r"pages in ([\d.]+) s \(reading PDF in ([\d.]+) s\)", status).groups())
        assert reading <= both
        assert "Zanzibarite" in text_of(read)

        before = image_sizes(read)
        make_image(booklet / "images" / "lead1.jpg", (400, 600), seed=3)  # now a portrait
        assert "lead1.jpg" in watcher.status()
        after = image_sizes(read)
        assert after != before and any(width < height for width, height in after)

        body = booklet / "fonts" / "Body.ttf"  # a font of the booklet's own, the bundled text face
        body.parent.mkdir()
        shutil.copyfile(bundled_font_path("CharisSIL-Regular.ttf"), body)
        layout = booklet / "mine.toml"
        layout.write_text(layout.read_text().replace('format = "← {n} →"', 'format = "page {n} of ours"')
                          .replace('body = "Charis SIL"', 'body = "fonts/Body.ttf"'))
        assert "mine.toml" in watcher.status()
        assert "page 3 of ours" in text_of(read)
        assert "CharisSIL" in embedded_fonts(read)

        shutil.copyfile(bundled_font_path("GentiumBookPlus-Regular.ttf"), body)  # replaced in place
        assert "Body.ttf" in watcher.status()
        assert "GentiumBookPlus" in embedded_fonts(read) and "CharisSIL" not in embedded_fonts(read)

        good = read.read_bytes(), printed.read_bytes()
        meta = booklet / "booklet.yaml"
        meta.write_text(meta.read_text() + "title: [unclosed\n")
        assert "not built" in watcher.status()
        assert (read.read_bytes(), printed.read_bytes()) == good
        assert watcher.process.poll() is None
        def said_why() -> bool:
            return any(line.startswith("booklet: ") and "booklet.yaml" in line for line in watcher.stderr)
        deadline = time.monotonic() + TIMEOUT  # stderr has a reader thread of its own: its line may
        while not said_why() and time.monotonic() < deadline:  # come after the status line on a busy machine
            time.sleep(0.05)
        assert said_why()
    finally:
        code = watcher.stop()
    assert code == 0
    assert not any("Traceback" in line for line in watcher.stderr), watcher.stderr
    if sys.platform.startswith("linux"):  # --open: the viewer was started once, on the reading PDF
        assert [Path(line).resolve() for line in viewer_log.read_text().splitlines()] == [read.resolve()]


def test_ctrl_c_as_soon_as_watch_has_started_is_a_quiet_stop(booklet: Path, tmp_path: Path) -> None:
    """Ctrl-C right after the greeting, while the first build is still being set up (its
    modules imported), ends watch as it does later: exit 0, no traceback, nothing half-written."""
    out = tmp_path / "out"
    watcher = Watcher(booklet, out, tmp_path / "cache", tmp_path / "viewer.log")
    try:
        assert watcher.lines.get(timeout=TIMEOUT).startswith("watching ")
    finally:
        code = watcher.stop()
    assert code == 0, watcher.stderr
    assert not any("Traceback" in line for line in watcher.stderr), watcher.stderr
    assert not out.exists() or {path.name for path in out.iterdir()} <= {"zine-read.pdf", "zine-print.pdf"}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("how, sigint_ignored", [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_a_watch_started_in_the_background_stops_on_sigint_or_sigterm(
        booklet: Path, tmp_path: Path, how: int, sigint_ignored: bool) -> None:
    """A script's `booklet watch ... &` inherits SIGINT ignored: it used to wait for ever on
    `kill -INT`. SIGTERM ended it at once, in the middle of whatever it was writing."""
    watcher = Watcher(booklet, tmp_path / "out", tmp_path / "cache", tmp_path / "viewer.log", sigint_ignored)
    try:
        assert "first build" in watcher.status()
    finally:
        code = watcher.stop(how)
    assert code == 0, watcher.stderr
    assert not any("Traceback" in line for line in watcher.stderr), watcher.stderr


def test_the_reading_pdf_is_in_place_before_the_print_pdf_is_made(booklet: Path, tmp_path: Path) -> None:
    """What watch asks of build (`on_reading`): the new reading PDF first, whole, then the print PDF."""
    from booklet.build import build

    out = tmp_path / "out"
    seen = []

    def on_reading(path: Path) -> None:
        seen.append((path, "Zanzibarite" in text_of(path), (out / "zine-print.pdf").exists()))

    build(booklet, out, on_reading=on_reading)
    assert seen == [(out / "zine-read.pdf", False, False)] and (out / "zine-print.pdf").is_file()
    article = booklet / "01-article.md"
    article.write_text(article.read_text().replace(" the ", " Zanzibarite ", 1))
    printed = (out / "zine-print.pdf").read_bytes()
    seen.clear()
    build(booklet, out, on_reading=lambda path: seen.append(
        ("Zanzibarite" in text_of(path), (out / "zine-print.pdf").read_bytes() == printed)))
    assert seen == [(True, True)] and (out / "zine-print.pdf").read_bytes() != printed


def test_watch_of_a_missing_source_is_an_error_not_a_wait(tmp_path: Path) -> None:
    """It watched the parent folder (here the temporary one, recursively) for ever."""
    done = subprocess.run([sys.executable, "-m", "booklet", "watch", str(tmp_path / "gone"), "-o", str(tmp_path / "o")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr == f"booklet: {tmp_path / 'gone'}: no such file or folder\n"
