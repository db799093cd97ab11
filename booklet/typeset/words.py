"""Styled runs of text → the boxes, glue and penalties of a paragraph (for `linebreak.py`).

Words become boxes (split at their break opportunities: hyphenation points from pyphen,
soft hyphens of the source, explicit hyphens and dashes, and in URLs after / . - _ ? & = #),
spaces become glue that may stretch and shrink, glyphs may widen or narrow by 2 % (box
stretch), and a final punctuation mark may hang into the margin (a penalty of negative
width). A token wider than the measure may break anywhere, as the very last resort.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from ..hyphenate import SOFT_HYPHEN, Hyphenator
from ..layouts import Hyphenation, Justification, TextStyle
from .linebreak import FIL, INFINITY, Box, Glue, Item, Penalty


@dataclass(frozen=True)
class Run:
    """A piece of text in one face; a run whose text is "\\n" is a forced line break.

    `rise` lifts it above the baseline (points: a footnote call's figure), `strike` draws a
    line through it, `note` is the number of the footnote it calls (its mark). `code` is
    inline code, set as written: a word of it breaks as a link target does, with no hyphen
    added, and in justified lines its spaces keep their width (a fixed space, see `paragraph_items`)."""

    text: str
    font: str  # a registered ReportLab font name
    size: float
    link: str | None = None
    rise: float = 0.0
    strike: bool = False
    note: int | None = None
    code: bool = False


@dataclass(frozen=True)
class Spacing:
    """How inter-word space may vary, as fractions of the font's space; and break costs.

    Spaces shrink to 0.75 of the natural space (issue #4 asks for "about 0.8"; glyphs give up
    to 2 % more) and stretch by 0.45 of it at badness 100, the point where a line's word gaps
    reach 1.45 × natural after the glyphs have given what they may. Tuned on the benchmark
    corpora (benchmarks/typography.py): a higher hyphen penalty buys fewer hyphens with looser
    lines, more give in the glyphs fewer of both.

    The glyphs give in two ways, together: they widen or narrow by up to `expansion` (Adobe's
    advice for glyph scaling is to stay within 97–103 %), and the space after each grows or
    shrinks by up to `letter_space` (0.01 em is 3.4 % of Charis's word space, InDesign's
    "letter spacing" −3.4 / 0 / +3.4 %; Illustrator's default allows +5 %). Of a line's slack
    they take `glyph_lead` times their part of its give, the word spaces the rest: at 1 (in
    proportion, as pdfTeX) loose lines' word gaps grew (p95 1.361 → 1.427 on the licences); all
    of it first set 29 % of lines at the glyphs' limits and 11 % of neighbours at opposite
    ones; at 1.25, 10 % and 4 % with a p95 of 1.364.
    With the spaces alone, a fifth of the lines of an 85 mm measure of legal English cannot be
    set within their limits without a hyphen: the letter spacing, with the hyphen penalty at
    200 (was 175), took the licences corpus from 12.7 % hyphenated lines at a p95 gap ratio of
    1.440 to 4.1 % at 1.361 (issue #12; benchmarks/typography.md, "Letter spacing").
    """

    stretch: float = 0.45
    shrink: float = 0.25
    hyphen_penalty: float = Hyphenation.penalty  # a layout sets its own ([hyphenation] penalty)
    explicit_hyphen_penalty: float = 100.0
    dash_penalty: float = 50.0
    url_penalty: float = 1000.0
    single_letter_penalty: float = INFINITY  # as a no-break space; lower it to allow in need
    anywhere_penalty: float = 5000.0
    ragged_stretch: float = 3.0  # ems of stretch at each line end of ragged text
    emergency_stretch: float = 0.0  # ems added to every line in the breaker's last pass
    expansion: float = Justification.glyph_scaling  # glyphs may widen or narrow by this share (Tz)
    letter_space: float = Justification.letter_spacing  # ems each glyph may gain or lose after it (Tc)
    glyph_lead: float = 1.25  # the glyphs take this many times their part of a line's give (see above)
    protrusion: bool = True  # hang punctuation at the right margin of justified text
    protrusion_left: bool = False  # and opening marks at the left (off: other checks of the
    # project hold every glyph inside the text block's left edge)


PROTRUSION = {
    "-": 0.6, "\u2010": 0.6, ".": 0.6, ",": 0.6, ":": 0.35, ";": 0.35, "!": 0.2, "?": 0.2,
    "\u2019": 0.5, "\u201d": 0.5, "'": 0.5, '"': 0.5, "\u00bb": 0.4, ")": 0.2, "\u2013": 0.3, "\u2014": 0.2,
}
"""Share of a glyph's width that may hang past the right margin when it ends a justified
line (optical margin alignment as in pdfTeX's character protrusion; amounts chosen by eye
for the bundled text faces: small marks hang most, so that the margin looks straight)."""


PROTRUSION_LEFT = {"\u201c": 0.5, "\u2018": 0.5, "\u00ab": 0.4, "\u201e": 0.4, '"': 0.5, "'": 0.5, "(": 0.2}
"""The same at the left margin, for opening marks that begin a line."""

KERN = "kern"
"""`data` of the negative box in front of a word that opens with a mark of PROTRUSION_LEFT:
at a line start it pulls the line into the left margin; elsewhere the space before it is
that much wider, so the two cancel."""

SPACING = Spacing()
INSIDE_WORD = "inside word"
"""`data` of a penalty that breaks a word without a hyphen sign (a URL, a dash, an explicit
hyphen, the last resort); a hyphenation penalty's data is the (font, size) of its hyphen."""
_SPACES = " \t\r\n"
_NO_BREAK_SPACES = "\u00a0\u202f\u2007"
_SEPARATORS = re.compile(f"[{_SPACES}]+|[{_NO_BREAK_SPACES}]")
_HYPHEN_CHARS = "-\u2010"
_DASHES = "\u2013\u2014"
_URL_BREAK_AFTER = "/"
_URL_BREAK_BEFORE = ".-_?&=#~%"
"""A link target or code breaks after a slash and before these, as the Chicago Manual has it:
the mark then opens the next line, where a dot or hyphen left at a line's end read as the
sentence's full stop or a hyphen of ours ('https://example.' / 'org', 'booklet-print.' / 'pdf')."""
_CODE_MIN = 3  # characters of inline code on either side of a break inside a word of it
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)|^[^\s@]+@[^\s@]+\.[a-z]{2,}$", re.I)


TIE_LANGUAGES = ("uk", "ru", "be", "bg", "pl", "cs", "sk")
"""Languages whose typography keeps a one-letter word (у, в, з, і, a, w, z …) on the line of
the word that follows it."""


def ties_single_letters(language: str) -> bool:
    return language.replace("-", "_").split("_")[0].lower() in TIE_LANGUAGES


# --- measuring -------------------------------------------------------------------------

_widths: dict[tuple[str, str, float], float] = {}


def fragment(text: str, font: str, size: float, link: str | None, rise: float = 0.0, strike: bool = False,
             note: int | None = None) -> Fragment:
    return Fragment(text, font, size, link, text_width(text, font, size), rise, strike, note)


def text_width(text: str, font: str, size: float) -> float:
    """Width of `text` in points (cached: the same words recur all through a booklet)."""
    key = (text, font, size)
    width = _widths.get(key)
    if width is None:
        width = _widths[key] = stringWidth(text, font, size)
    return width


SLACK = 0.3
"""Points added to a longest word where a measure is made to hold it (a table's column, a
caption), so that rounding never breaks it between letters."""


def words_by_line(runs: Sequence[Run]) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The words of `runs` line by line (hard breaks end lines, spaces end words), each as
    (the width of the space before it, 0 for a line's first word; its width), in points. A link
    target or code counts as the pieces it breaks into with no hyphen (`_url_breaks`), each a
    word with no space before it: a measure need only hold its longest piece."""
    lines: list[tuple[tuple[float, float], ...]] = []
    line: list[tuple[float, float]] = []
    space, word = 0.0, []  # the space before the word, its (text, run) pieces

    def finished() -> list[tuple[float, float]]:
        breaks = _url_breaks(word)
        if not breaks:
            return [(space, sum(text_width(piece, run.font, run.size) for piece, run in word))]
        ends = [0, *breaks, sum(len(piece) for piece, _ in word)]
        return [(space if n == 0 else 0.0, sum(f.width for f in _fragments(word, a, b)))
                for n, (a, b) in enumerate(zip(ends, ends[1:]))]

    for run in runs:
        if run.text == "\n":
            lines.append((*line, *finished()))
            line, space, word = [], 0.0, []
            continue
        for index, piece in enumerate(run.text.split(" ")):
            if index:  # a space: the word before it ends
                line.extend(finished())
                space, word = text_width(" ", run.font, run.size), []
            if piece:
                word.append((piece, run))
    lines.append((*line, *finished()))
    return tuple(lines)


def longest_line_and_word(runs: Sequence[Run]) -> tuple[float, float]:
    """The widths in points of the longest line of `runs` (hard breaks end lines) set on one
    line, and of its longest word (spaces end words)."""
    lines = words_by_line(runs)
    return (max(sum(space + width for space, width in line) for line in lines),
            max(width for line in lines for _, width in line))


@dataclass(frozen=True, slots=True)
class Fragment:
    """Text in one face, all of it on one line once set (soft hyphens already removed)."""

    text: str
    font: str
    size: float
    link: str | None
    width: float = 0.0  # of the text in points, filled in by `fragment`
    rise: float = 0.0  # as in `Run`
    strike: bool = False
    note: int | None = None


# --- runs → items ------------------------------------------------------------------------


def paragraph_items(runs: Sequence[Run], style: TextStyle, hyph: Hyphenator | None,
                    spacing: Spacing = SPACING, tie_single_letters: bool = False) -> list[Item]:
    """The boxes, glue and penalties of a paragraph, ending with the forced final break.

    With `tie_single_letters`, the space after a one-letter word gets a penalty of
    `spacing.single_letter_penalty` before it (by default INFINITY: a no-break space).
    """
    justify = style.align == "justify"
    items: list[Item] = []
    raw_word: list[tuple[str, Run]] = []
    previous_word = [""]  # text of the last word flushed
    hyph_id, spacing_id = _alive(hyph), _alive(spacing)

    def flush_word() -> None:
        if not raw_word:
            return
        text = raw_word[0][0] if len(raw_word) == 1 else "".join(piece for piece, _ in raw_word)
        if items and keeps_with_previous(previous_word[0], text):
            _tie_last_space(items, justify)
        previous_word[0] = text
        if len(raw_word) == 1:
            # one face: the same word set the same way gives the same items (they are
            # immutable), and words recur all through a booklet
            piece, run = raw_word[0]
            key = (piece, run.font, run.size, run.link, run.rise, run.strike, run.note, run.code, hyph_id, justify,
                   spacing_id)
            word = _word_cache.get(key)
            if word is None:
                if len(_word_cache) > _WORD_CACHE_LIMIT:
                    forget_measures()
                    _alive(hyph), _alive(spacing)
                word = _word_cache[key] = _finished_word(raw_word, hyph, spacing, justify)
        else:
            word = _finished_word(raw_word, hyph, spacing, justify)
        if justify and spacing.protrusion_left:
            _hang_left(items, raw_word)
        items.extend(word)
        raw_word.clear()

    def add_space(run: Run) -> None:
        if not items and not raw_word:
            return  # leading space
        flush_word()
        if items and (isinstance(items[-1], Glue) and not _is_nbsp_glue(items, len(items) - 1)
                      or isinstance(items[-1], Penalty) and items[-1].data != "hang"):
            return  # collapse runs of spaces
        # a code space is a fragment, which carries the link and strike of its run
        key = (run.font, run.size, run.code and (run.link, run.strike), justify, spacing_id)
        glue = _space_cache.get(key)
        if glue is None:
            space = text_width(" ", run.font, run.size)
            if justify and run.code:
                # a fixed space: drawn as a character of the code, not stretched with the
                # word spaces (set_lines and linedraw tell it by its Fragment)
                glue = (Glue(space, 0.0, 0.0, fragment(" ", run.font, run.size, run.link, strike=run.strike)),)
            elif justify:
                glue = (Glue(space, space * spacing.stretch, space * spacing.shrink, (run.font, run.size, space)),)
            else:
                em = run.size * spacing.ragged_stretch
                glue = (Glue(0.0, em, 0.0, None), Penalty(0.0, 0.0), Glue(space, -em, 0.0, (run.font, run.size, space)))
            _space_cache[key] = glue
        if tie_single_letters and len(previous_word[0]) == 1 and previous_word[0].isalpha():
            tie = Penalty(0.0, spacing.single_letter_penalty)
            if justify:  # the penalty before the glue is the only break left
                glue = (tie, *glue)
            else:
                glue = (glue[0], tie, glue[2])
        items.extend(glue)

    for run in runs:
        if run.text == "\n":
            flush_word()
            while items and (isinstance(items[-1], Glue) or
                             (isinstance(items[-1], Penalty) and -INFINITY < items[-1].penalty < INFINITY)):
                items.pop()
            items.append(Glue(0.0, FIL, 0.0))
            items.append(Penalty(0.0, -INFINITY))
            continue
        piece_start = 0
        text = run.text
        for match in _SEPARATORS.finditer(text):
            i = match.start()
            if i > piece_start:
                raw_word.append((text[piece_start:i], run))
            piece_start = match.end()
            if match.group()[0] in _SPACES:
                add_space(run)
            else:
                flush_word()
                # glue that may stretch but never breaks: a penalty of INFINITY before it
                # makes it illegal (glue breaks only after a box)
                space = text_width(" ", run.font, run.size)
                items.append(Penalty(0.0, INFINITY))
                stretch = space * spacing.stretch if justify else 0.0
                shrink = space * spacing.shrink if justify else 0.0
                items.append(Glue(space, stretch, shrink, (run.font, run.size, space)))
        if piece_start < len(text):
            raw_word.append((text[piece_start:], run))
    flush_word()
    while items and (isinstance(items[-1], Glue) or
                     (isinstance(items[-1], Penalty) and items[-1].penalty > -INFINITY)):
        items.pop()
    # trailing forced breaks would make an empty last line
    while items and isinstance(items[-1], Penalty) and items[-1].penalty <= -INFINITY:
        items.pop()
        while items and isinstance(items[-1], Glue):
            items.pop()
    if items:
        items.append(Glue(0.0, FIL, 0.0))
        items.append(Penalty(0.0, -INFINITY))
    return items


UNITS = frozenset((
    "%", "‰", "°", "°C", "°F", "K", "kg", "g", "mg", "t", "km", "m", "cm", "mm", "µm", "nm", "l", "ml",
    "h", "min", "s", "ms", "pt", "px", "in", "ft", "mi", "kB", "MB", "GB", "TB", "Hz", "kHz", "MHz",
    "GHz", "V", "W", "kW", "kWh", "A", "mA", "€", "$", "£", "¥", "₴", "₽",
    "кг", "г", "мг", "т", "км", "м", "см", "мм", "л", "мл", "год", "хв", "ч", "мин", "с", "грн",
    "руб", "коп", "тис", "тыс", "млн", "млрд",
))
"""Units and currencies that never begin a line after their number (12 kg, 5 %, 20 грн)."""

_ABBREVIATIONS_BEFORE = frozenset(("No.", "no.", "Nr.", "nr.", "№", "§", "§§", "p.", "pp.", "Fig.",
                                   "fig.", "vol.", "Vol.", "ch.", "art.", "Art.", "ст.", "с.", "рис."))
_NUMBER = re.compile(r"^[(\[]?[+−-]?\d[\d.,\u202f\u00a0]*$")
_UNIT_END = ".,;:!?)]»”’"


def keeps_with_previous(previous: str, word: str) -> bool:
    """Whether the space before `word` must not break: a spaced dash never begins a line, a
    unit stays with its number, a number with "No.", "p.", "§" before it."""
    if word[:1] in "\u2014\u2013" and (len(word) == 1 or not word[1].isalnum()):
        return True
    if previous in _ABBREVIATIONS_BEFORE:
        return True
    return bool(_NUMBER.match(previous)) and word.rstrip(_UNIT_END) in UNITS


def _tie_last_space(items: list[Item], justify: bool) -> None:
    """Make the space at the end of `items` unbreakable (a no-break space that still stretches)."""
    tail: list[Item] = []
    while items and not isinstance(items[-1], Box):
        tail.append(items.pop())
    spaces = [i for i in tail if isinstance(i, Glue) and isinstance(i.data, tuple)]
    if not spaces or any(isinstance(i, Penalty) and i.penalty <= -INFINITY for i in tail):
        items.extend(reversed(tail))  # no space here (a forced break): nothing to tie
        return
    space = spaces[-1]
    items.append(Penalty(0.0, INFINITY))
    items.append(space if justify else Glue(space.width, 0.0, 0.0, space.data))


def _hang_left(items: list[Item], raw_word: list[tuple[str, Run]]) -> None:
    """Before a word that opens with a quotation mark or parenthesis: a negative box, and the
    space before it widened by as much (see KERN). Only after a breakable space or at the
    paragraph's start, where a line can begin."""
    piece, run = raw_word[0]
    share = PROTRUSION_LEFT.get(piece[:1], 0.0)
    if not share:
        return
    hang = share * text_width(piece[0], run.font, run.size)
    if items:
        space = items[-1]
        if not isinstance(space, Glue) or space.data is None or _is_nbsp_glue(items, len(items) - 1) \
                or (len(items) > 1 and isinstance(items[-2], Penalty) and items[-2].penalty >= INFINITY):
            return
        items[-1] = Glue(space.width + hang, space.stretch, space.shrink, space.data)
    items.append(Box(-hang, KERN))


def _is_nbsp_glue(items: list[Item], index: int) -> bool:
    return index > 0 and isinstance(items[index], Glue) and isinstance(items[index - 1], Penalty) \
        and items[index - 1].penalty >= INFINITY


_word_cache: dict[tuple, list[Item]] = {}
_keep: dict[int, object] = {}


def _alive(thing: object) -> int:
    """id(thing) for a cache key, and a reference that keeps the id from being reused by a
    later object while the cache holds entries made with this one."""
    key = id(thing)
    if key not in _keep:
        _keep[key] = thing
    return key
_WORD_CACHE_LIMIT = 200_000  # words; a long-lived process starts afresh past this
_space_cache: dict[tuple, tuple[Item, ...]] = {}


def forget_measures() -> None:
    """Forget the widths and items of words and spaces, kept by font name: after a font file
    changed (fonts.forget_changed_fonts), or when a long-lived process has kept too many."""
    for kept in (_widths, _word_cache, _space_cache, _keep):
        kept.clear()


def _finished_word(pieces: list[tuple[str, Run]], hyph: Hyphenator | None, spacing: Spacing,
                   justify: bool) -> list[Item]:
    """A word's items, and after them, in justified text, the penalty that lets a final
    punctuation mark hang into the margin when the line breaks there."""
    word = _word_items(pieces, hyph, spacing, justify)
    last = word[-1]
    if justify and spacing.protrusion and isinstance(last, Box) and last.data:
        final = last.data[-1]
        hang = PROTRUSION.get(final.text[-1], 0.0)
        if hang:
            # a break here lets the mark hang: the line counts as that much shorter
            width = text_width(final.text[-1], final.font, final.size)
            word = [*word, Penalty(-hang * width, 0.0, False, "hang")]
    return word


def _word_items(pieces: list[tuple[str, Run]], hyph: Hyphenator | None, spacing: Spacing,
                justify: bool = True) -> list[Item]:
    """One word (possibly in several faces: *the*, or a link inside a word) → boxes split at
    its break opportunities, with the penalties between them."""
    text = "".join(piece for piece, _ in pieces)
    points: dict[int, tuple[str, float]] = {}  # offset → (kind, penalty)
    code = any(run.code for _, run in pieces)
    if code or _is_url(text, pieces):
        points = dict.fromkeys(_url_breaks(pieces), ("url", spacing.url_penalty))
        if code:
            # code breaks where a hyphen would go, as a link target does: showing none, so
            # nothing is added to what was written
            for p in hyph.points(text) if hyph is not None else ():
                if _CODE_MIN <= p <= len(text) - _CODE_MIN:
                    points.setdefault(p, ("url", spacing.url_penalty))
    else:
        if SOFT_HYPHEN in text:
            # the author's own break points, priced like an explicit hyphen: they stay open when
            # a layout prices automatic hyphenation out ([hyphenation] penalty = 10000)
            for p in (i + 1 for i, ch in enumerate(text) if ch == SOFT_HYPHEN and 0 < i + 1 < len(text)):
                points[p] = ("hyphen", spacing.explicit_hyphen_penalty)
        elif hyph is not None and not _compound(text):
            for p in hyph.points(text):
                points[p] = ("hyphen", spacing.hyphen_penalty)
        for i, ch in enumerate(text[:-1]):
            if i == 0:
                continue
            if ch in _HYPHEN_CHARS and text[i - 1].isalpha() and text[i + 1].isalpha():
                points[i + 1] = ("explicit", spacing.explicit_hyphen_penalty)
            elif ch in _DASHES and text[i + 1] not in _DASHES + ",.;:!?»”)" \
                    and not (text[i - 1].isdigit() and text[i + 1].isdigit()):  # a range, 1990–2000, is one
                points[i + 1] = ("dash", spacing.dash_penalty)
    give = (spacing.expansion, spacing.letter_space) if justify else (0.0, 0.0)
    if not points:
        return [_box(_fragments(pieces, 0, len(text)), *give)]
    items: list[Item] = []
    last = 0
    for p in sorted(points):
        kind, penalty = points[p]
        fragments = _fragments(pieces, last, p)
        if not fragments:
            continue
        items.append(_box(fragments, *give))
        if kind == "hyphen":
            items.append(_hyphen_break(fragments[-1], penalty, spacing, justify))
        else:
            items.append(Penalty(0.0, penalty, kind == "explicit", INSIDE_WORD))
        last = p
    rest = _fragments(pieces, last, len(text))
    if rest:
        items.append(_box(rest, *give))
    elif items and isinstance(items[-1], Penalty):
        items.pop()
    return items


def _compound(text: str) -> bool:
    """Whether `text` is a compound written with a hyphen between letters ("студентов-
    программистов", "well-known"): it breaks at its own hyphen only, as TeX breaks it and as
    Russian and Ukrainian rules ask (a designer's review found "студентов-програм-" / "мистов")."""
    return any(ch in _HYPHEN_CHARS and text[i - 1].isalpha() and text[i + 1].isalpha()
               for i, ch in enumerate(text[1:-1], 1))


def _is_url(text: str, pieces: Sequence[tuple[str, Run]]) -> bool:
    return bool(_URL.match(text.strip("(<[«“\"'"))) or any(r.link and r.link.rstrip("/") in text
                                                             for _, r in pieces if r.link)


def _url_breaks(pieces: Sequence[tuple[str, Run]]) -> list[int]:
    """Where a word (its (text, run) pieces) that is a link target or code may break with no
    hyphen: the offsets into its text after a slash and before `_URL_BREAK_BEFORE`, in order
    ([] for any other word); code never leaves fewer than three of its characters alone
    (`html</` + `b>`)."""
    text = "".join(piece for piece, _ in pieces)
    code = any(run.code for _, run in pieces)
    if not (code or _is_url(text, pieces)):
        return []
    points = []
    for i, ch in enumerate(text[:-1]):
        if i == 0:
            continue
        if ch in _URL_BREAK_AFTER and text[i + 1] not in _URL_BREAK_AFTER:
            points.append(i + 1)
        elif ch in _URL_BREAK_BEFORE and text[i - 1] not in _URL_BREAK_BEFORE + _URL_BREAK_AFTER:
            points.append(i)
    return [p for p in points if not code or _CODE_MIN <= p <= len(text) - _CODE_MIN]


def _hyphen_break(before: Fragment, penalty: float, spacing: Spacing, justify: bool) -> Penalty:
    """A break that draws a hyphen after `before` in its face (the part of it that hangs
    in the margin of a justified line not counted)."""
    width = text_width("-", before.font, before.size)
    if justify and spacing.protrusion:
        width *= 1.0 - PROTRUSION["-"]
    return Penalty(width, penalty, True, (before.font, before.size))


def _fragments(pieces: list[tuple[str, Run]], start: int, end: int) -> tuple[Fragment, ...]:
    """The fragments of the word's characters start:end (soft hyphens dropped)."""
    out: list[Fragment] = []
    offset = 0
    for piece, run in pieces:
        a, b = max(start, offset), min(end, offset + len(piece))
        if a < b:
            text = piece[a - offset:b - offset].replace(SOFT_HYPHEN, "")
            if text:
                out.append(fragment(text, run.font, run.size, run.link, run.rise, run.strike, run.note))
        offset += len(piece)
    return tuple(out)


def _box(fragments: tuple[Fragment, ...], expansion: float = 0.0, letter_space: float = 0.0) -> Box:
    """A box that stretches and shrinks as far as its glyphs may give (`Spacing`)."""
    width = sum(f.width for f in fragments)
    give = width * expansion + letter_space * sum(len(f.text) * f.size for f in fragments if letter_spaced(f.text))
    return Box(width, fragments, give, give)


@lru_cache(maxsize=65536)
def letter_spaced(text: str) -> bool:
    """Whether a fragment's `text` may be letter-spaced: not when it holds a character of no
    width (a combining mark, drawn over the letter before it, or a format character), which
    the space after the letter before would push off it and the space after it would pull the
    next letter back over it: text read back out of the PDF came out of order."""
    return not any(unicodedata.category(ch) in _NO_WIDTH for ch in text)


_NO_WIDTH = ("Mn", "Me", "Cf")


def with_emergency_points(items: list[Item], width: float, spacing: Spacing = SPACING,
                          hyph: Hyphenator | None = None, justify: bool = False) -> list[Item]:
    """Items where every box wider than `width` may also break between any two characters
    (no sign added): the last resort against overflowing the margin. With `hyph`, a box's
    hyphenation points are offered first, with a hyphen, at the price of one."""
    out: list[Item] = []
    for item in items:
        if not isinstance(item, Box) or item.width <= width or not item.data:
            out.append(item)
            continue
        chars = [fragment(ch, f.font, f.size, f.link, f.rise, f.strike, f.note) for f in item.data for ch in f.text]
        hyphens = set(hyph.points("".join(f.text for f in item.data))) if hyph is not None else set()
        for n, char in enumerate(chars):
            if n in hyphens:
                out.append(_hyphen_break(chars[n - 1], spacing.hyphen_penalty, spacing, justify))
            elif n:
                out.append(Penalty(0.0, spacing.anywhere_penalty, False, INSIDE_WORD))
            # no glyph expansion: a line of nothing but these pieces has no spaces, so it is
            # never justified and could not shrink as the breaker assumed (found on branch
            # robust: such lines ran up to 13 pt past the margin)
            out.append(_box((char,)))
    return out
