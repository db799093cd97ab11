"""The layouts made for each scheme (a5, mini, quarter-letter) build, and their print PDFs
fold into the reading order on simulated paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.cli import main
from booklet.layouts import load_layout
from booklet.paper import MM

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zine"

CASES = {
    "a5": ("saddle-2up", (148, 210), (297, 210)),
    "mini": ("mini-zine", (74, 105), (297, 210)),
    "quarter-letter": ("cut-stack", (107.95, 139.7), (215.9, 279.4)),
    "pocket": ("cut-stack", (105, 148), (210, 297)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layout_declares_its_scheme_and_sizes(name):
    scheme, page, _ = CASES[name]
    layout = load_layout(name)
    assert layout.imposition.scheme == scheme
    assert (layout.page_width / MM, layout.page_height / MM) == pytest.approx(page, abs=0.01)


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="the example booklet is not beside the tests")
@pytest.mark.parametrize("name", ["a5", "mini", "quarter-letter"])
def test_layout_builds_and_folds(tmp_path, name):
    scheme, _, sheet = CASES[name]
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path), "--layout", name],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    read, printed = tmp_path / "zine-read.pdf", tmp_path / "zine-print.pdf"
    pages = len(PdfReader(read).pages)
    for page in PdfReader(printed).pages:
        assert (float(page.mediabox.width) / MM, float(page.mediabox.height) / MM) == pytest.approx(sheet, abs=0.01)
    verify = runner.invoke(main, ["verify", str(printed), "--scheme", scheme, "--pages", str(pages)])
    assert verify.exit_code == 0, verify.output


def test_paper_names_in_a_layout_are_read_in_any_case(tmp_path):
    from booklet.layouts import builtin_layouts

    pocket = builtin_layouts()["pocket"].read_text(encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(pocket.replace('size = "A6"', 'size = "a6"').replace('sheet = "A4"', 'sheet = "a4"'),
                    encoding="utf-8")
    layout, reference = load_layout(str(mine)), load_layout("pocket")
    assert (layout.page_width, layout.page_height) == (reference.page_width, reference.page_height)
    assert layout.imposition == reference.imposition


def test_a_layout_saved_with_a_byte_order_mark_is_read(tmp_path):
    """Windows Notepad writes UTF-8 with a byte-order mark, which TOML has no place for.
    Regression: 'my.toml:1: invalid TOML: Invalid statement (at line 1, column 1)'."""
    from booklet.layouts import builtin_layouts

    pocket = builtin_layouts()["pocket"].read_text(encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(pocket.replace("size = 9.2\n", "size = 9.5\n", 1), encoding="utf-8-sig")
    assert mine.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_layout(str(mine)).styles["body"].size == 9.5
