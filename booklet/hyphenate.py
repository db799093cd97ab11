"""Words → the places where a line may break inside them with a hyphen, from pyphen's dictionaries.

`hyphenator("uk", Hyphenation(2, 3))` gives a `Hyphenator` (or None for a language pyphen
does not know; the caller warns); `Hyphenator.points(token)` gives the 0-based character
offsets inside the token at which the word may be split, a hyphen sign being added there.

Tokens are words as they stand in running text: surrounding punctuation is stripped before
the dictionary is asked, URLs, e-mail addresses, numbers and all-caps acronyms are never
split, and a token that carries soft hyphens (U+00AD) is split only there (the author chose).
Explicit hyphens and dashes inside a token are not reported: they are break opportunities
of their own, without an added sign, and the line breaker treats them as such.
"""

from __future__ import annotations

import atexit
import importlib.util
import marshal
import re
from functools import cache
from operator import itemgetter
from pathlib import Path

from .cache import store
from .layouts import Hyphenation

SOFT_HYPHEN = "\u00ad"
APOSTROPHES = "'\u2019\u02bc"
"""ASCII apostrophe, right single quotation mark, modifier letter apostrophe: all three are
written inside Ukrainian words (п’ять, пʼять, п'ять)."""

# Characters that may join the letters of one word; anything else splits the token into parts.
_WORD_JOINERS = set(APOSTROPHES)
_HYPHENS = "-\u2010\u2011\u2013\u2014"

ACRONYM_MAX = 5
"""All-capital words up to this many letters are acronyms (UNESCO) and never hyphenate."""

ALIASES = {"en": "en_US", "uk": "uk_UA", "ru": "ru_RU", "de": "de_DE", "be": "be_BY"}
"""Bare language codes whose pyphen dictionary is not found by pyphen's own fallback rules."""


def resolve_language(language: str) -> str | None:
    """The pyphen dictionary name for a language code (`en`, `en-GB`, `uk_UA`), or None."""
    if not language:
        return None
    code = language.strip().replace("-", "_")
    # a bare code takes our alias first: pyphen alone would map "en" to en_GB
    candidates = [ALIASES.get(code.lower(), ""), code, ALIASES.get(code.split("_")[0].lower(), "")]
    for candidate in candidates:
        if candidate and candidate in languages():
            return candidate
    # pyphen.language_fallback: drop parts from the right until a dictionary matches
    parts = code.lower().split("_")
    while parts:
        name = languages().get("_".join(parts))
        if name:
            return name
        parts.pop()
    return None


@cache
def languages() -> dict[str, str]:
    """pyphen's dictionary names (en_US, uk_UA, and the bare en, uk …) → dictionary name,
    also under lower-case keys; found without importing pyphen (its import reads its whole
    dictionary folder: a fiftieth of a build)."""
    found: dict[str, str] = {}
    for path in sorted(_dictionary_folder().glob("hyph_*.dic")):
        name = path.name[5:-4]
        found.setdefault(name, name)
        found.setdefault(name.lower(), name)
        found.setdefault(name.split("_")[0], name)
        found.setdefault(name.split("_")[0].lower(), name)
    return found


def _dictionary_folder() -> Path:
    spec = importlib.util.find_spec("pyphen")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyphen is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dictionaries"


def dictionary_path(dictionary: str) -> Path:
    return _dictionary_folder() / f"hyph_{languages()[dictionary]}.dic"


def hyphenator(language: str, hyphenation: Hyphenation = Hyphenation()) -> Hyphenator | None:
    """A (shared, cached) hyphenator for a language, or None if pyphen has no dictionary for it."""
    name = resolve_language(language)
    if name is None:
        return None
    return _hyphenator(name, hyphenation.min_before, hyphenation.min_after)


@cache
def _hyphenator(dictionary: str, min_before: int, min_after: int) -> Hyphenator:
    return Hyphenator(dictionary, min_before, min_after)


class Hyphenator:
    """Hyphenation points of words in one language; results are cached per token."""

    def __init__(self, dictionary: str, min_before: int = 2, min_after: int = 3):
        self.dictionary = dictionary
        self.min_before = max(1, min_before)
        self.min_after = max(1, min_after)
        self._patterns: _Patterns | None = None  # read when a word is not in the cache
        self._fold: dict[int, str] = {}
        self._cache: dict[str, tuple[int, ...]] = {}
        # the words of earlier builds, so that a rebuild needs no pattern matching at all
        self._words_key = _cache_key(dictionary_path(dictionary), f"words-{self.min_before}-{self.min_after}")
        self._saved = 0
        loaded = _read_cached(self._words_key)
        if isinstance(loaded, dict):
            self._cache = loaded
            self._saved = len(loaded)
        _LIVE.append(self)

    @property
    def key(self) -> str:
        """What the hyphenation points depend on: the dictionary (its file's size and time),
        the minimum lengths and this module's version."""
        return f"{self.dictionary}-{self.min_before}-{self.min_after}-{self._words_key}"

    def save(self) -> None:
        """Keep the words learned in this run for the next (at exit; errors ignored)."""
        if self._words_key is None or len(self._cache) <= self._saved:
            return
        if len(self._cache) > _WORDS_LIMIT:
            return  # a cache this big is not a booklet's vocabulary; leave the file as it is
        store().write("hyphenation", self._words_key, marshal.dumps(self._cache))
        self._saved = len(self._cache)

    def points(self, token: str) -> tuple[int, ...]:
        """0-based offsets in `token` where it may be split with a hyphen (ascending)."""
        found = self._cache.get(token)
        if found is None:
            found = self._cache[token] = self._points(token)
        return found

    def split(self, token: str) -> list[str]:
        """The token cut at its hyphenation points (for tests and debugging)."""
        pieces, last = [], 0
        for point in self.points(token):
            pieces.append(token[last:point])
            last = point
        pieces.append(token[last:])
        return pieces

    def _points(self, token: str) -> tuple[int, ...]:
        if SOFT_HYPHEN in token:
            return _soft_hyphen_points(token)
        if not is_hyphenatable(token):
            return ()
        points: list[int] = []
        # A token such as "well-known" or "so-called," has parts; each part is a word.
        for start, end in _letter_runs(token):
            word = token[start:end]
            if len(word) < self.min_before + self.min_after or _is_acronym(word):
                continue
            if self._patterns is None:
                self._patterns = _patterns(self.dictionary)
                self._fold = _folding_table(self._patterns.patterns)
            lookup = word.translate(self._fold)
            right = len(word) - self.min_after
            points.extend(start + p for p in self._patterns.positions(lookup)
                          if self.min_before <= p <= right)
        return tuple(points)


def is_hyphenatable(token: str) -> bool:
    """False for URLs, e-mail addresses, paths, numbers and tokens with digits."""
    if _NOT_A_WORD.search(token):
        return False
    core = _EDGES.sub("", token)
    return "." not in core and "_" not in core  # example.org, snake_case


_NOT_A_WORD = re.compile(r"\d|://|^www\.|@|/|\\", re.I)
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_LETTERS = re.compile("(?:[^\\W\\d_]|[\u0300-\u036f])+(?:[" + APOSTROPHES + "](?:[^\\W\\d_]|[\u0300-\u036f])+)*")


def _is_acronym(word: str) -> bool:
    """UNESCO, and NATO’s (an acronym with a possessive ending)."""
    for apostrophe in APOSTROPHES:
        word = word.split(apostrophe, 1)[0]
    letters = [ch for ch in word if ch.isalpha()]
    # short all-capital words are acronyms; long ones are words set in capitals (a licence's
    # warranty disclaimer) and hyphenate like any other
    return 1 < len(letters) <= ACRONYM_MAX and all(ch.isupper() for ch in letters)


def _letter_runs(token: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of letters (apostrophes inside count as letters)."""
    return [match.span() for match in _LETTERS.finditer(token)]


def _soft_hyphen_points(token: str) -> tuple[int, ...]:
    """Offsets of soft hyphens; a point means "break before this character" like the others,
    so the soft hyphen itself ends the first piece (the drawing code never prints it)."""
    return tuple(i + 1 for i, ch in enumerate(token) if ch == SOFT_HYPHEN and 0 < i + 1 < len(token))


def _folding_table(patterns) -> dict[int, str]:
    """One-to-one character replacements so that words written with variant letters find the
    dictionary's patterns: all apostrophes become the one the patterns use, and ё becomes е
    in dictionaries without ё (the Russian one: otherwise берёзовый gets only one point)."""
    pattern_chars = set("".join(patterns))
    table: dict[int, str] = {}
    apostrophe = next((a for a in APOSTROPHES if a in pattern_chars), None)
    if apostrophe:
        for a in APOSTROPHES:
            if a != apostrophe:
                table[ord(a)] = apostrophe
    if "ё" not in pattern_chars and "е" in pattern_chars:
        table[ord("ё")] = "е"
        table[ord("Ё")] = "Е"
    return table


@cache
def _patterns(dictionary: str) -> _Patterns:
    return _Patterns(dictionary_path(dictionary))


_LIVE: list[Hyphenator] = []
_WORDS_LIMIT = 300_000


@atexit.register
def _save_words() -> None:
    for live in _LIVE:
        live.save()


def _read_cached(key: str | None) -> object:
    """The value kept under `key` (verified by the store), or None."""
    payload = store().read("hyphenation", key) if key is not None else None
    try:
        return marshal.loads(payload) if payload is not None else None
    except (ValueError, EOFError, TypeError):
        return None


def _cache_key(path, kind: str = "patterns") -> str | None:
    """The store's key for the parsed patterns of a dictionary file (`kind` "patterns"), or
    the points of the words already hyphenated with it ("words-MIN-MIN"); None for a file
    that cannot be found.

    Parsing en_US takes about 50 ms and matching a booklet's words about 40 ms, together a
    sixth of a whole build; reading both back takes a few. The key carries the dictionary
    file's size and time, so a new pyphen invalidates it, and _CACHE_VERSION, which goes up
    whenever this module changes what it computes.
    """
    try:
        stat = Path(str(path)).stat()
    except OSError:
        return None
    return f"{Path(str(path)).stem}-{stat.st_size}-{int(stat.st_mtime)}-{kind}-v{_CACHE_VERSION}.marshal"


_CACHE_VERSION = 4  # 4: patterns kept as written until a word meets them


class _Patterns:
    """Liang's hyphenation patterns from one of pyphen's hyph_*.dic files.

    pyphen's own reader builds an object per pattern and takes about 0.15 s for en_US, as
    long as setting a whole booklet. This reader finds the patterns (their letters) with a few
    whole-text operations, about 20 ms for en_US, and reads a pattern's numbers only when a
    word meets it (the example booklet's words meet 1,900 of en_US's 11,000 patterns). Files
    with nonstandard hyphenation (`/` alternatives, e.g. German, Hungarian) go to pyphen.
    Results agree with pyphen's (tests/test_hyphenate.py compares them).
    """

    def __init__(self, path):
        self.fallback = None  # a pyphen.HyphDict for dictionaries this reader does not handle
        # a pattern's letters → the pattern as written ("hy3ph"), until a word meets it; then
        # → (offset of its first number, its numbers up to the last non-zero one)
        self.patterns: dict[str, str | tuple[int, tuple[int, ...]]] = {}
        key = _cache_key(path)
        cached = _read_cached(key)
        try:
            self.patterns, self.prefixes = cached
            self.maxlen = max(map(len, self.patterns))
            return
        except (ValueError, TypeError, AttributeError):
            self.patterns = {}
        self._parse(path)
        if key is not None and self.fallback is None:
            store().write("hyphenation", key, marshal.dumps((self.patterns, self.prefixes)))

    def _parse(self, path) -> None:
        raw = path.read_bytes()
        encoding = raw.split(b"\n", 1)[0].decode().strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        text = raw.decode(encoding)
        if "/" in text and "=" in text:
            import pyphen

            self.fallback = pyphen.HyphDict(path)
            self.patterns = self.fallback.patterns
            self.prefixes = set()
            return
        lines = [line for line in map(str.strip, text.split("\n")[1:]) if line and not line.startswith(_IGNORED)]
        if "^^" in text:
            lines = [_HEX(lambda m: chr(int(m.group(1), 16)), line) if "^^" in line else line for line in lines]
        # the letters of every line, and every line without its numbers 1 to 9, at once (in UTF-8
        # no byte of another character is an ASCII digit, and bytes.translate deletes fast)
        joined = "\n".join(lines).encode("utf-8")
        letters = joined.translate(None, b"0123456789").decode("utf-8").split("\n")
        zeros_only = joined.translate(None, b"123456789").decode("utf-8").split("\n")
        # a line whose numbers are all 0 (or that has none) allows no break: it is no pattern
        self.patterns = {key: line for key, line, zeros in zip(letters, lines, zeros_only) if zeros != line}
        # every beginning of a pattern: a substring that is none can end the inner search
        keys = sorted(self.patterns, key=len, reverse=True)
        self.maxlen = len(keys[0])
        self.prefixes = set()
        count = len(keys)
        for length in range(1, self.maxlen + 1):
            while len(keys[count - 1]) < length:
                count -= 1  # the patterns at least `length` long are the first `count`
            self.prefixes.update(map(itemgetter(slice(0, length)), keys[:count]))

    def positions(self, word: str) -> list[int]:
        """Offsets where Liang's algorithm allows a break (no minimum lengths applied)."""
        if self.fallback is not None:
            return [int(p) for p in self.fallback.positions(word)]
        pointed = f".{word.lower()}."
        size = len(pointed)
        references = [0] * (size + 1)
        patterns, prefixes, maxlen = self.patterns, self.prefixes, self.maxlen
        for i in range(size - 1):
            stop = min(i + maxlen, size) + 1
            for j in range(i + 1, stop):
                part = pointed[i:j]
                if part not in prefixes:
                    break
                found = patterns.get(part)
                if found is None:
                    continue
                if found.__class__ is str:
                    found = patterns[part] = _numbers(found)
                offset, values = found
                k = i + offset
                for value in values:
                    if value > references[k]:
                        references[k] = value
                    k += 1
        return [i - 1 for i, value in enumerate(references) if value % 2]


def _numbers(pattern: str) -> tuple[int, tuple[int, ...]]:
    """A pattern as written ("hy3ph") → the offset of its first non-zero number and its numbers
    from there to the last non-zero one ((2, (3,)))."""
    values = [0]
    for ch in pattern:
        if "0" <= ch <= "9":
            values[-1] = ord(ch) - 48
        else:
            values.append(0)
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, tuple(values[start:end])


_IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")
_HEX = re.compile(r"\^{2}([0-9a-f]{2})").sub
