"""booklet.images: orientation, colour, resolution, cache, problems (no PDF involved)."""

from __future__ import annotations

import dataclasses
import io
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from booklet import cache as store_module
from booklet.images import cache as cache_module
from booklet.images import pixels
from booklet.images import prepare as prepare_module
from booklet.images import PreparedImage, cover_size, figure_size, prepare_images
from booklet.images.prepared import FULL_PAGE_CROP
from booklet.layouts import load_layout

from imagekit import (QUADRANTS, booklet_with, close, decoded, exif_jpeg, figure, line_art, photo,
                      png_header_only, png_rgb16, quadrant_colours, quadrants)

LAYOUT = load_layout("pocket")


def gray_layout():
    return dataclasses.replace(LAYOUT, images=dataclasses.replace(LAYOUT.images, mode="gray"))


@pytest.fixture
def md(tmp_path):
    path = tmp_path / "article.md"
    path.write_text("# Pictures\n")
    return path


def prepare(md, *figures, layout=LAYOUT, cover=None, cache=True):
    cache_dir = md.parent / "cache" if cache else md.parent / "cache-unused"
    return prepare_images(booklet_with(md, list(figures), cover=cover), layout, cache_dir)


def one(md, name, layout=LAYOUT, **kw):
    prepared, problems = prepare(md, figure(md, name, **kw), layout=layout)
    assert [p for p in problems if p.severity == "error"] == []
    return prepared[md.parent / name], problems


def effective_ppi(image: PreparedImage) -> float:
    return image.pixel_width * 72 / image.placed_width


# --- placement ----------------------------------------------------------------


def test_figure_fills_text_width():
    w, h = figure_size(2.0, None, False, LAYOUT)
    assert w == pytest.approx(LAYOUT.text_width)
    assert h == pytest.approx(LAYOUT.text_width / 2)


def test_figure_width_fraction():
    w, h = figure_size(2.0, 0.6, False, LAYOUT)
    assert w == pytest.approx(0.6 * LAYOUT.text_width)
    assert w / h == pytest.approx(2.0)


def test_tall_figure_limited_to_max_height():
    w, h = figure_size(0.5, None, False, LAYOUT)
    assert h == pytest.approx(LAYOUT.images.max_height * LAYOUT.text_height)
    assert w / h == pytest.approx(0.5)


def test_caption_reserve_limits_height_to_what_is_left():
    reserve = LAYOUT.text_height * 0.5
    w, h = figure_size(0.5, None, False, LAYOUT, reserve=reserve)
    assert h == pytest.approx(LAYOUT.text_height - reserve)


def test_a_full_page_picture_covers_the_page_or_is_a_plate_in_the_text_block():
    w, h = figure_size(LAYOUT.page_width / LAYOUT.page_height * 0.95, None, True, LAYOUT)
    assert w == pytest.approx(LAYOUT.page_width) and h > LAYOUT.page_height  # covers, cut at top and bottom
    w, h = figure_size(0.5, None, True, LAYOUT)
    assert h == pytest.approx(LAYOUT.text_height)
    w, h = figure_size(3.0, None, True, LAYOUT)
    assert w == pytest.approx(LAYOUT.text_width)


def test_cover_fits_text_width():
    w, h = cover_size(1.5, LAYOUT)
    assert w == pytest.approx(LAYOUT.text_width)


@given(aspect=st.floats(0.05, 20), fraction=st.one_of(st.none(), st.floats(0.05, 1.0)),
       full=st.booleans(), reserve=st.floats(0, 100))
@settings(max_examples=200)
def test_figure_size_keeps_aspect_and_fits(aspect, fraction, full, reserve):
    w, h = figure_size(aspect, fraction, full, LAYOUT, reserve)
    assert w / h == pytest.approx(aspect, rel=1e-9)
    if full:  # covering the page with at most FULL_PAGE_CROP cut off, or a plate inside the text block
        box_w, box_h = LAYOUT.page_width, LAYOUT.page_height - reserve
        covering = w >= box_w - 1e-6 and h >= box_h - 1e-6 and min(box_w / w, box_h / h) >= 1 - FULL_PAGE_CROP - 1e-9
        box_aspect = box_w / box_h
        assert covering == (max(aspect / box_aspect, box_aspect / aspect) <= 1 / (1 - FULL_PAGE_CROP) + 1e-9)
        if covering:
            assert w == pytest.approx(box_w) or h == pytest.approx(box_h)
        else:
            plate_h = max(LAYOUT.text_height - max(reserve - LAYOUT.margins.bottom, 0.0), 1.0)
            assert w <= LAYOUT.text_width + 1e-6 and h <= plate_h + 1e-6
            assert w == pytest.approx(LAYOUT.text_width) or h == pytest.approx(plate_h)
    else:
        assert w <= LAYOUT.text_width * (fraction or 1) + 1e-6
        assert h <= LAYOUT.images.max_height * LAYOUT.text_height + 1e-6
        assert h <= LAYOUT.text_height - reserve + 1e-6
        # one side touches its limit
        assert (w == pytest.approx(LAYOUT.text_width * (fraction or 1))
                or h == pytest.approx(min(LAYOUT.images.max_height * LAYOUT.text_height,
                                          LAYOUT.text_height - reserve)))


# --- orientation --------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_upright(md, orientation):
    exif_jpeg(md.parent / "card.jpg", orientation, quadrants(1500, 1000))
    image, _ = one(md, "card.jpg")
    im = decoded(image.data)
    assert im.size == (image.pixel_width, image.pixel_height)
    assert image.pixel_width / image.pixel_height == pytest.approx(1.5, rel=0.01)
    assert image.placed_width / image.placed_height == pytest.approx(1.5, rel=0.01)
    colours = quadrant_colours(im)
    for quadrant, expected in QUADRANTS.items():
        assert close(colours[quadrant], expected), (quadrant, colours)
    assert im.getexif().get(0x0112, 1) == 1  # no flag left to be applied twice


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_small_rotated_jpeg_is_turned_not_passed_through(md, orientation):
    path = exif_jpeg(md.parent / "small.jpg", orientation, quadrants(300, 200))
    image, _ = one(md, "small.jpg")
    assert image.data != path.read_bytes()
    assert (image.pixel_width, image.pixel_height) == (300, 200)


# --- colour -------------------------------------------------------------------


def test_cmyk_jpeg_stays_cmyk_and_correct(md):
    im = Image.new("CMYK", (2000, 1000), (0, 0, 0, 0))
    im.paste((255, 0, 0, 0), (0, 0, 1000, 1000))  # cyan left half
    im.save(md.parent / "cmyk.jpg", quality=95)  # Pillow writes Adobe (inverted) CMYK
    image, _ = one(md, "cmyk.jpg")
    assert image.mode == "CMYK" and image.is_jpeg and image.adobe_inverted
    out = decoded(image.data)
    assert out.mode == "CMYK"
    assert close(out.getpixel((10, 10)), (255, 0, 0, 0), 8)
    assert close(out.getpixel((out.width - 10, 10)), (0, 0, 0, 0), 8)
    assert effective_ppi(image) <= LAYOUT.images.target_ppi * 1.01


def test_small_cmyk_jpeg_passes_through(md):
    Image.new("CMYK", (400, 300), (10, 200, 30, 5)).save(md.parent / "cmyk.jpg", quality=90)
    image, _ = one(md, "cmyk.jpg")
    assert image.data == (md.parent / "cmyk.jpg").read_bytes()
    assert image.mode == "CMYK" and image.adobe_inverted


def test_rgba_png_flattened_on_white(md):
    im = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (0, 0, 200, 200))
    im.paste((0, 0, 200, 128), (200, 0, 300, 200))
    im.save(md.parent / "alpha.png")
    image, _ = one(md, "alpha.png")
    out = decoded(image.data)
    assert image.mode == out.mode == "RGB"
    assert close(out.getpixel((100, 100)), (200, 0, 0), 3)
    assert close(out.getpixel((250, 100)), (127, 127, 227), 3)   # half blue on white
    assert close(out.getpixel((350, 100)), (255, 255, 255), 0)   # transparent → paper


def test_la_png_flattened(md):
    im = Image.new("LA", (300, 200), (0, 0))
    im.paste((0, 255), (0, 0, 150, 200))
    im.save(md.parent / "la.png")
    image, _ = one(md, "la.png")
    out = decoded(image.data)
    assert out.mode == "L"
    assert out.getpixel((10, 10)) == 0 and out.getpixel((250, 10)) == 255


def test_palette_gif_with_transparency(md):
    im = Image.new("P", (300, 200), 0)
    im.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    im.paste(1, (150, 0, 300, 200))
    im.save(md.parent / "pal.gif", transparency=0)
    image, _ = one(md, "pal.gif")
    out = decoded(image.data)
    assert out.mode == "RGB" and not image.is_jpeg  # few colours: kept lossless
    assert out.getpixel((10, 10)) == (255, 255, 255)
    assert out.getpixel((200, 10)) == (0, 255, 0)


def test_animated_gif_first_frame(md):
    frames = [Image.new("P", (200, 100), i) for i in range(3)]
    for f in frames:
        f.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * 759)
    frames[0].save(md.parent / "anim.gif", save_all=True, append_images=frames[1:], duration=100)
    image, _ = one(md, "anim.gif")
    assert decoded(image.data).convert("RGB").getpixel((5, 5)) == (255, 0, 0)


def test_16bit_gray_png_becomes_8bit(md):
    im = Image.new("I;16", (512, 256))
    im.putdata([x * 128 for _ in range(256) for x in range(512)])
    im.save(md.parent / "deep.png")
    image, _ = one(md, "deep.png")
    out = decoded(image.data)
    assert image.mode == out.mode == "L"
    assert out.getpixel((0, 10)) < 3
    assert abs(out.getpixel((256, 10)) - 128) <= 3  # scaled, not clipped to white
    assert out.getpixel((511, 10)) > 250


def test_16bit_rgb_png_becomes_8bit(md):
    png_rgb16(md.parent / "deep-rgb.png", 64, 48)
    image, _ = one(md, "deep-rgb.png")
    out = decoded(image.data)
    assert image.mode == out.mode == "RGB"
    assert close(out.getpixel((63, 47)), (255, 255, 128), 4)


def test_one_bit_stays_one_bit(md):
    line_art(600, 400).save(md.parent / "lines.png")
    image, _ = one(md, "lines.png")
    assert image.mode == "1" and not image.is_jpeg
    out = decoded(image.data)
    assert out.mode == "1"
    assert out.size == (600, 400)


def test_big_one_bit_downsampled_stays_one_bit(md):
    line_art(4000, 3000).save(md.parent / "lines.png")
    image, _ = one(md, "lines.png")
    out = decoded(image.data)
    assert out.mode == image.mode == "1"
    assert effective_ppi(image) <= LAYOUT.images.target_ppi * 1.01
    assert set(out.convert("L").get_flattened_data()) <= {0, 255}
    assert 0 in set(out.convert("L").get_flattened_data())  # the lines survived


def test_gray_mode_converts_colour(md):
    photo(1200, 800).save(md.parent / "p.jpg", quality=90)
    Image.new("CMYK", (300, 200), (0, 200, 200, 0)).save(md.parent / "c.jpg")
    line_art(300, 200).save(md.parent / "l.png")
    prepared, _ = prepare(md, figure(md, "p.jpg"), figure(md, "c.jpg"), figure(md, "l.png"),
                          layout=gray_layout())
    modes = {p.name: (img.mode, decoded(img.data).mode) for p, img in prepared.items()}
    assert modes == {"p.jpg": ("L", "L"), "c.jpg": ("L", "L"), "l.png": ("1", "1")}


def test_colour_mode_keeps_colour_but_gray_rgb_becomes_l(md):
    photo(1200, 800).save(md.parent / "p.png")
    photo(1200, 800, "L").convert("RGB").save(md.parent / "bw.png")
    prepared, _ = prepare(md, figure(md, "p.png"), figure(md, "bw.png"))
    assert prepared[md.parent / "p.png"].mode == "RGB"
    assert prepared[md.parent / "bw.png"].mode == "L"


@pytest.mark.parametrize("fmt,suffix", [("WEBP", "webp"), ("TIFF", "tif"), ("BMP", "bmp"),
                                        ("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif")])
def test_supported_formats(md, fmt, suffix):
    quadrants(600, 400).save(md.parent / f"card.{suffix}", fmt)
    image, _ = one(md, f"card.{suffix}")
    out = decoded(image.data)
    assert out.format in ("JPEG", "PNG")
    colours = quadrant_colours(out)
    for quadrant, expected in QUADRANTS.items():
        assert close(colours[quadrant], expected), (quadrant, colours)


def test_photo_from_lossless_source_becomes_jpeg_drawing_stays_png(md):
    photo(1200, 800).save(md.parent / "scan.tif", compression="tiff_lzw")
    quadrants(1200, 800).save(md.parent / "chart.png")
    prepared, _ = prepare(md, figure(md, "scan.tif"), figure(md, "chart.png"))
    assert prepared[md.parent / "scan.tif"].is_jpeg
    assert not prepared[md.parent / "chart.png"].is_jpeg


# --- resolution -------------------------------------------------------------


def test_huge_photo_downsampled_to_target(md):
    photo(3600, 3600).save(md.parent / "big.jpg", quality=92)
    image, problems = one(md, "big.jpg")
    assert problems == []
    assert image.ppi == pytest.approx(effective_ppi(image))
    assert LAYOUT.images.target_ppi * 0.98 <= effective_ppi(image) <= LAYOUT.images.target_ppi * 1.01
    assert image.pixel_width == image.pixel_height  # aspect kept
    assert len(image.data) < 700_000


def test_target_follows_width_fraction(md):
    photo(3000, 2000).save(md.parent / "big.jpg", quality=92)
    image, _ = one(md, "big.jpg", width=0.5)
    assert image.placed_width == pytest.approx(LAYOUT.text_width / 2)
    assert effective_ppi(image) <= LAYOUT.images.target_ppi * 1.01
    assert image.pixel_width == pytest.approx(LAYOUT.text_width / 2 / 72 * 300, abs=1)


def test_custom_target_ppi_and_quality(md):
    layout = dataclasses.replace(LAYOUT, images=dataclasses.replace(LAYOUT.images, target_ppi=150,
                                                                     jpeg_quality=60))
    photo(3000, 2000).save(md.parent / "big.jpg", quality=92)
    image, _ = one(md, "big.jpg", layout=layout)
    assert effective_ppi(image) == pytest.approx(150, rel=0.01)


def test_image_used_twice_prepared_for_largest_use(md):
    photo(3000, 2000).save(md.parent / "big.jpg", quality=92)
    prepared, _ = prepare(md, figure(md, "big.jpg", width=0.3), figure(md, "big.jpg", line=9))
    image = prepared[md.parent / "big.jpg"]
    assert image.placed_width == pytest.approx(LAYOUT.text_width)


def test_small_jpeg_passed_through_untouched(md):
    photo(600, 400).save(md.parent / "small.jpg", quality=80)
    image, _ = one(md, "small.jpg")
    assert image.data == (md.parent / "small.jpg").read_bytes()
    assert image.ppi == pytest.approx(600 * 72 / LAYOUT.text_width)


def test_small_jpeg_not_passed_through_in_gray_mode(md):
    photo(600, 400).save(md.parent / "small.jpg", quality=80)
    image, _ = one(md, "small.jpg", layout=gray_layout())
    assert image.data != (md.parent / "small.jpg").read_bytes()
    assert image.mode == "L"


def test_full_page_resolution(md):
    photo(4000, 6000).save(md.parent / "tall.jpg", quality=90)
    image, _ = one(md, "tall.jpg", full_page=True)  # 2:3 on A6: it covers the page, cut at top and bottom
    assert image.placed_width == pytest.approx(LAYOUT.page_width) and image.placed_height > LAYOUT.page_height
    assert effective_ppi(image) <= 303


def test_cover_image_prepared(md):
    photo(3000, 2000).save(md.parent / "cover.jpg", quality=90)
    prepared, problems = prepare(md, cover="cover.jpg")
    image = prepared[md.parent / "cover.jpg"]
    assert (image.placed_width, image.placed_height) == pytest.approx(cover_size(1.5, LAYOUT))
    assert problems == []


# --- problems ---------------------------------------------------------------


def test_low_resolution_warning_names_file_and_ppi(md):
    photo(100, 80).save(md.parent / "thumb.jpg")
    prepared, problems = prepare(md, figure(md, "thumb.jpg", line=7))
    assert md.parent / "thumb.jpg" in prepared
    ppi = 100 * 72 / LAYOUT.text_width
    assert len(problems) == 1
    p = problems[0]
    assert (p.severity, p.path, p.line) == ("warning", md, 7)
    assert "thumb.jpg" in p.message and f"{ppi:.0f} ppi" in p.message
    assert str(p).startswith(f"warning: {md}:7: ")


def test_no_warning_when_small_image_is_placed_small(md):
    photo(300, 200).save(md.parent / "thumb.jpg")
    _, problems = prepare(md, figure(md, "thumb.jpg", width=0.25))
    assert problems == []


def errors_for(md, name, **kw):
    prepared, problems = prepare(md, figure(md, name, line=12, **kw))
    assert prepared == {}
    assert len(problems) == 1 and problems[0].severity == "error"
    assert (problems[0].path, problems[0].line) == (md, 12)
    assert name in problems[0].message
    return problems[0].message


def test_missing_image(md):
    assert "not found" in errors_for(md, "nowhere.jpg")


def test_folder_instead_of_image(md):
    (md.parent / "dir.png").mkdir()
    assert "folder" in errors_for(md, "dir.png")


def test_unreadable_image(md):
    path = md.parent / "secret.jpg"
    photo(50, 50).save(path)
    path.chmod(0)
    try:
        if path.read_bytes():  # running as root: permissions are not enforced
            pytest.skip("file permissions not enforced")
    except PermissionError:
        assert "cannot read" in errors_for(md, "secret.jpg")
    finally:
        path.chmod(0o644)


def test_truncated_jpeg(md):
    buf = io.BytesIO()
    photo(800, 600).save(buf, "JPEG", quality=90)
    (md.parent / "cut.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    assert "truncated" in errors_for(md, "cut.jpg")


def test_truncated_png(md):
    buf = io.BytesIO()
    photo(400, 300).save(buf, "PNG")
    (md.parent / "cut.png").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    assert "truncated" in errors_for(md, "cut.png")


def test_garbage(md):
    (md.parent / "noise.png").write_bytes(bytes(range(256)) * 20)
    assert "not an image" in errors_for(md, "noise.png")


def test_empty_file(md):
    (md.parent / "empty.jpg").write_bytes(b"")
    assert "empty" in errors_for(md, "empty.jpg")


def test_unsupported_format(md):
    photo(60, 40).save(md.parent / "pic.ppm")
    message = errors_for(md, "pic.ppm")
    assert "unsupported" in message and "PPM" in message


def test_an_svg_without_a_size_says_so(md):
    (md.parent / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert "the SVG has no width, height or viewBox" in errors_for(md, "logo.svg")


def test_decompression_bomb_header(md):
    png_header_only(md.parent / "bomb.png", 30000, 30000)  # 900 Mpx: over twice the limit
    message = errors_for(md, "bomb.png")
    assert "too many pixels" in message and "900,000,000" in message


def test_decompression_bomb_between_limit_and_twice_limit(md, monkeypatch):
    photo(200, 100).save(md.parent / "big.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 15000)  # 20,000 px: Pillow would only warn
    assert "too many pixels" in errors_for(md, "big.png")


def test_error_reported_at_every_use_and_others_still_prepared(md):
    photo(1000, 800).save(md.parent / "good.jpg")
    prepared, problems = prepare(md, figure(md, "gone.jpg", line=4), figure(md, "good.jpg", line=6),
                                 figure(md, "gone.jpg", line=8))
    assert list(prepared) == [md.parent / "good.jpg"]
    assert [(p.line, p.severity) for p in problems] == [(4, "error"), (8, "error")]


# --- cache ------------------------------------------------------------------


def test_cache_hit_skips_processing(md, monkeypatch):
    photo(2000, 1500).save(md.parent / "big.jpg", quality=90)
    first, _ = prepare(md, figure(md, "big.jpg"))
    monkeypatch.setattr(prepare_module, "_process", lambda *a, **k: pytest.fail("processed again"))
    second, _ = prepare(md, figure(md, "big.jpg"))
    assert first == second


def test_cache_keyed_by_settings_and_content(md):
    path = md.parent / "big.jpg"
    photo(2000, 1500).save(path, quality=90)
    a, _ = prepare(md, figure(md, "big.jpg"))
    b, _ = prepare(md, figure(md, "big.jpg", width=0.5))
    assert a[path].pixel_width > b[path].pixel_width
    c, _ = prepare(md, figure(md, "big.jpg"), layout=gray_layout())
    assert c[path].mode == "L"
    photo(2000, 1000, seed=7).save(path, quality=90)
    d, _ = prepare(md, figure(md, "big.jpg"))
    assert d[path].pixel_width / d[path].pixel_height == pytest.approx(2, rel=0.01)


def test_corrupt_cache_entry_is_ignored(md):
    photo(2000, 1500).save(md.parent / "big.jpg", quality=90)
    first, _ = prepare(md, figure(md, "big.jpg"))
    for entry in (md.parent / "cache" / "images").iterdir():
        entry.write_bytes(b"junk")
    second, _ = prepare(md, figure(md, "big.jpg"))
    assert first == second


def test_default_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_module.default_cache_dir() == tmp_path / "booklet"


def test_unwritable_cache_is_not_an_error(md, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    photo(800, 600).save(md.parent / "p.png")
    prepared, problems = prepare_images(booklet_with(md, [figure(md, "p.png")]), LAYOUT, blocker / "cache")
    assert len(prepared) == 1 and problems == []


def test_antialiased_drawing_stays_png(md):
    big = Image.new("RGB", (4800, 3200), "white")
    from PIL import ImageDraw
    draw = ImageDraw.Draw(big)
    for i in range(300, 4800, 600):  # a grid and a circle on paper, like a diagram
        draw.line((i, 0, i, 3200), fill=(20, 60, 160), width=10)
        draw.line((0, i * 2 // 3, 4800, i * 2 // 3), fill=(20, 60, 160), width=10)
    draw.ellipse((1000, 600, 3800, 2600), outline=(200, 30, 30), width=16)
    big.resize((1200, 800), Image.Resampling.LANCZOS).save(md.parent / "diagram.png")
    assert Image.open(md.parent / "diagram.png").getcolors(256) is None  # many shades at the edges
    image, _ = one(md, "diagram.png", width=0.9)
    assert not image.is_jpeg and image.mode == "RGB"


def test_cover_problem_names_the_metadata_line(md):
    yaml = md.parent / "booklet.yaml"
    yaml.write_text("title: Test\nauthor: Me\ncover_image: thumb.jpg\n")
    photo(60, 40).save(md.parent / "thumb.jpg")
    _, problems = prepare(md, cover="thumb.jpg")
    assert [(p.path, p.line, p.severity) for p in problems] == [(yaml, 3, "warning")]


def test_progressive_jpeg_passed_through(md):
    photo(600, 400).save(md.parent / "prog.jpg", quality=80, progressive=True)
    image, _ = one(md, "prog.jpg")
    assert image.data == (md.parent / "prog.jpg").read_bytes()


def test_only_huffman_8bit_jpegs_are_embeddable():
    buffer = io.BytesIO()
    photo(64, 48).save(buffer, "JPEG")
    baseline = buffer.getvalue()
    assert pixels.jpeg_embeddable(baseline)
    sof = baseline.index(b"\xff\xc0")
    arithmetic = baseline[:sof + 1] + b"\xc9" + baseline[sof + 2:]  # SOF9: arithmetic coding
    assert not pixels.jpeg_embeddable(arithmetic)
    twelve_bit = baseline[:sof + 4] + b"\x0c" + baseline[sof + 5:]
    assert not pixels.jpeg_embeddable(twelve_bit)


def test_cache_shared_when_the_placed_size_is_the_same(md, monkeypatch):
    photo(2000, 1500).save(md.parent / "big.jpg", quality=90)
    booklet = booklet_with(md, [figure(md, "big.jpg")])
    first, _ = prepare_images(booklet, LAYOUT, md.parent / "cache", reserve=lambda f: 12.0)
    monkeypatch.setattr(prepare_module, "_process", lambda *a, **k: pytest.fail("processed again"))
    again, _ = prepare_images(booklet, LAYOUT, md.parent / "cache")  # as `booklet check` calls it
    assert again == first


def test_cache_pruned_least_recently_used_first(md, monkeypatch):
    import os
    import time

    names = []
    for i in range(4):
        photo(1500, 1000, seed=i).save(md.parent / f"p{i}.jpg", quality=90)
        names.append(f"p{i}.jpg")
    folder = md.parent / "cache" / "images"
    prepare(md, figure(md, names[0]))
    first_entry = next(folder.iterdir())
    os.utime(first_entry, (time.time() - 100, time.time() - 100))
    for name in names[1:3]:
        prepare(md, figure(md, name))
    size = sum(f.stat().st_size for f in folder.iterdir())
    monkeypatch.setattr(store_module, "LIMIT", size + 10)  # the next entry tips it over
    prepare(md, figure(md, names[3]))
    assert not first_entry.exists()  # the oldest went first
    assert sum(f.stat().st_size for f in folder.iterdir()) <= size + 10
    assert len(list(folder.iterdir())) >= 2


def test_cache_write_survives_an_entry_vanishing_while_pruned(tmp_path):
    """Threads write one kind at once: the first write prunes, and a temporary file another
    thread has renamed since the listing must not turn the store off (it did, now and then,
    on cold builds). A dangling link stands for it: it is listed, and stat() finds nothing."""
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / ".tmp-gone").symlink_to(tmp_path / "renamed")
    store = store_module.Store(tmp_path)
    store.write("images", "entry", b"payload")
    assert store.take_warnings() == []
    assert store.read("images", "entry") == b"payload"


def test_non_srgb_profile_converted_to_srgb(md):
    from imagekit import swapped_profile

    quadrants(600, 400).save(md.parent / "wide-gamut.jpg", quality=95, icc_profile=swapped_profile())
    image, _ = one(md, "wide-gamut.jpg")
    assert image.data != (md.parent / "wide-gamut.jpg").read_bytes()  # small, but not embedded as it is
    out = decoded(image.data)
    assert close(quadrant_colours(out)["top_left"], (30, 30, 220))  # its "red" is sRGB's blue
    assert "icc_profile" not in out.info


def test_non_srgb_profile_on_transparent_png(md):
    from imagekit import swapped_profile

    im = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    im.paste((220, 30, 30, 255), (0, 0, 150, 200))
    im.save(md.parent / "wide.png", icc_profile=swapped_profile())
    out = decoded(one(md, "wide.png")[0].data)
    assert close(out.getpixel((10, 10)), (30, 30, 220))
    assert close(out.getpixel((250, 10)), (255, 255, 255), 2)


def test_srgb_profile_passed_through(md):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo(600, 400).save(md.parent / "srgb.jpg", quality=85, icc_profile=srgb)
    image, _ = one(md, "srgb.jpg")
    assert image.data == (md.parent / "srgb.jpg").read_bytes()


def test_mpo_first_picture(md):
    left, right = quadrants(1500, 1000), Image.new("RGB", (1500, 1000), (0, 0, 0))
    left.save(md.parent / "stereo.mpo", "MPO", save_all=True, append_images=[right])
    assert Image.open(md.parent / "stereo.mpo").format == "MPO"
    image, _ = one(md, "stereo.mpo")
    colours = quadrant_colours(decoded(image.data))
    assert close(colours["top_left"], QUADRANTS["top_left"])
    assert effective_ppi(image) <= LAYOUT.images.target_ppi * 1.01


def test_unconvertible_image_is_an_error_not_a_traceback(md, monkeypatch):
    photo(300, 200).save(md.parent / "odd.png")

    def refuse(im):
        raise ValueError("conversion from Xx to RGB not supported")

    monkeypatch.setattr(prepare_module, "normalize_mode", refuse)
    prepared, problems = prepare(md, figure(md, "odd.png", line=9), cache=False)
    assert prepared == {}
    assert [(p.line, p.severity) for p in problems] == [(9, "error")]
    assert "odd.png cannot be prepared for print (conversion from Xx" in problems[0].message


FORMATS = {"JPEG": ("L", "RGB", "CMYK"), "PNG": ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"),
           "TIFF": ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I", "F"), "WEBP": ("RGB", "RGBA"),
           "GIF": ("L", "P"), "BMP": ("1", "L", "P", "RGB")}


@st.composite
def image_files(draw):
    fmt = draw(st.sampled_from(sorted(FORMATS)))
    mode = draw(st.sampled_from(FORMATS[fmt]))
    width, height = draw(st.integers(1, 900)), draw(st.integers(1, 900))
    orientation = draw(st.integers(1, 8)) if fmt == "JPEG" else 1
    return fmt, mode, width, height, orientation


@given(spec=image_files(), fraction=st.sampled_from([None, 0.25, 0.6]), full=st.booleans(),
       gray=st.booleans())
@settings(max_examples=60, deadline=None)
def test_any_image_comes_out_printable(tmp_path_factory, spec, fraction, full, gray):
    fmt, mode, width, height, orientation = spec
    folder = tmp_path_factory.mktemp("any")
    md = folder / "a.md"
    base = photo(width, height)
    im = base.convert(mode) if mode not in ("I;16", "I", "F") else base.convert("L").convert(mode)
    path = folder / f"img.{fmt.lower()}"
    options = {"exif": _exif(orientation)} if orientation != 1 else {}
    im.save(path, fmt, **options)
    layout = gray_layout() if gray else LAYOUT
    prepared, problems = prepare_images(booklet_with(md, [figure(md, path.name, width=fraction, full_page=full)]),
                                        layout, folder / "cache")
    assert [p for p in problems if p.severity == "error"] == []
    image = prepared[path]
    out = decoded(image.data)
    assert out.size == (image.pixel_width, image.pixel_height)
    assert out.mode == image.mode in (("1", "L") if gray else ("1", "L", "RGB", "CMYK"))
    assert effective_ppi(image) <= layout.images.target_ppi * 1.01
    upright = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
    scale = image.pixel_width / upright[0]
    assert scale <= 1.0 + 1e-9
    assert abs(image.pixel_height - upright[1] * scale) <= 1.0  # aspect kept to the pixel
    assert image.placed_width / image.placed_height == pytest.approx(upright[0] / upright[1], rel=1e-6)


def _exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def test_cmyk_drawing_from_tiff_stays_cmyk_as_jpeg(md):
    # regression: a few-colour CMYK TIFF was sent to the PNG encoder, which has no CMYK
    Image.new("CMYK", (400, 300), (0, 255, 255, 0)).save(md.parent / "flat.tif")
    image, _ = one(md, "flat.tif", width=0.4)
    assert image.is_jpeg and image.mode == "CMYK"
