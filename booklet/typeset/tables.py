"""Table cells (runs of text) → table flowables that fit the text block.

The columns share the width by content, as a browser's automatic table layout does: each
column gets at least its longest word, and the rest goes where it takes the table down the
most lines (`plan_table`, pure, on the cells' word widths). When even the longest words do not
fit, the type shrinks, down to the layout's `[tables] min_size`; below that the table is turned
sideways onto pages of its own (the long side of the text block as its width), its type as
large as LINES_TOLERANCE allows. Cells are our own paragraphs (total-fit line
breaking, hyphenation). Rules as in a book (booktabs): a heavy rule above and below, a light
one under the header, no vertical rules. A table splits between rows, the header row repeated
at the top of every part. All lengths are in points.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from math import inf
from typing import Sequence

from reportlab.platypus import Flowable

from ..layouts import Hyphenation, TextStyle
from .figures import others_waiting, wait_for_next_page
from .paragraph import TypesetParagraph, make_paragraph
from .words import SLACK, Run, words_by_line

COLUMN_GAP = 4.8  # points between the texts of two columns, at the table style's size
PADDING_Y = 1.5  # above and below a cell's text
HEAVY_RULE = 0.7
LIGHT_RULE = 0.35
RULE_GAP = 1.2  # between a rule and the text next to it


# --- the plan: sizes and column widths (pure) ---------------------------------------------

LINES_TOLERANCE = 1.25
"""A table turned sideways sets its type at the largest size (from the size at which its longest
words fit down to `[tables] min_size`) at which it takes at most this many times the lines it
takes at the smallest size: at the size where its longest words just fit, every column is
squeezed to its longest word and a column of notes takes a word a line, rows of six lines."""
SCALE_STEP = 0.01
"""How finely that size is sought, as a share of the style's size."""
WIDTH_STEP = 0.01
"""How finely the narrowest width at which a cell takes so many lines is sought (points)."""


@dataclass(frozen=True)
class CellMeasure:
    """A cell's text at the table style's size (`words.words_by_line`): for each of its lines,
    its words as (the width of the space before it, its width), in points."""

    lines: tuple[tuple[tuple[float, float], ...], ...]

    @property
    def natural(self) -> float:
        """Its longest line set on one line."""
        return max(sum(space + width for space, width in line) for line in self.lines)

    @property
    def minimum(self) -> float:
        """Its longest word."""
        return max(width for line in self.lines for _, width in line)

    def line_count(self, width: float) -> int:
        """The lines it takes at `width`, each filled while the next word fits: as a browser
        sets a cell, and the fewest lines there are without hyphens."""
        count = 0
        for line in self.lines:
            count += 1
            filled = line[0][1]
            for space, word in line[1:]:
                if filled + space + word <= width + 1e-9:
                    filled += space + word
                else:
                    count, filled = count + 1, word
        return count

    def widths_for_lines(self) -> tuple[float, ...]:
        """The narrowest widths at which it takes 1, 2, … lines, down to its longest word
        (infinite for fewer lines than its hard breaks make)."""
        fewest, most = self.line_count(self.natural), self.line_count(self.minimum)
        widths = [inf] * (fewest - 1) + [self.natural]
        for count in range(fewest + 1, most):
            low, high = self.minimum, widths[-1]  # too narrow, wide enough
            while high - low > WIDTH_STEP:
                middle = (low + high) / 2
                if self.line_count(middle) <= count:
                    high = middle
                else:
                    low = middle
            widths.append(high)
        if most > fewest:
            widths.append(self.minimum)
        return tuple(widths)


@dataclass(frozen=True)
class TablePlan:
    """How a table is set: its type at `scale` × the style's size, its columns' text widths in
    points, sideways or not; `fits` is False when even the smallest type leaves words wider than
    their column (they are then broken between letters)."""

    scale: float
    widths: tuple[float, ...]
    sideways: bool
    fits: bool


class _Columns:
    """A table's cells measured for sharing the width between its columns (at full scale, with
    SLACK on every width that holds a word)."""

    def __init__(self, rows: Sequence[Sequence[CellMeasure]]):
        self.needs = [[tuple(-(width + SLACK) for width in cell.widths_for_lines()) for cell in row]
                      for row in rows]  # negated: ascending, for bisect
        self.natural = [max(cell.natural for cell in column) + SLACK for column in zip(*rows)]
        self.minimum = [min(max(cell.minimum for cell in column) + SLACK, natural)
                        for column, natural in zip(zip(*rows), self.natural)]

    @staticmethod
    def _lines(needs: tuple[float, ...], width: float) -> int:
        return min(bisect_left(needs, -width - 1e-9) + 1, len(needs))

    def lines(self, widths: Sequence[float]) -> int:
        """The table's height in lines at `widths` (each row as tall as its tallest cell)."""
        return sum(max(self._lines(needs, width) for needs, width in zip(row, widths)) for row in self.needs)

    def share(self, scale: float, room: float) -> tuple[float, ...]:
        """Column text widths (at `scale`) filling `room`: the longest lines when they fit (the
        rest shared in proportion); else, from each column's longest word, the width that
        takes the table down the most lines for the least width, row after row, and what is
        left in proportion to how much more each column's longest line needs (as a browser's
        automatic table layout shares it)."""
        room /= scale
        natural, minimum = self.natural, self.minimum
        if sum(natural) <= room:
            if sum(natural) <= 0:
                return tuple(room / len(natural) * scale for _ in natural)
            return tuple((n + (room - sum(natural)) * n / sum(natural)) * scale for n in natural)
        if sum(minimum) >= room:
            return tuple((room * m / sum(minimum) if sum(minimum) > 0 else room / len(minimum)) * scale
                         for m in minimum)
        widths = self._fewest_lines(list(minimum), room - sum(minimum))
        short = [max(0.0, n - w) for n, w in zip(natural, widths)]
        left = room - sum(widths)
        return tuple((w + left * s / sum(short)) * scale for w, s in zip(widths, short))

    def _fewest_lines(self, widths: list[float], spare: float) -> list[float]:
        """`widths` widened, `spare` points in all at most, a row a line shorter at a time: of the
        widenings that take some row a line down, the one that saves the most lines of the
        table for each point it takes."""
        counts = [[self._lines(needs, width) for needs, width in zip(row, widths)] for row in self.needs]
        while True:
            heights = [max(row) for row in counts]
            candidates = dict.fromkeys(
                tuple(max(width, -needs[height - 2]) if len(needs) >= height - 1 else width
                      for needs, width in zip(row, widths))
                for row, height in zip(self.needs, heights) if height > 1)
            best: tuple[float, float, tuple[float, ...], dict[int, list[int]]] | None = None
            for wider in candidates:
                cost = sum(wider) - sum(widths)
                if cost > spare + 1e-9:
                    continue
                changed = {column: [self._lines(row[column], wider[column]) for row in self.needs]
                           for column in range(len(widths)) if wider[column] != widths[column]}
                saved = sum(height - max(changed[column][number] if column in changed else count
                                         for column, count in enumerate(row))
                            for number, (row, height) in enumerate(zip(counts, heights)))
                if saved and (best is None or (saved / cost, -cost) > (best[0], best[1])):
                    best = (saved / cost, -cost, wider, changed)
            if best is None:
                return widths
            _, _, wider, changed = best
            spare -= sum(wider) - sum(widths)
            widths = list(wider)
            for column, column_counts in changed.items():
                for row, count in zip(counts, column_counts):
                    row[column] = count


def plan_table(rows: Sequence[Sequence[CellMeasure]], width: float, sideways_width: float | None,
               gap: float, min_scale: float) -> TablePlan:
    """The plan for a table of `rows` of cells `width` wide (or `sideways_width`, when the
    table may turn).

    `gap` is the room between two columns at full scale (it shrinks with the type); the first
    and last columns' text lines up with the text block's edges, as in a book.
    The largest scale up to 1 at which every column's longest word fits is taken; below
    `min_scale` the table turns sideways (its type then as LINES_TOLERANCE says), and if that
    is no help either it is set at `min_scale` all the same.
    """
    columns = _Columns(rows)
    pads = gap * (len(columns.natural) - 1)

    def largest_scale(room: float) -> float:
        total = sum(columns.minimum) + pads
        return min(1.0, room / total) if total > 0 else 1.0

    scale, sideways, fits = largest_scale(width), False, True
    if scale < min_scale:
        if sideways_width is not None and sideways_width > width:
            scale, sideways = largest_scale(sideways_width), True
        if scale < min_scale:
            scale, fits = min_scale, False
        elif sideways:
            scale = _sideways_scale(columns, sideways_width, pads, min_scale, scale)
    room = (sideways_width if sideways else width) - pads * scale
    return TablePlan(scale, columns.share(scale, room), sideways, fits)


def _sideways_scale(columns: _Columns, width: float, pads: float, smallest: float, largest: float) -> float:
    """The largest scale from `largest` down to `smallest` at which the table turned sideways
    takes at most LINES_TOLERANCE times its lines at `smallest` (fewer lines with smaller type:
    the search takes it that the lines do not grow as the type shrinks)."""
    def lines(scale: float) -> int:
        return columns.lines([w / scale for w in columns.share(scale, width - pads * scale)])

    enough = LINES_TOLERANCE * lines(smallest)
    if lines(largest) <= enough:
        return largest
    low, high = smallest, largest  # few enough lines, too many
    while high - low > SCALE_STEP:
        middle = (low + high) / 2
        if lines(middle) <= enough:
            low = middle
        else:
            high = middle
    return low


def measure_cells(rows: Sequence[Sequence[Sequence[Run]]]) -> list[list[CellMeasure]]:
    return [[CellMeasure(words_by_line(cell)) for cell in row] for row in rows]


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

    _plans: dict[tuple[float, float | None], TablePlan] = field(default_factory=dict, init=False, repr=False,
                                                                compare=False)

    def plan(self, width: float, sideways_width: float | None) -> TablePlan:
        """(Kept: each part of a table, a piece of it on a page, asks again.)"""
        key = (width, sideways_width)
        if key not in self._plans:
            self._plans[key] = plan_table(measure_cells(self.rows), width, sideways_width, COLUMN_GAP,
                                          min(1.0, self.min_size / self.style.size))
        return self._plans[key]

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
    flowable for each part that fits across the text block, as many rows as fit on each and
    two at least on the last (a row from the part before, when that leaves it two)."""
    plan = source.plan(text_width, text_height)
    if not plan.sideways:
        return [TableFlowable(source)]
    parts: list[TableFlowable] = []
    rest = TableFlowable(source, plan)
    while True:
        rest.wrap(text_height, text_width)
        pieces = rest.split(text_height, text_width) if rest.height > text_width else []
        if not pieces:
            parts.append(rest)
            break
        parts.append(pieces[0])
        rest = pieces[1]
    if len(parts) > 1 and parts[-1].last - parts[-1].first == 1 and parts[-2].last - parts[-2].first > 2:
        before, last = parts[-2], parts[-1]
        moved = TableFlowable(source, plan, before.last - 1, last.last)
        if moved.wrap(text_height, text_width)[1] <= text_width + 1e-6:
            parts[-2:] = [TableFlowable(source, plan, before.first, before.last - 1), moved]
    return [SidewaysTable(part, text_width, text_height) for part in parts]
