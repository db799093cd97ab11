"""Font names and files → registered ReportLab fonts, and which characters each can set.

Two steps, kept apart so that a cache can wrap the second:

- *resolution* (`resolve_family`): what a layout names — a bundled family, the path of a
  TrueType file, or a family installed on the system (found with fontconfig's `fc-match`) —
  becomes a `FontFamily`, the files of its regular, bold, italic and bold italic faces;
- *loading* (`load_font`, `face_name`): one `FontFile` becomes a registered ReportLab font.
  `font_digest` is the digest of a registered font's file, for cache keys.

The bundled fonts live in the top-level fonts/ folder, installed as the `booklet.font_files`
package, so they are found through importlib.resources after any kind of install. ReportLab
embeds TrueType outlines only: fonts with PostScript (CFF) outlines and colour emoji fonts
(bitmaps) are refused with a line that says what to use instead. The character map ReportLab
writes for each subset is mended for characters beyond U+FFFF (`_to_unicode_cmap`).
"""

from __future__ import annotations

import difflib
import pickle
import re
import shutil
import struct
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Callable
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace

from .cache import digest, store
from .errors import BookletError


@dataclass(frozen=True)
class FontFile:
    """One face: a font file, and which font inside it for a collection (.ttc, 0-based)."""

    path: Path
    index: int = 0


@dataclass(frozen=True)
class FontFamily:
    """The faces of a family; a missing face falls back to the nearest one (nothing is
    synthesized: no slanted or emboldened regular face)."""

    name: str  # as the layout names it
    regular: FontFile
    bold: FontFile | None = None
    italic: FontFile | None = None
    bold_italic: FontFile | None = None

    def file_for(self, bold: bool, italic: bool) -> FontFile:
        if bold and italic:
            return self.bold_italic or self.bold or self.italic or self.regular
        if bold:
            return self.bold or self.regular
        if italic:
            return self.italic or self.regular
        return self.regular


FACES = ("regular", "bold", "italic", "bold_italic")

BUNDLED: dict[str, tuple[str, ...]] = {
    # the default text face: Bitstream Charter's design (made for low-resolution printers, so
    # it survives a copy shop's toner), with a wide word space that keeps justified A6 lines
    # even (benchmarks/typography.md); Latin and Cyrillic, but only the Greek letters that
    # differ from Latin ones (the bundled subset has no Α, ε, ο …), hence the fallbacks
    "Charis SIL": ("CharisSIL-Regular.ttf", "CharisSIL-Bold.ttf", "CharisSIL-Italic.ttf",
                   "CharisSIL-BoldItalic.ttf"),
    # a lighter, more delicate text face; full Greek (polytonic too): the default layout's
    # first fallback
    "Gentium Book Plus": ("GentiumBookPlus-Regular.ttf", "GentiumBookPlus-Bold.ttf",
                          "GentiumBookPlus-Italic.ttf", "GentiumBookPlus-BoldItalic.ttf"),
    "Noto Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Liberation Mono": ("LiberationMono-Regular.ttf",),
    # symbols for the fallback chain: ★ ❤ ✓ ✔ ✗ ☐ ☑ ♥ ☀ ⭐ 👍 … (Symbols 2), ☺ ☎ ⚠ … (Symbols)
    "Noto Sans Symbols 2": ("NotoSansSymbols2-Regular.ttf",),
    "Noto Sans Symbols": ("NotoSansSymbols-Regular.ttf",),
}
"""The bundled families (all SIL OFL 1.1; licences beside the files in fonts/): file names of
their faces in the order of `FACES`."""

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

COLOUR_EMOJI_HINT = ("use a monochrome outline emoji font instead, such as Noto Emoji (OFL) or "
                     "Symbola (Debian: fonts-symbola)")


# --- resolution: names and paths → files ---------------------------------------------------


def bundled_font_path(file_name: str) -> Path:
    return Path(str(resources.files("booklet.font_files").joinpath(file_name)))


def _key(name: str) -> str:
    """Family names compare without case and spaces ("Noto Sans Symbols2" is "Noto Sans Symbols 2")."""
    return re.sub(r"\s+", "", name).casefold()


@cache
def bundled_family(name: str) -> FontFamily | None:
    """A bundled family by name (any case and spacing), or None."""
    for family, files in BUNDLED.items():
        if _key(family) == _key(name):
            faces = [FontFile(bundled_font_path(f)) for f in files] + [None] * (len(FACES) - len(files))
            return FontFamily(family, *faces)
    return None


def looks_like_path(spec: str) -> bool:
    return spec.lower().endswith(FONT_SUFFIXES) or "/" in spec or "\\" in spec


def resolve_family(spec: str | dict, base: Path | None = None) -> FontFamily:
    """What a layout names → the files of the family's faces.

    `spec` is a bundled family name, the path of a font file (relative to `base`, the layout's
    folder; its bold and italic faces are the files beside it named like it with Bold, Italic,
    BoldItalic for Regular), a family installed on the system (fontconfig), or a table of paths
    `{regular = …, bold = …, italic = …, bold_italic = …}`. Raises BookletError (without a
    place: the caller knows the layout's line) when a font cannot be found or used.
    """
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(FACES))
        if unknown or "regular" not in spec or not all(isinstance(v, str) for v in spec.values()):
            raise BookletError(f"a font table needs `regular` and may have {', '.join(FACES[1:])} "
                               "(paths of font files)")
        files = {face: _font_file(Path(spec[face]), base) for face in spec}
        return FontFamily(spec["regular"], **files)
    if (family := bundled_family(spec)) is not None:
        return family
    if looks_like_path(spec):
        regular = _font_file(Path(spec), base)
        return FontFamily(spec, regular, **_sibling_faces(regular.path))
    return _system_family(spec)


def _font_file(path: Path, base: Path | None) -> FontFile:
    if base is not None and not path.is_absolute():
        path = base / path
    if not path.is_file():
        raise BookletError(f"font file not found: {path}")
    check_font_file(path)
    return FontFile(path)


def _sibling_faces(regular: Path) -> dict[str, FontFile]:
    """The bold and italic files beside `regular` (Name-Regular.ttf → Name-Bold.ttf …)."""
    stem = regular.stem
    faces = {}
    for face, word in (("bold", "Bold"), ("italic", "Italic"), ("bold_italic", "BoldItalic")):
        name = stem.replace("Regular", word) if "Regular" in stem else f"{stem}-{word}"
        candidate = regular.with_name(name + regular.suffix)
        if candidate.is_file():
            check_font_file(candidate)
            faces[face] = FontFile(candidate)
    return faces


def check_font_file(path: Path, index: int = 0) -> None:
    """Refuse, with a line saying what to use instead, a file ReportLab cannot embed."""
    tables = _sfnt_tables(path, index)
    if tables is None:
        raise BookletError(f"{path.name} is not a TrueType or OpenType font file")
    if b"glyf" in tables:
        return
    if tables & {b"CBDT", b"sbix"}:
        raise BookletError(f"{path.name} is a colour emoji font (bitmaps), which cannot be embedded in a "
                           f"PDF; {COLOUR_EMOJI_HINT}")
    if tables & {b"CFF ", b"CFF2"}:
        raise BookletError(f"{path.name} has PostScript (CFF) outlines, which booklet cannot embed; use "
                           "the family's TrueType version (.ttf) instead")
    raise BookletError(f"{path.name} has no TrueType outlines (no 'glyf' table) and cannot be embedded")


def _sfnt_tables(path: Path, index: int) -> set[bytes] | None:
    """The table tags of face `index` of a TrueType/OpenType file or collection, or None."""
    try:
        with path.open("rb") as file:
            head = file.read(12)
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if index >= count:
                    return None
                file.seek(12 + 4 * index)
                file.seek(struct.unpack(">I", file.read(4))[0])
                head = file.read(12)
            if len(head) < 12 or head[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
                return None
            count = struct.unpack(">H", head[4:6])[0]
            records = file.read(16 * count)
    except (OSError, struct.error):
        return None
    return {records[i:i + 4] for i in range(0, len(records), 16)}


def fc_match_available() -> bool:
    return shutil.which("fc-match") is not None


def _system_family(name: str) -> FontFamily:
    """A family installed on the system, through fontconfig; bold and italic faces only when
    the system has them in the same family."""
    if not fc_match_available():
        raise BookletError(f"font {name!r} is not bundled, and finding fonts installed on the system needs "
                           "fontconfig's fc-match, which is not installed; give the font's file path instead "
                           '(e.g. body = "fonts/MyFont-Regular.ttf", relative to the layout)')
    regular = _fc_match(name, bold=False, italic=False)
    if regular is None:
        offered = _fc_query(_fc_pattern(name, False, False))
        instead = f" (fontconfig would use {offered[2]!r} instead)" if offered else ""
        close = difflib.get_close_matches(name, BUNDLED, n=1, cutoff=0.5)
        instead += f" (did you mean {close[0]!r}?)" if close else ""
        raise BookletError(f"no font family {name!r} is bundled or installed{instead}; bundled: "
                           f"{', '.join(BUNDLED)}; `fc-list : family` lists the installed families")
    file, index = regular
    check_font_file(file, index)
    faces: dict[str, FontFile] = {}
    for face, bold, italic in (("bold", True, False), ("italic", False, True), ("bold_italic", True, True)):
        found = _fc_match(name, bold, italic)
        if found is not None and found != regular:
            try:
                check_font_file(*found)
            except BookletError:
                continue  # an unusable bold or italic file: the regular face stands in
            faces[face] = FontFile(*found)
    return FontFamily(name, FontFile(file, index), **faces)


def _fc_pattern(name: str, bold: bool, italic: bool) -> str:
    escaped = re.sub(r"([\\\-:,])", r"\\\1", name)
    return f"{escaped}:weight={'bold' if bold else 'regular'}:slant={'italic' if italic else 'roman'}"


@cache
def _fc_query(pattern: str) -> tuple[Path, int, str, int, int] | None:
    """fc-match's best font for `pattern`: (file, face index, first family, weight, slant)."""
    try:
        out = subprocess.run(["fc-match", "-f", r"%{file}|%{index}|%{family}|%{weight}|%{slant}", pattern],
                             capture_output=True, text=True, timeout=20, check=True).stdout
        file, index, families, weight, slant = out.rsplit("|", 4)
        return Path(file), int(index) & 0xFFFF, families, int(float(weight)), int(float(slant))
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def _fc_match(name: str, bold: bool, italic: bool) -> tuple[Path, int] | None:
    """The file of `name`'s face, or None when fontconfig only offers a substitute (another
    family, or a lighter or upright face where bold or italic was asked for)."""
    found = _fc_query(_fc_pattern(name, bold, italic))
    if found is None:
        return None
    file, index, families, weight, slant = found
    if _key(name) not in {_key(f) for f in families.split(",")}:
        return None
    if (bold and weight < 180) or (italic and slant < 100):  # fontconfig: 180 demibold, 100 italic
        return None
    return file, index


@cache
def installed_families_with(chars: str) -> list[str]:
    """Families installed on the system (TrueType, not colour) that have every one of `chars`,
    as fontconfig names them; empty without fontconfig."""
    if not chars or shutil.which("fc-list") is None:
        return []
    charset = " ".join(f"{ord(c):x}" for c in chars)
    try:
        out = subprocess.run(["fc-list", "-f", r"%{family[0]}|%{fontformat}|%{color}\n", f":charset={charset}"],
                             capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    families = set()
    for line in out.splitlines():
        family, fontformat, colour = (line.split("|") + ["", ""])[:3]
        if fontformat == "TrueType" and colour != "True" and family:
            families.add(family)
    return sorted(families)


# --- loading: files → ReportLab fonts ------------------------------------------------------


FileStamp = tuple[int, int, int] | None
"""A file's size, modification time (ns) and inode, None when it is gone: what `stat` says
cheaply of whether it is the file that was read."""


def _stamp(path: Path) -> FileStamp:
    try:
        facts = path.stat()
    except OSError:
        return None
    return facts.st_size, facts.st_mtime_ns, facts.st_ino


_digests: dict[FontFile, tuple[FileStamp, bytes]] = {}
"""The digest of each font file read in this process, with the file's stamp when it was read."""


def file_digest(file: FontFile) -> bytes:
    """A digest of the font file's bytes and the face index (read once a process, until
    `forget_changed_fonts` finds the file changed)."""
    known = _digests.get(file)
    return known[1] if known is not None else _read(file)[1]


def _read(file: FontFile) -> tuple[bytes, bytes]:
    """The font file's bytes and their digest (as `file_digest`'s, which it remembers when it
    has none yet)."""
    stamp = _stamp(file.path)  # before reading: a change during the read is seen next time
    data = file.path.read_bytes()
    found = digest(data, str(file.index).encode())
    _digests.setdefault(file, (stamp, found))
    return data, found


_registered: dict[str, FontFile] = {}
_loaded: dict[FontFile, str] = {}  # load_font's answers


def load_font(file: FontFile) -> str:
    """Register (once) the font in `file` with ReportLab and return its name: the file's stem,
    or the stem and part of its digest when another file of that stem is registered already."""
    name = _loaded.get(file)
    if name is not None:
        return name
    name = file.path.stem if file.index == 0 else f"{file.path.stem}-{file.index}"
    if name in _registered and _registered[name] != file:
        name = f"{name}-{file_digest(file).hex()[:8]}"
    try:
        font = _parsed_font(name, file)
    except struct.error:  # a table runs past the end of the file
        raise BookletError("cannot use this font: the file is cut short or damaged (download or copy it again)",
                           file.path) from None
    except (TTFError, OSError) as exc:
        raise BookletError(f"cannot use this font: {exc}", file.path) from None
    _own_postscript_name(font, file)
    pdfmetrics.registerFont(font)
    _registered[name] = file
    _loaded[file] = name
    return name


def _own_postscript_name(font: TTFont, file: FontFile) -> None:
    """Give `font` a PostScript name of its own when a font of other bytes has its name.
    ReportLab's registerFont hands out the font registered first under a PostScript name for
    any later one with that name: two files that share it (a font renamed by hand, two
    versions of one family) would print as one, in the first file's face, and its embedded
    subsets would say only that name."""
    other = pdfmetrics._dynFaceNames.get(font.face.name)
    if other is None:
        return
    other_file = _registered.get(other.fontName)
    if other_file is None or file_digest(other_file) != file_digest(file):
        font.face.name += b"-" + file_digest(file).hex()[:8].encode()  # bytes, as ReportLab reads it


def forget_changed_fonts() -> bool:
    """Forget each font whose file is not the one read (replaced in place while `booklet
    watch` runs: the same path, new bytes), so that the next use reads and registers it again
    under the name a new process would give it; one `stat` per font file. Returns whether any
    was forgotten: then whatever was measured or drawn with the fonts by name is stale too
    (the caller forgets it), though every cache keyed by `font_digest` sees the new digest."""
    changed = [file for file, (stamp, _) in _digests.items() if _stamp(file.path) != stamp]
    for file in changed:
        del _digests[file]
        name = _loaded.pop(file, None)
        if name is not None:
            del _registered[name]
            font = pdfmetrics._fonts.pop(name, None)  # registerFont keeps a name's first font
            if font is not None and font.fontName == name:
                # its PostScript name is free again (registerFont gives a font whose PostScript
                # name is taken the font registered first with it, which is not ours to forget)
                pdfmetrics._dynFaceNames.pop(font.face.name, None)
    if changed:
        for by_name in (_cmap, _drawn_as_is, fallback_faces):
            by_name.cache_clear()
    return bool(changed)


_FRESH = ("face", "encoding", "state")
"""A TTFont's attributes that its constructor makes anew rather than reads from the file."""


_NOT_KEPT = ("_pdfScale", "_ttf_data")
"""A TTFontFace's attributes that the store does not keep: a function, and the file's bytes
(read anyway for the digest: keeping them made each entry the size of its font file)."""


def _parsed_font(name: str, file: FontFile) -> TTFont:
    """ReportLab's TTFont for `file`, parsed once: later runs take the parsed tables and metrics
    from the store (kind `fonts`, keyed by the file's digest and ReportLab's version), and the
    file's bytes (the subsets are cut from them) from the file. ReportLab's parser takes 5–20 ms
    a face; reading them back, a few."""
    data, file_key = _read(file)
    key = f"{name}-{digest(file_key, REPORTLAB_VERSION.encode(), b'without-file-data').hex()[:32]}"
    payload = store().read("fonts", key)
    if payload is not None:
        try:
            face_state, font_state = pickle.loads(payload)  # written below only; digest checked
            font = TTFont.__new__(TTFont)
            font.__dict__.update(font_state, fontName=name)
            font.face = TTFontFace.__new__(TTFontFace)
            font.face.__dict__.update(face_state, _ttf_data=data)
            font.face._pdfScale = _pdf_scale(face_state["unitsPerEm"])
            font.encoding, font.state = TTEncoding(), WeakKeyDictionary()
            return font
        except (pickle.UnpicklingError, ValueError, TypeError, KeyError, AttributeError, EOFError):
            pass
    font = TTFont(name, str(file.path), subfontIndex=file.index)
    face_state = {key: value for key, value in vars(font.face).items() if key not in _NOT_KEPT}
    font_state = {key: value for key, value in vars(font).items() if key not in _FRESH}
    store().write("fonts", key, pickle.dumps((face_state, font_state), protocol=pickle.HIGHEST_PROTOCOL))
    return font


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap of a font subset (code → character, for copying and text
    extraction), with each character beyond U+FFFF written as the UTF-16BE surrogate pair the
    PDF wants (PDF 32000-1 §9.10.3). ReportLab writes its code point in hex: 🚲 as <1F6B2>, five
    digits, which readers take for U+1F6B (Ὣ). The other entries are left as ReportLab writes
    them, so a PDF whose text is all in the BMP is byte for byte what it was."""
    cmap = _reportlab_to_unicode_cmap(font_name, subset)
    mended = {f"<{code:02X}> <{char:04X}>": f"<{code:02X}> <{chr(char).encode('utf-16-be').hex().upper()}>"
              for code, char in enumerate(subset) if char > 0xFFFF}
    if not mended:
        return cmap
    return "\n".join(mended.get(line, line) for line in cmap.split("\n"))


# TTFont.addObjects looks the function up in its module each time it writes a subset
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _pdf_scale(units_per_em: int):
    """Font units → PDF glyph space (1000 per em), as ReportLab's parser makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def face_name(family: FontFamily | str, bold: bool = False, italic: bool = False) -> str:
    """The ReportLab name of a family's face (a `str` names a bundled family), registered once."""
    if isinstance(family, str):
        found = bundled_family(family)
        if found is None:
            raise KeyError(family)
        family = found
    return load_font(family.file_for(bold, italic))


def font_digest(font_name: str) -> bytes:
    """A digest of the file and face behind a registered font (what its metrics come from,
    whatever its name), for cache keys."""
    return file_digest(_registered[font_name])


@cache
def fallback_faces(families: tuple[FontFamily, ...], bold: bool = False, italic: bool = False) -> tuple[str, ...]:
    """The ReportLab names of the faces of a fallback chain in one weight and slant."""
    return tuple(face_name(family, bold, italic) for family in families)


def has_glyph(font_name: str, char: str) -> bool:
    """Whether a registered font has a glyph for `char` (spaces, controls and the characters left
    out of the runs always pass). A private-use or unassigned code point needs a glyph like any
    letter: without one it printed as an empty box (regression: issue #14, U+E000)."""
    return ord(char) in _cmap(font_name) or char.isspace() or char in INVISIBLE or char == "\u00ad" \
        or unicodedata.category(char) == "Cc"


INVISIBLE = "\ufe0e\ufe0f\u200d"
"""Emoji variation selectors and the zero-width joiner: they choose a presentation, draw nothing
(ReportLab would draw them as missing glyphs), and are left out of the runs."""


@cache
def _cmap(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


@cache
def _drawn_as_is(font_name: str) -> frozenset[str]:
    """Characters that a text set in the font may hold and keep: those it has glyphs for
    (the invisible ones left out, they are dropped), tabs, line ends and soft hyphens. A text of
    these alone is one piece in the font; the test is one set operation, where `has_glyph` of
    every character was most of the time of split_by_face, called for every text of a build."""
    return frozenset(map(chr, _cmap(font_name))).difference(INVISIBLE).union("\t\n\u00ad")


_WORDS = re.compile(r"\s+|[\w\u00ad]+|.")
"""Spaces, words (with their soft hyphens), and single other characters (punctuation, symbols),
which stay in the text face when it has them."""
_DROP_INVISIBLE = {ord(c): None for c in INVISIBLE}


def split_by_face(text: str, face: str, fallbacks: Callable[[], tuple[str, ...]]) -> list[tuple[str, str | None]]:
    """`text` → (piece, font name) in order: each word in `face` when it has all the word's
    glyphs, else in the first fallback that has them all (so a Greek word is set in one face,
    and the comma after it in the text face),
    else letter by letter in the first font that has each; None for letters no font has.
    Invisible characters (`INVISIBLE`) are left out.

    `fallbacks` gives the fallback faces only when a glyph is missing: loading the four
    bundled fallback fonts took a quarter of a cold build whose text needs none of them."""
    if not _drawn_as_is(face).issuperset(text):
        text = text.translate(_DROP_INVISIBLE)
        if not all(has_glyph(face, char) for char in set(text)):
            return _split_words(text, (face, *fallbacks()))
    return [(text, face)] if text else []


def _split_words(text: str, faces: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """split_by_face of a text that `faces[0]` cannot set alone."""
    pieces: list[tuple[str, str | None]] = []

    def add(piece: str, font: str | None) -> None:
        if pieces and pieces[-1][1] == font:
            pieces[-1] = (pieces[-1][0] + piece, font)
        else:
            pieces.append((piece, font))

    for word in _WORDS.findall(text):
        for font in faces:
            if all(has_glyph(font, char) for char in word):
                add(word, font)
                break
        else:
            for char in word:
                add(char, next((f for f in faces if has_glyph(f, char)), None))
    return pieces


def ink_extent(font_name: str, text: str) -> tuple[float, float]:
    """How far the ink of `text` in a registered font reaches from the baseline, down and up
    (bottom, top; below the baseline is negative), in ems: from its glyphs' bounding boxes, which
    the header of each glyph in the TrueType 'glyf' table gives. Characters the font lacks and
    glyphs without outlines (a space) are left out; (0, 0) when nothing is left."""
    face = pdfmetrics.getFont(font_name).face
    data, glyphs, positions = face._ttf_data, face.table["glyf"]["offset"], face.glyphPos
    bottoms, tops = [], []
    for char in set(text):
        glyph = face.charToGlyph.get(ord(char))
        if glyph is None or positions[glyph] == positions[glyph + 1]:
            continue
        start = glyphs + positions[glyph]
        _, _, bottom, _, top = struct.unpack(">hhhhh", data[start:start + 10])  # contours, x/y min, x/y max
        bottoms.append(bottom)
        tops.append(top)
    if not tops:
        return 0.0, 0.0
    return min(bottoms) / face.unitsPerEm, max(tops) / face.unitsPerEm


def string_width(text: str, font_name: str, size: float) -> float:
    """Width of `text` in points."""
    return pdfmetrics.stringWidth(text, font_name, size)
