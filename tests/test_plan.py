"""The pure page plan: golden tables, padding, flips, manual duplex, nests, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booklet.impose.plan import pad_reading, plan
from booklet.impose.schemes import SCHEMES, scheme_module


def table(p, sheet: int, side: str) -> str:
    """A side as "L R / L R" of 1-based page numbers (rows top to bottom), '-' for blanks,
    with a trailing '↓' on pages printed upside down."""
    s = next(x for x in p.sides if x.sheet == sheet - 1 and x.side == side)
    rows = []
    for r in range(p.rows):
        cells = []
        for c in range(p.columns):
            slot = s.slot_at(r, c)
            text = "-" if slot.page_index is None else str(slot.page_index + 1)
            cells.append(text + ("↓" if slot.rotation == 180 else ""))
        rows.append(" ".join(cells))
    return " / ".join(rows)


# Cut-and-stack, 16 pages: worked out on paper from the physical steps (README).
CUT_STACK_16 = {
    1: ("16 1 / 12 5", "2 15 / 6 11"),
    2: ("14 3 / 10 7", "4 13 / 8 9"),
}

CUT_STACK_64 = {
    1: ("64 1 / 48 17", "2 63 / 18 47"),
    2: ("62 3 / 46 19", "4 61 / 20 45"),
    3: ("60 5 / 44 21", "6 59 / 22 43"),
    4: ("58 7 / 42 23", "8 57 / 24 41"),
    5: ("56 9 / 40 25", "10 55 / 26 39"),
    6: ("54 11 / 38 27", "12 53 / 28 37"),
    7: ("52 13 / 36 29", "14 51 / 30 35"),
    8: ("50 15 / 34 31", "16 49 / 32 33"),
}



@pytest.mark.parametrize("count, golden", [(16, CUT_STACK_16), (64, CUT_STACK_64)])
def test_cut_stack_golden(count, golden):
    p = plan(count, "cut-stack")
    assert p.sheets == len(golden)
    for sheet, (front, back) in golden.items():
        assert table(p, sheet, "front") == front
        assert table(p, sheet, "back") == back


def test_cut_stack_8_pages_one_sheet():
    p = plan(8)
    assert [table(p, 1, "front"), table(p, 1, "back")] == ["8 1 / 6 3", "2 7 / 4 5"]
    assert [s.side for s in p.sides] == ["front", "back"]


def test_quarto_8_pages():
    p = plan(8, "quarto")
    # top row upside down, heads at the centre fold; bottom row = outer bifolium
    assert table(p, 1, "front") == "5↓ 4↓ / 8 1"
    assert table(p, 1, "back") == "3↓ 6↓ / 2 7"


def test_quarto_16_nested_and_gathered():
    nested = plan(16, "quarto", nest=True)
    assert [table(nested, 1, "front"), table(nested, 1, "back")] == ["13↓ 4↓ / 16 1", "3↓ 14↓ / 2 15"]
    assert [table(nested, 2, "front"), table(nested, 2, "back")] == ["9↓ 8↓ / 12 5", "7↓ 10↓ / 6 11"]
    gathered = plan(16, "quarto", nest=False)
    assert [table(gathered, 2, "front"), table(gathered, 2, "back")] == ["13↓ 12↓ / 16 9", "11↓ 14↓ / 10 15"]
    assert gathered.nests == ((0, 1), (1, 1))


def test_saddle_2up_8_pages_backs_turned_for_long_edge_on_landscape():
    p = plan(8, "saddle-2up")
    assert p.landscape
    assert table(p, 1, "front") == "8 1"
    # the long edge of a landscape sheet is horizontal: the back is printed upside down
    assert table(p, 1, "back") == "7↓ 2↓"
    assert table(plan(8, "saddle-2up", flip="short"), 1, "back") == "2 7"


def test_mini_zine_classic_layout():
    p = plan(8, "mini-zine")
    assert table(p, 1, "front") == "5↓ 4↓ 3↓ 2↓ / 6 7 8 1"
    assert [s.side for s in p.sides] == ["front"]
    assert not p.duplex


def test_short_flip_turns_every_back_of_a_portrait_sheet():
    long, short = plan(16), plan(16, flip="short")
    for a, b in zip(long.sides, short.sides):
        if a.side == "front":
            assert a == b
        else:
            for slot in a.slots:
                turned = b.slot_at(1 - slot.row, 1 - slot.column)
                assert turned.page_index == slot.page_index
                assert turned.rotation == 180
    assert table(short, 1, "back") == "11↓ 6↓ / 15↓ 2↓"


def test_manual_duplex_orders_fronts_then_backs_last_first():
    p = plan(24, manual_duplex=True)
    assert [(s.sheet, s.side) for s in p.sides] == [
        (0, "front"), (1, "front"), (2, "front"), (2, "back"), (1, "back"), (0, "back")]
    assert p.manual_duplex
    assert not plan(8, "mini-zine", manual_duplex=True).manual_duplex


def test_padding_before_back_cover_and_at_end():
    assert pad_reading(5, 8) == (0, 1, 2, 3, None, None, None, 4)
    assert pad_reading(5, 8, "end") == (0, 1, 2, 3, 4, None, None, None)
    assert pad_reading(1, 8) == (0,) + (None,) * 7
    assert pad_reading(8, 8) == tuple(range(8))
    with pytest.raises(ValueError):
        pad_reading(0, 8)


def test_back_cover_stays_on_the_outside():
    p = plan(61)  # 3 blanks, padded to 64
    assert table(p, 1, "front").startswith("61 1")  # back cover beside the cover
    assert p.blanks == 3


def test_group_makes_separate_nests():
    p = plan(64, group=3)
    assert p.nests == ((0, 3), (3, 3), (6, 2))
    first_nest = [s for s in p.sides if s.sheet < 3]
    pages = {slot.page_index for side in first_nest for slot in side.slots}
    assert pages == set(range(24))
    assert table(p, 1, "front") == "24 1 / 18 7"
    assert table(p, 4, "front") == "48 25 / 42 31"
    assert {slot.nest for slot in p.sides[-1].slots} == {2}


def test_leaf_depth_counts_strips_from_the_outside():
    p = plan(32)  # 4 sheets: strips 0-3 are top halves, 4-7 bottom halves
    for side in p.sides:
        for slot in side.slots:
            assert slot.leaf == (side.sheet if slot.row == 0 else 4 + side.sheet)
            assert slot.spine == ("right" if slot.column == 0 else "left") or side.side == "back"


def test_unknown_values_are_refused():
    with pytest.raises(ValueError):
        plan(8, "octavo")
    with pytest.raises(ValueError):
        plan(8, flip="diagonal")
    with pytest.raises(ValueError):
        plan(8, group=0)


@settings(max_examples=300, deadline=None)
@given(count=st.integers(1, 400), scheme=st.sampled_from(SCHEMES), flip=st.sampled_from(["long", "short"]),
       manual=st.booleans(), blanks=st.sampled_from(["before-back", "end"]),
       group=st.one_of(st.none(), st.integers(1, 12)), nest=st.booleans())
def test_every_page_once_and_blanks_only_where_specified(count, scheme, flip, manual, blanks, group, nest):
    p = plan(count, scheme, flip=flip, manual_duplex=manual, blanks=blanks, group=group, nest=nest)
    module = scheme_module(scheme)
    placed = [slot.page_index for side in p.sides for slot in side.slots]
    assert sorted(i for i in placed if i is not None) == list(range(count))
    assert len(placed) == p.sheets * module.PAGES_PER_SHEET
    assert placed.count(None) == p.blanks == -count % module.PAGES_PER_SHEET
    # blanks sit where asked: a run just before the last page, or at the very end
    reading = p.reading
    if p.blanks:
        if blanks == "before-back" and count > 1:
            assert reading[-1] == count - 1
            assert reading[count - 1:-1] == (None,) * p.blanks
        else:
            assert reading[count:] == (None,) * p.blanks
    # every slot of every side is filled exactly once
    for side in p.sides:
        cells = sorted((s.row, s.column) for s in side.slots)
        assert cells == [(r, c) for r in range(p.rows) for c in range(p.columns)]
    sides = [(s.sheet, s.side) for s in p.sides]
    assert len(set(sides)) == len(sides)
    assert sum(count for _, count in p.nests) == p.sheets


def test_readme_tables_match_the_plan():
    """The golden tables in README.md (Printing and folding) are the tests' own."""
    from pathlib import Path

    readme = Path(__file__).resolve().parent.parent / "README.md"
    if not readme.exists():  # tests run against an installed package
        pytest.skip("README.md not beside the tests")
    text = readme.read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for i in range(0, len(cells) - 2, 4):
            if cells[i].startswith("sheet "):
                rows.setdefault(line.count("|"), []).append((int(cells[i].split()[1]), cells[i + 1], cells[i + 2]))
    sixteen = {s: (f, b) for s, f, b in rows[4]}
    sixty_four = {s: (f, b) for s, f, b in rows[8]}
    assert sixteen == CUT_STACK_16
    assert sixty_four == CUT_STACK_64
