"""Reading and print PDFs → PNG previews: single pages, spreads, print sheets, one contact sheet.

Pages are rendered with PDFium (pypdfium2, a wheel with PDFium inside: no program to shell
out to, and the renderer of Chrome, so the pictures show what most viewers show). Spreads are
the booklet as it lies open: the cover alone, then 2|3, 4|5 …, and the back cover alone
(mirrored, 3|2 …, for a booklet bound on the right). A print sheet shows its front and back
side by side as the print PDF has them. Every picture is composed from the page renders,
on a grey ground, with a thin line where the fold is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from .errors import BookletError, UsageError
from .files import write_atomic

KINDS = ("pages", "spreads", "sheets")
GROUND = (200, 200, 200)
FOLD = (90, 90, 90)
CONTACT_COLUMNS = 4  # spreads per row of the contact sheet


@dataclass(frozen=True)
class Preview:
    """What `write_previews` wrote: the PNG files of each kind, in order."""

    pages: tuple[Path, ...] = ()
    spreads: tuple[Path, ...] = ()
    sheets: tuple[Path, ...] = ()
    contact: Path | None = None

    @property
    def files(self) -> tuple[Path, ...]:
        return self.pages + self.spreads + self.sheets + ((self.contact,) if self.contact else ())


def render_pages(pdf: Path, dpi: float) -> list[Image.Image]:
    """Every page of `pdf` as an RGB image at `dpi` (pixels per inch; a page of w points is
    round(w · dpi / 72) pixels wide)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise BookletError(f"cannot render this PDF ({exc})", pdf) from None
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()


def spread_pages(page_count: int) -> list[tuple[int | None, int | None]]:
    """(left, right) 0-based page indices of each spread of a left-bound booklet as it lies
    open: the cover alone on the right, then 1|2, 3|4 …, the last page alone on the left when
    the count is even (None = no page on that side)."""
    spreads: list[tuple[int | None, int | None]] = [(None, 0)]
    for left in range(1, page_count, 2):
        spreads.append((left, left + 1 if left + 1 < page_count else None))
    return spreads


def row(images: list[Image.Image | None], size: tuple[int, int], margin: int, gap: int = 0) -> Image.Image:
    """Page images in places of `size` pixels (the largest page's) next to each other on the
    ground, `margin` around them and `gap` between them; two pages that touch (gap 0) have a
    fold line between them, and a smaller page sits against the fold, centred in height; an
    absent page (None) leaves its place empty."""
    width, height = size
    count = len(images)
    canvas = Image.new("RGB", (count * width + (count - 1) * gap + 2 * margin, height + 2 * margin), GROUND)
    draw = ImageDraw.Draw(canvas)
    fold = gap == 0
    for i, image in enumerate(images):
        x = margin + i * (width + gap)
        if image is not None:
            toward_fold = width - image.width if fold and i == 0 and count > 1 else 0
            canvas.paste(image, (x + toward_fold, margin + (height - image.height) // 2))
        if fold and i and image is not None and images[i - 1] is not None:
            shorter = min(image.height, images[i - 1].height)  # where both pages are
            top = margin + (height - shorter) // 2
            draw.line([(x, top), (x, top + shorter - 1)], fill=FOLD, width=1)
    return canvas


def largest(images: list[Image.Image]) -> tuple[int, int]:
    """The width and height, in pixels, that hold each of `images` (a PDF made elsewhere may
    mix page sizes: a smaller one was placed in the first one's size, a larger one cut)."""
    return max(image.width for image in images), max(image.height for image in images)


def spreads(pages: list[Image.Image], binding: str = "left") -> list[Image.Image]:
    """The spreads of a booklet from its page images."""
    size = largest(pages)
    margin = max(4, size[0] // 30)
    result = []
    for left, right in spread_pages(len(pages)):
        if binding == "right":
            left, right = right, left
        result.append(row([pages[i] if i is not None else None for i in (left, right)], size, margin))
    return result


def sheets(sides: list[Image.Image], duplex: bool) -> list[Image.Image]:
    """Print-PDF pages → one picture per sheet: front and back side by side (duplex), or each
    side alone (single-sided and manual-duplex files, whose backs come after all fronts)."""
    size = largest(sides)
    margin = max(4, size[0] // 60)
    step = 2 if duplex else 1
    return [row(sides[i:i + step], size, margin, gap=2 * margin) for i in range(0, len(sides), step)]


def contact_sheet(spread_images: list[Image.Image]) -> Image.Image:
    """All spreads on one picture, CONTACT_COLUMNS to a row, at the size they are given."""
    width = max(image.width for image in spread_images)
    height = max(image.height for image in spread_images)
    rows = -(-len(spread_images) // CONTACT_COLUMNS)
    columns = min(CONTACT_COLUMNS, len(spread_images))
    canvas = Image.new("RGB", (columns * width, rows * height), GROUND)
    for i, image in enumerate(spread_images):
        canvas.paste(image, ((i % CONTACT_COLUMNS) * width, (i // CONTACT_COLUMNS) * height))
    return canvas


def write_previews(folder: Path, name: str, reading_pdf: Path | None, print_pdf: Path | None, *,
                   kinds: tuple[str, ...] = KINDS, dpi: float = 100, duplex: bool = True,
                   binding: str = "left") -> Preview:
    """Write NAME-page-NN.png, NAME-spread-NN.png, NAME-sheet-NN.png and NAME-contact.png into
    `folder` (each file written whole): pages and spreads from the reading PDF, sheets from the
    print PDF; the contact sheet shows every spread at a third of their size."""
    written: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    contact = None

    def save(image: Image.Image, kind: str, label: str) -> Path:
        path = folder / f"{name}-{label}.png"
        import io

        buffer = io.BytesIO()
        image.save(buffer, format="PNG")  # optimize=True is 4–5 × slower for 10 % smaller files
        write_atomic(path, buffer.getvalue())
        written.setdefault(kind, []).append(path)
        return path

    if reading_pdf is not None and {"pages", "spreads"} & set(kinds):
        pages = render_pages(reading_pdf, dpi)
        digits = len(str(len(pages)))
        if "pages" in kinds:
            for number, image in enumerate(pages, 1):
                save(image, "pages", f"page-{number:0{digits}d}")
        if "spreads" in kinds:
            images = spreads(pages, binding)
            for number, image in enumerate(images, 1):
                save(image, "spreads", f"spread-{number:0{len(str(len(images)))}d}")
            contact = save(contact_sheet([image.reduce(3) for image in images]), "contact", "contact")
    if print_pdf is not None and "sheets" in kinds:
        images = sheets(render_pages(print_pdf, dpi), duplex)
        for number, image in enumerate(images, 1):
            save(image, "sheets", f"sheet-{number:0{len(str(len(images)))}d}")
    for kind, label in (("pages", "page"), ("spreads", "spread"), ("sheets", "sheet")):
        if written[kind]:  # an earlier preview's of this kind, when the count or its digits changed
            pattern = re.compile(rf"{re.escape(name)}-{label}-\d+\.png")
            for stale in set(folder.glob(f"{name}-{label}-*.png")) - set(written[kind]):
                if pattern.fullmatch(stale.name):
                    stale.unlink()
    return Preview(tuple(written["pages"]), tuple(written["spreads"]), tuple(written["sheets"]), contact)


def preview(source: Path, folder: Path | None = None, *, kinds: tuple[str, ...] = KINDS, dpi: float = 100,
            binding: str | None = None) -> Preview:
    """PNG previews of a booklet source (built first, into a temporary folder), a reading PDF
    (imposed with the default options for its sheets) or a print PDF (sheets only), written into
    `folder` (default NAME-preview beside the working folder, created when missing)."""
    import tempfile

    from .build import build
    from .impose import ImposeOptions, impose_pdf
    from .sources import MARKDOWN_SUFFIXES
    from .impose.writer import SourcePDF, is_duplex

    if not 10 <= dpi <= 1200:
        raise UsageError(f"--dpi must be between 10 and 1200, not {dpi:g}")
    source = Path(source)
    if not source.exists():
        raise BookletError("file not found", source)
    with tempfile.TemporaryDirectory(prefix="booklet-preview-") as temporary:
        work = Path(temporary)
        if source.suffix.lower() != ".pdf":
            if not source.is_dir() and source.suffix.lower() not in MARKDOWN_SUFFIXES:
                raise BookletError("expected a Markdown file (.md), a booklet folder or a PDF", source)
            chosen = frozenset({"binding"}) if binding else frozenset()
            result = build(source, work, options=ImposeOptions(binding=binding or "left"), chosen=chosen)
            name = result.read_path.name.removesuffix("-read.pdf")
            reading, printed = result.read_path, result.print_path
            binding = result.imposition.plan.binding
            duplex = result.imposition.plan.duplex and not result.imposition.plan.manual_duplex
        elif SourcePDF(source).is_imposed:  # (a shop PDF, one page a sheet with its marks, is pages)
            if set(kinds) - {"sheets"}:
                if kinds != KINDS:
                    raise UsageError("a print PDF has sheets, not pages or spreads: preview its reading PDF "
                                     "or its source for those", source)
                kinds = ("sheets",)
            name = source.stem.removesuffix("-print")
            reading, printed, duplex = None, source, is_duplex(source)
        else:
            name = source.stem.removesuffix("-read")
            reading, printed = source, work / f"{name}-print.pdf"
            report = impose_pdf(source, printed, ImposeOptions(binding=binding))
            binding = report.plan.binding
            duplex = report.plan.duplex and not report.plan.manual_duplex
        folder = Path(folder) if folder is not None else Path(f"{name}-preview")
        if folder.exists() and not folder.is_dir():
            raise BookletError("the output folder is a file, not a folder", folder)
        folder.mkdir(parents=True, exist_ok=True)
        return write_previews(folder, name, reading, printed, kinds=kinds, dpi=dpi, duplex=duplex,
                              binding=binding or "left")
