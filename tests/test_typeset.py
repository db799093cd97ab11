"""The reading PDF of a generated booklet, read back with pypdf and pdfplumber."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from booklet.build import load_booklet
from booklet.images import prepare_images
from booklet.paper import MM
from booklet.model import Figure, Heading, ListBlock, Paragraph, Quote, Span, iter_blocks
from booklet.typeset.document import typeset
from building import build_reading_pdf
from pdftext import MARKER, contains_in_order, page_lines, text_without_markers, word_stream

A6 = (105 * MM, 148 * MM)


@pytest.fixture(scope="module")
def reading(generated_booklet, tmp_path_factory):
    booklet, layout = load_booklet(generated_booklet)
    images, _ = prepare_images(booklet, layout)
    result = typeset(booklet, layout, images)
    path = tmp_path_factory.mktemp("read") / "gen-read.pdf"
    path.write_bytes(result.pdf)
    return booklet, layout, result, path


def test_pages_are_a6_and_padded_to_whole_sheets(reading):
    _, _, result, path = reading
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == result.page_count
    assert result.page_count % 8 == 0
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A6[0], abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(A6[1], abs=0.01)


def test_back_cover_is_last_and_blanks_come_before_it(reading):
    booklet, _, result, path = reading
    lines = page_lines(path)
    last = " ".join(text for text, *_ in lines[-1])
    assert booklet.metadata.edition in last and booklet.metadata.publisher in last
    for number in result.blank_pages:
        assert lines[number - 1] == [], f"blank page {number} has text"
    assert list(result.blank_pages) == list(range(result.page_count - len(result.blank_pages), result.page_count))


def test_marker_on_every_text_page_centred_at_the_foot(reading):
    _, layout, result, path = reading
    lines = page_lines(path)
    unmarked = {1, result.page_count, *result.blank_pages}
    for number, page in enumerate(lines, 1):
        markers = [(t, x0, x1, top) for t, x0, x1, top in page if MARKER.match(t)]
        if number in unmarked:
            assert not markers, f"page {number} should have no marker"
            continue
        assert len(markers) == 1, f"page {number}: {markers}"
        text, x0, x1, top = markers[0]
        assert int(MARKER.match(text).group(1)) == number
        inner_left = number % 2 == 1
        left = layout.margins.inner if inner_left else layout.margins.outer
        centre = left + layout.text_width / 2
        assert (x0 + x1) / 2 == pytest.approx(centre, abs=1.0)
        assert top > layout.page_height - layout.margins.bottom, "marker must sit below the text block"


def test_contents_numbers_are_the_pages_where_articles_start(reading):
    booklet, _, result, path = reading
    lines = page_lines(path)
    cover = [text for text, *_ in lines[0]]
    titles = [a.title for a in booklet.articles if a.title]
    assert [t for t, _ in result.article_pages] == titles
    for title, page_number in result.article_pages:
        entry = next(line for line in cover if line.startswith(title[:20]))
        assert entry.endswith(f" {page_number}"), entry
        first_line = lines[page_number - 1][0][0]
        assert title.startswith(first_line) or first_line.startswith(title[:15])


def test_every_word_of_the_sources_is_in_the_pdf_in_order(reading):
    """Text comes out in source order; a figure may float to the next page, so its caption
    is only required to be there."""
    booklet, _, _, path = reading
    source_words: list[str] = []
    captions: list[str] = []
    for article in booklet.articles:
        if article.title:
            source_words += word_stream(article.title + " " + (article.date or ""))
        for block in iter_blocks(article.blocks):
            if isinstance(block, (Paragraph, Heading)):
                source_words += word_stream("".join(s.text for s in block.inlines if isinstance(s, Span)))
            elif isinstance(block, Figure):
                captions += word_stream("".join(s.text for s in block.caption if isinstance(s, Span)))
    reader = pypdf.PdfReader(path)
    pdf_words = word_stream(text_without_markers([page.extract_text() for page in reader.pages[1:]]))
    assert contains_in_order(pdf_words, source_words) == len(source_words)
    assert set(captions) <= set(pdf_words)


def test_all_fonts_embedded_and_metadata_set(reading):
    booklet, _, _, path = reading
    reader = pypdf.PdfReader(path)
    seen = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} not embedded"
            seen.add(str(font["/BaseFont"]))
    assert not any("Helvetica" in name for name in seen)
    assert reader.metadata.title == booklet.metadata.title
    assert reader.metadata.author == booklet.metadata.author
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_outline_and_clickable_contents(reading):
    booklet, _, result, path = reading
    reader = pypdf.PdfReader(path)
    outline = [(item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline]
    assert outline == list(result.article_pages)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"  # viewers open with the bookmarks shown
    annotations = reader.pages[0].get("/Annots") or []
    links = [a.get_object() for a in annotations if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) == len(result.article_pages)


def test_each_article_starts_on_a_new_page_with_its_lead_photo(reading):
    _, _, result, path = reading
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for _, number in result.article_pages:
            assert pdf.pages[number - 1].images, f"page {number} has no lead photo"


def test_nested_blocks_are_typeset(reading):
    booklet, _, _, path = reading
    kinds = {type(b) for a in booklet.articles for b in iter_blocks(a.blocks)}
    assert {Quote, ListBlock, Figure, Heading} <= kinds
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert "* * *" in text and "Print it, fold it, pass it on!" in text


def test_contents_too_long_for_the_cover_get_pages_of_their_own_with_right_numbers(tmp_path):
    """Forty articles: the contents leave the cover for page 2 (under the language's heading),
    run onto page 3, and every number is still right."""
    parts = ["---", "title: Many Articles", "language: uk", "---", "Передмова.", ""]
    for number in range(1, 41):
        parts += [f"# Стаття {number}: про ґанок і їжака", "*1 вересня 2026*", "", "Їжак і ґанок. " * 40, ""]
    source = tmp_path / "many.md"
    source.write_text("\n".join(parts), encoding="utf-8")
    booklet, layout = load_booklet(source)
    result = typeset(booklet, layout, {})
    path = tmp_path / "many-read.pdf"
    path.write_bytes(result.pdf)
    lines = page_lines(path)
    contents = [text for page in lines[:3] for text, *_ in page if text.startswith("Стаття")]
    assert not any(t.startswith("Стаття") for t, *_ in lines[0]) and lines[1][0][0] == "Зміст"
    assert len(contents) == 40 and any(t.startswith("Стаття") for t, *_ in lines[2])
    for entry, (title, page_number) in zip(contents, result.article_pages):
        assert entry == f"{title} {page_number}"
        assert lines[page_number - 1][0][0].startswith(title[:10])


def test_pages_inside_an_article_are_full(reading):
    """No page inside an article ends more than 2 lines above where a full page ends."""
    import statistics

    import pdfplumber

    _, layout, result, path = reading
    article_ends = {page - 1 for _, page in result.article_pages}
    last_text_page = result.page_count - 1 - len(result.blank_pages)
    foot = layout.page_height - layout.margins.bottom
    leading = layout.styles["body"].leading
    room: dict[int, float] = {}  # page number → lines of room below its lowest content
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if number == 1 or number in article_ends or number >= last_text_page:
                continue
            lines = [line for line in page.extract_text_lines() if not MARKER.match(line["text"])]
            lowest = max([line["bottom"] for line in lines] + [image["bottom"] for image in page.images])
            room[number] = (foot - lowest) / leading
    full = statistics.median(room.values())  # most pages are full: below their last line is the
    # descender and the part of a leading that did not fit
    short = {number: round(lines - full, 1) for number, lines in room.items() if lines - full > 2.05}
    assert not short, f"pages ending more than 2 lines short: {short}"


def test_a_list_item_that_introduces_a_nested_list_keeps_with_its_first_item_only(tmp_path):
    """Regression (the example's tool list): "• Kitchen and household" ended a page and its
    own items began the next; then, kept with its whole list, a long list left a page half
    empty. Fillers of every length put each lead-in at a page foot once."""
    import pdfplumber

    def group(n: int, items: int) -> str:
        return f"- **Group {n}**\n" + "\n".join(f"  - spades, forks and rakes number {k}" for k in range(items))

    groups = "\n".join(group(n, 12 if n % 3 == 0 else 3) for n in range(1, 10))
    stranded, short = [], []
    for filler_lines in range(0, 14):
        source = tmp_path / f"list-{filler_lines}.md"
        filler = " ".join(["Tools are lent for a week and come back cleaned."] * (filler_lines * 6 + 1))
        source.write_text(f"---\ntitle: Lists\n---\n\n{filler}\n\n{groups}\n\nThe end.\n", encoding="utf-8")
        booklet, layout = load_booklet(source)
        path = tmp_path / f"list-{filler_lines}.pdf"
        result = typeset(booklet, layout, {})
        path.write_bytes(result.pdf)
        foot = layout.page_height - layout.margins.bottom
        leading = layout.styles["list"].leading
        with pdfplumber.open(path) as pdf:
            last_text_page = result.page_count - 1 - len(result.blank_pages)
            for number, page in enumerate(pdf.pages[:last_text_page - 1], 1):
                lines = [line for line in page.extract_text_lines() if not MARKER.match(line["text"])]
                if number == 1 or not lines:
                    continue
                if lines[-1]["text"].lstrip("• ").startswith("Group"):
                    stranded.append((filler_lines, number, lines[-1]["text"]))
                room = (foot - lines[-1]["bottom"]) / leading
                if room > 3.3:  # a full page has under a line of room: the lead and its first item moved
                    short.append((filler_lines, number, round(room, 1)))
    assert not stranded
    assert not short



def test_reportlabs_unused_patterns_are_compiled_when_first_used(tmp_path: Path) -> None:
    """booklet.typeset imports reportlab.platypus with the URL pattern of ReportLab's Paragraph
    and the pattern of its CJK wrapper left to compile when first used (34 ms of a cold build,
    and booklet uses neither): in a new process neither is compiled by the import, and each
    matches as ReportLab's pattern does."""
    code = ("import re, booklet.typeset\n"
            "from reportlab.lib import textsplit\n"
            "from reportlab.platypus import paragraph\n"
            "print(isinstance(paragraph.uri_pat, re.Pattern), isinstance(textsplit.rx, re.Pattern))\n"
            "url = 'https://example.org/a/b?c=d'\n"
            "print(paragraph.uri_pat.match(url).groups() == re.compile(paragraph.uri_pat.pattern, re.I).match(url).groups())\n"
            "print(textsplit.rx.sub(r'<\\1>', 'ab日本') == 'ab<日><本>')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.stdout.split() == ["False", "False", "True", "True"], done.stderr


@pytest.mark.parametrize("language, word", [("uk", "Самоорганізаційновідповідальність"),
                                            ("en", "Pneumonoultramicroscopicsilicovolcanoconiosis")])
def test_a_title_word_wider_than_the_line_is_hyphenated_not_cut_between_letters(tmp_path: Path, language: str,
                                                                               word: str) -> None:
    """Titles are not hyphenated, so a word wider than the line was cut between two letters
    with no sign ('Самоорганіза' / 'ційновідповідальність'), and the preflight warned so. It
    now breaks at its hyphenation points, with a hyphen, inside the text block, unwarned."""
    from booklet.hyphenate import hyphenator
    from booklet.preflight import preflight
    from building import build_reading_pdf

    folder = tmp_path / "zine"
    folder.mkdir()
    (folder / "booklet.yaml").write_text(f"title: {word}\nlanguage: {language}\n", encoding="utf-8")
    (folder / "01-a.md").write_text(f"# {word} and more\n\nSome text.\n", encoding="utf-8")
    booklet, layout = load_booklet(folder)
    assert [p.message for p in preflight(booklet, layout)] == []
    pages = page_lines(build_reading_pdf(folder))
    points = hyphenator(language).points(word)
    for page, right_margin in ((pages[0], layout.margins.outer), (pages[1], layout.margins.inner)):  # the
        right = layout.page_width - right_margin  # cover's title on a right page, the article's on a left one
        joined, cuts = "", []
        for text, x0, x1, top in page:
            assert x1 <= right + 0.5, text  # inside the text block
            if text.endswith("-") and text[:-1].isalpha():
                cuts.append(len(joined) + len(text) - 1)
                joined += text[:-1]
            else:
                joined += text + " "
        assert joined.startswith(word)
        assert cuts and all(cut in points for cut in cuts), (cuts, points)


def test_list_numbers_from_10_up_are_right_aligned_clear_of_their_text(tmp_path: Path) -> None:
    """The indent was 11 pt whatever the numbers: '10.' printed over the 'S' of 'Step', and
    '100.' over the item text. The numbers now end on one line, a space before the text."""
    import pdfplumber

    from building import build_reading_pdf

    items = "\n".join(f"{n}. Step {n} of a procedure long enough to wrap onto a second line of the list."
                      for n in range(1, 13))
    source = tmp_path / "zine.md"
    source.write_text(f"---\ntitle: T\n---\n# Steps\n\nThe steps:\n\n{items}\n\nThen:\n\n100. A hundred.\n101. And one.\n",
                      encoding="utf-8")
    with pdfplumber.open(build_reading_pdf(source)) as pdf:
        words = [word for page in pdf.pages[1:] for word in page.extract_words(x_tolerance=1)]
    labels = [(i, word) for i, word in enumerate(words) if re.fullmatch(r"\d+\.", word["text"])]
    assert [word["text"] for _, word in labels] == [f"{n}." for n in (*range(1, 13), 100, 101)]
    size = words[labels[0][0] + 1]["bottom"] - words[labels[0][0] + 1]["top"]
    gaps = []
    for i, label in labels:
        text = words[i + 1]  # the item's first word, on the label's line, where every item's text starts
        assert abs(text["top"] - label["top"]) < 1, (label, text)
        gaps.append(text["x0"] - label["x1"])
    assert min(gaps) >= 0.2 * size and max(gaps) - min(gaps) < 0.5, gaps  # right-aligned, clear of the text


@pytest.mark.parametrize("words_before", [20, 150])
def test_the_paragraph_after_a_figure_keeps_its_indent(tmp_path: Path, words_before: int) -> None:
    """A figure floats: the paragraph after it continues the text of the one before it. It was
    set without its indent, and where the figure had moved to the next page it ran on from
    the paragraph before with nothing to show a new one began. With 20 words the figure stays
    where it is written; with 150 it moves on."""
    from PIL import Image

    from booklet.layouts import load_layout
    from building import build_reading_pdf

    Image.new("RGB", (600, 800), (90, 90, 90)).save(tmp_path / "tall.jpg")
    before = " ".join(["The words before the figure run on."] * (words_before // 7))
    after = " ".join(["Zebra words after the figure run on for a while."] * 6)
    source = tmp_path / "zine.md"
    source.write_text(f"---\ntitle: T\n---\n# One\n\n{before}\n\n![A tall picture](tall.jpg)\n\n{after}\n",
                      encoding="utf-8")
    lines = [line for page in page_lines(build_reading_pdf(source)) for line in page]
    first = next(i for i, line in enumerate(lines) if line[0].startswith("Zebra"))
    indent = lines[first][1] - lines[first + 1][1]
    assert indent == pytest.approx(load_layout("pocket").styles["body"].first_indent, abs=0.6)


def test_the_paragraphs_of_a_quote_are_indented_not_spaced(tmp_path: Path) -> None:
    """A quoted letter of three paragraphs: each after the first is indented, with no space
    between them. They were 4 + 4 pt apart and not indented, and the page builder stretched
    that space to a line and a half on a page the quote filled (the example's page 31)."""
    from booklet.layouts import load_layout
    from building import build_reading_pdf

    letter = "\n>\n".join("> " + " ".join([f"Letter words of paragraph {n} go on a while."] * 9) for n in (1, 2, 3))
    body = " ".join(["Body words around the quote fill the page."] * 30)
    source = tmp_path / "zine.md"
    source.write_text(f"---\ntitle: T\n---\n# One\n\n{body}\n\n{letter}\n\n{body}\n", encoding="utf-8")
    lines = [line for page in page_lines(build_reading_pdf(source)) for line in page]
    quote = load_layout("pocket").styles["quote"]
    for n in (2, 3):
        first = next(i for i, line in enumerate(lines) if line[0].startswith(f"Letter words of paragraph {n}"))
        before, start, after = lines[first - 1], lines[first], lines[first + 1]
        assert start[1] - after[1] == pytest.approx(quote.first_indent, abs=0.6)
        if before[3] < start[3]:  # on one page: one leading apart, as the lines inside a paragraph
            assert start[3] - before[3] == pytest.approx(quote.leading, abs=0.6)


def test_titles_and_captions_are_set_in_lines_of_about_one_length(tmp_path: Path) -> None:
    """A designer's break: 'Small Presses, / Long Tables', not 'Small Presses, Long / Tables';
    an article title and a centred caption likewise, with no word alone on the last line."""
    from PIL import Image

    from building import build_reading_pdf

    Image.new("RGB", (600, 400), (90, 90, 90)).save(tmp_path / "wide.jpg")
    source = tmp_path / "zine.md"
    source.write_text("---\ntitle: Small Presses, Long Tables\n---\n# An article with no lead photo at all\n\n"
                      + " ".join(["Words of the article."] * 20)
                      + "\n\n![The tool shed on Orchard Row on a Saturday morning, with the bicycle and trailer "
                        "we use for deliveries.](wide.jpg)\n\nMore words.\n", encoding="utf-8")
    pages = page_lines(build_reading_pdf(source))
    cover = [line[0] for line in pages[0]]
    assert cover[:2] == ["Small Presses,", "Long Tables"]
    for page, first in ((pages[1], "An article"), (pages[1], "The tool shed")):
        start = next(i for i, line in enumerate(page) if line[0].startswith(first))
        one, two = page[start], page[start + 1]
        assert len(two[0].split()) >= 2, (one, two)
        assert (two[2] - two[1]) > 0.6 * (one[2] - one[1]), (one, two)  # the second line not much shorter


def test_a_heading_under_an_ornament_or_a_heading_adds_no_space_of_its_own(tmp_path: Path) -> None:
    """'* * *' then '## …', and '##' then '###': the two spaces added up (36–40 pt under an
    ornament in the example, wider than a section's break). The space between them is now the
    first one's alone."""
    from booklet.layouts import load_layout
    from building import build_reading_pdf

    source = tmp_path / "zine.md"
    source.write_text("---\ntitle: T\n---\n# One\n\nSome words of text.\n\n* * *\n\n## After the break\n\n"
                      "More words.\n\n## Section\n\n### Subsection\n\nEnd words.\n", encoding="utf-8")
    tops = {text: top for text, _, _, top in page_lines(build_reading_pdf(source))[1]}  # the article's last page
    styles = load_layout("pocket").styles
    assert tops["After the break"] - tops["* * *"] < styles["ornament"].space_after + styles["heading2"].leading + 2
    assert tops["Subsection"] - tops["Section"] < styles["heading2"].space_after + styles["heading3"].leading + 2


def test_a_short_note_holding_a_list_is_set_at_the_page_foot_in_the_notes_type(tmp_path: Path) -> None:
    """It went to the end notes, right under the text, its list at body size, while the plain
    note after it sat at the page's foot."""
    source = tmp_path / "notes.md"
    source.write_text("---\ntitle: Notes\n---\n# Notes\n\nA paragraph that calls a note.[^n] And another "
                      "sentence calls a second one.[^m]\n\n[^n]: A note with a list:\n\n    - one\n    - two\n\n"
                      "[^m]: A plain second note.\n", encoding="utf-8")
    with pdfplumber.open(build_reading_pdf(source)) as pdf:
        [page] = [page for page in pdf.pages if "A paragraph" in (page.extract_text() or "")]
        words = {word["text"]: word for word in page.extract_words(extra_attrs=["size"])}
        rules = [line for line in page.lines if line["x1"] - line["x0"] < page.width / 2]
        assert len(rules) == 1, rules  # the foot notes' rule; no end notes' rule under the text
        rule = rules[0]
        text_foot = words["sentence"]["bottom"]
    assert rule["top"] > (text_foot + page.height) / 2  # at the foot, not under the text
    note = words["list:"]["size"]
    assert note < words["sentence"]["size"]
    assert words["one"]["size"] == words["two"]["size"] == note == words["plain"]["size"]
    tops = [words[w]["top"] for w in ("list:", "one", "two", "plain")]
    assert rule["top"] < tops[0] < tops[1] < tops[2] < tops[3] < tops[0] + 5 * words["list:"]["size"] * 1.5
