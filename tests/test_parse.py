"""Sources and Markdown → model: both input forms and every supported element."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from booklet.model import (
    CodeBlock, Figure, Heading, LineBreak, ListBlock, Paragraph, Quote, SectionBreak, iter_blocks, plain_text,
)
from booklet.parse import parse_booklet
from booklet.sources import read_sources
from building import build_reading_pdf


def parse_file(tmp_path: Path, text: str, name: str = "zine.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_booklet(read_sources(path))


def test_single_file_front_matter_preface_articles_and_datelines(tmp_path):
    booklet = parse_file(tmp_path, "---\ntitle: Zine\nauthor: Us\ncontacts: [a@example.org]\n---\n"
                                   "A preface.\n\n# First\n*September 6, 2024*\n\nText one.\n\n# Second\n\nText two.\n")
    assert booklet.name == "zine"
    assert booklet.metadata.title == "Zine" and booklet.metadata.contacts == ("a@example.org",)
    preface, first, second = booklet.articles
    assert preface.title is None and plain_text(preface.blocks[0].inlines) == "A preface."
    assert (first.title, first.date) == ("First", "September 6, 2024")
    assert plain_text(first.blocks[0].inlines) == "Text one."
    assert (second.title, second.date) == ("Second", None)
    assert first.blocks[0].where.line == 11  # lines count from the top of the file


def test_front_matter_values_print_as_written_not_as_yaml_reads_them(tmp_path):
    """YAML would read these as a date (or fail: there is no month 13), numbers and a
    boolean; a booklet prints them, so they stay the text the writer typed."""
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "booklet.yaml").write_text("title: 1984\nedition: 1.10\ndate: 2026-1-5\nsubtitle: yes\n"
                                         "contacts:\n  - 07700900123\n  - 12:30 Saturdays\n", encoding="utf-8")
    (folder / "one.md").write_text("---\ntitle: 007\ndate: 2026-13-45\n---\nText.\n", encoding="utf-8")
    booklet = parse_booklet(read_sources(folder))
    meta = booklet.metadata
    assert (meta.title, meta.edition, meta.date, meta.subtitle) == ("1984", "1.10", "2026-1-5", "yes")
    assert meta.contacts == ("07700900123", "12:30 Saturdays")
    assert (booklet.articles[0].title, booklet.articles[0].date) == ("007", "2026-13-45")
    pdf = build_reading_pdf(folder)
    with pdfplumber.open(pdf) as document:
        printed = "\n".join(page.extract_text() or "" for page in document.pages)
    for written in ("2026-13-45", "07700900123", "1.10"):
        assert written in printed


def test_folder_with_article_list_front_matter_and_heading_titles(tmp_path):
    (tmp_path / "booklet.yaml").write_text("title: Folder zine\nlanguage: uk\narticles: [b.md, a.md, c.md]\n")
    (tmp_path / "a.md").write_text("---\ntitle: From front matter\ndate: 1 May\nauthor: Ann\nlanguage: ru\n---\nText.\n")
    (tmp_path / "b.md").write_text("# From the heading\n\nText.\n")
    (tmp_path / "c.md").write_text("Untitled text.\n")
    booklet = parse_booklet(read_sources(tmp_path))
    titles = [a.title for a in booklet.articles]
    assert titles == ["From the heading", "From front matter", None]
    assert booklet.articles[1].date == "1 May" and booklet.articles[1].author == "Ann"
    assert [a.language for a in booklet.articles] == ["uk", "ru", "uk"]


def test_a_front_matter_title_and_a_heading_title_say_which_is_the_title(tmp_path):
    """Both printed, the heading as a section heading under the title, without a word (found by
    a new user's trial): said once, at the heading's line."""
    (tmp_path / "booklet.yaml").write_text("title: T\narticles: [a.md, b.md]\n")
    (tmp_path / "a.md").write_text("---\ntitle: From front matter\n---\n# From the heading\n\nText.\n")
    (tmp_path / "b.md").write_text("---\ntitle: Only here\n---\nText.\n\n# A section\n\nMore.\n")
    booklet = parse_booklet(read_sources(tmp_path))
    assert [a.title for a in booklet.articles] == ["From front matter", "Only here"]
    assert isinstance(booklet.articles[0].blocks[0], Heading)
    assert [(r.message, r.where.path.name, r.where.line) for r in booklet.remarks] == [
        ("the article's title is the front matter's (From front matter); the '# From the heading' heading "
         "under it is printed as a section heading", "a.md", 4)]


def test_an_article_listed_twice_is_printed_twice_with_a_warning(tmp_path):
    """Most often a line copied and not changed: said, once, with how often it is printed."""
    (tmp_path / "booklet.yaml").write_text("title: T\narticles:\n  - a.md\n  - b.md\n  - ./a.md\n")
    (tmp_path / "a.md").write_text("# A\n\nx\n")
    (tmp_path / "b.md").write_text("# B\n\nx\n")
    booklet = parse_booklet(read_sources(tmp_path))
    assert [a.title for a in booklet.articles] == ["A", "B", "A"]
    assert [(r.message, r.where.line) for r in booklet.remarks] == [
        ("a.md is listed 2 times in the 'articles' of booklet.yaml, so it is printed 2 times; list it once to "
         "print it once", 2)]


def test_a_cover_listed_as_an_article_too_is_printed_twice_with_a_warning(tmp_path):
    (tmp_path / "booklet.yaml").write_text("title: T\nback: back.md\narticles:\n  - a.md\n  - back.md\n")
    (tmp_path / "a.md").write_text("# A\n\nx\n")
    (tmp_path / "back.md").write_text("Pass it on.\n")
    booklet = parse_booklet(read_sources(tmp_path))
    assert len(booklet.articles) == 2 and booklet.metadata.back.kind == "markdown"
    assert [(r.message, r.where.line) for r in booklet.remarks] == [
        ("back.md is the back cover and in the 'articles' of booklet.yaml too, so it is printed twice; take it "
         "out of the list", 2)]


def test_folder_without_list_takes_markdown_files_sorted(tmp_path):
    (tmp_path / "2.md").write_text("# Two\n\nx\n")
    (tmp_path / "1.md").write_text("# One\n\nx\n")
    (tmp_path / "booklet.yaml").write_text("title: T\n")
    assert [a.title for a in parse_booklet(read_sources(tmp_path)).articles] == ["One", "Two"]


def test_language_quotes_and_typography(tmp_path):
    en = parse_file(tmp_path, '---\ntitle: T\n---\n"Hello" -- it\'s... done\n', "en.md")
    assert plain_text(en.articles[0].blocks[0].inlines) == "“Hello” – it’s… done"
    uk = parse_file(tmp_path, '---\ntitle: T\nlanguage: uk\n---\n"Привіт," сказала вона.\n', "uk.md")
    assert plain_text(uk.articles[0].blocks[0].inlines) == "«Привіт,» сказала вона."


@pytest.mark.parametrize("language, dash", [("uk", "—"), ("ru", "—"), ("en", "–")])
def test_a_spaced_double_hyphen_is_the_languages_dash(tmp_path, language, dash):
    """Ukrainian and Russian put an em dash between words (тире), where English puts a spaced
    en dash; a range keeps its en dash, code keeps its hyphens."""
    booklet = parse_file(tmp_path, f"---\ntitle: T\nlanguage: {language}\n---\n"
                                   "Хліб -- ще раніше, 1990--2000, `a -- b`.\n")
    assert plain_text(booklet.articles[0].blocks[0].inlines) == f"Хліб {dash} ще раніше, 1990–2000, a -- b."


def test_titles_and_lines_from_yaml_get_the_typography_of_the_text(tmp_path):
    """A title in front matter prints as the same title written as a heading (it kept "" and
    --); contacts stay as written (an address may hold -- on purpose)."""
    booklet = parse_file(tmp_path, '---\ntitle: Quotes "test" -- book\nauthor: O\'Neill & co...\n'
                         'language: uk\ncontacts:\n  - a--b@example.org\n---\n# "Заголовок" -- тут\n\nТекст.\n')
    meta = booklet.metadata
    assert (meta.title, meta.author, meta.contacts) == ("Quotes «test» — book", "O’Neill & co…", ("a--b@example.org",))
    assert booklet.articles[0].title == "«Заголовок» — тут"
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "booklet.yaml").write_text("title: B\n", encoding="utf-8")
    (tmp_path / "b" / "one.md").write_text('---\ntitle: A "flat" tyre -- fixed\ndate: May--June\n---\nText.\n',
                                           encoding="utf-8")
    article = parse_booklet(read_sources(tmp_path / "b")).articles[0]
    assert (article.title, article.date) == ("A “flat” tyre – fixed", "May–June")


@pytest.mark.parametrize("language, caption", [("en", "Anna’s “best” photo – at dusk…"),
                                                ("uk", "Прив’язаний «човен» — на світанку…")])
def test_a_caption_gets_the_typography_of_the_text(tmp_path, language, caption):
    """markdown-it's typographer does not go into an image's alt text: captions printed
    Anna's "best" photo -- at dusk... as typed. An image inside a heading prints its alt text
    the same way."""
    written = {"en": 'Anna\'s "best" photo -- at dusk...', "uk": 'Прив\'язаний "човен" -- на світанку...'}[language]
    booklet = parse_file(tmp_path, f"---\ntitle: T\nlanguage: {language}\n---\n# One\n\nText.\n\n"
                                   f"![{written}](a.jpg)\n\n## See ![{written}](b.jpg)\n")
    figure, heading = booklet.articles[0].blocks[1:3]
    assert plain_text(figure.caption) == caption
    assert plain_text(heading.inlines) == f"See {caption}"


def test_raw_html_stays_literal_text(tmp_path):
    booklet = parse_file(tmp_path, "---\ntitle: T\n---\n<b>bold?</b> a < b & c\n\n<div>\nblock\n</div>\n")
    texts = [plain_text(b.inlines) for b in booklet.articles[0].blocks]
    assert texts[0] == "<b>bold?</b> a < b & c"
    assert "<div>" in texts[1]


def test_every_block_kind(tmp_path):
    text = """---
title: T
---
# Article

## Part
### Sub
#### Small

Line one\\
line two, a [link](https://example.org/x) and <https://example.org/y>.

> quoted
>
> > nested

1. one
2. two
   - inner

* * *

```
code  block
```

![A caption](photo.jpg)

![Narrow](photo.jpg){width=60%}

![Whole page](photo.jpg){.full}
"""
    blocks = parse_file(tmp_path, text).articles[0].blocks
    kinds = [type(b) for b in blocks]
    assert kinds == [Heading, Heading, Heading, Paragraph, Quote, ListBlock, SectionBreak, CodeBlock,
                     Figure, Figure, Figure]
    assert [b.level for b in blocks[:3]] == [2, 3, 4]
    paragraph = blocks[3]
    assert any(isinstance(i, LineBreak) for i in paragraph.inlines)
    assert "link (https://example.org/x)" in plain_text(paragraph.inlines)
    assert plain_text(paragraph.inlines).count("https://example.org/y") == 1
    assert isinstance(blocks[4].blocks[1], Quote)
    assert blocks[5].ordered and isinstance(blocks[5].items[1][1], ListBlock)
    assert blocks[7].text == "code  block"
    figure, narrow, whole = blocks[8:]
    assert figure.image == tmp_path / "photo.jpg" and plain_text(figure.caption) == "A caption"
    assert figure.width is None and narrow.width == 0.6 and whole.full_page


def _without_locations(value):
    """A model value with every Location left out: blocks compared by what they hold."""
    import dataclasses

    from booklet.model import Location

    if isinstance(value, tuple):
        return tuple(_without_locations(v) for v in value)
    if dataclasses.is_dataclass(value):
        return (type(value).__name__, *(_without_locations(getattr(value, f.name)) for f in dataclasses.fields(value)
                                        if not isinstance(getattr(value, f.name), Location)))
    return value


NESTED_LEVEL_ONE = {
    "atx heading as a list item": "- alpha\n- # bravo\n- charlie",
    "setext heading in a list item": "- alpha\n  ===\n- charlie",
    "heading inside an item": "1. one\n\n   # two\n\n   three\n2. four",
    "heading in a quote": "> # quoted\n>\n> words",
}


@pytest.mark.parametrize("body", NESTED_LEVEL_ONE.values(), ids=NESTED_LEVEL_ONE.keys())
def test_a_level_one_heading_inside_a_list_or_quote_is_part_of_it_in_both_forms(tmp_path, body):
    """Regression (issue #14): in one file, `- # bravo` started an article (IndexError, or
    "charlie" lost); only a heading of the document's own level starts an article, and one
    file reads as a folder booklet with that article reads."""
    article = f"# Article\n\nIntro.\n\n{body}\n\nAfter.\n"
    single = parse_file(tmp_path, f"---\ntitle: T\n---\n{article}")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "booklet.yaml").write_text("title: T\n")
    (folder / "one.md").write_text(article)
    from_folder = parse_booklet(read_sources(folder))
    assert [a.title for a in single.articles] == [a.title for a in from_folder.articles] == ["Article"]
    assert _without_locations(single.articles[0].blocks) == _without_locations(from_folder.articles[0].blocks)
    heading = [b for b in iter_blocks(single.articles[0].blocks) if isinstance(b, Heading)]
    assert len(heading) == 1 and heading[0].level == 2  # an h1 inside an article reads as h2
