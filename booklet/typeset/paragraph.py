"""Styled runs of text → a paragraph flowable set with total-fit line breaking.

`make_paragraph` turns runs (text in one face each) into boxes, glue and penalties
(`words.py`), breaks them into lines with the Knuth–Plass algorithm (`linebreak.py`) at the
width the frame offers, splits between lines at page breaks without widows or orphans, and
draws each line (`linedraw.py`): justified lines through the PDF word spacing (`Tw`) and
horizontal scaling (`Tz`) operators, so the text keeps its real spaces for copy and paste
and for text extraction. Soft hyphens are break opportunities and are never printed;
hyphens are drawn at hyphenated breaks; links are clickable on every line they span.
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass, replace
from functools import cache
from math import copysign
from typing import NamedTuple, Sequence

from reportlab.platypus import Flowable, KeepTogether

from ..cache import digest
from ..fonts import font_digest
from ..hyphenate import Hyphenator, hyphenator
from ..layouts import Hyphenation, Justification, TextStyle
from . import linecache
from .linecache import code_stamp
from .linebreak import INFINITY, Box, Break, Glue, Item, Parameters, Penalty, break_lines, line_items
from .linedraw import draw_line
from .words import (
    INSIDE_WORD, KERN, PROTRUSION, PROTRUSION_LEFT, SLACK, SPACING, Fragment, Run, Spacing, fragment,
    letter_spaced, longest_line_and_word, paragraph_items, text_width, ties_single_letters, with_emergency_points,
)

__all__ = ["Run", "make_paragraph", "TypesetParagraph", "KeepWithLines", "paragraph_items",
           "break_paragraph", "notes_called", "line_adjustment", "Adjustment", "Line", "PROTRUSION", "PROTRUSION_LEFT"]

TAIL_DEMERITS = 8000.0
"""More than final_hyphen_demerits for a last line that is only the tail of the word hyphenated
on the line before ("commu-" / "nity."), which designers avoid: with them 13000, more than a
line set loose (badness 100: 12100 demerits), so a paragraph takes such a line, or a line more
or less, to avoid it. Regression: the example's "above our guillo-" / "tine." (page 35). More
is bounded by the spacing: the licences' "to satisfy these require-" / "ments." needs 13229,
and its lines looser then move typo_metrics' p95 gap ratio of the licences from 1.417 to 1.425."""
PARAMETERS = Parameters(pretolerance=100.0, tolerance=300.0, line_penalty=10.0, adj_demerits=10000.0,
                        double_hyphen_demerits=10000.0, final_hyphen_demerits=5000.0, max_hyphen_run=2,
                        tail_demerits=TAIL_DEMERITS)
_MAX_SPLIT_LINES = 3  # a paragraph of this many lines or fewer never splits


def make_paragraph(runs: list[Run], style: TextStyle, language: str, hyphenation: Hyphenation,
                   justification: Justification = Justification()) -> Flowable:
    """A paragraph flowable for `runs` set in `style` (lengths in points).

    Hyphenates in `language` when pyphen knows the language: every word when the style asks
    for it, else only a word wider than the line (a title's), which would otherwise be broken
    between letters. A justified line's glyphs give as far as `justification` lets them.
    """
    return TypesetParagraph(runs, style, hyphenator(language, hyphenation),
                            tie_single_letters=ties_single_letters(language),
                            spacing=_spacing(hyphenation.penalty, justification))


@cache
def _spacing(hyphen_penalty: float, justification: Justification) -> Spacing:
    return replace(SPACING, hyphen_penalty=hyphen_penalty, expansion=justification.glyph_scaling,
                   letter_space=justification.letter_spacing)


# --- lines ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One set line. `parts` are fragments and spaces ((font, size) pairs) in order;
    `glyphs` is the natural width of the fragments, `spaces` that of the spaces; `hang` is
    how far the last mark may hang past `width`. `justified` lines fill `width` + `hang`."""

    parts: tuple[Fragment | tuple[str, float, float], ...]  # spaces: (font, size, width)
    glyphs: float
    spaces: float
    space_count: int
    width: float
    hang: float
    justified: bool
    hyphenated: bool  # ends in a hyphen, drawn here or the word's own
    continues: bool = False  # the last word goes on at the start of the next line
    hang_left: float = 0.0  # how far an opening mark hangs into the left margin

    @property
    def natural(self) -> float:
        return self.glyphs + self.spaces

    @property
    def letters(self) -> tuple[float, int]:
        """What letter spacing acts on (`words.letter_spaced`): the letter-spaced fragments'
        characters counted in ems of their size, which scale its limit, and how many
        characters are drawn with a character space after them that moves what follows (those
        of letter-spaced fragments and the spaces, all but the line's last)."""
        ems, gaps = 0.0, 0
        spaced = False
        for part in self.parts:
            if part.__class__ is not Fragment:
                gaps += 1
                spaced = True
            else:
                spaced = letter_spaced(part.text)
                if spaced:
                    ems += len(part.text) * part.size
                    gaps += len(part.text)
        return ems, gaps - spaced


def set_lines(items: list[Item], breaks: list[Break], justify: bool) -> list[Line]:
    """Breaks → lines ready to draw."""
    lines: list[Line] = []
    spans = line_items(items, breaks)
    count = len(breaks)
    for number, ((start, end), brk) in enumerate(zip(spans, breaks)):
        parts: list = []
        glyphs = spaces = hang_left = 0.0
        for index in range(start, end):
            item = items[index]
            if isinstance(item, Box):
                if item.data == KERN:
                    if index == start:
                        hang_left = -item.width  # the line opens with a hanging mark
                    continue  # elsewhere it cancels the wider space before it
                parts.extend(item.data)
                glyphs += item.width
            elif isinstance(item, Glue):
                if item.data is None:
                    continue  # the invisible stretch of ragged text
                parts.append(item.data)
                if isinstance(item.data, Fragment):  # a fixed space (in code): drawn as a glyph
                    glyphs += item.data.width
                else:  # (font, size, width) of a word space
                    spaces += item.data[2]
        # no spaces at the line end (the glue before a forced break)
        while parts and _is_space(parts[-1]):
            space = parts.pop()
            if isinstance(space, Fragment):
                glyphs -= space.width
            else:
                spaces -= space[2]
        space_count = sum(1 for part in parts if not isinstance(part, Fragment))
        hang = 0.0
        hyphen = False
        brk_item = items[brk.index] if brk.index < len(items) else None
        if isinstance(brk_item, Penalty):
            if brk_item.flagged and isinstance(brk_item.data, tuple):  # a hyphen is drawn
                font, size = brk_item.data
                last = parts[-1] if parts else None
                link = last.link if isinstance(last, Fragment) else None
                width = text_width("-", font, size)
                # not struck through even in struck text: it hangs into the margin, a line must not
                parts.append(fragment("-", font, size, link))
                glyphs += width
                hang = width - brk_item.width
                hyphen = True
            elif brk_item.flagged:
                hyphen = True  # an explicit hyphen ends the line
            elif brk_item.data == "hang":
                hang = -brk_item.width
        forced_end = number == count - 1 or (
            isinstance(brk_item, Penalty) and brk_item.penalty <= -INFINITY)
        justified = justify and not forced_end and space_count > 0
        continues = isinstance(brk_item, Penalty) and (
            brk_item.data == INSIDE_WORD or isinstance(brk_item.data, tuple))
        # marks hang whether or not the line is justified: the breaker counted on it
        lines.append(Line(tuple(parts), glyphs, spaces, space_count, brk.line_width,
                          hang, justified, hyphen, continues, hang_left))
    return lines


def _is_space(part: Fragment | tuple[str, float, float]) -> bool:
    return not isinstance(part, Fragment) or part.text == " "


class Adjustment(NamedTuple):
    """How a line is drawn to fill its measure: the PDF text state's horizontal scale (`Tz`,
    here a factor), character spacing (`Tc`, points after every space and every glyph of a
    fragment `letter_spaced`) and word spacing (`Tw`, points added to every space); and the
    width the line is drawn at."""

    scale: float
    char_space: float
    word_space: float
    width: float


def line_adjustment(line: Line, spacing: Spacing = SPACING) -> Adjustment:
    """How a justified line fills its measure. The glyphs give up to `expansion` in width and
    `letter_space` in the space after each, the same share of both limits, and the word spaces
    the rest. The glyphs take `glyph_lead` times their part of the line's give, at most all of
    it (`Spacing`): taking it all first kept word gaps even but set neighbouring lines at
    opposite limits, one condensed, the next letter-spaced (a designer's review: squeezed lines
    5.9 % darker on the page); shared in proportion, loose lines' word gaps grew."""
    measure = line.width + line.hang + line.hang_left
    if line.justified:
        target = measure
    elif line.natural > measure + 1e-9:
        target = measure  # a last line the breaker let shrink: shrink it, not past the margin
    else:
        return Adjustment(1.0, 0.0, 0.0, line.natural)
    ems, gaps = line.letters
    scale, char_space = 1.0, 0.0
    if line.glyphs > 0 and line.natural > 0:
        # (1 + share × expansion) × (natural + share × letters) = target: a quadratic in share
        expansion = spacing.expansion
        letters = spacing.letter_space * ems if gaps else 0.0  # no character space moves anything
        a, b, c = expansion * letters, expansion * line.natural + letters, line.natural - target
        share = (2 * -c) / (b + (b * b - 4 * a * c) ** 0.5) if b > 0 else 0.0  # the glyphs alone
        slack = target - line.natural
        give = expansion * line.natural + letters + (spacing.stretch if slack > 0 else spacing.shrink) * line.spaces
        if give > 0:
            share = copysign(min(abs(share), spacing.glyph_lead * abs(slack) / give), slack)
        share = min(1.0, max(-1.0, share))
        scale, char_space = 1.0 + share * expansion, share * letters / gaps if letters else 0.0
    # Th × (natural + gaps × Tc + spaces × Tw) = target (PDF 32000-1 §9.4.4: Th scales Tc and Tw)
    word_space = (target / scale - line.natural - gaps * char_space) / line.space_count if line.space_count else 0.0
    return Adjustment(scale, char_space, word_space,
                      scale * (line.natural + gaps * char_space + line.space_count * word_space))


# --- the flowable ------------------------------------------------------------------------------


class TypesetParagraph(Flowable):
    """A paragraph broken into lines by total fit; splits only between lines, never leaving
    fewer than two lines on either side of a page break (so a paragraph of three lines or
    fewer moves whole)."""

    def __init__(self, runs: Sequence[Run], style: TextStyle, hyph: Hyphenator | None,
                 lines: list[Line] | None = None, lines_width: float | None = None, first: bool = True,
                 tie_single_letters: bool = False, spacing: Spacing = SPACING):
        super().__init__()
        self.spacing = spacing
        self.tie_single_letters = tie_single_letters
        self.runs = list(runs)
        self.style = style
        self.hyph = hyph
        self.leading = style.leading
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self.first = first  # holds the paragraph's first line (and its indent)
        self._items: list[Item] | None = None
        self._cache: dict[float, list[Line]] = {}
        self._fixed = lines  # a part of a split paragraph: its lines are set once and for all
        if lines is not None and lines_width is not None:
            self._cache[lines_width] = lines
        self.lines: list[Line] = []
        self.width = self.height = 0.0

    # Platypus protocol -------------------------------------------------------------------

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.lines = self.lines_for(available_width)
        self.width = available_width
        self.height = len(self.lines) * self.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self.lines_for(available_width)
        count = len(lines)
        fit = int((available_height + 1e-6) // self.leading)
        if count <= _MAX_SPLIT_LINES or fit < 2:
            return []
        keep = min(fit, count - 2)  # two lines at least on the next page: no widow
        if keep > 2 and lines[keep - 1].hyphenated and not lines[keep - 2].hyphenated:
            # no word divided across pages (TeX's \brokenpenalty), at one line's cost; when the
            # line before ends in a hyphen too, stepping back would cost a line and divide a word
            # all the same (and two lines would leave the page too short)
            keep -= 1
        if keep < 2:
            return []
        head = TypesetParagraph(self.runs, self.style, self.hyph, lines[:keep], available_width, self.first,
                                spacing=self.spacing)
        tail = TypesetParagraph(self.runs, self.style, self.hyph, lines[keep:], available_width, False,
                                spacing=self.spacing)
        head.spaceAfter = 0.0
        tail.spaceBefore = 0.0
        for part in (head, tail):
            part._items = self._items
        return [head, tail]

    def draw(self) -> None:
        draw_lines(self.canv, self.lines, self.style, self.height, self.leading, self.first, self.width,
                   self.spacing)

    def called_notes(self) -> tuple[int, ...]:
        """The numbers of the footnotes that the lines set by the last `wrap` call, in order."""
        return notes_called(self.lines)

    def min_width(self) -> float:
        """The narrowest measure in points that sets every word whole (its longest word's):
        narrower, the line breaker breaks words between letters."""
        return longest_line_and_word(self.runs)[1] + SLACK

    # line breaking ----------------------------------------------------------------------------

    def items(self) -> list[Item]:
        if self._items is None:
            self._items = paragraph_items(self.runs, self.style, self.hyph if self.style.hyphenate else None,
                                          self.spacing,
                                          tie_single_letters=self.tie_single_letters)
        return self._items

    def lines_for(self, width: float, parameters: Parameters = PARAMETERS) -> list[Line]:
        """The paragraph's lines at a measure of `width` points: from the line cache in use
        (`linecache.using`) when it has them, else broken and kept there."""
        lines = self._cache.get(width) if parameters is PARAMETERS else None
        if lines is None:
            if self._fixed is not None:
                # a part of a split paragraph asked for another width: keep the lines (they
                # were broken for the frame it left; our frames all have one width)
                return self._fixed
            lines = self._cached_break(width, parameters)
            if parameters is PARAMETERS:
                self._cache[width] = lines
        return lines

    def _cached_break(self, width: float, parameters: Parameters) -> list[Line]:
        cache = linecache.current()
        if cache is None:
            return break_paragraph(self.items(), self.style, width, parameters, self.spacing, self.hyph)
        key = self.lines_key(width, parameters)
        lines = cache.get(key, decode_lines)
        if lines is None:
            lines = break_paragraph(self.items(), self.style, width, parameters, self.spacing, self.hyph)
            cache.put(key, lines, encode_lines)
        return lines

    def lines_key(self, width: float, parameters: Parameters = PARAMETERS) -> bytes:
        """A digest of everything the lines depend on (docs/architecture.md, 2): the runs with
        their font files' digests, the style, the measure, the line-breaking parameters, the
        spacing (hyphen penalty included), the hyphenation dictionary and minimum lengths, and
        the code that sets lines."""
        runs = tuple((run.text, run.font, font_digest(run.font), run.size, run.link, run.rise, run.strike, run.note,
                      run.code) for run in self.runs)
        hyph = self.hyph.key if self.hyph is not None else None
        return digest(code_stamp(*_LINE_CODE), marshal.dumps((runs, repr(self.style), width, repr(parameters),
                                                    repr(self.spacing), hyph, self.tie_single_letters)))


def notes_called(lines: Sequence[Line]) -> tuple[int, ...]:
    """The numbers of the footnotes that `lines` call, in order."""
    return tuple(dict.fromkeys(part.note for line in lines for part in line.parts
                               if isinstance(part, Fragment) and part.note is not None))


def break_paragraph(items: list[Item], style: TextStyle, width: float, parameters: Parameters = PARAMETERS,
                    spacing: Spacing = SPACING, hyph: Hyphenator | None = None) -> list[Line]:
    """Items → lines at a measure of `width` points (the first line shortened by the indent).
    A word wider than the line in a style that does not hyphenate is hyphenated (by `hyph`)
    before it is broken between letters."""
    if not items:
        return []
    justify = style.align == "justify"
    indent = style.first_indent if style.align in ("justify", "left") else 0.0
    widths = [max(width - indent, 1.0), width] if indent else [width]
    narrowest = min(widths)
    too_wide = any(i.width > narrowest and i.__class__ is Box for i in items)
    if too_wide:
        items = with_emergency_points(items, narrowest, spacing, None if style.hyphenate else hyph, justify)
    if parameters.emergency_stretch == 0.0:
        parameters = replace(parameters, emergency_stretch=spacing.emergency_stretch * style.size)
    if not justify:
        parameters = replace(parameters, pretolerance=-1.0)
    lines = set_lines(items, break_lines(items, widths, parameters), justify)
    if style.balance and not justify and len(lines) > 1 and not indent and not too_wide:
        lines = _balanced(items, lines, width, parameters, spacing)
    if any(_overfull(line, spacing) for line in lines):
        # the limit on hyphens in a row (or a long word) left no way to fit: let every word
        # also break between letters, at a high cost (found on branch robust: lines ran 13 pt
        # past the margin)
        items = with_emergency_points(items, 0.0, spacing)
        lines = set_lines(items, break_lines(items, widths, parameters), justify)
    return lines


BALANCE_STEPS = 10
"""Halvings of the measure's range when balancing: a tenth of a point on a title's measure."""


def _balanced(items: list[Item], lines: list[Line], width: float, parameters: Parameters,
              spacing: Spacing) -> list[Line]:
    """`lines` (ragged, at `width`) set again at the narrowest measure that gives as many
    lines with no word wider than it: lines of about one length, as a designer breaks a
    title ('Small Presses, / Long Tables', not 'Small Presses, Long / Tables'). Not for a
    paragraph with a word wider than the line: narrower, it would break between letters."""
    low = max([item.width for item in items if item.__class__ is Box] + [width / len(lines)])
    high, best = width, lines
    for _ in range(BALANCE_STEPS):
        if high - low < 0.5:
            break
        middle = (low + high) / 2
        trial = set_lines(items, break_lines(items, [middle], parameters), False)
        if len(trial) == len(lines) and not any(_overfull(line, spacing) for line in trial):
            high, best = middle, trial
        else:
            low = middle
    return best


def encode_lines(lines: list[Line]) -> tuple:
    """Lines as plain values for marshal: a table of the distinct parts (fragments as 8-tuples,
    spaces as their 3-tuples) and each line's parts as indices into it (words recur: a
    paragraph's lines read back in a fraction of the time they take to break)."""
    table: dict[tuple, int] = {}
    plain = []
    for line in lines:
        codes = tuple(table.setdefault((p.text, p.font, p.size, p.link, p.width, p.rise, p.strike, p.note)
                                       if isinstance(p, Fragment) else p,
                                       len(table)) for p in line.parts)
        plain.append((codes, line.glyphs, line.spaces, line.space_count, line.width, line.hang,
                      line.justified, line.hyphenated, line.continues, line.hang_left))
    return tuple(table), tuple(plain)


def decode_lines(plain: tuple) -> list[Line]:
    table, lines = plain
    parts = [_part(p) for p in table]
    return [Line(tuple(map(parts.__getitem__, codes)), *rest) for codes, *rest in lines]


_LINE_CODE = ("booklet.typeset.linebreak", "booklet.typeset.words", __name__, "booklet.fonts", "booklet.hyphenate")
"""The modules that set lines: an edit to any of them invalidates every cached line."""

_PARTS: dict[tuple, Fragment | tuple] = {}


def _part(plain: tuple) -> Fragment | tuple:
    """One Fragment object for equal fragments of every paragraph read back (a frozen
    dataclass is slow to make, and the same words recur all through a booklet)."""
    part = _PARTS.get(plain)
    if part is None:
        if len(_PARTS) > 100_000:
            _PARTS.clear()
        part = _PARTS[plain] = Fragment(*plain) if len(plain) == 8 else tuple(plain)
    return part


def _overfull(line: Line, spacing: Spacing) -> bool:
    return line_adjustment(line, spacing).width > line.width + line.hang + line.hang_left + 0.01


def draw_lines(canvas, lines: list[Line], style: TextStyle, height: float, leading: float,
               first: bool, frame_width: float, spacing: Spacing = SPACING) -> None:
    """Draw lines top down from `height`; baselines at `style.size` below each line's top."""
    y = height - style.size
    for number, line in enumerate(lines):
        indent = style.first_indent if first and number == 0 and style.align in ("justify", "left") else 0.0
        if style.align == "center":
            x = (frame_width - line.natural) / 2
        elif style.align == "right":
            x = frame_width - line.natural
        else:
            x = indent - line.hang_left
        scale, char_space, word_space, _ = line_adjustment(line, spacing)
        draw_line(canvas, line.parts, x, y, scale, char_space, word_space)
        y -= leading


class KeepWithLines(KeepTogether):
    """ReportLab's group for `keepWithNext` flowables (a heading, a title and its dateline)
    and what follows them, except that when the group does not fit, a paragraph at its end may
    split so that the heading travels with the paragraph's first lines (two at least: the
    paragraph's own split never leaves fewer) instead of leaving a hole at the page foot.

    Set as the document template's `keepTogetherClass`.
    """

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        content = self._content
        last = content[-1] if content else None
        if isinstance(last, TypesetParagraph) and len(content) > 1:
            heights = [f.wrap(available_width, available_height)[1] for f in content]
            # the frame has taken the group's space before (its first member's) already
            spaces = [f.getSpaceBefore() + f.getSpaceAfter() for f in content]
            spaces[0] -= content[0].getSpaceBefore()
            if sum(heights) + sum(spaces) > available_height:
                used = sum(heights[:-1]) + sum(spaces[:-1]) + last.getSpaceBefore()
                if used < available_height:
                    parts = last.split(available_width, available_height - used)
                    if parts:
                        return [*content[:-1], *parts]
        return super().split(available_width, available_height)
