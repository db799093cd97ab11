"""Layout files (layouts/*.toml, or a user's own) → `Layout`, with every length in points.

Millimetres exist only in the TOML files; everything after this module works in points
(1 pt = 1/72 inch), so geometry is exact: A4 is 595.2756 × 841.8898 pt.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from .errors import BookletError, Collector, not_utf8
from .fonts import BUNDLED, FontFamily, resolve_family
from .paper import MM, PAPER_SIZES_MM, paper_name, paper_size


@dataclass(frozen=True)
class Margins:
    """Page margins in points; inner is the spine side, outer the fore-edge."""

    inner: float
    outer: float
    top: float
    bottom: float

@dataclass(frozen=True)
class TextStyle:
    """How one kind of text is set. Lengths in points; align is left/center/right/justify."""

    font: str
    size: float
    leading: float
    space_before: float = 0.0
    space_after: float = 0.0
    align: str = "left"
    first_indent: float = 0.0
    hyphenate: bool = False
    bold: bool = False
    italic: bool = False
    balance: bool = False  # ragged lines of about one length (titles): "Small Presses, / Long Tables"


MARKER_ASCENT = 0.75
"""How far a marker's figures and arrows reach above its baseline, in ems (a text face's
figures are about 0.7 em tall)."""


@dataclass(frozen=True)
class Marker:
    """The running page marker: `format` gets `{n}`, the 1-based physical page number."""

    format: str
    font: str
    size: float
    baseline: float  # distance of the marker's baseline above the bottom edge of the page

@dataclass(frozen=True)
class Hyphenation:
    """Where words may break, and what a break costs the line breaker: a higher `penalty`
    gives fewer hyphenated lines and looser word spacing (TeX's \\hyphenpenalty)."""

    min_before: int = 2
    min_after: int = 3
    penalty: float = 200.0

@dataclass(frozen=True)
class Justification:
    """How far a justified line's glyphs may give, both means at once, the same share of each
    limit (they take a little more than their part of the line's slack, the word spaces the
    rest: `words.Spacing.glyph_lead`): `glyph_scaling`, a share of their width (Adobe's advice:
    within 3 %), and `letter_spacing`, ems of space after each glyph (0.01 em is 3.4 % of
    Charis's word space). Either at 0 turns it off; less give means more hyphens or looser word
    spaces (benchmarks/typography.md, "Letter spacing")."""

    glyph_scaling: float = 0.02
    letter_spacing: float = 0.01


@dataclass(frozen=True)
class ImageSettings:
    mode: str = "color"  # "color" or "gray"
    target_ppi: float = 300.0
    warn_below_ppi: float = 150.0
    max_height: float = 0.7  # share of the text block height
    jpeg_quality: int = 88

@dataclass(frozen=True)
class TableSettings:
    """How wide tables are fitted: their type shrinks down to `min_size` points before a
    table is turned sideways onto a page of its own."""

    min_size: float = 6.0


@dataclass(frozen=True)
class NoteSettings:
    """Where footnotes go: "foot" sets each at the foot of the page that calls it (a note
    taller than `max_share` of the text block goes to the article's end instead), "end" sets
    them all at the end of their article."""

    place: str = "foot"
    max_share: float = 0.35


@dataclass(frozen=True)
class CoverSettings:
    """The built-in cover: `title` "over" a full-page cover picture (at its top, on a band that
    keeps it legible) or "under" it (the picture fills the top `picture_height` share of the
    page); `title_color` (r, g, b in 0–1) of the title lines; the contents on the "cover" (when
    they fit) or on "page2"."""

    title: str = "under"
    title_color: tuple[float, float, float] = (0.0, 0.0, 0.0)
    contents: str = "cover"
    picture_height: float = 0.62


@dataclass(frozen=True)
class Imposition:
    scheme: str
    sheet_width: float
    sheet_height: float

@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    page_width: float
    page_height: float
    margins: Margins
    fonts: dict[str, FontFamily]  # role ("body", "title", "mono") → the files of its faces
    fallback_fonts: tuple[FontFamily, ...]  # tried in order for characters a face lacks
    styles: dict[str, TextStyle]
    marker: Marker
    imposition: Imposition
    hyphenation: Hyphenation = field(default_factory=Hyphenation)
    justification: Justification = field(default_factory=Justification)
    images: ImageSettings = field(default_factory=ImageSettings)
    tables: TableSettings = field(default_factory=TableSettings)
    notes: NoteSettings = field(default_factory=NoteSettings)
    cover: CoverSettings = field(default_factory=CoverSettings)
    path: Path | None = None  # the file it was read from, for messages
    bleed: float = 0.0  # points of picture beyond the trim on every side, still to be added (see bled)
    trim_inset: float = 0.0  # points between the page's edge and its trim (bleed already added)
    binding: str = "left"  # the spine's side ("right": set by bound(), margins already swapped)

    @property
    def text_width(self) -> float:
        return self.page_width - self.margins.inner - self.margins.outer

    @property
    def text_height(self) -> float:
        return self.page_height - self.margins.top - self.margins.bottom

    @property
    def last_baseline(self) -> float:
        """The baseline of a full page's last line of body text, down from the top of the text
        block: where both pages of a spread end, their foot notes included."""
        body = self.styles["body"]
        lines = int((self.text_height + 1e-6) // body.leading)
        return (lines - 1) * body.leading + body.size

def with_page_size(layout: Layout, size: tuple[float, float]) -> Layout:
    """The layout on pages of `size` points: margins, type and marker stay as they are (so a
    half-letter page keeps the A5 layout's look); refused when the margins leave no room."""
    width, height = size
    m = layout.margins
    if m.inner + m.outer >= width * 0.8 or m.top + m.bottom >= height * 0.8:
        raise layout_error(layout, f"the margins leave no room for text on {width / MM:.0f} × "
                                   f"{height / MM:.0f} mm pages (the slots of that sheet)", "margins")
    return replace(layout, page_width=width, page_height=height)


def bound(layout: Layout, binding: str) -> Layout:
    """The layout for a booklet bound on `binding` ("left" or "right"). Bound on the right, the
    odd pages lie left of the spine, so their inner margin is on the right: the typesetter's
    mirrored margins (inner on the left of odd pages) are given inner and outer swapped, and
    `binding` tells it to ask viewers for spreads from right to left."""
    if binding != "right":
        return layout
    m = layout.margins
    return replace(layout, margins=Margins(m.outer, m.inner, m.top, m.bottom), binding="right")


def bled(layout: Layout) -> Layout:
    """The layout on pages grown by its bleed on every side: the page the typesetter draws (the
    PDF's MediaBox and BleedBox), its content where it was on the trimmed page (margins and the
    marker's baseline move out by the bleed), and `trim_inset` saying where the trim is. Full-page
    pictures, which fill the page, then run into the bleed. A layout without bleed is returned as is."""
    b = layout.bleed
    if not b:
        return layout
    m = layout.margins
    return replace(layout, page_width=layout.page_width + 2 * b, page_height=layout.page_height + 2 * b,
                   margins=Margins(m.inner + b, m.outer + b, m.top + b, m.bottom + b),
                   marker=replace(layout.marker, baseline=layout.marker.baseline + b),
                   bleed=0.0, trim_inset=layout.trim_inset + b)


MIN_LEADING = 0.8
"""Leading below this share of the type size makes lines overlap."""

STYLE_NAMES = (
    "body", "title", "dateline", "author", "heading2", "heading3", "heading4", "caption",
    "quote", "code", "list", "ornament", "cover_title", "cover_subtitle", "cover_meta",
    "toc", "colophon", "table", "footnote",
)
OPTIONAL_STYLES = {"table": 0.9, "footnote": 0.82}
"""Styles a layout may leave out (layouts written before tables and footnotes existed): they
are then set in the body face at this share of its size, ragged (tables) or justified."""

def _derived_style(body: TextStyle, share: float, justify: bool) -> TextStyle:
    size = round(body.size * share, 1)
    return TextStyle(font=body.font, size=size, leading=round(body.leading * share, 1),
                     align="justify" if justify else "left", hyphenate=True)


def builtin_layouts() -> dict[str, Path]:
    """Built-in layout names → their files, found inside the installed package."""
    folder = resources.files("booklet.layout_files")
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    }

def load_layout(name_or_path: str, relative_to: Path | None = None) -> Layout:
    """A layout by built-in name (`pocket`) or by path to a TOML file.

    A path is taken relative to `relative_to` (the folder of the file that names it).
    """
    builtins = builtin_layouts()
    if name_or_path in builtins:
        return parse_layout(builtins[name_or_path])
    looks_like_path = name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path
    if not looks_like_path:
        hint = did_you_mean(name_or_path, builtins)
        raise BookletError(
            f"unknown layout {name_or_path!r}{hint}; built-in layouts: {', '.join(sorted(builtins))}"
        )
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if path.is_dir():
        raise BookletError("is a folder, not a layout file (.toml)", path)
    if not path.is_file():
        builtin = f" (the built-in layout is named without .toml: {path.stem})" if path.stem in builtins else ""
        raise BookletError(f"layout file not found{builtin}", path)
    return parse_layout(path)

def parse_layout(path: Path) -> Layout:
    try:
        text = path.read_text(encoding="utf-8-sig")  # (Notepad writes a byte-order mark, TOML has none)
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BookletError(f"invalid TOML: {exc}", path, _toml_error_line(exc)) from None
    except UnicodeDecodeError as exc:
        raise not_utf8(exc, path) from None
    except OSError as exc:
        raise BookletError(f"cannot read layout: {exc}", path) from None
    return _LayoutReader(path, text).read(data)

def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    text = str(exc)
    marker = "(at line "
    if marker in text:
        try:
            return int(text.split(marker, 1)[1].split(",", 1)[0])
        except ValueError:
            return None
    return None

_TABLE_HEADER = re.compile(r"\[\s*([^\[\]]+?)\s*\]")


def toml_line(text: str, table: str, key: str | None = None) -> int | None:
    """The 1-based line where `key` is set in `[table]` (or the table's header), for messages.

    `table` is a dotted name such as "styles.body"; "top level" is the part before any header.
    """
    section = "top level"
    header_line = subtable_line = None
    subtable = key if table == "top level" else f"{table}.{key}"
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = _TABLE_HEADER.match(stripped)
        if header and not stripped.startswith("[["):
            section = ".".join(part.strip().strip('"') for part in header.group(1).split("."))
            if section == table and header_line is None:
                header_line = number
            if section == subtable and subtable_line is None:
                subtable_line = number
            continue
        if section == table and key is not None and re.match(rf'"?{re.escape(key)}"?\s*=', stripped):
            return number
    return subtable_line or header_line


def layout_error(layout: Layout, message: str, table: str, key: str | None = None) -> BookletError:
    """An error in a layout found by a later stage, located at `key` in `[table]` of its file."""
    try:
        text = layout.path.read_text(encoding="utf-8-sig") if layout.path else ""
    except (OSError, UnicodeDecodeError):  # (it was read before; changed since, it gives no line)
        text = ""
    return BookletError(message, layout.path, toml_line(text, table, key) if text else None)


def as_written(value: Any) -> str:
    """A value as TOML writes it (true, "10mm", [1, 2], nan), for a message about it."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def closest(word: str, choices) -> str | None:
    """The one of `choices` that `word` was most likely meant to be, if any is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return close[0] if close else None


def did_you_mean(word: str, choices, shown: Callable[[str], str] = repr) -> str:
    """` (did you mean 'x'?)` for the closest of `choices` (written by `shown`), or nothing."""
    close = closest(word, choices)
    return f" (did you mean {shown(close)}?)" if close else ""


class _LayoutReader:
    """Checks the TOML tables key by key so that every mistake names the key and file.

    A wrong value is noted (`errors`) and read as a stand-in, so that the keys after it are
    checked too and `booklet check` lists every mistake of a table, not only its first; a
    table that cannot be read at all (not a table, a style missing, a font not found) raises.
    """

    def __init__(self, path: Path, text: str = ""):
        self.path = path
        self.text = text
        self.errors = Collector()
        self.misspelt: set[tuple[str, str]] = set()  # (table, key) an unknown key was close to

    def fail(self, message: str, table: str | None = None, key: str | None = None) -> BookletError:
        line = toml_line(self.text, table, key) if table is not None else None
        return BookletError(message, self.path, line)

    def wrong(self, message: str, table: str, key: str | None, stand_in: Any) -> Any:
        """Note a wrong value; go on with `stand_in`."""
        with self.errors.attempt():
            raise self.fail(message, table, key)
        return stand_in

    def table(self, data: dict[str, Any], key: str, allowed: tuple[str, ...], where: str = "") -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(f"[{where}{key}] must be a table", where.rstrip(".") or "top level", key)
        self.check_keys(value, allowed, f"{where}{key}")
        return value

    def check_keys(self, data: dict[str, Any], allowed, where: str) -> None:
        for key in data:
            if key not in allowed:
                meant = closest(key, allowed)
                if meant is not None:
                    self.misspelt.add((where, meant))
                self.wrong(f"unknown key {key!r} in [{where}]{did_you_mean(key, allowed)}", where, key, None)

    def number(self, data: dict[str, Any], key: str, where: str, default: float | None = None,
               within: tuple[float, float] = (0.0, 1000.0)) -> float:
        """A number in the range `within` (inclusive; the unit is the file's: mm, pt or a count)."""
        value = data.get(key, default)
        low, high = within
        if value is None:  # (not said again for a key written wrong: "did you mean" said it)
            if (where, key) in self.misspelt:
                return low
            return self.wrong(f"[{where}] needs {key!r}", where, None, low)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.wrong(f"[{where}] {key} must be a number, not {as_written(value)}", where, key, low)
        if not low <= value <= high:  # also refuses nan and inf
            return self.wrong(f"[{where}] {key} must be between {low:g} and {high:g}, not {as_written(value)}",
                              where, key, low)
        return float(value)

    def string(self, data: dict[str, Any], key: str, where: str, default: str | None = None,
               choices: tuple[str, ...] | None = None) -> str:
        value = data.get(key, default)
        stand_in = default if default is not None else choices[0] if choices else ""
        if not isinstance(value, str):
            return self.wrong(f"[{where}] {key} must be a string, not {as_written(value)}", where, key, stand_in)
        if choices is not None and value not in choices:
            return self.wrong(f"[{where}] {key} must be one of {', '.join(choices)}, not {as_written(value)}"
                              f"{did_you_mean(value, choices, as_written)}", where, key, stand_in)
        return value

    def flag(self, data: dict[str, Any], key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            return self.wrong(f"[{where}] {key} must be true or false, not {as_written(value)}", where, key, False)
        return value

    def size(self, data: dict[str, Any], where: str, keys: tuple[str, str, str] = ("size", "width", "height")
             ) -> tuple[float, float]:
        """`size = "A6"` or `width = 105` and `height = 148` (mm)."""
        size, width, height = keys
        if size in data:
            written = data[size]  # a name in any case, as --sheet takes it
            name = paper_name(written) if isinstance(written, str) else None
            return paper_size(name or self.string(data, size, where, choices=tuple(PAPER_SIZES_MM)))
        if width not in data and height not in data:
            example = "A6" if where == "page" else "A4"
            raise self.fail(f"[{where}] needs {size} = \"{example}\" (a paper name) or {width} and {height} in mm",
                            where)
        return (self.number(data, width, where, within=(10.0, 2000.0)) * MM,
                self.number(data, height, where, within=(10.0, 2000.0)) * MM)

    def read(self, data: dict[str, Any]) -> Layout:
        """The layout; the mistakes of all its tables are raised together (BookletErrors)."""
        errors = self.errors
        with errors.attempt():
            self.check_keys(data, ("description", "page", "margins", "fonts", "styles", "marker",
                                   "imposition", "hyphenation", "justification", "images", "tables", "notes",
                                   "cover"), "top level")
        description = ""
        with errors.attempt():
            description = self.string(data, "description", "top level", default="")
        page_width, page_height = paper_size("A6")  # stand-ins while the real ones are wrong
        bleed = 0.0
        with errors.attempt():
            page = self.table(data, "page", ("size", "width", "height", "bleed"))
            page_width, page_height = self.size(page, "page")
            # 3 mm is the copy-shop convention; more than 10 mm is paper thrown away
            bleed = self.number(page, "bleed", "page", default=0.0, within=(0.0, 10.0)) * MM
        margins = Margins(0.0, 0.0, 0.0, 0.0)
        margins_read = False  # whether they are the file's, not stand-ins for wrong or missing ones
        with errors.attempt():
            wrong_before = len(errors.problems)
            margins = self._margins(data, page_width, page_height)
            margins_read = len(errors.problems) == wrong_before
        fonts: dict[str, FontFamily] = {}
        fallback: tuple[FontFamily, ...] = ()
        with errors.attempt():
            fonts, fallback = self._fonts(data)
        styles_data: dict[str, Any] = {}
        with errors.attempt():
            styles_data = self.table(data, "styles", STYLE_NAMES)
        styles = {}
        for name in STYLE_NAMES:
            with errors.attempt():
                if name in OPTIONAL_STYLES and name not in styles_data:
                    if "body" in styles:  # (a wrong body style is reported already)
                        styles[name] = _derived_style(styles["body"], OPTIONAL_STYLES[name], name == "footnote")
                else:
                    styles[name] = self._style(styles_data, name, page_width - margins.inner - margins.outer)
        parts: dict[str, Any] = {}
        readers = {
            "marker": lambda: self._marker(data, page_height, margins.bottom if margins_read else None),
            "imposition": lambda: self._imposition(data),
            "hyphenation": lambda: self._hyphenation(data),
            "justification": lambda: self._justification(data),
            "images": lambda: self._images(data),
            "tables": lambda: self._tables(data),
            "notes": lambda: self._notes(data),
            "cover": lambda: self._cover(data),
        }
        for part, read in readers.items():
            with errors.attempt():
                parts[part] = read()
        errors.raise_any()
        return Layout(
            name=self.path.stem, description=description, page_width=page_width, page_height=page_height,
            margins=margins, fonts=fonts, fallback_fonts=fallback, styles=styles, path=self.path, bleed=bleed,
            **parts,
        )

    def _margins(self, data: dict[str, Any], page_width: float, page_height: float) -> Margins:
        m = self.table(data, "margins", ("inner", "outer", "top", "bottom"))
        margins = Margins(*(self.number(m, k, "margins") * MM for k in ("inner", "outer", "top", "bottom")))
        if margins.inner + margins.outer >= page_width * 0.8 or margins.top + margins.bottom >= page_height * 0.8:
            raise self.fail("[margins] leave almost no room for text", "margins")
        return margins

    def _fonts(self, data: dict[str, Any]) -> tuple[dict[str, FontFamily], tuple[FontFamily, ...]]:
        """Each role's family and the fallback chain, resolved to font files (see fonts.py)."""
        f = self.table(data, "fonts", ("body", "title", "mono", "fallback"))
        fonts = {}
        for role in ("body", "title", "mono"):
            spec = f.get(role)
            if not isinstance(spec, (str, dict)):
                raise self.fail(f"[fonts] {role} must name a font: a bundled family ({', '.join(BUNDLED)}), "
                                "a font file's path or a family installed on the system", "fonts", role)
            fonts[role] = self._family(spec, role)
        fallback = f.get("fallback", [])
        if not isinstance(fallback, list) or not all(isinstance(x, (str, dict)) for x in fallback):
            raise self.fail("[fonts] fallback must be a list of fonts (family names or file paths)",
                            "fonts", "fallback")
        return fonts, tuple(self._family(spec, "fallback") for spec in fallback)

    def _family(self, spec: str | dict, key: str) -> FontFamily:
        try:
            return resolve_family(spec, self.path.parent)
        except BookletError as exc:
            raise self.fail(f"[fonts] {key}: {exc.message}", "fonts", key) from None

    def _style(self, styles_data: dict[str, Any], name: str, text_width: float) -> TextStyle:
        s = styles_data.get(name)
        if not isinstance(s, dict):
            raise self.fail(f"[styles.{name}] is missing", "styles")
        where = f"styles.{name}"
        self.check_keys(s, ("font", "size", "leading", "space_before", "space_after", "align",
                            "first_indent", "hyphenate", "bold", "italic", "balance"), where)
        role = self.string(s, "font", where, default="body", choices=("body", "title", "mono"))
        size = self.number(s, "size", where, within=(1.0, 200.0))
        return TextStyle(
            font=role,
            size=size,
            leading=self.number(s, "leading", where, default=size * 1.25, within=(size * MIN_LEADING, 400.0)),
            space_before=self.number(s, "space_before", where, default=0.0, within=(0.0, 200.0)),
            space_after=self.number(s, "space_after", where, default=0.0, within=(0.0, 200.0)),
            align=self.string(s, "align", where, default="left", choices=("left", "center", "right", "justify")),
            first_indent=self.number(s, "first_indent", where, default=0.0, within=(0.0, round(text_width / 2))),
            hyphenate=self.flag(s, "hyphenate", where),
            bold=self.flag(s, "bold", where),
            italic=self.flag(s, "italic", where),
            balance=self.flag(s, "balance", where),
        )

    def _marker(self, data: dict[str, Any], page_height: float, bottom: float | None) -> Marker:
        """The marker; it sits in the bottom margin (`bottom`, points; None when the margins are
        wrong, and that is said already), under the text."""
        mk = self.table(data, "marker", ("format", "size", "baseline", "font"))
        fmt = self.string(mk, "format", "marker", default="← {n} →")
        try:
            valid = "{n}" in fmt and fmt.format(n=1) is not None
        except (KeyError, IndexError, ValueError, AttributeError):
            valid = False
        if not valid:
            raise self.fail("[marker] format must contain {n} and no other {…} (write {{ and }} for braces)",
                            "marker", "format")
        size = self.number(mk, "size", "marker", default=8.0, within=(1.0, 100.0))
        # the marker's descenders and ascenders must stay on the page (half its size below, one above)
        lowest, highest = 0.5 * size / MM, (page_height - size) / MM
        baseline = self.number(mk, "baseline", "marker", default=6.0,
                               within=(round(lowest + 0.05, 1), round(highest, 1))) * MM
        if bottom is not None and baseline + MARKER_ASCENT * size > bottom:  # over the last line of text
            raise self.fail(f"[marker] baseline = {baseline / MM:g} puts the page number into the text: with "
                            f"[margins] bottom = {bottom / MM:g} it must be at most "
                            f"{math.floor((bottom - MARKER_ASCENT * size) / MM * 10) / 10:g} (or make the bottom "
                            f"margin larger)", "marker", "baseline")
        return Marker(
            format=fmt,
            font=self.string(mk, "font", "marker", default="body", choices=("body", "title", "mono")),
            size=size,
            baseline=baseline,
        )

    def _imposition(self, data: dict[str, Any]) -> Imposition:
        imp = self.table(data, "imposition", ("scheme", "sheet", "sheet_width", "sheet_height"))
        sheet_w, sheet_h = self.size(imp, "imposition", ("sheet", "sheet_width", "sheet_height"))
        return Imposition(scheme=self.string(imp, "scheme", "imposition", default="cut-stack"),
                          sheet_width=sheet_w, sheet_height=sheet_h)

    def _hyphenation(self, data: dict[str, Any]) -> Hyphenation:
        hy = self.table(data, "hyphenation", ("min_before", "min_after", "penalty"))
        return Hyphenation(int(self.number(hy, "min_before", "hyphenation", 2, within=(1, 20))),
                           int(self.number(hy, "min_after", "hyphenation", 3, within=(1, 20))),
                           self.number(hy, "penalty", "hyphenation", Hyphenation.penalty, within=(0.0, 10000.0)))

    def _justification(self, data: dict[str, Any]) -> Justification:
        table = self.table(data, "justification", ("glyph_scaling", "letter_spacing"))
        return Justification(
            self.number(table, "glyph_scaling", "justification", Justification.glyph_scaling, within=(0.0, 0.05)),
            self.number(table, "letter_spacing", "justification", Justification.letter_spacing, within=(0.0, 0.05)))

    def _tables(self, data: dict[str, Any]) -> TableSettings:
        tables = self.table(data, "tables", ("min_size",))
        return TableSettings(self.number(tables, "min_size", "tables", TableSettings.min_size, within=(3.0, 30.0)))

    def _notes(self, data: dict[str, Any]) -> NoteSettings:
        notes = self.table(data, "notes", ("place", "max_share"))
        return NoteSettings(self.string(notes, "place", "notes", NoteSettings.place, choices=("foot", "end")),
                            self.number(notes, "max_share", "notes", NoteSettings.max_share, within=(0.1, 0.9)))

    def _cover(self, data: dict[str, Any]) -> CoverSettings:
        cv = self.table(data, "cover", ("title", "title_color", "contents", "picture_height"))
        colour = self.string(cv, "title_color", "cover", default="#000000")
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise self.fail(f'[cover] title_color must be a colour written "#rrggbb" (e.g. "#ffffff" for white), '
                            f"not {colour!r}", "cover", "title_color")
        return CoverSettings(
            title=self.string(cv, "title", "cover", default="under", choices=("over", "under")),
            title_color=tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)),
            contents=self.string(cv, "contents", "cover", default="cover", choices=("cover", "page2")),
            picture_height=self.number(cv, "picture_height", "cover", 0.62, within=(0.2, 1.0)),
        )

    def _images(self, data: dict[str, Any]) -> ImageSettings:
        im = self.table(data, "images", ("mode", "target_ppi", "warn_below_ppi", "max_height", "jpeg_quality"))
        return ImageSettings(
            mode=self.string(im, "mode", "images", default="color", choices=("color", "gray")),
            target_ppi=self.number(im, "target_ppi", "images", 300.0, within=(1.0, 4800.0)),
            warn_below_ppi=self.number(im, "warn_below_ppi", "images", 150.0, within=(0.0, 4800.0)),
            max_height=self.number(im, "max_height", "images", 0.7, within=(0.1, 1.0)),
            jpeg_quality=int(self.number(im, "jpeg_quality", "images", 88, within=(1, 100))),
        )
