"""Markdown beyond CommonMark: what parse makes of tables, footnotes, strikethrough, task and
definition lists, comments and leftover syntax, and how tables and notes come out on the page."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from hypothesis import example, given, settings, strategies as st

from booklet.build import check, load_booklet
from booklet.images import prepare_images
from booklet.model import DefinitionList, ListBlock, NoteRef, Paragraph, Span, Table
from booklet.parse import parse_booklet
from booklet.sources import read_sources
from booklet.starter import create_starter
from booklet.typeset.document import typeset
from booklet.typeset.tables import CellMeasure, plan_table
from booklet.typeset.words import SLACK


def write(folder: Path, text: str, layout: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "zine.md").write_text(f"---\ntitle: Test\n{'layout: ' + layout if layout else ''}\n---\n{text}",
                                    encoding="utf-8")
    return folder / "zine.md"


def articles(path: Path):
    return parse_booklet(read_sources(path)).articles


def typeset_pages(path: Path) -> list:
    booklet, layout = load_booklet(path)
    images, _ = prepare_images(booklet, layout)
    pdf_path = path.with_suffix(".pdf")
    pdf_path.write_bytes(typeset(booklet, layout, images).pdf)
    return pdf_path


# --- parsing ---------------------------------------------------------------------------------


def test_footnotes_are_numbered_per_article_in_the_order_of_their_calls(tmp_path):
    path = write(tmp_path, "# One\n\nB[^b] then a[^a] and b again[^b].\n\n# Two\n\nOnly[^a] here.\n\n"
                           "[^a]: Note a.\n[^b]: Note b.\n")
    one, two = articles(path)
    calls = [i.number for i in one.blocks[0].inlines if isinstance(i, NoteRef)]
    assert calls == [1, 2, 1]
    assert [(n.number, n.blocks[0].inlines[0].text) for n in one.notes] == [(1, "Note b."), (2, "Note a.")]
    assert [(n.number, n.blocks[0].inlines[0].text) for n in two.notes] == [(1, "Note a.")]


def test_tables_task_lists_definitions_strikethrough_and_comments(tmp_path):
    path = write(tmp_path, "| a | b |\n|:--|--:|\n| 1 | 2 |\n| 3 |\n\n- [ ] open\n- [x] done\n\n"
                           "Term\n: Meaning.\n\nKeep ~~this~~ <!-- not this --> text.\n\n<!-- nor this -->\n")
    blocks = articles(path)[0].blocks
    table, tasks, definitions, paragraph = blocks
    assert isinstance(table, Table) and table.aligns == ("left", "right")
    assert table.rows == (((Span("1"),), (Span("2"),)), ((Span("3"),), ()))
    assert isinstance(tasks, ListBlock) and tasks.checks == (False, True)
    assert tasks.items[0][0].inlines == (Span("open"),)
    assert isinstance(definitions, DefinitionList) and definitions.items[0].term == (Span("Term"),)
    assert isinstance(paragraph, Paragraph)
    assert [s.text for s in paragraph.inlines if s.strike] == ["this"]
    assert "not this" not in "".join(s.text for s in paragraph.inlines)


def test_inline_code_that_looks_like_markdown_gets_no_warning(tmp_path):
    path = write(tmp_path, "\nWrite `[^1]` for a note and `![cap](my photo.jpg){width=\"60%\"}` for a photo.\n")
    assert [p for p in check(path) if p.severity == "warning"] == []


@pytest.mark.parametrize("markdown, warning", [
    ("| a | b |\n| 1 | 2 |\n", "looks like a table"),
    ("A note[^nowhere] that is never written.\n", r"footnote \[\^nowhere\] has no text"),
    ("![A photo](my photo.jpg)\n", "file name has spaces"),
    ("Text.[^1]\n\n[^1]: Called.\n\n[^2]: Never called.\n", r"footnote \[\^2\] is never called"),
    ("<div>raw</div>\n", "raw HTML is printed as written"),
    ("![A photo](p.jpg){width='60%'}\n", r"image attributes are printed as text"),
    ('![A photo](p.jpg) {width="60%"}\n', r"image attributes are printed as text"),
    ('![A photo](p.jpg){widht="60%"}\n', r"image attribute 'widht' is left out \(did you mean 'width'\?\)"),
    ("| a | b |\n|---|---|\n| ![a cat](cat.jpg) | x |\n", r"image cat\.jpg inside .* table cell is printed as its "
                                                        r"text \('a cat'\)"),
    ("Text.[^a]\n\n[^a]: First.\n\n[^a]: Second.\n", r"footnote \[\^a\] is written 2 times \(also at line 10\)"),
])
def test_markdown_printed_as_written_gets_a_warning_with_its_line(tmp_path, markdown, warning):
    path = write(tmp_path, "\n" + markdown)
    problems = [p for p in check(path) if p.severity == "warning"]
    assert any(__import__("re").search(warning, p.message) and p.path == path and p.line for p in problems), problems


def test_an_image_path_with_spaces_in_angle_brackets_is_a_figure(tmp_path):
    (tmp_path / "my photo.png").write_bytes(b"")
    path = write(tmp_path, "\n![A photo](<my photo.png>)\n")
    assert articles(path)[0].blocks[0].image == tmp_path / "my photo.png"


def test_the_starter_explains_its_articles_list_and_warns_about_a_file_left_out(tmp_path):
    folder = tmp_path / "zine"
    create_starter(folder)
    text = (folder / "booklet.yaml").read_text(encoding="utf-8")
    comment = text[:text.index("articles:")].splitlines()[-3:]
    assert all(line.startswith("#") for line in comment) and "left out" in " ".join(comment)
    assert not [p for p in check(folder) if p.severity == "warning"]
    (folder / "03-new.md").write_text("# New\n\nText.\n", encoding="utf-8")
    assert [p.message.split(" ")[0] for p in check(folder) if p.severity == "warning"] == ["03-new.md"]


# --- tables ----------------------------------------------------------------------------------


def cell(*words: float, space: float = 2.5) -> CellMeasure:
    """A cell of one line of words, `words` points wide."""
    return CellMeasure((tuple((space if index else 0.0, width) for index, width in enumerate(words)),))


tables = st.integers(1, 10).flatmap(lambda count: st.lists(st.lists(
    st.lists(st.floats(1, 60), min_size=1, max_size=6).map(lambda words: cell(*words)),
    min_size=count, max_size=count), min_size=1, max_size=5))


@settings(max_examples=60, deadline=None)
@given(rows=tables, width=st.floats(80, 400))
def test_a_plan_fills_its_width_and_keeps_every_word_whole_when_it_fits(rows, width):
    plan = plan_table(rows, width, width * 1.5, 4.0, 0.6)
    room = (width * 1.5 if plan.sideways else width) - 4.0 * plan.scale * (len(rows[0]) - 1)
    assert sum(plan.widths) == pytest.approx(room)
    assert 0.6 <= plan.scale <= 1.0
    if plan.fits:
        assert all(w >= max(c.minimum for c in column) * plan.scale - 1e-6
                   for w, column in zip(plan.widths, zip(*rows)))
    if plan.sideways:  # turned only when the type would have to shrink below the minimum
        assert plan_table(rows, width, None, 4.0, 0.6).scale == 0.6


def table_lines(rows, widths) -> int:
    """The lines of a table at column `widths`, each row as tall as its tallest cell."""
    return sum(max(cell.line_count(width - SLACK) for cell, width in zip(row, widths)) for row in rows)


@settings(max_examples=60, deadline=None)
@given(rows=tables, width=st.floats(80, 400))
@example(rows=[[cell(1.0), cell(58.125), *[cell(1.0)] * 6]], width=80.0)  # one-word cells at the limit
def test_a_plan_takes_no_more_lines_than_a_browsers_proportional_share(rows, width):
    """What is left over the longest words goes where it saves lines: never more lines than
    HTML's automatic layout gives (each column its longest word, the rest in proportion to how
    much more its longest line needs)."""
    plan = plan_table(rows, width, None, 4.0, 0.6)
    room = sum(plan.widths) / plan.scale
    natural = [max(c.natural for c in column) + SLACK for column in zip(*rows)]
    minimum = [max(c.minimum for c in column) + SLACK for column in zip(*rows)]
    if plan.fits and sum(natural) > room and sum(natural) > sum(minimum):  # (one-word cells: no share)
        share = (room - sum(minimum)) / (sum(natural) - sum(minimum))
        browser = [m + (n - m) * share for n, m in zip(natural, minimum)]
        assert table_lines(rows, [w / plan.scale for w in plan.widths]) <= table_lines(rows, browser)


def test_a_narrow_table_is_set_at_full_size_and_a_wide_one_shrinks_then_turns():
    narrow = [[cell(20, 7.5), cell(25, 12.5)]]
    assert plan_table(narrow, 240, 360, 4.8, 0.7) .scale == 1.0
    wide = [[cell(30, 27.5)] * 8]
    shrunk = plan_table(wide, 240, 360, 4.8, 0.7)
    assert not shrunk.sideways and 0.7 < shrunk.scale < 1.0
    wider = [[cell(40, 17.5)] * 8]
    turned = plan_table(wider, 240, 360, 4.8, 0.7)
    assert turned.sideways and turned.fits
    widest = [[cell(80, 7.5)] * 8]
    assert not plan_table(widest, 240, 360, 4.8, 0.7).fits


def test_a_long_table_splits_between_rows_and_repeats_its_header(tmp_path):
    rows = "\n".join(f"| item {n} | {n * 3} |" for n in range(60))
    path = typeset_pages(write(tmp_path, f"\n| Thing | Count |\n|---|--:|\n{rows}\n"))
    with pdfplumber.open(path) as pdf:
        pages = [p.extract_text() for p in pdf.pages if "item" in p.extract_text()]
    assert len(pages) >= 2
    assert all(text.splitlines()[0].startswith("Thing Count") for text in pages)
    printed = [line.split()[1] for text in pages for line in text.splitlines() if line.startswith("item ")]
    assert printed == [str(n) for n in range(60)]  # every row once, in order


def test_a_long_table_starts_under_its_lead_in_and_its_pages_end_on_one_line(tmp_path):
    """Not split into page-high parts before the pages are made: the page builder breaks it
    between rows, so it starts on the page of the paragraph before it, and the pages it fills
    end on the same line (its closing rule on the spread's last baseline)."""
    rows = "\n".join(f"| item {n} | {n * 3} |" for n in range(70))
    path = typeset_pages(write(tmp_path, "\nThe list we keep, as of this winter.\n\n"
                                         f"| Thing | Count |\n|---|--:|\n{rows}\n\nAnd after it, the end.\n"))
    _, layout = load_booklet(tmp_path / "zine.md")
    with pdfplumber.open(path) as pdf:
        pages = [p for p in pdf.pages if "item" in p.extract_text()]
        assert "The list we keep" in pages[0].extract_text() and "item 0" in pages[0].extract_text()
        full = pages[:-1]  # the last holds the table's end and the closing paragraph
        assert len(full) >= 2
        closing = [max(line["top"] for line in page.lines) for page in full]
        assert max(closing) - min(closing) < 0.5
        goal = layout.margins.top + layout.last_baseline
        assert all(abs(top - goal) < layout.styles["body"].leading / 2 for top in closing), (closing, goal)
        printed = [line.split()[1] for page in pages for line in page.extract_text().splitlines()
                   if line.startswith("item ")]
        assert printed == [str(n) for n in range(70)]


@pytest.mark.parametrize("before", range(0, 14, 2))
def test_a_paragraph_that_introduces_a_table_stays_on_its_page(tmp_path, before):
    """ "What we lend:" never ends a page with its table overleaf, wherever the text puts it."""
    filler = "\n\n".join(f"Paragraph {k} is about the shed and the things in it, and it goes on "
                           "for a line or two." for k in range(before))
    rows = "\n".join(f"| item {n} | {n * 3} |" for n in range(12))
    path = typeset_pages(write(tmp_path, f"\n{filler}\n\nThis is what we lend, by weight:\n\n"
                                         f"| Thing | Count |\n|---|--:|\n{rows}\n\nThe end.\n"))
    with pdfplumber.open(path) as pdf:
        [page] = [p.extract_text() for p in pdf.pages if "by weight:" in p.extract_text()]
    assert "item 0" in page


def test_a_table_wider_than_any_size_is_turned_sideways_on_a_page_of_its_own(tmp_path):
    header = "| " + " | ".join(f"Heading {c}" for c in range(10)) + " |"
    row = "| " + " | ".join(f"cell{c}" for c in range(10)) + " |"
    source = write(tmp_path, f"\nBefore the table.\n\n{header}\n|{'---|' * 10}\n{row}\n\nAfter the table.\n")
    with pdfplumber.open(typeset_pages(source)) as pdf:
        turned = [p for p in pdf.pages if any("Heading" in w["text"] for w in p.extract_words())
                  or any(c["matrix"][1] > 0.5 for c in p.chars)]
        assert len(turned) == 1
        chars = [c for c in turned[0].chars if c["text"].strip() and c["matrix"][1] > 0.5]
        body = [c for c in turned[0].chars if c["text"].strip() and c["matrix"][1] <= 0.5]
        assert chars and all(c["matrix"][:4] == (0.0, 1.0, -1.0, 0.0) for c in chars)
        assert "".join(c["text"] for c in body if c["size"] > 8) == ""  # no running text beside it


# --- footnotes and strike lines on the page --------------------------------------------------


def test_foot_notes_sit_under_a_rule_at_the_foot_of_the_page_and_the_text_makes_room(tmp_path):
    text = "\n".join(f"Paragraph {n} says something about the note[^{n}] and goes on for a while, so that "
                     "the page fills up with text and notes together." for n in range(1, 13))
    notes = "\n".join(f"[^{n}]: The text of note number {n}, long enough for a line or so." for n in range(1, 13))
    path = typeset_pages(write(tmp_path, f"\n{text}\n\n{notes}\n"))
    booklet, layout = load_booklet(tmp_path / "zine.md")
    foot_size = layout.styles["footnote"].size
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[1:]:
            notes_chars = [c for c in page.chars if abs(c["size"] - foot_size) < 0.01]
            text_chars = [c for c in page.chars if abs(c["size"] - layout.styles["body"].size) < 0.01]
            if not notes_chars:
                continue
            rule = [line for line in page.lines if line["top"] < min(c["top"] for c in notes_chars)]
            assert rule, "a rule above the notes"
            assert max(c["bottom"] for c in text_chars) < rule[-1]["top"] < min(c["top"] for c in notes_chars)
            bottom = layout.margins.top + layout.text_height
            assert max(c["bottom"] for c in notes_chars) <= bottom + foot_size * 0.3  # descenders, as the text's


def test_struck_text_has_a_line_through_its_letters(tmp_path):
    path = typeset_pages(write(tmp_path, "\nKeep these words, ~~strike these words~~, keep the rest.\n"))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[1]
        words = {w["text"].strip(","): w for w in page.extract_words()}
        struck = words["strike"]
        lines = [line for line in page.lines if struck["top"] < line["top"] < struck["bottom"]]
        assert len(lines) == 1
        assert lines[0]["x0"] <= struck["x0"] + 0.5 and lines[0]["x1"] >= words["these"]["x0"]
        assert lines[0]["x1"] < words["keep"]["x0"]  # the words after it are not struck


def test_a_table_that_fits_nowhere_gets_a_warning(tmp_path):
    header = "| " + " | ".join(f"Extraordinarily{c}" for c in range(14)) + " |"
    path = write(tmp_path, f"\n{header}\n|{'---|' * 14}\n")
    [warning] = [p for p in check(path) if "too wide for the page" in p.message]
    assert warning.severity == "warning" and (warning.path, warning.line) == (path, 6)


def test_markdown_printed_as_written_on_a_cover_page_gets_its_warning_too(tmp_path):
    (tmp_path / "booklet.yaml").write_text("title: C\ncover: front.md\narticles:\n  - a.md\n", encoding="utf-8")
    (tmp_path / "front.md").write_text("# Front\n\nA [^x] call.\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    assert [(p.path.name, p.line) for p in check(tmp_path) if p.severity == "warning"] == [("front.md", 3)]


def test_a_note_made_after_a_placed_note_was_freed_is_still_set():
    """PageNotes remembers the notes placed on some page (each is set once). It must hold the
    notes themselves: by id, a note of the next article allocated where a placed and freed
    one was would count as placed and never be set (an article's foot note went missing from
    about one build in twenty)."""
    import gc
    from types import SimpleNamespace

    from booklet.layouts import load_layout
    from booklet.typeset.notes import Note, PageNotes

    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    notes = PageNotes(load_layout("pocket"))
    canvas = Canvas(BytesIO())
    frame = SimpleNamespace(_x1=20.0, _y1=40.0, _y1p=40.0, _width=200.0, _height=400.0, _bottomPadding=0.0)
    for number in range(200):
        note = Note(number, [])
        assert notes.new_notes([note]) == [note], f"note {number} taken for one already placed"
        notes.place([note], frame)
        notes.finish_page(canvas, frame)  # the page ends: it no longer holds its notes
        del note
        gc.collect()


def test_a_note_called_in_a_table_header_is_set_once(tmp_path):
    """The header repeats on every part of a split table; the notes it calls are the first
    part's (they were no part's: numbered, never printed)."""
    rows = "\n".join(f"| item {n} | {n * 3}[^b] |" if n == 30 else f"| item {n} | {n * 3} |" for n in range(60))
    path = typeset_pages(write(tmp_path, f"# Table\n\n| Thing[^h] | Count |\n|---|--:|\n{rows}\n\n"
                                         "[^h]: Counted by hand.\n\n[^b]: Counted twice.\n"))
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert text.count("Counted by hand.") == 1 and text.count("Counted twice.") == 1


def test_notes_holding_a_list_or_a_quote_called_from_a_caption_or_another_note_are_set(tmp_path):
    """Such notes are set with the end notes: the foot of a page stacks paragraphs only (a
    list in a note crashed the build, a note in a caption too; a note called from a note was
    numbered and never printed)."""
    from imagekit import photo

    photo(600, 400).save(tmp_path / "photo.jpg")
    path = typeset_pages(write(tmp_path, (
        "# Notes\n\nA list[^list], a quote[^quote] and a nest[^outer].\n\n"
        "![A caption with a note[^cap]](photo.jpg)\n\nMore text.\n\n"
        "[^list]: A note with a list:\n\n    - first item of the note\n    - second item of the note\n\n"
        "[^quote]: A note with a quote:\n\n    > quoted inside the note\n\n"
        "[^outer]: The outer note calls[^inner].\n\n[^inner]: The inner note.\n\n[^cap]: The note of the caption.\n")))
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    for printed in ("first item of the note", "second item of the note", "quoted inside the note",
                    "The outer note calls", "The inner note.", "The note of the caption."):
        assert text.count(printed) == 1, printed


def test_a_short_column_beside_a_long_one_is_set_on_one_line():
    """Its line set whole saves a line on every row but the one with the long note, which
    wraps whatever it gets (the proportional share gave 'Part number 7' 35 pt of its 60, on
    every row)."""
    long_note = cell(*[30.0] * 25)
    rows = [[cell(30, 27.5), cell(20, 17.5), long_note if number == 3 else cell(40, 30)] for number in range(8)]
    plan = plan_table(rows, 240, None, 4.8, 0.7)
    part, drawer, notes = plan.widths
    assert part >= 60 and drawer >= 40 and part + drawer + notes == pytest.approx(240 - 2 * 4.8)
    even = plan_table([[long_note, long_note]], 240, None, 4.8, 0.7)
    assert even.widths[0] == pytest.approx(even.widths[1])  # as long as each other: shared evenly


def test_a_cell_takes_the_lines_its_hard_breaks_make_at_any_width():
    """'5 30 4' under '10 10' (a `<br>` between): two lines at its widest, and the narrowest
    widths for three and four lines are those its words make."""
    broken = CellMeasure((((0.0, 10.0), (2.0, 10.0)), ((0.0, 5.0), (2.0, 30.0), (2.0, 4.0))))
    assert [broken.line_count(width) for width in (30, 36, 40, 43, 1000)] == [4, 3, 3, 2, 2]
    widths = broken.widths_for_lines()
    assert widths[:2] == (float("inf"), 43.0) and widths[2] == pytest.approx(36, abs=0.02) and widths[3] == 30
