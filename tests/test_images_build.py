"""Images through the real `booklet build` command: warnings and errors as the user sees them,
the print PDF carrying the images unchanged, and the size of the end-to-end issue's booklet."""

from __future__ import annotations

import io
import re
import shutil
import threading

import pdfplumber
import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image

from booklet.build import load_booklet
from booklet.cli import main
from booklet.images import prepare_images
from booklet.layouts import load_layout
from booklet.typeset.makeup import FIGURE_SHRINK, LEAD_MIN_WIDTH

from imagekit import line_art, make_photo_booklet, photo

pytestmark = pytest.mark.skipif(shutil.which("true") is None, reason="needs a POSIX system")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test its own image cache (the default one lives in the user's home)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def run(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir(exist_ok=True)
    return CliRunner().invoke(main, list(args))


def write(folder, figures: list[str], text: str = "Some words of text.") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    body = ["# Pictures", "", text, ""]
    for figure in figures:
        body += [figure, "", text, ""]
    (folder / "one.md").write_text("\n".join(body), encoding="utf-8")
    (folder / "booklet.yaml").write_text("title: Book\narticles: [one.md]\n", encoding="utf-8")


def image_streams(pdf) -> list[dict]:
    """Every image XObject in a PDF, also those inside form XObjects (imposed pages)."""
    found, seen = [], set()

    def walk(resources):
        for ref in (resources or {}).get("/XObject", {}).values():
            obj = ref.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources"))

    for page in pypdf.PdfReader(pdf).pages:
        walk(page.get("/Resources"))
    return found


def test_low_resolution_warning_in_the_summary(tmp_path, monkeypatch):
    book = tmp_path / "book"
    write(book, ["![A thumbnail](thumb.jpg)"])
    photo(200, 150).save(book / "thumb.jpg")
    result = run(tmp_path, monkeypatch, "build", "book", "-o", "out", "-q")
    assert result.exit_code == 0, result.output
    ppi = 200 * 72 / (85 * 72 / 25.4)  # pixels over the pocket layout's 85 mm text width
    lines = [line for line in result.stderr.splitlines() if "thumb.jpg" in line]
    assert len(lines) == 1
    assert re.match(r"booklet: warning: book/one\.md:5: image .*thumb\.jpg prints at (\d+) ppi", lines[0])
    assert f"{ppi:.0f} ppi" in lines[0]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # from preflight
@pytest.mark.parametrize("name,make,message", [
    ("pic.ppm", lambda p: photo(60, 40).save(p), r"unsupported format, PPM"),
    ("big.png", lambda p: photo(200, 100).save(p), r"too many pixels \(20,000; .* limit is 15,000\)"),
])
def test_image_errors_are_one_line_naming_file_and_line(tmp_path, monkeypatch, name, make, message):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 15000)  # Pillow itself would only warn below 2 ×
    book = tmp_path / "book"
    write(book, [f"![Caption]({name})"])
    make(book / name)
    result = run(tmp_path, monkeypatch, "build", "book", "-o", "out", "-q")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert re.match(rf"booklet: book/one\.md:5: image .*{re.escape(name)} .*{message}", lines[0]), lines[0]
    assert not (tmp_path / "out" / "book-read.pdf").exists()


def test_print_pdf_carries_the_images_unchanged(tmp_path, monkeypatch):
    book = tmp_path / "book"
    write(book, ["![Line art](lines.png)", "![CMYK](cmyk.jpg)", "![Photo](p.jpg){width=70%}"])
    line_art(2400, 1600).save(book / "lines.png")
    Image.new("CMYK", (1200, 800), (0, 200, 200, 0)).save(book / "cmyk.jpg")
    photo(3000, 2000).save(book / "p.jpg", quality=90)
    result = run(tmp_path, monkeypatch, "build", "book", "-o", "out", "-q")
    assert result.exit_code == 0, result.output
    read, printed = tmp_path / "out" / "book-read.pdf", tmp_path / "out" / "book-print.pdf"

    def describe(pdf):
        return sorted((int(o["/Width"]), int(o["/Height"]), str(o["/ColorSpace"]), int(o["/BitsPerComponent"]),
                       str(o["/Filter"]), len(o._data)) for o in image_streams(pdf))

    assert len(describe(read)) == 3
    assert describe(printed) == describe(read)
    assert ("/DeviceGray", 1) in {(d[2], d[3]) for d in describe(printed)}


def test_sixty_page_booklet_with_phone_photos_under_one_and_a_half_megabytes(tmp_path, monkeypatch):
    make_photo_booklet(tmp_path / "bench")
    result = run(tmp_path, monkeypatch, "build", "bench", "-o", "out", "-q")
    assert result.exit_code == 0, result.output
    read, printed = tmp_path / "out" / "bench-read.pdf", tmp_path / "out" / "bench-print.pdf"
    pages = len(pypdf.PdfReader(read).pages)
    assert 56 <= pages <= 80
    assert read.stat().st_size < 1_500_000
    assert printed.stat().st_size < 1.15 * read.stat().st_size
    photos = [o for o in image_streams(read) if o["/Filter"] == "/DCTDecode"]
    assert len(photos) == 4
    assert max(int(o["/Width"]) for o in photos) <= 1020  # 85 mm at 300 ppi is 1004 pixels
    text_width = load_layout("pocket").text_width
    with pdfplumber.open(read) as pdf:
        for page in pdf.pages:
            title_page = (page.extract_text() or "").startswith("Article number")
            for image in page.images:
                width = image["x1"] - image["x0"]
                if title_page:  # a lead photo shrinks to LEAD_MIN_WIDTH to share the title page with text
                    assert width >= LEAD_MIN_WIDTH * text_width - 0.5
                else:  # prepared for their size in the text; printed up to FIGURE_SHRINK smaller
                    assert image["srcsize"][0] * 72 / width <= 300 * 1.01 / (1 - FIGURE_SHRINK)


def test_rebuild_uses_the_cache(tmp_path, monkeypatch):
    book = tmp_path / "book"
    write(book, ["![Photo](p.jpg)"])
    photo(3000, 2000).save(book / "p.jpg", quality=90)
    first = run(tmp_path, monkeypatch, "build", "book", "-o", "out", "-q")
    assert first.exit_code == 0
    folder = tmp_path / "xdg-cache" / "booklet"
    assert len(list((folder / "images").iterdir())) == 1
    assert len(list((folder / "image-facts").iterdir())) == 1
    read = (tmp_path / "out" / "book-read.pdf").read_bytes()
    from booklet.images import prepare as prepare_module

    monkeypatch.setattr(prepare_module, "_process", lambda *a, **k: pytest.fail("image processed again"))
    monkeypatch.setattr(prepare_module, "_open", lambda *a, **k: pytest.fail("image file opened again"))
    second = run(tmp_path, monkeypatch, "build", "book", "-o", "out", "-q")
    assert second.exit_code == 0
    assert (tmp_path / "out" / "book-read.pdf").read_bytes() == read  # byte-identical rebuild


def test_check_reports_image_problems(tmp_path, monkeypatch):
    book = tmp_path / "book"
    write(book, ["![Thumb](thumb.jpg)", "![Odd format](pic.ppm)"])
    photo(200, 150).save(book / "thumb.jpg")
    photo(600, 400).save(book / "pic.ppm")
    result = run(tmp_path, monkeypatch, "check", "book")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(re.match(r"booklet: warning: book/one\.md:5: image .*thumb\.jpg prints at \d+ ppi", l) for l in lines)
    assert any(re.match(r"booklet: book/one\.md:9: image .*pic\.ppm has an unsupported format, PPM", l) for l in lines)


def test_a_stopped_image_stage_skips_the_images_not_begun(tmp_path):
    """build() prepares the images while the preflight runs, and stops them when it fails
    (`stop`): an image not begun by then is not prepared; without `stop` it is."""
    book = tmp_path / "book"
    write(book, ["![A photo](a.jpg)", "![Another](b.jpg)"])
    photo(1200, 900).save(book / "a.jpg")
    photo(1200, 900, seed=2).save(book / "b.jpg")
    booklet, layout = load_booklet(book, None)
    stop = threading.Event()
    stop.set()
    assert prepare_images(booklet, layout, tmp_path / "cache", stop=stop)[0] == {}
    images, problems = prepare_images(booklet, layout, tmp_path / "cache", stop=threading.Event())
    assert sorted(path.name for path in images) == ["a.jpg", "b.jpg"] and not problems
