"""The document model: frozen dataclasses that every later stage reads and none rewrites.

Sources (Markdown + YAML) are parsed into a `Booklet`; the typesetter turns a `Booklet`
into pages. Every block remembers where it came from (`Location`) so that later stages
can name the file and line in their messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union


@dataclass(frozen=True)
class Location:
    """A place in a source file: `line` is 1-based (what editors show)."""

    path: Path
    line: int | None = None


# --- inline content -------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A run of text in one style. `link` is the target of a clickable span."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None
    strike: bool = False


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True)
class NoteRef:
    """A footnote's call: `number` is the note's number in its article (1-based, in the order
    of first calls); the note itself is in `Article.notes`."""

    number: int


Inline = Union[Span, LineBreak, NoteRef]


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of some inlines, hard breaks as spaces, note calls left out."""
    return "".join(i.text if isinstance(i, Span) else " " if isinstance(i, LineBreak) else "" for i in inlines)


# --- blocks ---------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    where: Location


@dataclass(frozen=True)
class Heading:
    """A heading inside an article (Markdown levels 2-4)."""

    level: int
    inlines: tuple[Inline, ...]
    where: Location


@dataclass(frozen=True)
class Quote:
    blocks: tuple["Block", ...]
    where: Location


@dataclass(frozen=True)
class ListBlock:
    """An ordered or bulleted list; each item is a tuple of blocks (so lists nest).

    `checks` holds, per item of a task list (`- [ ]`, `- [x]`), whether it is done (None for
    an item without a box); it is empty for a list without boxes."""

    items: tuple[tuple["Block", ...], ...]
    ordered: bool
    start: int
    where: Location
    checks: tuple[bool | None, ...] = ()


@dataclass(frozen=True)
class Definition:
    """A term and its descriptions (`Term` then `: description` lines): each a tuple of blocks."""

    term: tuple[Inline, ...]
    descriptions: tuple[tuple["Block", ...], ...]


@dataclass(frozen=True)
class DefinitionList:
    items: tuple[Definition, ...]
    where: Location


Cell = tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    """A GFM pipe table: a header row, body rows (each as wide as the header) and, per column,
    its alignment ("left", "center" or "right")."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    aligns: tuple[str, ...]
    where: Location


@dataclass(frozen=True)
class CodeBlock:
    text: str
    where: Location


@dataclass(frozen=True)
class SectionBreak:
    """A thematic break, printed as a centred ornament."""

    where: Location


@dataclass(frozen=True)
class Figure:
    """An image alone in its paragraph; the alt text is its caption.

    `width` is a fraction of the text width (None: full width); `full_page` fills a page.
    """

    image: Path
    caption: tuple[Inline, ...]
    where: Location
    width: float | None = None
    full_page: bool = False


Block = Union[Paragraph, Heading, Quote, ListBlock, CodeBlock, SectionBreak, Figure, Table, DefinitionList]


@dataclass(frozen=True)
class Footnote:
    """A footnote of an article: its number there and its text."""

    number: int
    blocks: tuple[Block, ...]
    where: Location


@dataclass(frozen=True)
class Remark:
    """Something the reader of the sources should know that is not an error (Markdown that is
    printed as written, a Markdown file the booklet leaves out): a warning with its place."""

    message: str
    where: Location


# --- the booklet ----------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """A titled article (opens a new page, gets a TOC entry) or an untitled text (a preface)."""

    title: str | None
    blocks: tuple[Block, ...]
    where: Location
    date: str | None = None
    author: str | None = None
    language: str = "en"
    notes: tuple[Footnote, ...] = ()


@dataclass(frozen=True)
class CoverPage:
    """A front or back cover of the user's own, instead of the built-in one.

    `kind` is "full" (the built-in front cover over a full-page `cover_image`), "markdown"
    (`article`: a Markdown file typeset on the page, its `#` heading as the cover title), or
    "pdf" / "image" (`path`: a page made elsewhere, used as it is).
    """

    kind: str
    where: Location
    path: Path | None = None
    article: Article | None = None


@dataclass(frozen=True)
class Metadata:
    title: str
    where: Location
    subtitle: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    edition: str | None = None
    language: str = "en"
    contacts: tuple[str, ...] = ()
    layout: str | None = None
    cover_image: Path | None = None
    direction: str = "ltr"  # "rtl": read from right to left, bound on the right
    cover: CoverPage | None = None  # None: the built-in cover
    back: CoverPage | None = None  # None: the built-in back cover (the colophon)
    lines: tuple[tuple[str, int], ...] = ()  # (key, line) of each field where it was read, for messages


@dataclass(frozen=True)
class Booklet:
    """A whole booklet: `name` is the stem of the output files."""

    name: str
    metadata: Metadata
    articles: tuple[Article, ...] = field(default_factory=tuple)
    remarks: tuple[Remark, ...] = ()

    def all_articles(self) -> tuple[Article, ...]:
        """The articles and the front and back covers written in Markdown: every text typeset."""
        covers = (self.metadata.cover, self.metadata.back)
        return (*self.articles, *(c.article for c in covers if c is not None and c.article is not None))


def iter_blocks(blocks: tuple[Block, ...]):
    """Every block, depth first, including those nested in quotes, lists and definitions."""
    for block in blocks:
        yield block
        if isinstance(block, Quote):
            yield from iter_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item)
        elif isinstance(block, DefinitionList):
            for definition in block.items:
                for description in definition.descriptions:
                    yield from iter_blocks(description)


def article_blocks(article: Article):
    """Every block of an article, its footnotes' blocks after its own."""
    yield from iter_blocks(article.blocks)
    for note in article.notes:
        yield from iter_blocks(note.blocks)


def block_inlines(block: Block) -> list[tuple[str, tuple[Inline, ...]]]:
    """The runs of text a block holds itself (not those of nested blocks), each with the
    layout style that sets it: a paragraph's, a heading's, a caption, table cells, terms."""
    if isinstance(block, Paragraph):
        return [("body", block.inlines)]
    if isinstance(block, Heading):
        return [(f"heading{block.level}", block.inlines)]
    if isinstance(block, Figure):
        return [("caption", block.caption)]
    if isinstance(block, Table):
        return [("table", cell) for row in (block.header, *block.rows) for cell in row]
    if isinstance(block, DefinitionList):
        return [("body", definition.term) for definition in block.items]
    return []
