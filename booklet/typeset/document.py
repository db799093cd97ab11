"""A `Booklet` and its `Layout` → the reading PDF: cover and contents, articles, blanks, back cover.

Pages are numbered physically (the cover is page 1). The contents' page numbers are drawn
as PDF form XObjects that each article defines when its first page is drawn, so one layout
pass is enough. Blank pages are added before the back cover until the page count is a
multiple of the pages on one printed sheet.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from pathlib import Path
from textwrap import shorten
from typing import Callable, Mapping

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFName
from reportlab.platypus import BaseDocTemplate, DDIndenter, Flowable, Frame, ListFlowable, NextPageTemplate, PageBreak
from reportlab.platypus import PageTemplate, Spacer
from reportlab.platypus.doctemplate import LayoutError, _ktAllow

from ..errors import BookletError
from ..fonts import FontFamily, face_name, fallback_faces, split_by_face, string_width
from ..images import Prepared
from ..layouts import Layout
from ..model import Article, Booklet, Figure, Location, Metadata, article_blocks
from ..paper import MM
from . import linecache
from .cover import back_cover, front_cover
from .figures import flush_figures, forgive_postponed
from .makeup import HEAD_SINK, fill_faults, make_pages
from .notes import NotesTooTall, page_notes
from .paragraph import KeepWithLines, TypesetParagraph
from .story import StoryContext, article_flowables, style_face, text_paragraph

PAGES_PER_SHEET = 8  # two sides of four pages: the padding unit
MAX_STEPS_PER_PAGE = 5000
"""Platypus steps (placing, splitting, postponing a flowable, an action) on one page: a full
page of short list items and their splits takes a few hundred."""

rl_config.useA85 = 0  # binary streams: smaller files, and no slow ASCII85 encoding of images


@dataclass(frozen=True)
class TypesetBooklet:
    """The reading PDF and what was learned while laying it out (page numbers are 1-based)."""

    pdf: bytes
    page_count: int
    article_pages: tuple[tuple[str, int], ...]  # (title, first page number) per titled article
    blank_pages: tuple[int, ...]


def typeset(booklet: Booklet, layout: Layout, images: Mapping[Path, Prepared],
            pages_per_sheet: int = PAGES_PER_SHEET) -> TypesetBooklet:
    """The booklet laid out with the text under every article head sunk alike: by the fewest
    whole lines (up to makeup.HEAD_SINK) that leave the fewest pages unfilled inside its
    articles, then the least that their readers notice (pages set a line short, broken at a
    stray line or mid-word under a turned leaf: makeup.fill_faults). Most booklets are laid out
    once; one whose articles whole lines cannot fill so (a title page that takes a line more,
    or less, than its spread wants) again, all its openings a line lower, then two: a
    compositor sinks every opening of a book alike, never one to fill its page. A sink tried
    again stops at the article where its faults reach the best's (faults only add up), so a
    booklet whose fault no sink mends is not laid out three times whole."""
    best: tuple[TypesetBooklet, tuple[int, float]] | None = None
    for sink in range(HEAD_SINK + 1 if any(article.title for article in booklet.articles) else 1):
        try:
            made = _typeset(booklet, layout, images, pages_per_sheet, sink, best[1] if best else None)
        except _NoBetter:
            continue
        if best is None or made[1] < best[1]:
            best = made
        if not any(best[1]):
            break
    return best[0]


class _NoBetter(Exception):
    """A sink's faults have reached those of a sink tried before: it cannot be chosen."""


def _typeset(booklet: Booklet, layout: Layout, images: Mapping[Path, Prepared], pages_per_sheet: int, sink: int,
             to_beat: tuple[int, float] | None = None) -> tuple[TypesetBooklet, tuple[int, float]]:
    """The booklet with its openings sunk `sink` lines, and its articles' faults (the sum of
    `makeup.fill_faults`); raises _NoBetter as soon as those reach `to_beat`."""
    buffer = BytesIO()
    meta = booklet.metadata
    doc = _BookletDocument(buffer, layout, meta.language)
    doc.to_beat = to_beat
    doc.title = meta.title
    doc.author = meta.author or ""
    doc.subject = meta.subtitle or ""
    doc.creator = "booklet"
    doc.producer = "booklet"
    story = _story(booklet, layout, images, pages_per_sheet, sink)
    cache = linecache.current()
    kept = cache.drawn if cache is not None else None
    try:
        with kept.compression() if kept is not None else nullcontext():
            doc.build(story)
    except PageBuilderStuck as exc:
        raise BookletError(f"internal error: the page layout made no progress ({exc}); please report "
                           f"this file", booklet.metadata.where.path) from exc
    except NotesTooTall as exc:
        raise BookletError(str(exc), booklet.metadata.where.path) from exc
    except LayoutError as exc:  # the preflight catches the known causes; this is the safety net
        raise too_large(doc, booklet) from exc
    for cover, first, last in (("front cover", 1, doc.marks["front cover"]),
                               ("back cover", doc.marks["back cover starts"], doc.marks["back cover"])):
        if first != last:
            page = meta.cover if cover == "front cover" else meta.back
            where = page.path if page is not None and page.kind == "markdown" else meta.where.path
            raise BookletError(f"the {cover} does not fit on one page (it runs over {last - first + 1}): "
                               f"shorten its text{' or the list of contacts' if page is None else ''}", where)
    return TypesetBooklet(
        pdf=buffer.getvalue(),
        page_count=doc.page,
        article_pages=tuple(doc.article_pages),
        blank_pages=tuple(doc.blank_pages),
    ), doc.faults


def too_large(doc: _BookletDocument, booklet: Booklet) -> BookletError:
    """The error for what Platypus could not place even on an empty page (a LayoutError, whose
    text names its own classes: "Splitting error(n==2) on page 1 in"): the words it begins with
    (the first paragraph in it) and the page, or the cover it is on, in the cover's own file."""
    meta = booklet.metadata
    pending, words = [doc.handling], None
    while pending and words is None:
        flowable = pending.pop(0)
        if isinstance(flowable, TypesetParagraph):
            words = "".join(run.text for run in flowable.runs)
        pending += [*getattr(flowable, "flowables", ()), *getattr(flowable, "_content", ())]
    what = "something" if words is None else f"the text “{shorten(words, 40, placeholder=' …')}”"
    layout = doc.layout
    tell = (f"does not fit in the page's text block ({layout.text_width / MM:.0f} × "
            f"{layout.text_height / MM:.0f} mm) and cannot be laid out: use a larger sheet or shorten it")
    cover = ("front cover", meta.cover) if "front cover" not in doc.marks else \
        ("back cover", meta.back) if "back cover starts" in doc.marks else None
    if cover is None:
        return BookletError(f"{what} on page {doc.page} {tell}", meta.where.path)
    name, page = cover
    where = page.where if page is not None and page.kind == "markdown" else _field_where(meta, words)
    return BookletError(f"{what} on the {name} {tell}", where.path, where.line)


def _field_where(meta: Metadata, words: str | None) -> Location:
    """Where the metadata field is written whose text `words` set on a built-in cover (a cover
    of nothing but them), or the metadata's own place when none is known."""
    lines = dict(meta.lines)
    fields = [(key, getattr(meta, key)) for key in ("title", "subtitle", "author", "publisher", "date", "edition")]
    fields += [("contacts", contact) for contact in meta.contacts]
    for key, text in fields:
        if words and text and text in words and key in lines:
            return Location(meta.where.path, lines[key])
    return meta.where


class _BookletDocument(BaseDocTemplate):
    """Mirrored margins (inner margin at the spine), the running marker, and bookkeeping."""

    def __init__(self, buffer: BytesIO, layout: Layout, language: str):
        self.layout = layout
        self.article_pages: list[tuple[str, int]] = []
        self.marks: dict[str, int] = {}  # _PageMark's
        self.handling: Flowable | None = None  # the flowable being placed (for `too_large`)
        self.blank_pages: list[int] = []
        self.faults: tuple[int, float] = (0, 0.0)  # the sum of its articles' makeup.fill_faults
        self.to_beat: tuple[int, float] | None = None  # faults at which to give up (`typeset`)
        self.marker_text = _PlainText(face_name(layout.fonts[layout.marker.font]), layout.marker.size,
                                      layout.fallback_fonts)
        body_font = face_name(layout.fonts["body"])
        super().__init__(
            buffer,
            pagesize=(layout.page_width, layout.page_height),
            leftMargin=layout.margins.inner, rightMargin=layout.margins.outer,
            topMargin=layout.margins.top, bottomMargin=layout.margins.bottom,
            invariant=1, initialFontName=body_font, lang=language.replace("_", "-"),
            displayDocTitle=1, keepTogetherClass=KeepWithLines,
        )
        frame = IndentAwareFrame(layout.margins.inner, layout.margins.bottom, layout.text_width, layout.text_height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
        self.addPageTemplates([
            PageTemplate("cover", [frame], onPage=self._mirror, autoNextPageTemplate="body"),
            PageTemplate("body", [frame], onPage=self._mirror, onPageEnd=self._marker),
            PageTemplate("blank", [frame], onPage=self._blank),
            PageTemplate("back", [frame], onPage=self._mirror),
        ])
        self.marker_hidden = False
        self._steps_page = self._steps = 0  # steps taken on the page numbered _steps_page

    def beforeDocument(self) -> None:
        """Open with the bookmarks (the articles) shown: /PageMode /UseOutlines; with bleed
        (layouts.bled), every page's MediaBox is its BleedBox and its TrimBox the finished page;
        bound on the right, viewers show two-page spreads from right to left (/Direction /R2L)."""
        self.canv.showOutline()
        if self.layout.binding == "right":
            self.canv.setViewerPreference("Direction", PDFName("R2L"))
        inset = self.layout.trim_inset
        if inset:
            width, height = self.layout.page_width, self.layout.page_height
            self.canv.setBleedBox((0, 0, width, height))
            self.canv.setTrimBox((inset, inset, width - inset, height - inset))

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables and isinstance(flowables[0], _TurnToBack):
            flowables[0:1] = flowables[0].page_breaks(self.page)
        elif flowables and isinstance(flowables[0], _Article):
            pages, faults = flowables[0].pages(self.layout, self.canv, self.page + 1)
            flowables[0:1] = pages
            self.faults = tuple(map(sum, zip(self.faults, faults)))
            if self.to_beat is not None and self.faults >= self.to_beat:
                raise _NoBetter
        forgive_postponed(self, flowables)
        self._watch_progress()
        self.handling = flowables[0] if flowables else None
        super().handle_flowable(flowables)

    def handle_pageEnd(self) -> None:
        page_notes(self, self.layout).finish_page(self.canv, self.frame)
        super().handle_pageEnd()

    def _watch_progress(self) -> None:
        """The bound on Platypus's retry loop within a page: fail with a clear error rather than
        spin. (Across pages, Platypus itself stops after ten empty pages in a row.)"""
        if self.page != self._steps_page:
            self._steps_page, self._steps = self.page, 0
        self._steps += 1
        if self._steps > MAX_STEPS_PER_PAGE:
            raise PageBuilderStuck(f"{MAX_STEPS_PER_PAGE} steps on page {self.page} without finishing it")

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:
        """Platypus's keepWithNext, extended to lists and without its endless loop.

        Platypus groups a kept flowable (a heading) with the next one in a KeepTogether, but no
        list may go into one, either side. So a list that ends in a kept flowable (a list item
        ending in a heading) is opened into its items when it comes up, and so is a list that
        follows a kept flowable (as Platypus itself opens a list that reaches a page foot): the
        heading then travels with the next item. When nothing can join (a figure follows, or the
        story ends), the kept flowable is kept no longer. Regression: a heading that ended a
        list item, followed by a list with another marker, was grouped alone, over and over:
        Platypus puts a split list item (a DDIndenter) back on the story instead of placing it,
        and the next step grouped it again, for ever.
        """
        while flowables and _is_list(flowables[0]) and _ends_kept(flowables[0]):
            flowables[0:1] = flowables[0].split(0, 0)  # its items (the sizes are not used)
        kept = 0
        while kept < len(flowables) and flowables[kept].getKeepWithNext() and _ktAllow(flowables[kept]):
            kept += 1
        if not kept:
            return
        if kept < len(flowables) and isinstance(flowables[kept], ListFlowable):
            flowables[kept:kept + 1] = flowables[kept].split(0, 0)
        elif kept == len(flowables) or not _ktAllow(flowables[kept]):
            flowables[kept - 1].keepWithNext = False  # through a DDIndenter, the flowable inside
        super().handle_keepWithNext(flowables)

    def _mirror(self, canvas, doc) -> None:
        """Odd (right-hand) pages have the inner margin on the left, even pages on the right."""
        margins = self.layout.margins
        x = margins.inner if self.page % 2 == 1 else margins.outer
        for frame in self.pageTemplate.frames:
            frame._x1 = x
        self.marker_hidden = False

    def _blank(self, canvas, doc) -> None:
        self.blank_pages.append(self.page)

    def _marker(self, canvas, doc) -> None:
        if self.marker_hidden:
            return
        marker, text = self.layout.marker, self.marker_text
        label = marker.format.format(n=self.page)
        frame = self.pageTemplate.frames[0]
        canvas.saveState()
        text.draw(canvas, frame._x1 + (frame._width - text.width(label)) / 2, marker.baseline, label)
        canvas.restoreState()


def _is_list(flowable: Flowable) -> bool:
    """A list, or a list inside an indent (a nested list is a list item holding a list)."""
    if isinstance(flowable, DDIndenter):
        return _is_list(flowable._flowable)
    return isinstance(flowable, ListFlowable)


def _ends_kept(flowable: Flowable) -> bool:
    """Whether the last thing in a (nested) list is to be kept with what follows the list."""
    if isinstance(flowable, DDIndenter):
        return _ends_kept(flowable._flowable)
    if isinstance(flowable, ListFlowable):
        return bool(flowable._content) and _ends_kept(flowable._content[-1])
    return bool(flowable.getKeepWithNext())


class PageBuilderStuck(LayoutError):
    """The page layout loops without finishing a page: a bug in booklet, told as one line."""


class IndentAwareFrame(Frame):
    """A frame that asks a flowable to split at the width it was wrapped to.

    ReportLab's Frame.split passes the frame's full width, not the width left inside a quote's
    indent that `add` uses; a paragraph or group that did not fit was then split as if wider,
    and its first part no longer fit (regression: "Splitting error(n==2)" for a heading at the
    foot of a page inside a quote).
    """

    def split(self, flowable: Flowable, canv) -> list[Flowable]:
        full = self._aW
        self._aW = self._getAvailableWidth()
        try:
            return super().split(flowable, canv)
        finally:
            self._aW = full


class _ArticleStart(Flowable):
    """Zero-size mark where an article begins: records its page, bookmark and contents number."""

    def __init__(self, index: int, title: str):
        super().__init__()
        self.index = index
        self.title = title
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        doc = canvas._doctemplate
        page = doc.page
        doc.article_pages.append((self.title, page))
        key = _article_key(self.index)
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(self.title, key, level=0)
        style = doc.layout.styles["toc"]
        # the form's box must hold the right-aligned number, which extends left of its origin
        canvas.beginForm(_toc_form(self.index), lowerx=-100, lowery=-20, upperx=10, uppery=50)
        canvas.setFont(face_name(doc.layout.fonts[style.font]), style.size)
        canvas.drawRightString(0, 0, str(page))
        canvas.endForm()


@dataclass(frozen=True)
class _PlainText:
    """Text drawn without the line breaker (the page marker, contents lines) in a face, and in
    the layout's fallback faces for the characters it lacks, as the text is: a title face
    without arrows or Greek letters would drop them unseen (the preflight refuses what no
    font has)."""

    face: str
    size: float
    fallbacks: tuple[FontFamily, ...]

    def pieces(self, text: str) -> list[tuple[str, str]]:
        return [(piece, font or self.face)
                for piece, font in split_by_face(text, self.face, partial(fallback_faces, self.fallbacks))]

    def width(self, text: str) -> float:
        return sum(string_width(piece, font, self.size) for piece, font in self.pieces(text))

    def draw(self, canvas, x: float, y: float, text: str) -> None:
        """Draw `text` from (x, y), choosing a face only where it changes."""
        for piece, font in self.pieces(text):
            if (canvas._fontname, canvas._fontsize) != (font, self.size):
                canvas.setFont(font, self.size)
            canvas.drawString(x, y, piece)
            x += string_width(piece, font, self.size)


class _TocEntry(Flowable):
    """One contents line: the title (wrapped if long, its turnover lines indented) and,
    right-aligned, its page number."""

    NUMBER_ROOM = "0000"

    def __init__(self, index: int, title: str, text: _PlainText, leading: float, space: float):
        super().__init__()
        self.index, self.title = index, title
        self.text, self.leading, self.space = text, leading, space
        self.turnover = text.size  # a title's second line indented an em: not read as the next entry

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.lines = _wrap(self.title, self.text, available_width - self.text.width(self.NUMBER_ROOM),
                           self.turnover)
        self.width = available_width
        self.height = len(self.lines) * self.leading + self.space
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.text.face, self.text.size)
        y = self.height - self.text.size
        for number, line in enumerate(self.lines):
            self.text.draw(canvas, self.turnover if number else 0.0, y, line)
            y -= self.leading
        y += self.leading
        canvas.saveState()
        canvas.translate(self.width, y)
        canvas.doForm(_toc_form(self.index))
        canvas.restoreState()
        canvas.linkRect("", _article_key(self.index), (0, y - 2, self.width, self.height), relative=1)


def _wrap(title: str, text: _PlainText, width: float, turnover: float = 0.0) -> list[str]:
    """The title in lines no wider than `width` (the lines after the first `turnover` less),
    filled word by word; a word longer than a line is broken between letters (regression: a
    very long title word ran past the margin in the contents)."""
    lines: list[str] = []
    line = ""
    for word in title.split():
        longer = f"{line} {word}" if line else word
        if line and text.width(longer) > width - (turnover if lines else 0.0):
            lines.append(line)
            longer = word
        line = longer
    result: list[str] = []
    for line in [*lines, line]:
        while text.width(line) > (room := width - (turnover if result else 0.0)) and len(line) > 1:
            cut = 1
            while cut < len(line) and text.width(line[:cut + 1]) <= room:
                cut += 1
            result.append(line[:cut])
            line = line[cut:].lstrip()
        result.append(line)
    return result


class _Article(Flowable):
    """Placeholder for an article's flowables; the document replaces it with the article's
    pages (page breaks chosen by `makeup`), once it knows the page the article starts on.

    `booklet watch` keeps each article's pages (`LineCache.articles`) by what they are made
    from: the article as parsed, the layout, its prepared images, its place among the titled
    articles, its first page number and its sink. An article that did not change since the last build
    then gets the pages it had, its flowables neither made nor measured again (`make` is
    called only when they are needed)."""

    def __init__(self, make: Callable[[], list[Flowable]], number: int, content: tuple, sink: int):
        super().__init__()
        self.make = make
        self.number = number  # its place in the booklet
        self.content = content  # what its pages are made from
        self.sink = sink  # lines its text is sunk under its head (makeup.measure)

    def pages(self, layout: Layout, canvas, first_page: int) -> tuple[list[Flowable], tuple[int, float]]:
        """Its pages, each after a page break, and its faults (makeup.fill_faults)."""
        cache = linecache.current()
        kept = cache.articles if cache is not None else None
        slot = (self.number, first_page, self.sink)  # a booklet made up again keeps each sink's pages
        last = kept.get(slot) if kept is not None else None
        if last is not None and last[0] == self.content:
            made = last[1]
        else:
            made = make_pages(self.make(), layout, canvas, first_page, self.sink)
            if kept is not None:
                kept.put(slot, (self.content, made))
        result: list[Flowable] = []
        for page in made.pages:
            result += [PageBreak(), page]
        return result, fill_faults(made)


class _PageMark(Flowable):
    """Zero-size mark that records the page it falls on (`doc.marks[name]`): where each cover
    ends, which must be the page it began on."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:  # draws nothing, not even a move
        doc = canvas._doctemplate
        doc.marks[self.name] = doc.page


class _TurnToBack(Flowable):
    """Placeholder where the back cover begins; the document replaces it with page breaks.

    Blank pages go before the back cover so that, with it, the page count is a multiple
    of `unit`.
    """

    def __init__(self, unit: int):
        super().__init__()
        self.unit = unit

    def page_breaks(self, current_page: int) -> list[Flowable]:
        blanks = (-(current_page + 1)) % self.unit
        breaks: list[Flowable] = []
        if blanks:
            breaks.append(NextPageTemplate("blank"))
            breaks += [PageBreak() for _ in range(blanks)]
        return [*breaks, NextPageTemplate("back"), PageBreak()]


def _article_key(index: int) -> str:
    return f"article-{index}"


def _toc_form(index: int) -> str:
    return f"toc-page-{index}"


def _story(booklet: Booklet, layout: Layout, images: Mapping[Path, Prepared], unit: int, sink: int
           ) -> list[Flowable]:
    meta = booklet.metadata
    context = StoryContext(layout, meta.language, images)
    cover, contents_page = front_cover(booklet, context, _contents(booklet, layout))
    story: list[Flowable] = [*cover, _PageMark("front cover"), NextPageTemplate("body")]
    if contents_page:
        story += [PageBreak(), *contents_page]
    titled = 0
    for number, article in enumerate(booklet.articles):
        make = partial(_article_flowables, article, StoryContext(layout, article.language, images),
                       titled if article.title else None)
        if number == 0 and contents_page and not article.title:
            # an untitled preface shares the contents' page, as it falls (its figures may
            # float; they are placed before the next article opens)
            story += [*make(), flush_figures()]
        else:  # opens a page; its page breaks chosen by makeup
            used = tuple(images.get(block.image) for block in article_blocks(article) if isinstance(block, Figure))
            story.append(_Article(make, number, (titled if article.title else None, article, layout, used), sink))
        titled += bool(article.title)
    story += [_TurnToBack(unit), _PageMark("back cover starts"), *back_cover(booklet, context), _PageMark("back cover")]
    return story


def _article_flowables(article: Article, context: StoryContext, titled: int | None) -> list[Flowable]:
    """The article's flowables: its title, author and dateline (the `titled`-th titled one)
    unless it has no title, then its blocks."""
    head = _article_head(titled, article, context) if titled is not None else []
    return [*head, *article_flowables(article, context)]


def _article_head(index: int, article: Article, context: StoryContext) -> list[Flowable]:
    head: list[Flowable] = [_ArticleStart(index, article.title or "")]
    head.append(text_paragraph(article.title or "", "title", context))
    if article.author:
        head.append(text_paragraph(article.author, "author", context))
    if article.date:
        head.append(text_paragraph(article.date, "dateline", context))
    for flowable in head:
        flowable.keepWithNext = True
    return head


def _contents(booklet: Booklet, layout: Layout) -> list[Flowable]:
    """One contents line per titled article."""
    style = layout.styles["toc"]
    text = _PlainText(style_face(layout, style), style.size, layout.fallback_fonts)
    titles = [a.title for a in booklet.articles if a.title]
    return [_TocEntry(i, title, text, style.leading, style.space_after) for i, title in enumerate(titles)]
