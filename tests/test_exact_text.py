"""Raw HTML, inline code, code blocks and printed link targets reach the reading PDF exactly
as written (no typographic quotes, dashes or ellipses inside them), and verse with hard line
breaks keeps one indent rule for all its lines (after a paragraph: all indented)."""

from __future__ import annotations


import re

import pdfplumber
import pytest

from booklet.build import build
from booklet.typeset.words import SPACING

SOURCE = """---
title: Exact
language: en
---
# Exact things

Plain "quotes" become curly -- and dashes too... but <img src="/etc/passwd"/> & a < b stay, and
so does `x = "a" -- 'b'...` and a [link](https://example.org/a--b...c) here.

<div class="box">"raw" & <b>block</b> -- as written</div>

```
print("code") -- 'block' ...
```

A paragraph before the verse, long enough to be an ordinary paragraph of the article's text.

Roses are red,\\
violets are blue,\\
the verse has four lines\\
and one indent rule.
"""


@pytest.fixture(scope="module")
def lines(tmp_path_factory) -> list[tuple[str, float]]:
    folder = tmp_path_factory.mktemp("exact")
    (folder / "zine.md").write_text(SOURCE, encoding="utf-8")
    result = build(folder / "zine.md", folder)
    with pdfplumber.open(result.read_path) as pdf:
        return [(line["text"], line["x0"]) for page in pdf.pages for line in page.extract_text_lines()]


def test_raw_html_code_and_link_targets_print_as_written(lines):
    text = " ".join(line for line, _ in lines)
    assert "“quotes”" in text and "–" in text  # the typographer still works on text
    for exact in ('<img src="/etc/passwd"/>', "& a < b", "x = \"a\" -- 'b'...", "https://example.org/a--b...c",
                  '<div class="box">"raw" & <b>block</b> -- as written</div>', "print(\"code\") -- 'block' ..."):
        assert exact in text


def test_verse_lines_share_one_indent(lines):
    verse = [x0 for line, x0 in lines if line.startswith(("Roses", "violets", "the verse", "and one indent"))]
    assert len(verse) == 4 and max(verse) - min(verse) < 0.5
    before = next(x0 for line, x0 in lines if line.startswith("A paragraph before"))
    assert verse[0] > before + 5  # after a paragraph: indented, every line alike


CODE_SOURCE = """---
title: Code
language: en
---
# Code in the text

Every reader who opens the terminal types `configuration --interactive` and then
`documentation`, and afterwards the `internationalization` helper prints
`representations of everything at once` beside the prompt, which the reader copies into the
notebook characteristically and carefully, with `a b c d e f` in `documentationalisms` between
the words of a line.

A second paragraph has `understandably` and `counterrevolutionaries` and
`incomprehensibilities` in it, and more ordinary words to fill its lines with text.
"""


@pytest.fixture(scope="module")
def code_lines(tmp_path_factory) -> list[list[dict]]:
    """The chars of each text line (spaces left out) of a booklet whose justified lines hold inline code."""
    folder = tmp_path_factory.mktemp("code")
    (folder / "zine.md").write_text(CODE_SOURCE, encoding="utf-8")
    result = build(folder / "zine.md", folder)
    with pdfplumber.open(result.read_path) as pdf:
        return [line["chars"] for page in pdf.pages for line in page.extract_text_lines()]


def _mono(char: dict) -> bool:
    return "Mono" in char["fontname"]


def test_inline_code_breaks_without_an_added_hyphen(code_lines):
    spans = re.findall(r"`([^`]*)`", CODE_SOURCE)
    printed = "".join(c["text"] for chars in code_lines for c in chars if _mono(c))
    assert printed == "".join(spans).replace(" ", "")
    ends = ["".join(c["text"] for c in chars) for chars in code_lines if _mono(chars[-1])]
    assert any(not end.endswith(tuple(span.split()[-1] for span in spans)) for end in ends)  # one broke inside


def test_spaces_inside_inline_code_keep_their_width_in_justified_lines(code_lines):
    advance = max(c["x1"] - c["x0"] for chars in code_lines for c in chars if _mono(c))  # the monospace's
    stretched = False
    smallest = min(b["x0"] - a["x1"] for chars in code_lines for a, b in zip(chars, chars[1:])
                   if b["x0"] - a["x1"] > 1.0)  # the tightest word space
    for chars in code_lines:
        pairs = [(a, b) for a, b in zip(chars, chars[1:]) if b["x0"] - a["x1"] > 1.0]
        gaps = [(b["x0"] - a["x1"], _mono(a) and _mono(b)) for a, b in pairs]
        inside = [(gap, b["size"]) for (gap, code), (a, b) in zip(gaps, pairs) if code]
        for gap, size in inside:
            # a space of the code's own, not stretched: only the glyphs' give (Spacing), the
            # width's and the letter spacing after the glyph before it and after the space
            assert gap == pytest.approx(advance, abs=0.03 * advance + 2 * SPACING.letter_space * size)
        stretched |= bool(inside) and any(gap > 1.4 * smallest for gap, code in gaps if not code)
    assert stretched  # a line with spaces in code did stretch its word spaces


def _code_lines(tmp_path, code: str) -> list[tuple[str, float, int, bool]]:
    """(text, x0, page, marked) of every monospace line of a booklet of one code block, where
    `marked` says a stroke is drawn on the line, left of its text (the continuation mark)."""
    (tmp_path / "zine.md").write_text(f"---\ntitle: Code\n---\n# Code\n\n```\n{code}\n```\n", encoding="utf-8")
    result = build(tmp_path / "zine.md", tmp_path)
    lines = []
    with pdfplumber.open(result.read_path) as pdf:
        for number, page in enumerate(pdf.pages):
            strokes = page.curves + page.lines
            for text in page.extract_text_lines():
                if "Mono" in text["chars"][0]["fontname"]:
                    marked = any(stroke["x1"] < text["x0"] and text["top"] < stroke["bottom"] <= text["bottom"] + 1
                                 for stroke in strokes)
                    lines.append((text["text"], text["x0"], number, marked))
    return lines


def test_a_long_code_line_goes_on_set_in_after_a_mark_and_copies_as_written(tmp_path):
    """A wrapped code line went on at its own indent, where it read as a line of its own: a
    reader typing it in typed a line break. Its continuations are set in by two columns after a
    drawn hooked arrow; the text itself is the code as written."""
    line = "    return x * 2  # a comment that is quite long and will need wrapping at the margin of the page"
    code = _code_lines(tmp_path, f"def double(x):\n{line}\n    pass")
    assert len(code) >= 4 and code[0][0] == "def double(x):" and code[-1][0] == "pass"
    assert " ".join(text for text, *_ in code[1:-1]).split() == line.split()  # every word whole, in order
    assert "↪" not in "".join(text for text, *_ in code)
    column = (code[-1][1] - code[0][1]) / 4  # 'pass' is set in by four columns
    assert code[1][1] == pytest.approx(code[-1][1], abs=0.1)  # the statement at its indent
    for _, x0, _, _ in code[2:-1]:  # each continuation two columns further in
        assert x0 == pytest.approx(code[1][1] + 2 * column, abs=0.1)
    assert [marked for *_, marked in code] == [False, False] + [True] * (len(code) - 3) + [False]


def test_a_code_line_without_spaces_breaks_after_a_slash_on_every_page(tmp_path):
    """A path with no space in its second half broke at the margin ('/srv/zin' 'es/'); it breaks
    after its last slash there. Split across pages, the block keeps its marks."""
    path = "rsync -a ~/zines/ backup@example.org:/srv/zines/harbour-street/issue-12/"
    code = _code_lines(tmp_path, "\n".join([path] * 40))
    assert len({page for _, _, page, _ in code}) >= 2  # the block went on to the next page
    assert all(text.endswith("/") for text, *_ in code)
    assert "".join(text.replace(" ", "") for text, *_ in code) == path.replace(" ", "") * 40
    assert [marked for *_, marked in code] == [False, True] * 40


def test_two_stanzas_are_a_blank_line_apart(tmp_path):
    (tmp_path / "zine.md").write_text(
        "---\ntitle: Verse\n---\n# Two stanzas\n\nSome prose before the poem, long enough for two lines of the page.\n\n"
        "The wheel goes round\\\nthe road goes on\\\nand then it is gone.\n\n"
        "The chain runs dry\\\nthe brake pads squeal\\\nand mend the wheel.\n\nAnd prose after the poem.\n",
        encoding="utf-8")
    result = build(tmp_path / "zine.md", tmp_path)
    with pdfplumber.open(result.read_path) as pdf:
        tops = {line["text"]: line["top"] for line in pdf.pages[1].extract_text_lines()}
    leading = tops["the road goes on"] - tops["The wheel goes round"]
    assert tops["The chain runs dry"] - tops["and then it is gone."] == pytest.approx(2 * leading, abs=0.5)
    # set off from the prose by half a line above and below (the prose after it read as one
    # more line of verse), and by two indents
    assert tops["And prose after the poem."] - tops["and mend the wheel."] == pytest.approx(1.5 * leading, abs=0.5)
    prose = max(top for top in tops.values() if top < tops["The wheel goes round"])  # its last line
    assert tops["The wheel goes round"] - prose == pytest.approx(1.5 * leading, abs=0.5)


def test_a_link_prints_its_address_only_where_paper_can_use_it(tmp_path):
    """An #anchor or a file of the folder means nothing on paper, and a link whose text is its
    address already says it (they printed as 'see below (#later)', 'example.org (https://example.org/)')."""
    (tmp_path / "zine.md").write_text(
        "---\ntitle: Links\n---\n# Links\n\nAn anchor [see below](#later), a file [the other](other.md), "
        "a site [example.org](https://example.org/), a page [our wiki](https://example.org/wiki) and "
        "[write to us](mailto:a@example.org).\n", encoding="utf-8")
    result = build(tmp_path / "zine.md", tmp_path)
    with pdfplumber.open(result.read_path) as pdf:
        text = " ".join(pdf.pages[1].extract_text().split())
    assert "see below," in text and "the other," in text and "example.org, a page" in text
    assert "our wiki (https://example.org/wiki)" in text and "write to us (a@example.org)" in text
    assert "#later" not in text and "other.md" not in text
