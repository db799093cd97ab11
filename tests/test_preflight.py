"""The preflight: problems found before any layout pass, all at once, errors and warnings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from booklet.build import load_booklet
from booklet.preflight import preflight


def problems_in(tmp_path: Path, body: str) -> list:
    source = tmp_path / "zine.md"
    source.write_text(f"---\ntitle: T\n---\n\n# One\n\n{body}\n", encoding="utf-8")
    booklet, layout = load_booklet(source)
    return preflight(booklet, layout)


def test_ordinary_text_has_no_problems(tmp_path: Path) -> None:
    assert problems_in(tmp_path, "Words of an ordinary length, and a hyphenated-compound too.") == []


def test_a_word_wider_than_a_line_is_a_warning(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path, "A " + "x" * 70 + " word.")
    assert problem.severity == "warning"
    assert "broken between letters" in problem.message
    assert problem.line == 7


def test_a_long_word_in_a_table_cell_is_left_to_the_tables_own_check(tmp_path: Path) -> None:
    """A table sets its type smaller or turns sideways for its longest words: the running
    text's warning said they would be broken when they were not (the table's own warning,
    `unfit_tables`, comes when they do not fit even so)."""
    word = "Donaudampfschifffahrtsgesellschaft"
    assert problems_in(tmp_path, f"| Word | Meaning |\n|---|---|\n| {word}{word} | a long one |") == []


def test_a_long_url_breaks_at_its_slashes_without_a_warning(tmp_path: Path) -> None:
    url = "https://example.org/" + "/".join(["segment"] * 20)
    assert problems_in(tmp_path, f"See {url} for more.") == []


def test_a_long_code_line_is_wrapped_without_a_warning(tmp_path: Path) -> None:
    assert problems_in(tmp_path, "```\n" + "x" * 120 + "\n```") == []


@pytest.mark.parametrize("body", ["```\n" + "0123456789" * 30 + "\n```", "y" * 400])
def test_a_word_wider_than_three_lines_is_an_error(tmp_path: Path, body: str) -> None:
    [problem] = problems_in(tmp_path, body)
    assert problem.severity == "error"
    assert "cannot be set" in problem.message


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    found = problems_in(tmp_path, "![a](a.png)\n\n![b](b.png)\n\n\U00013000 and \U0001F600\n\n" + "z" * 400)
    messages = [p.message for p in found]
    assert sum("image not found" in m for m in messages) == 2
    assert any("U+13000" in m and "U+1F600" in m for m in messages)
    assert any("cannot be set" in m for m in messages)


def test_an_unreadable_image_is_an_error_with_its_line(tmp_path: Path, monkeypatch) -> None:
    from PIL import Image

    Image.new("RGB", (30, 20)).save(tmp_path / "a.png")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Image, "open", refuse)
    [problem] = problems_in(tmp_path, "Text.\n\n![a caption](a.png)")
    assert problem.severity == "error" and problem.line == 9
    assert "cannot read image" in problem.message and "permission denied" in problem.message


def test_nesting_deeper_than_six_levels_is_an_error(tmp_path: Path) -> None:
    assert problems_in(tmp_path, "> " * 6 + "deep enough") == []
    [problem] = problems_in(tmp_path, "> " * 12 + "too deep")
    assert problem.severity == "error" and "nested" in problem.message and problem.line == 7


def test_a_title_longer_than_half_a_page_of_contents_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "zine.md"
    source.write_text("---\ntitle: T\n---\n\n# " + "word " * 500 + "\n\nText.\n", encoding="utf-8")
    booklet, layout = load_booklet(source)
    [problem] = preflight(booklet, layout)
    assert problem.severity == "error" and "title is too long" in problem.message and problem.line == 5


def test_an_image_file_name_with_spaces_is_found(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (3000, 2000)).save(tmp_path / "my photo.png")
    assert problems_in(tmp_path, "![one](<my photo.png>)\n\n![two](my%20photo.png)") == []


def test_control_characters_are_left_out_with_a_warning_per_line(tmp_path: Path) -> None:
    from booklet.typeset.document import typeset

    source = tmp_path / "zine.md"
    source.write_text("---\ntitle: T\n---\n\n# One\n\nA bell\x07 and\x0c a form feed.\n", encoding="utf-8")
    booklet, layout = load_booklet(source)
    [problem] = preflight(booklet, layout)
    assert problem.severity == "warning" and problem.line == 7
    assert "U+0007, U+000C" in problem.message
    assert "\x07" not in typeset(booklet, layout, {}).pdf.decode("latin-1").split("stream")[0]
    text = "".join(s.text for a in booklet.articles for b in a.blocks for s in b.inlines)
    assert text == "A bell and a form feed."


def test_invisible_format_characters_and_noncharacters_are_left_out_with_a_warning(tmp_path: Path) -> None:
    """Regression (issue #14): bidi isolates, a stray byte order mark and U+FFFE printed as empty
    boxes and `check` said nothing; now they are left out like control characters, each line
    named. The zero-width space and the joiners, which the fonts draw as nothing, stay."""
    import pdfplumber

    from booklet.typeset.document import typeset

    source = tmp_path / "zine.md"
    source.write_text("---\ntitle: \u2067Title\u2069\n---\n\n# One\n\nAn \u2066isolated\u2069 word, a stray \ufeffmark,\n"
                      "a non\ufffecharacter and an RLM\u200f.\n\nA zero\u200bwidth space.\n", encoding="utf-8")
    booklet, layout = load_booklet(source)
    problems = preflight(booklet, layout)
    assert [(p.severity, p.line) for p in problems] == [("warning", 2), ("warning", 7), ("warning", 8)]
    assert "U+2066 (LEFT-TO-RIGHT ISOLATE)" in problems[1].message and "U+FEFF" in problems[1].message
    assert "noncharacter U+FFFE" in problems[2].message and "U+200F (RIGHT-TO-LEFT MARK)" in problems[2].message
    assert booklet.metadata.title == "Title"
    with pdfplumber.open(io.BytesIO(typeset(booklet, layout, {}).pdf)) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "An isolated word, a stray mark," in text and "a noncharacter and an RLM." in text
    assert not set(text) & {"\u2066", "\u2069", "\u2067", "\ufeff", "\ufffe", "\u200f"}
    assert "A zero\u200bwidth space." in text


@pytest.mark.parametrize("written, on_disk, hint", [
    ("photos/harbour.jpg", "photos/Harbour.JPG", "Harbour.JPG is there: letter case counts in file names"),
    ("photos\\\\harbour.jpg", "photos/harbour.jpg", "write the path with / between folder and file name, not \\"),
    ("photos/harbour.jpg", None, "it is a link to gone.jpg, which is missing"),
])
def test_a_missing_image_names_what_is_there_instead(tmp_path: Path, written: str, on_disk: str | None,
                                                     hint: str) -> None:
    """Photos copied from a Mac or Windows disk (where Harbour.JPG is harbour.jpg), a path copied
    from Windows, a link whose target moved: the error says what is there, not only "not found"."""
    (tmp_path / "photos").mkdir()
    if on_disk is None:
        (tmp_path / "photos" / "harbour.jpg").symlink_to("gone.jpg")
    else:
        (tmp_path / on_disk).write_bytes(b"")
    [problem] = problems_in(tmp_path, f"![The harbour]({written})")
    assert problem.message.startswith("image not found: ") and f"({hint}" in problem.message, problem.message
