"""Images end to end: Markdown with every kind of image → reading PDF, read back with pypdf
(what is embedded) and pdfplumber (where it is placed), and rendered with pdftoppm (colours)."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from PIL import Image

from booklet.errors import BookletError, Problem
from booklet.images import prepare_images
from booklet.layouts import Layout, load_layout
from booklet.parse import parse_booklet
from booklet.preflight import preflight
from booklet.sources import read_sources
from booklet.typeset.document import typeset
from booklet.typeset.figures import _png_parts
from booklet.typeset.makeup import FIGURE_SHRINK
from booklet.typeset.story import caption_reserve

from corpus import paragraph
from imagekit import QUADRANTS, close, exif_jpeg, line_art, photo, quadrant_colours, quadrants

TARGET = 300.0


# --- building and reading back ------------------------------------------------------


@dataclass
class Built:
    pdf: Path
    problems: list[Problem]
    layout: Layout
    images: dict
    page_count: int


def build_reading_pdf(folder: Path, out: Path) -> Built:
    """The reading PDF through the real stages (sources → model → images → typeset), as
    `booklet.build.build` runs them, with the image cache in the test's folder."""
    booklet = parse_booklet(read_sources(folder))
    meta = booklet.metadata
    layout = load_layout(meta.layout, folder) if meta.layout else load_layout("pocket")
    problems = preflight(booklet, layout)
    images, image_problems = prepare_images(booklet, layout, out / "cache",
                                            reserve=caption_reserve(booklet, layout))
    problems += image_problems
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BookletError(errors[0].message, errors[0].path, errors[0].line)
    result = typeset(booklet, layout, images)
    pdf = out / f"{booklet.name}-read.pdf"
    pdf.write_bytes(result.pdf)
    return Built(pdf, problems, layout, images, result.page_count)


@dataclass
class Placed:
    page_index: int
    name: str
    x0: float
    top: float
    width: float   # points
    height: float  # points
    pixels: tuple[int, int]
    colour_space: str
    bits: int
    filter: str
    decode: list | None
    raw: bytes     # the stream as stored (still encoded)

    @property
    def ppi(self) -> float:
        return self.pixels[0] * 72 / self.width


def placed_images(pdf: Path) -> list[Placed]:
    placed = []
    reader = pypdf.PdfReader(pdf)
    with pdfplumber.open(pdf) as plumber:
        for index, (page, plumbed) in enumerate(zip(reader.pages, plumber.pages)):
            xobjects = page["/Resources"].get("/XObject", {})
            for image in plumbed.images:
                obj = xobjects["/" + image["name"]].get_object()
                placed.append(Placed(
                    index, image["name"], image["x0"], image["top"], image["x1"] - image["x0"],
                    image["bottom"] - image["top"], (int(obj["/Width"]), int(obj["/Height"])),
                    str(obj["/ColorSpace"]), int(obj["/BitsPerComponent"]), str(obj["/Filter"]),
                    list(obj["/Decode"]) if "/Decode" in obj else None, obj._data))
    return placed


def stream_of(prepared) -> bytes:
    """What the PDF stream of a prepared image must be: the JPEG itself, or the PNG's IDAT data."""
    return prepared.data if prepared.is_jpeg else _png_parts(prepared.data)[4]


def by_source(built: Built, placed: list[Placed]) -> dict[str, Placed]:
    """Placements keyed by the image file name, matched by their exact stream bytes."""
    streams = {stream_of(p): path.name for path, p in built.images.items()}
    result = {}
    for p in placed:
        result.setdefault(streams[p.raw], p)
    return result


def render(pdf: Path, page_index: int, resolution: int = 72) -> Image.Image:
    prefix = pdf.parent / f"render-{page_index}"
    subprocess.run(["pdftoppm", "-r", str(resolution), "-png", "-singlefile", "-f", str(page_index + 1),
                    "-l", str(page_index + 1), str(pdf), str(prefix)], check=True)
    return Image.open(f"{prefix}.png").convert("RGB")


def page_words(pdf: Path, page_index: int) -> list[dict]:
    with pdfplumber.open(pdf) as plumber:
        return plumber.pages[page_index].extract_words()


needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")


# --- a booklet with every kind of image --------------------------------------------------------


FIGURES = [  # file, Markdown attributes, caption
    ("big.jpg", "", "Caption big square photo"),
    *[(f"exif{n}.jpg", "{width=50%}", f"Caption orientation {n}") for n in range(1, 9)],
    ("cmyk.jpg", "", "Caption CMYK print shop"),
    ("cmyk-small.jpg", "{width=40%}", "Caption small CMYK"),
    ("alpha.png", "", "Caption transparent PNG"),
    ("deep.png", "", "Caption sixteen bit scan"),
    ("lines.png", "", "Caption line art"),
    ("pal.gif", "{width=50%}", "Caption palette GIF"),
    ("card.webp", "{width=50%}", "Caption WebP"),
    ("card.tif", "{width=50%}", "Caption TIFF"),
    ("card.bmp", "{width=50%}", "Caption BMP"),
    ("thumb.jpg", "", "Caption web thumbnail"),
    ("tall.jpg", "{.full}", "Caption full page"),
]


def write_images(folder: Path) -> None:
    photo(3600, 3600).save(folder / "big.jpg", quality=92)
    for n in range(1, 9):
        exif_jpeg(folder / f"exif{n}.jpg", n, quadrants(1500, 1000))
    cmyk = Image.new("CMYK", (1500, 1000), (0, 0, 0, 0))
    cmyk.paste((255, 0, 0, 0), (0, 0, 750, 1000))  # cyan left half, paper right half
    cmyk.save(folder / "cmyk.jpg", quality=95)
    Image.new("CMYK", (400, 300), (0, 230, 230, 0)).save(folder / "cmyk-small.jpg", quality=90)
    alpha = Image.new("RGBA", (1200, 800), (0, 0, 0, 0))
    alpha.paste((200, 20, 20, 255), (0, 0, 600, 800))  # opaque red left, transparent right
    alpha.save(folder / "alpha.png")
    deep = Image.new("I;16", (1024, 512))
    deep.putdata([x * 64 for _ in range(512) for x in range(1024)])
    deep.save(folder / "deep.png")
    line_art(2400, 1600).save(folder / "lines.png")
    pal = Image.new("P", (600, 400), 0)
    pal.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    pal.paste(1, (300, 0, 600, 400))
    pal.save(folder / "pal.gif")
    for width, suffix, fmt in ((900, "webp", "WEBP"), (960, "tif", "TIFF"), (990, "bmp", "BMP")):
        quadrants(width, width * 2 // 3).save(folder / f"card.{suffix}", fmt)  # distinct pixels
    photo(120, 80).save(folder / "thumb.jpg")
    photo(2000, 3000).save(folder / "tall.jpg", quality=90)
    photo(2400, 1600).save(folder / "cover.jpg", quality=90)


def write_booklet(folder: Path, figures=FIGURES, layout: str | None = None, seed: int = 5) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    parts = ["# Every kind of image", "", paragraph(rng), ""]
    for name, attrs, caption in figures:
        parts += [f"![{caption}]({name}){attrs}", "", paragraph(rng), ""]
    (folder / "pictures.md").write_text("\n".join(parts), encoding="utf-8")
    meta = ["title: Pictures", "cover_image: cover.jpg", "articles: [pictures.md]"]
    if layout:
        meta.append(f"layout: {layout}")
    (folder / "booklet.yaml").write_text("\n".join(meta) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory):
    folder = tmp_path_factory.mktemp("every-kind") / "pictures"
    folder.mkdir()
    write_images(folder)
    write_booklet(folder)
    built = build_reading_pdf(folder, folder.parent)
    return built, placed_images(built.pdf)


def test_every_image_embedded_once_as_the_prepared_bytes(every_kind):
    built, placed = every_kind
    embedded = {(p.name, p.raw) for p in placed}  # an XObject drawn twice is embedded once
    streams = [raw for _, raw in embedded]
    for path, prepared in built.images.items():
        assert streams.count(stream_of(prepared)) == 1, path.name
    assert len(streams) == len(built.images) == len(FIGURES) + 1  # the figures and the cover


def test_effective_resolution_at_most_target(every_kind):
    """Images are prepared for the size they have in the text; the page builder may print a
    figure up to FIGURE_SHRINK smaller to fill a page, which raises its resolution as much."""
    built, placed = every_kind
    most = TARGET * 1.01 / (1 - FIGURE_SHRINK)
    for name, p in by_source(built, placed).items():
        assert p.ppi <= most, (name, p.ppi)
        assert p.pixels[1] * 72 / p.height <= most, name
    big = by_source(built, placed)["big.jpg"]
    assert big.ppi >= TARGET * 0.98  # downsampled to the target, not below it
    assert big.pixels[0] == big.pixels[1]


def test_placed_without_distortion(every_kind):
    built, placed = every_kind
    for name, p in by_source(built, placed).items():
        assert p.width / p.height == pytest.approx(p.pixels[0] / p.pixels[1], rel=0.01), name


def test_figures_no_wider_than_text_or_taller_than_share(every_kind):
    built, placed = every_kind
    layout = built.layout
    for name, p in by_source(built, placed).items():
        if name in ("tall.jpg", "cover.jpg"):
            continue
        assert p.width <= layout.text_width + 0.01, name
        assert p.height <= layout.images.max_height * layout.text_height + 0.01, name
    # at their width, or up to FIGURE_SHRINK less when the page builder shrinks them to fill a page
    for name, width in (("big.jpg", layout.text_width), ("exif1.jpg", layout.text_width / 2)):
        assert width * (1 - FIGURE_SHRINK) - 0.1 <= by_source(built, placed)[name].width <= width + 0.1, name


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_upright_in_pdf(every_kind, orientation):
    built, placed = every_kind
    p = by_source(built, placed)[f"exif{orientation}.jpg"]
    assert p.width / p.height == pytest.approx(1.5, rel=0.01)  # landscape, as the camera showed it
    assert p.filter == "/DCTDecode"
    colours = quadrant_colours(Image.open(io.BytesIO(p.raw)))
    for quadrant, expected in QUADRANTS.items():
        assert close(colours[quadrant], expected), (quadrant, colours)


def test_colour_spaces_and_depths(every_kind):
    built, placed = every_kind
    found = {name: (p.colour_space, p.bits, p.filter) for name, p in by_source(built, placed).items()}
    jpeg_rgb = ("/DeviceRGB", 8, "/DCTDecode")
    assert found["big.jpg"] == jpeg_rgb
    assert found["cmyk.jpg"] == ("/DeviceCMYK", 8, "/DCTDecode")
    assert found["cmyk-small.jpg"] == ("/DeviceCMYK", 8, "/DCTDecode")
    assert found["alpha.png"] == ("/DeviceRGB", 8, "/FlateDecode")   # two colours: kept lossless
    assert found["deep.png"] == ("/DeviceGray", 8, "/FlateDecode")   # 256 grey levels: lossless
    assert found["lines.png"] == ("/DeviceGray", 1, "/FlateDecode")  # 1-bit stays 1-bit
    assert found["pal.gif"] == ("/DeviceRGB", 8, "/FlateDecode")
    assert found["card.webp"] == jpeg_rgb


def test_adobe_cmyk_decoded_inverted_and_small_one_passed_through(every_kind):
    built, placed = every_kind
    found = by_source(built, placed)
    assert found["cmyk.jpg"].decode == [1, 0, 1, 0, 1, 0, 1, 0]
    folder = built.pdf.parent / "pictures"
    assert found["cmyk-small.jpg"].raw == (folder / "cmyk-small.jpg").read_bytes()


def pixel_at(page: Image.Image, p: Placed, fx: float, fy: float, resolution: int = 72) -> tuple:
    scale = resolution / 72
    return page.getpixel((int((p.x0 + fx * p.width) * scale), int((p.top + fy * p.height) * scale)))


@needs_pdftoppm
def test_cmyk_prints_the_right_colours(every_kind):
    built, placed = every_kind
    p = by_source(built, placed)["cmyk.jpg"]
    page = render(built.pdf, p.page_index)
    r, g, b = pixel_at(page, p, 0.25, 0.5)
    assert r < 80 and b > 180  # cyan, not inverted to red or black
    assert close(pixel_at(page, p, 0.75, 0.5), (255, 255, 255), 12)  # paper


@needs_pdftoppm
def test_transparency_prints_as_paper(every_kind):
    built, placed = every_kind
    p = by_source(built, placed)["alpha.png"]
    page = render(built.pdf, p.page_index)
    assert close(pixel_at(page, p, 0.25, 0.5), (200, 20, 20), 12)
    assert close(pixel_at(page, p, 0.75, 0.5), (255, 255, 255), 3)


@needs_pdftoppm
def test_one_bit_line_art_renders_black_on_white(every_kind):
    built, placed = every_kind
    p = by_source(built, placed)["lines.png"]
    page = render(built.pdf, p.page_index, 150)
    box = page.crop((int(p.x0 * 150 / 72), int(p.top * 150 / 72), int((p.x0 + p.width) * 150 / 72),
                     int((p.top + p.height) * 150 / 72))).convert("L")
    histogram = box.histogram()
    assert histogram[255] > 0.5 * sum(histogram)  # mostly paper
    assert sum(histogram[:64]) > 0.01 * sum(histogram)  # with black lines


def test_caption_directly_under_its_image(every_kind):
    built, placed = every_kind
    found = by_source(built, placed)
    for name, _, caption in FIGURES:
        p = found[name]
        words = page_words(built.pdf, p.page_index)
        first = caption.split()[1]  # the word after "Caption"
        tops = [w["top"] for w in words if w["text"] == first and p.top + p.height <= w["top"] <= p.top + p.height + 12]
        assert tops, (name, first)


def test_a_full_page_picture_that_covering_would_cut_too_much_is_a_plate(every_kind):
    """A 2:3 photo with a caption under it: covering the page above the caption would cut off
    a fifth of it, so it is set inside the margins with the caption directly under it (the
    caption test above) and the page keeps its marker. It was fitted to the page's top edge,
    white on three sides, its caption far below at the foot."""
    built, placed = every_kind
    layout = built.layout
    p = by_source(built, placed)["tall.jpg"]
    assert [q for q in placed if q.page_index == p.page_index] == [p]  # a page of its own
    assert p.width > layout.text_width - 0.5 or p.height > 0.9 * layout.text_height  # as large as it fits
    assert layout.margins.top - 0.5 <= p.top and p.top + p.height <= layout.page_height - layout.margins.bottom
    left = min(layout.margins.inner, layout.margins.outer)
    assert left - 0.5 <= p.x0 and p.x0 + p.width <= layout.page_width - left + 0.5
    text = " ".join(w["text"] for w in page_words(built.pdf, p.page_index))
    assert "←" in text and "→" in text
    assert "Caption full page" in text
    assert p.ppi <= TARGET * 1.01 and p.ppi >= TARGET * 0.98  # prepared for its real size


def test_cover_image_on_the_cover_above_the_contents(every_kind):
    built, placed = every_kind
    layout = built.layout
    p = by_source(built, placed)["cover.jpg"]
    assert p.page_index == 0
    assert p.width <= layout.text_width + 0.01
    words = page_words(built.pdf, 0)
    title = [w for w in words if w["text"] == "Pictures"]
    assert title and title[0]["bottom"] <= p.top
    contents = [w for w in words if w["text"] == "Every"]
    assert contents and contents[0]["top"] >= p.top + p.height
    assert p.ppi <= TARGET * 1.01


def test_low_resolution_warning(every_kind):
    built, _ = every_kind
    warnings = [p for p in built.problems if p.severity == "warning"]
    assert len(warnings) == 1
    message = str(warnings[0])
    assert "thumb.jpg" in message and "ppi" in message and "pictures.md:" in message
    ppi = 120 * 72 / built.layout.text_width
    assert f"{ppi:.0f} ppi" in message


# --- floating: a figure that does not fit waits, the text fills the page -------------


def test_figure_that_does_not_fit_moves_to_next_page_and_text_fills_the_gap(tmp_path):
    folder = tmp_path / "float"
    folder.mkdir()
    photo(1600, 1200).save(folder / "p.jpg", quality=85)
    rng = random.Random(11)
    text = [paragraph(rng, (5, 7)) for _ in range(40)]
    layout = load_layout("pocket")
    found = None
    # Put the figure after more and more paragraphs until one lands where it does not fit.
    for before in range(2, 8):
        parts = ["# Floating", ""] + [t + "\n" for t in text[:before]]
        parts += ["![Caption waiting figure](p.jpg)", "", "Aftermath " + text[before], ""]
        parts += [t + "\n" for t in text[before + 1:before + 8]]
        (folder / "float.md").write_text("\n".join(parts), encoding="utf-8")
        (folder / "booklet.yaml").write_text("title: Float\narticles: [float.md]\n")
        built = build_reading_pdf(folder, tmp_path)
        p = placed_images(built.pdf)[0]
        if p.top > layout.margins.top + 1:
            continue  # it fitted where it was written
        after = [i for i in range(built.page_count) if any(w["text"] == "Aftermath" for w in page_words(built.pdf, i))]
        if after and after[0] < p.page_index:
            found = built, p, after[0]
            break
    assert found, "no arrangement made the figure float"
    built, p, after_page = found
    # the figure opens the next page, at the top of the text block …
    assert p.page_index == after_page + 1
    assert p.top == pytest.approx(layout.margins.top, abs=layout.styles["body"].leading)
    # … and the page it was written on is filled with text down to the foot of the text block
    words = page_words(built.pdf, after_page)
    body = [w for w in words if "←" not in w["text"] and "→" not in w["text"] and not w["text"].isdigit()]
    lowest = max(w["bottom"] for w in body)
    assert lowest >= layout.page_height - layout.margins.bottom - 2 * layout.styles["body"].leading


def test_figures_keep_their_order_when_floating(tmp_path):
    folder = tmp_path / "order"
    folder.mkdir()
    for i in range(4):
        photo(1200, 1600, seed=i).save(folder / f"p{i}.jpg", quality=80)
    rng = random.Random(2)
    parts = ["# Order", ""]
    for i in range(4):
        parts += [paragraph(rng, (4, 6)), "", f"![Caption number{i}](p{i}.jpg)", ""]
    parts += [paragraph(rng) for _ in range(6)]
    (folder / "order.md").write_text("\n\n".join(parts), encoding="utf-8")
    (folder / "booklet.yaml").write_text("title: Order\narticles: [order.md]\n")
    built = build_reading_pdf(folder, tmp_path)
    placed = by_source(built, placed_images(built.pdf))
    positions = [(placed[f"p{i}.jpg"].page_index, placed[f"p{i}.jpg"].top) for i in range(4)]
    assert positions == sorted(positions)


def test_waiting_figure_does_not_open_the_next_article(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    photo(1200, 1600).save(folder / "p.jpg", quality=80)
    rng = random.Random(4)
    first = ["# One", ""] + [paragraph(rng, (6, 8)) for _ in range(3)] + ["![Caption late figure](p.jpg)", "Last words."]
    (folder / "one.md").write_text("\n\n".join(first), encoding="utf-8")
    (folder / "two.md").write_text("# Two\n\n" + paragraph(rng) + "\n", encoding="utf-8")
    (folder / "booklet.yaml").write_text("title: Articles\narticles: [one.md, two.md]\n")
    built = build_reading_pdf(folder, tmp_path)
    p = placed_images(built.pdf)[0]
    two = [i for i in range(built.page_count) if any(w["text"] == "Two" for w in page_words(built.pdf, i))]
    opening = [i for i in two if i > 0][0]  # page 1 is the cover with its contents
    assert p.page_index < opening


# --- gray layout ------------------------------------------------------------------------------


def test_gray_layout_prints_everything_in_gray(tmp_path, every_kind):
    built_colour, _ = every_kind
    folder = tmp_path / "gray"
    shutil.copytree(built_colour.pdf.parent / "pictures", folder)
    pocket = (Path(__file__).parent.parent / "layouts" / "pocket.toml").read_text(encoding="utf-8")
    assert 'mode = "color"' in pocket
    (folder / "gray.toml").write_text(pocket.replace('mode = "color"', 'mode = "gray"'), encoding="utf-8")
    write_booklet(folder, layout="gray.toml")
    built = build_reading_pdf(folder, tmp_path)
    found = {name: (p.colour_space, p.bits) for name, p in by_source(built, placed_images(built.pdf)).items()}
    assert set(found.values()) == {("/DeviceGray", 8), ("/DeviceGray", 1)}
    assert found["lines.png"] == ("/DeviceGray", 1)
    assert found["cmyk.jpg"] == ("/DeviceGray", 8)


# --- errors name the Markdown file and line -------------------------------------------------


@pytest.mark.parametrize("name,content,expected", [
    ("gone.jpg", None, "not found"),
    ("cut.jpg", "truncated", "truncated"),
    ("noise.png", b"\x00garbage" * 100, "not an image"),
    ("pic.ppm", "ppm", "unsupported"),
])
def test_image_errors_name_markdown_file_and_line(tmp_path, name, content, expected):
    folder = tmp_path / "broken"
    folder.mkdir()
    if content == "truncated":
        buffer = io.BytesIO()
        photo(800, 600).save(buffer, "JPEG")
        (folder / name).write_bytes(buffer.getvalue()[:5000])
    elif content == "ppm":
        photo(60, 40).save(folder / name)
    elif content is not None:
        (folder / name).write_bytes(content)
    (folder / "a.md").write_text(f"# A\n\nText.\n\n![Caption]({name})\n\nMore.\n", encoding="utf-8")
    (folder / "booklet.yaml").write_text("title: Broken\narticles: [a.md]\n")
    with pytest.raises(BookletError) as caught:
        build_reading_pdf(folder, tmp_path)
    line = str(caught.value)
    assert line.startswith(f"{folder / 'a.md'}:5: ") and expected in line and name in line



def test_a_narrow_figure_sets_its_caption_words_whole_within_the_text_block(tmp_path):
    # regression: the caption was set in the picture's share of the text width, so at 5 %
    # "Zero width" printed as Z / ero / wi / dth
    folder = tmp_path / "narrow"
    folder.mkdir()
    photo(1600, 1000).save(folder / "p.jpg", quality=85)
    captions = {"5%": "Zero width", "15%": "Neighbourhood lighthouse photographs"}
    parts = ["# Narrow", ""]
    for width, caption in captions.items():
        parts += [f'![{caption}](p.jpg){{width="{width}"}}', "", "Some words of text.", ""]
    (folder / "narrow.md").write_text("\n".join(parts), encoding="utf-8")
    (folder / "booklet.yaml").write_text("title: Narrow\narticles: [narrow.md]\n")
    built = build_reading_pdf(folder, tmp_path)
    layout = built.layout
    placed = placed_images(built.pdf)
    assert len(placed) == 2
    for p, (width, caption) in zip(placed, captions.items()):
        assert p.width == pytest.approx(layout.text_width * float(width[:-1]) / 100, abs=0.5)
        style = layout.styles["caption"]
        with pdfplumber.open(built.pdf) as plumber:
            words = plumber.pages[p.page_index].extract_words(extra_attrs=["size"])
        below = [w for w in words if w["size"] == pytest.approx(style.size)
                 and p.top + p.height < w["top"] < p.top + p.height + 4 * style.leading]
        assert [w["text"] for w in below] == caption.split(), width  # each word whole, in order
        # centred under the picture, inside the text block of this (mirrored) page
        left = layout.margins.inner if p.page_index % 2 == 0 else layout.margins.outer
        middle = p.x0 + p.width / 2
        assert middle == pytest.approx(left + layout.text_width / 2, abs=0.5)
        lines: dict[float, list[dict]] = {}
        for word in below:
            lines.setdefault(round(word["top"]), []).append(word)
        for line in lines.values():
            x0, x1 = min(w["x0"] for w in line), max(w["x1"] for w in line)
            assert left - 0.5 <= x0 and x1 <= left + layout.text_width + 0.5
            assert (x0 + x1) / 2 == pytest.approx(middle, abs=1.0)
