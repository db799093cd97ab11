"""A parsed `Booklet` and its `Layout` → the problems that can be found before any layout pass.

Missing or damaged images, characters that no font can set and words too wide to set are
errors; they are all reported at once, each with its file and line, so a person can fix
everything in one go.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Callable

from PIL import Image, UnidentifiedImageError

from .cache import store
from .errors import Problem
from .fonts import (COLOUR_EMOJI_HINT, face_name, fallback_faces, installed_families_with, split_by_face,
                    string_width)
from .hyphenate import hyphenator, resolve_language
from .imageformats import heif_available, is_svg, missing_plugin, svg_size
from .layouts import Layout, builtin_layouts
from .model import (
    Booklet, CodeBlock, DefinitionList, Figure, ListBlock, Location, Quote, Span, article_blocks, block_inlines,
)
from .parse import UNPRINTED, key_line
from .sources import found_instead


def preflight(booklet: Booklet, layout: Layout) -> list[Problem]:
    problems: list[Problem] = []
    problems += _missing_images(booklet)
    texts = list(_texts(booklet, layout))
    problems += _missing_glyphs(texts, layout)
    problems += _overlong_words(texts, layout)
    problems += _deep_nesting(booklet)
    problems += _control_characters(booklet)
    problems += _long_titles(booklet, layout)
    problems += _unhyphenated_languages(booklet)
    problems += _title_on_paper_too_light(booklet, layout)
    problems += [Problem(r.message, r.where.path, r.where.line, severity="warning") for r in booklet.remarks]
    return problems


def _title_on_paper_too_light(booklet: Booklet, layout: Layout) -> list[Problem]:
    """A warning for a light title colour set on the paper (`cover: full` with the title
    under the picture): white on white prints nothing; light colours are for a title over it."""
    cover = booklet.metadata.cover
    if cover is None or cover.kind != "full" or layout.cover.title != "under" or sum(layout.cover.title_color) < 2.4:
        return []
    return [Problem('[cover] title_color is too light for a title on the paper under the picture (title = '
                    '"under"): it will hardly show; use a dark colour, or title = "over" to set it on the picture',
                    layout.path, severity="warning")]


def _unhyphenated_languages(booklet: Booklet) -> list[Problem]:
    """A warning for each language pyphen has no dictionary for: its text is not hyphenated."""
    meta = booklet.metadata
    places = [(meta.language, meta.where)] + [(a.language, a.where) for a in booklet.articles]
    problems, seen = [], set()
    for language, where in places:
        if language not in seen and resolve_language(language) is None:
            seen.add(language)
            problems.append(Problem(f"no hyphenation patterns for language {language!r}: its text is not "
                                    "hyphenated", where.path, key_line(where, "language"), severity="warning"))
    return problems


def _missing_images(booklet: Booklet) -> list[Problem]:
    """Images that are missing, or that Pillow cannot read to the end (damaged or not images)."""
    problems = []
    meta = booklet.metadata
    cover = meta.cover_image
    if cover is not None:
        line = key_line(meta.where, "cover_image")
        if not cover.is_file():
            problems.append(Problem(f"cover image not found: {cover}{found_instead(cover)}", meta.where.path, line))
        elif (reason := unreadable_image(cover)) is not None:
            problems.append(Problem(f"cannot read image {cover}: {reason}", meta.where.path, line))
    for page in (meta.cover, meta.back):
        if page is not None and page.kind == "image" and (reason := unreadable_image(page.path)) is not None:
            problems.append(Problem(f"cannot read image {page.path}: {reason}", page.where.path, page.where.line))
    for article in booklet.all_articles():
        for block in article_blocks(article):
            if not isinstance(block, Figure):
                continue
            if not block.image.is_file():
                problems.append(Problem(f"image not found: {block.image}{found_instead(block.image)}",
                                        block.where.path, block.where.line))
            elif (reason := unreadable_image(block.image)) is not None:
                problems.append(Problem(f"cannot read image {block.image}: {reason}",
                                        block.where.path, block.where.line))
    return problems


def unreadable_image(path: Path) -> str | None:
    """Why booklet cannot read the image at `path` to its end, or None when it can.

    PNGs are checked chunk by chunk (`verify`); JPEGs are decoded in draft mode at 1/8
    scale, which still reads every byte, so a truncated download is found cheaply. An SVG
    must parse as XML and have a size. A file found readable is remembered in the store by its
    content's digest (kind `image-checks`), so a rebuild does not decode it again.
    """
    if (missing := missing_plugin(path)) is not None:
        return missing
    try:
        key = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        key = None
    if key is not None and store().read("image-checks", key) == b"":
        return None
    reason = _decode_problem(path)
    if reason is None and key is not None:
        store().write("image-checks", key, b"")
    return reason


def _decode_problem(path: Path) -> str | None:
    try:
        with path.open("rb") as file:
            head = file.read(2048)
        if is_svg(path, head):
            svg_size(path.read_bytes())
            return None
        heif_available()  # registers the HEIC/HEIF opener
        with Image.open(path) as image:
            if image.format == "PNG":
                image.verify()
            else:
                image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except Image.DecompressionBombError:
        return "the image is too large (more than Pillow's limit of pixels)"
    except UnidentifiedImageError:
        return f"not an image booklet can read ({IMAGE_FORMATS})"
    except PermissionError:
        return "permission denied (the file cannot be read)"
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        return f"the file is damaged or incomplete ({exc})"
    return None


IMAGE_FORMATS = "JPEG, PNG, GIF, WebP, TIFF, BMP, HEIC/HEIF or SVG"


@dataclass(frozen=True)
class _Text:
    """A piece of text as it will be set: in `face` at `size` points; `code` is a code block,
    `cell` a table's (set smaller or turned when it needs: `unfit_tables` warns for those)."""

    text: str
    face: str
    size: float
    fallbacks: Callable[[], tuple[str, ...]]  # the fallback faces of the same weight and slant, loaded when asked
    where: Location
    code: bool = False
    cell: bool = False
    language: str = ""


def _texts(booklet: Booklet, layout: Layout):
    """Every piece of text that will be set (as `_Text`), in the face and size that set it."""
    meta = booklet.metadata

    @cache  # a handful of combinations, asked for once per span of text
    def face(style_name: str, bold: bool = False, italic: bool = False, code: bool = False
             ) -> tuple[str, float, Callable[[], tuple[str, ...]]]:
        style = layout.styles[style_name]
        family = layout.fonts["mono" if code else style.font]
        bold, italic = style.bold or bold, style.italic != italic
        fallbacks = partial(fallback_faces, layout.fallback_fonts, bold, italic)
        return face_name(family, bold, italic), style.size, fallbacks

    for style_name, value in (("cover_title", meta.title), ("cover_subtitle", meta.subtitle)):
        if value:
            yield _Text(value, *face(style_name), meta.where, language=meta.language)
    for value in (meta.author, meta.publisher, meta.date, meta.edition, *meta.contacts):
        if value:
            yield _Text(value, *face("cover_meta"), meta.where, language=meta.language)
    marker = layout.marker  # every digit a page number may have
    yield _Text(marker.format.format(n=1234567890), face_name(layout.fonts[marker.font]), marker.size,
                partial(fallback_faces, layout.fallback_fonts), Location(layout.path) if layout.path else meta.where)
    for article in booklet.all_articles():
        for style_name, value in (("title", article.title), ("toc", article.title), ("dateline", article.date),
                                  ("author", article.author)):
            if value:
                yield _Text(value, *face(style_name), article.where, language=article.language)
        for block in article_blocks(article):
            if isinstance(block, CodeBlock):
                yield _Text(block.text, *face("code"), block.where, code=True)
            for style_name, inlines in block_inlines(block):
                for inline in inlines:
                    if isinstance(inline, Span):
                        face_and_size = face(style_name, inline.bold, inline.italic, inline.code)
                        yield _Text(inline.text, *face_and_size, block.where, cell=style_name == "table",
                                    language=article.language)


def _missing_glyphs(texts: list[_Text], layout: Layout) -> list[Problem]:
    """Characters that neither the face that sets them nor a fallback font can draw: one error,
    at the first place, naming every such character and a font the user can add."""
    missing: dict[str, list[Location]] = {}
    for piece in texts:
        for text, font in split_by_face(piece.text, piece.face, piece.fallbacks):
            if font is None:
                for char in dict.fromkeys(text):
                    places = missing.setdefault(char, [])
                    if piece.where not in places:
                        places.append(piece.where)
    if not missing:
        return []
    first = min((places[0] for places in missing.values()), key=_place_order)
    shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
    others = sorted({p for places in missing.values() for p in places} - {first}, key=_place_order)
    elsewhere = ""
    if others:
        listed = ", ".join(f"{p.path.name}:{p.line}" if p.line else p.path.name for p in others[:3])
        elsewhere = f" (also at {listed}{f' and {len(others) - 3} more places' if len(others) > 3 else ''})"
    # a private-use or unassigned code point (U+E000) is no letter any font could be found for
    ordinary = "".join(c for c in missing if unicodedata.category(c) not in ("Co", "Cn"))
    advice = _font_advice(ordinary, layout) if ordinary else (
        "a private-use or unassigned code point means something only in a font made for it: remove it, "
        "or name that font in the layout's [fonts] fallback")
    return [Problem(f"no font has a glyph for {shown}{elsewhere}; {advice}",
                    first.path, first.line)]


def _place_order(place: Location) -> tuple[str, int]:
    return str(place.path), place.line or 0


EMOJI_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF))
"""Emoji and pictographs: a colour emoji font cannot be embedded, so the advice names monochrome ones."""


def _font_advice(chars: str, layout: Layout) -> str:
    """What to add to the layout so that `chars` print: the exact key, a font installed on this
    machine that has them (fontconfig), or how to find or name one."""
    where = f"your layout {layout.path}"
    if layout.path in builtin_layouts().values():
        where = f"a layout of your own (`cp {layout.path} my.toml`, then `layout: my.toml` in the metadata)"
    chain = [f'"{f.name}"' for f in layout.fallback_fonts]
    remaining, notes = list(chars), []
    while remaining:  # installed families, each covering most of what is still missing
        counts = Counter(f for c in remaining for f in installed_families_with(c))
        if not counts:
            break
        family = counts.most_common(1)[0][0]
        covered = [c for c in remaining if family in installed_families_with(c)]
        remaining = [c for c in remaining if c not in covered]
        chain.append(f'"{family}"')
        notes.append(f"{family} is installed on this machine and has {' '.join(covered)}")
    if remaining:
        chain.append('"fonts/MyFont.ttf"')
        emoji = any(low <= ord(c) <= high for c in remaining for low, high in EMOJI_RANGES)
        notes.append(f"for {' '.join(remaining)} no installed font is usable: install one or name a TrueType file "
                     f"(relative to the layout); `fc-list ':charset={ord(remaining[0]):x}' family` lists the "
                     f"installed fonts that have {remaining[0]}"
                     + (f"; colour emoji fonts cannot be embedded, so {COLOUR_EMOJI_HINT}" if emoji else ""))
    return f"add fonts that have them to [fonts] fallback in {where}: fallback = [{', '.join(chain)}] " \
           f"({'; '.join(notes)})"


MAX_WORD_LINES = 3
"""A word (a run of text without spaces) longer than this many full lines cannot be set: it is an
error. Shorter ones that are wider than a line are hyphenated, in any style, or where even their
syllables are too wide (or the language has no dictionary) broken between letters (code is
simply wrapped), which the preflight reports as a warning for running text."""

_BREAKS_ANYWAY = re.compile(r"[/\\.\-_?&=#\u00ad\u200b]")
"""Where a long word (a URL, a path, a hyphenated compound) may break without help."""


def _overlong_words(texts: list[_Text], layout: Layout) -> list[Problem]:
    """Words too wide to set (errors) and words that will be broken between letters (warnings).

    Only the longest part between natural break points counts (a URL breaks at its slashes).
    """
    problems = []
    line = layout.text_width
    seen: set[tuple[str, Path, int | None]] = set()
    for piece in texts:
        words = piece.text.split()
        if max(map(len, words), default=0) * piece.size * 1.2 <= line:
            continue  # the usual text, passed without a step per word (as below, for its longest)
        for word in words:
            if len(word) * piece.size * 1.2 <= line:  # no glyph is wider than 1.2 em: cannot be too wide
                continue
            key = (word, piece.where.path, piece.where.line)
            if key in seen:
                continue
            parts = _BREAKS_ANYWAY.split(word)
            width = max(string_width(part, piece.face, piece.size) for part in parts)
            shown = f"{word[:24]}…" if len(word) > 24 else word
            if width > MAX_WORD_LINES * line:
                seen.add(key)
                problems.append(Problem(
                    f"a word of {len(word)} characters ({shown!r}) is wider than {MAX_WORD_LINES} lines and "
                    "cannot be set; break it with spaces or shorten it", piece.where.path, piece.where.line))
            elif width > line and not piece.code and not piece.cell and not _hyphenated_fits(parts, piece, layout):
                seen.add(key)
                problems.append(Problem(
                    f"a word wider than a line ({shown!r}) will be broken between letters",
                    piece.where.path, piece.where.line, severity="warning"))
    return problems


def _hyphenated_fits(parts: list[str], piece: _Text, layout: Layout) -> bool:
    """True if every syllable of `parts` fits a line with its hyphen: the word is then
    hyphenated where it must be (in any style, a title's too), not broken between letters."""
    hyph = hyphenator(piece.language, layout.hyphenation) if piece.language else None
    if hyph is None:
        return False
    hyphen = string_width("-", piece.face, piece.size)
    return all(string_width(syllable, piece.face, piece.size) + hyphen <= layout.text_width
               for part in parts for syllable in hyph.split(part))


MAX_NESTING = 6
"""Quotes and lists nested deeper than this leave too little of the line for text."""


def _deep_nesting(booklet: Booklet) -> list[Problem]:
    """Quotes and lists nested too deep: each level takes an indent from the line."""
    problems = []

    def visit(blocks, depth: int) -> None:
        for block in blocks:
            if isinstance(block, (Quote, ListBlock, DefinitionList)):
                if depth + 1 > MAX_NESTING:
                    problems.append(Problem(
                        f"quotes and lists nested more than {MAX_NESTING} deep leave no room for the text; "
                        "nest them less", block.where.path, block.where.line))
                    continue
                if isinstance(block, Quote):
                    children = list(block.blocks)
                elif isinstance(block, ListBlock):
                    children = [b for item in block.items for b in item]
                else:
                    children = [b for d in block.items for description in d.descriptions for b in description]
                visit(children, depth + 1)

    for article in booklet.all_articles():
        visit(article.blocks, 0)
    return problems


MAX_TITLE_SHARE = 0.5
"""An article title may fill at most this share of a page in the contents."""


def _long_titles(booklet: Booklet, layout: Layout) -> list[Problem]:
    """Titles too long for one contents entry (an entry cannot be split across pages)."""
    style = layout.styles["toc"]
    face = face_name(layout.fonts[style.font], style.bold, style.italic)
    room = layout.text_width - string_width("0000", face, style.size)
    problems = []
    for article in booklet.articles:
        if not article.title:
            continue
        lines = math.ceil(string_width(article.title, face, style.size) / room)
        if lines * style.leading > MAX_TITLE_SHARE * layout.text_height:
            problems.append(Problem(f"the title is too long for the contents (about {lines} lines); shorten it",
                                    article.where.path, article.where.line))
    return problems


def _control_characters(booklet: Booklet) -> list[Problem]:
    """Lines of the sources with characters that print nothing (parse.UNPRINTED: controls,
    format characters, noncharacters), which are left out."""
    paths = dict.fromkeys([booklet.metadata.where.path, *(a.where.path for a in booklet.all_articles())])
    problems = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        except (OSError, UnicodeDecodeError):
            continue
        if not UNPRINTED.search("".join(set(text))):
            continue  # the usual source: its distinct characters scanned (the pattern is slow), not each line
        for number, line in enumerate(text.split("\n"), 1):
            found = sorted(set(UNPRINTED.findall(line)))
            if found:
                what = "{} is not printed; remove it" if len(found) == 1 else "{} are not printed; remove them"
                problems.append(Problem(what.format(_unprinted_names(found)), path, number, severity="warning"))
    return problems


def _unprinted_names(chars: list[str]) -> str:
    """`control characters U+0007, U+000C, format character U+2066 (LEFT-TO-RIGHT ISOLATE)`."""
    kinds = {"Cc": "control character", "Cf": "format character"}
    groups: dict[str, list[str]] = {}
    for char in chars:
        code = f"U+{ord(char):04X}"
        category = unicodedata.category(char)
        groups.setdefault(kinds.get(category, "noncharacter"), []).append(
            f"{code} ({unicodedata.name(char)})" if category == "Cf" else code)
    return ", ".join(f"{kind}{'s' if len(codes) > 1 else ''} {', '.join(codes)}" for kind, codes in groups.items())
