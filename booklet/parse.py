"""`BookletSource` → `Booklet`: YAML metadata checked into `Metadata`, Markdown tokens into blocks.

Markdown is CommonMark as markdown-it-py reads it, with the typographer (language-specific
quotes, dashes, ellipsis), its GFM tables and strikethrough, and mdit-py-plugins' attrs
(`{width="60%"}`, `{.full}` on images), footnotes (`[^1]`, `^[inline]`), definition lists and
task lists. HTML comments are left out; other raw HTML is printed as written, with a warning,
as is any Markdown these do not read (a table without its `|---|` line, a note never defined).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt, rules_core
from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from .errors import BookletError, BookletErrors, Collector, Problem
from .model import (
    Article, Block, Booklet, CodeBlock, CoverPage, Definition, DefinitionList, Figure, Footnote, Heading, Inline,
    LineBreak, ListBlock, Location, Metadata, NoteRef, Paragraph, Quote, Remark, SectionBreak, Span, Table,
    plain_text,
)
from .sources import BOOKLET_FILE, BookletSource, MarkdownSource

METADATA_KEYS = ("title", "subtitle", "author", "publisher", "date", "edition", "language",
                 "contacts", "layout", "cover_image", "direction", "cover", "back")
ARTICLE_KEYS = ("title", "date", "author", "language")
FOLDER_KEYS = ("articles",)
"""booklet.yaml's keys that sources.py reads (and takes out): in a single file's front matter
they mean nothing, and a misspelt one is still close to them."""

QUOTES = {
    "en": "“”‘’",
    "uk": "«»„“",
    "ru": "«»„“",
    "de": "„“‚‘",
    "fr": "«»‹›",
    "pl": "„”‚’",
}
"""Typographic quotes per language (double open/close, single open/close)."""

EM_DASH_LANGUAGES = frozenset({"uk", "ru", "be"})
"""Languages whose dash between words (тире) is the em dash: there a spaced `--` becomes —, not
the – that markdown-it's typographer makes of it (`---` gives — in every language)."""

_SPACED_DOUBLE_HYPHEN = re.compile(r"(?<!\S)--(?!\S)")

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF)
                                           for plane in range(17))
UNPRINTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters other than tab and line ends
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides and isolates
    "\u180e\u2061-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"  # other format controls, a stray byte order mark
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    + _NONCHARACTERS + "]")
"""Characters that steer other software and draw nothing: controls, the format characters
(Unicode category Cf) that booklet has no use for, and the noncharacters (U+FFFE, …). No font
draws them, so they would print as empty boxes; they are left out, and the preflight warns about
each line that has one. Kept: the soft hyphen, zero-width space, (non-)joiners and word joiner,
which booklet or the fonts handle, and the visible Arabic and Kaithi number signs (also Cf)."""

# `{width=60%}` is what people write; the attrs plugin only accepts a quoted "60%".
_UNQUOTED_PERCENT = re.compile(r'(\{[^}\n]*\bwidth=)(\d+(?:\.\d+)?%)')


def parse_booklet(source: BookletSource) -> Booklet:
    """Metadata and articles; the errors of all of them are raised together (BookletErrors)."""
    booklet, problems = read_booklet(source)
    if problems:
        raise BookletErrors(problems)
    assert booklet is not None
    return booklet


def read_booklet(source: BookletSource) -> tuple[Booklet | None, list[Problem]]:
    """The booklet and every error found while reading it: a wrong field of the metadata or of
    an article's front matter is left empty, so that everything else can be checked all the
    same; an article that cannot be read at all is left out. None when there is no text."""
    errors = Collector()
    errors.problems += source.problems
    metadata = read_metadata(source.metadata, source.metadata_where, errors)
    language = metadata.language
    articles: list[Article] = []
    remarks = _listing_remarks(source)
    for document in source.documents:
        with errors.attempt():
            if source.single_file:
                reader = _Blocks(document, language)
                articles.extend(_split_single_file(document, language, reader))
                errors.problems += reader.errors.problems
                remarks += reader.finish()
            else:
                article, problems, article_remarks = _parse_article_file(document, language)
                articles.append(article)
                errors.problems += problems
                remarks += article_remarks
    covers: dict[str, CoverPage | None] = {}
    for key in ("cover", "back"):
        with errors.attempt():
            covers[key] = _cover_page(key, source, language, remarks)
    metadata = replace(metadata, **covers)
    articles = [a for a in articles if a.blocks or a.title]
    if not articles:
        if not errors.problems:
            errors.problems.append(Problem("the booklet has no text", source.metadata_where.path))
        return None, errors.problems
    booklet = Booklet(name=source.name, metadata=metadata, articles=tuple(articles), remarks=tuple(remarks))
    return booklet, errors.problems


def _listing_remarks(source: BookletSource) -> list[Remark]:
    """What the `articles:` list of booklet.yaml leaves out or prints more than once: a Markdown
    file of the folder not in it, a file listed twice, the cover's or back's file listed too."""
    where = source.metadata_where
    listed = Location(where.path, key_line(where, "articles"))
    remarks = [Remark(f"{path.name} is not in the 'articles' list of {where.path.name}, so it is left out of the "
                      "booklet; add it to the list to print it", listed) for path in source.unlisted]
    remarks += [Remark(f"{path.name} is listed {times} times in the 'articles' of {where.path.name}, so it is "
                       f"printed {times} times; list it once to print it once", listed)
                for path, times in source.repeated]
    articles = {document.path.resolve() for document in source.documents}
    remarks += [Remark(f"{cover.path.name} is the {'front' if key == 'cover' else 'back'} cover and in the 'articles' "
                       f"of {where.path.name} too, so it is printed twice; take it out of the list",
                       Location(where.path, key_line(where, key)))
                for key, cover in source.covers.items() if not source.single_file and cover.path.resolve() in articles]
    return remarks


# --- metadata -------------------------------------------------------------


def parse_metadata(data: dict[str, Any], where: Location) -> Metadata:
    """Booklet metadata, every key checked; all mistakes are raised together (BookletErrors)."""
    errors = Collector()
    metadata = read_metadata(data, where, errors)
    errors.raise_any()
    return metadata


def read_metadata(data: dict[str, Any], where: Location, errors: Collector) -> Metadata:
    """Booklet metadata, every key checked; each mistake goes to `errors` and its field is left
    empty, so that the rest of the booklet can still be checked."""
    with errors.attempt():
        _check_keys(data, METADATA_KEYS, where, "metadata", suggested=FOLDER_KEYS)
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
        written = _text(data, "direction", where) or "ltr"
        if written not in ("ltr", "rtl"):
            raise BookletError(f"'direction' must be ltr or rtl (the booklet binds on the right), not {written!r}",
                               where.path, key_line(where, "direction"))
        direction = written
    contacts = data.get("contacts", [])
    if isinstance(contacts, str):
        contacts = [contacts]
    if not isinstance(contacts, list) or not all(isinstance(c, str) for c in contacts):
        with errors.attempt():
            raise BookletError("'contacts' must be a list of lines", where.path, key_line(where, "contacts"))
        contacts = []
    for key in TYPESET_METADATA:
        if texts[key]:
            texts[key] = typographic(texts[key], language or "en")
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
        contacts=tuple(contacts),
        layout=texts["layout"],
        cover_image=(base / cover) if cover else None,
        direction=direction,
        lines=tuple((key, line) for key, line in key_lines(where).items() if key in data),
    )


COVER_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".svg")


def _cover_page(key: str, source: BookletSource, language: str, remarks: list[Remark]) -> CoverPage | None:
    """`cover:` or `back:` → the user's own page (None: the built-in one). `cover: full` sets the
    built-in front cover over a full-page `cover_image`. A Markdown page's remarks join `remarks`."""
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
        article, problems, cover_remarks = _parse_article_file(source.covers[key], language)
        if problems:
            raise BookletErrors(list(problems))
        if article.notes:  # regression: the call printed, the note was lost
            note = article.notes[0].where
            raise BookletError(f"a footnote on the {'front' if key == 'cover' else 'back'} cover cannot be printed "
                               "(a cover page has no foot for notes): write it into the text", note.path, note.line)
        remarks += cover_remarks
        return CoverPage("markdown", line, path, article)
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


def _check_keys(data: dict[str, Any], allowed: tuple[str, ...], where: Location, what: str,
                suggested: tuple[str, ...] = ()) -> None:
    """Every unknown key is an error, with the closest of the known and `suggested` keys as a
    suggestion."""
    errors = Collector()
    for key in data:
        if key in suggested:
            with errors.attempt():
                raise BookletError(f"{key!r} belongs in the {BOOKLET_FILE} of a booklet folder: in a single "
                                   "Markdown file every level-1 heading starts an article",
                                   where.path, key_line(where, key))
        elif key not in allowed:
            close = difflib.get_close_matches(str(key), (*allowed, *suggested), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(allowed)}"
            with errors.attempt():
                raise BookletError(f"unknown {what} key {key!r}{hint}", where.path, key_line(where, key))
    errors.raise_any()


def _text(data: dict[str, Any], key: str, where: Location, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required and where.path.is_dir():  # a folder without booklet.yaml
            raise BookletError(f"the booklet has no {key}: write it in a booklet.yaml in this folder "
                               f"(`{key}: ...`)", where.path)
        if required:
            raise BookletError(f"the {key!r} is missing (add `{key}: ...`)", where.path, where.line)
        return None
    if not isinstance(value, str):
        raise BookletError(f"{key!r} must be text, not {type(value).__name__}", where.path, key_line(where, key))
    if required and not value.strip():
        raise BookletError(f"the {key!r} is empty", where.path, key_line(where, key))
    return UNPRINTED.sub("", value).strip()


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
    return key_lines(where).get(key, where.line)


def key_lines(where: Location) -> dict[str, int]:
    """The line of each top-level `key:` in the YAML file or front matter at `where` (its first)."""
    try:
        lines = where.path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return {}
    found: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        key, colon, _ = line.partition(":")
        if colon and key and not key[0].isspace():
            found.setdefault(key, number)
    return found


# --- articles -------------------------------------------------------------


_ARTICLES: dict[tuple, tuple[Article, tuple[Problem, ...], tuple[Remark, ...]]] = {}
"""Articles already parsed in this process, with their errors and remarks, by everything they
are parsed from: `booklet watch` parses again only the file that was saved."""


def _parse_article_file(document: MarkdownSource, language: str
                        ) -> tuple[Article, tuple[Problem, ...], tuple[Remark, ...]]:
    key = (document.path, document.text, repr(document.front_matter), document.body_line, language)
    parsed = _ARTICLES.get(key)
    if parsed is None:
        if len(_ARTICLES) > 256:
            _ARTICLES.clear()
        errors = Collector()
        reader = _Blocks(document, language)
        article = _parse_article(document, language, reader, errors)
        problems = (*errors.problems, *reader.errors.problems)
        parsed = _ARTICLES[key] = (article, problems, tuple(reader.finish()))
    return parsed


def _parse_article(document: MarkdownSource, language: str, reader: "_Blocks", errors: Collector) -> Article:
    front = document.front_matter
    where = Location(document.path, 1)
    fields: dict[str, str | None] = dict.fromkeys(ARTICLE_KEYS)
    with errors.attempt():
        _check_keys(front, ARTICLE_KEYS, where, "article")
    for key in ARTICLE_KEYS:
        with errors.attempt():
            fields[key] = _language(front, where) if key == "language" else _text(front, key, where)
    language = fields["language"] or language
    for key in ("title", "date", "author"):
        if fields[key]:
            fields[key] = typographic(fields[key], language)
    reader.language = language
    tokens = reader.tokens(document.text)
    title = fields["title"]
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        if title is None:
            with reader.errors.attempt():
                title = reader.title(tokens[1])
            tokens = tokens[3:]
        else:  # two titles: a writer who meant one finds out here, not on paper
            reader.remark(f"the article's title is the front matter's ({title}); the '# {tokens[1].content}' "
                          f"heading under it is printed as a section heading", reader.where(tokens[0]))
    blocks = reader.read(tokens)
    return Article(title=title, blocks=tuple(blocks), where=where, date=fields["date"], author=fields["author"],
                   language=language, notes=reader.article_notes())


def _split_single_file(document: MarkdownSource, language: str, reader: "_Blocks") -> list[Article]:
    """Level-1 headings start articles; text before the first one is an untitled preface.

    A paragraph right after the heading that is all emphasis (`*September 6, 2024*`)
    is the article's dateline. Footnotes are numbered afresh in each article. Only a heading
    of the document's own level starts an article: one inside a list item or a quote is part
    of it (a heading there, as in a folder booklet). Regression: `- # bravo` cut the list in
    two (IndexError, or "bravo" made an article and the items after it lost).
    """
    tokens = reader.tokens(document.text)
    starts = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1" and t.level == 0]
    articles = []
    preface = tokens[: starts[0]] if starts else tokens
    if preface:
        blocks = tuple(reader.read(preface))
        articles.append(Article(None, blocks, Location(document.path, document.body_line), language=language,
                                notes=reader.article_notes()))
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(tokens)
        title = None
        with reader.errors.attempt():
            title = reader.title(tokens[start + 1])
        body = tokens[start + 3: end]
        date = _dateline(body)
        if date is not None:
            body = body[3:]
        blocks = tuple(reader.read(body))
        articles.append(Article(title, blocks, reader.where(tokens[start]), date=date, language=language,
                                notes=reader.article_notes()))
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
    return _UNQUOTED_PERCENT.sub(r'\1"\2"', UNPRINTED.sub("", text))


TYPESET_METADATA = ("title", "subtitle", "author", "publisher", "date")
"""The metadata that is text to read (contacts and the edition are left as written)."""


def typographic(text: str, language: str) -> str:
    """Text from YAML (a title, an author, a date) with the quotes, dashes and ellipses that
    the typographer gives Markdown text, so that a title in front matter prints as the same
    title written as a `#` heading does."""
    token = Token("text", "", 0)
    token.content = text
    with_typographer([token], language)
    return token.content


def with_typographer(children: list[Token], language: str) -> None:
    """Give inline tokens that markdown-it's typographer does not reach (YAML text, an image's
    alt text, which is a caption) its quotes, dashes and ellipses, in place."""
    inline = Token("inline", "", 0)
    inline.content, inline.children = "".join(child.content for child in children), children
    md = _markdown(language)
    state = rules_core.StateCore("", md, {})
    state.tokens = [inline]
    for rule in md.core.ruler.getRules(""):  # the typographer's rules, on these tokens
        if rule in (_em_dashes, rules_core.replace, rules_core.smartquotes):
            rule(state)


def _em_dashes(state: rules_core.StateCore) -> None:
    """A core rule: a spaced `--` in text (not in code or HTML) becomes an em dash."""
    for token in state.tokens:
        if token.type == "inline":
            for child in token.children or []:
                if child.type == "text" and "--" in child.content:
                    child.content = _SPACED_DOUBLE_HYPHEN.sub("—", child.content)


@cache
def _markdown(language: str) -> MarkdownIt:
    quotes = QUOTES.get(language.split("_")[0], QUOTES["en"])
    # "html": markdown-it then hands raw HTML over as html_inline / html_block tokens, which
    # smartquotes and replacements never touch, so it prints exactly as written (with HTML
    # off it was plain text: `<img src="/etc/passwd"/>` came out with “ ”), and comments
    # reach us as HTML to be left out. Nothing is interpreted: the other tokens become text.
    md = MarkdownIt("commonmark", {"typographer": True, "html": True, "quotes": quotes})
    md.enable(["replacements", "smartquotes", "table", "strikethrough"])
    if language.split("_")[0] in EM_DASH_LANGUAGES:
        md.core.ruler.before("replacements", "em_dashes", _em_dashes)
    return md.use(attrs_plugin).use(footnote_plugin).use(deflist_plugin).use(tasklists_plugin)


_COMMENTS = re.compile(r"\s*(<!--.*?-->\s*)+", re.S)
_CHECKBOX = "task-list-item-checkbox"
_LINE_BREAK_TAG = re.compile(r"(?i)<br\s*/?>")
_NOTE_CALL = re.compile(r"\[\^[^\]\s]+\]")
_NOTE_DEFINITION = re.compile(r" {0,3}\[\^([^\]\s]+)\]:")
_ATTRIBUTES_AS_TEXT = re.compile(r"\{\s*(?:\.full\b|width\s*=)")  # {width=…} or {.full} the attrs plugin did not take
_IMAGE_ATTRIBUTES = frozenset(("src", "alt", "title", "width", "class"))
_ALIGNS = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _is_comment(html: str) -> bool:
    return bool(_COMMENTS.fullmatch(html))


class _Blocks:
    """Turns a flat markdown-it token stream into nested model blocks, numbering each article's
    footnotes in the order of their first calls, and keeping remarks on what it prints as written."""

    def __init__(self, document: MarkdownSource, language: str):
        self.document = document
        self.language = language
        self.remarks: list[Remark] = []
        self.definitions: dict[int, tuple[list[Token], str | None]] = {}  # note id → (tokens, label)
        self.numbers: dict[int, int] = {}  # note id → its number in the current article
        self.calls: dict[int, Location] = {}  # note id → where it is first called
        self.errors = Collector()  # a block that cannot be read is left out, the next one read all the same

    def where(self, token: Token) -> Location:
        line = token.map[0] + self.document.body_line if token.map else None
        return Location(self.document.path, line)

    def remark(self, message: str, where: Location) -> None:
        self.remarks.append(Remark(message, where))

    def tokens(self, text: str) -> list[Token]:
        """The document's tokens, its footnote definitions taken out (kept for `article_notes`)."""
        env: dict = {}
        prepared = _prepare(text)
        tokens = _markdown(self.language).parse(prepared, env)
        defined: dict[str, list[int]] = {}  # a label → the lines defining it
        for number, source in enumerate(prepared.splitlines()):
            match = _NOTE_DEFINITION.match(source)
            if match:
                defined.setdefault(match.group(1), []).append(number + self.document.body_line)
        for label, lines in defined.items():
            if len(lines) > 1:
                self.remark(f"footnote [^{label}] is written {len(lines)} times (also at line "
                            f"{', '.join(map(str, lines[1:]))}): only one is printed; give each its own label",
                            Location(self.document.path, lines[0]))
        for label, note_id in env.get("footnotes", {}).get("refs", {}).items():
            if note_id < 0:  # defined, never called: the plugin drops it without a word
                label = label.removeprefix(":")
                where = Location(self.document.path, defined.get(label, [None])[0])
                self.remark(f"footnote [^{label}] is never called, so it is left out; call it with [^{label}] "
                            "in the text", where)
        if tokens and tokens[-1].type == "footnote_block_close":
            start = max(i for i, t in enumerate(tokens) if t.type == "footnote_block_open")
            block, tokens = tokens[start + 1:-1], tokens[:start]
            index = 0
            while index < len(block):
                end = self._close(block, index)
                if block[index].type == "footnote_open":
                    body = [t for t in block[index + 1:end] if t.type != "footnote_anchor"]
                    for token in body:  # the back-reference arrow is HTML's, not paper's
                        if token.children:
                            token.children = [c for c in token.children if c.type != "footnote_anchor"]
                    self.definitions[block[index].meta["id"]] = (body, block[index].meta.get("label"))
                index = end + 1
        return tokens

    def article_notes(self) -> tuple[Footnote, ...]:
        """The footnotes called in the article just read; numbering starts afresh after it."""
        notes: list[Footnote] = []
        done: set[int] = set()
        while len(done) < len(self.numbers):  # a note's text may call further notes
            for note_id, number in sorted(self.numbers.items(), key=lambda item: item[1]):
                if note_id in done:
                    continue
                done.add(note_id)
                body, _ = self.definitions.get(note_id, ([], None))
                where = next((self.where(t) for t in body if t.map), self.calls[note_id])
                notes.append(Footnote(number, tuple(self.read(body)), where))
        self.numbers = {}
        return tuple(sorted(notes, key=lambda note: note.number))

    def finish(self) -> list[Remark]:
        """The remarks on the whole document."""
        return self.remarks

    def read(self, tokens: list[Token]) -> list[Block]:
        blocks: list[Block] = []
        index = 0
        while index < len(tokens):
            end = self._close(tokens, index)
            with self.errors.attempt():
                blocks.extend(self._block(tokens, index, end))
            index = end + 1
        return blocks

    def _block(self, tokens: list[Token], index: int, end: int) -> list[Block]:
        """The blocks made of tokens[index:end + 1]: one, none (a comment) or, for a paragraph
        with images in it, several."""
        token = tokens[index]
        kind = token.type
        if kind == "paragraph_open":
            return self._paragraph(tokens[index + 1], token)
        if kind == "heading_open":
            level = min(max(int(token.tag[1]), 2), 4)  # an h1 inside an article reads as h2
            return [Heading(level, self.inlines(tokens[index + 1]), self.where(token))]
        if kind == "blockquote_open":
            return [Quote(tuple(self.read(tokens[index + 1: end])), self.where(token))]
        if kind in ("bullet_list_open", "ordered_list_open"):
            return [self._list(tokens[index + 1: end], token)]
        if kind == "table_open":
            return [self._table(tokens[index + 1: end], token)]
        if kind == "dl_open":
            return [self._definitions(tokens[index + 1: end], token)]
        if kind in ("fence", "code_block"):
            return [CodeBlock(token.content.rstrip("\n"), self.where(token))]
        if kind == "hr":
            return [SectionBreak(self.where(token))]
        if kind == "html_block" and _is_comment(token.content):
            return []  # an HTML comment: a note to the writer, not for the page
        if kind in ("html_block", "text", "inline"):
            if kind == "html_block":
                self.remark("raw HTML is printed as written (booklet does not interpret HTML)",
                            self.where(token))
            return [Paragraph((Span(token.content.rstrip("\n")),), self.where(token))]
        self.remark(f"Markdown that booklet does not print ({kind.removesuffix('_open')}) is left out",
                    self.where(token))
        return []

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
        checks: list[bool | None] = []
        index = 0
        while index < len(tokens):
            end = self._close(tokens, index)
            if tokens[index].type == "list_item_open":
                item = tokens[index + 1: end]
                checks.append(self._take_checkbox(item))
                items.append(tuple(self.read(item)))
            index = end + 1
        start = int(opener.attrs.get("start", 1)) if opener.type == "ordered_list_open" else 1
        return ListBlock(tuple(items), opener.type == "ordered_list_open", start, self.where(opener),
                         checks=tuple(checks) if any(c is not None for c in checks) else ())

    @staticmethod
    def _take_checkbox(item: list[Token]) -> bool | None:
        """Whether a task list item is done (its box is taken out of its text); None if it has none."""
        inline = next((t for t in item if t.type == "inline"), None)
        children = inline.children if inline is not None else None
        if not children or children[0].type != "html_inline" or _CHECKBOX not in children[0].content:
            return None
        done = "checked" in children[0].content
        inline.children = children[1:]
        if inline.children and inline.children[0].type == "text":
            inline.children[0].content = inline.children[0].content.lstrip()
        return done

    def _table(self, tokens: list[Token], opener: Token) -> Table:
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        aligns: list[str] = []
        cells: list[tuple[Inline, ...]] = []
        for token in tokens:
            if token.type == "tr_open":
                cells = []
            elif token.type in ("th_open", "td_open") and not rows:
                aligns.append(_ALIGNS.get(str(token.attrs.get("style", "")), "left"))
            elif token.type == "inline":
                cells.append(self.inlines(token))
            elif token.type == "tr_close":
                rows.append(tuple(cells))
        columns = len(rows[0])
        body = tuple(row + ((),) * (columns - len(row)) for row in rows[1:])
        return Table(rows[0], body, tuple(aligns[:columns]), self.where(opener))

    def _definitions(self, tokens: list[Token], opener: Token) -> DefinitionList:
        items: list[Definition] = []
        index = 0
        while index < len(tokens):
            end = self._close(tokens, index)
            kind = tokens[index].type
            if kind == "dt_open":
                items.append(Definition(self.inlines(tokens[index + 1]), ()))
            elif kind == "dd_open" and items:
                last = items[-1]
                items[-1] = Definition(last.term, (*last.descriptions, tuple(self.read(tokens[index + 1: end]))))
            index = end + 1
        return DefinitionList(tuple(items), self.where(opener))

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
        spans = self._spans(pending, where)
        if plain_text(spans).strip() or any(isinstance(s, NoteRef) for s in spans):
            blocks.insert(0, Paragraph(spans, where))
        # inline code is printed as written on purpose: `[^1]` there is no footnote left unmade
        prose = tuple(s for s in spans if not (isinstance(s, Span) and s.code))
        self._leftover_syntax(inline.content, plain_text(prose), where)
        return blocks

    def _leftover_syntax(self, source: str, printed: str, where: Location) -> None:
        """Remarks on Markdown that was read as plain text and will be printed as written."""
        lines = source.splitlines()
        if len(lines) > 1 and sum(line.strip().startswith("|") and line.count("|") > 1 for line in lines) > 1:
            self.remark("this looks like a table but is printed as text: a table needs a line such as "
                        "|---|---| right under its header row", where)
        for call in dict.fromkeys(_NOTE_CALL.findall(printed)):
            self.remark(f"footnote {call} has no text, so it is printed as written; add a line "
                        f"`{call}: the note` to the file", where)
        if _ATTRIBUTES_AS_TEXT.search(printed):
            self.remark("image attributes are printed as text: write them right after the image, without a "
                        "space and in double quotes, as ![caption](photo.jpg){width=\"60%\"}", where)
        if re.search(r"!\[[^\]]*\]\([^)<>]*\s[^)]*\)", printed):
            self.remark("an image whose file name has spaces is printed as text: write the name in "
                        "<…>, as ![caption](<my photo.jpg>)", where)

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
        for unknown in sorted(set(token.attrs) - _IMAGE_ATTRIBUTES):
            close = difflib.get_close_matches(unknown, ["width"], n=1)
            self.remark(f"image attribute {unknown!r} is left out{f' (did you mean {close[0]!r}?)' if close else ''}: "
                        "an image takes {width=\"60%\"} and {.full}", where)
        classes = str(token.attrs.get("class", "")).split()
        caption = self._caption(token, where)
        return Figure(image=self.document.path.parent / src, caption=caption, where=where,
                      width=fraction, full_page="full" in classes)

    def _caption(self, image: Token, where: Location) -> tuple[Inline, ...]:
        """An image's alt text, with the quotes and dashes of the text around it (markdown-it's
        typographer does not go into an image's children)."""
        with_typographer(image.children or [], self.language)
        return self._spans(image.children or [], where)

    def inlines(self, inline: Token) -> tuple[Inline, ...]:
        return self._spans(inline.children or [], self.where(inline))

    def title(self, inline: Token) -> str:
        """An article's title heading as text. A footnote called there has no place to print
        (the title is also a contents line and a bookmark): an error, not a note lost."""
        inlines = self.inlines(inline)
        if any(isinstance(i, NoteRef) for i in inlines):
            where = self.where(inline)
            raise BookletError("a footnote is called in an article's title, where it cannot be printed (the title is "
                               "also its contents line): call it from the text", where.path, where.line)
        return plain_text(inlines)

    def _note_call(self, token: Token, where: Location) -> NoteRef:
        note_id = token.meta["id"]
        self.calls.setdefault(note_id, where)
        number = self.numbers.setdefault(note_id, len(self.numbers) + 1)
        return NoteRef(number)

    def _spans(self, children: list[Token], where: Location) -> tuple[Inline, ...]:
        spans: list[Inline] = []
        bold = italic = strike = 0
        link: str | None = None
        clickable: str | None = None  # only absolute URLs become PDF links: a PDF has no "relative"
        link_start = 0

        def span(text: str, code: bool = False) -> Span:
            return Span(text, bold > 0, italic > 0, code, clickable, strike > 0)

        for child in children:
            kind = child.type
            if kind == "html_inline" and _is_comment(child.content):
                continue
            if kind == "html_inline" and _LINE_BREAK_TAG.fullmatch(child.content):
                spans.append(LineBreak())  # <br> is how people break a line in a table cell
            elif kind == "html_inline":
                self.remark(f"raw HTML {child.content[:30]!r} is printed as written (booklet does not "
                            "interpret HTML)", where)
                spans.append(span(child.content))
            elif kind == "text":
                spans.append(span(child.content))
            elif kind == "softbreak":
                spans.append(span(" "))
            elif kind == "hardbreak":
                spans.append(LineBreak())
            elif kind == "code_inline":
                spans.append(span(child.content, code=True))
            elif kind == "footnote_ref":
                spans.append(self._note_call(child, where))
            elif kind == "s_open":
                strike += 1
            elif kind == "s_close":
                strike -= 1
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
                # as written, not as markdown-it encodes it (%3C, punycode) for the PDF link
                printable = normalizeLinkText(link or "").removeprefix("mailto:")
                bare = re.sub(r"(?i)^[a-z]+://", "", printable).rstrip("/")  # example.org shows it already
                if clickable and bare not in shown:
                    # paper has no links: print where it goes (an #anchor or a file of the
                    # booklet's folder means nothing there)
                    spans.append(span(f" ({printable})"))
                link = clickable = None
            elif kind == "image":  # an image inside a link, a heading or a table cell: keep its alt text
                alt = plain_text(self._caption(child, where))
                spans.append(span(alt))
                self.remark(f"the image {child.attrs.get('src', '')} inside a link, a heading or a table cell is "
                            f"printed as its text ({alt!r}): give it a paragraph of its own", where)
        return tuple(spans)
