"""Source PDF + drawing instructions → the print PDF on disk (with annotations.py, the only modules using pypdf).

Each source page becomes one form XObject holding its content stream and resources (fonts
and images are copied once, shared by reference), and every sheet draws its slots with
`q <clip> <matrix> cm /Pn Do Q`. The file is written to a temporary file beside the output
and moved into place only when complete; output is byte-identical from run to run.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)

from ..errors import BookletError
from ..files import Outputs, write_atomic, write_output
from .annotations import PageAnnotations, SheetLink, dropped_warning, read_annotations, sheet_links
from .marks import Box, Line

# What pypdf (and zlib under it) raise on damaged files: all of them become one line
# naming the file.
_PDF_ERRORS = (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
               zlib.error, RecursionError, AssertionError)


@dataclass(frozen=True)
class SourcePage:
    """A source page in its own coordinates: `box` is what may be drawn (the BleedBox within the
    CropBox; the CropBox when there is no bleed), `trim` the finished page (the TrimBox within
    the box; the box itself when there is none), `rotate` its /Rotate (clockwise degrees)."""

    box: tuple[float, float, float, float]
    rotate: int
    trim: tuple[float, float, float, float] | None = None

    @property
    def finished(self) -> tuple[float, float, float, float]:
        return self.trim or self.box


@dataclass
class Drawing:
    """One page of the print PDF: its size, the pages to place and the marks to draw.

    placements: (source page_index, matrix, clip rectangle) in drawing order; the matrix
    maps the page as shown (see form_matrices) onto the sheet.
    form_matrices: source page_index → matrix from the page's own coordinates to the page as
    shown (upright, origin at its lower left corner), the form XObject's /Matrix.
    """

    size: tuple[float, float]
    placements: list[tuple[int, tuple[float, ...], tuple[float, float, float, float]]] = field(default_factory=list)
    marks: list[Line | Box] = field(default_factory=list)
    trim: tuple[float, float, float, float] | None = None
    bleed: tuple[float, float, float, float] | None = None  # the BleedBox, when the sheet has one
    form_matrices: dict[int, tuple[float, ...]] = field(default_factory=dict)


@contextlib.contextmanager
def quiet_pypdf():
    """pypdf logs what it repairs in damaged files; the user gets our one-line error or a
    good result, not pypdf's notes on stderr."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


class SourcePDF:
    """An opened input PDF, checked: readable, not encrypted, at least one page.

    With `data` the PDF is read from those bytes (a reading PDF just made, not yet on disk)
    and `path` only names it in messages. With `kept` (and `data`), the objects whose bytes
    are those of an object of the PDF read before with it are copied, not parsed again."""

    def __init__(self, path: Path, data: bytes | None = None, kept: KeptImposition | None = None):
        with quiet_pypdf():
            self._open(path, data, kept)

    def _open(self, path: Path, data: bytes | None, kept: KeptImposition | None) -> None:
        self.path = Path(path)
        if data is None and not self.path.exists():
            raise BookletError("file not found", self.path)
        if data is None and self.path.is_dir():
            raise BookletError("is a folder, not a PDF file", self.path)
        self.kept = kept if data is not None else None
        self.reader = open_reader(self.path if data is None else io.BytesIO(data), self.path, self.kept)
        self.warnings: list[str] = []
        self.annotations: dict[int, PageAnnotations] = {}  # page_index → its annotations, once copied
        self._odd_rotations: list[tuple[int, int]] = []  # (page number, its /Rotate) not a multiple of 90
        try:
            self.pages = [_source_page(page, self._rotation(number, page), number)
                          for number, page in enumerate(self.reader.pages, 1)]
        except _EmptyPage as exc:
            raise BookletError(f"page {exc.number} has an empty crop box: it shows nothing to impose "
                               "(fix or remove the page)", self.path) from None
        except _PDF_ERRORS as exc:
            raise BookletError(f"not a readable PDF ({_short(exc)})", self.path) from None
        if not self.pages:
            raise BookletError("the PDF has no pages", self.path)
        odd = self._odd_rotations
        if len(odd) == 1:
            self.warnings.append(f"page {odd[0][0]} has /Rotate {odd[0][1]}, not a multiple of 90: imposed "
                                 "unrotated, as PDF viewers show it")
        elif odd:  # one line for them all
            listed = ", ".join(f"page {number}: {rotate}" for number, rotate in odd[:3])
            listed += " …" if len(odd) > 3 else ""
            self.warnings.append(f"{len(odd)} pages have a /Rotate that is not a multiple of 90 ({listed}): imposed "
                                 "unrotated, as PDF viewers show them")


    def whole_bytes(self, reference) -> bytes | None:
        """The bytes of the object `reference` names in the file, when the PDF is read with a
        KeptImposition and they are all the object's parse depends on; else None."""
        return self.reader.whole_bytes(reference) if isinstance(self.reader, _ReusingReader) else None

    @property
    def is_imposed(self) -> bool:
        """Whether the PDF is a print PDF of booklet's already: its first sheet places pages, two
        or more (a shop PDF places one a page, to be imposed by whoever prints it)."""
        try:
            return len(_placements(self.reader.pages[0])) >= 2
        except _PDF_ERRORS:
            return False

    @property
    def reads_right_to_left(self) -> bool:
        """Whether the PDF asks viewers to show its spreads right to left (/ViewerPreferences
        /Direction /R2L, ISO 32000-1 § 12.2)."""
        try:
            preferences = self.reader.trailer["/Root"].get("/ViewerPreferences")
            return preferences is not None and preferences.get_object().get("/Direction") == "/R2L"
        except _PDF_ERRORS:
            return False

    def _rotation(self, number: int, page) -> int:
        """The page's /Rotate. A value that is not a multiple of 90 breaks the PDF rule (ISO 32000-1
        § 7.7.3.3); viewers show such a page unrotated (pdf.js drops the value, PDFium rounds
        45 down to 0), so it is imposed as shown there, with a warning."""
        rotate = int(page.rotation)
        if rotate % 90:
            self._odd_rotations.append((number, rotate))
            return 0
        return rotate % 360


def open_reader(source, path: Path | None = None, kept: KeptImposition | None = None) -> PdfReader:
    """A pypdf reader, decrypted when the PDF needs no password to open.

    A PDF locked by an owner password only (no printing restriction a viewer would ask about,
    any viewer opens it) has an empty user password, which pypdf tries for us; RC4 and AES
    (128 and 256 bit) both decrypt (AES through pypdf's crypto extra). One that needs a user
    password to open is refused with one line. `source` is a path or a binary stream, `path`
    the name for messages (default: `source`); `kept`, for a stream, the objects of the PDF
    read before (see KeptImposition).
    """
    path = path or source
    try:
        _check_header(source, path)
        reader = PdfReader(source) if kept is None else _ReusingReader(source, kept)
        if reader.is_encrypted and not reader.decrypt(""):
            raise BookletError("the PDF is encrypted with a password; save an unencrypted copy first "
                               "(e.g. qpdf --password=PASSWORD --decrypt IN.pdf OUT.pdf)", path)
        return reader
    except BookletError:
        raise
    except OSError as exc:  # a file without read permission, a folder
        raise BookletError(f"cannot read: {exc.strerror or exc}", path) from None
    except _PDF_ERRORS as exc:
        raise BookletError(f"not a readable PDF ({_short(exc)})", path) from None


def _check_header(source, path: Path) -> None:
    """A PDF begins with `%PDF-` within its first 1024 bytes (ISO 32000-1 § 7.5.2; viewers
    allow the leading bytes); a file that does not is named as such, not by the parser's
    complaint about it (a JPEG was 'not a readable PDF (Stream has ended unexpectedly)')."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as file:
            head = file.read(1024)
    else:
        head = source.read(1024)
        source.seek(0)
    if not head:
        raise BookletError("the file is empty, not a PDF", path)
    if b"%PDF-" not in head:
        raise BookletError("not a PDF file (a PDF begins with %PDF-; is it another kind of file named .pdf?)", path)


class KeptImposition:
    """What an imposition keeps for the next one of the same PDF changed a little (`booklet
    watch` keeps one from build to build: the reading PDF after a one-word edit has most of
    its objects byte for byte as they were, the pages, the fonts, every content stream but the
    edited page's).

    The source's objects as parsed, by their bytes in the file: pypdf's parser, pure Python,
    was most of the time an imposition took. Such an object is copied from the parse kept,
    its references bound to the new reader; only the objects whose bytes changed are parsed.
    What is kept is a pristine copy taken as the object is parsed (pypdf adds inherited page
    attributes to the objects it hands out), and only for dictionaries, arrays and streams
    whose parts are of the kinds pypdf's parser makes; a stream whose /Length is a reference
    (another object's bytes decide its data) is always parsed.

    The page forms as written (their bytes in the print PDF), by what decides them: the
    content stream's bytes, the page's place and box, the number its resources got (see
    _form_xobject). A kept form is written as it was, neither built nor serialized again.

    Each kind holds what the last imposition used, so it does not grow from build to build.
    """

    def __init__(self) -> None:
        self._before: dict[bytes, PdfObject] = {}  # object bytes → its parse, in the PDF read before
        self._now: dict[bytes, PdfObject] = {}  # the same for the PDF being read
        self._forms_before: dict[tuple, _Written] = {}  # form key → the form written, the last time
        self._forms_now: dict[tuple, _Written] = {}
        self.reused = self.parsed = 0  # objects copied from a kept parse, and parsed and kept
        self.forms_reused = self.forms_written = 0

    def _start(self) -> None:
        """A new PDF is read: what the last one had is what can be reused."""
        if self._now:
            self._before, self._now = self._now, {}
            self._forms_before, self._forms_now = self._forms_now, {}

    def _get(self, raw: bytes, reader: PdfReader) -> PdfObject | None:
        template = self._before.get(raw)
        if template is None:
            return None
        self._now[raw] = template
        self.reused += 1
        return _bound_copy(template, reader)

    def _keep(self, raw: bytes, obj: PdfObject) -> bool:
        """Keep the parse of `raw`; whether it was kept."""
        if isinstance(obj, (DictionaryObject, ArrayObject)) and not (
                isinstance(obj, StreamObject) and _INDIRECT_LENGTH.search(raw.split(b"stream", 1)[0])):
            try:
                self._now[raw] = _bound_copy(obj, None)
                self.parsed += 1
                return True
            except _NotKept:
                pass
        return False

    def form(self, key: tuple) -> _Written | None:
        """The page form written under `key` the last time, or None."""
        written = self._forms_before.get(key)
        if written is not None:
            self._forms_now[key] = written
            self.forms_reused += 1
        return written

    def keep_form(self, key: tuple, form: StreamObject) -> _Written:
        """`form` written, kept under `key`."""
        buffer = io.BytesIO()
        form.write_to_stream(buffer)
        written = self._forms_now[key] = _Written(buffer.getvalue())
        self.forms_written += 1
        return written


class _Written(PdfObject):
    """An object as pypdf writes it (a kept page form): written as those bytes."""

    def __init__(self, data: bytes):
        self.data = data

    def write_to_stream(self, stream, encryption_key=None) -> None:
        stream.write(self.data)


def _holds_reference(obj) -> bool:
    """Whether a parsed object is or holds an indirect reference."""
    if isinstance(obj, IndirectObject):
        return True
    if isinstance(obj, DictionaryObject):
        return any(_holds_reference(value) for value in obj.values())
    return isinstance(obj, ArrayObject) and any(_holds_reference(item) for item in obj)


_INDIRECT_LENGTH = re.compile(rb"/Length\s+\d+\s+\d+\s+R")
_CONTAINERS = frozenset({DictionaryObject, EncodedStreamObject, DecodedStreamObject})
_ATOMS = frozenset({NameObject, NumberObject, FloatObject, BooleanObject, NullObject, TextStringObject,
                    ByteStringObject})


class _NotKept(Exception):
    """An object holding a part not of the kinds _bound_copy copies."""


def _bound_copy(obj, reader):
    """A copy of a parsed object, its references pointing into `reader`; atoms (immutable)
    are shared."""
    kind = type(obj)
    if kind in _ATOMS:
        return obj
    if kind is IndirectObject:
        return IndirectObject(obj.idnum, obj.generation, reader)
    if kind is ArrayObject:
        return ArrayObject([_bound_copy(item, reader) for item in obj])
    if kind not in _CONTAINERS:
        raise _NotKept
    copy = kind()
    if kind is not DictionaryObject:
        copy._data = obj._data
    for key, value in obj.items():
        dict.__setitem__(copy, key, _bound_copy(value, reader))
    return copy


class _ReusingReader(PdfReader):
    """A PdfReader that takes the objects it can from a KeptImposition and keeps the others it
    parses for the next PDF: those in the cross-reference table, of a PDF not encrypted, that
    start `N 0 obj` where the table says and whose parse reads no byte past the next object
    (their bytes are all their parse depends on)."""

    def __init__(self, stream: io.BytesIO, kept: KeptImposition):
        self._kept = kept
        self._raw: dict[int, tuple[bytes, int]] = {}  # object number → its bytes (to the next object's), end
        self._whole: set[int] = set()  # the objects read that are all their bytes, kept or reused
        kept._start()
        super().__init__(stream)
        if self._encryption is not None:
            return
        data = stream.getvalue()
        offsets = sorted((offset, number) for number, offset in self.xref.get(0, {}).items()
                         if number not in self.xref_objStm)
        for (start, number), (end, _) in zip(offsets, [*offsets[1:], (len(data), 0)]):
            raw = data[start:end]
            if raw.startswith(b"%d 0 obj" % number):
                self._raw[number] = raw, end

    def get_object(self, indirect_reference: int | IndirectObject) -> PdfObject | None:
        number, generation = ((indirect_reference, 0) if isinstance(indirect_reference, int)
                              else (indirect_reference.idnum, indirect_reference.generation))
        raw, end = self._raw.get(number, (None, 0)) if generation == 0 else (None, 0)
        if raw is None or (0, number) in self.resolved_objects:
            return super().get_object(indirect_reference)
        obj = self._kept._get(raw, self)
        if obj is not None:
            self._whole.add(number)
            return self.cache_indirect_object(0, number, obj)
        obj = super().get_object(indirect_reference)
        if self.stream.tell() <= end and self._kept._keep(raw, obj):
            self._whole.add(number)
        return obj

    def whole_bytes(self, reference) -> bytes | None:
        """The bytes of the object `reference` names, when they are all its parse depends on."""
        if isinstance(reference, IndirectObject) and reference.generation == 0 and reference.idnum in self._whole:
            return self._raw[reference.idnum][0]
        return None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


class _EmptyPage(ValueError):
    """A page whose crop box (the part a viewer shows: the media box when it has none) is empty."""

    def __init__(self, number: int):
        super().__init__(f"page {number} has an empty crop box")
        self.number = number


def _source_page(page, rotate: int, number: int) -> SourcePage:
    """The page's boxes as ISO 32000-1 § 14.11.2 nests them: trim ⊆ bleed ⊆ crop ⊆ media (a
    box reaching outside its container is cut to it). A page without a BleedBox or TrimBox
    has them equal to the CropBox (pypdf's defaults), i.e. no bleed; an empty or outlying
    one is ignored as well."""
    crop = _rect(page.cropbox)
    if crop is None:
        raise _EmptyPage(number)
    box = _within(_rect(page.bleedbox), crop) if "/BleedBox" in page else crop
    trim = _within(_rect(page.trimbox), box) if "/TrimBox" in page else None
    if trim is not None and all(abs(a - b) < 0.01 for a, b in zip(trim, box)):
        trim = None
    return SourcePage(box, rotate, trim)


def _rect(box) -> tuple[float, float, float, float] | None:
    """The box's corners; None for an empty one."""
    x0, y0, x1, y1 = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    return (x0, y0, x1, y1) if x1 - x0 > 0 and y1 - y0 > 0 else None


def _within(inner, outer) -> tuple[float, float, float, float]:
    """`inner` cut to `outer`; `outer` when it is empty or they do not overlap (a broken box is
    ignored)."""
    if inner is None:
        return outer
    x0, y0 = max(inner[0], outer[0]), max(inner[1], outer[1])
    x1, y1 = min(inner[2], outer[2]), min(inner[3], outer[3])
    return (x0, y0, x1, y1) if x1 - x0 > 0 and y1 - y0 > 0 else outer


@functools.lru_cache(maxsize=4096)
def _number(value: float) -> str:
    """`value` in a content stream; cached, as the sheets of a booklet repeat the same few
    matrices and clips, hundreds of numbers each."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_print_pdf(source: SourcePDF, drawings: list[Drawing], output: Path, *, flip: str | None,
                    title: str | None = None, outputs: Outputs | None = None) -> list[str]:
    """Write `drawings` as the pages of `output`, atomically (as one file of `outputs`, when
    given), the source pages' visible annotations drawn with them and their links kept where
    they still work; returns the warning naming what was left out (or nothing).

    flip: "long" or "short" for the /Duplex viewer preference, None for single-sided.
    """
    with quiet_pypdf():
        return _write_print_pdf(source, drawings, Path(output), flip, title, outputs)


def _write_print_pdf(source: SourcePDF, drawings: list[Drawing], output: Path, flip: str | None,
                     title: str | None, outputs: Outputs | None) -> list[str]:
    writer = PdfWriter()
    forms: dict[int, object] = {}
    shared_resources: dict[object, object] = {}
    try:
        for drawing in drawings:
            for page_index, _, _ in drawing.placements:
                if page_index not in forms:
                    forms[page_index] = _form_xobject(writer, source, page_index,
                                                      drawing.form_matrices[page_index], shared_resources)
    except _PDF_ERRORS as exc:
        raise BookletError(f"cannot copy the pages of this PDF, it seems damaged ({_short(exc)})",
                           source.path) from None
    contents: dict[bytes, object] = {}
    for drawing in drawings:
        _add_sheet(writer, drawing, forms, contents)
    links, dropped = sheet_links(source.annotations, drawings)
    for page, page_links in zip(writer.pages, links):
        if page_links:
            page[NameObject("/Annots")] = ArrayObject(writer._add_object(_link_annotation(writer, link))
                                                      for link in page_links)
    _inherit_media_box(writer)

    duplex = {"long": "/DuplexFlipLongEdge", "short": "/DuplexFlipShortEdge", None: "/Simplex"}[flip]
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject({
        NameObject("/Duplex"): NameObject(duplex),
        NameObject("/PrintScaling"): NameObject("/None"),
    })
    info = {"/Producer": "booklet (pypdf)"}
    if title:
        info["/Title"] = title
    writer.add_metadata(info)
    try:
        write_output(output, writer.write, outputs)
    except _PDF_ERRORS as exc:
        raise BookletError(f"cannot write the print PDF ({_short(exc)})", output) from None
    return dropped_warning(dropped)


def source_title(source: SourcePDF) -> str | None:
    """The source's /Title, carried over to the print PDF."""
    try:
        with quiet_pypdf():
            meta = source.reader.metadata
            title = meta.title if meta else None
    except _PDF_ERRORS:
        return None
    return str(title) if title else None


def _form_xobject(writer: PdfWriter, source: SourcePDF, page_index: int, matrix, shared_resources):
    page = source.reader.pages[page_index]
    resources = _resources(writer, page.get("/Resources"), shared_resources)
    annotations = read_annotations(source.reader, page)
    source.annotations[page_index] = annotations
    reference = page.get("/Contents")
    contents = reference.get_object() if reference is not None else None
    box = source.pages[page_index].box
    # a page form is all its content stream's bytes, its place and the number of its resources
    # (a /Group or an appearance would be objects of their own)
    key = None
    if isinstance(resources, IndirectObject) and "/Group" not in page and not annotations.appearances:
        raw = source.whole_bytes(reference)
        if raw is not None and not any(_holds_reference(contents.get(k)) for k in ("/Filter", "/DecodeParms")):
            key = (raw, page_index, box, tuple(matrix), resources.idnum)
            written = source.kept.form(key)
            if written is not None:
                return writer._add_object(written)
    form: StreamObject
    if isinstance(contents, EncodedStreamObject):
        # Keep the page's own compressed bytes: no decoding, no recompression (pypdf has no
        # public accessor for a stream's encoded bytes, hence _data).
        form = EncodedStreamObject()
        form._data = contents._data
        for name in ("/Filter", "/DecodeParms"):
            if name in contents:
                form[NameObject(name)] = contents[name].clone(writer)
    else:
        if isinstance(contents, StreamObject):
            data = contents.get_data()
        elif isinstance(contents, ArrayObject):
            data = b"\n".join(part.get_object().get_data() for part in contents)
        else:
            data = b""
        form = EncodedStreamObject()
        form._data = zlib.compress(data, 9)
        form[NameObject("/Filter")] = NameObject("/FlateDecode")
    # /Type is optional for an XObject and /Matrix defaults to identity: every byte saved
    # here is saved once per page
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/Name")] = NameObject(f"/P{page_index}")  # the source page, for `booklet verify`
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in box)
    if tuple(matrix) != (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
        form[NameObject("/Matrix")] = ArrayObject(FloatObject(round(v, 6)) for v in matrix)
    form[NameObject("/Resources")] = resources
    group = page.get("/Group")
    if group is not None:
        form[NameObject("/Group")] = group.clone(writer)
    if key is not None:  # written now, as the writer would, and kept for the next imposition
        return writer._add_object(source.kept.keep_form(key, form))
    if not annotations.appearances:
        return writer._add_object(form)
    # Flattened: the page's own content becomes an inner form, drawn first by an outer one that
    # then draws every appearance where it lies on the page (its matrix as § 12.5.5 computes it).
    outer_matrix = form.pop("/Matrix", None)
    del form["/Name"]
    xobjects = DictionaryObject({NameObject("/C"): writer._add_object(form)})
    ops = ["/C Do"]
    for k, appearance in enumerate(annotations.appearances):
        cloned = appearance.form.clone(writer)
        xobjects[NameObject(f"/A{k}")] = cloned.indirect_reference or writer._add_object(cloned)
        ops.append(f"q {' '.join(_number(v) for v in appearance.matrix)} cm /A{k} Do Q")
    outer = EncodedStreamObject()
    outer._data = zlib.compress("\n".join(ops).encode("ascii"), 9)
    outer[NameObject("/Filter")] = NameObject("/FlateDecode")
    outer[NameObject("/Subtype")] = NameObject("/Form")
    outer[NameObject("/Name")] = NameObject(f"/P{page_index}")
    outer[NameObject("/BBox")] = form["/BBox"]
    if outer_matrix is not None:
        outer[NameObject("/Matrix")] = outer_matrix
    outer[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    return writer._add_object(outer)


def _link_annotation(writer: PdfWriter, link: SheetLink) -> DictionaryObject:
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): RectangleObject(link.rect),
        NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
    })
    if link.uri is not None:
        annotation[NameObject("/A")] = DictionaryObject({NameObject("/S"): NameObject("/URI"),
                                                         NameObject("/URI"): TextStringObject(link.uri)})
    else:
        annotation[NameObject("/Dest")] = ArrayObject([writer.pages[link.sheet].indirect_reference,
                                                       NameObject("/Fit")])
    return annotation


def _resources(writer: PdfWriter, resources, shared: dict):
    """The page's resources in the output. Indirect ones are cloned once (pypdf maps each
    source object to one copy); identical direct dictionaries, which many producers repeat
    on every page, become one shared indirect object."""
    if resources is None:
        return DictionaryObject()
    if isinstance(resources, IndirectObject):
        return resources.clone(writer)
    key = repr(resources)
    if key not in shared:
        shared[key] = writer._add_object(resources.clone(writer))
    return shared[key]


def _add_sheet(writer: PdfWriter, drawing: Drawing, forms, contents: dict[bytes, object]) -> None:
    """One sheet side. Pages are named by their place in the drawing (/S0, /S1 …), not by
    page number, so sheets laid out alike have byte-identical content streams, stored once."""
    width, height = drawing.size
    ops: list[str] = []
    names: dict[str, int] = {}
    for j, (page_index, matrix, clip) in enumerate(drawing.placements):
        name = f"/S{j}"
        names[name] = page_index
        x0, y0, x1, y1 = clip
        ops.append(f"q {_number(x0)} {_number(y0)} {_number(x1 - x0)} {_number(y1 - y0)} re W n "
                   f"{' '.join(_number(v) for v in matrix)} cm {name} Do Q")
    if drawing.marks:
        ops.append("q 0 G 0 g 1 J")
        for mark in drawing.marks:
            if isinstance(mark, Line):
                dash = " ".join(_number(d) for d in mark.dash)
                ops.append(f"{_number(mark.width)} w [{dash}] 0 d {_number(mark.x0)} {_number(mark.y0)} m "
                           f"{_number(mark.x1)} {_number(mark.y1)} l S")
            else:
                ops.append(f"{_number(mark.x0)} {_number(mark.y0)} {_number(mark.x1 - mark.x0)} "
                           f"{_number(mark.y1 - mark.y0)} re f")
        ops.append("Q")
    data = "\n".join(ops).encode("ascii")
    if data not in contents:
        content = EncodedStreamObject()
        content._data = zlib.compress(data, 9)
        content[NameObject("/Filter")] = NameObject("/FlateDecode")
        contents[data] = writer._add_object(content)

    page = writer.add_blank_page(width, height)
    page[NameObject("/Contents")] = contents[data]
    xobjects = DictionaryObject({NameObject(name): forms[i] for name, i in names.items()})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    if drawing.trim is not None and any(abs(a - b) > 0.01 for a, b in zip(drawing.trim, (0, 0, width, height))):
        page[NameObject("/TrimBox")] = RectangleObject(drawing.trim)
    if drawing.bleed is not None:
        page[NameObject("/BleedBox")] = RectangleObject(drawing.bleed)
    # add_blank_page stores the size as given: exact floats, never PaperSize's rounded values
    page[NameObject("/MediaBox")] = RectangleObject((0, 0, width, height))


def _inherit_media_box(writer: PdfWriter) -> None:
    """When all sheets have one size, state it once on the page tree (an inheritable
    attribute, PDF 1.7 § 7.7.3.4) instead of on every sheet."""
    pages = writer.root_object["/Pages"].get_object()
    kids = [kid.get_object() for kid in pages["/Kids"]]
    boxes = {tuple(float(v) for v in kid["/MediaBox"]) for kid in kids}
    if len(boxes) == 1:
        pages[NameObject("/MediaBox")] = kids[0]["/MediaBox"]
        for kid in kids:
            del kid["/MediaBox"]


def write_pdf_bytes(data: bytes, output: Path, outputs: Outputs | None = None) -> None:
    """Write finished PDF bytes (guide, test sheet) atomically (as one file of `outputs`, when given)."""
    write_atomic(Path(output), data, outputs)


def finish_pdf_bytes(data: bytes, flip: str | None) -> bytes:
    """Add the /Duplex and /PrintScaling /None viewer preferences to a finished PDF."""

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    duplex = {"long": "/DuplexFlipLongEdge", "short": "/DuplexFlipShortEdge", None: "/Simplex"}[flip]
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject({
        NameObject("/Duplex"): NameObject(duplex),
        NameObject("/PrintScaling"): NameObject("/None"),
    })
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_duplex(path: Path) -> bool:
    """Whether a print PDF asks for double-sided printing (its /Duplex viewer preference is a
    flip edge, not /Simplex, which single-sided and manual-duplex files have)."""
    with quiet_pypdf():
        preferences = open_reader(path).trailer["/Root"].get("/ViewerPreferences", {})
        return str(preferences.get_object().get("/Duplex", "/Simplex")) != "/Simplex" if preferences else False


def place_pages(data: bytes, pages: dict[int, Path]) -> tuple[bytes, list[int]]:
    """The PDF `data` with the first page of each PDF in `pages` (page_index → file: covers made
    elsewhere) drawn on that page, which the typesetter left blank: its trim (or visible box) on
    the page's trim, as it is when they are the same size (its bleed runs into the page's), else
    scaled to fit and centred. Returns the new PDF and the indices of the pages that were scaled."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    scaled = []
    for page_index, path in sorted(pages.items()):
        source = SourcePDF(path)
        with quiet_pypdf():
            try:
                made = source.reader.pages[0]
                if made.rotation % 360:  # as a viewer shows it: turn the content, not the page
                    made = PdfWriter().add_page(made)
                    made.transfer_rotation_to_content()
                shown = _source_page(made, 0, 1)
                x0, y0, x1, y1 = shown.trim or shown.box
            except _PDF_ERRORS as exc:
                raise BookletError(f"not a readable PDF ({_short(exc)})", path) from None
            target = writer.pages[page_index]
            tx0, ty0, tx1, ty1 = _rect(target.trimbox if "/TrimBox" in target else target.mediabox)
            width, height = tx1 - tx0, ty1 - ty0
            scale = 1.0
            if abs(x1 - x0 - width) >= 0.5 or abs(y1 - y0 - height) >= 0.5:
                scale = min(width / (x1 - x0), height / (y1 - y0))
                scaled.append(page_index)
            dx = tx0 + (width - (x1 - x0) * scale) / 2 - x0 * scale
            dy = ty0 + (height - (y1 - y0) * scale) / 2 - y0 * scale
            target.merge_transformed_page(made, Transformation().scale(scale).translate(dx, dy))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), scaled


def read_print_pdf(path: Path) -> list[tuple[tuple[float, float], list[tuple[int, int, float, float]]]]:
    """A print PDF written by write_print_pdf → for every page: (size, placements), each
    placement (source page_index, rotation in degrees counter-clockwise, centre x, centre y).

    Reads what the sheets really draw (the `cm` before each `/Pn Do` and the form's box), so
    `booklet verify` checks the file, not the plan that made it.
    """
    try:
        reader = open_reader(path)
        return [((float(page.mediabox.width), float(page.mediabox.height)), _placements(page))
                for page in reader.pages]
    except BookletError:
        raise
    except (*_PDF_ERRORS, OSError) as exc:
        raise BookletError(f"not a readable print PDF ({_short(exc)})", path) from None


def _placements(page) -> list[tuple[int, int, float, float]]:
    """The booklet pages a print PDF's page draws: (page_index, rotation, centre x, centre y)."""
    from .geometry import multiply, transform_rect

    xobjects = page.get("/Resources", {}).get_object().get("/XObject", {})
    xobjects = xobjects.get_object() if xobjects else {}
    placements = []
    matrix = None
    stack = []
    contents = page.get_contents()
    operations = contents.operations if contents is not None else []
    for operands, operator in operations:
        if operator == b"q":
            stack.append(matrix)
        elif operator == b"Q":
            matrix = stack.pop() if stack else None
        elif operator == b"cm":
            matrix = tuple(float(v) for v in operands)
        elif operator == b"Do" and matrix is not None:
            form = xobjects.get(str(operands[0]))
            # the source page is the form's /Name; files from before /S names used it directly
            name = str(form.get_object().get("/Name", operands[0])) if form is not None else ""
            if not name.startswith("/P") or not name[2:].isdigit():
                continue
            form = form.get_object()
            bbox = [float(v) for v in form["/BBox"]]
            fm = tuple(float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0]))
            x0, y0, x1, y1 = transform_rect(multiply(fm, matrix), tuple(bbox))
            a, b = matrix[0], matrix[1]
            rotation = (0 if abs(b) < 1e-9 and a > 0 else 180 if abs(b) < 1e-9
                        else 90 if b > 0 else 270)
            placements.append((int(name[2:]), rotation, (x0 + x1) / 2, (y0 + y1) / 2))
    return placements
