"""`booklet build`, `new`, `layouts` and `--version` end to end, and the built print PDF
folded on (simulated) paper."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner

from booklet import __version__
from booklet.cli import main
from booklet.paper import MM
from corpus import make_booklet
from paper import Tile, simulate
from pdftext import MARKER

A4 = (210 * MM, 297 * MM)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


@pytest.fixture(scope="module")
def built(generated_booklet, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run("build", str(generated_booklet), "-o", str(out))
    assert result.exit_code == 0, result.output
    return result, out / "gen-read.pdf", out / "gen-print.pdf"


def test_build_writes_both_pdfs_and_a_summary(built):
    result, read_pdf, print_pdf = built
    pages = len(pypdf.PdfReader(read_pdf).pages)
    sheets = len(pypdf.PdfReader(print_pdf).pages) // 2
    with pdfplumber.open(read_pdf) as pdf:
        blank = sum(not page.chars and not page.images for page in pdf.pages)
    assert blank, "the generated booklet is padded"
    assert f"{pages} pages ({pages - blank} with content, {blank} blank) on {sheets} sheets" in result.output
    assert str(read_pdf) in result.output and str(print_pdf) in result.output
    assert sheets * 8 == pages


def test_print_pdf_is_exactly_a4(built):
    _, _, print_pdf = built
    for page in pypdf.PdfReader(print_pdf).pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=0.03)  # 0.01 mm
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=0.03)


def read_built_sides(print_pdf: Path, title: str, edition: str, page_count: int) -> list[dict]:
    """(row, column) → Tile for every side of a built print PDF, recognising each tile's page
    by its marker `← N →`, the cover by its title and the back cover by its edition."""
    sides = []
    with pdfplumber.open(print_pdf) as pdf:
        for page in pdf.pages:
            width, height = float(page.width) / 2, float(page.height) / 2
            cells = {}
            for row in (0, 1):
                for column in (0, 1):
                    tile = page.within_bbox((column * width, row * height, (column + 1) * width, (row + 1) * height))
                    lines = tile.extract_text_lines(return_chars=True)
                    if lines:
                        cells[(row, column)] = lines
            tiles = {}
            for cell, lines in cells.items():
                texts = [line["text"] for line in lines]
                upright = all(c["matrix"][0] > 0 for line in lines for c in line["chars"])
                number = next((int(MARKER.match(t).group(1)) for t in texts if MARKER.match(t)), None)
                if number is None and any(edition in t for t in texts):
                    number = page_count
                elif number is None and title in " ".join(texts[:2]):
                    number = 1
                assert number is not None, f"unrecognised tile {cell}: {texts[:3]}"
                tiles[cell] = Tile(number - 1, 0 if upright else 180)
            sides.append(tiles)
    return sides


def test_built_booklet_folds_into_reading_order(built, generated_booklet):
    _, read_pdf, print_pdf = built
    reader = pypdf.PdfReader(read_pdf)
    page_count = len(reader.pages)
    blanks = {i for i, page in enumerate(reader.pages) if not page.extract_text().strip()}
    sides = read_built_sides(print_pdf, "A Generated Booklet", "EN 07", page_count)
    faces = simulate(sides, "cut-stack", 2, 2, landscape=False, duplex=True, flip="long")
    assert [f.page_index for f in faces] == [None if i in blanks else i for i in range(page_count)]
    assert all(f.rotation == 0 for f in faces)


def test_print_pdf_is_about_the_size_of_the_reading_pdf(built):
    _, read_pdf, print_pdf = built
    assert print_pdf.stat().st_size <= 1.05 * read_pdf.stat().st_size


def test_new_creates_a_starter_that_builds(tmp_path):
    folder = tmp_path / "starter"
    result = run("new", str(folder))
    assert result.exit_code == 0, result.output
    assert (folder / "booklet.yaml").is_file()
    assert len(list(folder.glob("*.md"))) >= 2 and list(folder.glob("*.png"))
    result = run("build", str(folder), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "starter-read.pdf").pages)
    assert "Why we print" in text and "How to fold this booklet" in text
    again = run("new", str(folder))
    assert again.exit_code == 1 and "already exists" in again.output


def test_new_names_a_command_that_runs_as_printed(tmp_path, monkeypatch):
    """The command `new` suggests is pasted into a shell: a folder name with spaces is quoted
    (regression: `booklet build My zine` built the folder `My`)."""
    monkeypatch.chdir(tmp_path)
    result = run("new", "Мій зін")
    assert result.exit_code == 0, result.output
    suggested = shlex.split(result.output.split("build it with: ", 1)[1])
    assert suggested == ["booklet", "build", "Мій зін"]


def test_single_markdown_file_builds_with_its_stem_as_name(tmp_path):
    source = tmp_path / "zine.md"
    source.write_text("---\ntitle: One File\n---\nPreface.\n\n# First\n*May 1, 2026*\n\nText.\n", encoding="utf-8")
    result = run("build", str(source), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "zine-read.pdf").is_file() and (tmp_path / "zine-print.pdf").is_file()


def test_version_layouts_and_help():
    assert __version__ in run("--version").output
    listing = run("layouts").output
    for name in ("pocket", "a5", "mini", "quarter-letter"):
        assert re.search(rf"^{name}\s", listing, re.M), listing
    for command in ("build", "impose", "check", "new", "layouts", "testsheet", "verify"):
        assert run(command, "--help").exit_code == 0


def test_check_says_when_the_layouts_own_sheet_prints_its_pages_at_another_size(tmp_path):
    """`build` warned that A6 pages on an A3 sheet print at 141 %; `check` said nothing."""
    from booklet.layouts import builtin_layouts

    text = builtin_layouts()["pocket"].read_text(encoding="utf-8")
    assert 'sheet = "A4"' in text
    (tmp_path / "big.toml").write_text(text.replace('sheet = "A4"', 'sheet = "A3"'), encoding="utf-8")
    line = text[:text.index('sheet = "A4"')].count("\n") + 1
    (tmp_path / "booklet.yaml").write_text("title: T\nlayout: big.toml\n", encoding="utf-8")
    (tmp_path / "one.md").write_text("# One\n\nText.\n", encoding="utf-8")
    checked = run("check", str(tmp_path))
    assert checked.exit_code == 0
    assert (f"booklet: warning: {tmp_path / 'big.toml'}:{line}: [imposition] sheet: its cut-stack slots are "
            "148 × 210 mm and the pages 105 × 148 mm: they will print at 141%") in checked.output
    assert "[imposition]" not in run("check", str(tmp_path), "--layout", "pocket").output


def test_a_heading_as_a_list_item_in_one_file_is_printed_in_the_list(tmp_path):
    """Regression (issue #14): `- # bravo` in a single file made "bravo" an article and lost
    "charlie" (exit 0, no warning) while `check` found nothing; now check and build agree, and
    the one-file booklet prints what the folder booklet prints."""
    article = "# Article\n\nIntro.\n\n- alpha\n- # bravo\n- charlie\n\nAfter.\n"
    (tmp_path / "zine.md").write_text(f"---\ntitle: T\n---\n{article}", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "booklet.yaml").write_text("title: T\n", encoding="utf-8")
    (tmp_path / "folder" / "one.md").write_text(article, encoding="utf-8")
    checked = run("check", str(tmp_path / "zine.md"))
    assert checked.exit_code == 0 and "no errors" in checked.output
    printed = []
    for source, name in ((tmp_path / "zine.md", "zine"), (tmp_path / "folder", "folder")):
        result = run("build", str(source), "-o", str(tmp_path), "--quiet")
        assert result.exit_code == 0, result.output
        with pdfplumber.open(tmp_path / f"{name}-read.pdf") as pdf:
            printed.append([line for page in pdf.pages[1:] for line in page.extract_text().splitlines()
                            if not MARKER.match(line)])
    single, folder = printed
    assert single == folder
    assert single[:5] == ["Article", "Intro.", "• alpha", "• bravo", "• charlie"] and "After." in single


def test_every_wrong_command_line_is_one_line_with_exit_code_2():
    """Regression (issue #14): `--group 0` and `--marks cut,glitter` printed click's three-line
    usage block; every command's bad option, bad value or missing argument is one line now."""
    commands = [name for name in main.commands]
    assert {"build", "impose", "check", "verify", "testsheet"} <= set(commands)
    cases = [[name, "--no-such-option"] for name in commands]
    cases += [["build", "x.md", "--group", "0"], ["impose", "x.pdf", "--marks", "cut,glitter"],
              ["build", "x.md", "--printer-margin", "nan"], ["impose", "x.pdf", "--creep", "-inf"],
              ["build", "x.md", "--printer-margin", "-1"], ["verify", "x.pdf", "--pages", "many"], ["build"],
              ["bild", "x.md"]]
    for args in cases:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("booklet: "), (args, result.stderr)
        assert "Usage:" not in result.output and result.stdout == "", (args, result.output)
    assert run("build", "--help").exit_code == 0 and run("--version").exit_code == 0


def test_the_booklet_process_ends_with_its_exit_code_its_output_and_its_exit_handlers(tmp_path: Path) -> None:
    """`python -m booklet` ends the process as soon as the command has returned (booklet/__main__.py),
    after the exit handlers and with its output flushed: the summary is printed, the words
    hyphenated are kept in the cache folder (an exit handler writes them), and an error is one
    line with exit code 1."""
    source = make_booklet(tmp_path / "zine", articles=1, words_per_article=200, photo_size=(300, 200))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    built = subprocess.run([sys.executable, "-m", "booklet", "build", str(source), "-o", str(tmp_path / "out")],
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert built.returncode == 0, built.stderr
    assert "print PDF: " in built.stdout and built.stdout.endswith("\n"), built.stdout
    assert any("-words-" in entry.name for entry in (tmp_path / "cache" / "booklet" / "hyphenation").iterdir())
    failed = subprocess.run([sys.executable, "-m", "booklet", "build", str(tmp_path / "missing")],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert failed.returncode == 1 and len(failed.stderr.splitlines()) == 1, failed.stderr


def test_a_closed_output_pipe_ends_the_build_quietly_with_its_pdfs_written(tmp_path: Path) -> None:
    """`booklet build … | head -1`: the reader went away, the PDFs are written all the same and
    no error is claimed (it said "Broken pipe; files from earlier builds are unchanged")."""
    source = make_booklet(tmp_path / "zine", articles=1, words_per_article=200, photo_size=(300, 200))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    build = subprocess.Popen([sys.executable, "-m", "booklet", "build", str(source), "-o", str(tmp_path / "out")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env)
    build.stdout.close()  # before the summary is printed
    _, stderr = build.communicate(timeout=120)
    assert stderr == b"" and build.returncode == 141
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["zine-print.pdf", "zine-read.pdf"]


def test_a_profiled_booklet_process_leaves_its_profile(tmp_path: Path) -> None:
    """The quick end of `python -m booklet` waits for a profiler's own exit: `python -m cProfile
    -o F -m booklet build …` writes F (the quick end took the process down first)."""
    source = make_booklet(tmp_path / "zine", articles=1, words_per_article=100, photo_size=(300, 200))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    profile = tmp_path / "build.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "booklet", "build", "-q",
                    str(source), "-o", str(tmp_path / "out")], check=True, cwd=tmp_path, env=env, timeout=120)
    assert profile.stat().st_size > 0
