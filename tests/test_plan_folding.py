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
