"""Footnotes → notes at the foot of the page that calls them, or at the end of their article.

One mechanism, kept here: a flowable whose text calls notes (a paragraph, a table) is wrapped
in `CallsNotes`. Asked for its size, it tells the frame that it needs its own height plus
`PageNotes.extra_height` (the notes it calls that this page does not hold yet, and the
separator rule if they are the page's first); when that does not fit, it splits where its
first part and that part's notes fit together. When it is drawn, its notes are placed: the
frame's bottom rises by their height, and at the end of the page they are drawn there, under
a short rule. A page builder that measures flowables asks the same two questions: which
notes a part calls (`called_notes()`) and what they add to a page (`PageNotes.extra_height`).
All lengths are in points.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from reportlab.platypus import Flowable, ListFlowable
from reportlab.platypus.doctemplate import LayoutError

from ..layouts import Layout
from .paragraph import TypesetParagraph

MARK_SIZE = 0.62  # a note call's figure, as a share of the text's size
MARK_RISE = 0.36  # its baseline above the text's, in ems of the text
RULE_LENGTH = 0.3  # share of the text width
RULE_WEIGHT = 0.4
NOTE_GAP = 1.5  # between two notes


class NotesTooTall(LayoutError):
    """The notes called on a page fill it past its top: its text is the user's error message."""


class Note(Flowable):
    """A footnote as it is set at the foot of a page: its paragraphs stacked, never split."""

    def __init__(self, number: int, flowables: list[Flowable]):
        super().__init__()
        self.number = number
        self.flowables = flowables
        self._heights: dict[float, float] = {}

    def stacks(self) -> bool:
        """Whether it is paragraphs and lists of them alone, which the foot of a page stacks
        (`draw`): a quote's indents, a table, a picture flow only in a frame, so such a note is
        set at the end."""
        return all(_stacks(flowable) for flowable in self.flowables)

    def height_at(self, width: float) -> float:
        height = self._heights.get(width)
        if height is None:
            height = 0.0
            for index, flowable in enumerate(self.flowables):
                height += flowable.wrapOn(None, width, 1e6)[1] + (flowable.getSpaceBefore() if index else 0.0)
            height = self._heights[width] = height
        return height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, self.height_at(available_width)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for index, flowable in enumerate(self.flowables):
            _, height = flowable.wrapOn(self.canv, self.width, 1e6)
            y -= height + (flowable.getSpaceBefore() if index else 0.0)
            flowable.drawOn(self.canv, 0, y)


def _stacks(flowable: Flowable) -> bool:
    if isinstance(flowable, ListFlowable):
        return all(_stacks(part) for item in flowable._flowables for part in item._flowables)
    return isinstance(flowable, TypesetParagraph)


class PageNotes:
    """The foot notes of the page being laid out, and the room they take from its frame."""

    def __init__(self, layout: Layout):
        style = layout.styles["footnote"]
        self.separator = style.leading * 1.2  # the rule and the space around it
        self.layout = layout
        self.foot = layout.last_baseline  # the baseline of this page's last note (`end_notes_at`)
        self.on_page: list[Note] = []
        # notes placed on some page (a note is set once), held themselves: by their ids, a note
        # made after one that was placed and freed could take its id and never be set (found
        # as an article's foot note missing from about one build in twenty)
        self.placed: set[Note] = set()

    def new_notes(self, notes: Iterable[Note]) -> list[Note]:
        return [note for note in dict.fromkeys(notes) if note not in self.placed]

    def extra_height(self, notes: Iterable[Note], width: float) -> float:
        """What these notes add to the foot of this page (0 for those it holds already)."""
        new = self.new_notes(notes)
        if not new:
            return 0.0
        height = sum(note.height_at(width) + NOTE_GAP for note in new) - NOTE_GAP
        return height + (self.separator if not self.on_page else NOTE_GAP)

    def place(self, notes: Iterable[Note], frame) -> None:
        """Set these notes at the foot of this page: the frame's bottom rises by their height."""
        new = self.new_notes(notes)
        if not new:
            return
        frame._y1p += self.extra_height(new, frame._width)
        self.on_page += new
        self.placed.update(new)

    def end_notes_at(self, baseline: float) -> None:
        """Put the last note of this page on `baseline` (down from the top of the text block),
        where the page's text would end without notes: its last baseline is then the one of
        the page beside it. By default, a full page's (Layout.last_baseline)."""
        self.foot = baseline

    def finish_page(self, canvas, frame) -> None:
        """Draw the page's notes on the frame's bottom, under a short rule, and give the next
        page its whole frame."""
        if self.on_page:
            width = frame._width
            style = self.layout.styles["footnote"]  # a note's last baseline is this far above its foot
            y = frame._y1 + max(0.0, self.layout.text_height - self.foot - (style.leading - style.size))
            for note in reversed(self.on_page):
                note.wrap(width, 1e6)
                note.drawOn(canvas, frame._x1, y)
                y += note.height + NOTE_GAP
            y += self.separator - NOTE_GAP
            if y > frame._y1 + frame._height + 1.0:  # over the page's text, past its top
                raise NotesTooTall(f"the foot notes called on page {canvas.getPageNumber()} are taller than the "
                                  "page: call fewer from one line, or set [notes] place = \"end\" in the layout")
            rule_y = y - self.separator * 0.45
            canvas.saveState()
            canvas.setLineWidth(RULE_WEIGHT)
            canvas.line(frame._x1, rule_y, frame._x1 + width * RULE_LENGTH, rule_y)
            canvas.restoreState()
        self.on_page = []
        self.foot = self.layout.last_baseline
        frame._y1p = frame._y1 + frame._bottomPadding


def page_notes(doc, layout: Layout) -> PageNotes:
    """The document's `PageNotes` (made on first use)."""
    notes = doc.__dict__.get("_booklet_page_notes")
    if notes is None:
        notes = doc._booklet_page_notes = PageNotes(layout)
    return notes


class CallsNotes(Flowable):
    """A flowable whose text calls foot notes (see the module's docstring). `content` must
    answer `called_notes()` with the numbers it calls (after being wrapped); `notes` maps the
    article's foot notes by number (a call of an end note is not in it)."""

    def __init__(self, content: Flowable, notes: Mapping[int, Note], layout: Layout):
        super().__init__()
        self.content, self.notes, self.layout = content, notes, layout
        self.keepWithNext = getattr(content, "keepWithNext", False)

    def getSpaceBefore(self) -> float:
        return self.content.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.content.getSpaceAfter()

    def min_width(self) -> float:
        return self.content.min_width()

    def called(self) -> list[Note]:
        return self.notes_for(self.content.called_notes())

    def notes_for(self, numbers: Iterable[int]) -> list[Note]:
        """The foot notes of these call numbers (a call of an end note has none)."""
        return [self.notes[n] for n in numbers if n in self.notes]

    def _extra(self) -> float:
        canvas = getattr(self, "canv", None)
        doc = getattr(canvas, "_doctemplate", None)
        if doc is None or getattr(doc, "frame", None) is None:
            return 0.0  # measured outside a page
        return page_notes(doc, self.layout).extra_height(self.called(), doc.frame._width)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.content.wrap(available_width, available_height)
        extra = self._extra()
        if self.height + extra > available_height + 1e-6:
            return self.width, self.height + extra  # does not fit with its notes: split
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height
        while room > 0:
            parts = self.content.split(available_width, room)
            if not parts:
                return []
            head = CallsNotes(parts[0], self.notes, self.layout)
            head.canv = self.canv
            _, height = parts[0].wrap(available_width, room)
            extra = head._extra()
            del head.canv
            if height + extra <= available_height + 1e-6:
                return [head, *(CallsNotes(part, self.notes, self.layout) for part in parts[1:])]
            room = min(room - 1.0, available_height - extra)
        return []

    def called_notes(self) -> tuple[int, ...]:
        return self.content.called_notes()

    def draw(self) -> None:
        self.content.drawOn(self.canv, 0, 0)
        doc = getattr(self.canv, "_doctemplate", None)
        if doc is not None:
            page_notes(doc, self.layout).place(self.called(), doc.frame)


class NoteRule(Flowable):
    """The short rule above an article's end notes."""

    def __init__(self, layout: Layout):
        super().__init__()
        leading = layout.styles["footnote"].leading
        self.spaceBefore, self.spaceAfter = leading * 1.5, leading * 0.5
        self.keepWithNext = True

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, RULE_WEIGHT
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setLineWidth(RULE_WEIGHT)
        self.canv.line(0, RULE_WEIGHT / 2, self.width * RULE_LENGTH, RULE_WEIGHT / 2)
