"""`booklet preview`: PNGs whose count and sizes match the PDFs, and the right pages side by side."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops
from pypdf import PdfReader

from booklet.cli import main
from booklet.impose import ImposeOptions, impose_pdf
from booklet.preview import preview, render_pages, spread_pages
from paper import A6, make_numbered_pdf

DPI = 30


def same(a: Image.Image, b: Image.Image) -> bool:
    """Pixel for pixel the same, but for the outermost columns (where a spread draws its fold)."""
    if a.size != b.size:
        return False
    inner = (1, 0, a.width - 1, a.height)
    return ImageChops.difference(a.convert("RGB").crop(inner), b.convert("RGB").crop(inner)).getbbox() is None


def halves(spread: Image.Image, page_size: tuple[int, int], gap: int = 0) -> tuple[Image.Image, Image.Image]:
    """The two page areas of a two-page picture (its ground margin is the same on every side)."""
    width, height = page_size
    margin = (spread.height - height) // 2
    left = spread.crop((margin, margin, margin + width, margin + height))
    right = spread.crop((margin + width + gap, margin, margin + 2 * width + gap, margin + height))
    return left, right


def test_spread_pages_cover_alone_then_pairs_then_back_alone():
    assert spread_pages(1) == [(None, 0)]
    assert spread_pages(4) == [(None, 0), (1, 2), (3, None)]
    assert spread_pages(5) == [(None, 0), (1, 2), (3, 4)]


@pytest.fixture()
def reading(tmp_path):
    return make_numbered_pdf(tmp_path / "zine-read.pdf", 10)


def test_pages_and_spreads_show_the_right_pages(tmp_path, reading):
    result = preview(reading, tmp_path / "out", kinds=("pages", "spreads"), dpi=DPI)
    pages = [Image.open(p) for p in result.pages]
    assert len(pages) == 10 and not result.sheets and result.contact is not None
    for image in pages:  # the page size at DPI: 105 × 148 mm
        assert abs(image.width - A6[0] * DPI / 72) <= 1 and abs(image.height - A6[1] * DPI / 72) <= 1
    renders = render_pages(reading, DPI)
    assert all(same(a, b) for a, b in zip(pages, renders))
    spreads = [Image.open(p) for p in result.spreads]
    assert len(spreads) == 6  # cover, 2|3, 4|5, 6|7, 8|9, back
    size = pages[0].size
    for spread, (left, right) in zip(spreads, spread_pages(10)):
        shown = halves(spread, size)
        for page_index, half in zip((left, right), shown):
            if page_index is None:
                assert half.getcolors(1) is not None  # one colour: the ground, no page
            else:
                assert same(half, pages[page_index]), (left, right)
    assert not same(pages[1], pages[2])  # the comparison can tell pages apart


def test_right_binding_mirrors_the_spreads(tmp_path, reading):
    result = preview(reading, tmp_path / "out", kinds=("spreads",), dpi=DPI, binding="right")
    pages = render_pages(reading, DPI)
    left, right = halves(Image.open(result.spreads[1]), pages[0].size)
    assert same(left, pages[2]) and same(right, pages[1])  # 3 | 2


def test_sheets_show_front_and_back_side_by_side(tmp_path, reading):
    result = preview(reading, tmp_path / "out", kinds=("sheets",), dpi=DPI)
    printed = tmp_path / "printed.pdf"
    impose_pdf(reading, printed, ImposeOptions())
    sides = render_pages(printed, DPI)
    assert len(result.sheets) == len(PdfReader(printed).pages) // 2 == 2
    for number, path in enumerate(result.sheets):
        picture = Image.open(path)
        margin = (picture.height - sides[0].height) // 2
        front, back = halves(picture, sides[0].size, gap=2 * margin)
        assert same(front, sides[2 * number]) and same(back, sides[2 * number + 1])


def test_cli_on_a_print_pdf_and_a_source(tmp_path, reading, monkeypatch):
    monkeypatch.chdir(tmp_path)
    impose_pdf(reading, tmp_path / "zine-print.pdf", ImposeOptions(scheme="cut-stack", manual_duplex=True))
    result = CliRunner().invoke(main, ["preview", "zine-print.pdf", "--dpi", str(DPI)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "4 sheets: zine-preview\n"  # manual duplex: every side alone
    wrong = CliRunner().invoke(main, ["preview", "zine-print.pdf", "--pages"])
    assert wrong.exit_code == 2 and len(wrong.stderr.strip().splitlines()) == 1
    source = tmp_path / "tiny.md"
    source.write_text("---\ntitle: Tiny\n---\n# One\n\nA short text to preview.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["preview", "tiny.md", "-o", "p", "--dpi", str(DPI)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "p").iterdir())
    assert "tiny-contact.png" in names and "tiny-sheet-1.png" in names and "tiny-page-1.png" in names
    assert not list(tmp_path.glob("tiny-*.pdf"))  # the PDFs were built in a temporary folder
    # the kinds combine: pages and spreads, no sheets (the last flag given used to win alone)
    result = CliRunner().invoke(main, ["preview", "tiny.md", "-o", "q", "--pages", "--spreads", "--dpi", str(DPI)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "q").iterdir())
    assert "tiny-page-1.png" in names and "tiny-contact.png" in names
    assert not any("sheet" in name for name in names)


def test_a_second_preview_into_the_folder_leaves_no_pictures_of_the_first(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_numbered_pdf(tmp_path / "a" / "zine-read.pdf", 12)
    preview(first, tmp_path / "out", dpi=DPI)
    (tmp_path / "out" / "notes.txt").write_text("the user's own", encoding="utf-8")
    second = make_numbered_pdf(tmp_path / "b" / "zine-read.pdf", 8)
    result = preview(second, tmp_path / "out", kinds=("pages", "sheets"), dpi=DPI)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    pages = [n for n in names if "-page-" in n]
    assert pages == sorted(p.name for p in result.pages) and len(pages) == 8  # page-01 … page-12 gone
    assert len([n for n in names if "-sheet-" in n]) == len(result.sheets)
    assert len([n for n in names if "-spread-" in n]) == 7 and "notes.txt" in names  # not asked for: kept


def test_a_larger_page_in_a_pdf_made_elsewhere_is_shown_whole_beside_the_fold(tmp_path):
    """A PDF of mixed page sizes (an A5 foldout among A6 pages): the spreads were drawn in the
    first page's size, so the A5 page was cut to its top left A6 corner."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A6)
    for size in (A6, A6, A5, A6):
        c.setPageSize(size)
        c.setFillGray(0)
        c.rect(0, 0, *size, stroke=0, fill=1)  # black to the edges
        c.showPage()
    c.save()
    result = preview(pdf, tmp_path / "out", kinds=("spreads",), dpi=DPI)
    spread = Image.open(result.spreads[1]).convert("L")  # pages 2|3: A6 on the left, A5 on the right
    black = sum(spread.histogram()[:40])
    page_area = lambda size: (size[0] * DPI / 72) * (size[1] * DPI / 72)
    assert black == pytest.approx(page_area(A6) + page_area(A5), rel=0.03)
    # the smaller left page against the fold: across the middle, black both pages wide but for
    # the fold's line
    middle = [spread.getpixel((x, spread.height // 2)) < 40 for x in range(spread.width)]
    first, last = middle.index(True), len(middle) - 1 - middle[::-1].index(True)
    assert middle[first:last + 1].count(False) <= 1
    assert last + 1 - first == pytest.approx((A6[0] + A5[0]) * DPI / 72, abs=2)


def test_a_source_that_is_neither_markdown_nor_a_pdf_is_named_with_what_preview_takes(tmp_path, monkeypatch):
    """Regression: "expected a Markdown file (.md) or a booklet folder", build's message, left
    out the PDF that preview also takes."""
    (tmp_path / "my.toml").write_text("[page]\nsize = \"A6\"\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview", "my.toml"])
    assert result.exit_code == 1
    assert result.stderr == "booklet: my.toml: expected a Markdown file (.md), a booklet folder or a PDF\n"
    assert not (tmp_path / "my-preview").exists()


def test_a_shop_pdf_is_pages_to_preview_and_impose_not_a_print_pdf(tmp_path, monkeypatch):
    """A shop PDF places one page a sheet, with its crop marks: a copy shop imposes it. Regression:
    preview took it for a print PDF (16 'sheets', no pages or spreads)."""
    from booklet.impose.shop import write_shop_pdf

    make_numbered_pdf(tmp_path / "zine-read.pdf", 8)
    write_shop_pdf(tmp_path / "zine-read.pdf", tmp_path / "zine-shop.pdf")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview", "zine-shop.pdf", "--dpi", "20"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("8 pages, 5 spreads, 1 sheet, a contact sheet"), result.stdout
    result = CliRunner().invoke(main, ["impose", "zine-shop.pdf", "-q"])
    assert result.exit_code == 0 and (tmp_path / "zine-shop-print.pdf").is_file(), result.output
