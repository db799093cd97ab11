"""`booklet new DIR`: a small booklet folder that builds as it is, to copy and change."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from .errors import BookletError

BOOKLET_YAML = """\
title: My First Booklet
subtitle: Notes to fold and staple
author: Your Name
publisher: Your Collective
date: 2026
edition: EN 01
language: en
contacts:
  - hello@example.org
# The articles, in the order they are printed. A Markdown file of this folder that is not
# listed here is left out of the booklet (build and check warn about it): add new files
# here. Without this list, every *.md file is printed, in the order of their names.
articles:
  - 00-preface.md
  - 01-first.md
  - 02-second.md
"""

PREFACE = """\
This little booklet was made with *booklet*. Change the files in this folder,
run `booklet build .` and print the `-print.pdf` double-sided.
"""

FIRST = """\
---
title: Why we print
date: September 6, 2026
---

![The workshop table, early in the morning](workshop.png)

Paper still travels where screens do not. A booklet can be left on a bus seat, pinned
to a noticeboard, or handed from one person to the next without anyone asking for a
password. That is why we print.

Each article starts on a new page with its title, its date and, if you like, a photo.
Paragraphs are justified and hyphenated; *emphasis*, **strong words** and `code` work
as in any Markdown file.

* * *

Three asterisks on a line of their own, as above, print as an ornament between two parts of
an article. The page builder chooses where every page ends, so that the two pages of a
spread end on the same line and no paragraph leaves a single line behind.

> A quotation stands apart from the text around it, a little narrower and a little smaller.

A note goes at the foot of the page that calls it,[^1] and a list is written as in any
Markdown file: see the next article.

**Print it, fold it, pass it on.**

[^1]: Like this one. Write `[^1]` where the note is called and `[^1]:` before its text.
"""

SECOND = """\
---
title: How to fold this booklet
date: October 1, 2026
---

1. Print the print PDF double-sided, flipping on the long edge, at 100 % (actual size).
2. Cut the stack of sheets across the middle.
3. Put the pile of top halves on the pile of bottom halves.
4. Fold the whole pile once down the middle and staple it on the fold.

Links are printed with their address, like [the project page](https://example.org/booklet),
so that a reader on paper can follow them.
"""


def create_starter(folder: Path) -> list[Path]:
    """Write a starter booklet into `folder` (new or empty); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BookletError("already exists and is not an empty folder; choose a new name", folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BookletError(f"cannot create folder: {exc.strerror}", folder) from None
    files = {
        "booklet.yaml": BOOKLET_YAML,
        "00-preface.md": PREFACE,
        "01-first.md": FIRST,
        "02-second.md": SECOND,
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    image_path = folder / "workshop.png"
    _draw_picture().save(image_path)
    written.append(image_path)
    return written


def _draw_picture() -> Image.Image:
    """A simple generated picture (a table with sheets of paper), so the starter needs no download."""
    image = Image.new("RGB", (1200, 800), (236, 228, 212))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 420, 1120, 760), fill=(150, 110, 70))
    for offset, shade in ((0, 250), (40, 240), (80, 230)):
        draw.polygon([(300 + offset, 300 + offset // 2), (700 + offset, 260 + offset // 2),
                      (760 + offset, 520 + offset // 2), (360 + offset, 560 + offset // 2)],
                     fill=(shade, shade, shade - 10), outline=(90, 90, 90))
    draw.ellipse((880, 120, 1040, 280), fill=(240, 190, 80))
    return image
