"""Page make-up benchmark (issue #12): corpora → reading PDFs → how the pages end.

Run from the repository root after installing: `python benchmarks/spreads.py [--corpus C ...]`.

Builds the example booklet (examples/zine) and the hard corpora of benchmarks/typography.py
(`licences`: the licence texts Debian ships; `generated`: tests/corpus.py with photos) in the
`pocket` layout, and reads each reading PDF back with pdfplumber:

* spreads inside articles (an even page and the odd page after it, both of one article and
  neither its last, both with text) whose pages end on the same baseline, within 0.5 pt; the
  foot of a page is its lowest text baseline or image bottom;
* short pages: pages of an article but its last that end more than 0.5 pt above the foot of a
  full page of text (pages that hold only a full-page image are left out);
* last pages holding fewer than 4 lines;
* pages whose last line ends in a hyphen (the word goes on overleaf on a right-hand page);
* lead photos (an article's first block is an image) on their article's title page;

then the line metrics of `../shared/tools/typo_metrics.py READ.pdf --sources SRC --compact`.
To measure another checkout (before/after), put it first on the path:
`PYTHONPATH=/path/to/checkout python benchmarks/spreads.py`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(1, str(ROOT / "tests"))

from typography import make_corpus  # noqa: E402

from booklet.build import build, load_booklet  # noqa: E402
from booklet.model import Figure, Span  # noqa: E402

# ../shared beside the main checkout (a worktree sits one level deeper)
METRICS = next((p for p in (ROOT.parent / "shared" / "tools" / "typo_metrics.py",
                            ROOT.parent.parent / "shared" / "tools" / "typo_metrics.py") if p.is_file()),
               ROOT.parent / "shared" / "tools" / "typo_metrics.py")
TOLERANCE = 0.5  # points
MIN_LAST_LINES = 4


def corpus(name: str, work: Path) -> Path:
    if name == "example":
        return ROOT / "examples" / "zine"
    if name == "licences":
        return make_corpus(work / "licences")[0]
    from corpus import make_booklet

    return make_booklet(work / "generated", articles=4, words_per_article=2700, photo_size=(1600, 1100))


def page_feet(pdf_path: Path, marker_zone: float) -> list[tuple[float | None, int, bool, bool]]:
    """Per page: (the foot: lowest text baseline or image bottom, from the page top; text
    lines; whether an image covers most of the page; whether its last line ends in a hyphen),
    ignoring the page marker."""
    result = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            height = float(page.height)
            text = [c for c in page.chars if height - c["matrix"][5] < height - marker_zone]
            baselines = {round(height - c["matrix"][5], 1) for c in text}
            images = [float(i["bottom"]) for i in page.images]
            feet = [*baselines, *images]
            full_image = any(float(i["bottom"]) - float(i["top"]) > 0.8 * height for i in page.images)
            last_line = [c for c in text if round(height - c["matrix"][5], 1) == max(baselines, default=None)]
            broken = bool(last_line) and max(last_line, key=lambda c: c["x1"])["text"] in "-\u2010"
            result.append((max(feet) if feet else None, len(baselines), full_image, broken))
    return result


def measure_spreads(source: Path, outdir: Path) -> dict:
    result = build(source, outdir)
    booklet, layout = load_booklet(source)
    feet = page_feet(result.read_path, layout.margins.bottom * 0.75)
    body = layout.styles["body"]
    lines = int((layout.text_height + 1e-6) // body.leading)
    full_foot = layout.margins.top + (lines - 1) * body.leading + body.size
    starts = [page for _, page in result.article_pages]
    # an article ends where the next begins, the last before the blanks and the back cover
    last_text = max(i + 1 for i, (_, count, _, _) in enumerate(feet[:-1]) if count) if feet else 0
    ends = [start - 1 for start in starts[1:]] + [last_text]
    spreads = equal = short = thin_last = 0
    unequal_pages, short_pages = [], []
    broken_pages = [number for number, (_, _, _, broken) in enumerate(feet, 1) if broken]
    for start, end in zip(starts, ends):
        for number in range(start, end):  # every page of the article but its last
            foot, count, full_image, _ = feet[number - 1]
            if count and not full_image and foot is not None and foot < full_foot - TOLERANCE:
                short += 1
                short_pages.append(number)
            if number % 2 == 0 and number + 1 < end:
                left, right = feet[number - 1], feet[number]
                if left[1] and right[1] and not left[2] and not right[2]:
                    spreads += 1
                    if abs(left[0] - right[0]) <= TOLERANCE:
                        equal += 1
                    else:
                        unequal_pages.append(number)
        if feet[end - 1][1] < MIN_LAST_LINES:
            thin_last += 1
    titled = [a for a in booklet.articles if a.title]
    leads = on_title = 0
    with pdfplumber.open(result.read_path) as pdf:
        for article, start in zip(titled, starts):
            first = article.blocks[0] if article.blocks else None
            if isinstance(first, Figure) and not first.full_page:
                leads += 1
                page = pdf.pages[start - 1]
                caption = "".join(s.text for s in first.caption if isinstance(s, Span)).split()
                text = page.extract_text() or ""
                if page.images and (not caption or caption[0] in text):
                    on_title += 1
    return {"pages": result.pages, "spreads": spreads, "equal": equal, "unequal_left_pages": unequal_pages,
            "short": short, "short_pages": short_pages, "broken_pages": broken_pages, "thin_last_pages": thin_last, "leads": leads,
            "leads_on_title_page": on_title, "read_pdf": result.read_path}


def line_metrics(pdf: Path, source: Path) -> dict:
    done = subprocess.run([sys.executable, str(METRICS), str(pdf), "--sources", str(source), "--compact"],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", choices=("example", "licences", "generated"),
                        help="corpora to build (default: all three)")
    parser.add_argument("--keep", type=Path, help="keep the corpora and PDFs in this folder")
    args = parser.parse_args()
    if not METRICS.is_file():
        sys.exit(f"typo_metrics.py not found at {METRICS}")
    import booklet

    print(f"booklet from {Path(booklet.__file__).parent}")
    print(f"line metrics: python {METRICS} READ.pdf --sources SRC --compact\n")
    with tempfile.TemporaryDirectory() as folder:
        work = args.keep or Path(folder)
        for name in args.corpus or ["example", "licences", "generated"]:
            source = corpus(name, work)
            outdir = work / f"out-{name}"
            outdir.mkdir(parents=True, exist_ok=True)
            spreads = measure_spreads(source, outdir)
            report = line_metrics(spreads["read_pdf"], source)
            share = spreads["equal"] / spreads["spreads"] if spreads["spreads"] else 1.0
            spacing, hyphens = report.get("justified_spacing", {}), report.get("hyphenation", {})
            orphans = report.get("widows_orphans", {})
            print(f"{name}: {spreads['pages']} pages")
            print(f"  spreads on one baseline   {spreads['equal']}/{spreads['spreads']} ({share:.0%})"
                  f"  unequal at {spreads['unequal_left_pages']}")
            print(f"  short pages               {spreads['short']} {spreads['short_pages']}")
            print(f"  last pages under {MIN_LAST_LINES} lines  {spreads['thin_last_pages']}")
            right = [number for number in spreads["broken_pages"] if number % 2]
            left = [number for number in spreads["broken_pages"] if number % 2 == 0]
            print(f"  pages ending mid-word     right {len(right)} {right}, left {len(left)} {left}")
            print(f"  lead photos on title page {spreads['leads_on_title_page']}/{spreads['leads']}")
            print(f"  p95 gap ratio             {spacing.get('p95', float('nan')):.3f}  (target <= 1.38)")
            print(f"  lines looser than 2.0     {spacing.get('very_loose_gt_2_0')}  (target 0)")
            print(f"  hyphenated lines          {hyphens.get('share_of_body_lines', float('nan')):.1%}"
                  f"  (target <= 5 %), longest run {hyphens.get('max_consecutive')} (target 2)")
            for key in ("widow_pages", "orphan_pages", "heading_at_page_bottom_pages"):
                print(f"  {key:25} {len(orphans.get(key, []))} {orphans.get(key, [])[:8]}")
            fidelity = report.get("fidelity", {})
            print(f"  words kept in order       {fidelity.get('share_found', float('nan')):.2%}")
            print()


if __name__ == "__main__":
    main()
