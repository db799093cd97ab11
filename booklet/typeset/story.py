"""Model blocks → Platypus flowables: the text of the booklet in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, Mapping

from reportlab.platypus import DDIndenter, Flowable, Indenter, KeepTogether, ListFlowable, ListItem, Preformatted, Spacer
from reportlab.lib.styles import ParagraphStyle

from ..fonts import face_name, fallback_faces, ink_extent, split_by_face, string_width
from ..images import Prepared
from ..layouts import Layout, TextStyle
from ..errors import BookletError, Problem
from ..model import (
    Article, Block, Booklet, CodeBlock, DefinitionList, Figure, Footnote, Heading, Inline, LineBreak, ListBlock, NoteRef,
    Paragraph, Quote, SectionBreak, Span, Table, article_blocks, block_inlines, iter_blocks,
)
from ..paper import MM
from .figures import FigureFlowable, FullPageFigure, caption_box_width, figure_flowable, figure_reserve
from .notes import MARK_RISE, MARK_SIZE, CallsNotes, Note, NoteRule
from .paragraph import Run, TypesetParagraph, make_paragraph
from .tables import SidewaysTable, TableFlowable, TableSource, table_flowables

ORNAMENT = "* * *"
QUOTE_INDENT = 10.0  # points, on both sides of a block quote
LIST_INDENT = 11.0  # points per nesting level
LABEL_GAP = 0.3
"""The space, in ems, between a list item's number and its text (about a word space). Regression:
the indent was LIST_INDENT whatever the numbers, and '10.' printed over the text after it."""


@dataclass
class StoryContext:
    """What block conversion needs: the layout, the article's language and the prepared images."""

    layout: Layout
    language: str
    images: Mapping[Path, Prepared]
    notes: dict[int, Note] = field(default_factory=dict)  # the article's foot notes by number


def style_face(layout: Layout, style: TextStyle, bold: bool = False, italic: bool = False, code: bool = False) -> str:
    family = layout.fonts["mono" if code else style.font]
    return face_name(family, bold=style.bold or bold, italic=style.italic != italic)


def runs_for(inlines: tuple[Inline, ...], style: TextStyle, layout: Layout) -> list[Run]:
    """Inlines → runs, each in the face its style asks for, or in a fallback font for
    characters that face lacks (the preflight has already refused characters no font has)."""
    runs: list[Run] = []
    for inline in inlines:
        if isinstance(inline, LineBreak):
            runs.append(Run("\n", style_face(layout, style), style.size))
            continue
        if isinstance(inline, NoteRef):
            runs.append(note_mark(inline.number, style, layout))
            continue
        face = style_face(layout, style, inline.bold, inline.italic, inline.code)
        runs.extend(_with_fallback(inline, face, style, layout))
    return runs


def note_mark(number: int, style: TextStyle, layout: Layout, calls: bool = True) -> Run:
    """A footnote's number, raised and smaller: its call in the text (`calls`), or its label."""
    return Run(str(number), style_face(layout, style), style.size * MARK_SIZE, rise=style.size * MARK_RISE,
               note=number if calls else None)


def _with_fallback(span: Span, face: str, style: TextStyle, layout: Layout) -> list[Run]:
    """The span in `face`, and words it cannot set in the first fallback face that can."""
    bold, italic = style.bold or span.bold, style.italic != span.italic
    fallbacks = partial(fallback_faces, layout.fallback_fonts, bold, italic)
    # letters no font has were refused by the preflight; set any left in the span's own face
    return [Run(text, font or face, style.size, span.link, strike=span.strike, code=span.code)
            for text, font in split_by_face(span.text, face, fallbacks)]


def text_paragraph(text: str, style_name: str, context: StoryContext) -> Flowable:
    """A paragraph of plain text (titles, datelines, cover lines) in a named layout style."""
    style = context.layout.styles[style_name]
    return make_paragraph(runs_for((Span(text),), style, context.layout), style, context.language,
                          context.layout.hyphenation, context.layout.justification)


def inline_paragraph(inlines: tuple[Inline, ...], style: TextStyle, context: StoryContext) -> Flowable:
    paragraph = make_paragraph(runs_for(inlines, style, context.layout), style, context.language,
                               context.layout.hyphenation, context.layout.justification)
    return _with_notes(paragraph, [i.number for i in inlines if isinstance(i, NoteRef)], context)


def _with_notes(flowable: Flowable, calls: list[int], context: StoryContext) -> Flowable:
    """The flowable, wrapped to place the foot notes it calls (`calls`: their numbers) when it has any."""
    if any(number in context.notes for number in calls):
        return CallsNotes(flowable, context.notes, context.layout)
    return flowable


def article_flowables(article: Article, context: StoryContext) -> list[Flowable]:
    """An article's blocks, and after them its end notes: with `[notes] place = "foot"`, the
    notes too tall for the foot of a page, those that hold more than paragraphs and lists of
    them (a quote, a table), those called from another note, a caption or a table turned sideways."""
    layout = context.layout
    notes = {note.number: Note(note.number, _note_flowables(note, context)) for note in article.notes}
    limit = layout.notes.max_share * layout.text_height
    called_in_notes = {inline.number for note in article.notes for block in iter_blocks(note.blocks)
                       for _, inlines in block_inlines(block) for inline in inlines if isinstance(inline, NoteRef)}
    foot = {} if layout.notes.place == "end" else {
        number: note for number, note in notes.items()
        if number not in called_in_notes and note.stacks() and note.height_at(layout.text_width) <= limit}
    context = replace(context, notes=foot)
    flowables = block_flowables(article.blocks, context)
    end = [note for number, note in notes.items() if number not in context.notes]
    if end:
        flowables.append(NoteRule(layout))
        for note in end:
            flowables += note.flowables
    return flowables


def _note_flowables(note: Footnote, context: StoryContext) -> list[Flowable]:
    """A note's paragraphs in the footnote style, the first one opening with its number."""
    layout = context.layout
    style = replace(layout.styles["footnote"], first_indent=0.0)
    context = replace(context, notes={})  # a call inside a note is not followed
    blocks = list(note.blocks)
    label = [note_mark(note.number, style, layout, calls=False), Run(" ", style_face(layout, style), style.size)]
    first: list[Flowable] = []
    if blocks and isinstance(blocks[0], Paragraph):
        runs = label + runs_for(blocks.pop(0).inlines, style, layout)
        first = [make_paragraph(runs, style, context.language, layout.hyphenation, layout.justification)]
    else:
        first = [make_paragraph(label[:1], style, context.language, layout.hyphenation, layout.justification)]
    flowables = first + block_flowables(tuple(blocks), context, "footnote")
    flowables[0].spaceBefore = style.leading * 0.25
    return flowables


def block_flowables(blocks: tuple[Block, ...], context: StoryContext, style_name: str = "body",
                    in_list_item: bool = False) -> list[Flowable]:
    """Flowables for a sequence of blocks; a paragraph that follows another (with or without a
    figure or a table turned sideways between them: they float) gets the first-line indent.

    In a list item, a block that introduces a nested list keeps with the list's first item,
    which is therefore set as a list of its own, the rest following as another. Regression (the
    example's tool list): "• Kitchen and household" ended a page and its items began the next;
    keeping it with the whole nested list instead left a page half empty."""
    flowables: list[Flowable] = []
    previous: Block | None = None  # the block before in the text: a figure floats, so not a figure
    for block in blocks:
        made: list[Flowable] = []
        if in_list_item and isinstance(block, ListBlock) and flowables:
            flowables[-1].keepWithNext = True
            rest = block.items[1:]
            flowables.append(_list(replace(block, items=block.items[:1]), context, style_name,
                                   space_after=0.0 if rest else None))
            if rest:
                flowables.append(_list(replace(block, items=rest, start=block.start + 1), context, style_name,
                                       space_before=0.0))
        else:
            made = _block(block, context, style_name, indent=isinstance(previous, Paragraph),
                          may_turn=not in_list_item)
            _space_between(block, previous, made, flowables, context.layout.styles[style_name])
            flowables.extend(made)
        if not (isinstance(block, Figure) or made and isinstance(made[0], SidewaysTable)):
            previous = block  # regression: the paragraph after a figure that floated on (or a
            # table turned sideways onto the pages after) lost its indent, and ran on from the
            # one before it unseen
    return flowables


def _space_between(block: Block, previous: Block | None, made: list[Flowable], flowables: list[Flowable],
                   style: TextStyle) -> None:
    """Set the space between `block` (its flowables `made`, in `style`) and the block before it
    in the text (`previous`, its flowables ending `flowables`) where their styles' own spaces
    would be wrong."""
    if _is_verse(block) and _is_verse(previous):
        # a stanza after a stanza: with the half line under the first, a blank line between
        next(f for f in made if isinstance(f, TypesetParagraph)).spaceBefore = style.leading / 2
    elif (style.first_indent > 0 and isinstance(block, Paragraph) and isinstance(previous, Paragraph)
          and len(made) == 1 and isinstance(made[0], TypesetParagraph) and flowables
          and isinstance(flowables[-1], TypesetParagraph)):
        # an indented paragraph after another: the indent shows where it begins, no space
        # between (regression: the paragraphs of a quoted letter were 4 + 4 pt apart, which
        # the page builder stretched to a line and a half)
        made[0].spaceBefore = flowables[-1].spaceAfter = 0.0
    elif isinstance(block, Heading) and isinstance(previous, (Heading, SectionBreak)) and flowables:
        # under a heading or an ornament, the space between them is theirs alone: the two
        # spaces added up to a gap wider than a section's (36–40 pt under `* * *`)
        made[0].spaceBefore = 0.0


def _is_verse(block: Block | None) -> bool:
    """A paragraph written with hard line breaks: verse, an address."""
    return isinstance(block, Paragraph) and any(isinstance(i, LineBreak) for i in block.inlines)


def _block(block: Block, context: StoryContext, style_name: str, indent: bool, may_turn: bool = True
           ) -> list[Flowable]:
    layout = context.layout
    if isinstance(block, Paragraph):
        style = layout.styles[style_name]
        indent_all = indent and style.first_indent > 0 and _is_verse(block)
        if not indent or indent_all:
            style = TextStyle(**{**style.__dict__, "first_indent": 0.0})
        paragraph = inline_paragraph(block.inlines, style, context)
        if indent_all:
            # verse and addresses (hard line breaks) keep one rule for all their lines: each is
            # indented, where the first alone used to be; set off from the prose around them
            # by twice its indent and half a line above and below, so that the next
            # paragraph's first line does not read as one more line of verse
            width = 2 * layout.styles[style_name].first_indent
            paragraph.spaceBefore = paragraph.spaceAfter = style.leading / 2
            return [Indenter(width, 0.0), paragraph, Indenter(-width, 0.0)]
        return [paragraph]
    if isinstance(block, Heading):
        heading = inline_paragraph(block.inlines, layout.styles[f"heading{block.level}"], context)
        heading.keepWithNext = True
        return [heading]
    if isinstance(block, Quote):
        return [Indenter(QUOTE_INDENT, QUOTE_INDENT), *block_flowables(block.blocks, context, "quote"),
                Indenter(-QUOTE_INDENT, -QUOTE_INDENT)]
    if isinstance(block, ListBlock):  # in a note, in the note's type
        return [_list(block, context, "footnote" if style_name == "footnote" else "list")]
    if isinstance(block, CodeBlock):
        return [_code(block, context)]
    if isinstance(block, SectionBreak):
        ornament = _ornament(context)
        ornament.keepWithNext = True  # never alone at a page foot, its section overleaf
        ornament.keepWithPrevious = True  # nor at a page head, where it reads as a stray line
        return [ornament]
    if isinstance(block, Figure):
        for inline in block.caption:  # a figure floats from its text: its caption's notes go to the end
            if isinstance(inline, NoteRef):
                context.notes.pop(inline.number, None)
        caption_style = layout.styles["caption"]
        caption = inline_paragraph(block.caption, caption_style, context) if block.caption else None
        return [figure_flowable(block, context.images[block.image], caption, layout)]
    if isinstance(block, Table):
        return _table(block, context, may_turn)
    if isinstance(block, DefinitionList):
        return _definitions(block, context)
    raise TypeError(f"unknown block {block!r}")


def _table_source(block: Table, layout: Layout, language: str) -> TableSource:
    style = layout.styles["table"]
    header = replace(style, bold=True)
    rows = tuple(tuple(tuple(runs_for(cell, header if number == 0 else style, layout)) for cell in row)
                 for number, row in enumerate((block.header, *block.rows)))
    return TableSource(rows, block.aligns, style, language, layout.hyphenation, layout.tables.min_size)


def unfit_tables(booklet: Booklet, layout: Layout) -> list[Problem]:
    """A warning for each table whose longest words do not fit their columns even sideways at
    the smallest size (`[tables] min_size`): they will be broken between letters."""
    problems = []
    for article in booklet.articles:
        for block in article_blocks(article):
            if isinstance(block, Table):
                plan = _table_source(block, layout, article.language).plan(layout.text_width, layout.text_height)
                if not plan.fits:
                    problems.append(Problem(
                        f"a table of {len(block.aligns)} columns is too wide for the page even turned sideways "
                        f"at {layout.tables.min_size:g} pt; its longest words will be broken between letters "
                        "(split it into narrower tables, or lower [tables] min_size in the layout)",
                        block.where.path, block.where.line, severity="warning"))
    return problems


def _table(block: Table, context: StoryContext, may_turn: bool) -> list[Flowable]:
    layout = context.layout
    source = _table_source(block, layout, context.language)
    rows = source.rows
    if not may_turn:
        return [_with_notes(TableFlowable(source), list(source.called_notes(range(len(rows)))), context)]
    flowables = table_flowables(source, layout.text_width, layout.text_height)
    sideways = isinstance(flowables[0], SidewaysTable)
    width, height = (layout.text_height, layout.text_width) if sideways else (layout.text_width, layout.text_height)
    number, tallest = (flowables[0].table if sideways else flowables[0]).tallest_row(width)
    if tallest > height + 1e-6:
        raise BookletError(f"row {number} of this table is too tall for a page ({tallest / MM:.0f} mm, the page's text "
                           f"is {height / MM:.0f} mm): split its cells' text over more rows, or out of the table",
                           block.where.path, block.where.line)
    if sideways:
        for number in source.called_notes(range(len(rows))):
            context.notes.pop(number, None)  # no room at the foot of a sideways page: at the end
        return flowables
    return [_with_notes(f, list(source.called_notes(range(len(rows)))), context) for f in flowables]


def _ornament(context: StoryContext) -> Flowable:
    """The `* * *` of a section break, its ink lowered (or raised) to the middle of the white
    between the paragraphs around it: from the last baseline above to the cap height of the line
    below. Found by a book designer: asterisks are drawn at the cap height, and set on the line
    as letters are they sat optically high (in `pocket`, 11.5 pt of white above them, 15.2 below).
    The spaces of both sides count, and stretch alike where they are alike."""
    layout = context.layout
    style, body = layout.styles["ornament"], layout.styles["body"]
    runs = runs_for((Span(ORNAMENT),), style, layout)
    inks = [ink_extent(run.font, run.text) for run in runs]
    bottom = min(ink[0] * run.size for ink, run in zip(inks, runs))
    top = max(ink[1] * run.size for ink, run in zip(inks, runs))
    cap = ink_extent(style_face(layout, body), "H")[1] * body.size
    # the ornament's baseline is `size` below its line's top, as every line's (makeup._depth)
    above = body.leading - body.size + body.space_after + style.space_before + style.size - top
    below = style.leading - style.size + style.space_after + body.space_before + body.size - cap + bottom
    lower = (below - above) / 2
    runs = [replace(run, rise=run.rise - lower) for run in runs]
    return make_paragraph(runs, style, context.language, layout.hyphenation, layout.justification)


def _definitions(block: DefinitionList, context: StoryContext) -> list[Flowable]:
    """Each term in bold on a line of its own, its descriptions indented under it."""
    layout = context.layout
    body = layout.styles["body"]
    term_style = replace(body, bold=True, first_indent=0.0, space_before=body.leading * 0.4, space_after=0.0)
    flowables: list[Flowable] = []
    for definition in block.items:
        term = inline_paragraph(definition.term, term_style, context)
        term.keepWithNext = True
        flowables += [term, Indenter(LIST_INDENT, 0)]
        for description in definition.descriptions:
            flowables += block_flowables(description, context, "list")
        flowables.append(Indenter(-LIST_INDENT, 0))
    flowables.append(Spacer(0, body.leading * 0.4))
    return flowables


def _nestable(flowables: list[Flowable]) -> list[Flowable]:
    """Flowables that can live inside a list item, where flowables that act on the document
    fail: a KeepTogether (its page break) or a floating figure (its place holder) becomes an
    unsplit block, and the Indenters around a quote become an indent on each flowable between them."""
    result: list[Flowable] = []
    left = right = 0.0
    for flowable in flowables:
        if isinstance(flowable, Indenter):
            left += flowable.left
            right += flowable.right
            continue
        if isinstance(flowable, KeepTogether):
            flowable = Unsplit(flowable._content)
        elif isinstance(flowable, SidewaysTable):
            flowable = TableFlowable(flowable.table.source)  # no page of its own inside a list item
        elif isinstance(flowable, (FigureFlowable, FullPageFigure)):
            # a figure cannot float out of a list item (its place holder crashes there): it
            # moves to the next page with the item, and a full-page one is set at text size
            flowable = Unsplit([FigureFlowable(flowable.image, flowable.caption, flowable.layout,
                                                getattr(flowable, "width_fraction", None))])
        result.append(DDIndenter(flowable, left, right) if left or right else flowable)
    return result


class _TaskBox(Flowable):
    """A task list item's first flowable with its box drawn where the bullet goes: empty, or
    ticked when the task is done (`done`; None draws a plain bullet). Drawn, not set in a font,
    because the bundled text faces have no ☐ and ☑."""

    def __init__(self, content: Flowable, done: bool | None, style: TextStyle, font: str):
        super().__init__()
        self.content, self.done, self.style, self.font = content, done, style, font
        self.spaceBefore, self.spaceAfter = content.getSpaceBefore(), content.getSpaceAfter()

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.content.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.content.split(available_width, available_height)
        return [_TaskBox(parts[0], self.done, self.style, self.font), *parts[1:]] if parts else []

    def called_notes(self) -> tuple[int, ...]:
        return getattr(self.content, "called_notes", tuple)()

    def draw(self) -> None:
        canvas = self.canv
        self.content.drawOn(canvas, 0, 0)
        size = self.style.size
        side = size * 0.68
        x, y = -LIST_INDENT, self.height - size  # on the first line's baseline
        canvas.saveState()
        if self.done is None:
            canvas.setFont(self.font, size)
            canvas.drawString(x, y, "•")
        else:
            canvas.setLineWidth(size * 0.06)
            canvas.rect(x, y, side, side)
            if self.done:
                canvas.setLineWidth(size * 0.1)
                path = canvas.beginPath()
                path.moveTo(x + side * 0.18, y + side * 0.52)
                path.lineTo(x + side * 0.42, y + side * 0.2)
                path.lineTo(x + side * 0.9, y + side * 1.05)
                canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()


class Unsplit(Flowable):
    """Flowables stacked into one that is never split: it moves to the next page as a whole.

    Regression: a figure (KeepTogether) in a list item that did not fit on the page made
    ReportLab wrap a FrameBreak and fail ("_FrameBreak.wrap should never be called").
    """

    def __init__(self, flowables: list[Flowable]):
        super().__init__()
        self.flowables = flowables

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.sizes = [f.wrapOn(self.canv, available_width, available_height) for f in self.flowables]
        self.width = available_width
        self.height = sum(h + f.getSpaceBefore() + f.getSpaceAfter() for f, (_, h) in zip(self.flowables, self.sizes))
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        y = self.height
        for flowable, (_, height) in zip(self.flowables, self.sizes):
            y -= flowable.getSpaceBefore() + height
            flowable.drawOn(self.canv, 0, y)
            y -= flowable.getSpaceAfter()


def _list(block: ListBlock, context: StoryContext, style_name: str = "list", space_before: float | None = None,
          space_after: float | None = None) -> Flowable:
    style = context.layout.styles[style_name]
    contents = [_nestable(block_flowables(item, context, style_name, in_list_item=True)) or [Spacer(0, 0)]
                for item in block.items]
    font = style_face(context.layout, style)
    if block.checks:  # a task list: each item's box is drawn with its first line
        contents = [[_TaskBox(content[0], done, style, font), *content[1:]]
                    for content, done in zip(contents, block.checks)]
    items = [ListItem(content) for content in contents]
    indent, dedent, align = LIST_INDENT, LIST_INDENT, "left"
    if block.ordered:  # numbers right-aligned on their full stops, the indent as wide as the widest
        widest = max(string_width(f"{n}.", font, style.size) for n in range(block.start, block.start + len(items)))
        dedent, align = LABEL_GAP * style.size, "right"
        indent = max(LIST_INDENT, widest + dedent)
    return ListFlowable(
        items,
        bulletType="1" if block.ordered else "bullet",
        start=str(block.start) if block.ordered else "" if block.checks else "•",
        bulletFontName=font,
        bulletFontSize=style.size,
        leftIndent=indent,
        bulletDedent=dedent,
        bulletAlign=align,
        bulletFormat="%s." if block.ordered else None,
        spaceBefore=style.space_after * 2 if space_before is None else space_before,
        spaceAfter=style.space_after * 2 if space_after is None else space_after,
    )


def _code(block: CodeBlock, context: StoryContext) -> Flowable:
    """Monospace lines, wrapped by character count so that none passes the margin."""
    layout = context.layout
    style = layout.styles["code"]
    font = style_face(layout, style)
    paragraph_style = ParagraphStyle("code", fontName=font, fontSize=style.size, leading=style.leading,
                                     spaceBefore=style.space_before, spaceAfter=style.space_after)
    return CodeLines(block.text.expandtabs(4), paragraph_style, string_width("M", font, style.size))


MARK_COLUMNS = 2
"""Columns a code line's continuation is set in by, for the mark that shows it goes on."""


@dataclass(frozen=True)
class CodeLine:
    """One printed line of a code block; `mark` is the column of the continuation mark when the
    line goes on from the one before (the source line was too long for the measure)."""

    text: str
    mark: int | None = None


class CodeLines(Preformatted):
    """Preformatted text wrapped to the width it is given, which is narrower inside lists and quotes.

    A source line too long for the measure goes on in lines set in by MARK_COLUMNS, with a
    hooked arrow in the room before them (as LaTeX's listings does with ↪), so that a reader
    typing it in sees one line, not several. The arrow is drawn, not a character, so text copied
    from the PDF is the code as written.

    Regression: wrapping to the full text width let code in a list or quote pass the margin.
    """

    def __init__(self, text: str, style: ParagraphStyle, char_width: float,
                 wrapped: list[CodeLine] | None = None):
        self.source_lines = text.splitlines() or [""]
        self.char_width = char_width
        self.wrapped = wrapped  # a piece of a block the page builder split: its lines as they were
        super().__init__(text, style)

    @classmethod
    def piece(cls, lines: list[CodeLine], style: ParagraphStyle, char_width: float) -> CodeLines:
        """The block's lines `lines`, already wrapped, as a flowable of their own."""
        return cls("\n".join(line.text for line in lines), style, char_width, list(lines))

    def _rewrap(self, available_width: float) -> None:
        """Lines of at most as many characters as fit: a long line breaks after its last space
        that leaves half the width or more (a word cut in two reads as two words of code),
        else after its last slash there (a path, an address), else at the margin; its
        continuations keep its indent, plus the mark's room."""
        if self.wrapped is not None:
            self.lines = self.wrapped
            return
        columns = max(8, int(available_width / self.char_width))
        lines: list[CodeLine] = []
        for line in self.source_lines:
            indent = len(line) - len(line.lstrip(" "))
            hang = max(0, min(indent, columns // 2 - MARK_COLUMNS))
            start, mark = indent, None  # spaces of the indent are no place to break
            while len(line) > columns:
                cut = next((found + 1 for found in (line.rfind(" ", start, columns), line.rfind("/", start, columns))
                            if found >= columns // 2), columns)
                lines.append(CodeLine(line[:cut], mark))
                start = mark = hang
                start += MARK_COLUMNS
                line = " " * start + line[cut:]
            lines.append(CodeLine(line, mark))
        self.lines = lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._rewrap(available_width)
        return super().wrap(available_width, available_height)

    def minWidth(self) -> float:
        return max(len(line.text) for line in self.lines) * self.char_width

    def draw(self) -> None:
        """As Preformatted draws its lines, then the continuation marks."""
        style, canvas = self.style, self.canv
        top = self.height - style.fontSize
        canvas.addLiteral("%PreformattedPara")
        if style.textColor:
            canvas.setFillColor(style.textColor)
        text = canvas.beginText(style.leftIndent, top)
        text.setFont(style.fontName, style.fontSize, style.leading)
        for line in self.lines:
            text.textLine(line.text)
        canvas.drawText(text)
        for number, line in enumerate(self.lines):
            if line.mark is not None:
                _continuation_mark(canvas, style.leftIndent + line.mark * self.char_width,
                                   top - number * style.leading, self.char_width * MARK_COLUMNS, style.fontSize)

    # no split(): the lines stay as wrap() made them, because ReportLab's frame calls split
    # with the width before a quote's indent (regression: code in a quote passed the margin)


def _continuation_mark(canvas, x: float, baseline: float, room: float, size: float) -> None:
    """A hooked arrow (↪) in the `room` points from x, on a line set at `size` points: grey and
    light, a sign for the reader, not part of the code."""
    left, right = x + 0.15 * room, x + 0.8 * room
    low, high = baseline + 0.25 * size, baseline + 0.7 * size
    head = 0.18 * size
    canvas.saveState()
    canvas.setStrokeGray(0.45)
    canvas.setLineWidth(0.045 * size)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    path = canvas.beginPath()
    path.moveTo(left, high)
    path.lineTo(left, low)
    path.lineTo(right, low)
    path.moveTo(right - head, low + head)
    path.lineTo(right, low)
    path.lineTo(right - head, low - head)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


def caption_reserve(booklet: Booklet, layout: Layout) -> Callable[[Figure], float]:
    """For `prepare_images(reserve=…)`: each figure's caption reserve, measured exactly as the
    typesetter will set it, so images are prepared for the size they are printed at."""
    style = layout.styles["caption"]
    reserves: dict[int, float] = {}
    for article in booklet.all_articles():
        article_context = StoryContext(layout, article.language, {})
        for block in article_blocks(article):
            if isinstance(block, Figure) and block.caption:
                caption = inline_paragraph(block.caption, style, article_context)
                width = caption_box_width(caption, None if block.full_page else block.width, layout.text_width)
                height = caption.wrap(width, layout.page_height)[1]
                reserves[id(block)] = figure_reserve(height, block.full_page, layout)
    return lambda figure: reserves.get(id(figure), 0.0)
