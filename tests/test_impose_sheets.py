"""Sheet sizes, right-to-left binding and locked or odd PDFs, on real print PDFs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

from booklet.cli import main
from booklet.errors import BookletError
from booklet.impose import ImposeOptions, impose_pdf
from booklet.paper import MM, paper_size, sheet_size
from paper import make_numbered_pdf, read_sides, reading_order, simulate

# (scheme, page size name, sheet name, expected scale): the pairs the issue names
PAIRS = [
    ("cut-stack", "A6", "A4", 1.0),
    ("quarto", "A6", "A4", 1.0),
    ("cut-stack", "A5", "A3", 1.0),
    ("quarto", "A5", "A3", 1.0),
    ("saddle-2up", "A5", "A4", 1.0),
    ("saddle-2up", "half-letter", "Letter", 1.0),
    ("cut-stack", "quarter-letter", "Letter", 1.0),
    ("mini-zine", "A7", "A4", 1.0),
    ("mini-zine", "A7", "Letter", 69.85 / 74),  # Letter's mini slots are 69.85 × 107.95 mm: A7 is too wide
    ("saddle-2up", "A6", "A5", 1.0),  # an A5 printer: two A6 pages a side
    ("cut-stack", "A7", "A5", 1.0),
    ("cut-stack", "A7", "A4", 148.5 / 105),  # enlarged: the type prints larger than set, so warned
]


def fold(output, report, **options):
    p = report.plan
    sides = read_sides(output, p.rows, p.columns)
    return simulate(sides, p.scheme, p.rows, p.columns, landscape=p.landscape, duplex=p.duplex,
                    flip=p.flip, manual_duplex=p.manual_duplex, nests=[n for _, n in p.nests],
                    binding=p.binding)


@pytest.mark.parametrize("scheme, page, sheet, scale", PAIRS)
def test_every_scheme_on_its_sheets_exact_size_and_scale(tmp_path, scheme, page, sheet, scale):
    source = make_numbered_pdf(tmp_path / "in.pdf", 12, size=paper_size(page))
    out = tmp_path / "out.pdf"
    report = impose_pdf(source, out, ImposeOptions(scheme=scheme, sheet_size=sheet_size(sheet)))
    w, h = paper_size(sheet)
    for box in (p.mediabox for p in PdfReader(out).pages):
        assert sorted((float(box.width), float(box.height))) == pytest.approx(sorted((w, h)), abs=1e-3)
    assert report.scale == pytest.approx(scale, rel=1e-4)
    warned = any("scaled to fit" in w for w in report.warnings)
    assert warned == (not 0.95 <= report.scale <= 1 / 0.95)  # 94.4 % for A7 on Letter: stated and warned
    assert reading_order(fold(out, report)) == list(range(12))


def test_a_letter_pdf_on_a4_is_warned_with_a_way_out(tmp_path):
    source = make_numbered_pdf(tmp_path / "letter.pdf", 8, size=paper_size("Letter"))
    report = impose_pdf(source, tmp_path / "out.pdf")
    assert report.scale < 0.5
    assert report.warnings[0].endswith("try --scheme saddle-2up --sheet tabloid")
    half = make_numbered_pdf(tmp_path / "half.pdf", 8, size=paper_size("half-letter"))
    report = impose_pdf(half, tmp_path / "half-out.pdf", ImposeOptions(scheme="saddle-2up"))
    assert report.sheet_size == pytest.approx((279.4 * MM, 215.9 * MM))  # Letter by itself
    assert report.scale == 1.0 and report.warnings == []


def test_sheet_option_values(tmp_path, monkeypatch):
    assert sheet_size("a3") == paper_size("A3") and sheet_size("TABLOID") == paper_size("Tabloid")
    assert sheet_size("A5") == paper_size("A5")
    assert sheet_size("450x320") == pytest.approx((320 * MM, 450 * MM))
    monkeypatch.chdir(tmp_path)
    make_numbered_pdf(tmp_path / "in.pdf", 8)
    result = CliRunner().invoke(main, ["impose", "in.pdf", "--sheet", "b5"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--sheet must be" in result.stderr
    result = CliRunner().invoke(main, ["impose", "in.pdf", "--sheet", "a3"])
    assert result.exit_code == 0 and "pages printed at 141.4% of their size" in result.stdout


@pytest.mark.parametrize("scheme", ["cut-stack", "quarto", "saddle-2up", "mini-zine"])
@pytest.mark.parametrize("flip, manual", [("long", False), ("short", False), ("long", True)])
def test_right_binding_folds_in_order_from_the_pdf(tmp_path, scheme, flip, manual):
    size = {"saddle-2up": "A5", "mini-zine": "A7"}.get(scheme, "A6")
    source = make_numbered_pdf(tmp_path / "in.pdf", 21, size=paper_size(size))
    out = tmp_path / "out.pdf"
    report = impose_pdf(source, out, ImposeOptions(scheme=scheme, flip=flip, manual_duplex=manual, binding="right"))
    assert reading_order(fold(out, report)) == list(range(21))
    # folded the left-bound way the same sheets are not in order: the binding is in the file
    p = report.plan
    faces = simulate(read_sides(out, p.rows, p.columns), scheme, p.rows, p.columns, landscape=p.landscape,
                     duplex=p.duplex, flip=flip, manual_duplex=manual, nests=[n for _, n in p.nests])
    with pytest.raises(AssertionError):
        assert reading_order(faces) == list(range(21))


def test_right_binding_instructions_and_verify(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_numbered_pdf(tmp_path / "in.pdf", 16)
    result = CliRunner().invoke(main, ["impose", "in.pdf", "--scheme", "quarto", "--binding", "right"])
    assert result.exit_code == 0
    assert "Fold the right half back, behind the left half" in result.stdout
    ok = CliRunner().invoke(main, ["verify", "in-print.pdf", "--pages", "16", "--scheme", "quarto",
                                   "--binding", "right"])
    assert ok.exit_code == 0 and "bound on the right" in ok.stdout


# --- build: the sheet decides the page, the booklet's direction the binding --------------

def small_booklet(folder, direction=None):
    folder.mkdir()
    front = f"direction: {direction}\n" if direction else ""
    text = " ".join(f"Word{i} and a few more words to fill the line." for i in range(40))
    (folder / "zine.md").write_text(f"---\ntitle: Sheets\n{front}---\n# One\n\n{text}\n\n# Two\n\n{text}\n",
                                    encoding="utf-8")
    return folder / "zine.md"


def left_edge(pdf, page_index: int) -> float:
    """Where the text of a page starts, in mm from its left edge."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return min(ch["x0"] for ch in document.pages[page_index].chars) / MM


def test_build_on_letter_makes_half_letter_pages_and_rtl_binds_right(tmp_path):
    source = small_booklet(tmp_path / "src", direction="rtl")
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--layout", "a5", "--sheet", "letter",
                                       "-q", "--guide"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (out / "zine-print-guide.pdf").exists()  # --guide works with -q
    page = PdfReader(out / "zine-read.pdf").pages[0]
    assert (float(page.mediabox.width) / MM, float(page.mediabox.height) / MM) == pytest.approx((139.7, 215.9))
    sheet = PdfReader(out / "zine-print.pdf").pages[0]
    assert sorted((float(sheet.mediabox.width) / MM, float(sheet.mediabox.height) / MM)) == \
        pytest.approx([215.9, 279.4])
    pages = len(PdfReader(out / "zine-read.pdf").pages)
    assert left_edge(out / "zine-read.pdf", 2) == pytest.approx(13, abs=0.3)  # page 3, left of the spine: outer 13 mm
    assert PdfReader(out / "zine-read.pdf").trailer["/Root"]["/ViewerPreferences"]["/Direction"] == "/R2L"
    ok = CliRunner().invoke(main, ["verify", str(out / "zine-print.pdf"), "--pages", str(pages),
                                   "--scheme", "saddle-2up", "--binding", "right"])
    assert ok.exit_code == 0, ok.stderr
    left = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--layout", "a5", "--binding", "left"])
    assert left.exit_code == 0 and "pages printed at" not in left.stdout
    assert left_edge(out / "zine-read.pdf", 2) == pytest.approx(16, abs=0.3)  # right of the spine: inner 16 mm
    assert CliRunner().invoke(main, ["verify", str(out / "zine-print.pdf"), "--pages", str(pages),
                                     "--scheme", "saddle-2up"]).exit_code == 0


# --- locked and odd PDFs (issue #14) ---------------------------------------------------------

def locked(tmp_path, algorithm, user=""):
    source = make_numbered_pdf(tmp_path / "plain.pdf", 8)
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
    path = tmp_path / f"locked-{algorithm}.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    return path


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_owner_password_only_pdfs_impose(tmp_path, algorithm):
    source = locked(tmp_path, algorithm)
    assert PdfReader(source).is_encrypted
    out = tmp_path / "out.pdf"
    report = impose_pdf(source, out)
    assert reading_order(fold(out, report)) == list(range(8))


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_user_password_pdfs_get_one_line(tmp_path, algorithm):
    source = locked(tmp_path, algorithm, user="let-me-in")
    with pytest.raises(BookletError, match="encrypted with a password") as info:
        impose_pdf(source, tmp_path / "out.pdf")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "out.pdf").exists()
    runner = CliRunner()
    result = runner.invoke(main, ["verify", str(source), "--pages", "8"])
    assert result.exit_code == 1 and "encrypted with a password" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_page_turned_45_degrees_is_imposed_as_viewers_show_it(tmp_path):
    source = make_numbered_pdf(tmp_path / "in.pdf", 8)
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.pages[2][NameObject("/Rotate")] = NumberObject(45)
    odd = tmp_path / "odd.pdf"
    with open(odd, "wb") as f:
        writer.write(f)
    out = tmp_path / "out.pdf"
    report = impose_pdf(odd, out)
    assert report.warnings == ["page 3 has /Rotate 45, not a multiple of 90: imposed unrotated, as PDF viewers show it"]
    assert reading_order(fold(out, report)) == list(range(8))
    for page in writer.pages:
        page[NameObject("/Rotate")] = NumberObject(45)
    with open(odd, "wb") as f:
        writer.write(f)
    assert impose_pdf(odd, out).warnings == ["8 pages have a /Rotate that is not a multiple of 90 (page 1: 45, "
                                             "page 2: 45, page 3: 45 …): imposed unrotated, as PDF viewers show them"]


def test_summaries_count_in_the_right_number(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_numbered_pdf(tmp_path / "three.pdf", 3)
    result = CliRunner().invoke(main, ["impose", "three.pdf"])
    assert "8 pages (3 from the PDF, 5 blank) on 1 sheet," in result.stdout
    make_numbered_pdf(tmp_path / "mini.pdf", 20, size=paper_size("A7"))
    result = CliRunner().invoke(main, ["impose", "mini.pdf", "--scheme", "mini-zine"])
    assert result.stdout.startswith("24 pages (20 from the PDF, 4 blank) on 3 sheets: 3 separate 8-page zines")


def test_check_counts_one_warning_in_the_singular(tmp_path):
    source = tmp_path / "bell.md"
    source.write_text("---\ntitle: Bell\n---\n# One\n\nA bell\x07 rings once.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("no errors, 1 warning\n")


def test_options_a_scheme_has_no_use_for_are_one_warning(tmp_path):
    source = make_numbered_pdf(tmp_path / "in.pdf", 8, size=paper_size("A7"))
    mini = impose_pdf(source, tmp_path / "mini.pdf", ImposeOptions(scheme="mini-zine", flip="short", group=2))
    assert mini.warnings[-1] == "--flip short, --group do nothing with the mini-zine scheme: ignored"
    cut = impose_pdf(make_numbered_pdf(tmp_path / "a6.pdf", 8), tmp_path / "cut.pdf", ImposeOptions(nest=False))
    assert cut.warnings == ["--gather does nothing with the cut-stack scheme: ignored"]
    quarto = impose_pdf(make_numbered_pdf(tmp_path / "q.pdf", 16), tmp_path / "q-out.pdf",
                        ImposeOptions(scheme="quarto", nest=False))
    assert quarto.warnings == []
