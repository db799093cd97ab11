"""Random Markdown booklets → the reading PDF: no crash, no text off the page, no word lost.

Documents are drawn from a grammar of the supported elements (headings, paragraphs with
emphasis, strong, code, links and hard breaks, quotes, nested lists, code blocks, section
breaks, figures) filled with random text that includes markup-like strings (`<font size=40>`,
`&`, quotes), soft hyphens, zero-width and combining characters, emoji and right-to-left
letters. Each is parsed and typeset with the real stages (not the CLI, for speed), then read
back with pdfplumber. Characters that no font can set must be reported by the preflight;
every word made only of settable characters must appear in the PDF, in order.

Hypothesis does not shrink a failing example unless BOOKLET_SHRINK=1 (shrinking these
documents can take many minutes); BOOKLET_DUMP=FILE writes each generated Markdown document
to FILE, so after a failure FILE holds the failing one. BOOKLET_EXPLORE=N runs N examples from
a random seed instead of the fixed one, to look for new failures.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from booklet.errors import BookletError
from booklet.fonts import BUNDLED, face_name, has_glyph
from booklet.images import prepare_images
from booklet.layouts import builtin_layouts, load_layout
from booklet.parse import UNPRINTED, parse_booklet
from booklet.preflight import preflight
from booklet.sources import read_sources
from booklet.typeset.document import typeset
from booklet.typeset.paragraph import PROTRUSION, PROTRUSION_LEFT
from building import time_limit
from pdftext import MARKER

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяЖЇ" "éüßøœÆαβΩ0123456789"
ODD_CHARS = [
    "\u00ad",  # soft hyphen
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u0301",  # combining acute accent
    "\u0308",  # combining diaeresis
    "😀",  # emoji: no bundled font has it
    "א",  # Hebrew (right to left): only the monospace font has it
    "ب",  # Arabic (right to left): no bundled font has it
    "\x07",  # a control character: left out (it would print as a box), with a preflight warning
    "\u2066",  # a bidi isolate: left out like a control character, with a warning
    "\ufeff",  # a byte order mark inside the text: the same
    "\ufffe",  # a noncharacter: the same
    "\ue000",  # private use: no bundled font has it, so the preflight reports it
]
MARKUP_ATOMS = [
    "<", ">", "&", "a<b", "x&y", "AT&T", "1<2>0", '"quoted"', "'single'", "“curly”", "«guillemets»",
    "<font size=40>", '<img src="/etc/passwd"/>', "<a href=x>", "</para>", "< br/>", "<b>", "]]>",
    "<!-- no", "<?xml?>", "%s", "{n}", "$HOME", "~", "^", "|", "@", "=",
]
URLS = [
    "https://example.org/",
    "https://example.org/a?b=1&c=2",
    "https://example.org/<font>",
    'https://example.org/"quote"',
    "mailto:someone@example.org",
    "/etc/passwd",
    "#anchor",
]

EXPLORE = int(os.environ.get("BOOKLET_EXPLORE", "0"))  # N: N examples from a random seed, to hunt for bugs
PHASES = list(Phase) if os.environ.get("BOOKLET_SHRINK") else [Phase.explicit, Phase.generate]
PAGE_TOLERANCE = 0.5  # points: rounding in the text extraction
TIME_LIMIT = 60.0  # seconds for one random booklet on a slow, busy machine; most take under one


@dataclass
class Doc:
    """A Markdown text, the words it should print in order, and those it should print somewhere
    (captions: a figure that does not fit floats to the next page while the text goes on)."""

    markdown: str = ""
    words: list[str] = field(default_factory=list)
    floating: list[str] = field(default_factory=list)


def join(parts: list[Doc], separator: str) -> Doc:
    return Doc(separator.join(p.markdown for p in parts), [w for p in parts for w in p.words],
               [w for p in parts for w in p.floating])


@st.composite
def word(draw, min_size: int = 1, max_size: int = 12) -> str:
    """Letters with, now and then, an odd character inside (never first, so Markdown stays calm)."""
    letters = draw(st.text(alphabet=LETTERS, min_size=min_size, max_size=max_size))
    if draw(st.integers(0, 3)) == 0:
        odd = draw(st.sampled_from(ODD_CHARS))
        at = draw(st.integers(1, len(letters)))
        letters = letters[:at] + odd + letters[at:]
    return letters


long_word = st.text(alphabet=LETTERS, min_size=60, max_size=300)


@st.composite
def plain(draw, min_words: int = 1, max_words: int = 8) -> Doc:
    """Words and markup-like atoms, starting with a word (so no line starts a Markdown block)."""
    parts = [draw(word())]
    for _ in range(draw(st.integers(min_words - 1, max_words - 1))):
        kind = draw(st.integers(0, 9))
        if kind <= 5:
            parts.append(draw(word()))
        elif kind <= 8:
            parts.append(draw(st.sampled_from(MARKUP_ATOMS)))
        else:
            parts.append(draw(long_word))
    text = " ".join(parts)
    return Doc(text, [text])


@st.composite
def inline(draw) -> Doc:
    kind = draw(st.sampled_from(["plain", "plain", "plain", "em", "strong", "code", "link", "break"]))
    text = draw(plain(1, 5))
    if kind == "em":
        return Doc(f"*{text.markdown}*", text.words)
    if kind == "strong":
        return Doc(f"**{text.markdown}**", text.words)
    if kind == "code":
        return Doc(f"`{text.markdown}`", text.words)
    if kind == "link":
        url = draw(st.sampled_from(URLS))
        return Doc(f"[{text.markdown}](<{url}>)", text.words)
    if kind == "break":
        return Doc(f"{text.markdown}  \n{draw(word())}", [text.markdown])
    return text


@st.composite
def paragraph(draw) -> Doc:
    first = draw(plain(1, 3))
    rest = draw(st.lists(inline(), min_size=0, max_size=5))
    return join([first, *rest], " ")


@st.composite
def block(draw, depth: int = 0) -> Doc:
    kinds = ["paragraph"] * 4 + ["heading", "code", "break", "figure"]
    if depth < 2:
        kinds += ["quote", "list", "ordered"]
    kind = draw(st.sampled_from(kinds))
    if kind == "heading":
        return draw(heading(1 if depth else 2))
    if kind == "code":
        lines = draw(st.lists(st.one_of(plain(1, 6), long_word.map(lambda w: Doc(w, [w]))), min_size=1, max_size=4))
        return Doc("```\n" + "\n".join(line.markdown for line in lines) + "\n```",
                   [w for line in lines for w in line.words])
    if kind == "break":
        return Doc("* * *", [])
    if kind == "figure":
        caption = draw(plain(1, 6))
        alt = caption.markdown.replace("[", "\\[").replace("]", "\\]")  # a `]` would end the image early
        return Doc(f"![{alt}](picture.png)", [], caption.words)
    if kind == "quote":
        inner = draw(st.lists(block(depth + 1), min_size=1, max_size=2))
        quoted = "\n>\n".join("\n".join("> " + line for line in b.markdown.splitlines()) for b in inner)
        return Doc(quoted, [w for b in inner for w in b.words], [w for b in inner for w in b.floating])
    if kind in ("list", "ordered"):
        # an item may be or end in a heading (level 1 too): regressions of issue #14, a lost
        # item and a page build that never ended; the marker varies, so lists meet lists
        items = draw(st.lists(st.one_of(paragraph(), block(depth + 1), heading(1), ending_in_heading()),
                              min_size=1, max_size=3))
        delimiter = draw(st.sampled_from(".)" if kind == "ordered" else "-*+"))
        lines = []
        for number, item in enumerate(items, 1):
            marker = f"{number}{delimiter} " if kind == "ordered" else f"{delimiter} "
            body = item.markdown.splitlines() or [""]
            lines.append(marker + body[0])
            lines.extend(" " * len(marker) + line if line else "" for line in body[1:])
        return Doc("\n".join(lines), [w for item in items for w in item.words],
                   [w for item in items for w in item.floating])
    return draw(paragraph())


@st.composite
def heading(draw, lowest_level: int) -> Doc:
    """An ATX heading `## words`, or a setext one (words underlined with === or ---; not when
    the words hold a `|`: over `---` that is a table, which may be set sideways)."""
    text = draw(plain(1, 6))
    level = draw(st.integers(lowest_level, 4))
    if level <= 2 and "|" not in text.markdown and draw(st.booleans()):
        return Doc(text.markdown + "\n" + ("===" if level == 1 else "---"), text.words)
    return Doc("#" * level + " " + text.markdown, text.words)


@st.composite
def ending_in_heading(draw) -> Doc:
    return join([draw(paragraph()), draw(heading(1))], "\n\n")


@st.composite
def document(draw) -> Doc:
    title = draw(plain(1, 5))
    author = draw(plain(1, 3))
    front = f"---\ntitle: {yaml_string(title.markdown)}\nauthor: {yaml_string(author.markdown)}\n---\n\n"
    parts = [Doc(front, [*title.words, *author.words])]
    for _ in range(draw(st.integers(1, 3))):
        heading = draw(plain(1, 5))
        blocks = draw(st.lists(block(), min_size=1, max_size=6))
        parts.append(Doc(f"# {heading.markdown}", heading.words))
        parts.extend(blocks)
    return join(parts, "\n\n")


def yaml_string(text: str) -> str:
    """A double-quoted YAML string; control characters and noncharacters (which YAML refuses
    raw) as escapes."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) == "Cc" or c in "\ufffe\uffff" else c
                         for c in escaped) + '"'


@pytest.fixture(scope="module")
def layout():
    return load_layout("pocket")


@pytest.fixture(scope="module")
def picture() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (300, 200), (120, 160, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def settable_anywhere(char: str) -> bool:
    return any(has_glyph(face_name(family, bold, italic), char)
               for family in BUNDLED for bold in (False, True) for italic in (False, True))


def normalize(text: str) -> str:
    """NFC, without format characters (soft hyphen, zero-width) and what is left out: what a reader sees."""
    text = unicodedata.normalize("NFC", UNPRINTED.sub("", text))
    return "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc"))


def letter_stream(text: str) -> str:
    """Letters and digits only, lower-cased: a word broken across lines joins up again."""
    return "".join(re.findall(r"[^\W_]+", normalize(text).lower()))


def source_words(chunks: list[str]) -> list[str]:
    words = []
    for chunk in chunks:
        words += re.findall(r"[^\W_]+", normalize(chunk).lower())
    return words


@settings(max_examples=EXPLORE or 120, derandomize=not EXPLORE, deadline=None, database=None, phases=PHASES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(doc=document(), layout_name=st.sampled_from(sorted(builtin_layouts())))
def test_random_booklets_typeset_safely(doc: Doc, layout_name: str, picture: bytes) -> None:
    """On every built-in layout; an example that takes more than TIME_LIMIT seconds fails (a
    page build that loops), as does any error other than a character no font has."""
    if os.environ.get("BOOKLET_DUMP"):
        Path(os.environ["BOOKLET_DUMP"]).write_text(doc.markdown, encoding="utf-8")
    event(layout_name)
    with time_limit(TIME_LIMIT):
        check_booklet(doc, load_layout(layout_name), picture)


SPLIT_IN_QUOTE = (
    '# сutгкюцyжdQGiAYcCWeCадβvrґTїЖшдGйеsоcVgYхdDαoвMKqPαøялEpчFйчоіZαTXяKsAб8р9PaADüEvβдf3 W\n'
    'FUаoUא\n'
    '### éеzхбз\n'
    '1. FUаoUא\n'
    '2. [mлH1NхCبщтрUu цdoCcGp2NxmWuCβйUгWюCфєmщIмFjœnV8Fпqme7AнfVInVWS6üлдjDоzьUрl5uKeWMпqzеIDkґrфB5ZβnΩS </para>](<#anchor>)\n'
    '3. * * *\n'
    '- * * *\n'
    '### u\n'
    '> щьIбO nqKd ли øuIFC фс Hа npтeRK ccжGa цBЖоzх ZOр *Poh\u200dQ [Szїд4 <!-- --> 074дсJ](<https://example.org/a?b=1&c=2>)\n'
    '> ## Æмlґ3згqг3 cfyLAкRIqpQ9іßuVGbірUlтfeMtWґOосA8оQутn34ж9LDœфoюdрxqlZб2kVйUu3YFøVuøβbtR702gвSAмчйVнhE Mд1т2UеpCЖ'
)
LONG = "abcdefghij" * 30
PADDING = "Words to fill the page. " * 150
REGRESSIONS = {
    "code in a quote after a figure": f"# A\n\n![cap](picture.png)\n\n> {PADDING}\n>\n> ```\n> v\n> {LONG}\n> ```",
    "code in a list item": f"# A\n\n- item\n\n  ```\n  {LONG}\n  ```",
    "figure in a list item at a page end": f"# A\n\n{'Para words. ' * 200}\n\n- ![{'cap word ' * 30}](picture.png)\n- two",
    "quote in a list item": "# A\n\n- item\n\n  > quoted words\n- two",
    "quote in a list in a quote": "# A\n\n> - item\n>\n>   > inner quote",
    "very long article title": f"# Title{LONG}\n\nWords.",
    "link without a scheme": "# A\n\nSee [the top](#top) and [notes](notes.md) and [mail](mailto:a@example.org).",
    # found by the random booklets: a heading in a quote split at the frame's full width
    "heading at a page foot inside a quote": SPLIT_IN_QUOTE,
    # issue #14: a level-1 heading as a list item lost the next item; one ending an item before
    # a list with another marker made the page build loop (at a page foot)
    "level-1 heading as a list item": "# A\n\n- alpha\n- # bravo\n- charlie\n\nAfter.",
    "heading ends an item, then another list": f"# A\n\n{'Words to fill. ' * 150}\n\n- item\n\n  ### heading\n\n* next",
    "markup in text": "# A <font size=40>\n\nA <img src=\"/etc/passwd\"/> & <a href=x>b</a> ]]> <br/>",
}


@pytest.mark.parametrize("markdown", REGRESSIONS.values(), ids=REGRESSIONS.keys())
def test_regressions(markdown: str, layout, picture: bytes) -> None:
    text = f"---\ntitle: Regression\n---\n\n{markdown}\n"
    words = re.sub(r"!\[[^]]*\]\([^)]*\)", " ", markdown)  # captions: checked in the random documents
    words = re.sub(r"\]\([^)]*\)", " ", words)  # link targets: not (all) printed
    words = re.sub(r"<br/>", " ", words)  # HTML's line break is a line break
    check_booklet(Doc(text, ["Regression", re.sub(r"[#>\-`!\[\]()]", " ", words)]), layout, picture)


def check_booklet(doc: Doc, layout, picture: bytes) -> None:
    """Typeset `doc`; check glyph reporting, that text stays inside the margins and no word is lost."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "zine.md"
        source.write_text(doc.markdown, encoding="utf-8")
        (Path(folder) / "picture.png").write_bytes(picture)
        booklet = parse_booklet(read_sources(source))
        problems = preflight(booklet, layout)
        images, _ = prepare_images(booklet, layout)
        try:
            result = typeset(booklet, layout, images)
        except BookletError as exc:  # a title of hundreds of characters on the small pages of
            if "front cover does not fit on one page" not in exc.message:  # `mini`: a clear error is
                raise  # what a person gets for it, and the right outcome
            event("cover too long")
            assert booklet.metadata.title and len(booklet.metadata.title) > 100
            return

        # characters no font has are reported, never silently dropped; those that print nothing
        # (controls, format characters, noncharacters) are left out with a warning
        reported = set()
        for problem in problems:
            reported.update(chr(int(code, 16)) for code in re.findall(r"'[^']+' \(U\+([0-9A-F]+)\)", problem.message))
        unsettable = {c for c in doc.markdown if not settable_anywhere(c) and not UNPRINTED.match(c)}
        assert unsettable <= reported, f"not reported: {unsettable - reported}"
        if UNPRINTED.search(doc.markdown):
            assert any(p.severity == "warning" and "not printed" in p.message for p in problems)
        assert not [p for p in problems if p.severity == "error" and "glyph" not in p.message
                    and "cannot be set" not in p.message]

        caption_size = layout.styles["caption"].size  # captions are told apart by their size
        # (no generated document has footnotes, whose style is the captions' size in some layouts)
        if sum(style.size == caption_size for name, style in layout.styles.items() if name != "footnote") > 1:
            caption_size = -1.0  # a random layout gave another style the same size: keep all text
        with pdfplumber.open(BytesIO(result.pdf)) as pdf:
            text, running = [], []
            for page in pdf.pages:
                for char in page.chars:
                    if not char["text"].strip() or unicodedata.category(char["text"][0]) == "Cf":
                        continue  # an invisible space at a line's end may hang into the margin
                    assert -PAGE_TOLERANCE <= char["x0"] and char["x1"] <= page.width + PAGE_TOLERANCE, char
                    assert -PAGE_TOLERANCE <= char["top"] and char["bottom"] <= page.height + PAGE_TOLERANCE, char
                    left = min(layout.margins.inner, layout.margins.outer)
                    if char["text"] in PROTRUSION_LEFT:  # an opening mark may hang into the left margin
                        assert left - PAGE_TOLERANCE <= char["x1"], f"past the margin: {char['text']!r}"
                    else:
                        assert left - PAGE_TOLERANCE <= char["x0"], \
                            f"past the margin: {char['text']!r} at {char['x0']}"
                    if char["text"] in PROTRUSION:  # hanging punctuation: it starts inside the margin
                        assert char["x0"] <= page.width - left + PAGE_TOLERANCE, \
                            f"past the margin: {char['text']!r} at {char['x0']}"
                    else:
                        assert char["x1"] <= page.width - left + PAGE_TOLERANCE, \
                            f"past the margin: {char['text']!r} at {char['x1']}"
                lines = page.extract_text().splitlines()
                text.extend(line for line in lines if not MARKER.match(line.strip()))  # a word may span pages
                # the running text without captions: a figure released at the top of a page may
                # sit between the two halves of a word broken across the page break
                body = page.filter(lambda o: o.get("object_type") != "char" or abs(o["size"] - caption_size) > 0.01)
                running.extend(line for line in body.extract_text().splitlines() if not MARKER.match(line.strip()))
        printed = letter_stream("\n".join(text))
        printed_running = letter_stream("\n".join(running))

        position = 0
        for source_word in source_words(doc.words):
            if any(c in reported for c in source_word):
                continue
            found = printed_running.find(source_word, position)
            assert found >= 0, f"word lost or out of order: {source_word!r}"
            position = found + len(source_word)
        for source_word in source_words(doc.floating):
            if not any(c in reported for c in source_word):
                assert source_word in printed, f"caption word lost: {source_word!r}"


# --- random metadata and files: `booklet check` answers in lines, never with a crash ---------

PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"), whitelist_characters="\n\t")
KEYS = ["title", "subtitle", "author", "publisher", "date", "edition", "language", "contacts", "layout",
        "cover_image", "articles", "titel", "autor", "x", ""]
yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**12), st.floats(allow_nan=True), st.just("2024-09-06"),
    st.sampled_from(["pocket", "pockte", "mine.toml", "en", "uk", "english", "one.md", "*", "&a", "*a",
                     "!!python/object:os.system", "[", "{", "'", '"', ":", "- x", "|", ">"]),
    st.text(alphabet=PRINTABLE, max_size=20),
)
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                                 st.dictionaries(st.text(alphabet=PRINTABLE, max_size=5), inner, max_size=3)),
                           max_leaves=6)


def yaml_line(key: str, value) -> str:
    import json

    return f"{key}: {json.dumps(value, default=str, ensure_ascii=False)}"


@settings(max_examples=EXPLORE or 150, derandomize=not EXPLORE, deadline=None, database=None, phases=PHASES,
          suppress_health_check=[HealthCheck.too_slow])
@given(titled=st.booleans(),
       meta=st.lists(st.tuples(st.sampled_from(KEYS), st.one_of(st.text(alphabet=PRINTABLE, max_size=12), yaml_values)), max_size=6),
       raw=st.one_of(st.none(), st.text(alphabet=PRINTABLE, max_size=60), st.text(max_size=10)),
       front=st.one_of(st.none(), st.text(alphabet=PRINTABLE, max_size=40),
                       st.lists(st.tuples(st.sampled_from(["title", "date", "author", "language", "dtae"]),
                                          yaml_values), max_size=3).map(lambda kv: "\n".join(yaml_line(*p) for p in kv))),
       body=st.one_of(st.text(alphabet=PRINTABLE, min_size=1, max_size=200), st.binary(max_size=60)))
def test_random_metadata_and_files_get_an_answer_not_a_crash(titled, meta, raw, front, body) -> None:
    from click.testing import CliRunner

    from booklet.cli import main

    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book"
        book.mkdir()
        if titled:
            meta = [("title", "A Booklet"), *[(k, v) for k, v in meta if k != "title"]]
        text = "\n".join(yaml_line(k, v) for k, v in meta) + ("\n" + raw if raw is not None else "")
        (book / "booklet.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        article = (f"---\n{front}\n---\n" if front is not None else "").encode("utf-8", "surrogatepass")
        article += body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
        (book / "one.md").write_bytes(article)
        result = CliRunner().invoke(main, ["check", str(book)])
    event(f"exit {result.exit_code}: " + re.sub(r"\S*book/|\d+", "", (result.stderr or result.stdout))[:45])
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for line in result.stderr.splitlines():
        assert line.startswith("booklet: ") and "internal error" not in line, result.stderr


# --- random values in a layout file: an error naming the key, or a booklet that sets -----------

POCKET = Path(__file__).resolve().parent.parent / "layouts" / "pocket.toml"
NUMBER_LINE = re.compile(r"^(\w+) = (-?[\d.]+)$", re.M)
toml_values = st.one_of(
    st.floats(0.5, 40).map(lambda f: f"{f:.2f}"), st.floats(0.5, 40).map(lambda f: f"{f:.2f}"),
    st.integers(1, 30).map(str),
    st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: "nan" if f != f else ("inf" if f == float("inf") else "-inf" if f == float("-inf") else repr(f))),
    st.sampled_from(['"10mm"', "true", "[]", "{}", '"A6"', "0", "-1", "1e308", "0.0001"]),
)


@settings(max_examples=EXPLORE or 100, derandomize=not EXPLORE, deadline=None, database=None, phases=PHASES,
          suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.integers(0, 200), toml_values), min_size=1, max_size=3))
def test_random_layout_values_are_refused_or_set(changes, picture: bytes) -> None:
    from booklet.errors import BookletError
    from booklet.layouts import parse_layout

    text = POCKET.read_text(encoding="utf-8")
    numbers = list(NUMBER_LINE.finditer(text))
    for index, value in changes:
        match = numbers[index % len(numbers)]
        text = text[:match.start(2)] + value + text[match.end(2):]
        numbers = list(NUMBER_LINE.finditer(text))
    with tempfile.TemporaryDirectory() as folder:
        layout_path = Path(folder) / "mine.toml"
        layout_path.write_text(text, encoding="utf-8")
        try:
            layout = parse_layout(layout_path)
        except BookletError as exc:
            assert exc.path == layout_path
            event("refused")
            return
        event("set")
        doc = Doc("---\ntitle: T\n---\n\n# One\n\nWords in a paragraph, *some* of them **strong**.\n\n"
                  "- a list\n\n> a quote\n\n```\ncode\n```\n\n![a caption](picture.png)\n",
                  ["T", "One Words in a paragraph some of them strong a list a quote code"])
        check_booklet(doc, layout, picture)
