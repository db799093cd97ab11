#!/usr/bin/env python3
"""Reference typesetting of the benchmark corpora by LuaLaTeX and Typst, next to booklet.

Sets one corpus in the geometry and text sizes of layouts/pocket.toml (read at run time with
booklet's own reader, booklet.layouts.load_layout, so the comparison follows the layout) with
  * LuaLaTeX + fontspec + microtype (protrusion and font expansion)   engine `latex-microtype`
  * LuaLaTeX + fontspec, no microtype                                 engine `latex-plain`
  * Typst (the typst Python package)                                  engine `typst`
  * booklet itself (`python -m booklet build --layout …`)             engine `booklet`
and measures every reading PDF with ../shared/tools/typo_metrics.py against the source folder,
as benchmarks/typography.py does.

    python benchmarks/reference_engines.py                       # examples/zine, the layout's face
    python benchmarks/reference_engines.py --corpus licences --out /tmp/ref
    python benchmarks/reference_engines.py --corpus generated --font gentium

Corpora: `example` (examples/zine, used in place, read-only), `licences` (the Debian licence
texts, made by benchmarks/typography.py) and `generated` (tests/corpus.py, as benchmarks/build.py).
Fonts come from fonts/: `--font` picks the body face (default: the layout's); a face other
than the layout's goes into a copy of the layout with that `body`, OUT/work/pocket.toml, which
booklet builds with and the reference documents are read from.

Needs booklet installed with its test extra, `pip install '.[test]'` (pdfplumber, for the metric
and the page measures).  The writers live beside this file in benchmarks/reference/.
For the reference engines: `apt install texlive-luatex texlive-latex-recommended
texlive-latex-extra lmodern` and `pip install typst`; an engine whose tool is missing is
skipped with a note.  Outputs: OUT/<corpus>-<font>-<engine>.pdf (+ .metrics.json), the
sources of each run in OUT/work/, and the summary in OUT/results-<corpus>-<font>[-LABEL].json
and .md; OUT is --out or a new temporary folder (kept, and named at the end).

Setting, from the layout: page size and mirrored margins; body face, size, leading and
first-line indent (none after a title, heading or any block that is not a paragraph), no space
between paragraphs, justified, English hyphenation with [hyphenation] min_before/min_after
(LaTeX; Typst's minima are its own);
title, author and dateline styles; heading2-4 styles (face, size, leading, space before and
after, ragged right, unhyphenated); each article on a new page; the page marker's format, size
and baseline.  All sizes are PostScript points (TeX's `bp`).  Line breaking is each engine's
own with its defaults (LaTeX: \\tolerance 200, \\hyphenpenalty 50, \\emergencystretch 0; no
widows or orphans: \\widowpenalty = \\clubpenalty = 10000 with \\raggedbottom); the layout's
hyphenation penalty is booklet's own and is not passed on.

Engine variants for sweeps carry overrides after "@":
`latex-microtype@hyphenpenalty=1000@emergencystretch=1em` (any TeX parameter, set in the
preamble), `typst@costs.hyphenation=50%` (text.costs) or `typst@spacing.max=133%`
(par.justification-limits); --label keeps their results apart, e.g.
    python benchmarks/reference_engines.py --corpus licences --out /tmp/ref --reuse-corpus \\
        --label sweep --engines 'latex-microtype@hyphenpenalty=1000'

The metric is run unchanged.  One exception: where the natural word space it reads from a PDF
differs by > 5 % from the font file's space advance (it misreads the Charis subset LuaTeX
embeds), the PDF is measured again with --space-em set to the font file's value, and the run's
build info shows space_em_override.

Fidelity caveat: only top-level paragraphs and headings are converted for LaTeX and Typst.
Lists, quotes, images and captions, code blocks and `* * *` breaks are dropped, so those two
engines set less text than booklet and score lower on the metric's fidelity by construction
(examples/zine and the generated corpus have all of these; the licences have none).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run by runpy or imported: the reference package is beside this file
    sys.path.insert(0, str(HERE))

from booklet.layouts import load_layout  # noqa: E402
from reference.corpus import corpus_folder, read_corpus  # noqa: E402
from reference.latex_engine import build_latex  # noqa: E402
from reference.layout import LAYOUT, ROOT, font_files, layout_with_body  # noqa: E402
from reference.typst_engine import build_typst  # noqa: E402

METRICS = ROOT.parent / "shared" / "tools" / "typo_metrics.py"
FACES = {"charis": "Charis SIL", "gentium": "Gentium Book Plus"}  # --font → bundled family
ENGINES = ("latex-microtype", "latex-plain", "typst", "booklet")


# --------------------------------------------------------------------------------------
# booklet


def build_booklet(source: Path, layout_file: Path, work: Path, pdf: Path) -> dict:
    """The installed booklet's reading PDF (run from `work`, so that the source tree in the
    current folder cannot shadow the installed package)."""
    source, layout_file, work = source.resolve(), layout_file.resolve(), work.resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "booklet", "build", str(source), "-o", str(work),
                    "--layout", str(layout_file), "--quiet"], check=True, capture_output=True, text=True, cwd=work)
    seconds = time.perf_counter() - start
    shutil.copy(next(work.glob("*-read.pdf")), pdf)
    return {"seconds": round(seconds, 1)}


# --------------------------------------------------------------------------------------
# measuring

COLUMNS = [
    ("pages", ("pages", "count")),
    ("p95 gap", ("justified_spacing", "p95")),
    ("median gap", ("justified_spacing", "median")),
    ("> 1.5", ("justified_spacing", "loose_gt_1_5")),
    ("> 2.0", ("justified_spacing", "very_loose_gt_2_0")),
    ("< 0.85", ("justified_spacing", "tight_lt_0_85")),
    ("hyphenated", ("hyphenation", "share_of_body_lines")),
    ("longest run", ("hyphenation", "max_consecutive")),
    ("widow pp.", ("widows_orphans", "widow_pages")),
    ("orphan pp.", ("widows_orphans", "orphan_pages")),
    ("stranded hd.", ("widows_orphans", "heading_at_page_bottom_pages")),
    ("fidelity", ("fidelity", "share_found")),
    ("body lines", ("body", "body_lines")),
    ("leading", ("body", "leading_pt")),
    ("font", ("body", "font")),
]


def page_measures(pdf: Path) -> dict:
    """A geometry check independent of the metric: the median over pages of the modal line
    width, and the modal left edge of odd and even pages."""
    import pdfplumber
    measures, lefts = [], {0: collections.Counter(), 1: collections.Counter()}
    with pdfplumber.open(pdf) as doc:
        for page_number, page in enumerate(doc.pages, start=1):
            rows = collections.defaultdict(list)
            for word in page.extract_words():
                rows[round(word["bottom"])].append(word)
            if len(rows) < 10:
                continue
            left = collections.Counter(round(min(w["x0"] for w in ws), 1) for ws in rows.values()).most_common(1)[0][0]
            right = collections.Counter(round(max(w["x1"] for w in ws), 1) for ws in rows.values()).most_common(1)[0][0]
            measures.append(right - left)
            lefts[page_number % 2][left] += 1
    return {"median_page_measure_pt": round(statistics.median(measures), 2) if measures else None,
            "odd_left_pt": lefts[1].most_common(1)[0][0] if lefts[1] else None,
            "even_left_pt": lefts[0].most_common(1)[0][0] if lefts[0] else None}


def font_space_em(family: str) -> float:
    """Advance of U+0020 in the family's regular file, in em, read with the metric's own parser."""
    spec = importlib.util.spec_from_file_location("typo_metrics", METRICS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sfnt_space_em(font_files(family)["Regular"].read_bytes())


def measure(pdf: Path, source: Path, family: str) -> tuple[dict, float | None]:
    """The shared metric as is; measured again with --space-em when the natural word space it
    reads is > 5 % off the font file's (then returned second)."""
    command = [sys.executable, str(METRICS), str(pdf), "--sources", str(source), "--compact"]
    report = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    detected = (report.get("natural_space") or {}).get("em")
    true_em = round(font_space_em(family), 4)
    if detected is not None and abs(detected - true_em) <= 0.05 * true_em:
        return report, None
    command += ["--space-em", str(true_em)]
    report = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    report["natural_space"] = {**(report.get("natural_space") or {}), "metric_detected_em": detected}
    return report, true_em


def cell(report: dict, path: tuple[str, str]) -> str:
    """One table cell: report[section][key], a list as its length, a float to 3 places."""
    value = (report.get(path[0]) or {}).get(path[1])
    if isinstance(value, list):
        return str(len(value))
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def table(rows: list[tuple[str, dict, dict]]) -> str:
    """The Markdown results table, a row per (engine, metric report, build info)."""
    heads = ["engine", *(c[0] for c in COLUMNS), "page measure pt", "overfull"]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for name, report, info in rows:
        over = info.get("overfull_hboxes")
        over = "" if over is None else f"{over} (max {info['overfull_max_pt']:.1f} pt)"
        cells = [name, *(cell(report, c[1]) for c in COLUMNS), str(info.get("median_page_measure_pt")), over]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def versions(out: Path, engines: list[str]) -> dict:
    """Versions of booklet (and its commit), LuaLaTeX and Typst, as far as they ran."""
    found = {}
    for package in ("booklet", "typst"):
        try:
            found[package if package == "booklet" else "typst-py"] = version(package)
        except PackageNotFoundError:
            pass
    if shutil.which("git"):
        git = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True)
        if git.returncode == 0:
            found["booklet commit"] = git.stdout.strip()
    if any(e.startswith("latex") for e in engines):
        found["lualatex"] = subprocess.run(["lualatex", "--version"], capture_output=True,
                                           text=True).stdout.splitlines()[0]
    if "typst" in engines:
        import typst
        probe = out / "work" / "version.typ"
        probe.write_text("#metadata(str(sys.version)) <v>\n")
        found["typst"] = json.loads(typst.query(str(probe), "<v>", field="value"))[0]
    return found


def available(engine: str) -> str | None:
    """Why an engine cannot run here, or None."""
    if engine.startswith("latex") and shutil.which("lualatex") is None:
        return "lualatex not found (apt install texlive-luatex texlive-latex-recommended texlive-latex-extra lmodern)"
    if engine == "typst" and importlib.util.find_spec("typst") is None:
        return "the typst package is not installed (pip install typst)"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=("example", "licences", "generated"), default="example")
    ap.add_argument("--font", choices=tuple(FACES), help="body face (default: the layout's)")
    ap.add_argument("--engines", default=",".join(ENGINES),
                    help=f"comma-separated, of {', '.join(ENGINES)}, each with optional @NAME=VALUE overrides")
    ap.add_argument("--out", type=Path, help="output folder (default: a new temporary folder)")
    ap.add_argument("--label", default="", help="suffix of the results file names (for sweeps)")
    ap.add_argument("--reuse-corpus", action="store_true", help="keep a generated corpus already in OUT")
    args = ap.parse_args()
    if not METRICS.is_file():
        sys.exit(f"typo_metrics.py not found at {METRICS}")
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        sys.exit("pdfplumber is not installed (the metric and the page measures need it): pip install '.[test]'")

    layout_body = load_layout(str(LAYOUT)).fonts["body"].name
    family = FACES[args.font] if args.font else layout_body
    font = args.font or next((k for k, v in FACES.items() if v == family), family.replace(" ", "").lower())
    out = args.out or Path(tempfile.mkdtemp(prefix="reference-engines-"))
    (out / "work").mkdir(parents=True, exist_ok=True)
    source = corpus_folder(args.corpus, out, args.reuse_corpus)
    articles = read_corpus(source)
    layout_file = LAYOUT if family == layout_body else layout_with_body(family, out / "work")
    layout = load_layout(str(layout_file))

    rows, engines = [], []
    for engine in (e.strip() for e in args.engines.split(",") if e.strip()):
        base, *pairs = engine.split("@")
        if base not in ENGINES:
            sys.exit(f"unknown engine {base!r}; engines: {', '.join(ENGINES)}")
        if reason := available(base):
            print(f"skipped {engine}: {reason}", file=sys.stderr)
            continue
        engines.append(engine)
        extra = dict(pair.split("=", 1) for pair in pairs)
        tag = f"{args.corpus}-{font}-" + re.sub(r"[^\w.=-]+", "_", engine.replace("@", "_"))
        pdf, work = out / f"{tag}.pdf", out / "work" / tag
        if base == "booklet":
            info = build_booklet(source, layout_file, work, pdf)
        elif base == "typst":
            info = build_typst(articles, layout, work, pdf, extra)
        else:
            info = build_latex(articles, layout, base == "latex-microtype", work, pdf, extra)
        report, override = measure(pdf, source, family)
        if override:
            info["space_em_override"] = override
        info.update(page_measures(pdf))
        (out / f"{tag}.metrics.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
        rows.append((engine, report, info))
        print(f"{tag}: {pdf}  {json.dumps(info)}", file=sys.stderr)

    sections = ("pages", "body", "natural_space", "justified_spacing", "hyphenation", "widows_orphans",
                "fidelity", "overflow")
    result = {"corpus": args.corpus, "source": str(source), "font": family, "layout": str(layout_file),
              "measure_pt": round(layout.text_width, 2), "versions": versions(out, engines),
              "runs": {name: {"build": info, "metrics": {k: report.get(k) for k in sections}}
                       for name, report, info in rows}}
    stem = out / f"results-{args.corpus}-{font}{'-' + args.label if args.label else ''}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    text = (f"## {args.corpus}, {family}, {layout.styles['body'].size}/{layout.styles['body'].leading} pt, "
            f"measure {layout.text_width:.1f} pt {args.label}\n\n{table(rows)}\n\n"
            f"versions: {json.dumps(result['versions'])}\n")
    stem.with_suffix(".md").write_text(text)
    print(text)
    print(f"outputs in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
