"""A source page's annotations → appearances drawn with the page, links for the sheet, and what is dropped.

A print PDF is paper: what a viewer shows of an annotation (a text box, a stamp, a sticky
note's icon, a filled form field) is drawn into the page itself, its appearance stream placed
as ISO 32000-1 § 12.5.5 says (the form's box, through its /Matrix, mapped onto the /Rect).
Links stay clickable where their area is still on the sheet and their target still exists (an
address, or a page that is in the print PDF). Anything else is named in one warning. Plain
data out: writer.py, the only module that imports pypdf, hands in its page objects (read
through their mapping interface only) and makes the PDF objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from .geometry import IDENTITY, Matrix, Rect, multiply, scale_xy, transform_rect, translate

HIDDEN, NO_VIEW = 2, 32  # annotation flags (§ 12.5.3): not shown on screen, so not printed either
SHOWN_ONLY_WHEN_OPENED = {"/Popup"}  # a note's pop-up window: closed on paper


@dataclass(frozen=True)
class Appearance:
    """An annotation's normal appearance: its form XObject (a pypdf stream) and the matrix
    that places the form in the page's coordinates (applied before the form's own /Matrix)."""

    form: object
    matrix: Matrix


@dataclass(frozen=True)
class Link:
    """A link: its area in page coordinates and its target, an address or a 0-based page."""

    rect: Rect
    uri: str | None = None
    page_index: int | None = None


@dataclass(frozen=True)
class PageAnnotations:
    appearances: tuple[Appearance, ...] = ()
    links: tuple[Link, ...] = ()
    dropped: tuple[str, ...] = ()  # one word per dropped annotation: its subtype, and why


def read_annotations(reader, page) -> PageAnnotations:
    """Sort a pypdf page's /Annots into appearances to draw, links to keep and dropped ones."""
    appearances, links, dropped = [], [], []
    for reference in page.get("/Annots") or []:
        annotation = reference.get_object()
        subtype = str(annotation.get("/Subtype", "/Annotation"))
        flags = int(annotation.get("/F", 0))
        if subtype in SHOWN_ONLY_WHEN_OPENED or flags & (HIDDEN | NO_VIEW):
            continue
        rect = _rect(annotation.get("/Rect"))
        if subtype == "/Link":
            link = _link(reader, annotation, rect)
            if link is None:
                dropped.append("link (no address or page to go to)")
            else:
                links.append(link)
            continue
        form = _normal_appearance(annotation)
        if form is None or rect is None:
            dropped.append(f"{subtype[1:]} (it has no appearance to print)")
            continue
        appearances.append(Appearance(form, _placement(form, rect)))
    return PageAnnotations(tuple(appearances), tuple(links), tuple(dropped))


def _rect(value) -> Rect | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _normal_appearance(annotation):
    """The /N appearance stream; for an annotation with states (a check box), the current one."""
    appearance = annotation.get("/AP")
    normal = appearance.get_object().get("/N") if appearance is not None else None
    if normal is None:
        return None
    normal = normal.get_object()
    if "/BBox" not in normal:  # a dictionary of states, not a stream
        state = annotation.get("/AS")
        normal = normal.get(str(state)) if state is not None else None
        normal = normal.get_object() if normal is not None else None
    return normal if normal is not None and "/BBox" in normal else None


def _placement(form, rect: Rect) -> Matrix:
    """Matrix A of § 12.5.5: the form's box, transformed by its /Matrix, mapped onto `rect`."""
    form_matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
    box = transform_rect(form_matrix, tuple(float(v) for v in form["/BBox"]))
    width, height = box[2] - box[0], box[3] - box[1]
    sx = (rect[2] - rect[0]) / width if width else 1.0
    sy = (rect[3] - rect[1]) / height if height else 1.0
    return multiply(multiply(translate(-box[0], -box[1]), scale_xy(sx, sy)), translate(rect[0], rect[1]))


def _link(reader, annotation, rect: Rect | None) -> Link | None:
    if rect is None:
        return None
    action = annotation.get("/A")
    action = action.get_object() if action is not None else {}
    if action.get("/S") == "/URI" and action.get("/URI"):
        return Link(rect, uri=str(action["/URI"]))
    destination = annotation.get("/Dest") if "/Dest" in annotation else (
        action.get("/D") if action.get("/S") == "/GoTo" else None)
    page_index = _destination_page(reader, destination)
    return Link(rect, page_index=page_index) if page_index is not None else None


def _destination_page(reader, destination) -> int | None:
    """The 0-based page a destination (an array, or a name in the document's dests) goes to."""
    if destination is None:
        return None
    destination = destination.get_object()
    if not isinstance(destination, list):
        named = reader.named_destinations.get(str(destination))
        return reader.get_destination_page_number(named) if named is not None else None
    if not destination:
        return None
    target = destination[0]
    if isinstance(target, int):  # a remote-style page number
        return int(target)
    number = reader.get_page_number(target.get_object())
    return number if number is not None and number >= 0 else None


def sheet_link(link: Link, form_matrix: Matrix, matrix: Matrix, clip: Rect) -> Rect | None:
    """A link's area on the sheet (through the page's form matrix and its placement), cut to
    the slot; None when nothing of it is left on the sheet."""
    x0, y0, x1, y1 = transform_rect(multiply(form_matrix, matrix), link.rect)
    x0, y0, x1, y1 = max(x0, clip[0]), max(y0, clip[1]), min(x1, clip[2]), min(y1, clip[3])
    return (x0, y0, x1, y1) if x1 - x0 > 0.5 and y1 - y0 > 0.5 else None


@dataclass(frozen=True)
class SheetLink:
    """A link as it goes on a sheet: its area there, and its address or the 0-based print-PDF
    page to open."""

    rect: Rect
    uri: str | None = None
    sheet: int | None = None


def sheet_links(annotations: dict[int, PageAnnotations], drawings
                ) -> tuple[list[list[SheetLink]], dict[int, tuple[str, ...]]]:
    """The links of every print-PDF page (`drawings` are writer.Drawing values in page order):
    each kept link's area carried onto the sheet, a page target turned into the first sheet side
    showing that page; and what is left out (links whose area or target is not printed, and the
    pages' own dropped annotations), per source page_index."""
    shown_on: dict[int, int] = {}
    for number, drawing in enumerate(drawings):
        for page_index, _, _ in drawing.placements:
            shown_on.setdefault(page_index, number)
    dropped = {i: a.dropped for i, a in annotations.items() if a.dropped}
    result = []
    for drawing in drawings:
        links = []
        for page_index, matrix, clip in drawing.placements:
            for link in annotations[page_index].links:
                rect = sheet_link(link, drawing.form_matrices[page_index], matrix, clip)
                target = shown_on.get(link.page_index) if link.page_index is not None else None
                if rect is None or (link.uri is None and target is None):
                    dropped[page_index] = dropped.get(page_index, ()) + ("link (its area or target is not printed)",)
                else:
                    links.append(SheetLink(rect, link.uri, target))
        result.append(links)
    return result, dropped


def dropped_warning(dropped: dict[int, tuple[str, ...]]) -> list[str]:
    """One warning naming every dropped annotation by kind and page (1-based), or none."""
    kinds: dict[str, list[int]] = {}
    for page_index, names in sorted(dropped.items()):
        for name in names:
            kinds.setdefault(name, []).append(page_index + 1)
    if not kinds:
        return []
    parts = [f"{len(pages)} × {name} on page{'s' if len(set(pages)) > 1 else ''} "
             f"{', '.join(map(str, sorted(set(pages))[:8]))}" for name, pages in kinds.items()]
    return ["annotations left out of the print PDF: " + "; ".join(parts)]
