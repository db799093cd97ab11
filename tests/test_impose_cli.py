"""`booklet impose`, `booklet testsheet`, `booklet verify` through click's CliRunner."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from booklet.cli import main
from booklet.paper import MM
from paper import make_numbered_pdf


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_impose_default_output_and_summary(run, tmp_path):
    make_numbered_pdf(tmp_path / "zine.pdf", 61)
    result = run("impose", "zine.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "zine-print.pdf").exists()
    out = result.stdout
    assert "64 pages (61 from the PDF, 3 blank) on 8 sheets" in out
    assert "zine-print.pdf" in out
    assert "flipping on the long edge" in out
    assert "Cut the whole pile across the middle (148.5 mm" in out
    assert result.stderr == ""


def test_a_print_pdf_is_not_imposed_again(run, tmp_path):
    """`booklet impose zine-print.pdf` (the print PDF for the reading one) made sheets of shrunk
    A4 sheets, 50 %, in no order that folds, with only a warning about the scale."""
    make_numbered_pdf(tmp_path / "zine-read.pdf", 16)
    assert run("impose", "zine-read.pdf", "-o", "zine-print.pdf").exit_code == 0
    result = run("impose", "zine-print.pdf", "-o", "again.pdf")
    assert result.exit_code == 1
    assert result.stderr == ("booklet: zine-print.pdf: this is a print PDF already (its sheets place the pages of "
                             "a booklet): impose the reading zine-read.pdf it was made from\n")
    assert not (tmp_path / "again.pdf").exists()


def test_impose_all_options(run, tmp_path):
    make_numbered_pdf(tmp_path / "in.pdf", 40)
    result = run("impose", "in.pdf", "-o", "out.pdf", "--scheme", "quarto", "--flip", "short", "--manual-duplex",
                 "--blanks", "end", "--printer-margin", "4", "--creep", "0.1", "--marks", "cut,fold,crop,collate",
                 "--group", "2", "--gather", "--guide")
    assert result.exit_code == 0, result.output
    assert "pages printed at" in result.stdout
    assert "(the fronts, sheet 1 first)" in result.stdout
    assert (tmp_path / "out-guide.pdf").exists()
    reader = PdfReader(tmp_path / "out.pdf")
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/Simplex"
    verify = run("verify", "out.pdf", "--scheme", "quarto", "--pages", 40, "--flip", "short", "--manual-duplex",
                 "--gather")
    assert verify.exit_code == 0, verify.output
    assert "ok: all 40 pages" in verify.stdout


def test_millimetres_become_points(run, tmp_path, monkeypatch):
    seen = {}
    import booklet.impose as impose

    real = impose.impose_pdf

    def spy(source, output, options, **kwargs):
        seen["options"] = options
        return real(source, output, options, **kwargs)

    monkeypatch.setattr(impose, "impose_pdf", spy)
    make_numbered_pdf(tmp_path / "in.pdf", 8)
    assert run("impose", "in.pdf", "--printer-margin", "5", "--creep", "0.1").exit_code == 0
    assert seen["options"].printer_margin == pytest.approx(5 * MM)
    assert seen["options"].creep == pytest.approx(0.1 * MM)


def test_a_mini_zine_of_too_many_pages_says_what_it_makes_and_what_to_do(run, tmp_path):
    make_numbered_pdf(tmp_path / "long.pdf", 18)
    warning = run("impose", "long.pdf", "--scheme", "mini-zine").stderr
    assert "these 18 make 3 separate zines, the last with 6 blank pages" in warning
    assert "for one booklet, make it 8 pages or choose bigger pages (booklet layouts)" in warning
    make_numbered_pdf(tmp_path / "eight.pdf", 8)
    assert "separate" not in run("impose", "eight.pdf", "--scheme", "mini-zine").stderr


def test_thick_booklet_suggests_a_group(run, tmp_path):
    make_numbered_pdf(tmp_path / "thick.pdf", 256)
    result = run("impose", "thick.pdf")
    assert "one nest of 64 folded sheets is too thick" in result.stderr
    assert "--group 4 (8 nests of up to 32 pages, gathered)" in result.stderr
    assert run("impose", "thick.pdf", "--group", "4").stderr == ""
    assert "--gather" in run("impose", "thick.pdf", "--scheme", "quarto").stderr
    make_numbered_pdf(tmp_path / "thin.pdf", 64)
    assert run("impose", "thin.pdf").stderr == ""


def encrypted(path):
    writer = PdfWriter()
    writer.add_blank_page(298, 420)
    writer.encrypt("secret", algorithm="RC4-128")
    with open(path, "wb") as f:
        writer.write(f)


def empty(path):
    with open(path, "wb") as f:
        PdfWriter().write(f)


@pytest.mark.parametrize("make, message", [
    (None, "file not found"),
    (encrypted, "encrypted"),
    (lambda p: p.write_bytes(b"%PDF-1.7\n%%EOF garbage"), "not a readable PDF"),
    (empty, "no pages"),
])
def test_errors_are_one_line_exit_1_no_output(run, tmp_path, make, message):
    if make:
        make(tmp_path / "bad.pdf")
    before = sorted(os.listdir(tmp_path))
    result = run("impose", "bad.pdf")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("booklet: bad.pdf: ") and message in lines[0]
    assert "Traceback" not in result.output
    assert sorted(os.listdir(tmp_path)) == before


def test_usage_errors_exit_2(run, tmp_path):
    make_numbered_pdf(tmp_path / "in.pdf", 8)
    assert run("impose", "in.pdf", "--scheme", "octavo").exit_code == 2
    assert run("impose", "in.pdf", "--marks", "cut,glitter").exit_code == 2
    assert run("impose", "in.pdf", "--group", "0").exit_code == 2
    result = run("impose", "in.pdf", "--creep", "5")
    assert result.exit_code == 2 and "paper thickness" in result.stderr


def test_testsheet(run, tmp_path):
    result = run("testsheet", "-o", "t.pdf")
    assert result.exit_code == 0
    assert len(PdfReader(tmp_path / "t.pdf").pages) == 2
    assert run("testsheet").exit_code == 0
    assert (tmp_path / "booklet-testsheet.pdf").exists()


def test_verify_reports_wrong_settings(run, tmp_path):
    make_numbered_pdf(tmp_path / "in.pdf", 16)
    assert run("impose", "in.pdf").exit_code == 0
    good = run("verify", "in-print.pdf", "--pages", 16)
    assert good.exit_code == 0 and "reading order: 1–16" in good.stdout
    wrong = run("verify", "in-print.pdf", "--pages", 16, "--flip", "short")
    assert wrong.exit_code == 1
    assert wrong.stderr == ("booklet: in-print.pdf: the file is imposed for a printer that flips on the long edge; "
                            "yours flips on the short edge: impose it again with --flip short\n")
    assert run("verify", "missing.pdf", "--pages", 3).exit_code == 1


@pytest.mark.parametrize("imposed, told, diagnosis", [
    (["--scheme", "quarto"], [], "use --scheme quarto"),
    (["--manual-duplex"], [], "use --manual-duplex"),
    (["--binding", "right"], [], "use --binding right"),
])
def test_verify_names_the_one_wrong_setting(run, tmp_path, imposed, told, diagnosis):
    make_numbered_pdf(tmp_path / "in.pdf", 24)
    assert run("impose", "in.pdf", *imposed).exit_code == 0
    wrong = run("verify", "in-print.pdf", "--pages", 24, *told)
    assert wrong.exit_code == 1
    lines = wrong.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(diagnosis), wrong.stderr
    assert run("verify", "in-print.pdf", "--pages", 24, *imposed).exit_code == 0


def test_verify_refuses_a_reading_pdf_and_an_impossible_page_count(run, tmp_path):
    make_numbered_pdf(tmp_path / "in.pdf", 16)
    reading = run("verify", "in.pdf", "--pages", 16)
    assert reading.exit_code == 1 and "this is not a print PDF" in reading.stderr
    assert len(reading.stderr.strip().splitlines()) == 1
    assert run("impose", "in.pdf").exit_code == 0
    huge = run("verify", "in-print.pdf", "--pages", 100_000_000)
    assert huge.exit_code == 1 and "room for 16 pages at most" in huge.stderr
    assert len(huge.stderr.strip().splitlines()) == 1


def test_help_on_every_command(run):
    for command in ("impose", "testsheet", "verify"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout
    assert "mini-zine" in run("impose", "--help").stdout


def test_damaged_but_readable_pdf_prints_no_library_noise(run, tmp_path):
    good = make_numbered_pdf(tmp_path / "good.pdf", 8).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(good[: int(len(good) * 0.8)])  # no xref table at the end
    result = run("impose", "cut.pdf")
    if result.exit_code == 0:
        assert all(line.startswith("booklet: warning: ") for line in result.stderr.splitlines()), result.stderr
    else:
        assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("scheme", ["cut-stack", "quarto", "saddle-2up", "mini-zine"])
def test_verify_every_scheme(run, tmp_path, scheme):
    make_numbered_pdf(tmp_path / "in.pdf", 21)
    assert run("impose", "in.pdf", "--scheme", scheme, "--flip", "short", "-o", "out.pdf").exit_code == 0
    result = run("verify", "out.pdf", "--scheme", scheme, "--pages", 21, "--flip", "short")
    assert result.exit_code == 0, result.output
    assert "ok: all 21 pages" in result.stdout


def test_verify_one_page_says_it_in_the_singular(run, tmp_path):
    make_numbered_pdf(tmp_path / "in.pdf", 1)
    assert run("impose", "in.pdf", "-o", "out.pdf").exit_code == 0
    result = run("verify", "out.pdf", "--pages", 1)
    assert result.exit_code == 0, result.output
    assert "ok: the page upright after cut-stack" in result.stdout  # not "all 1 pages in order"


def test_a_reading_pdf_that_reads_right_to_left_is_bound_on_the_right(run, tmp_path):
    """booklet's own reading PDF of a `direction: rtl` booklet says so (/Direction /R2L):
    imposing it again gives the print PDF its build made, not one bound on the left."""
    (tmp_path / "rtl.md").write_text("---\ntitle: Right to left\ndirection: rtl\n---\n# One\n\n"
                                     + "Words on a page. " * 300 + "\n", encoding="utf-8")
    assert run("build", "rtl.md", "-o", "built").exit_code == 0
    result = run("impose", "built/rtl-read.pdf", "-o", "again.pdf")
    assert result.exit_code == 0 and "Bound on the right" in result.stdout
    pages = [page.get_contents().get_data() for page in PdfReader(tmp_path / "again.pdf").pages]
    assert pages == [page.get_contents().get_data() for page in PdfReader(tmp_path / "built/rtl-print.pdf").pages]
    result = run("impose", "built/rtl-read.pdf", "-o", "left.pdf", "--binding", "left")
    assert result.exit_code == 0 and "Bound on the right" not in result.stdout
