"""Annotations on imposed pages: visible ones drawn into the sheet, links kept, the rest named."""

from __future__ import annotations

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject,
                           NumberObject, TextStringObject)

from booklet.impose import ImposeOptions, impose_pdf
from booklet.impose.geometry import place, transform_rect, multiply
from booklet.preview import render_pages
from paper import make_numbered_pdf, read_sides, reading_order, simulate

DPI = 72  # one pixel per point: sheet coordinates read straight off the picture
BOX = (20.0, 30.0, 120.0, 70.0)  # the stamp's /Rect on its page, in points


def appearance(writer: PdfWriter, red: float, green: float, blue: float):
    """A 50 × 20 form filled with one colour: scaled 2× onto BOX by the annotation's /Rect."""
    stream = DecodedStreamObject()
    stream.set_data(f"{red} {green} {blue} rg 0 0 50 20 re f".encode())
    stream.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                   NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, 50, 20)])})
    return writer._add_object(stream)


def annotation(writer, subtype: str, rect, **entries):
    entries = {NameObject(f"/{k}"): v for k, v in entries.items()}
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]), **entries}))


def annotated_pdf(tmp_path):
    source = make_numbered_pdf(tmp_path / "plain.pdf", 8)
    writer = PdfWriter(clone_from=PdfReader(source))
    stamp = annotation(writer, "/Stamp", BOX, AP=DictionaryObject({NameObject("/N"): appearance(writer, 1, 0, 0)}),
                       F=NumberObject(4))
    hidden = annotation(writer, "/Square", (150, 30, 250, 70), F=NumberObject(2),
                        AP=DictionaryObject({NameObject("/N"): appearance(writer, 0, 0, 1)}))
    note = annotation(writer, "/Text", (200, 300, 220, 320), Contents=TextStringObject("a sticky note"))
    uri = annotation(writer, "/Link", (20, 200, 200, 220), A=DictionaryObject({
        NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("https://example.org/zine")}))
    goto = annotation(writer, "/Link", (20, 240, 200, 260), Dest=ArrayObject(
        [writer.pages[3].indirect_reference, NameObject("/Fit")]))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([stamp, hidden, note, uri, goto])
    path = tmp_path / "annotated.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    return path


def test_visible_annotations_are_drawn_links_kept_and_the_rest_named(tmp_path):
    source = annotated_pdf(tmp_path)
    out = tmp_path / "out.pdf"
    report = impose_pdf(source, out, ImposeOptions())
    assert report.warnings == ["annotations left out of the print PDF: 1 × Text (it has no appearance to print) "
                               "on page 1"]
    p = report.plan
    assert reading_order(simulate(read_sides(out, p.rows, p.columns), p.scheme, p.rows, p.columns,
                                  landscape=p.landscape, duplex=p.duplex)) == list(range(8))

    slot = next(s for s in p.sides[0].slots if s.page_index == 0)
    reader = PdfReader(source)
    box = tuple(float(v) for v in reader.pages[0].cropbox)
    placed = place(slot, report.sheet_size, p.rows, p.columns, box, 0)
    x0, y0, x1, y1 = transform_rect(multiply(placed.form_matrix, placed.matrix), BOX)
    sheet = render_pages(out, DPI)[0]
    height = report.sheet_size[1]
    red = [sheet.getpixel((round(x), round(height - y))) for x in (x0 + 3, (x0 + x1) / 2, x1 - 3)
           for y in (y0 + 3, (y0 + y1) / 2, y1 - 3)]
    assert all(r > 200 and g < 60 and b < 60 for r, g, b in red), red  # the stamp, on the sheet
    hx0, hy0, hx1, hy1 = transform_rect(multiply(placed.form_matrix, placed.matrix), (150, 30, 250, 70))
    r, g, b = sheet.getpixel((round((hx0 + hx1) / 2), round(height - (hy0 + hy1) / 2)))
    assert not (b > 200 and r < 60)  # the hidden annotation is not drawn

    printed = PdfReader(out)
    links = [a.get_object() for a in printed.pages[0].get("/Annots", [])]
    uri = next(a for a in links if "/A" in a)
    assert uri["/A"]["/URI"] == "https://example.org/zine"
    ux0, uy0, ux1, uy1 = (float(v) for v in uri["/Rect"])
    cx0, cy0, cx1, cy1 = placed.clip
    assert cx0 <= ux0 < ux1 <= cx1 and cy0 <= uy0 < uy1 <= cy1  # on page 1's slot
    goto = next(a for a in links if "/Dest" in a)
    target = printed.get_page_number(goto["/Dest"][0].get_object())
    assert 3 in [s.page_index for s in p.sides[target].slots]  # the sheet side that shows page 4
