"""A booklet's metadata and covers → the flowables of the front cover (and the contents page)
and of the back cover.

The front cover is the built-in title page (the cover image under the title, the contents below
it, the publisher at the foot), the same over a full-page picture (`cover: full`), a Markdown
page of the user's own, or a page made elsewhere (an image drawn over the whole page, or a PDF
page that the build stage puts in place of the blank page left here). The back cover is the
colophon, a Markdown page, or a page made elsewhere. All lengths are in points.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Spacer

from ..errors import BookletError
from ..images import Prepared, cover_area, cover_size
from ..layouts import Layout
from ..model import Article, Booklet, CoverPage, Figure, Location, Metadata
from .figures import MIN_COVER_SHARE, CoverImage, FigureFlowable, FullPageFigure, draw_centred
from .paragraph import TypesetParagraph
from .story import StoryContext, block_flowables, text_paragraph

CONTENTS_HEADING = {"en": "Contents", "uk": "Зміст", "ru": "Содержание", "de": "Inhalt", "fr": "Sommaire",
                    "pl": "Spis treści", "es": "Índice", "it": "Indice", "nl": "Inhoud", "pt": "Índice"}
"""The heading of a contents page of its own, by language (none for other languages)."""

SCRIM_ALPHA = 0.5
"""Opacity of the band behind a title set over a picture, so it reads on any photo."""
SCRIM_PAD = 8.0
"""Points the band reaches past the text on its inner side."""


def front_cover(booklet: Booklet, context: StoryContext, contents: list[Flowable]
                ) -> tuple[list[Flowable], list[Flowable]]:
    """The flowables of page 1, and those of the contents when they go on a page of their own
    (page 2, which the first article may share; empty when they are on the cover)."""
    meta, layout = booklet.metadata, context.layout
    cover = meta.cover
    if cover is None:
        head, foot = _title_lines(meta, context), _imprint_lines(meta, context)
        image = context.images.get(meta.cover_image) if meta.cover_image is not None else None
        if contents and layout.cover.contents == "cover" and _fits(head, contents, foot, image, layout):
            return _built_in(head, contents, foot, image, layout), []
        page = _built_in(head, [], foot, image, layout)
    elif cover.kind == "full":
        page = _full_bleed(meta, context)
    else:
        page = made_page(cover, context)
    return page, _contents_page(contents, context) if contents else []


def back_cover(booklet: Booklet, context: StoryContext) -> list[Flowable]:
    """The flowables of the last page: the colophon at the foot, or the user's own page."""
    meta = booklet.metadata
    if meta.back is not None and meta.back.article is not None:  # Markdown: at the foot, like the colophon
        gap = 0.6 * context.layout.styles["colophon"].leading  # between its paragraphs
        flowables = _markdown_page(meta.back.article, context, "colophon")
        if not all(isinstance(f, TypesetParagraph) for f in flowables):
            return flowables  # a list, a quote, a picture flow only in the frame: from the top
        spaced = [part for f in flowables for part in (Spacer(0, gap), f)][1:]
        return [TextBlock(spaced, at_foot=True)]
    if meta.back is not None:
        return made_page(meta.back, context)
    lines = [meta.title, *(x for x in (meta.publisher, meta.edition, meta.date) if x), *meta.contacts]
    return [TextBlock([text_paragraph(line, "colophon", context) for line in lines], at_foot=True)]


def made_page(page: CoverPage, context: StoryContext) -> list[Flowable]:
    """A cover of the user's own: a Markdown page, an image over the whole page, or (a PDF) a
    blank page that the build stage replaces with the PDF's first page."""
    if page.kind == "markdown" and page.article is not None:
        return _markdown_page(page.article, context)
    image = context.images.get(page.path) if page.kind == "image" and page.path is not None else None
    return [PagePicture(image, context.layout, "page")]


# --- the built-in front cover --------------------------------------------------------------


def _title_lines(meta: Metadata, context: StoryContext) -> list[Flowable]:
    lines = [text_paragraph(meta.title, "cover_title", context)]
    if meta.subtitle:
        lines.append(text_paragraph(meta.subtitle, "cover_subtitle", context))
    if meta.author:
        lines.append(text_paragraph(meta.author, "cover_meta", context))
    return lines


def _imprint_lines(meta: Metadata, context: StoryContext) -> list[Flowable]:
    """Publisher and date, and the contacts: the foot of the cover (the edition is on the back)."""
    lines = [" · ".join(x for x in (meta.publisher, meta.date) if x), *meta.contacts]
    return [text_paragraph(line, "cover_meta", context) for line in lines if line]


def _built_in(head: list[Flowable], contents: list[Flowable], foot: list[Flowable], image: Prepared | None,
              layout: Layout) -> list[Flowable]:
    below = [*contents, TextBlock(foot, at_foot=True)] if foot else list(contents)
    page = [*head]
    if image is not None:  # (its own space above and below)
        page.append(CoverImage(image, layout, below))
    elif contents:
        page.append(Spacer(0, layout.styles["toc"].leading))
    return page + below


def _fits(head: list[Flowable], contents: list[Flowable], foot: list[Flowable], image: Prepared | None,
          layout: Layout) -> bool:
    """Whether the title, the smallest cover image, the contents and the foot fit on one page."""
    needed = sum(_height(f, layout.text_width) for f in (*head, *contents, *foot))
    if image is not None:
        needed += min(cover_size(image.aspect, layout)[1], 0.25 * layout.text_height)
    return needed + 2 * layout.styles["toc"].leading <= layout.text_height


def _contents_page(contents: list[Flowable], context: StoryContext) -> list[Flowable]:
    heading = CONTENTS_HEADING.get(context.language.split("-")[0].split("_")[0])
    page: list[Flowable] = [text_paragraph(heading, "title", context)] if heading else []
    for flowable in page:
        flowable.keepWithNext = True
    return [*page, *contents, Spacer(0, 1.5 * context.layout.styles["toc"].leading)]


def _full_bleed(meta: Metadata, context: StoryContext) -> list[Flowable]:
    """The cover image over the whole page (`title = "over"`: the title on it, at the top) or
    over its upper part (`"under"`: the title below it, on paper, the picture made shorter
    when a long title needs the room); the imprint line at the foot."""
    layout = context.layout
    settings = layout.cover
    image = context.images.get(meta.cover_image) if meta.cover_image is not None else None
    head = _title_lines(meta, context)
    imprint = " · ".join(x for x in (meta.publisher, meta.date) if x)
    foot = [text_paragraph(imprint, "cover_meta", context)] if imprint else []
    margins = layout.margins
    if settings.title == "over":
        # the bands run from the text to the page's edge, behind the title and the imprint
        return [PagePicture(image, layout, "full"),
                TextBlock(head, settings.title_color, scrim=(SCRIM_PAD, margins.top)),
                TextBlock(foot, settings.title_color, scrim=(margins.bottom, SCRIM_PAD), at_foot=True)]
    gap = layout.styles["body"].leading
    text = sum(_height(f, layout.text_width) for f in (*head, *foot))
    picture_height = min(cover_area(layout, "full")[1], layout.page_height - margins.bottom - text - 2 * gap)
    picture_height = max(picture_height, 0.3 * layout.page_height)
    return [PagePicture(image, layout, "full", picture_height),
            Spacer(0, max(0.0, picture_height - margins.top) + gap),
            TextBlock(head, settings.title_color), TextBlock(foot, at_foot=True)]


def _height(flowable: Flowable, width: float) -> float:
    """The height a flowable takes at `width`, with the space around it (points)."""
    return flowable.wrap(width, 10_000)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def _markdown_page(article: Article, context: StoryContext, style_name: str = "body") -> list[Flowable]:
    """A Markdown cover: its `#` heading in the cover title's style, its text in `style_name`."""
    page: list[Flowable] = [text_paragraph(article.title, "cover_title", context)] if article.title else []
    article_context = StoryContext(context.layout, article.language, context.images)
    flowables = block_flowables(article.blocks, article_context, style_name)
    figures = iter(block for block in article.blocks if isinstance(block, Figure))
    for index, flowable in enumerate(flowables):  # (a figure block makes one flowable)
        if isinstance(flowable, (FigureFlowable, FullPageFigure)):
            flowables[index] = PageFigure(flowable, flowables[index + 1:], next(figures).where)
    return page + flowables


# --- flowables -------------------------------------------------------------------------------


class PagePicture(Flowable):
    """A cover picture drawn at the page's own coordinates, behind what follows: "full" covers
    `cover_area` (cropped to it), "page" fits whole inside the page (a cover made elsewhere, as
    it is). Without an image (a PDF cover, placed later) the page stays blank."""

    def __init__(self, image: Prepared | None, layout: Layout, mode: str, area_height: float | None = None):
        super().__init__()
        self.image, self.layout, self.mode = image, layout, mode
        width, height = cover_area(layout, mode)
        self.area = (width, height if area_height is None else area_height)
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        if self.image is None:
            return
        area_width, area_height = self.area
        width, height = cover_size(self.image.aspect, self.layout, self.mode, self.area)
        draw_centred(canvas, self.image, (0.0, self.layout.page_height - area_height, area_width, area_height),
                     width, height)

    def draw(self) -> None:
        pass


class PageFigure(Flowable):
    """A picture of a Markdown cover or back, on that page: in its text, as wide as a figure in
    the text (the text's width for `{.full}`, whose page of its own would be the next one, where
    a figure that does not fit would wait too), and shrunk to leave room for the flowables after
    it (`below`). Too little room left (under MIN_COVER_SHARE of the text block) is an error at
    `where`: the cover holds one page."""

    def __init__(self, figure: FigureFlowable | FullPageFigure, below: list[Flowable], where: Location):
        super().__init__()
        self.source, self.below, self.where = figure, below, where
        self.spaceBefore = self.spaceAfter = figure.layout.styles["body"].leading / 2

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        layout = self.source.layout
        needed = sum(_height(f, available_width) for f in self.below)
        room = available_height - needed - self.spaceAfter
        if room < MIN_COVER_SHARE * layout.text_height:
            raise BookletError(f"the picture {self.source.image.source.name} does not fit on its page "
                               f"with the text around it (a cover is one page): shorten the text",
                               self.where.path, self.where.line)
        width = getattr(self.source, "width_fraction", None)
        self.figure = FigureFlowable(self.source.image, self.source.caption, layout, width, max_height=room)
        self.width, self.height = self.figure.wrap(available_width, room)
        return self.width, self.height

    def draw(self) -> None:
        self.figure.drawOn(self.canv, 0, 0)


class TextBlock(Flowable):
    """Flowables set as one block, in `colour` (r, g, b in 0–1; None: as they are), at the foot
    of the frame (`at_foot`), over a band across the page that keeps them legible on a picture
    (`scrim`: how far the band reaches below and above the text, in points)."""

    def __init__(self, flowables: list[Flowable], colour: tuple[float, float, float] | None = None,
                 scrim: tuple[float, float] | None = None, at_foot: bool = False):
        super().__init__()
        self.flowables, self.colour, self.scrim, self.at_foot = flowables, colour, scrim, at_foot

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.sizes = [f.wrap(available_width, available_height) for f in self.flowables]
        self.content_height = sum(h + f.getSpaceBefore() + f.getSpaceAfter()
                                  for f, (_, h) in zip(self.flowables, self.sizes))
        self.width = available_width
        # at the foot: take the rest of the frame (one point less, so that Platypus keeps it here)
        self.height = max(available_height - 1, self.content_height) if self.at_foot else self.content_height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Too tall for the page: its flowables, to flow on as they would (from the top)."""
        return list(self.flowables)

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        if self.scrim is not None:
            self._draw_scrim(canvas, *self.scrim)
        if self.colour is not None:
            canvas.setFillColorRGB(*self.colour)
        y = self.content_height
        for flowable, (_, height) in zip(self.flowables, self.sizes):
            y -= flowable.getSpaceBefore() + height
            flowable.drawOn(canvas, 0, y)
            y -= flowable.getSpaceAfter()
        canvas.restoreState()

    def _draw_scrim(self, canvas, below: float, above: float) -> None:
        """A dark band behind light text, a light band behind dark text, across the page."""
        light_text = self.colour is not None and sum(self.colour) / 3 > 0.5
        shade = 0.0 if light_text else 1.0
        left = -canvas._doctemplate.frame._x1  # the page's left edge, in the block's coordinates
        canvas.setFillColor(Color(shade, shade, shade, alpha=SCRIM_ALPHA))
        canvas.rect(left, -below, canvas._pagesize[0], self.content_height + below + above, stroke=0, fill=1)
        canvas.setFillAlpha(1)  # the text on the band is opaque
