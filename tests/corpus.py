"""Generated booklets for tests and benchmarks: deterministic, our own (random) words."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw

WORDS = (
    "paper ink press fold staple page sheet street library tool bicycle garden kitchen neighbour "
    "meeting evening morning winter summer river bridge market school workshop letter poster "
    "people city village window table chair door road train station corner square festival "
    "together slowly quietly always never often because although while after before during "
    "printed folded carried shared repaired borrowed written gathered listened answered opened "
    "small large bright quiet careful patient generous stubborn local public common open "
    "the a an and or but with without from into over under between through across of to in on "
    "we they she he it you our their every each some many few most other another such "
    "collective cooperative assembly volunteers members newsletter distribution photocopier "
    "is are was were has have had will would can could should may might must"
).split()


def sentence(rng: random.Random, low: int = 6, high: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words) - 1), rng.choice(WORDS) + ",")
    return " ".join(words).capitalize() + rng.choice(".....?!")


def paragraph(rng: random.Random, sentences: tuple[int, int] = (3, 8)) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def make_image(path: Path, size: tuple[int, int], seed: int) -> Path:
    """A simple picture: coloured shapes on a gradient, saved as JPEG or PNG by suffix."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randint(150, 230), rng.randint(150, 230), rng.randint(150, 230)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        r = rng.randint(size[0] // 20, size[0] // 5)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        image.save(path, quality=85)
    else:
        image.save(path)
    return path


def make_booklet(folder: Path, articles: int = 3, words_per_article: int = 1200, seed: int = 7,
                 photo_size: tuple[int, int] = (1200, 800), language: str = "en") -> Path:
    """A booklet folder like the brief's: preface, titled articles with dateline and lead
    photo, section breaks, a mid-article figure, quotes, lists, a bold closing line."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = ["00-preface.md"]
    (folder / "00-preface.md").write_text(paragraph(rng) + "\n\n" + paragraph(rng) + "\n", encoding="utf-8")
    for number in range(1, articles + 1):
        lead = make_image(folder / "images" / f"lead{number}.jpg", photo_size, seed * 100 + number)
        middle = make_image(folder / "images" / f"middle{number}.png", (photo_size[0] // 2, photo_size[1] // 2),
                            seed * 200 + number)
        parts = [
            "---", f"title: Article number {number} about {rng.choice(WORDS)} and {rng.choice(WORDS)}",
            f"date: September {number + 5}, 2024", "---", "",
            f"![Lead photo {number}: {sentence(rng, 4, 8)}](images/{lead.name})", "",
        ]
        written = 0
        block = 0
        while written < words_per_article:
            block += 1
            if block % 9 == 0:
                parts += ["* * *", ""]
            elif block == 5:
                parts += [f"![Figure {number} in the text](images/{middle.name})", ""]
            elif block % 11 == 0:
                parts += ["> " + paragraph(rng, (2, 4)), ""]
            elif block % 13 == 0:
                parts += ["## " + sentence(rng, 2, 5).rstrip(".?!"), ""]
            elif block % 17 == 0:
                parts += [f"- {sentence(rng, 3, 8)}", f"- {sentence(rng, 3, 8)}",
                          f"  1. {sentence(rng, 2, 6)}", f"  2. {sentence(rng, 2, 6)}", ""]
            else:
                text = paragraph(rng)
                if block % 7 == 0:
                    text = text.replace(" the ", " *the* ", 1).replace(" and ", " **and** ", 1)
                written += len(text.split())
                parts += [text, ""]
        if number == articles:
            parts += ["**Print it, fold it, pass it on!**", ""]
        name = f"{number:02d}-article.md"
        (folder / name).write_text("\n".join(parts), encoding="utf-8")
        names.append(name)
    meta = [
        "title: A Generated Booklet", "subtitle: Words chosen by a random number generator",
        "author: The Test Suite", "publisher: Booklet Press", "date: November 2026", "edition: EN 07",
        f"language: {language}", "contacts:", "  - press@example.org", "  - example.org/booklet",
        "articles:", *[f"  - {n}" for n in names],
    ]
    (folder / "booklet.yaml").write_text("\n".join(meta) + "\n", encoding="utf-8")
    return folder


def booklet_with_own_layout(folder: Path, **options) -> Path:
    """make_booklet(folder, **options) with a copy of the pocket layout as its own mine.toml."""
    make_booklet(folder, **options)
    pocket = Path(__file__).resolve().parent.parent / "layouts" / "pocket.toml"
    (folder / "mine.toml").write_text(pocket.read_text(encoding="utf-8"), encoding="utf-8")
    meta = folder / "booklet.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "layout: mine.toml\n", encoding="utf-8")
    return folder
