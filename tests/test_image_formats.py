"""HEIC photos and SVG drawings as figures: the photo embedded upright, the drawing kept as vectors."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image

from booklet.cli import main
from building import build_reading_pdf

pillow_heif = pytest.importorskip("pillow_heif")
pytest.importorskip("svglib")

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120mm" height="60mm" viewBox="0 0 120 60">
  <rect x="0" y="0" width="120" height="60" fill="#f4e04d"/>
  <circle cx="30" cy="30" r="20" fill="#c0392b"/>
  <path d="M 60 50 L 80 10 L 100 50 Z" fill="#2c3e50"/>
</svg>
"""


def write_booklet(folder: Path, figures: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "booklet.yaml").write_text("title: Formats\narticles:\n  - one.md\n", encoding="utf-8")
    (folder / "one.md").write_text(f"# Pictures\n\nA photo and a drawing.\n\n{figures}\n", encoding="utf-8")
    return folder


def heic_photo(path: Path) -> None:
    """A landscape photo, red above blue, stored turned a quarter (as phones store them) with the
    EXIF orientation that turns it back."""
    upright = Image.new("RGB", (600, 400), (220, 30, 30))
    upright.paste((30, 30, 220), (0, 200, 600, 400))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    pillow_heif.register_heif_opener()
    upright.transpose(Image.Transpose.ROTATE_90).save(path, format="HEIF", exif=exif.tobytes(), quality=90)


def image_xobjects(page) -> list:
    resources = page["/Resources"]
    found = []
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject["/Subtype"] == "/Image":
            found.append(xobject)
        elif xobject["/Subtype"] == "/Form" and "/Resources" in xobject:
            found += image_xobjects(xobject)
    return found


def test_a_heic_photo_is_embedded_upright(tmp_path):
    folder = write_booklet(tmp_path / "heic", "![The yard at noon](yard.heic)")
    heic_photo(folder / "yard.heic")
    pdf = build_reading_pdf(folder)
    images = pypdf.PdfReader(pdf).pages[1].images
    assert len(images) == 1
    picture = images[0].image.convert("RGB")
    width, height = picture.size
    assert width > height  # landscape, as it is shown
    top, bottom = picture.getpixel((width // 2, height // 8)), picture.getpixel((width // 2, height * 7 // 8))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # red above blue
    with pdfplumber.open(pdf) as document:
        assert "The yard at noon" in document.pages[1].extract_text()


def test_an_svg_drawing_stays_vectors(tmp_path):
    folder = write_booklet(tmp_path / "svg", "![A sun and a hill](drawing.svg)")
    (folder / "drawing.svg").write_text(SVG, encoding="utf-8")
    pdf = build_reading_pdf(folder)
    page = pypdf.PdfReader(pdf).pages[1]
    assert image_xobjects(page) == []  # no image for it
    with pdfplumber.open(pdf) as document:
        drawn = document.pages[1]
        shapes = drawn.rects + drawn.curves
        assert len(shapes) >= 3  # the background, the circle and the triangle, as paths
        margin = 9 * 72 / 25.4 - 0.5  # the pocket layout's narrower side margin, in points
        assert all(margin <= s["x0"] and s["x1"] <= float(drawn.width) - margin for s in shapes)
        background = max(drawn.rects, key=lambda r: r["width"])
        assert background["width"] / background["height"] == pytest.approx(2.0, rel=0.02)
        assert "A sun and a hill" in drawn.extract_text()


def test_an_svg_that_links_pictures_from_outside_says_so_once_in_booklets_words(tmp_path):
    """svglib printed its own 'Unable to resolve image path' lines on stderr for an SVG linking a
    file or a web address; those pictures are left out (the SVG is drawn from its bytes), and
    the build says so once, as a booklet warning naming the file and line. A picture embedded
    in the SVG is drawn."""
    folder = write_booklet(tmp_path / "linked", "![A sun and a hill](drawing.svg)")
    linked = SVG.replace("</svg>", '<image xmlns:xlink="http://www.w3.org/1999/xlink" '
                         'xlink:href="file:///etc/passwd" width="10" height="10"/>'
                         '<image href="https://example.org/logo.png" width="10" height="10"/>'
                         '<image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC" width="1" height="1"/></svg>')
    (folder / "drawing.svg").write_text(linked, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "drawing.svg" in line]
    assert len(warnings) == 1 and warnings[0].startswith("booklet: warning: ")
    assert "one.md:5" in warnings[0]
    assert "links 'file:///etc/passwd', 'https://example.org/logo.png' from outside it" in warnings[0]
    assert "Unable to resolve" not in result.output and "Refusing" not in result.output
    # the picture embedded in it (data:) is drawn: an SVG holding a PNG was an internal error
    with pdfplumber.open(tmp_path / "out" / "linked-read.pdf") as document:
        assert len(document.pages[1].images) == 1


def test_an_svg_holding_a_broken_picture_is_one_line_naming_the_drawing(tmp_path):
    """It said 'an SVG drawing cannot be read (cannot identify image file <_io.BytesIO object at
    0x7f…>)', naming neither the drawing nor what was wrong with it."""
    folder = write_booklet(tmp_path / "broken", "![A sun and a hill](drawing.svg)")
    (folder / "drawing.svg").write_text(SVG.replace(
        "</svg>", '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>'), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"booklet: {folder / 'drawing.svg'}: the SVG drawing cannot be read: "
        "a picture embedded in it is not an image Pillow can read"]
    assert not (tmp_path / "out" / "broken-read.pdf").exists()


def test_without_the_heif_plugin_the_message_names_the_format_and_the_package(tmp_path, monkeypatch):
    import booklet.imageformats

    folder = write_booklet(tmp_path / "noplugin", "![The yard](yard.heic)")
    heic_photo(folder / "yard.heic")
    monkeypatch.setattr(booklet.imageformats, "heif_available", lambda: False)
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 1
    assert "HEIC/HEIF photos need the pillow-heif package, which is not installed: pip install pillow-heif" \
        in result.output
