"""`BookletSource` → `Booklet`: YAML metadata checked into `Metadata`, Markdown tokens into blocks.

Markdown is CommonMark as markdown-it-py reads it, with the typographer (language-specific
quotes, dashes, ellipsis) and the attrs plugin (`{width="60%"}`, `{.full}` on images).
Raw HTML is switched off, so it stays literal text.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from .errors import BookletError, Collector
from .model import (
    Article, Block, Booklet, CodeBlock, CoverPage, Figure, Heading, Inline, LineBreak, ListBlock, Location,
    Metadata, Paragraph, Quote, SectionBreak, Span, plain_text,
)
from .sources import BookletSource, MarkdownSource

METADATA_KEYS = ("title", "subtitle", "author", "publisher", "date", "edition", "language",
                 "contacts", "layout", "cover_image", "direction", "cover", "back")
ARTICLE_KEYS = ("title", "date", "author", "language")

QUOTES = {
    "en": "“”‘’",
    "uk": "«»„“",
    "ru": "«»„“",
    "de": "„“‚‘",
    "fr": "«»‹›",
    "pl": "„”‚’",
}
"""Typographic quotes per language (double open/close, single open/close)."""

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (other than tab and line ends): no font draws them, so they would print
as empty boxes. They are left out; the preflight warns about each line that has one."""

# `{width=60%}` is what people write; the attrs plugin only accepts a quoted "60%".
_UNQUOTED_PERCENT = re.compile(r'(\{[^}\n]*\bwidth=)(\d+(?:\.\d+)?%)')


def parse_booklet(source: BookletSource) -> Booklet:
    """Metadata and articles; the errors of all of them are raised together (BookletErrors)."""
    errors = Collector()
    metadata = None
    with errors.attempt():
        metadata = parse_metadata(source.metadata, source.metadata_where)
    language = metadata.language if metadata else "en"
    articles: list[Article] = []
    for document in source.documents:
        with errors.attempt():
            if source.single_file:
                articles.extend(_split_single_file(document, language))
            else:
                articles.append(_parse_article_file(document, language))
    covers: dict[str, CoverPage | None] = {}
    for key in ("cover", "back"):
        with errors.attempt():
            covers[key] = _cover_page(key, source, language)
    errors.raise_any()
    assert metadata is not None
    metadata = replace(metadata, **covers)
    articles = [a for a in articles if a.blocks or a.title]
    if not articles:
        raise BookletError("the booklet has no text", source.metadata_where.path)
    return Booklet(name=source.name, metadata=metadata, articles=tuple(articles))


# --- metadata -------------------------------------------------------------


def parse_metadata(data: dict[str, Any], where: Location) -> Metadata:
    """Booklet metadata, every key checked; all mistakes are raised together (BookletErrors)."""
    errors = Collector()
    with errors.attempt():
        _check_keys(data, METADATA_KEYS, where, "metadata")
    texts: dict[str, str | None] = {}
    for key in ("title", "subtitle", "author", "publisher", "date", "edition", "layout", "cover_image"):
        texts[key] = None
        with errors.attempt():
            texts[key] = _text(data, key, where, required=key == "title")
    language = None
    with errors.attempt():
        language = _language(data, where)
    direction = "ltr"
    with errors.attempt():
        direction = _text(data, "direction", where) or "ltr"
        if direction not in ("ltr", "rtl"):
            raise BookletError(f"'direction' must be ltr or rtl (the booklet binds on the right), not {direction!r}",
                               where.path, key_line(where, "direction"))
    contacts = data.get("contacts", [])
    if isinstance(contacts, str):
        contacts = [contacts]
    if not isinstance(contacts, list) or not all(isinstance(c, (str, int, float)) for c in contacts):
        with errors.attempt():
            raise BookletError("'contacts' must be a list of lines", where.path, key_line(where, "contacts"))
    errors.raise_any()
    cover = texts["cover_image"]
    base = where.path.parent if where.path.suffix else where.path
    return Metadata(
        title=texts["title"] or "",
        where=where,
        subtitle=texts["subtitle"],
        author=texts["author"],
        publisher=texts["publisher"],
        date=texts["date"],
        edition=texts["edition"],
        language=language or "en",
        contacts=tuple(str(c) for c in contacts),
        layout=texts["layout"],
        cover_image=(base / cover) if cover else None,
        direction=direction,
    )


COVER_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".svg")


def _cover_page(key: str, source: BookletSource, language: str) -> CoverPage | None:
    """`cover:` or `back:` → the user's own page (None: the built-in one). `cover: full` sets the
    built-in front cover over a full-page `cover_image`."""
    where = source.metadata_where
    value = source.metadata.get(key)
    line = Location(where.path, key_line(where, key))
    if value is None or value == "built-in":
        return None
    if key == "cover" and value == "full":
        if source.metadata.get("cover_image") is None:
            raise BookletError("`cover: full` sets the cover over a full-page picture: add `cover_image: FILE`",
                               line.path, line.line)
        return CoverPage("full", line)
    if not isinstance(value, str) or not value.strip():
        raise BookletError(f"{key!r} must be a file name (a Markdown file, a PDF or an image) or built-in",
                           line.path, line.line)
    base = where.path.parent if where.path.suffix else where.path
    path = base / value
    suffix = path.suffix.lower()
    if key in source.covers:
        return CoverPage("markdown", line, path, _parse_article_file(source.covers[key], language))
    if suffix == ".pdf":
        kind = "pdf"
    elif suffix in COVER_IMAGE_SUFFIXES:
        kind = "image"
    else:
        choices = "full, built-in, " if key == "cover" else "built-in, "
        raise BookletError(f"{key!r} must be {choices}a Markdown file (.md), a PDF or an image, not {value!r}",
                           line.path, line.line)
    if not path.is_file():
        raise BookletError(f"{key} file not found: {value}", line.path, line.line)
    return CoverPage(kind, line, path)


def _check_keys(data: dict[str, Any], allowed: tuple[str, ...], where: Location, what: str) -> None:
    """Every unknown key is an error, with the closest known key as a suggestion."""
    errors = Collector()
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(allowed)}"
            with errors.attempt():
                raise BookletError(f"unknown {what} key {key!r}{hint}", where.path, key_line(where, key))
    errors.raise_any()


def _text(data: dict[str, Any], key: str, where: Location, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise BookletError(f"the {key!r} is missing (add `{key}: ...`)", where.path, where.line)
        return None
    if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
        return str(value)  # YAML reads 2024-09-06 as a date and 7 as a number
    if not isinstance(value, str):
        raise BookletError(f"{key!r} must be text, not {type(value).__name__}", where.path, key_line(where, key))
    if required and not value.strip():
        raise BookletError(f"the {key!r} is empty", where.path, key_line(where, key))
    return CONTROL_CHARACTERS.sub("", value).strip()


def _language(data: dict[str, Any], where: Location) -> str | None:
    value = _text(data, "language", where)
    if value is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", value):
        raise BookletError(f"'language' must be a language code such as en, uk or ru, not {value!r}",
                           where.path, key_line(where, "language"))
    return value.replace("-", "_")


def key_line(where: Location, key: str) -> int | None:
    """The line of a top-level `key:` in the YAML file or front matter at `where`, for messages."""
    try:
        lines = where.path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return where.line
    for number, line in enumerate(lines, 1):
        if line.startswith(f"{key}:"):
            return number
    return where.line


# --- articles -------------------------------------------------------------


_ARTICLES: dict[tuple, Article] = {}
"""Articles already parsed in this process, by everything they are parsed from: `booklet watch`
parses again only the file that was saved."""


def _parse_article_file(document: MarkdownSource, language: str) -> Article:
    key = (document.path, document.text, repr(document.front_matter), document.body_line, language)
    article = _ARTICLES.get(key)
    if article is None:
        if len(_ARTICLES) > 256:
            _ARTICLES.clear()
        article = _ARTICLES[key] = _parse_article(document, language)
    return article


def _parse_article(document: MarkdownSource, language: str) -> Article:
    front = document.front_matter
    where = Location(document.path, 1)
    _check_keys(front, ARTICLE_KEYS, where, "article")
    language = _language(front, where) or language
    tokens = _markdown(language).parse(_prepare(document.text))
    title = _text(front, "title", where)
    if title is None and len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        title = plain_text(_inlines(tokens[1], document, language))
        tokens = tokens[3:]
    blocks = _Blocks(document, language).read(tokens)
    return Article(title=title, blocks=tuple(blocks), where=where, date=_text(front, "date", where),
                   author=_text(front, "author", where), language=language)


def _split_single_file(document: MarkdownSource, language: str) -> list[Article]:
    """Level-1 headings start articles; text before the first one is an untitled preface.

    A paragraph right after the heading that is all emphasis (`*September 6, 2024*`)
    is the article's dateline.
    """
    tokens = _markdown(language).parse(_prepare(document.text))
    reader = _Blocks(document, language)
    starts = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
    articles = []
    preface = tokens[: starts[0]] if starts else tokens
    if preface:
        articles.append(Article(None, tuple(reader.read(preface)),
                                Location(document.path, document.body_line), language=language))
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(tokens)
        title = plain_text(reader.inlines(tokens[start + 1]))
        body = tokens[start + 3: end]
        date = _dateline(body)
        if date is not None:
            body = body[3:]
        articles.append(Article(title, tuple(reader.read(body)), reader.where(tokens[start]),
                                date=date, language=language))
    return articles


_CLICKABLE = re.compile(r"(?i)(https?|mailto|ftp|tel):\S+")


def _clickable(target: str) -> str | None:
    """`target` if a PDF viewer can follow it; relative paths and #anchors print but do not click.

    Regression: ReportLab fails the whole build on a link without a scheme (`#top`, `notes.md`).
    """
    return target if _CLICKABLE.fullmatch(target) else None


def _dateline(tokens: list[Token]) -> str | None:
    if len(tokens) < 3 or tokens[0].type != "paragraph_open":
        return None
    children = tokens[1].children or []
    if (len(children) == 3 and children[0].type == "em_open" and children[1].type == "text"
            and children[2].type == "em_close"):
        return children[1].content
    return None


def _prepare(text: str) -> str:
    return _UNQUOTED_PERCENT.sub(r'\1"\2"', CONTROL_CHARACTERS.sub("", text))


@cache
def _markdown(language: str) -> MarkdownIt:
    quotes = QUOTES.get(language.split("_")[0], QUOTES["en"])
    # "html": markdown-it then hands raw HTML over as html_inline / html_block tokens, which
    # smartquotes and replacements never touch, so it prints exactly as written (with HTML
    # off it was plain text: `<img src="/etc/passwd"/>` came out with “ ”). Nothing is
    # interpreted either way: the tokens become text.
    md = MarkdownIt("commonmark", {"typographer": True, "html": True, "quotes": quotes})
    return md.enable(["replacements", "smartquotes"]).use(attrs_plugin)


def _inlines(token: Token, document: MarkdownSource, language: str) -> tuple[Inline, ...]:
    return _Blocks(document, language).inlines(token)


class _Blocks:
    """Turns a flat markdown-it token stream into nested model blocks."""

    def __init__(self, document: MarkdownSource, language: str):
        self.document = document
        self.language = language

    def where(self, token: Token) -> Location:
        line = token.map[0] + self.document.body_line if token.map else None
        return Location(self.document.path, line)

    def read(self, tokens: list[Token]) -> list[Block]:
        blocks: list[Block] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            end = self._close(tokens, index)
            kind = token.type
            if kind == "paragraph_open":
                blocks.extend(self._paragraph(tokens[index + 1], token))
            elif kind == "heading_open":
                level = min(max(int(token.tag[1]), 2), 4)  # an h1 inside an article reads as h2
                blocks.append(Heading(level, self.inlines(tokens[index + 1]), self.where(token)))
            elif kind == "blockquote_open":
                blocks.append(Quote(tuple(self.read(tokens[index + 1: end])), self.where(token)))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                blocks.append(self._list(tokens[index + 1: end], token))
            elif kind in ("fence", "code_block"):
                blocks.append(CodeBlock(token.content.rstrip("\n"), self.where(token)))
            elif kind == "hr":
                blocks.append(SectionBreak(self.where(token)))
            elif kind in ("html_block", "text", "inline"):
                blocks.append(Paragraph((Span(token.content.rstrip("\n")),), self.where(token)))
            index = end + 1
        return blocks

    @staticmethod
    def _close(tokens: list[Token], index: int) -> int:
        """Index of the token closing the one at `index` (itself when it does not nest)."""
        if tokens[index].nesting != 1:
            return index
        depth = 0
        for position in range(index, len(tokens)):
            depth += tokens[position].nesting
            if depth == 0:
                return position
        return len(tokens) - 1

    def _list(self, tokens: list[Token], opener: Token) -> ListBlock:
        items = []
        index = 0
        while index < len(tokens):
            end = self._close(tokens, index)
            if tokens[index].type == "list_item_open":
                items.append(tuple(self.read(tokens[index + 1: end])))
            index = end + 1
        start = int(opener.attrs.get("start", 1)) if opener.type == "ordered_list_open" else 1
        return ListBlock(tuple(items), opener.type == "ordered_list_open", start, self.where(opener))

    def _paragraph(self, inline: Token, opener: Token) -> list[Block]:
        """A paragraph; an image alone in it is a figure, captioned by its alt text."""
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        where = self.where(opener)
        if len(children) == 1 and children[0].type == "image":
            return [self._figure(children[0], where)]
        blocks: list[Block] = []
        pending: list[Token] = []
        for child in inline.children or []:
            if child.type == "image":  # an image inside running text: set it after the text
                blocks.append(self._figure(child, where))
            else:
                pending.append(child)
        spans = self._spans(pending)
        if plain_text(spans).strip():
            blocks.insert(0, Paragraph(spans, where))
        return blocks

    def _figure(self, token: Token, where: Location) -> Figure:
        src = str(token.attrs.get("src", ""))
        if not src.strip():
            raise BookletError("an image without a file name: write ![caption](photo.jpg)", where.path, where.line)
        if re.match(r"(?i)[a-z][a-z0-9+.-]*://", src):
            raise BookletError(f"images are not downloaded: save {src} beside the Markdown file and name "
                               "the saved file", where.path, where.line)
        src = unquote(src)  # markdown-it writes `my photo.jpg` as my%20photo.jpg
        width = token.attrs.get("width")
        fraction = None
        if width is not None:
            match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%?\s*", str(width))
            if not match or not 0 < float(match.group(1)) <= 100:
                raise BookletError(f"image width must be a percentage such as 60%, not {width!r}",
                                   where.path, where.line)
            fraction = float(match.group(1)) / 100
        classes = str(token.attrs.get("class", "")).split()
        caption = self._spans(token.children or [])
        return Figure(image=self.document.path.parent / src, caption=caption, where=where,
                      width=fraction, full_page="full" in classes)

    def inlines(self, inline: Token) -> tuple[Inline, ...]:
        return self._spans(inline.children or [])

    def _spans(self, children: list[Token]) -> tuple[Inline, ...]:
        spans: list[Inline] = []
        bold = italic = 0
        link: str | None = None
        clickable: str | None = None  # only absolute URLs become PDF links: a PDF has no "relative"
        link_start = 0
        for child in children:
            kind = child.type
            if kind in ("text", "html_inline"):
                spans.append(Span(child.content, bold > 0, italic > 0, False, clickable))
            elif kind == "softbreak":
                spans.append(Span(" ", bold > 0, italic > 0, False, clickable))
            elif kind == "hardbreak":
                spans.append(LineBreak())
            elif kind == "code_inline":
                spans.append(Span(child.content, bold > 0, italic > 0, True, clickable))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                link = str(child.attrs.get("href", ""))
                link_start = len(spans)
                clickable = _clickable(link)
            elif kind == "link_close":
                shown = plain_text(tuple(spans[link_start:]))
                target = link or ""
                # as written, not as markdown-it encodes it (%3C, punycode) for the PDF link
                printable = normalizeLinkText(target).removeprefix("mailto:")
                if printable and printable not in shown:
                    # paper has no links: print where it goes
                    spans.append(Span(f" ({printable})", bold > 0, italic > 0, False, clickable))
                link = clickable = None
            elif kind == "image":  # an image inside a link or heading: keep its alt text
                spans.append(Span(plain_text(self._spans(child.children or [])), bold > 0, italic > 0, False,
                                  clickable))
        return tuple(spans)
