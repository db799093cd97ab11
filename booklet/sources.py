"""Files on disk → `BookletSource`: the booklet's metadata and its Markdown texts, with paths.

Two forms of input (see README): one Markdown file whose YAML front matter holds the
metadata, or a folder with `booklet.yaml` naming its article files. Nothing is parsed
as Markdown here; this stage only finds and reads files and the YAML around them.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import BookletError, BookletErrors, Collector, Problem, not_utf8
from .model import Location

BOOKLET_FILE = "booklet.yaml"
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class MarkdownSource:
    """One Markdown file: `text` without its front matter, which began at line 1."""

    path: Path
    text: str
    front_matter: dict[str, Any]
    body_line: int  # 1-based line of the file where `text` starts


@dataclass(frozen=True)
class BookletSource:
    name: str
    metadata: dict[str, Any]
    metadata_where: Location
    documents: tuple[MarkdownSource, ...]
    single_file: bool  # one Markdown file: its level-1 headings start the articles
    unlisted: tuple[Path, ...] = ()  # Markdown files in the folder that `articles:` leaves out
    repeated: tuple[tuple[Path, int], ...] = ()  # files `articles:` lists more than once, how often
    problems: tuple[Problem, ...] = ()  # article files missing or unreadable (the others are read)
    covers: dict[str, MarkdownSource] = field(default_factory=dict)  # "cover"/"back" given as Markdown


def read_sources(source: Path) -> BookletSource:
    """Read a booklet from a Markdown file or from a folder (with or without booklet.yaml)."""
    if source.is_dir():
        return _read_folder(source)
    if not source.exists():
        raise BookletError("no such file or folder", source)
    if source.suffix.lower() == ".pdf":
        raise BookletError("expected a Markdown file (.md) or a booklet folder; a PDF made elsewhere is "
                           "imposed with `booklet impose`", source)
    if source.suffix.lower() not in MARKDOWN_SUFFIXES:
        raise BookletError("expected a Markdown file (.md) or a booklet folder", source)
    if not source.is_file():  # regression: a named pipe was read, waiting for a writer for ever
        raise BookletError("not a file but a named pipe or a device: name a Markdown file or a booklet folder", source)
    document = read_markdown(source)
    return BookletSource(
        name=source.stem,
        metadata=document.front_matter,
        metadata_where=Location(source, 1),
        documents=(document,),
        single_file=True,
        covers=_cover_documents(document.front_matter, source.parent, source),
    )


def _read_folder(folder: Path) -> BookletSource:
    config_path = folder / BOOKLET_FILE
    config: dict[str, Any] = {}
    if config_path.exists() and not config_path.is_file():  # regression: read as "the 'title' is missing"
        raise BookletError(f"{BOOKLET_FILE} is a folder, not a file: the booklet's metadata goes in a YAML "
                           "file of that name", config_path)
    if config_path.is_file():
        config = load_yaml(_read_text(config_path), config_path, first_line=1)
    name = folder.resolve().name
    articles = config.pop("articles", None)
    unlisted: tuple[Path, ...] = ()
    repeated: tuple[tuple[Path, int], ...] = ()
    if articles is None:
        paths = sorted(p for p in folder.glob("*.md") if p.is_file())
        if not paths:
            raise BookletError(f"no Markdown files (*.md) and no {BOOKLET_FILE} with an articles list", folder)
    else:
        line = _key_line(config_path, "articles")
        if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
            raise BookletError("'articles' must be a list of Markdown file names", config_path, line)
        if not articles:
            raise BookletError("'articles' is empty: the booklet has no text", config_path, line)
        paths = [folder / entry for entry in articles]
        times = Counter(path.resolve() for path in paths)
        named = {path.resolve(): path for path in reversed(paths)}  # each file as first written
        repeated = tuple((named[file], count) for file, count in times.items() if count > 1)
        listed = set(times)
        unlisted = tuple(sorted(p for p in folder.glob("*.md") if p.is_file() and p.resolve() not in listed))
    # every article that can be read is, so that one run reports the problems of all of them
    errors = Collector()
    documents = []
    for entry, path in zip(articles or [None] * len(paths), paths):
        with errors.attempt():
            if entry is not None:
                _check_listed(entry, path, config_path)
            documents.append(read_markdown(path))
    if not documents:
        errors.raise_any()
    where = Location(config_path, 1) if config_path.is_file() else Location(folder)
    covers = _cover_documents(config, folder, config_path)
    cover_paths = {document.path.resolve() for document in covers.values()}
    if articles is None:  # the cover's and back's files are theirs, not articles too
        documents = [document for document in documents if document.path.resolve() not in cover_paths]
    return BookletSource(name, config, where, tuple(documents), single_file=False,
                         unlisted=tuple(p for p in unlisted if p.resolve() not in cover_paths), repeated=repeated,
                         problems=tuple(errors.problems), covers=covers)


def found_instead(path: Path) -> str:
    """What is there instead of a missing file, as a hint: the file written with `/` for a `\\`
    (a path copied from Windows), a name differing only in case (files from a Mac or Windows
    disk, where Photo.JPG and photo.jpg are one file), or the missing target of a link."""
    if path.is_symlink():
        return f" (it is a link to {path.readlink()}, which is missing)"
    if "\\" in str(path) and Path(str(path).replace("\\", "/")).is_file():
        return " (write the path with / between folder and file name, not \\)"
    try:
        same = [p for p in path.parent.iterdir() if p.name.lower() == path.name.lower() and p.is_file()]
    except OSError:  # the folder is missing too, or cannot be listed
        return ""
    return f" ({same[0].name} is there: letter case counts in file names)" if same else ""


def _check_listed(entry: str, path: Path, config_path: Path) -> None:
    """An entry of `articles:` (as written there) must name a Markdown file. Regression: a missing
    file named by an absolute path crashed the message (Path.relative_to), and booklet.yaml or
    /etc/passwd listed there were printed as articles."""
    line = _entry_line(config_path, entry)
    if path.is_dir():
        raise BookletError(f"article {entry} is a folder, not a Markdown file", config_path, line)
    if not path.is_file():
        raise BookletError(f"article file not found: {entry}{found_instead(path)}", config_path, line)
    if path.suffix.lower() not in MARKDOWN_SUFFIXES:
        raise BookletError(f"article {entry} is not a Markdown file (.md): list the booklet's Markdown files",
                           config_path, line)


def _cover_documents(metadata: dict[str, Any], base: Path, named_in: Path) -> dict[str, MarkdownSource]:
    """The front and back covers given as Markdown files (`cover: cover.md`, `back: back.md`)."""
    covers = {}
    errors = Collector()
    for key in ("cover", "back"):
        value = metadata.get(key)
        if isinstance(value, str) and value.lower().endswith(MARKDOWN_SUFFIXES):
            path = base / value
            with errors.attempt():
                if not path.is_file():
                    raise BookletError(f"{key} file not found: {value}", named_in, _key_line(named_in, key))
                covers[key] = read_markdown(path)
    errors.raise_any()
    return covers


def read_markdown(path: Path) -> MarkdownSource:
    """A Markdown file split into its YAML front matter (between `---` lines) and its text."""
    text = _read_text(path)
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                front = load_yaml("".join(lines[1:index]), path, first_line=2)
                return MarkdownSource(path, "".join(lines[index + 1:]), front, body_line=index + 2)
        raise BookletError("front matter starts with '---' but never ends (add a closing '---' line)", path, 1)
    return MarkdownSource(path, text, {}, body_line=1)


def load_yaml(text: str, path: Path, first_line: int) -> dict[str, Any]:
    """YAML mapping → dict; syntax errors name the file and the line (counting from `first_line`)."""
    try:
        loader = _UniqueKeyLoader(text, first_line)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:  # a control character or a noncharacter: YAML allows none
        line = first_line + text[:exc.position].count("\n")
        kind = "control character" if unicodedata.category(chr(exc.character)) == "Cc" else "noncharacter"
        raise BookletError(f"YAML does not allow the {kind} U+{exc.character:04X}; remove it",
                           path, line) from None
    except yaml.YAMLError as exc:
        line = _yaml_line(exc, text, first_line)
        problem = _yaml_problem(exc)
        label = "" if problem.startswith("duplicate key") else "YAML syntax error: "
        raise BookletError(f"{label}{problem}", path, line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BookletError("expected YAML key: value lines", path, first_line)
    return data


_NULL, _MERGE = "tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a key written twice is an error (the first value
    would otherwise be dropped without a word), and that a plain value is text as written:
    every value booklet reads is printed, and YAML's own reading of `2026-1-5`, `1.10`,
    `007`, `yes` or a phone number `07700900123` would change it (to 2026-01-05, 1.1, 7, True,
    7700900123) or fail on an impossible date. An empty value (and `~`, `null`) stays None."""

    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag in (_NULL, _MERGE)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    def __init__(self, text: str, first_line: int = 1):
        super().__init__(text)
        self.first_line = first_line

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # an unhashable key: let PyYAML report it
                continue
            if first is not key_node:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first written on line {self.first_line + first.start_mark.line})",
                    key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or "invalid YAML"
    context = getattr(exc, "context", None)
    return f"{problem} ({context})" if context else problem


def _yaml_line(exc: yaml.YAMLError, text: str, first_line: int) -> int | None:
    """The line to blame: where the problem is, unless that is the end of the text
    (an unclosed bracket or quote), where the construct that never closed began."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    mark = problem
    if context is not None and (problem is None or problem.index >= len(text.rstrip())):
        mark = context
    return first_line + mark.line if mark is not None else None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8(exc, path) from None
    except OSError as exc:
        raise BookletError(f"cannot read: {exc.strerror}", path) from None


def _key_line(path: Path, key: str) -> int | None:
    """The line where a top-level YAML key is written, for messages."""
    return _find_line(path, lambda s: s.startswith(f"{key}:"))


def _entry_line(path: Path, entry: str) -> int | None:
    return _find_line(path, lambda s: s.lstrip().startswith("-") and entry in s)


def _find_line(path: Path, wanted) -> int | None:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if wanted(line):
                return number
    except OSError:
        return None
    return None
