"""Wide tables turned sideways, read back from the PDF: rows per turned page, lines per row,
the pages the table takes and the text around it (a book designer's review: rows of six lines,
two rows on a page, a page of a single row, a page left blank before the table)."""

from __future__ import annotations

import random
from pathlib import Path

import pdfplumber
import pytest

from booklet.build import load_booklet
from booklet.images import prepare_images
from booklet.typeset.document import typeset
from pdftext import _turned

WORDS = ("a", "remarkably", "long", "note", "about", "nothing", "in", "particular", "kept", "by",
         "the", "shed", "water", "tap", "gate", "rota")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def register(rows: int, seed: int) -> str:
    """A plot register of ten columns (only the first holds digits, only the notes lower-case
    letters), too wide for a page upright; its notes take several lines when squeezed."""
    chance = random.Random(seed)

    def word(length: int) -> str:
        return "".join(chance.choice(LETTERS) for _ in range(length))

    header = ("| Plot | Tenant | Since | Water (l) | Compost (kg) | Beds | Shed | Keys | Fee paid "
              "| Notes on the plot and its tenant |")
    lines = [header, "|---|---|--:|--:|--:|--:|---|---|---|---|"]
    for number in range(1, rows + 1):
        note = " ".join(chance.choice(WORDS) for _ in range(chance.randint(6, 9)))
        cells = [str(number), f"MRS {word(15)}", word(4), word(3), word(3), word(1), "yes",
                 word(1), word(9), note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def build(folder: Path, table: str) -> tuple[list, object]:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "zine.md"
    source.write_text("---\ntitle: Register\n---\n# The register\n\nSome records are wide by nature. "
                      f"This is the plot register.\n\n{table}\n\nAfterword " + "more words follow here. " * 30
                      + "\n", encoding="utf-8")
    booklet, layout = load_booklet(source)
    images, _ = prepare_images(booklet, layout, folder / "cache")
    path = folder / "zine.pdf"
    path.write_bytes(typeset(booklet, layout, images).pdf)
    return pdfplumber.open(path), layout


def turned_rows(page) -> list[list[str]]:
    """The lines of each row of the table turned on `page`, header first, each line as its
    lower-case letters (the notes'). A turned line's baseline is a vertical line (its x); a row
    begins at the baseline of its number (the first column)."""
    chars = [c for c in page.chars if c["text"].strip() and _turned(c)]
    baselines = sorted({round(c["matrix"][4], 1) for c in chars})
    starts = sorted({round(c["matrix"][4], 1) for c in chars if c["text"].isdigit()})
    bounds = [baselines[0], *starts, float("inf")]
    return [["".join(c["text"] for c in chars if round(c["matrix"][4], 1) == b and c["text"].islower())
             for b in baselines if low <= b < high] for low, high in zip(bounds, bounds[1:])]


def row_starts(page) -> list[float]:
    return sorted({round(c["matrix"][4], 1) for c in page.chars if _turned(c) and c["text"].isdigit()})


@pytest.mark.parametrize("rows, seed", [(3, 1), (6, 2), (11, 3), (12, 3), (14, 3), (17, 4), (23, 5)])
def test_a_turned_table_fills_its_pages_with_rows_of_few_lines(tmp_path, rows, seed):
    """The column that wraps (the notes) gets the spare width: rows of one or two lines (a few
    of three), three words or more to a line of notes (not a word a line); each turned page holds as many rows as fit across the
    text block, the last two at least."""
    source = register(rows, seed)
    pdf, layout = build(tmp_path, source)
    with pdf:
        pages = [page for page in pdf.pages if any(_turned(c) for c in page.chars)]
        per_page = [turned_rows(page) for page in pages]
        counts = [len(lines) - 1 for lines in per_page]
        assert sum(counts) == rows
        body = [len(lines) for page in per_page for lines in page[1:]]
        assert sum(body) / len(body) <= 2.5 and max(body) <= 3, body
        note_words = sum(len(line.strip("| ").split(" | ")[-1].split()) for line in source.splitlines()[2:])
        note_lines = sum(1 for page in per_page for lines in page[1:] for line in lines if line)
        assert note_words / note_lines >= 3.0, (note_words, note_lines)
        for index, (page, following) in enumerate(zip(pages, pages[1:])):
            rules = [x for line in page.lines for x in (line["x0"], line["x1"])]
            spare = layout.text_width - (max(rules) - min(rules))
            first, second = row_starts(following)[:2]
            if spare >= second - first:  # the next row would have fitted: only given to the last page
                assert index == len(pages) - 2 and counts[-1] == 2, counts
        if len(pages) > 1:
            assert counts[-1] >= 2, counts


def test_a_table_on_one_turned_page_leaves_the_text_after_it_to_fill_the_page_before(tmp_path):
    pdf, _ = build(tmp_path, register(6, 2))
    with pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        turned = [index for index, page in enumerate(pdf.pages) if any(_turned(c) for c in page.chars)]
    [before] = [index for index, text in enumerate(texts) if "Some records" in text]
    [after] = [index for index, text in enumerate(texts) if "Afterword" in text]
    assert turned == [before + 1] and after == before


def test_a_long_link_in_a_cell_breaks_after_its_slashes_and_the_table_stays_upright(tmp_path):
    """A link target counts as the pieces it breaks into (after a slash, before a dot) when the
    columns are shared, not as one word as wide as the page: the table is set in the text, its
    address broken over lines of its cell, inside the text block."""
    address = "https://example.org/a/very/long/path/that/goes/on/and/on/forever/index.html"
    pdf, layout = build(tmp_path, f"| what | where |\n|---|---|\n| the manual | [link]({address}) |")
    with pdf:
        assert not any(_turned(c) for page in pdf.pages for c in page.chars)
        [page] = [page for page in pdf.pages if "example.org" in (page.extract_text() or "")]
        lines = [line for line in page.extract_text().splitlines() if "/" in line]
        text = page.extract_text()
        assert "Some records" in text and "Afterword" in text
        rules = sorted(page.lines, key=lambda line: line["top"])
        cells = [c for c in page.chars if rules[0]["top"] < c["top"] < rules[-1]["top"]]
        assert rules[0]["x1"] - rules[0]["x0"] <= layout.text_width + 0.01
        assert rules[0]["x0"] - 0.01 <= min(c["x0"] for c in cells)
        assert max(c["x1"] for c in cells) <= rules[0]["x1"] + 0.01
    assert len(lines) >= 2 and all(line.rstrip().endswith("/") for line in lines[:-1]), lines
    assert "".join(line.split()[-1] for line in lines) == f"({address})"
