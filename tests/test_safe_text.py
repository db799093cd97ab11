"""Text that looks like markup prints as written, in the pages, the metadata, the outline and links."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from booklet.build import load_booklet
from booklet.images import prepare_images
from booklet.typeset.document import typeset

TITLE = 'Less <than> & (more) \\ "quoted" <font size=40>'
ARTICLE = "Tags <b>bold?</b> & (brackets \\ backslash"
MARKDOWN = f"""---
title: '{TITLE}'
author: 'A. (Unbalanced'
---

# {ARTICLE}

Raw HTML <img src="/etc/passwd"/> and <a href="x">a tag</a> and <para>para</para> & &lt; stay text.

A [link](https://example.org/a?b=1&c=(2)) and `<font color=red>code</font>`.

```
<xml attr="1">&amp;</xml> ]]>
```
"""


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("safe")
    source = folder / "zine.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    booklet, layout = load_booklet(source)
    images, _ = prepare_images(booklet, layout)
    path = folder / "zine-read.pdf"
    path.write_bytes(typeset(booklet, layout, images).pdf)
    return path


def page_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        return "\n".join(page.extract_text() for page in document.pages)


def test_markup_in_text_prints_literally(pdf: Path) -> None:
    text = "".join(page_text(pdf).split())  # lines may break anywhere in between
    for literal in ("<img src=", "/etc/passwd", "<a href=", "</a>", "<para>para</para>", "& <",
                    "<font color=red>code</font>", '<xml attr="1">&amp;</xml> ]]>', "<font size=40>"):
        assert "".join(literal.split()) in text, literal


def test_no_markup_was_interpreted(pdf: Path) -> None:
    with pdfplumber.open(pdf) as document:
        sizes = {round(char["size"]) for page in document.pages for char in page.chars}
        colours = {str(char.get("non_stroking_color")) for page in document.pages for char in page.chars}
    assert max(sizes) < 40, "a <font size=40> was obeyed"
    assert not any("1, 0, 0" in c or "(1.0, 0.0, 0.0)" in c for c in colours), "a <font color=red> was obeyed"


def test_metadata_and_outline_keep_the_text_exactly(pdf: Path) -> None:
    reader = PdfReader(pdf, strict=True)
    assert reader.metadata.title == TITLE.replace('"quoted"', "“quoted”")  # the typographer's quotes, as in the text
    assert reader.metadata.author == "A. (Unbalanced"
    assert [item.title for item in reader.outline] == [ARTICLE]


def test_links_keep_their_target(pdf: Path) -> None:
    reader = PdfReader(pdf, strict=True)
    uris = [annotation.get_object()["/A"]["/URI"] for page in reader.pages
            for annotation in page.get("/Annots", []) if "/URI" in annotation.get_object().get("/A", {})]
    assert any(uri.startswith("https://example.org/a?b=1&c=") for uri in uris), uris


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed (Debian package qpdf)")
def test_qpdf_accepts_it(pdf: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_printed_link_targets_read_as_written(tmp_path: Path) -> None:
    source = tmp_path / "zine.md"
    source.write_text("---\ntitle: T\nlanguage: uk\n---\n\n# Посилання\n\n"
                      "Див. [сайт](https://пример.укр/шлях) і [це](https://example.org/<font>).\n", encoding="utf-8")
    booklet, layout = load_booklet(source)
    path = tmp_path / "read.pdf"
    path.write_bytes(typeset(booklet, layout, {}).pdf)
    text = "".join(page_text(path).split())
    assert "https://пример.укр/шлях" in text and "xn--" not in text
    assert "https://example.org/<font>" in text and "%3C" not in text


def test_no_module_hands_text_to_a_markup_reader() -> None:
    """ReportLab's Paragraph and XPreformatted read XML-like markup: text must never reach them
    (booklet sets its own paragraphs), so a `<font>` in an article can never be obeyed."""
    import ast

    import booklet

    readers = {"Paragraph", "XPreformatted", "PythonPreformatted", "ParaParser"}
    for module in Path(booklet.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
                used = {alias.name for alias in node.names} & readers
                assert not used, f"{module.name} imports {used} from {node.module}"
