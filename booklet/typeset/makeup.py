"""An article's flowables → one flowable per page, with the page breaks chosen over the whole article.

The flowables of an article (story.py) are measured at the width they are set in and turned
into the vertical items of `pages.py`: a box per line of text, a float per figure, glue for
the space between blocks (it may stretch a little: the space around headings, ornaments,
lists and figures), penalties for the rules of make-up (no widow or orphan line, a heading,
an ornament or a list's lead-in stays with what follows, a paragraph that introduces a figure
stays with it). `pages.py` chooses the breaks; each page then becomes one `PageOfText`, which
draws its pieces where the choice put them, so Platypus never decides a page break inside an
article. Lengths are in points, y measured down from the top of the text block.
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass, field, fields, replace
from typing import Any, Collection, Mapping, Sequence

from reportlab.platypus import DDIndenter, Flowable, Indenter, ListFlowable, Spacer
from reportlab.platypus.flowables import LIIndenter

from ..cache import digest
from ..layouts import Layout
from . import linecache
from .figures import FigureFlowable, FullPageFigure
from .notes import CallsNotes, Note, PageNotes, page_notes
from .pages import (INFINITY, MAX_RATIO, SHORT_SPREAD_COST, Box, Float, Frame, Glue, Item, Page, Penalty,
                    break_cost, page_breaks)
from .paragraph import PARAMETERS, TypesetParagraph, notes_called
from .story import CodeLines, Unsplit
from .tables import SidewaysTable, TableFlowable

BROKEN_PENALTY = 100.0
"""A page that ends in a hyphenated line (TeX's \\brokenpenalty): the word goes on beside it."""
TURNED_BROKEN_PENALTY = 3000.0
"""More for a right-hand page that ends in a hyphenated line: the reader turns the leaf in the
middle of a word. More than a paragraph set a line longer or shorter that loses little
(LOOSENESS_COST) or a figure moved on (pages.DEFERRED_COST), less than a page set a line short
(SHORT_SPREAD_COST): it is avoided where that costs less, never by a short page."""
ITEM_HEAD_PENALTY = 3000.0
"""A page that opens with a list item of one line, not the list's last: it reads like the last
line of a paragraph (typo_metrics counts a widow); avoided where that costs less than a page
set a line short."""
STRAY_LINE_PENALTY = 9000.0
"""A page that opens with an ornament or a list's last item of one line, or ends with a list's
first item of one line (the rest of the list overleaf): a stray line at its head, like a
widow, or at its foot, like an orphan; worse than a spread set a line short (two pages at
SHORT_SPREAD_COST), far better than a page left unfilled (below INFINITY: allowed where nothing
else fills the pages). A break that leaves two such lines costs the sum, as TeX adds its club
and widow penalties."""
GLUE_STRETCH = 0.5
GLUE_SHRINK = 0.2
"""Share of the space between blocks that may be added or taken to fill a page."""
HEAD_STYLES = ("title", "author", "dateline")
"""The styles of an article's head (document._article_head: a mark of no height, then its
title, author and dateline), set solid at the top of its title page."""
LEAD_SINK = 2.0
"""Lines of body text by which the space between an article's lead photo and its text may
grow, glue stretched to the most (pages.MAX_RATIO), to fill the title page where whole lines
and the photo's own give (FIGURE_SHRINK) do not: the head above the photo is set solid, so
that it stands as on every other title page; the photo's size already moves the text under it."""
HEAD_SINK = 2
"""Whole lines by which the text under every article head of a booklet may start lower than the
head's own depth puts it (`_head_sink`), the same for all its openings (document.typeset
tries none, one, two): a compositor sinks every opening alike, never one page to fill it."""
FIGURE_SHRINK = 0.2
"""Share of a figure's image height it may give up to fill a page."""
LOOSENESS_COST = 2000.0
"""Demerits for setting a paragraph a line longer or shorter than it is best set, and more with
what its lines lose (`_change_cost`): GAP_COST per unit of word gap (as a share of the natural
space) looser than LOOSE_GAP or tighter than TIGHT_GAP, HYPHEN_COST per hyphen. Always less
than the page set a line short that the change can fill (pages.SHORT_SPREAD_COST): as TeX's
\\looseness, any setting within the line breaker's tolerance is taken before a short page."""
GAP_COST = 3000.0
LOOSE_GAP = 1.3
TIGHT_GAP = 0.8
HYPHEN_COST = 1000.0
LEAD_MIN_WIDTH = 0.4
"""A lead photo may shrink to this share of the text width to share the title page with text."""
TABLE_BREAK_PENALTY = 50.0
"""A page that ends between two rows of a table (which then goes on under its header repeated)."""
ROW_STRETCH = 0.05
"""Share of a line of body text that the space between two rows of a table may grow by to
fill a page (a page of rows has no other give)."""


@dataclass
class Leaf:
    """A flowable that is placed as it is (or split between its lines): its indents from the
    frame's edges (a quote's), the list items it sits in (LIIndenters, outermost first, each
    with whether this leaf draws its bullet), and the space kept before and after it."""

    flowable: Flowable
    left: float
    right: float
    wrappers: tuple[tuple[LIIndenter | DDIndenter, bool], ...] = ()
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    keep_with_previous: bool = False
    lead: bool = False  # the article's lead photo
    lines: list = field(default_factory=list)  # the lines of a paragraph or code block

    def width(self, frame_width: float) -> float:
        """The width the flowable itself is set in."""
        indents = sum(wrapper._leftIndent + wrapper._rightIndent for wrapper, _ in self.wrappers)
        return frame_width - self.left - self.right - indents


def leaves(flowables: list[Flowable]) -> list[Leaf]:
    """The story's flowables flattened: quotes (Indenters) and lists become indents."""
    result: list[Leaf] = []
    left = right = 0.0
    for flowable in flowables:
        if isinstance(flowable, Indenter):
            left += flowable.left
            right += flowable.right
        else:
            result.extend(_flatten(flowable, left, right, ()))
    return result


def _flatten(flowable: Flowable, left: float, right: float, wrappers: tuple) -> list[Leaf]:
    # ReportLab's ListFlowable holds its items as LIIndenters (_content, what its split()
    # returns); an LIIndenter or DDIndenter holds one flowable (_flowable) at its indents
    if isinstance(flowable, ListFlowable):
        found = [leaf for item in flowable._content for leaf in _flatten(item, left, right, wrappers)]
    elif isinstance(flowable, (LIIndenter, DDIndenter)):
        found = _flatten(flowable._flowable, left, right, (*wrappers, (flowable, True)))
        for leaf in found[1:]:  # only the item's first leaf draws the bullet
            chain = list(leaf.wrappers)
            chain[len(wrappers)] = (flowable, False)
            leaf.wrappers = tuple(chain)
    else:
        return [Leaf(flowable, left, right, wrappers, flowable.getSpaceBefore(), flowable.getSpaceAfter(),
                     bool(getattr(flowable, "keepWithNext", False)), bool(getattr(flowable, "keepWithPrevious", False)))]
    if found:
        found[0].space_before = max(found[0].space_before, flowable.getSpaceBefore())
        found[-1].space_after = max(found[-1].space_after, flowable.getSpaceAfter())
        found[-1].keep_with_next |= bool(getattr(flowable, "keepWithNext", False))
    return found


# --- measuring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What an item stands for: line `line` of leaf `leaf` (a row, for a table), its part
    `part` (one of the pieces another block taller than a page is split into), or the whole leaf."""

    leaf: int
    line: int | None = None
    part: int | None = None


def measure(article: list[Leaf], layout: Layout, canvas, looseness: Mapping[int, int] | None = None,
            offered: Collection[int] = (), sink: int = 0) -> tuple[list[Item], list[Source | None]]:
    """The vertical items of an article and, for each, the leaf (and line) it stands for; the
    paragraphs `looseness` names (by leaf) are set that many lines longer when they can, and
    those `offered` that can be set a line longer or shorter say so on their last line
    (`Box.longer`, `Box.shorter`) for the page builder to choose. The text under the head
    starts `sink` lines lower than the head's own depth (`_head_sink`) puts it."""
    looseness = looseness or {}
    items: list[Item] = []
    sources: list[Source | None] = []
    width, leading = layout.text_width, layout.styles["body"].leading
    opening = True  # no text and no image yet: an image here is the lead photo
    head = _head_length(article, layout)
    under: int | None = None  # the space under the head, until the text's first line is reached
    floats: set[int] = set()  # leaves set as floats, whose spaces are their own
    for number, leaf in enumerate(article):
        inner = leaf.width(width)
        flowable = leaf.flowable
        lead = isinstance(flowable, FigureFlowable) and opening and not leaf.wrappers
        if number:
            previous = article[number - 1]
            space = ((0.0 if number - 1 in floats else previous.space_after)
                     + (0.0 if isinstance(flowable, (FigureFlowable, FullPageFigure)) else leaf.space_before))
            cost = _break_before(article, number, width, canvas, looseness)
            if cost is not None:  # before the glue, which is then no place to break
                items.append(Penalty(cost))
                sources.append(None)
            if previous.lead:  # the text under the lead photo may start lower
                items.append(Glue(space, max(GLUE_STRETCH * space, LEAD_SINK * leading / MAX_RATIO),
                                  GLUE_SHRINK * space))
            elif number <= head:  # the head and the space under it (or above its lead photo): solid
                items.append(Glue(space))
                under = len(items) - 1 if number == head and not lead else None
            else:
                items.append(Glue(space, GLUE_STRETCH * space, GLUE_SHRINK * space))
            sources.append(None)
            if under is not None and not leaf.keep_with_next:  # the text (under any headings) begins
                items[under] = Glue(items[under].height + _head_sink(items, under, leading) + sink * leading)
                under = None
        if _full_page(leaf):  # the page after the one its text is on
            items.append(Float(0.0, movable=_movable(article, number), full_page=True))  # (an opening one:
            # after the title page)
            sources.append(Source(number))
            floats.add(number)
            opening = False  # the lead photo is the article's first image, or there is none
            continue
        if lead:
            leaf.lead, opening = True, False
            items.append(_lead_photo(flowable, article[:number], inner, layout, canvas))
            sources.append(Source(number))
            continue
        if isinstance(flowable, FigureFlowable):
            flowable.wrapOn(canvas, inner, layout.page_height)
            caption_depth = _depth(flowable.caption.style) if flowable.caption is not None else 0.0
            # 1-bit line art keeps its prepared size: scaled by a fraction its lines turn grey
            shrink = 0.0 if getattr(flowable.image, "mode", None) == "1" else FIGURE_SHRINK * flowable.image_height
            items.append(Float(flowable.height, caption_depth, flowable.getSpaceBefore(), flowable.getSpaceAfter(),
                               shrink,
                               movable=_movable(article, number)))
            sources.append(Source(number))
            floats.add(number)
            continue
        rows = _table_rows(flowable, inner, layout)
        if rows is not None:
            header, closing, heights, inserts = rows
            leaf.lines = heights
            last = len(heights) - 1
            stretch = ROW_STRETCH * layout.styles["body"].leading
            for index, (height, insert) in enumerate(zip(heights, inserts)):
                if index:  # two rows at least on either side of a break, which is not at the glue
                    cost = INFINITY if index in (1, last) else TABLE_BREAK_PENALTY
                    items += [Penalty(INFINITY), Glue(0.0, stretch), Penalty(cost, before=closing, after=header)]
                    sources += [None, None, None]
                items.append(Box(height + (header if index == 0 else 0.0) + (closing if index == last else 0.0),
                                 insert=insert))
                sources.append(Source(number, index))
            continue
        lines, line_height, depth = _lines(flowable, inner, canvas, looseness.get(number, 0))
        if lines is None:
            pieces = _pieces_of(flowable, inner, layout, canvas)
            leaf.lines = pieces
            for index, (piece, height) in enumerate(pieces):
                if index:
                    items.append(Penalty(0.0))
                    sources.append(None)
                items.append(Box(height, insert=_notes_height(piece, layout)))
                sources.append(Source(number, part=index))
            continue
        opening = opening and not (lines and not leaf.keep_with_next)
        leaf.lines = lines
        count = len(lines)
        longer, shorter = _changes(leaf, inner, canvas) if number in offered and number not in looseness else (
            INFINITY, INFINITY)
        for index, line in enumerate(lines):
            if index:
                if leaf.keep_with_next or index == 1 or index == count - 1:
                    penalty = Penalty(INFINITY)  # no orphan, no widow, nothing between a heading's lines
                elif getattr(lines[index - 1], "hyphenated", False):  # the page would end mid-word
                    penalty = Penalty(BROKEN_PENALTY, turned=TURNED_BROKEN_PENALTY)
                else:
                    penalty = Penalty(0.0)
                items.append(penalty)
                sources.append(None)
            ending = index == count - 1
            items.append(Box(line_height, depth, line=True, insert=_line_notes_height(flowable, line, layout),
                             longer=longer if ending else INFINITY, shorter=shorter if ending else INFINITY))
            sources.append(Source(number, index))
    return items, sources


def _head_length(article: list[Leaf], layout: Layout) -> int:
    """How many leaves the article's head takes: the mark it starts with, its title, then its
    author and dateline (HEAD_STYLES); none for an untitled article."""
    title, *under = (layout.styles[name] for name in HEAD_STYLES)
    if len(article) < 2 or getattr(article[1].flowable, "style", None) != title:
        return 0
    length = 2
    while length < len(article) and getattr(article[length].flowable, "style", None) in under:
        length += 1
    return length


def _head_sink(items: Sequence[Item], under: int, leading: float) -> float:
    """What the space under an article's head (item `under`) grows by (or, if negative, gives
    up) for the first line of the text after `items` (the head, that space, any headings over
    the text) to sit on a baseline of a full page of text: the head takes whole lines of body
    text, as a compositor sinks every opening alike. The space comes up to the baseline above
    when that takes no more than the spaces above the text could give (GLUE_SHRINK of them, as
    any space between blocks), else goes down to the next one. It is then set solid, never
    stretched or shrunk to fill a page: the title, dateline and first line of every title page
    whose title has as many lines stand at the same heights, and the page builder fills a title
    page as any other, with whole lines."""
    height = sum(item.height for item in items if isinstance(item, (Box, Glue)))
    over = height % leading  # below the baseline before
    if over < 1e-6 or leading - over < 1e-6:
        return 0.0
    glue = sum(item.height for item in items if isinstance(item, Glue))
    return -over if over <= min(GLUE_SHRINK * glue, items[under].height, leading - over) else leading - over


def _changes(leaf: Leaf, width: float, canvas) -> tuple[float, float]:
    """The demerits of setting a paragraph one line longer and one line shorter (INFINITY where
    its lines within the tolerance do not allow it). Headings, ornaments and lead-ins stay as
    they are; a paragraph that calls foot notes too (its calls could change pages)."""
    flowable = leaf.flowable
    if leaf.keep_with_next or not isinstance(flowable, TypesetParagraph) or len(leaf.lines) < 2:
        return INFINITY, INFINITY
    count, spacing = len(leaf.lines), _spacing_cost(leaf.lines)
    costs = []
    for change in (1, -1):
        lines = _lines(flowable, width, canvas, change)[0]
        costs.append(_change_cost(_spacing_cost(lines) - spacing) if len(lines) == count + change else INFINITY)
    return costs[0], costs[1]


def _change_cost(loss: float) -> float:
    """The demerits of a paragraph set a line longer or shorter whose lines lose `loss` (their
    `_spacing_cost` less the best setting's): LOOSENESS_COST and, as the loss grows, up to (never
    reaching) SHORT_SPREAD_COST, halfway at a loss of GAP_COST. Of two changes the one that loses
    less is cheaper, and one change a page is always cheaper than the page set a line short.

    Regression (licences 14|15): with the loss added as it is, the two changes that fill the
    spread (a paragraph on each page, losing 2212 and 2983) cost 9195, more than the spread set a
    line short (8000), which was kept."""
    loss = max(0.0, loss)
    return LOOSENESS_COST + (SHORT_SPREAD_COST - LOOSENESS_COST) * loss / (loss + GAP_COST)


def _spacing_cost(lines: list) -> float:
    """What a paragraph's lines cost its reader: their word gaps far from the natural space,
    their hyphens (the page builder weighs a paragraph set a line longer or shorter by it)."""
    cost = 0.0
    for line in lines:
        if line.justified and line.spaces > 0:
            gap = (line.width + line.hang - line.glyphs) / line.spaces
            cost += GAP_COST * (max(0.0, gap - LOOSE_GAP) + max(0.0, TIGHT_GAP - gap))
        cost += HYPHEN_COST * line.hyphenated
    return cost


def _break_before(article: list[Leaf], number: int, text_width: float, canvas, looseness: Mapping[int, int]
                  ) -> float | None:
    """What a page break between leaf `number` and the one before it costs (None: nothing more
    than any break between blocks): none is allowed after a heading, an ornament or a lead-in;
    STRAY_LINE_PENALTY before an ornament and before the last item of a list when it is one
    line, which would open the page as a stray line, and after the first item of a list when it
    is one line and the list goes on, which would end the page as one; ITEM_HEAD_PENALTY before
    any other list item of one line (their lines as set in `text_width` with `looseness`)."""
    leaf, previous = article[number], article[number - 1]
    if previous.keep_with_next or _introduces(previous, leaf):
        return INFINITY
    if leaf.keep_with_previous:
        return STRAY_LINE_PENALTY
    cost = 0.0
    if leaf.wrappers and _one_line(article, number, text_width, canvas, looseness):  # at the next page's head
        cost += STRAY_LINE_PENALTY if _ends_list(article, number) else ITEM_HEAD_PENALTY
    if (previous.wrappers and _starts_list(article, number - 1) and not _ends_list(article, number - 1)
            and _one_line(article, number - 1, text_width, canvas, looseness)):  # at this page's foot
        cost += STRAY_LINE_PENALTY
    return cost or None


def _one_line(article: list[Leaf], number: int, text_width: float, canvas, looseness: Mapping[int, int]) -> bool:
    """Whether leaf `number` is a paragraph (or code) of one line, set in `text_width` less its
    indents with its `looseness`."""
    leaf = article[number]
    lines = _lines(leaf.flowable, leaf.width(text_width), canvas, looseness.get(number, 0))[0]
    return lines is not None and len(lines) == 1


def _starts_list(article: list[Leaf], number: int) -> bool:
    """Whether leaf `number` (in a list item) is its list's first: the leaf before is less deep."""
    return number == 0 or len(article[number - 1].wrappers) < len(article[number].wrappers)


def _ends_list(article: list[Leaf], number: int) -> bool:
    """Whether leaf `number` (in a list item) is its list's last: no leaf after it is as deep."""
    return number + 1 == len(article) or len(article[number + 1].wrappers) < len(article[number].wrappers)


def _movable(article: list[Leaf], number: int) -> bool:
    """Whether figure `number` may move to the top of the next page, the text after it filling
    the page it leaves: not when a paragraph introduces it, nor past the heading or ornament
    after it (a figure stays in its section). A full-page figure (or a table turned sideways)
    is a page of its own, after the page its text is on, and full-page figures in a row (the
    pages of a sideways table) are one run of pages, all movable or none: the next section may
    begin on their text's page, before them, unless they open their own section (its heading
    would stand over the next one, the figures overleaf)."""
    first = last = number
    if _full_page(article[number]):
        while first and _full_page(article[first - 1]):
            first -= 1
        while last + 1 < len(article) and _full_page(article[last + 1]):
            last += 1
    if first and _introduces(article[first - 1], article[first]):
        return False
    before_heading = last + 1 < len(article) and article[last + 1].keep_with_next
    if _full_page(article[number]):
        return not (before_heading and first and article[first - 1].keep_with_next)
    return not before_heading


def _full_page(leaf: Leaf) -> bool:
    """A page of its own: a full-page figure or a page of a table turned sideways."""
    return isinstance(leaf.flowable, (FullPageFigure, SidewaysTable))


def _unwrapped(flowable: Flowable) -> Flowable:
    """What a flowable sets: the paragraph or table a CallsNotes wraps, or the flowable itself."""
    return flowable.content if isinstance(flowable, CallsNotes) else flowable


def _introduces(leaf: Leaf, following: Leaf) -> bool:
    """A paragraph that ends in a colon introduces the figure or table after it ("here is our
    logo:", "what we lend:") and, outside a list, whatever it leads into: a list ("the shelves
    are arranged:"), an address, a quotation, a code block ("running it looks like this:")."""
    shown = _unwrapped(following.flowable)
    if isinstance(shown, Unsplit) and len(shown.flowables) == 1:
        shown = shown.flowables[0]  # a figure in a list item
    if leaf.wrappers and not isinstance(shown, (FigureFlowable, FullPageFigure, TableFlowable)):
        return False
    flowable = leaf.flowable
    if not isinstance(flowable, TypesetParagraph) or not flowable.runs:
        return False
    return "".join(run.text for run in flowable.runs).rstrip().endswith(":")


def _depth(style) -> float:
    """Below the baseline of a line set in `style`: our lines put it `size` below their top."""
    return style.leading - style.size


def _lines(flowable: Flowable, width: float, canvas, looseness: int = 0) -> tuple[list | None, float, float]:
    """(lines, line height, depth) of a paragraph (one that calls foot notes too) or a code
    block; lines None for anything else. A paragraph's `looseness` is TeX's."""
    if isinstance(flowable, CallsNotes) and isinstance(flowable.content, TypesetParagraph):
        return _lines(flowable.content, width, canvas, looseness)
    if isinstance(flowable, TypesetParagraph):
        parameters = replace(PARAMETERS, looseness=looseness) if looseness else PARAMETERS
        return flowable.lines_for(width, parameters), flowable.leading, _depth(flowable.style)
    if isinstance(flowable, CodeLines):
        flowable.wrapOn(canvas, width, 1e6)
        style = flowable.style
        return list(flowable.lines), style.leading, style.leading - style.fontSize
    return None, 0.0, 0.0


def _table_rows(flowable: Flowable, width: float, layout: Layout
                ) -> tuple[float, float, list[float], list[float]] | None:
    """(head, foot, row heights, the room each row's foot notes take) of a table with rows to
    break between (see `TableFlowable.row_boxes`); None for anything else."""
    table = _unwrapped(flowable)
    if not isinstance(table, TableFlowable) or table.last - table.first < 1:
        return None
    head, foot, heights = table.row_boxes(width)
    if isinstance(flowable, CallsNotes):
        inserts = [_room_for(flowable.notes_for(table.source.called_notes(range(row, row + 1))), layout)
                   for row in range(table.first, table.last)]
    else:
        inserts = [0.0] * len(heights)
    return head, foot, heights, inserts


def _line_notes_height(flowable: Flowable, line, layout: Layout) -> float:
    """The room at the foot of its page for the foot notes a paragraph's line calls (as TeX
    attaches an insertion to the line that holds its mark), counting the rule above them."""
    if not isinstance(flowable, CallsNotes):
        return 0.0
    return _room_for(flowable.notes_for(notes_called([line])), layout)


def _notes_height(flowable: Flowable, layout: Layout) -> float:
    """The room the foot notes a flowable calls take at the foot of its page."""
    if not isinstance(flowable, CallsNotes):
        return 0.0
    return _room_for(flowable.called(), layout)


def _room_for(notes: list[Note], layout: Layout) -> float:
    """What `notes` take at the foot of a page; a fresh PageNotes counts the rule above them as
    if they were the page's first (never too little)."""
    return PageNotes(layout).extra_height(notes, layout.text_width) if notes else 0.0


def _pieces_of(flowable: Flowable, width: float, layout: Layout, canvas) -> list[tuple[Flowable, float]]:
    """Anything else (neither lines nor a table's rows): whole, or if taller than a page with
    its notes, in the parts it splits into page by page, with their heights."""
    goal = _frame(layout).goal
    pieces = []
    while True:
        height = flowable.wrapOn(canvas, width, 1e6)[1]
        too_tall = height + _notes_height(flowable, layout) > goal
        parts = flowable.splitOn(canvas, width, goal) if too_tall else []
        if len(parts) < 2:
            pieces.append((flowable, height))
            return pieces
        for part in parts[:-1]:
            pieces.append((part, part.wrapOn(canvas, width, 1e6)[1]))
        flowable = parts[-1]


def _lead_photo(figure: FigureFlowable, head: list[Leaf], width: float, layout: Layout, canvas) -> Box:
    """The lead photo: when it fits under the title with its caption, at its natural size, giving
    up no more than any figure does to fill a page (FIGURE_SHRINK of its height); when it does
    not, as small as LEAD_MIN_WIDTH of the text width (or what is left under the title, if
    less), to make room for text too."""
    figure.wrapOn(canvas, width, layout.page_height)
    natural = figure.height
    head_height = sum(leaf.flowable.wrapOn(canvas, leaf.width(layout.text_width), layout.page_height)[1]
                      + leaf.space_after for leaf in head)
    room = _frame(layout).goal - head_height - figure.getSpaceAfter()
    smallest = figure.image_height * min(1.0, LEAD_MIN_WIDTH * width / figure.image_width) + figure.reserve
    smallest = max(figure.reserve + 1.0, min(smallest, room))
    depth = _depth(figure.caption.style) if figure.caption is not None else 0.0
    fits = natural <= room + 1e-6
    return Box(natural, depth, FIGURE_SHRINK * figure.image_height if fits else max(0.0, natural - smallest))


def _frame(layout: Layout) -> Frame:
    return Frame(goal=layout.last_baseline, line=layout.styles["body"].leading, height=layout.text_height)


# --- making the pages ------------------------------------------------------------------------


class PageOfText(Flowable):
    """One page of an article: pieces (flowables) drawn at the tops (points down from the top
    of the text block) and indents the page builder chose."""

    def __init__(self, pieces: list[tuple[Flowable, float, float, float]], height: float, page: Page,
                 layout: Layout, foot: float, noticed: float = 0.0):
        super().__init__()
        self.pieces = pieces  # (flowable, y of its top, left indent, right indent)
        self.page = page
        self.frame_height = height
        self.layout = layout
        self.foot = foot  # the baseline its foot notes end on (`_feet`)
        self.noticed = noticed  # what its break costs, where the reader notices it (`_noticed`)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = min(self.frame_height, available_height) - 1e-3
        return self.width, self.height

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        """Draw the pieces, or put back the operators of the same page drawn in the last build
        (`booklet watch`'s line cache keeps them: drawn.py)."""
        doc = getattr(canvas, "_doctemplate", None)
        if doc is not None:
            page_notes(doc, self.layout).end_notes_at(self.foot)
        cache = linecache.current()
        kept = cache.drawn if cache is not None else None
        if kept is None:
            self._draw_pieces(canvas, x, y)
            return
        signature, objects = page_signature(self.pieces, self.width, self.height, canvas, x, y)
        kept.draw(signature, objects, canvas, lambda: self._draw_pieces(canvas, x, y))

    def _draw_pieces(self, canvas, x: float, y: float) -> None:
        top = y + self.height
        for flowable, offset, left, right in self.pieces:
            _, height = flowable.wrapOn(canvas, self.width - left - right, self.frame_height)
            flowable.drawOn(canvas, x + left, top - offset - height)

    def draw(self) -> None:
        pass


def page_signature(pieces: list[tuple[Flowable, float, float, float]], width: float, height: float,
                   canvas, x: float, y: float) -> tuple[tuple | None, list[Any]]:
    """What the operators of a page of text depend on (None: a page that is always drawn), and
    the objects whose ids it holds (kept alive with the page, so that no other object takes
    their id). A piece of lines is known by the line objects themselves, which the line cache
    hands out unchanged while their paragraph and its style are."""
    objects: list[Any] = []
    signature: list[Any] = [x, y, width, height, canvas._fontname, canvas._fontsize, canvas._leading]
    for flowable, offset, left, right in pieces:
        piece = _piece_signature(flowable, objects)
        if piece is None:
            return None, []
        signature.append((offset, left, right, piece))
    return tuple(signature), objects


def _piece_signature(flowable: Flowable, objects: list[Any]) -> tuple | None:
    if isinstance(flowable, TypesetParagraph):
        lines = flowable._fixed
        if lines is None or any(run.link or run.strike or run.note is not None for run in flowable.runs):
            return None
        objects.append(lines)
        return ("lines", flowable.first, tuple(map(id, lines)))
    if isinstance(flowable, (LIIndenter, DDIndenter)):
        inner = _piece_signature(flowable._flowable, objects)
        if inner is None:
            return None
        bullet = getattr(flowable, "_bullet", None)  # a list item's first piece: ReportLab's BulletDrawer
        drawer = repr(sorted(vars(bullet).items())) if bullet is not None else None
        return (type(flowable).__name__, flowable._leftIndent, flowable._rightIndent, drawer, inner)
    if type(flowable) is Spacer:
        return ("space", flowable.width, flowable.height)
    return None


@dataclass(frozen=True)
class MadeArticle:
    """An article's pages; `sunk` says its text opens under its head, where the booklet's sink
    moves it (not under a lead photo, whose own space gives)."""

    pages: list[PageOfText]
    sunk: bool


def make_pages(flowables: list[Flowable], layout: Layout, canvas, first_page: int, sink: int = 0
               ) -> MadeArticle:
    """The pages of an article whose first page is page number `first_page`, its text sunk
    `sink` lines under its head (`measure`)."""
    article = leaves(flowables)
    frame = _frame(layout)
    items, sources, pages = _filled_layout(article, layout, canvas, frame, first_page, sink)
    return MadeArticle([PageOfText(_pieces(page, items, sources, article), frame.height, page, layout, foot,
                                   _noticed(page, items, frame)) for page, foot in zip(pages, _feet(pages, frame))],
                       not any(leaf.lead for leaf in article))


def fill_faults(made: MadeArticle) -> tuple[int, float]:
    """Of the pages of an article but its last, how many end above their goal, and what the
    others' breaks cost where the reader notices them (`_noticed`): what sinking every opening
    of a booklet a line more may mend. None for an article the sink does not move: counted, its
    faults made booklets of lead photos (the benchmarks') up three times, alike each time."""
    if not made.sunk:
        return 0, 0.0
    counted = made.pages[:-1]
    return sum(1 for page in counted if not page.page.filled), sum(page.noticed for page in counted)


def _noticed(page: Page, items: Sequence[Item], frame: Frame) -> float:
    """What a page's make-up costs where its reader notices it, in the page builder's demerits:
    set a line short (SHORT_SPREAD_COST), or broken at a stray line, before a list item of one
    line, or mid-word under a turned leaf (a break costing ITEM_HEAD_PENALTY or more; not a
    hyphen on a left page, nor the glue's badness)."""
    end = items[page.end] if page.end < len(items) else None
    cost = break_cost(end, page.number) if isinstance(end, Penalty) else 0.0
    return (SHORT_SPREAD_COST if _short(page, frame) else 0.0) + (cost if cost >= ITEM_HEAD_PENALTY else 0.0)


def _filled_layout(article: list[Leaf], layout: Layout, canvas, frame: Frame, first_page: int, sink: int
                   ) -> tuple[list[Item], list[Source | None], tuple[Page, ...]]:
    """The article's items, their sources and its pages, with paragraphs set a line longer or
    shorter (TeX's \\looseness) where the pages of the article as it is best set leave a page
    before its last unfilled or set a line short: a compositor's way to fill a spread that whole
    lines cannot. Around each such page (from the spread before it to the one after), the
    paragraphs are offered to the page builder, which breaks those spreads again choosing the
    changes with the breaks (a change on one spread often wants another on the spread before);
    the spreads are kept so when fewer of their pages are unfilled, then fewer short, then fewer."""
    items, sources = measure(article, layout, canvas, sink=sink)
    pages = _page_breaks(items, frame, first_page)
    windows = _windows(pages, items, frame)
    if not windows:
        return items, sources, pages
    offered = {sources[i].leaf for first, last in windows for page in pages[first:last + 1]
               for i in range(page.start, page.end) if sources[i] is not None and sources[i].line is not None}
    offer_items, _ = measure(article, layout, canvas, offered=offered, sink=sink)
    made: list[Page] = list(pages[:windows[0][0]])
    for number, (first, last) in enumerate(windows):
        closed = last < len(pages) - 1
        window = (pages[first].start - 1, pages[last].end if closed else len(items),
                  pages[last].number + 1 if closed else None)
        again = _page_breaks(offer_items, frame, pages[first].number, window)
        kept = pages[first:last + 1]
        better = again and _fill_score(again, items, frame, closed) < _fill_score(kept, items, frame, closed)
        made += again if better else kept
        made += pages[last + 1:windows[number + 1][0] if number + 1 < len(windows) else len(pages)]
    looseness = {sources[page.changed].leaf: page.change for page in made if page.changed is not None}
    if not looseness:
        return items, sources, pages
    changed_items, changed_sources = measure(article, layout, canvas, looseness, sink=sink)
    if len(changed_items) != len(items) + 2 * sum(looseness.values()):  # not as offered: break them again
        return changed_items, changed_sources, _page_breaks(changed_items, frame, first_page)
    return changed_items, changed_sources, _renumbered(made, first_page)


def _windows(pages: tuple[Page, ...], items: Sequence[Item], frame: Frame) -> list[tuple[int, int]]:
    """The runs of pages (first and last index) to break again: from the spread before each
    page that is unfilled, set short or badly broken (not the article's last) to the spread
    after it, whole spreads, with no figure moving into or out of them; runs that meet are joined."""
    windows: list[tuple[int, int]] = []
    for wanting in (k for k, page in enumerate(pages[:-1])
                    if not page.filled or _short(page, frame) or _badly_broken(page, items)):
        first, last = max(0, wanting - 2), min(len(pages) - 1, wanting + 2)
        while first > 0 and (pages[first].number % 2 or pages[first].top_float is not None):
            first -= 1
        while last < len(pages) - 1 and (pages[last].number % 2 == 0 or pages[last].deferred is not None):
            last += 1
        if windows and first <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], last)
        else:
            windows.append((first, last))
    return windows


def _renumbered(pages: list[Page], first_page: int) -> tuple[Page, ...]:
    """The pages chosen on the items as measured before the changes, on the items after them
    and numbered in order: a paragraph set a line longer (shorter) has one line (and the
    penalty before it) more (less) at its end, so every index after its last line moves by two."""
    ends = [(page.changed, 2 * page.change) for page in pages if page.changed is not None]

    def moved(index: int | None) -> int | None:
        return None if index is None else index + sum(shift for end, shift in ends if end < index)

    return tuple(replace(page, start=moved(page.start), end=moved(page.end), top_float=moved(page.top_float),
                         deferred=moved(page.deferred), number=first_page + number, changed=None, change=0)
                 for number, page in enumerate(pages))


def _fill_score(pages: Sequence[Page], items: Sequence[Item], frame: Frame, closed: bool = False
                ) -> tuple[int, int, int, int]:
    """Unfilled pages, pages set a line short (but an article's last page, unless `closed`:
    the pages are not the article's last), pages, pages badly broken: fewer is better."""
    counted = pages if closed else pages[:-1]
    return (sum(1 for page in counted if not page.filled), sum(1 for page in counted if _short(page, frame)),
            len(pages), sum(1 for page in pages if _badly_broken(page, items)))


def _badly_broken(page: Page, items: Sequence[Item]) -> bool:
    """A page whose break its reader notices: a right-hand page that ends in a hyphenated line
    (the leaf is turned mid-word), or one that ends or leaves the next page opening with a stray
    line (STRAY_LINE_PENALTY)."""
    end = items[page.end] if page.end < len(items) else None
    return isinstance(end, Penalty) and (end.turned > 0 and page.number % 2 == 1
                                         or STRAY_LINE_PENALTY <= end.cost < INFINITY)


def _short(page: Page, frame: Frame) -> bool:
    """Set a line short: with the page beside it, where whole lines do not fill the spread."""
    return page.goal is not None and page.goal < frame.goal - 0.01


def _feet(pages: tuple[Page, ...], frame: Frame) -> list[float]:
    """The baseline each page's foot notes end on: where its text ends when it has none (its
    goal, the spread's), so that both pages of a spread end on one baseline with notes too.
    The article's last page, which ends as it falls, takes the goal of the page beside it."""
    feet = []
    for index, page in enumerate(pages):
        partner = pages[index - 1] if index and page.number % 2 == 1 else None  # a right page's left page
        goal = page.goal if page.goal is not None else partner.goal if partner is not None else None
        feet.append(goal if goal is not None else frame.goal)
    return feet


def _page_breaks(items: list[Item], frame: Frame, first_page: int, window: tuple[int, int, int | None] | None = None
                 ) -> tuple[Page, ...]:
    """`page_breaks`, looked up in the line cache in use: page breaking is a pure function of
    the measured items, so an article whose items did not change keeps its pages (a rebuild
    after an edit breaks only the edited article's pages again)."""
    cache = linecache.current()
    if cache is None:
        return page_breaks(items, frame, first_page, window)
    plain = [(type(item).__name__, *vars(item).values()) for item in items]
    key = digest(linecache.code_stamp("booklet.typeset.pages"),
                 marshal.dumps((plain, tuple(vars(frame).values()), first_page, window)))
    pages = cache.get(key, _decode_pages)
    if pages is None:
        pages = page_breaks(items, frame, first_page, window)
        cache.put(key, pages, _encode_pages)
    return pages


def _encode_pages(pages: tuple[Page, ...]) -> tuple:
    return tuple(tuple(vars(page).values()) for page in pages)


def _decode_pages(plain: tuple) -> tuple[Page, ...]:
    if any(len(page) != len(_PAGE_FIELDS) for page in plain):
        raise ValueError("not the pages this code writes")
    return tuple(Page(*page) for page in plain)


_PAGE_FIELDS = fields(Page)


def _pieces(page: Page, items: list[Item], sources: list[Source | None], article: list[Leaf]
            ) -> list[tuple[Flowable, float, float, float]]:
    """Where each piece of `page` goes, with its glue stretched or shrunk by the page's ratio."""
    ratio = page.ratio
    pieces: list[tuple[Flowable, float, float, float]] = []
    y = 0.0
    solid = False
    glue = 0.0
    carried = page.carried  # the stretch of the space dropped above the page, for its first glue

    def give(shrink: float) -> float:
        return -ratio * shrink if ratio < 0 else 0.0

    if page.top_float is not None:
        leaf = article[sources[page.top_float].leaf]
        figure = items[page.top_float]
        if figure.full_page:
            return [(leaf.flowable, 0.0, 0.0, 0.0)]
        height = figure.height - give(figure.shrink)
        pieces.append((_figure(leaf, height), 0.0, leaf.left, leaf.right))
        y, solid = height + figure.space_after, True
    opening = items[page.start - 1] if page.start > 0 else None
    lifted = opening.after if isinstance(opening, Penalty) else 0.0  # a table goes on, under its header
    if lifted:
        y, solid = y + lifted, True
    run: tuple[int, int, int, float, float] | None = None  # a leaf's lines (a table's rows) being
    # gathered: (leaf, first, last, top, the glue between them)

    def close_run() -> None:
        nonlocal run
        if run is not None:
            leaf_index, first, last, top, between = run
            leaf = article[leaf_index]
            spacing = between / (last - first) if last > first else 0.0
            pieces.append((_lines_piece(leaf, first, last, spacing), top, leaf.left, leaf.right))
            run = None

    for index in range(page.start, page.end):
        item = items[index]
        if isinstance(item, Penalty):
            continue
        if isinstance(item, Glue):
            if solid:
                stretch = item.stretch + carried
                glue += item.height + (ratio * stretch if ratio > 0 else ratio * item.shrink)
                carried = 0.0
            continue
        source = sources[index]
        if index == page.deferred or isinstance(item, Float) and item.full_page:  # on a page after,
            # with the glue before it
            glue = 0.0
            continue
        leaf = article[source.leaf]
        if source.part is not None:
            close_run()
            y += glue
            pieces.append((_wrapped(leaf, leaf.lines[source.part][0], source.part == 0), y, leaf.left, leaf.right))
            y += item.height
        elif source.line is not None:
            if run is not None and run[0] == source.leaf:
                run = (run[0], run[1], source.line, run[3], run[4] + glue)
                y += glue + item.height
                glue = 0.0
                continue
            close_run()
            y += glue
            run = (source.leaf, source.line, source.line, y - lifted, 0.0)  # (the header: drawn by the piece)
            lifted = 0.0
            y += item.height
        else:
            close_run()
            if isinstance(item, Float):
                y += glue + (item.space_before if solid else 0.0)
                height = item.height - give(item.shrink)
                pieces.append((_figure(leaf, height), y, leaf.left, leaf.right))
                y += height + item.space_after
            else:
                y += glue
                height = item.height - give(item.shrink)
                flowable = _figure(leaf, height) if leaf.lead else leaf.flowable
                pieces.append((flowable, y, leaf.left, leaf.right))
                y += height
        glue = 0.0
        solid = True
    close_run()
    return pieces


def _figure(leaf: Leaf, height: float) -> Flowable:
    figure = leaf.flowable
    return _wrapped(leaf, FigureFlowable(figure.image, figure.caption, figure.layout, figure.width_fraction,
                                         max_height=height + 1e-6), True)


def _lines_piece(leaf: Leaf, first: int, last: int, spacing: float = 0.0) -> Flowable:
    """Lines first..last (inclusive) of a paragraph or code block, or rows of a table (with
    `spacing` points added between them), as a flowable of their own."""
    flowable = leaf.flowable
    content = _unwrapped(flowable)
    if isinstance(content, TableFlowable):
        piece = content.rows(first, last, spacing)
    elif isinstance(content, TypesetParagraph):
        piece = TypesetParagraph(content.runs, content.style, content.hyph, leaf.lines[first:last + 1], None,
                                 content.first and first == 0, spacing=content.spacing)
    else:
        piece = CodeLines.piece(leaf.lines[first:last + 1], content.style, content.char_width)
    if isinstance(flowable, CallsNotes):  # drawn, it places the notes its lines (rows) call
        piece = CallsNotes(piece, flowable.notes, flowable.layout)
    return _wrapped(leaf, piece, first == 0)


def _wrapped(leaf: Leaf, piece: Flowable, first: bool) -> Flowable:
    """The piece inside the leaf's list items, drawing their bullets on its first piece only
    (the page places it at the quote's indent; the items add their own)."""
    for wrapper, bullet in reversed(leaf.wrappers):
        if isinstance(wrapper, LIIndenter):
            piece = LIIndenter(piece, wrapper._leftIndent, wrapper._rightIndent,
                               wrapper._bullet if first and bullet else None)
        else:
            piece = DDIndenter(piece, wrapper._leftIndent, wrapper._rightIndent)
    return piece
