"""Floating figures under random stories: whatever mix of text, figures and full-page images,
the layout never fails, every figure appears once, figures and text keep their order."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from booklet.images import prepare_images
from booklet.images.prepared import FULL_PAGE_CROP
from booklet.layouts import load_layout
from booklet.model import Article, Booklet, Figure, Location, Metadata, Paragraph, Span
from booklet.typeset.document import typeset
from booklet.typeset.story import caption_reserve

from imagekit import photo

ASPECTS = {"wide": (1600, 400), "landscape": (1500, 1000), "square": (1000, 1000),
           "portrait": (1000, 1500), "tall": (500, 2000)}
WORDS = "paper ink press fold staple page sheet street library bicycle garden kitchen".split()
LAYOUT = load_layout("pocket")


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("float-images")
    for name, size in ASPECTS.items():
        photo(*size, seed=len(name)).save(folder / f"{name}.jpg", quality=80)
    return folder


paragraph_st = st.integers(1, 140)  # words
figure_st = st.tuples(st.sampled_from(sorted(ASPECTS)), st.sampled_from([None, 0.5, 0.8]),
                      st.booleans(), st.integers(0, 40))  # aspect, width, full page, caption words
story_st = st.lists(st.one_of(paragraph_st, figure_st), min_size=1, max_size=12)
stories_st = st.lists(story_st, min_size=1, max_size=3)


def make_booklet(folder: Path, stories) -> tuple[Booklet, list[tuple[int, str]], list[str]]:
    """A booklet with one article per story; figures as (article index, aspect) in order."""
    md = folder / "story.md"
    articles, figures, tokens = [], [], []
    for number, story in enumerate(stories):
        blocks = []
        for i, item in enumerate(story):
            where = Location(md, i + 1)
            if isinstance(item, int):
                token = f"para{number}n{i}x"
                words = [token] + [WORDS[(i + j) % len(WORDS)] for j in range(item - 1)]
                blocks.append(Paragraph((Span(" ".join(words)),), where))
                tokens.append(token)
            else:
                aspect, width, full, caption_words = item
                caption = " ".join(["figure"] + (WORDS * 4)[:caption_words])
                blocks.append(Figure(folder / f"{aspect}.jpg", (Span(caption),) if caption_words else (), where,
                                     width=width, full_page=full))
                figures.append((number, aspect))
        articles.append(Article(f"Heading{number}z", tuple(blocks), Location(md, 1)))
    meta = Metadata(title="Floats", where=Location(folder / "booklet.yaml", 1))
    return Booklet("floats", meta, tuple(articles)), figures, tokens


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stories=stories_st)
@example(stories=[[("portrait", None, True, 0)]])  # a {.full} portrait covers its page, cut at the top
def test_random_stories_lay_out_with_every_figure_in_order(image_folder, stories):
    booklet, figures, tokens = make_booklet(image_folder, stories)
    images, problems = prepare_images(booklet, LAYOUT, image_folder / "cache",
                                      reserve=caption_reserve(booklet, LAYOUT))
    assert not [p for p in problems if p.severity == "error"]
    pdf = typeset(booklet, LAYOUT, images).pdf
    names = {}
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        for key, ref in page["/Resources"].get("/XObject", {}).items():
            names[key[1:]] = ref.get_object()._data
    by_data = {image.data: path.stem for path, image in images.items()}
    shown, text, openings = [], [], []
    with pdfplumber.open(io.BytesIO(pdf)) as plumber:
        for index, page in enumerate(plumber.pages):
            shown += [(index, image["top"], by_data[names[image["name"]]]) for image in page.images]
            for image in page.images:  # inside the page, not off its edges; or a {.full} picture
                width, height = image["x1"] - image["x0"], image["bottom"] - image["top"]  # covering
                if image["x0"] < -0.5 or image["top"] < -0.5:  # its page, cut to it by a tenth at most
                    assert image["x0"] <= 0.5 and image["x1"] >= LAYOUT.page_width - 0.5 and image["top"] <= 0.5
                    assert min(LAYOUT.page_width / width, LAYOUT.page_height / height) >= 1 - FULL_PAGE_CROP - 0.01
                else:
                    assert image["x1"] <= LAYOUT.page_width + 0.5 and image["bottom"] <= LAYOUT.page_height + 0.5
            words = page.extract_text().split()
            text += words
            openings += [index for word in words[:1] if index and word.startswith("Heading")]
    assert [name for _, _, name in sorted(shown)] == [aspect for _, aspect in figures]
    # a figure never drifts into the next article
    for (index, _, _), (article, _) in zip(sorted(shown), figures):
        assert openings[article] <= index
        if article + 1 < len(openings):
            assert index < openings[article + 1]
    found = [word for word in text if word.startswith("para") and word.endswith("x")]
    assert found == tokens
