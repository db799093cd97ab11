"""Slot rectangles, upright transforms, fitting, printer-margin scale and creep, in points."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booklet.errors import UsageError
from booklet.impose import ImposeOptions, impose_pdf, sheet_size_for
from booklet.impose.geometry import (apply, fit_scale, place, printer_margin_scale, slot_rect, transform_rect,
                                     upright)
from booklet.impose.slots import Slot
from booklet.paper import MM, paper_size
from paper import make_numbered_pdf

A4 = paper_size("A4")


def test_slots_tile_the_sheet_exactly():
    assert slot_rect(A4, 2, 2, 0, 0) == (0, A4[1] / 2, A4[0] / 2, A4[1])
    assert slot_rect(A4, 2, 2, 1, 1) == (A4[0] / 2, 0, A4[0], A4[1] / 2)
    a6 = paper_size("A6")
    x0, y0, x1, y1 = slot_rect(A4, 2, 2, 0, 1)
    assert abs((x1 - x0) - a6[0]) < 1e-9 and abs((y1 - y0) - 148.5 * MM) < 1e-9


def test_sheet_size_for_schemes():
    assert sheet_size_for("cut-stack") == A4
    assert sheet_size_for("saddle-2up") == (A4[1], A4[0])
    assert sheet_size_for("mini-zine", sheet_size=A4) == (A4[1], A4[0])
    assert sheet_size_for("cut-stack", paper_size("quarter-letter")) == paper_size("Letter")
    assert sheet_size_for("cut-stack", sheet_size=(A4[1], A4[0])) == A4  # paper is paper, turned as needed


boxes = st.tuples(st.floats(-500, 500), st.floats(-500, 500), st.floats(50, 900), st.floats(50, 900)).map(
    lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3]))


@given(box=boxes, rotate=st.sampled_from([0, 90, 180, 270]))
def test_upright_maps_the_visible_box_onto_the_first_quadrant(box, rotate):
    m, w, h = upright(box, rotate)
    x0, y0, x1, y1 = transform_rect(m, box)
    assert (x0, y0) == pytest.approx((0, 0), abs=1e-6)
    assert (x1, y1) == pytest.approx((w, h), abs=1e-6)
    # /Rotate turns clockwise: the box's top left corner is where the shown page's top right is
    if rotate == 90:
        assert apply(m, box[0], box[3]) == pytest.approx((w, h), abs=1e-6)


@given(box=boxes, rotate=st.sampled_from([0, 90, 180, 270]), slot_rotation=st.sampled_from([0, 180]),
       row=st.integers(0, 1), column=st.integers(0, 1), margin=st.floats(0, 12 * MM))
def test_placed_pages_stay_inside_slot_and_printable_area(box, rotate, slot_rotation, row, column, margin):
    slot = Slot(0, row, column, slot_rotation)
    k = printer_margin_scale(A4, 2, 2, margin)
    placed = place(slot, A4, 2, 2, box, rotate, k)
    x0, y0, x1, y1 = placed.page_rect
    cx0, cy0, cx1, cy1 = placed.clip
    assert cx0 - 1e-6 <= x0 and x1 <= cx1 + 1e-6 and cy0 - 1e-6 <= y0 and y1 <= cy1 + 1e-6
    assert (x0 + x1) / 2 == pytest.approx((cx0 + cx1) / 2) and (y0 + y1) / 2 == pytest.approx((cy0 + cy1) / 2)
    assert x0 >= margin - 1e-6 and x1 <= A4[0] - margin + 1e-6
    assert y0 >= margin - 1e-6 and y1 <= A4[1] - margin + 1e-6


def test_fit_scale():
    a6, slot = paper_size("A6"), (A4[0] / 2, A4[1] / 2)
    assert fit_scale(a6, slot) == 1.0
    assert fit_scale((148 * MM, 210 * MM), slot) == pytest.approx(min(105 / 148, 148.5 / 210))
    assert fit_scale((50 * MM, 70 * MM), slot) == pytest.approx(2.1)  # small pages grow to fit
    assert fit_scale((104.5 * MM, 148 * MM), slot) == 1.0  # within 1 mm: placed as they are


def test_printer_margin_scale():
    assert printer_margin_scale(A4, 2, 2, 0) == 1.0
    assert printer_margin_scale(A4, 2, 2, 5 * MM) == pytest.approx((105 - 10) / 105)
    with pytest.raises(ValueError):
        printer_margin_scale(A4, 2, 2, 60 * MM)


def test_impossible_printer_margin_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="printer-margin"):
        impose_pdf(make_numbered_pdf(tmp_path / "in.pdf", 8), tmp_path / "out.pdf",
                   ImposeOptions(printer_margin=60 * MM))
    assert not (tmp_path / "out.pdf").exists()
