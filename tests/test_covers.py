"""The covers: the built-in one (inline picture, full-page picture with the title over or under
it, contents on the cover or on page 2), a Markdown cover, a PDF or image made elsewhere used
as it is, and a back cover of the user's own."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image
from reportlab.lib.pagesizes import A5, A6
from reportlab.pdfgen import canvas as pdf_canvas

from booklet.build import check
from booklet.cli import main
from booklet.layouts import builtin_layouts
from building import build_reading_pdf

ARTICLES = ("# The Long Table\n\nWe fold on Thursdays and staple on Fridays.\n",
            "# Ink and Drum\n\nThe drum turns and the paper comes out warm.\n")


def write_booklet(folder: Path, metadata: str = "", cover_layout: str | None = None) -> Path:
    """A folder booklet of two short articles; `cover_layout` is a [cover] table for a copy of pocket."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(ARTICLES):
        (folder / f"{number}.md").write_text(text, encoding="utf-8")
    if cover_layout is not None:
        pocket = builtin_layouts()["pocket"].read_text(encoding="utf-8")
        table = re.compile(r"^\[cover\]\n(?:[^\[\n].*\n)*", re.M)
        (folder / "mine.toml").write_text(table.sub(f"[cover]\n{cover_layout}\n\n", pocket), encoding="utf-8")
        metadata += "layout: mine.toml\n"
    (folder / "booklet.yaml").write_text(
        "title: Long Tables\nsubtitle: Notes from the back room\nauthor: The Folding Club\n"
        "publisher: Back Room Press\ndate: May 2026\ncontacts:\n  - fold@example.org\n"
        f"articles:\n  - 0.md\n  - 1.md\n{metadata}", encoding="utf-8")
    return folder


def photo(path: Path, size=(1200, 900)) -> Path:
    image = Image.new("RGB", size, (40, 90, 140))
    image.paste((230, 180, 60), (0, size[1] // 2, size[0], size[1]))
    image.save(path, quality=90)
    return path


def words_with_top(pdf: Path, page_index: int) -> dict[str, float]:
    """Each word of the page and the top of its first occurrence (points from the top edge)."""
    with pdfplumber.open(pdf) as document:
        words: dict[str, float] = {}
        for word in document.pages[page_index].extract_words():
            words.setdefault(word["text"], word["top"])
        return words


def page_images(pdf: Path, page_index: int) -> list[dict]:
    with pdfplumber.open(pdf) as document:
        return list(document.pages[page_index].images)


def page_text(pdf: Path, page_index: int) -> str:
    with pdfplumber.open(pdf) as document:
        return document.pages[page_index].extract_text()


def test_built_in_cover_with_its_picture_contents_and_imprint_at_the_foot(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover_image: photo.jpg\n")
    photo(folder / "photo.jpg")
    pdf = build_reading_pdf(folder)
    words = words_with_top(pdf, 0)
    (image,) = page_images(pdf, 0)
    height = float(pypdf.PdfReader(pdf).pages[0].mediabox.height)
    assert words["Long"] < image["top"]  # the title above the picture
    assert image["bottom"] < words["Ink"]  # the contents below it
    assert words["fold@example.org"] > height * 0.8  # the imprint at the foot
    assert "Contents" not in words
    # as much space between the author's line and the picture as between it and the contents:
    # it touched the author's line (0.2 mm), with two lines of space under it
    with pdfplumber.open(pdf) as document:
        author = max(w["bottom"] for w in document.pages[0].extract_words() if w["text"] == "Club")
    above, below = image["top"] - author, words["Table"] - image["bottom"]  # the first contents line
    assert above > 6 and below < 1.6 * above, (above, below)  # (each holds part of a line's leading)


def test_full_page_picture_with_the_title_under_it_and_the_contents_on_page_two(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover_image: photo.jpg\ncover: full\n")
    photo(folder / "photo.jpg")
    pdf = build_reading_pdf(folder)
    page = pypdf.PdfReader(pdf).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    (image,) = page_images(pdf, 0)
    # the picture runs off the top and both sides (it is cropped to them) and covers 62 % of the page
    assert image["x0"] <= 0.01 and image["x1"] >= width - 0.01 and image["top"] <= 0.01
    assert image["bottom"] == pytest.approx(0.62 * height, abs=0.5)
    words = words_with_top(pdf, 0)
    assert image["bottom"] < words["Long"] < words["Notes"] < words["Press"]
    assert words["Press"] > height * 0.85  # the imprint line at the foot; the contacts go on the back
    assert "Ink" not in words and "fold@example.org" not in words
    contents = words_with_top(pdf, 1)
    assert contents["Contents"] < contents["Long"] < contents["Ink"]


def test_full_page_picture_with_a_white_title_over_it(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover_image: photo.jpg\ncover: full\n",
                           cover_layout='title = "over"\ntitle_color = "#ffffff"')
    photo(folder / "photo.jpg")
    pdf = build_reading_pdf(folder)
    height = float(pypdf.PdfReader(pdf).pages[0].mediabox.height)
    (image,) = page_images(pdf, 0)
    assert image["top"] <= 0.01 and image["bottom"] >= height - 0.01  # the whole page
    with pdfplumber.open(pdf) as document:
        chars = document.pages[0].chars
    title = [c for c in chars if c["top"] < height / 3]
    assert "".join(c["text"] for c in title).startswith("Long Tables")
    assert all(tuple(c["non_stroking_color"]) == (1, 1, 1) for c in title)  # white, as the layout says
    page = pypdf.PdfReader(pdf).pages[0]
    alphas = {float(state.get("/ca", 1)) for state in page["/Resources"].get("/ExtGState", {}).values()}
    assert 0.5 in alphas and 1.0 in alphas  # a translucent band under the title, the title opaque


@pytest.mark.parametrize("title", ["over", "under"])
def test_a_white_title_on_the_paper_is_warned(tmp_path, title):
    folder = write_booklet(tmp_path / "b", "cover_image: photo.jpg\ncover: full\n",
                           cover_layout=f'title = "{title}"\ntitle_color = "#ffffff"')
    photo(folder / "photo.jpg")
    warned = [p for p in check(folder) if "title_color is too light" in p.message]
    assert len(warned) == (title == "under") and all(p.severity == "warning" for p in warned)


def test_a_markdown_cover(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover: cover.md\n")
    (folder / "cover.md").write_text("# Fold Here\n\nA zine about *tables*, made by hand.\n", encoding="utf-8")
    pdf = build_reading_pdf(folder)
    first = page_text(pdf, 0)
    assert first.startswith("Fold Here") and "made by hand" in first and "Ink" not in first
    assert "Ink and Drum" in page_text(pdf, 1)  # the contents, on page 2
    with pdfplumber.open(pdf) as document:
        title_size = max(c["size"] for c in document.pages[0].chars)
    assert title_size == pytest.approx(20)  # the cover_title style


def made_pdf(path: Path, size=A6) -> Path:
    drawing = pdf_canvas.Canvas(str(path), pagesize=size)
    drawing.setFillColorRGB(0.9, 0.2, 0.3)
    drawing.rect(10, 10, size[0] - 20, size[1] - 20, stroke=0, fill=1)
    drawing.setFillColorRGB(1, 1, 1)
    drawing.setFont("Helvetica-Bold", 18)
    drawing.drawString(20, size[1] / 2, "MADE ELSEWHERE")
    drawing.save()
    return path


def test_a_pdf_cover_is_page_one_as_it_is(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover: front.pdf\n")
    made_pdf(folder / "front.pdf")
    pdf = build_reading_pdf(folder)
    reader = pypdf.PdfReader(pdf)
    first, second = reader.pages[0], reader.pages[1]
    assert (float(first.mediabox.width), float(first.mediabox.height)) == pytest.approx(A6, abs=0.01)
    assert (first.mediabox.width, first.mediabox.height) == (second.mediabox.width, second.mediabox.height)
    assert page_text(pdf, 0) == "MADE ELSEWHERE"
    with pdfplumber.open(pdf) as document:
        (rect,) = document.pages[0].rects
        assert (rect["x0"], rect["top"]) == pytest.approx((10, 10), abs=0.01)  # not moved, not scaled
    assert len(reader.pages) % 8 == 0 and "Ink and Drum" in page_text(pdf, 1)


def test_a_pdf_cover_of_another_size_is_scaled_to_the_page_with_a_warning(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover: front.pdf\n")
    made_pdf(folder / "front.pdf", size=A5)
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "front.pdf is not the size of the page: it is scaled to fit" in result.output
    with pdfplumber.open(out / "b-read.pdf") as document:
        (rect,) = document.pages[0].rects
        scale = min(A6[0] / A5[0], A6[1] / A5[1])  # fitted whole, centred
        assert rect["x0"] == pytest.approx((A6[0] - A5[0] * scale) / 2 + 10 * scale, abs=0.05)
        assert rect["width"] == pytest.approx((A5[0] - 20) * scale, abs=0.05)


def test_an_image_cover_fills_the_page_as_it_is(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover: front.png\n")
    Image.new("RGB", (1240, 1748), (200, 60, 90)).save(folder / "front.png")  # A6 at 300 ppi
    pdf = build_reading_pdf(folder)
    page = pypdf.PdfReader(pdf).pages[0]
    (image,) = page_images(pdf, 0)
    assert (image["x0"], image["top"]) == pytest.approx((0, 0), abs=0.3)
    assert (image["x1"], image["bottom"]) == pytest.approx((float(page.mediabox.width),
                                                            float(page.mediabox.height)), abs=0.3)
    assert page_text(pdf, 0) == ""


def test_a_markdown_back_cover_on_the_last_page(tmp_path):
    folder = write_booklet(tmp_path / "b", "back: back.md\n")
    (folder / "back.md").write_text("Printed on the long table.\n\n**Fold with care.**\n", encoding="utf-8")
    pdf = build_reading_pdf(folder)
    count = len(pypdf.PdfReader(pdf).pages)
    last = page_text(pdf, count - 1)
    assert "Printed on the long table." in last and "Fold with care." in last
    assert "Back Room Press" not in last  # instead of the built-in colophon


def test_without_an_articles_list_the_cover_and_back_files_are_not_articles_too(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover: cover.md\nback: back.md\n")
    config = folder / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("articles:\n  - 0.md\n  - 1.md\n", ""),
                      encoding="utf-8")
    (folder / "cover.md").write_text("# Fold Here\n\nA zine made by hand.\n", encoding="utf-8")
    (folder / "back.md").write_text("Printed on the long table.\n", encoding="utf-8")
    pdf = build_reading_pdf(folder)
    pages = [page_text(pdf, n) for n in range(len(pypdf.PdfReader(pdf).pages))]
    assert sum("made by hand" in text for text in pages) == 1 and "made by hand" in pages[0]
    assert sum("Printed on the long table" in text for text in pages) == 1 and "long table" in pages[-1]
    assert "Fold Here" not in pages[1]  # not in the contents


def test_a_markdown_back_cover_with_a_list_and_a_quote(tmp_path):
    """They flow from the top of the back page (they crashed the build: the block set at the
    foot stacks paragraphs only)."""
    folder = write_booklet(tmp_path / "b", "back: back.md\n")
    (folder / "back.md").write_text("Write to us:\n\n- one@example.org\n- two@example.org\n\n> Fold with care.\n",
                                    encoding="utf-8")
    pdf = build_reading_pdf(folder)
    last = page_text(pdf, len(pypdf.PdfReader(pdf).pages) - 1)
    for line in ("Write to us:", "one@example.org", "two@example.org", "Fold with care."):
        assert line in last


@pytest.mark.parametrize(("metadata", "layout", "message"), [
    ("cover: full\n", None, r"booklet\.yaml:\d+: `cover: full` sets the cover over a full-page picture"),
    ("cover: front.docx\n", None, r"booklet\.yaml:\d+: 'cover' must be full, built-in, a Markdown file"),
    ("back: gone.md\n", None, r"booklet\.yaml:\d+: back file not found: gone\.md"),
    ("", 'title_color = "white"', r"mine\.toml:\d+: \[cover\] title_color must be a colour written \"#rrggbb\""),
    ("cover: broken.pdf\n", None, r"booklet\.yaml:\d+: broken\.pdf: not a readable PDF"),
    ("back: runes.md\n", None, r"runes\.md:3: no font has a glyph for 'ᚠ'"),
])
def test_cover_mistakes_are_one_line_each(tmp_path, metadata, layout, message):
    folder = write_booklet(tmp_path / "b", metadata, cover_layout=layout)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (folder / "runes.md").write_text("# Runes\n\nA rune: \u16a0.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 1 and re.search(message, result.output), result.output


@pytest.mark.parametrize(("metadata", "message"), [
    ("back: back.md\n", r"^booklet: .*back\.md: the back cover does not fit on one page \(it runs over \d+\)"),
    ("contacts:\n" + "".join(f"  - person{n}@example.org\n" for n in range(40)),
     r"^booklet: .*booklet\.yaml: the front cover does not fit on one page .*or the list of contacts"),
])
def test_a_cover_longer_than_its_page_is_an_error(tmp_path, metadata, message):
    """It ran on over the next pages: the contents pushed on, or the back's pages set among
    the blanks before it (the print PDF's order then scrambled)."""
    folder = write_booklet(tmp_path / "b", metadata)
    config = folder / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("contacts:\n  - fold@example.org\n", "", 1)
                      if "contacts" in metadata else config.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "back.md").write_text("\n\n".join(f"Line {n} of a back cover that goes on." for n in range(40)),
                                    encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and re.search(message, result.stderr), result.output
    assert not (tmp_path / "out").exists()


USER_BOOKLETS = Path(__file__).resolve().parent / "user_booklets"


def test_a_market_zine_with_a_heic_cover_photo_full_bleed_a_heic_photo_an_svg_greek_and_symbols(tmp_path):
    source = tmp_path / "market-stall"
    shutil.copytree(USER_BOOKLETS / "market-stall", source)
    pdf = build_reading_pdf(source)
    reader = pypdf.PdfReader(pdf)
    width = float(reader.pages[0].mediabox.width)
    (cover,) = page_images(pdf, 0)
    assert cover["x0"] <= 0.01 and cover["x1"] >= width - 0.01 and cover["top"] <= 0.01  # full bleed
    assert "Saturday at the Stall" in page_text(pdf, 0)
    opening = next(i for i in range(len(reader.pages)) if "Opening Up" in page_text(pdf, i) and i > 1)
    text = "".join(page_text(pdf, i) for i in (opening, opening + 1))
    for wanted in ("★ specials ★", "❤", "Καλημέρα", "ψωμί", "φιλοξενία", "✓", "→ on"):
        assert wanted in text
    photos = [image for i in (opening, opening + 1) for image in reader.pages[i].images]
    assert len(photos) == 1  # the HEIC photo; the SVG drawing is paths, not an image
    with pdfplumber.open(pdf) as document:
        assert len(document.pages[opening].rects) >= 3


def test_a_seed_swap_zine_with_a_pdf_cover_its_own_back_and_a_body_font_by_path(tmp_path):
    source = tmp_path / "seed-swap"
    shutil.copytree(USER_BOOKLETS / "seed-swap", source)
    layout = source / "swap.toml"  # its font path points at the repository's fonts/: make it absolute
    fonts = Path(__file__).resolve().parent.parent / "fonts"
    layout.write_text(layout.read_text(encoding="utf-8").replace("../../../fonts", str(fonts)), encoding="utf-8")
    pdf = build_reading_pdf(source)
    reader = pypdf.PdfReader(pdf)
    assert page_text(pdf, 0) == "SEED SWAP"
    assert "Take what you need, bring what you can." in page_text(pdf, len(reader.pages) - 1)
    with pdfplumber.open(pdf) as document:
        body = [c for page in document.pages for c in page.chars if c["text"] == "y" and c["size"] < 10]
    faces = {c["fontname"].split("+")[-1] for c in body}
    # the regular face by path, and the italic file found beside it (the back cover's slogan)
    assert faces == {"GentiumBookPlus", "GentiumBookPlus-Italic"}


def test_a_contents_entry_that_wraps_indents_its_second_line(tmp_path):
    """A long title's second line in the contents started at the margin, read as the next
    entry; it is now indented an em, its page number on its last line."""
    from pdftext import page_lines

    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "booklet.yaml").write_text("title: T\n", encoding="utf-8")
    (folder / "01-a.md").write_text("# A Very Long Article Title That Surely Wraps Onto a Second Line of the "
                                    "Contents\n\nText.\n", encoding="utf-8")
    (folder / "02-b.md").write_text("# Short one\n\nText.\n", encoding="utf-8")
    lines = page_lines(build_reading_pdf(folder))[0]
    first = next(i for i, line in enumerate(lines) if line[0].startswith("A Very Long"))
    turnover, short = lines[first + 1], lines[first + 2]
    from booklet.layouts import load_layout

    size = load_layout("pocket").styles["toc"].size
    assert turnover[1] - lines[first][1] == pytest.approx(size, abs=0.5)
    assert turnover[0].endswith("Contents 2") and short[0] == "Short one 3"
    assert short[1] == pytest.approx(lines[first][1], abs=0.3)


@pytest.mark.parametrize("attributes", ["{.full}", ""])
def test_a_picture_in_a_markdown_cover_is_on_the_cover_page(tmp_path, attributes):
    """A `{.full}` figure's page of its own was the next page (the contents moved to page 3),
    as was a figure with no room left on the cover: the cover ran over two pages unsaid."""
    folder = write_booklet(tmp_path / "b", "cover: cover.md\n")
    photo(folder / "workshop.png")
    (folder / "cover.md").write_text(f"# Cover\n\n![Full](workshop.png){attributes}\n\nAfter.\n", encoding="utf-8")
    pdf = build_reading_pdf(folder)
    words = words_with_top(pdf, 0)
    (image,) = page_images(pdf, 0)
    assert words["Cover"] < image["top"] < image["bottom"] < words["After."]
    assert "Contents" in page_text(pdf, 1) and not page_images(pdf, 1)


def test_a_markdown_cover_too_full_for_its_picture_is_an_error_at_the_picture(tmp_path):
    folder = write_booklet(tmp_path / "b", "cover: cover.md\n")
    photo(folder / "workshop.png")
    (folder / "cover.md").write_text("# Cover\n\n![Full](workshop.png){.full}\n\n"
                                     + "\n\n".join(f"Line {n} of a cover." for n in range(20)), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output
    assert re.search(r"^booklet: .*cover\.md:3: the picture workshop\.png does not fit", result.stderr), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_cover_title_too_tall_for_a_tiny_page_is_named_in_the_error_not_reportlabs_words(tmp_path):
    """Pages of 60 × 60 mm: the title under the full-page picture has no room. The message
    was "something is too large … (Splitting error(n==2) on page 1 in)", and then named the
    metadata's first line, not the title's."""
    folder = write_booklet(tmp_path / "b", "cover_image: photo.jpg\ncover: full\n")
    photo(folder / "photo.jpg")
    config = folder / "booklet.yaml"
    config.write_text("# the zine of the folding club\n\n" + config.read_text(encoding="utf-8").replace(
        "Long Tables", "Small Presses, Long Tables"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "--sheet", "120x120", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output
    assert re.search(r"^booklet: .*booklet\.yaml:3: the text “Small Presses, Long Tables” on the front cover does not fit in the "
                     r"page's text block \(\d+ × \d+ mm\)", result.stderr), result.stderr
    assert "Splitting" not in result.stderr and "error(" not in result.stderr
    assert not (tmp_path / "out").exists()
