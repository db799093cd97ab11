"""Raw HTML, inline code, code blocks and printed link targets reach the reading PDF exactly
as written (no typographic quotes, dashes or ellipses inside them), and verse with hard line
breaks keeps one indent rule for all its lines (after a paragraph: all indented)."""

from __future__ import annotations


import pdfplumber
import pytest

from booklet.build import build

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
