"""The benchmark corpora: their source folders, and each article's Markdown as title, heading and
paragraph blocks for the reference writers."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from reference.layout import ROOT

Runs = tuple[tuple[str, str], ...]  # (style, text); style "", "em", "strong", "em+strong", "code", "br"


@dataclass(frozen=True)
class Title:
    """An article's front matter ("" where a field is absent)."""
    title: str
    date: str
    author: str


@dataclass(frozen=True)
class Heading:
    level: int  # 2 to 4: a level-1 heading is set as 2, deeper ones as 4
    runs: Runs


@dataclass(frozen=True)
class Paragraph:
    runs: Runs
    indent: bool  # first-line indent: the block before it in the source is a paragraph


Block = Title | Heading | Paragraph


def corpus_folder(kind: str, out: Path, reuse: bool) -> Path:
    """The source folder: examples/zine as it is, or a generated one under OUT."""
    if kind == "example":
        return ROOT / "examples" / "zine"
    folder = out / kind
    if reuse and (folder / "booklet.yaml").is_file():
        return folder
    if kind == "licences":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import typography
        typography.make_corpus(folder)
    else:
        sys.path.insert(0, str(ROOT / "tests"))
        from corpus import make_booklet
        make_booklet(folder, articles=4, words_per_article=2700, photo_size=(1600, 1100))
    return folder


FRONT = re.compile(r"^---\s*\n(.*?)\n---\s*\n", re.S)


def markdown_parser() -> MarkdownIt:
    """booklet's parser settings (booklet/parse.py): CommonMark, typographer, English quotes."""
    md = MarkdownIt("commonmark", {"typographer": True, "html": False, "quotes": "\u201c\u201d\u2018\u2019"})
    return md.enable(["replacements", "smartquotes"]).use(attrs_plugin)


def inline_runs(token: Token) -> Runs:
    """The text of an inline token as styled runs; images and link targets are left out."""
    runs: list[tuple[str, str]] = []
    em = strong = 0
    for child in token.children or []:
        if child.type in ("em_open", "em_close"):
            em += 1 if child.type == "em_open" else -1
        elif child.type in ("strong_open", "strong_close"):
            strong += 1 if child.type == "strong_open" else -1
        elif child.type in ("text", "html_inline"):
            runs.append(("+".join(s for s, on in (("em", em), ("strong", strong)) if on), child.content))
        elif child.type == "code_inline":
            runs.append(("code", child.content))
        elif child.type == "softbreak":
            runs.append(("", " "))
        elif child.type == "hardbreak":
            runs.append(("br", ""))
    # merge neighbours of one style and collapse spaces (the licences have two after a full
    # stop: LaTeX and booklet collapse them, a Typst string would keep both)
    merged: list[tuple[str, str]] = []
    for style, text in runs:
        text = re.sub(r"[ \t\n]+", " ", text)
        if merged and merged[-1][0] == style and style != "br":
            merged[-1] = (style, merged[-1][1] + text)
        else:
            merged.append((style, text))
    return tuple(merged)


def read_article(path: Path, md: MarkdownIt) -> list[Block]:
    """Title block, then the top-level headings and paragraphs; a paragraph is indented when
    the block before it in the source is a paragraph (as booklet does)."""
    text = path.read_text(encoding="utf-8")
    meta = {}
    if m := FRONT.match(text):
        meta = yaml.safe_load(m.group(1)) or {}
        text = text[m.end():]
    blocks: list[Block] = [Title(*(str(meta.get(k, "")) for k in ("title", "date", "author")))]
    previous_paragraph = False
    tokens = md.parse(text)
    for i, token in enumerate(tokens):
        if token.level != 0 or token.type.endswith("_close") or token.type == "inline":
            continue
        is_paragraph = False
        if token.type == "heading_open":
            blocks.append(Heading(min(max(int(token.tag[1]), 2), 4), inline_runs(tokens[i + 1])))
        elif token.type == "paragraph_open":
            runs = inline_runs(tokens[i + 1])
            is_paragraph = any(t.strip() for s, t in runs if s != "br")  # not an image alone
            if is_paragraph:
                blocks.append(Paragraph(runs, previous_paragraph))
        previous_paragraph = is_paragraph
    return blocks


def read_corpus(folder: Path) -> list[list[Block]]:
    """The blocks of each article listed in folder/booklet.yaml, in order."""
    meta = yaml.safe_load((folder / "booklet.yaml").read_text(encoding="utf-8"))
    md = markdown_parser()
    return [read_article(folder / name, md) for name in meta["articles"]]


def write_blocks(articles: list[list[Block]], write: Callable[[Block], str]) -> list[str]:
    """The source lines of every block of every article, each block followed by an empty line."""
    return [line for article in articles for block in article for line in (write(block), "")]
