"""Every plan, folded on (simulated) paper, reads 1 … N upright: the fast path of the
paper simulator, fed from the plan instead of a PDF (test_impose_folding.py reads PDFs)."""

from __future__ import annotations

import pytest

from booklet.impose.plan import plan
from booklet.impose.schemes import SCHEMES
from paper import reading_order, sides_from_plan, simulate


def folded(count, scheme, **options):
    p = plan(count, scheme, **options)
    nests = [n for _, n in p.nests]
    faces = simulate(sides_from_plan(p), scheme, p.rows, p.columns, landscape=p.landscape, duplex=p.duplex,
                     flip=options.get("flip", "long"), manual_duplex=options.get("manual_duplex", False),
                     nests=nests, quarto_nested=options.get("nest", True), binding=options.get("binding", "left"))
    return p, faces


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("flip", ["long", "short"])
@pytest.mark.parametrize("manual_duplex", [False, True])
@pytest.mark.parametrize("binding", ["left", "right"])
def test_every_page_count_1_to_200_reads_in_order(scheme, flip, manual_duplex, binding):
    for count in range(1, 201):
        p, faces = folded(count, scheme, flip=flip, manual_duplex=manual_duplex, binding=binding)
        assert reading_order(faces) == list(range(count)), (scheme, flip, manual_duplex, binding, count)
        if count > 1:
            assert faces[-1].page_index == count - 1 or scheme == "mini-zine" and count > 8, count


@pytest.mark.parametrize("scheme", ["cut-stack", "saddle-2up", "quarto"])
@pytest.mark.parametrize("group", [1, 2, 3, 5])
def test_nests_of_g_sheets_gathered_in_order(scheme, group):
    for count in range(1, 201, 7):
        _, faces = folded(count, scheme, group=group)
        assert reading_order(faces) == list(range(count)), (scheme, group, count)


def test_gathered_quarto_signatures():
    for count in range(1, 121):
        for flip in ("long", "short"):
            _, faces = folded(count, "quarto", nest=False, flip=flip)
            assert reading_order(faces) == list(range(count))


def test_blanks_at_the_end():
    for count in range(1, 60):
        _, faces = folded(count, "cut-stack", blanks="end")
        pages = [f.page_index for f in faces]
        assert pages[:count] == list(range(count))
        assert set(pages[count:]) <= {None}


def test_blanks_before_the_back_cover():
    _, faces = folded(13, "cut-stack")
    assert [f.page_index for f in faces] == list(range(12)) + [None, None, None, 12]


def test_simulator_catches_a_wrong_flip():
    p = plan(16)  # planned for long-edge flip, printed with short-edge flip
    faces = simulate(sides_from_plan(p), "cut-stack", 2, 2, landscape=False, duplex=True, flip="short")
    with pytest.raises(AssertionError, match="turned 180"):
        reading_order(faces)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_right_binding_mirrors_the_sides(scheme):
    """A right-bound sheet is the left-bound one seen in a mirror, and folded the left-bound
    way it does not read in order: the binding really changes the paper."""
    left, right = plan(16, scheme), plan(16, scheme, binding="right")
    for a, b in zip(left.sides, right.sides):
        assert {(s.row, left.columns - 1 - s.column, s.page_index) for s in a.slots} == \
            {(s.row, s.column, s.page_index) for s in b.slots}
    faces = simulate(sides_from_plan(right), scheme, right.rows, right.columns, landscape=right.landscape,
                     duplex=right.duplex)
    assert [f.page_index for f in faces] != [f.page_index for f in folded(16, scheme)[1]]


def test_simulator_catches_a_wrong_nesting():
    p = plan(16, group=1)  # two nests, but folded as one
    faces = simulate(sides_from_plan(p), "cut-stack", 2, 2, landscape=False, duplex=True)
    assert reading_order(faces) != list(range(16))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=400, deadline=None)
@given(count=st.integers(1, 300), scheme=st.sampled_from(SCHEMES), flip=st.sampled_from(["long", "short"]),
       manual=st.booleans(), blanks=st.sampled_from(["before-back", "end"]),
       group=st.one_of(st.none(), st.integers(1, 9)), nest=st.booleans(), binding=st.sampled_from(["left", "right"]))
def test_any_options_fold_into_reading_order(count, scheme, flip, manual, blanks, group, nest, binding):
    _, faces = folded(count, scheme, flip=flip, manual_duplex=manual, blanks=blanks, group=group, nest=nest,
                      binding=binding)
    assert reading_order(faces) == list(range(count))


def test_simulator_catches_a_wrong_mini_zine():
    p = plan(8, "mini-zine")
    sides = sides_from_plan(p)
    good = simulate(sides, "mini-zine", 2, 4, landscape=True, duplex=False)
    assert reading_order(good) == list(range(8))
    swapped = [{(r, 3 - c): tile for (r, c), tile in sides[0].items()}]  # mirrored layout
    with pytest.raises(AssertionError):
        assert reading_order(simulate(swapped, "mini-zine", 2, 4, landscape=True, duplex=False)) == list(range(8))
    upright_top = [{cell: type(tile)(tile.page_index, 0) for cell, tile in sides[0].items()}]
    with pytest.raises(AssertionError, match="turned 180"):
        reading_order(simulate(upright_top, "mini-zine", 2, 4, landscape=True, duplex=False))


def placed_sides(p, sheet):
    """What a print PDF following plan `p` on `sheet` (points, portrait) shows: every slot placed
    by the geometry, read back by the position of its page on the sheet and the turn of its
    matrix, the way the paper simulator reads a PDF (no PDF made)."""
    from booklet.impose import sheet_size_for, slot_size_for
    from booklet.impose.geometry import place
    from paper import Tile

    size = sheet_size_for(p.scheme, sheet_size=sheet)
    w, h = slot_size_for(p.scheme, sheet)
    box = (0.0, 0.0, w, h)
    sides = []
    for side in p.sides:
        cells = {}
        for slot in side.slots:
            if slot.page_index is None:
                continue
            placed = place(slot, size, p.rows, p.columns, box, 0)
            x0, y0, x1, y1 = placed.page_rect
            row = int((size[1] - (y0 + y1) / 2) / (size[1] / p.rows))
            column = int((x0 + x1) / 2 / (size[0] / p.columns))
            a, b = placed.matrix[0], placed.matrix[1]
            rotation = {(1, 0): 0, (0, 1): 90, (-1, 0): 180, (0, -1): 270}[(round(a), round(b))]
            cells[(row, column)] = Tile(slot.page_index, rotation)
        sides.append(cells)
    return sides


@pytest.mark.parametrize("sheet", ["a4", "a3", "letter", "legal", "tabloid", "320x450"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_sheet_binding_flip_and_duplex_folds_in_order(sheet, scheme):
    """The plan placed by the geometry on every sheet folds in order, both bindings, both
    flips, automatic and manual duplex (a sample of counts; every count is proved above)."""
    from booklet.paper import sheet_size

    for binding in ("left", "right"):
        for flip in ("long", "short"):
            for manual in (False, True):
                for count in (1, 2, 7, 8, 9, 16, 31, 64, 200):
                    p = plan(count, scheme, flip=flip, manual_duplex=manual, binding=binding)
                    faces = simulate(placed_sides(p, sheet_size(sheet)), scheme, p.rows, p.columns,
                                     landscape=p.landscape, duplex=p.duplex, flip=flip, manual_duplex=manual,
                                     nests=[n for _, n in p.nests], binding=binding)
                    assert reading_order(faces) == list(range(count)), (sheet, binding, flip, manual, count)
