"""Print PDFs read back with pdfplumber and folded by the paper simulator read 1 … N upright."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from booklet.impose import ImposeOptions, impose_pdf
from paper import A6, make_numbered_pdf, read_sides, reading_order, simulate

PAGE_SIZES = {"cut-stack": A6, "quarto": A6, "saddle-2up": (148 * mm, 210 * mm), "mini-zine": (74 * mm, 105 * mm)}


def impose_and_fold(tmp_path, count, scheme="cut-stack", rotate=0, **options):
    source = make_numbered_pdf(tmp_path / f"in-{count}.pdf", count, size=PAGE_SIZES[scheme], rotate=rotate)
    output = tmp_path / f"out-{count}.pdf"
    report = impose_pdf(source, output, ImposeOptions(scheme=scheme, **options))
    p = report.plan
    sides = read_sides(output, p.rows, p.columns)
    assert len(sides) == len(p.sides)
    faces = simulate(sides, scheme, p.rows, p.columns, landscape=p.landscape, duplex=p.duplex,
                     flip=options.get("flip", "long"), manual_duplex=options.get("manual_duplex", False),
                     nests=[n for _, n in p.nests], quarto_nested=options.get("nest", True))
    return report, faces


@pytest.mark.parametrize("scheme", ["cut-stack", "quarto", "saddle-2up", "mini-zine"])
@pytest.mark.parametrize("flip", ["long", "short"])
@pytest.mark.parametrize("manual_duplex", [False, True])
def test_sample_counts_every_scheme_flip_and_duplex(tmp_path, scheme, flip, manual_duplex):
    for count in (1, 2, 5, 8, 9, 16, 23, 40):
        _, faces = impose_and_fold(tmp_path, count, scheme, flip=flip, manual_duplex=manual_duplex)
        assert reading_order(faces) == list(range(count)), (scheme, flip, manual_duplex, count)


def test_cut_stack_every_count_1_to_72(tmp_path):
    for count in range(1, 73):
        _, faces = impose_and_fold(tmp_path, count)
        assert reading_order(faces) == list(range(count)), count
        if count > 1:
            assert faces[-1].page_index == count - 1  # back cover last


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_pages_with_rotate_come_out_upright(tmp_path, rotate):
    report, faces = impose_and_fold(tmp_path, 16, rotate=rotate)
    assert reading_order(faces) == list(range(16))
    assert report.scale == 1.0 and report.warnings == []  # shown A6 pages fill A6 slots


def test_groups_and_gathered_quarto(tmp_path):
    _, faces = impose_and_fold(tmp_path, 50, group=2)
    assert reading_order(faces) == list(range(50))
    _, faces = impose_and_fold(tmp_path, 30, "quarto", nest=False)
    assert reading_order(faces) == list(range(30))


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    cache = {}

    def source(count, scheme):
        key = (count, PAGE_SIZES[scheme])
        if key not in cache:
            cache[key] = make_numbered_pdf(folder / f"{count}-{len(cache)}.pdf", count, size=PAGE_SIZES[scheme])
        return cache[key]

    return source


@pytest.mark.parametrize("scheme", ["cut-stack", "quarto", "saddle-2up", "mini-zine"])
@pytest.mark.parametrize("flip", ["long", "short"])
@pytest.mark.parametrize("manual_duplex", [False, True])
def test_the_pdf_draws_exactly_the_plan(tmp_path, sources, scheme, flip, manual_duplex):
    """With test_plan_folding.py (every plan from 1 to 200 pages folds right) this carries
    the proof to the PDF for every count: the sheets draw what the plan says, page for page,
    read back from the file's own drawing operators, then folded by the simulator."""
    from booklet.impose.verify import sides_from_placements
    from booklet.impose.writer import read_print_pdf
    from paper import Tile

    for count in [*range(1, 25), 50, 100, 200]:
        output = tmp_path / "out.pdf"
        report = impose_pdf(sources(count, scheme), output,
                            ImposeOptions(scheme=scheme, flip=flip, manual_duplex=manual_duplex))
        read = sides_from_placements(read_print_pdf(output), scheme)
        planned = [{(s.row, s.column): (s.page_index, s.rotation) for s in side.slots if s.page_index is not None}
                   for side in report.plan.sides]
        assert [{cell: (f.page_index, f.rotation) for cell, f in side.items()} for side in read] == planned, count
        p = report.plan
        sides = [{cell: Tile(f.page_index, f.rotation) for cell, f in side.items()} for side in read]
        faces = simulate(sides, scheme, p.rows, p.columns, landscape=p.landscape, duplex=p.duplex, flip=flip,
                         manual_duplex=manual_duplex, nests=[n for _, n in p.nests])
        assert reading_order(faces) == list(range(count)), count
