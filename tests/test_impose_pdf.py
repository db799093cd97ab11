"""The print PDF as a file: sizes, viewer preferences, sharing, reproducibility, errors,
printer margins, creep, marks."""

from __future__ import annotations

import os
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from booklet.errors import BookletError
from booklet.impose import ImposeOptions, impose_pdf, marks, write_guide, write_testsheet
from booklet.impose.geometry import creep_shift, slot_rect
from booklet.impose.plan import plan
from booklet.impose.slots import Slot
from booklet.impose.writer import read_print_pdf
from booklet.paper import MM, paper_size
from paper import A6, make_numbered_pdf

A4_MM = (210.0, 297.0)


def sizes_mm(path):
    return [(float(p.mediabox.width) / MM, float(p.mediabox.height) / MM) for p in PdfReader(path).pages]


@pytest.fixture
def numbered(tmp_path):
    return lambda count=16, **kw: make_numbered_pdf(tmp_path / f"in{count}.pdf", count, **kw)


def test_sheets_are_exactly_a4(numbered, tmp_path):
    out = tmp_path / "out.pdf"
    report = impose_pdf(numbered(20), out)
    assert report.sheets == 3 and report.blanks == 4 and report.pages == 20
    for w, h in sizes_mm(out):
        assert abs(w - 210) < 0.01 and abs(h - 297) < 0.01
    page = PdfReader(out).pages[0]
    assert float(page.mediabox.width) == pytest.approx(595.2756, abs=1e-3)
    assert float(page.mediabox.height) == pytest.approx(841.8898, abs=1e-3)


def test_landscape_schemes_and_letter_for_quarter_letter(numbered, tmp_path):
    impose_pdf(numbered(8, size=(148 * mm, 210 * mm)), tmp_path / "a5.pdf", ImposeOptions(scheme="saddle-2up"))
    assert all(abs(w - 297) < 0.01 and abs(h - 210) < 0.01 for w, h in sizes_mm(tmp_path / "a5.pdf"))
    quarter = paper_size("quarter-letter")
    src = make_numbered_pdf(tmp_path / "ql.pdf", 8, size=quarter)
    impose_pdf(src, tmp_path / "ql-print.pdf")
    assert all(abs(w - 215.9) < 0.01 and abs(h - 279.4) < 0.01 for w, h in sizes_mm(tmp_path / "ql-print.pdf"))
    impose_pdf(src, tmp_path / "ql-a4.pdf", ImposeOptions(sheet_size=paper_size("A4")))
    assert all(abs(w - 210) < 0.01 for w, _ in sizes_mm(tmp_path / "ql-a4.pdf"))


def test_imposes_from_bytes_as_from_the_file(numbered, tmp_path):
    """The build hands over the reading PDF it has just made; the sheets are the same."""
    source = numbered(12)
    impose_pdf(source, tmp_path / "from-file.pdf")
    impose_pdf(tmp_path / "not-on-disk.pdf", tmp_path / "from-bytes.pdf", data=source.read_bytes())
    assert (tmp_path / "from-bytes.pdf").read_bytes() == (tmp_path / "from-file.pdf").read_bytes()
    with pytest.raises(BookletError, match="not-on-disk.pdf.*not a readable PDF"):
        impose_pdf(tmp_path / "not-on-disk.pdf", tmp_path / "x.pdf", data=b"%PDF-1.4 garbage")


@pytest.mark.parametrize("flip, manual, expected", [
    ("long", False, "/DuplexFlipLongEdge"), ("short", False, "/DuplexFlipShortEdge"), ("long", True, "/Simplex")])
def test_viewer_preferences(numbered, tmp_path, flip, manual, expected):
    out = tmp_path / "out.pdf"
    impose_pdf(numbered(), out, ImposeOptions(flip=flip, manual_duplex=manual))
    prefs = PdfReader(out).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == expected
    assert prefs["/PrintScaling"] == "/None"


def test_output_is_reproducible(numbered, tmp_path):
    source = numbered(24)
    impose_pdf(source, tmp_path / "a.pdf", ImposeOptions(marks=frozenset(marks.MARKS), creep=0.1 * MM))
    impose_pdf(source, tmp_path / "b.pdf", ImposeOptions(marks=frozenset(marks.MARKS), creep=0.1 * MM))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def embedded_font_pdf(path: Path, count: int) -> Path:
    from booklet.fonts import face_name

    font = face_name("Gentium Book Plus")
    c = canvas.Canvas(str(path), pagesize=A6, invariant=1)
    for i in range(count):
        c.setFont(font, 9.5)
        for line in range(20):
            c.drawString(30, 380 - 14 * line, f"Page {i + 1}, line {line}: the quick brown fox jumps — ї є ґ.")
        c.showPage()
    c.save()
    return path


def test_fonts_stored_once_and_output_not_bigger(tmp_path):
    source = embedded_font_pdf(tmp_path / "font.pdf", 64)
    out = tmp_path / "font-print.pdf"
    impose_pdf(source, out)
    assert out.stat().st_size <= 1.02 * source.stat().st_size
    reader = PdfReader(out)
    font_files = set()
    for page in reader.pages:
        for form in page["/Resources"]["/XObject"].values():
            for font in form.get_object()["/Resources"]["/Font"].values():
                descendant = font.get_object()
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is not None:
                    font_files.add(descriptor.get_object().raw_get("/FontFile2").idnum)
    assert len(font_files) == 1
    with pdfplumber.open(out) as pdf:
        assert "Page 1, line 0" in pdf.pages[0].extract_text()


def test_form_xobjects_shared_not_copied(numbered, tmp_path):
    out = tmp_path / "out.pdf"
    impose_pdf(numbered(16), out)
    reader = PdfReader(out)
    refs = [ref.idnum for page in reader.pages for ref in page["/Resources"]["/XObject"].values()]
    assert len(refs) == len(set(refs)) == 16


def test_wrong_size_pages_scaled_with_warning_or_refused(tmp_path):
    source = make_numbered_pdf(tmp_path / "a5.pdf", 8, size=(148 * mm, 210 * mm))
    report = impose_pdf(source, tmp_path / "out.pdf")
    assert any("scaled to fit" in w and "try --scheme saddle-2up" in w for w in report.warnings)
    assert report.scale == pytest.approx(min(105 / 148, 148.5 / 210), rel=1e-3)
    with pytest.raises(BookletError, match="--strict"):
        impose_pdf(source, tmp_path / "strict.pdf", ImposeOptions(strict=True))
    assert not (tmp_path / "strict.pdf").exists()


def test_scales_that_print_alike_are_one_scale(tmp_path):
    """A5 portrait pages (70.7 %) and A6 landscape ones (70.9 %) both print as 71 %: the warning
    says it once (regression: "scaled to fit (71% to 71%)")."""
    source = make_numbered_pdf(tmp_path / "mixed.pdf", 3, sizes=[A6, (148 * mm, 210 * mm), (148 * mm, 105 * mm)])
    report = impose_pdf(source, tmp_path / "out.pdf")
    assert report.warnings[0].endswith("scaled to fit (71%)"), report.warnings


def test_mixed_page_sizes_handled_per_page(tmp_path):
    sizes = [A6, (148 * mm, 210 * mm), A6, (90 * mm, 120 * mm)] * 2
    source = make_numbered_pdf(tmp_path / "mixed.pdf", 8, sizes=sizes)
    out = tmp_path / "out.pdf"
    report = impose_pdf(source, out)
    # the A5 ones shrunk below 95 %, the 90 × 120 mm ones enlarged above 105 %
    assert report.warnings[0].startswith("4 pages (2, 4, 6, 8) are not 105 × 148 mm like their slots: "
                                         "scaled to fit (71% to 117%)")
    for (w, h), placements in read_print_pdf(out):
        assert len(placements) == 4
    # every page fits inside its slot
    p = report.plan
    for side, (_, placements) in zip(p.sides, read_print_pdf(out)):
        for page_index, rotation, x, y in placements:
            slot = next(s for s in side.slots if s.page_index == page_index)
            x0, y0, x1, y1 = slot_rect(report.sheet_size, 2, 2, slot.row, slot.column)
            assert x0 < x < x1 and y0 < y < y1


# --- errors -------------------------------------------------------------------------------

def encrypted(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(298, 420)
    writer.encrypt("secret", algorithm="RC4-128")
    with open(path, "wb") as f:
        writer.write(f)
    return path


def empty(path: Path) -> Path:
    with open(path, "wb") as f:
        PdfWriter().write(f)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: p, "file not found"),
    (encrypted, "encrypted"),
    (lambda p: (p.write_bytes(b"%PDF-1.4\nthis is not a pdf at all\n"), p)[1], "not a readable PDF"),
    (lambda p: (p.write_text("hello"), p)[1], "not a PDF file"),
    (empty, "no pages"),
])
def test_bad_inputs_name_the_file_and_leave_nothing(tmp_path, make, message):
    source = make(tmp_path / "bad.pdf")
    out = tmp_path / "bad-print.pdf"
    with pytest.raises(BookletError, match=message) as info:
        impose_pdf(source, out)
    assert str(info.value).startswith(str(tmp_path / "bad.pdf"))
    assert sorted(os.listdir(tmp_path)) == (["bad.pdf"] if source.exists() else [])


def test_truncated_pdf_is_an_error_or_imposes_cleanly(numbered, tmp_path):
    good = numbered(16).read_bytes()
    source = tmp_path / "cut.pdf"
    source.write_bytes(good[: len(good) // 3])
    try:
        impose_pdf(source, tmp_path / "cut-print.pdf")
    except BookletError as exc:
        assert str(exc).startswith(str(source))
        assert not (tmp_path / "cut-print.pdf").exists()


def test_existing_output_untouched_on_error(numbered, tmp_path):
    out = tmp_path / "out.pdf"
    out.write_bytes(b"previous")
    with pytest.raises(BookletError):
        impose_pdf(empty(tmp_path / "empty.pdf"), out)
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.pdf", "out.pdf"]


def test_failure_while_writing_leaves_no_temporary_file(numbered, tmp_path, monkeypatch):
    from booklet.impose import writer

    def boom(self, stream):
        stream.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(writer.PdfWriter, "write", boom)
    out = tmp_path / "out.pdf"
    with pytest.raises(BookletError, match="disk full"):
        impose_pdf(numbered(8), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in8.pdf"]


def test_output_may_replace_its_input(numbered, tmp_path):
    source = numbered(8)
    impose_pdf(source, source)
    assert len(PdfReader(source).pages) == 2


# --- printer margin, creep, marks ---------------------------------------------------------

def test_printer_margin_keeps_all_content_inside(tmp_path):
    source = make_numbered_pdf(tmp_path / "full.pdf", 16)
    # a frame at the very edge of every page: the worst case for the unprintable border
    c = canvas.Canvas(str(tmp_path / "edge.pdf"), pagesize=A6, invariant=1)
    for i in range(16):
        c.rect(0, 0, A6[0], A6[1], stroke=0, fill=1)
        c.showPage()
    c.save()
    margin = 5 * MM
    out = tmp_path / "out.pdf"
    report = impose_pdf(tmp_path / "edge.pdf", out, ImposeOptions(printer_margin=margin))
    assert report.scale == pytest.approx(min((105 - 10) / 105, (148.5 - 10) / 148.5), rel=1e-6)
    assert any("shrunk" in line for line in report.instructions)
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            for rect in page.rects:
                assert rect["x0"] >= margin - 0.01 and rect["x1"] <= page.width - margin + 0.01
                assert rect["top"] >= margin - 0.01 and rect["bottom"] <= page.height - margin + 0.01
            assert abs(float(page.width) - 595.2756) < 0.001  # the sheet stays A4
    del source


def test_creep_offsets_per_leaf(tmp_path):
    thickness = 0.1 * MM
    assert creep_shift(Slot(0, 0, 0, leaf=0, spine="right"), thickness) == 0
    assert creep_shift(Slot(0, 0, 0, leaf=3, spine="right"), thickness) == pytest.approx(0.3 * MM)
    assert creep_shift(Slot(0, 0, 1, leaf=3, spine="left"), thickness) == pytest.approx(-0.3 * MM)
    assert creep_shift(Slot(0, 0, 1, leaf=3, spine=None), thickness) == 0

    out = tmp_path / "out.pdf"
    report = impose_pdf(make_numbered_pdf(tmp_path / "in.pdf", 32), out, ImposeOptions(creep=thickness))
    w = report.sheet_size[0]
    for side, (_, placements) in zip(report.plan.sides, read_print_pdf(out)):
        for page_index, _, x, _ in placements:
            slot = next(s for s in side.slots if s.page_index == page_index)
            slot_centre = w / 4 if slot.column == 0 else 3 * w / 4
            toward_spine = (x - slot_centre) if slot.column == 0 else (slot_centre - x)
            assert toward_spine == pytest.approx(slot.leaf * thickness, abs=1e-3)
    assert {s.leaf for side in report.plan.sides for s in side.slots} == set(range(8))


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("scheme, size", [("cut-stack", A6), ("quarto", A6), ("saddle-2up", (148 * mm, 210 * mm)),
                                          ("mini-zine", (74 * mm, 105 * mm))])
@pytest.mark.parametrize("margin", [0.0, 4 * MM])
def test_marks_inside_the_sheet_and_off_page_content(tmp_path, scheme, size, margin):
    out = tmp_path / "out.pdf"
    impose_pdf(make_numbered_pdf(tmp_path / "in.pdf", 16, size=size), out,
               ImposeOptions(scheme=scheme, marks=frozenset(marks.MARKS), printer_margin=margin))
    with pdfplumber.open(out) as pdf:
        seen = 0
        for page in pdf.pages:
            w, h = float(page.width), float(page.height)
            content = [(c["x0"] - 1, c["top"] - 1, c["x1"] + 1, c["bottom"] + 1) for c in page.chars]
            for shape in page.lines + page.rects + page.curves:
                seen += 1
                box = (shape["x0"], shape["top"], shape["x1"], shape["bottom"])
                assert -0.5 <= box[0] and box[2] <= w + 0.5 and -0.5 <= box[1] and box[3] <= h + 0.5
                assert not any(overlaps(box, c) for c in content), (box, scheme)
        assert seen


def test_collation_labels_and_crop_marks_geometry():
    p = plan(32)
    sheet = paper_size("A4")
    side = p.sides[0]
    clips = [slot_rect(sheet, 2, 2, s.row, s.column) for s in side.slots]
    full = marks.sheet_marks(p, side, sheet, clips, clips, frozenset(marks.MARKS))
    # pages fill their slots: no crop marks; everything else on the cut, the fold or the spine
    for mark in full:
        x0, x1 = sorted((mark.x0, mark.x1))
        y0, y1 = sorted((mark.y0, mark.y1))
        on_cut = y0 == y1 == sheet[1] / 2
        near_spine = abs(x0 - sheet[0] / 2) <= marks.COLLATE_HALF_WIDTH and abs(x1 - sheet[0] / 2) <= marks.COLLATE_HALF_WIDTH
        assert on_cut or near_spine, mark
    shrunk = [(x0 + 10, y0 + 10, x1 - 10, y1 - 10) for x0, y0, x1, y1 in clips]
    crops = marks.sheet_marks(p, side, sheet, shrunk, clips, frozenset({"crop"}))
    assert len(crops) == 4 * 8
    for line in crops:
        assert not any(overlaps((min(line.x0, line.x1), min(line.y0, line.y1), max(line.x0, line.x1) + 0.01,
                                 max(line.y0, line.y1) + 0.01), r) for r in shrunk)


def test_trim_box_is_the_placed_pages(numbered, tmp_path):
    out = tmp_path / "out.pdf"
    impose_pdf(numbered(8, size=(95 * mm, 138 * mm)), out, ImposeOptions(strict=False))
    page = PdfReader(out).pages[0]
    trim = [float(v) for v in page.trimbox]
    assert trim[0] > 0 and trim[2] < float(page.mediabox.width)


# --- guide and test sheet -------------------------------------------------------------------

def test_guide_and_testsheet(numbered, tmp_path):
    report = impose_pdf(numbered(20), tmp_path / "out.pdf", ImposeOptions(group=1))
    write_guide(report, tmp_path / "guide.pdf")
    with pdfplumber.open(tmp_path / "guide.pdf") as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert "20 pages + 4 blank on 3 sheets" in text and "nest" in text.lower()
    write_guide(impose_pdf(numbered(24), tmp_path / "out24.pdf"), tmp_path / "guide24.pdf")
    with pdfplumber.open(tmp_path / "guide24.pdf") as pdf:
        assert "24 pages on 3 sheets" in pdf.pages[0].extract_text()  # no "+ 0 blank"
    write_testsheet(tmp_path / "test.pdf")
    reader = PdfReader(tmp_path / "test.pdf")
    assert len(reader.pages) == 2
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/PrintScaling"] == "/None"
    assert all(abs(w - 210) < 0.01 and abs(h - 297) < 0.01 for w, h in sizes_mm(tmp_path / "test.pdf"))
    with pdfplumber.open(tmp_path / "test.pdf") as pdf:
        assert "--flip long" in pdf.pages[1].extract_text()
    for font in PdfReader(tmp_path / "test.pdf").pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object().get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor.get_object()


def test_crop_box_with_offset_origin_is_placed_by_what_shows(tmp_path):
    """A page whose MediaBox/CropBox does not start at 0 0 (common after cropping tools)."""
    source = make_numbered_pdf(tmp_path / "in.pdf", 8)
    writer = PdfWriter(clone_from=source)
    for page in writer.pages:
        page.mediabox.lower_left = (-50, -70)
        page.mediabox.upper_right = (A6[0] + 50, A6[1] + 70)
        page.cropbox.lower_left = (0, 0)
        page.cropbox.upper_right = A6
    shifted = tmp_path / "shifted.pdf"
    with open(shifted, "wb") as f:
        writer.write(f)
    report = impose_pdf(shifted, tmp_path / "out.pdf")
    assert report.scale == 1.0 and not any("scaled" in w for w in report.warnings)
    from paper import read_sides

    sides = read_sides(tmp_path / "out.pdf", 2, 2)
    assert sides[0][(0, 1)].page_index == 0 and sides[0][(0, 1)].rotation == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_files_give_a_booklet_error_or_a_good_result(tmp_path, data):
    """Bytes flipped anywhere in a valid PDF: a clean one-line error or a complete output,
    never a traceback or a partial file."""
    good = make_numbered_pdf(tmp_path / "good.pdf", 9).read_bytes()
    damaged = bytearray(good)
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(damaged) // 2, len(damaged)))
    source = tmp_path / "damaged.pdf"
    source.write_bytes(bytes(damaged[:cut]))
    out = tmp_path / "damaged-print.pdf"
    out.unlink(missing_ok=True)
    try:
        impose_pdf(source, out)
    except BookletError as exc:
        assert str(exc).startswith(str(source)) or str(exc).startswith(str(out))
        assert not out.exists()
    else:  # pypdf repaired what it could: a complete print PDF of the pages it found
        sides = len(PdfReader(out).pages)
        assert sides % 2 == 0 and 2 <= sides <= 4
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_inherited_resources_and_split_content_streams(tmp_path):
    """Producers that keep /Resources on the page tree and split page content into several
    streams: the pages still come out whole."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    source = make_numbered_pdf(tmp_path / "in.pdf", 8)
    writer = PdfWriter(clone_from=source)
    pages_root = writer._root_object["/Pages"].get_object()
    pages_root[NameObject("/Resources")] = writer.pages[0]["/Resources"]
    for page in writer.pages:
        data = page.get_contents().get_data()
        middle = data.index(b"BT", 5)  # split between two text objects
        parts = []
        for chunk in (data[:middle], data[middle:]):
            stream = DecodedStreamObject()
            stream.set_data(chunk)
            parts.append(writer._add_object(stream))
        page[NameObject("/Contents")] = ArrayObject(parts)
        del page["/Resources"]
    odd = tmp_path / "odd.pdf"
    with open(odd, "wb") as f:
        writer.write(f)
    out = tmp_path / "out.pdf"
    impose_pdf(odd, out)
    from paper import read_sides

    sides = read_sides(out, 2, 2)
    assert {tile.page_index for side in sides for tile in side.values()} == set(range(8))


def test_a_missing_output_folder_is_created_with_its_parents(numbered, tmp_path):
    """Issue #11: `-o` into a folder that is not there yet makes it."""
    impose_pdf(numbered(8), tmp_path / "new" / "deeper" / "out.pdf")
    assert len(PdfReader(tmp_path / "new" / "deeper" / "out.pdf").pages) == 2
    assert [p.name for p in (tmp_path / "new" / "deeper").iterdir()] == ["out.pdf"]


def test_guide_and_testsheet_are_reproducible(numbered, tmp_path):
    report = impose_pdf(numbered(12), tmp_path / "out.pdf")
    write_guide(report, tmp_path / "g1.pdf")
    write_guide(report, tmp_path / "g2.pdf")
    assert (tmp_path / "g1.pdf").read_bytes() == (tmp_path / "g2.pdf").read_bytes()
    write_testsheet(tmp_path / "t1.pdf")
    write_testsheet(tmp_path / "t2.pdf")
    assert (tmp_path / "t1.pdf").read_bytes() == (tmp_path / "t2.pdf").read_bytes()
