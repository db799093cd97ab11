"""Bleed: an input's TrimBox fills its slot at 100 %, and a full-bleed page cut at its trim has no
white edge (the print PDF rendered, its pixels read along the cut lines)."""

from __future__ import annotations

import pytest
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from booklet.impose import ImposeOptions, impose_pdf
from booklet.impose.geometry import place
from booklet.preview import render_pages
from paper import read_sides, reading_order, simulate

BLEED = 3 * mm
TRIM = (105 * mm, 148 * mm)
DPI = 100
DARK = 100  # a channel value below this is ink, not paper


def full_bleed_pdf(path, count: int):
    """ReportLab A6 pages with 3 mm bleed (as Typst, Scribus and InDesign export them): the
    MediaBox is the bleed box, the TrimBox 3 mm inside; a dark photo-like fill covers the
    whole bleed box, with a big light P{i} label."""
    width, height = TRIM[0] + 2 * BLEED, TRIM[1] + 2 * BLEED
    c = canvas.Canvas(str(path), pagesize=(width, height), invariant=1)
    for i in range(count):
        c.setTrimBox((BLEED, BLEED, BLEED + TRIM[0], BLEED + TRIM[1]))
        c.setBleedBox((0, 0, width, height))
        c.setFillColorRGB(0.1, 0.2, 0.3)
        c.rect(0, 0, width, height, stroke=0, fill=1)
        c.setFillColorRGB(0.9, 0.9, 0.9)
        c.setFont("Helvetica", 28)
        c.drawCentredString(width / 2, height / 2, f"P{i}")
        c.showPage()
    c.save()
    return path


def pixels_along(image: Image.Image, points) -> list[tuple[int, int, int]]:
    return [image.getpixel((min(image.width - 1, max(0, round(x))), min(image.height - 1, max(0, round(y)))))
            for x, y in points]


def edge_samples(rect, sheet_height: float, offset: float, count: int = 40):
    """Points (in pixels) `offset` points outside each edge of `rect` (PDF points, origin bottom
    left; a negative offset is inside), per edge: left, right, bottom, top."""
    k = DPI / 72
    x0, y0, x1, y1 = rect

    def pixel(x, y):
        return x * k, (sheet_height - y) * k

    xs = [x0 + (x1 - x0) * (j + 0.5) / count for j in range(count)]
    ys = [y0 + (y1 - y0) * (j + 0.5) / count for j in range(count)]
    return {
        "left": [pixel(x0 - offset, y) for y in ys], "right": [pixel(x1 + offset, y) for y in ys],
        "bottom": [pixel(x, y0 - offset) for x in xs], "top": [pixel(x, y1 + offset) for x in xs],
    }


def is_ink(pixel) -> bool:
    return max(pixel) < DARK


def test_a_pdf_with_3_mm_bleed_imposes_at_exactly_100_percent_and_folds(tmp_path):
    source = full_bleed_pdf(tmp_path / "bleed.pdf", 16)
    out = tmp_path / "out.pdf"
    report = impose_pdf(source, out)
    assert report.scale == 1.0 and report.warnings == []
    p = report.plan
    sides = read_sides(out, p.rows, p.columns)
    faces = simulate(sides, p.scheme, p.rows, p.columns, landscape=p.landscape, duplex=p.duplex)
    assert reading_order(faces) == list(range(16))


def test_an_empty_trim_or_bleed_box_is_ignored_like_an_outlying_one(tmp_path):
    """A page whose TrimBox or BleedBox is empty (a broken export) is imposed by its crop box,
    as when the box lies outside the page: the other pages' bleed is kept, the file is not
    refused as unreadable (it was, for the one page)."""
    source = full_bleed_pdf(tmp_path / "bleed.pdf", 8)
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.pages[2].trimbox = RectangleObject((50, 50, 50, 50))
    writer.pages[5].bleedbox = RectangleObject((10, 10, 10, 200))
    broken = tmp_path / "broken.pdf"
    writer.write(broken)
    report = impose_pdf(broken, tmp_path / "out.pdf")
    p = report.plan
    sides = read_sides(tmp_path / "out.pdf", p.rows, p.columns)
    faces = simulate(sides, p.scheme, p.rows, p.columns, landscape=p.landscape, duplex=p.duplex)
    assert reading_order(faces) == list(range(8))
    # page 3 has no trim now: its whole (bled) page is scaled into the slot, with a warning
    assert len(report.warnings) == 1 and "(3)" in report.warnings[0]


@pytest.mark.parametrize("scheme, margin", [("cut-stack", 0.0), ("cut-stack", 5 * mm), ("quarto", 5 * mm)])
def test_cut_at_the_trim_box_no_white_edge_bleed_kept_at_cuts_clipped_at_the_fold(tmp_path, scheme, margin):
    source = full_bleed_pdf(tmp_path / "bleed.pdf", 8)
    out = tmp_path / "out.pdf"
    report = impose_pdf(source, out, ImposeOptions(scheme=scheme, printer_margin=margin))
    assert report.scale == pytest.approx(1.0 if not margin else min(1 - 2 * margin / (105 * mm),
                                                                     1 - 2 * margin / (148.5 * mm)))
    sheet = render_pages(out, DPI)[0]
    width, height = report.sheet_size
    box = (0.0, 0.0, TRIM[0] + 2 * BLEED, TRIM[1] + 2 * BLEED)
    trim = (BLEED, BLEED, BLEED + TRIM[0], BLEED + TRIM[1])
    checked = 0
    for slot in report.plan.sides[0].slots:
        placed = place(slot, report.sheet_size, 2, 2, box, 0, report.scale, trim=trim)
        inside = edge_samples(placed.page_rect, height, -1.0)  # 1 pt inside the cut line
        for edge, points in inside.items():
            assert all(map(is_ink, pixels_along(sheet, points))), f"white edge at the {edge} of {slot}"
        if margin:
            outside = edge_samples(placed.page_rect, height, 2 * mm)  # in the gap to the slot edge
            spine = slot.spine
            for edge, points in outside.items():
                ink = [is_ink(p) for p in pixels_along(sheet, points)]
                if edge == spine:
                    assert not any(ink), f"bleed crosses the fold at the {edge} of {slot}"
                else:
                    assert all(ink), f"bleed missing at the {edge} of {slot}"
        checked += 1
    assert checked == 4 and width > 0


# --- booklet's own pages with bleed ---------------------------------------------------------

def bleed_booklet(folder, photo: tuple[int, int] = (555, 770)):
    """A booklet on a layout with `bleed = 3`, with one full-page dark `photo` (by default of
    the bled page's shape, so that it covers the page to the bleed's edge)."""
    import re
    from importlib import resources

    folder.mkdir()
    Image.new("RGB", photo, (20, 40, 70)).save(folder / "night.jpg", quality=90)
    Image.new("RGB", (800, 400), (200, 30, 30)).save(folder / "cover.jpg", quality=90)
    pocket = resources.files("booklet.layout_files").joinpath("pocket.toml").read_text(encoding="utf-8")
    layout, count = re.subn(r"^bleed = 0\b", "bleed = 3", pocket, count=1, flags=re.MULTILINE)
    assert count == 1
    (folder / "bleed.toml").write_text(layout, encoding="utf-8")
    text = " ".join("A line of words that fills the page with text to read." for _ in range(30))
    (folder / "zine.md").write_text(f"---\ntitle: Bleed\nlayout: bleed.toml\ncover_image: cover.jpg\ncover: full\n---\n# Night\n\n{text}\n\n"
                                    f"![](night.jpg){{.full}}\n\n{text}\n", encoding="utf-8")
    return folder / "zine.md"


def test_reading_pdf_with_bleed_shop_pdf_and_print_pdf(tmp_path):
    from click.testing import CliRunner
    from pypdf import PdfReader

    from booklet.cli import main

    source = bleed_booklet(tmp_path / "src")
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--shop"])
    assert result.exit_code == 0, result.output
    assert "pages printed at" not in result.stdout  # the trim fills the A6 slots: 100 %
    reading = PdfReader(out / "zine-read.pdf")
    media = (0.0, 0.0, TRIM[0] + 2 * BLEED, TRIM[1] + 2 * BLEED)
    for page in reading.pages:
        assert tuple(float(v) for v in page.mediabox) == pytest.approx(media)
        assert tuple(float(v) for v in page.bleedbox) == pytest.approx(media)
        assert tuple(float(v) for v in page.trimbox) == pytest.approx((BLEED, BLEED, BLEED + TRIM[0], BLEED + TRIM[1]))
    pages = render_pages(out / "zine-read.pdf", DPI)
    photo = next(i for i, image in enumerate(pages) if is_ink(image.getpixel((image.width // 2, image.height // 2))))
    image = pages[photo]
    edge = [(1, y) for y in range(0, image.height, 20)] + [(image.width - 2, y) for y in range(0, image.height, 20)]
    edge += [(x, 1) for x in range(0, image.width, 20)] + [(x, image.height - 2) for x in range(0, image.width, 20)]
    assert all(is_ink(image.getpixel(p)) for p in edge)  # the photo runs to the edge of the bleed

    def red(pixel):
        return pixel[0] > 150 and pixel[1] < 80 and pixel[2] < 80

    cover = pages[0]
    # `cover: full` (title under the picture) covers the top of the bled page, bleed included
    assert all(red(cover.getpixel(p)) for p in [(1, 1), (cover.width // 2, 1), (cover.width - 2, 1),
                                                 (1, cover.height // 4), (cover.width - 2, cover.height // 4)])

    # cut at the trim on the print sheet: no white edge around the photo's page
    from booklet.impose.plan import plan

    p = plan(len(reading.pages))
    side = next(n for n, s in enumerate(p.sides) if any(slot.page_index == photo for slot in s.slots))
    slot = next(slot for slot in p.sides[side].slots if slot.page_index == photo)
    sheet = render_pages(out / "zine-print.pdf", DPI)[side]
    sheet_size = (210 * mm, 297 * mm)
    placed = place(slot, sheet_size, 2, 2, media, 0, trim=(BLEED, BLEED, BLEED + TRIM[0], BLEED + TRIM[1]))
    for name, points in edge_samples(placed.page_rect, sheet_size[1], -1.0).items():
        assert all(map(is_ink, pixels_along(sheet, points))), name

    shop = PdfReader(out / "zine-shop.pdf")
    assert len(shop.pages) == len(reading.pages)
    import pdfplumber

    with pdfplumber.open(out / "zine-shop.pdf") as pdf:
        for page, plumbed in zip(shop.pages, pdf.pages):
            trim = [float(v) for v in page.trimbox]
            bleed = [float(v) for v in page.bleedbox]
            assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(TRIM)
            assert bleed[0] == pytest.approx(trim[0] - BLEED) and bleed[3] == pytest.approx(trim[3] + BLEED)
            height = float(page.mediabox.height)
            marks = [line for line in plumbed.lines
                     if not (bleed[0] <= line["x0"] <= bleed[2] and bleed[1] <= height - line["top"] <= bleed[3])]
            assert len(marks) == 8  # two at each corner, all outside the bleed


@pytest.mark.parametrize("photo, covers", [((400, 600), True), ((600, 450), False)])
def test_a_full_page_photo_of_about_the_pages_shape_covers_it(tmp_path, photo, covers):
    """A 2:3 photo (7.5 % taller than the bled page's shape) covers the page to every edge of
    the bleed, cut at top and bottom: fitted, it left 1 mm of white inside each side's cut. A
    landscape photo is a plate inside the margins (covering would cut off half of it), white
    all round."""
    from booklet.build import build

    source = bleed_booklet(tmp_path / "src", photo)
    build(source, tmp_path / "out")
    pages = render_pages(tmp_path / "out" / "zine-read.pdf", DPI)
    image = next(page for page in pages if is_ink(page.getpixel((page.width // 2, page.height // 2))))
    sides = [(1, image.height // 2), (image.width - 2, image.height // 2)]
    ends = [(image.width // 2, 1), (image.width // 2, image.height - 2)]
    assert all(is_ink(image.getpixel(p)) for p in sides) == covers
    assert all(is_ink(image.getpixel(p)) for p in ends) == covers
    if not covers:
        assert not any(is_ink(image.getpixel(p)) for p in sides + ends)


def test_crop_marks_start_past_the_bleed(tmp_path):
    import pdfplumber

    source = full_bleed_pdf(tmp_path / "bleed.pdf", 8)
    out = tmp_path / "out.pdf"
    report = impose_pdf(source, out, ImposeOptions(printer_margin=8 * mm, marks=frozenset({"crop"})))
    box = (0.0, 0.0, TRIM[0] + 2 * BLEED, TRIM[1] + 2 * BLEED)
    trim = (BLEED, BLEED, BLEED + TRIM[0], BLEED + TRIM[1])
    height = report.sheet_size[1]
    with pdfplumber.open(out) as pdf:
        lines = pdf.pages[0].lines
    assert lines
    for slot in report.plan.sides[0].slots:
        placed = place(slot, report.sheet_size, 2, 2, box, 0, report.scale, trim=trim)
        assert placed.bleed == pytest.approx(BLEED * report.scale)
        d0, e0, d1, e1 = placed.drawn_rect
        for line in lines:  # no mark on the bleed: each lies wholly outside the drawn area
            x0, x1, y0, y1 = line["x0"], line["x1"], height - line["bottom"], height - line["top"]
            assert x1 <= d0 + 0.01 or x0 >= d1 - 0.01 or y1 <= e0 + 0.01 or y0 >= e1 - 0.01, line
