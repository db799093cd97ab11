"""Table cells (runs of text) → table flowables that fit the text block.

The columns share the width by content, as a browser's automatic table layout does: each
column gets at least its longest word and the rest in proportion to its longest line
(`plan_table`, pure). When even the longest words do not fit, the type shrinks, down to the
layout's `[tables] min_size`; below that the table is turned sideways onto pages of its own
(the long side of the text block as its width). Cells are our own paragraphs (total-fit line
breaking, hyphenation). Rules as in a book (booktabs): a heavy rule above and below, a light
one under the header, no vertical rules. A table splits between rows, the header row repeated
at the top of every part. All lengths are in points.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from reportlab.platypus import Flowable

from ..layouts import Hyphenation, TextStyle
from .figures import others_waiting, wait_for_next_page
from .paragraph import TypesetParagraph, make_paragraph
from .words import SLACK, Run, longest_line_and_word

COLUMN_GAP = 4.8  # points between the texts of two columns, at the table style's size
PADDING_Y = 1.5  # above and below a cell's text
HEAVY_RULE = 0.7
LIGHT_RULE = 0.35
RULE_GAP = 1.2  # between a rule and the text next to it


# --- the plan: sizes and column widths (pure) ---------------------------------------------


@dataclass(frozen=True)
class ColumnMeasure:
    """A column's widths at the table style's size: its longest line set on one line
    (`natural`) and its longest word (`minimum`), text only, without padding."""

    natural: float
    minimum: float


@dataclass(frozen=True)
class TablePlan:
    """How a table is set: its type at `scale` × the style's size, its columns' text widths in
    points, sideways or not; `fits` is False when even the smallest type leaves words wider than
    their column (they are then broken between letters)."""

    scale: float
    widths: tuple[float, ...]
    sideways: bool
    fits: bool


def plan_table(columns: Sequence[ColumnMeasure], width: float, sideways_width: float | None,
               gap: float, min_scale: float) -> TablePlan:
    """The plan for a table `width` wide (or `sideways_width`, when the table may turn).

    `gap` is the room between two columns at full scale (it shrinks with the type); the first
    and last columns' text lines up with the text block's edges, as in a book.
    The largest scale up to 1 at which every column's longest word fits is taken; below
    `min_scale` the table turns sideways, and if that is no help either it is set at
    `min_scale` all the same.
    """
    columns = [ColumnMeasure(c.natural + SLACK, c.minimum + SLACK) for c in columns]
    minimum = sum(c.minimum for c in columns)
    pads = gap * (len(columns) - 1)

    def largest_scale(room: float) -> float:
        return min(1.0, room / (minimum + pads)) if minimum + pads > 0 else 1.0

    scale, sideways, fits = largest_scale(width), False, True
    if scale < min_scale:
        if sideways_width is not None and sideways_width > width:
            scale, sideways = largest_scale(sideways_width), True
        if scale < min_scale:
            scale, fits = min_scale, False
    room = (sideways_width if sideways else width) - pads * scale
    return TablePlan(scale, _share(columns, scale, room), sideways, fits)


def _share(columns: Sequence[ColumnMeasure], scale: float, room: float) -> tuple[float, ...]:
    """Column text widths filling `room`: the longest lines when they fit (the rest shared in
    proportion), else each column's longest word plus a share of what is left in proportion to
    how much more its longest line needs."""
    natural = [c.natural * scale for c in columns]
    minimum = [min(c.minimum, c.natural) * scale for c in columns]
    total_natural = sum(natural)
    if total_natural <= room:
        if total_natural <= 0:
            return tuple(room / len(columns) for _ in columns)
        return tuple(n + (room - total_natural) * n / total_natural for n in natural)
    total_minimum = sum(minimum)
    if total_minimum >= room:
        return tuple(room * m / total_minimum for m in minimum) if total_minimum > 0 else \
            tuple(room / len(columns) for _ in columns)
    # a column whose longest line fits in an equal share of the room the others leave is set
    # whole (a short 'Part' column wrapped on every row beside a long one: the proportional
    # share below gave it less than its line)
    whole: set[int] = set()
    while True:
        rest = [i for i in range(len(columns)) if i not in whole]
        left = room - sum(natural[i] for i in whole)
        fitting = {i for i in rest if natural[i] <= left / len(rest)}
        if not fitting or len(fitting) == len(rest) or \
                sum(natural[i] for i in fitting) + sum(minimum[i] for i in rest if i not in fitting) > left:
            break
        whole |= fitting
    left_minimum = sum(minimum[i] for i in rest)
    left_natural = sum(natural[i] for i in rest)
    spare = (left - left_minimum) / (left_natural - left_minimum)  # > 0: these did not fit an equal share
    return tuple(natural[i] if i in whole else minimum[i] + (natural[i] - minimum[i]) * spare
                 for i in range(len(columns)))


def measure_columns(rows: Sequence[Sequence[Sequence[Run]]]) -> list[ColumnMeasure]:
    measures = [[ColumnMeasure(*longest_line_and_word(cell)) for cell in row] for row in rows]
    return [ColumnMeasure(max(m[c].natural for m in measures), max(m[c].minimum for m in measures))
            for c in range(len(rows[0]))]


# --- the flowable -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TableSource:
    """What a table is made of: rows of cells (row 0 is the header), each cell's runs at the
    style's size; the columns' alignments; the style, language and hyphenation of its text."""

    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    aligns: tuple[str, ...]
    style: TextStyle
    language: str
    hyphenation: Hyphenation
    min_size: float

    def plan(self, width: float, sideways_width: float | None) -> TablePlan:
        return plan_table(measure_columns(self.rows), width, sideways_width, COLUMN_GAP,
                          min(1.0, self.min_size / self.style.size))

    def called_notes(self, rows: range) -> tuple[int, ...]:
        return tuple(dict.fromkeys(run.note for row in rows for cell in self.rows[row] for run in cell
                                   if run.note is not None))


class TableFlowable(Flowable):
    """Rows `first`… of a table (the header row always on top), set to the width it is given."""

    def __init__(self, source: TableSource, plan: TablePlan | None = None, first: int = 1,
                 last: int | None = None, spacing: float = 0.0):
        super().__init__()
        self.source = source
        self.fixed_plan = plan  # sideways parts keep the plan they were cut with
        self.first, self.last = first, len(source.rows) if last is None else last
        self.spacing = spacing  # added between its rows, to fill a page
        leading = source.style.leading
        self.spaceBefore = self.spaceAfter = leading * 0.6
        self._set_for: float | None = None

    def _set(self, width: float) -> None:
        """Cell paragraphs and row heights at `width`."""
        if self._set_for == width:
            return
        source = self.source
        plan = self.fixed_plan or source.plan(width, None)
        scale = plan.scale
        self.plan, self.gap, self.padding_y = plan, COLUMN_GAP * scale, PADDING_Y * scale
        style = replace(source.style, size=source.style.size * scale, leading=source.style.leading * scale,
                        first_indent=0.0, space_before=0.0, space_after=0.0)
        self.cells: list[list[TypesetParagraph]] = []
        self.row_heights: list[float] = []
        for row in source.rows:
            cells = []
            for cell, align, column_width in zip(row, source.aligns, plan.widths):
                runs = [replace(run, size=run.size * scale, rise=run.rise * scale) for run in cell]
                paragraph = make_paragraph(runs, replace(style, align=align), source.language, source.hyphenation)
                paragraph.wrap(column_width, 1e6)
                cells.append(paragraph)
            self.cells.append(cells)
            self.row_heights.append(max([c.height for c in cells] + [style.leading]) + 2 * self.padding_y)
        self.table_width = sum(plan.widths) + self.gap * (len(plan.widths) - 1)
        self._set_for = width

    def _frame_height(self) -> float:
        """The rules and the gaps beside them."""
        return 2 * HEAVY_RULE + LIGHT_RULE + 4 * RULE_GAP * self.plan.scale

    def _height(self, last: int) -> float:
        return (self._frame_height() + self.row_heights[0] + sum(self.row_heights[self.first:last])
                + self.spacing * max(0, last - self.first - 1))

    def row_boxes(self, width: float) -> tuple[float, float, list[float]]:
        """(head, foot, heights of rows first…) at `width`: a piece of the table holding some of
        its rows is drawn as head (the top rule, the header row, the rule under it), those rows
        and foot (the closing rule), so a page may end between any two rows."""
        self._set(width)
        gap = RULE_GAP * self.plan.scale
        head = HEAVY_RULE + gap + self.row_heights[0] + gap + LIGHT_RULE + gap
        return head, gap + HEAVY_RULE, self.row_heights[self.first:self.last]

    def tallest_row(self, width: float) -> tuple[int, float]:
        """(its number, counting the header as 0; the height) of the row whose piece of table
        (head, the row, foot) is tallest at `width`: no page holds a taller piece."""
        head, foot, heights = self.row_boxes(width)
        height, number = max(zip(heights, range(self.first, self.last)), default=(0.0, 0))
        return number, head + height + foot

    def rows(self, first: int, last: int, spacing: float = 0.0) -> TableFlowable:
        """Its rows first…last (counted from its own first row, inclusive) as a table of their
        own, with `spacing` points more between rows."""
        return TableFlowable(self.source, self.fixed_plan, self.first + first, self.first + last + 1, spacing)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._set(available_width)
        self.width = available_width
        self.height = self._height(self.last)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._set(available_width)
        last = self.first
        while last < self.last and self._height(last + 1) <= available_height + 1e-6:
            last += 1
        if last == self.first or last == self.last:
            return []
        return [TableFlowable(self.source, self.fixed_plan, self.first, last),
                TableFlowable(self.source, self.fixed_plan, last, self.last)]

    def called_notes(self) -> tuple[int, ...]:
        """The notes its rows call; the header's with the table's first rows (the header
        repeats on every part, its notes are placed once)."""
        return self.source.called_notes(range(0 if self.first == 1 else self.first, self.last))

    def draw(self) -> None:
        canvas = self.canv
        gap = RULE_GAP * self.plan.scale
        x0 = (self.width - self.table_width) / 2
        x1 = x0 + self.table_width
        y = self.height

        def rule(weight: float) -> None:
            nonlocal y
            canvas.setLineWidth(weight)
            canvas.line(x0, y - weight / 2, x1, y - weight / 2)
            y -= weight

        canvas.saveState()
        rule(HEAVY_RULE)
        y -= gap
        for number in (0, *range(self.first, self.last)):
            if number == self.first:
                y -= gap
                rule(LIGHT_RULE)
                y -= gap
            elif number > self.first:
                y -= self.spacing
            x = x0
            for cell, column_width in zip(self.cells[number], self.plan.widths):
                cell.drawOn(canvas, x, y - self.padding_y - cell.height)
                x += column_width + self.gap
            y -= self.row_heights[number]
        if self.first == self.last:  # a table of a header only
            y -= gap
            rule(LIGHT_RULE)
            y -= gap
        y -= gap
        rule(HEAVY_RULE)
        canvas.restoreState()


class SidewaysTable(Flowable):
    """Rows of a wide table turned a quarter left on a page of its own (the page's left edge is
    the table's top, so the reader turns the booklet clockwise to read it). It waits for the top of
    the next page when this one has text already, like a full-page figure."""

    _ZEROSIZE = True  # always asked to split (see figures.FigureFlowable)

    def __init__(self, table: TableFlowable, text_width: float, text_height: float):
        super().__init__()
        self.table, self.text_width, self.text_height = table, text_width, text_height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        doc = self.canv._doctemplate
        if others_waiting(self) or not doc.frame._atTop:
            return available_width, available_height + 1
        return available_width, available_height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return wait_for_next_page(self, self.canv._doctemplate)

    def called_notes(self) -> tuple[int, ...]:
        return self.table.called_notes()

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        table = self.table
        table.wrap(self.text_height, self.text_width)
        canvas.saveState()
        canvas.translate(x + self.text_width, y)
        canvas.rotate(90)
        table.drawOn(canvas, 0, self.text_width - table.height)
        canvas.restoreState()

    def draw(self) -> None:
        pass


def table_flowables(source: TableSource, text_width: float, text_height: float) -> list[Flowable]:
    """A table as flowables: one that flows with the text, or, turned sideways, one page-sized
    flowable for each part that fits across the text block."""
    plan = source.plan(text_width, text_height)
    if not plan.sideways:
        return [TableFlowable(source)]
    parts: list[Flowable] = []
    rest = TableFlowable(source, plan)
    while True:
        rest.wrap(text_height, text_width)
        pieces = rest.split(text_height, text_width) if rest.height > text_width else []
        if not pieces:
            parts.append(SidewaysTable(rest, text_width, text_height))
            return parts
        parts.append(SidewaysTable(pieces[0], text_width, text_height))
        rest = pieces[1]
