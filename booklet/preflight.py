"""A parsed `Booklet` and its `Layout` → the problems that can be found before any layout pass.

Missing images and characters that no font can set are errors; they are all reported at
once, each with its file and line, so a person can fix everything in one go.
"""

from __future__ import annotations

import struct
from collections import defaultdict
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .errors import Problem
from .fonts import face_name, has_glyph
from .hyphenate import resolve_language
from .layouts import Layout
from .model import Booklet, CodeBlock, Figure, Heading, Inline, Location, Paragraph, Span, iter_blocks
from .parse import key_line


def preflight(booklet: Booklet, layout: Layout) -> list[Problem]:
    problems: list[Problem] = []
    problems += _missing_images(booklet)
    problems += _missing_glyphs(booklet, layout)
    problems += _unhyphenated_languages(booklet)
    return problems


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
            problems.append(Problem(f"cover image not found: {cover}", meta.where.path, line))
        elif (reason := unreadable_image(cover)) is not None:
            problems.append(Problem(f"cannot read image {cover}: {reason}", meta.where.path, line))
    for article in booklet.articles:
        for block in iter_blocks(article.blocks):
            if not isinstance(block, Figure):
                continue
            if not block.image.is_file():
                problems.append(Problem(f"image not found: {block.image}", block.where.path, block.where.line))
            elif (reason := unreadable_image(block.image)) is not None:
                problems.append(Problem(f"cannot read image {block.image}: {reason}",
                                        block.where.path, block.where.line))
    return problems


def unreadable_image(path: Path) -> str | None:
    """Why Pillow cannot read the image at `path` to its end, or None when it can.

    PNGs are checked chunk by chunk (`verify`); JPEGs are decoded in draft mode at 1/8
    scale, which still reads every byte, so a truncated download is found cheaply.
    """
    try:
        with Image.open(path) as image:
            if image.format == "PNG":
                image.verify()
            else:
                image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except Image.DecompressionBombError:
        return "the image is too large (more than Pillow's limit of pixels)"
    except UnidentifiedImageError:
        return "not an image Pillow can read (use JPEG or PNG)"
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        return f"the file is damaged or incomplete ({exc})"
    return None


def _texts(booklet: Booklet, layout: Layout):
    """(text, face, location) for every piece of text that will be set, in the face that sets it."""
    meta = booklet.metadata

    def face(style_name: str, bold: bool = False, italic: bool = False, code: bool = False) -> str:
        style = layout.styles[style_name]
        family = layout.fonts["mono" if code else style.font]
        return face_name(family, style.bold or bold, style.italic != italic)

    for style_name, value in (("cover_title", meta.title), ("cover_subtitle", meta.subtitle)):
        if value:
            yield value, face(style_name), meta.where
    for value in (meta.author, meta.publisher, meta.date, meta.edition, *meta.contacts):
        if value:
            yield value, face("cover_meta"), meta.where
    for article in booklet.articles:
        for style_name, value in (("title", article.title), ("dateline", article.date), ("author", article.author)):
            if value:
                yield value, face(style_name), article.where
        for block in iter_blocks(article.blocks):
            inlines: tuple[Inline, ...] = ()
            style_name = "body"
            if isinstance(block, Paragraph):
                inlines = block.inlines
            elif isinstance(block, Heading):
                inlines, style_name = block.inlines, f"heading{block.level}"
            elif isinstance(block, Figure):
                inlines, style_name = block.caption, "caption"
            elif isinstance(block, CodeBlock):
                yield block.text, face("code"), block.where
            for inline in inlines:
                if isinstance(inline, Span):
                    yield inline.text, face(style_name, inline.bold, inline.italic, inline.code), block.where


def _missing_glyphs(booklet: Booklet, layout: Layout) -> list[Problem]:
    """Characters that neither the face that sets them nor a fallback font can draw."""
    fallbacks = [face_name(family) for family in layout.fallback_fonts]
    missing: dict[str, list[Location]] = defaultdict(list)
    for text, face, where in _texts(booklet, layout):
        for char in set(text):
            if has_glyph(face, char) or any(has_glyph(f, char) for f in fallbacks):
                continue
            missing[char].append(where)
    problems = []
    by_place: dict[tuple[Path, int | None], set[str]] = defaultdict(set)
    for char, places in missing.items():
        for place in places:
            by_place[(place.path, place.line)].add(char)
    for (path, line), chars in sorted(by_place.items(), key=lambda item: (str(item[0][0]), item[0][1] or 0)):
        shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(chars))
        problems.append(Problem(f"no font has a glyph for {shown}; name a fallback font in the layout's [fonts]",
                                path, line))
    return problems


