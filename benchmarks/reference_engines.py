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

Needs booklet installed (`pip install .`; its test extra brings pdfplumber for the metric).
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

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from booklet.layouts import MM, Layout, TextStyle, load_layout

ROOT = Path(__file__).resolve().parent.parent
METRICS = ROOT.parent / "shared" / "tools" / "typo_metrics.py"
LAYOUT = ROOT / "layouts" / "pocket.toml"
FONT_DIR = ROOT / "fonts"
FACES = {"charis": "Charis SIL", "gentium": "Gentium Book Plus"}  # --font → bundled family
ENGINES = ("latex-microtype", "latex-plain", "typst", "booklet")

Block = tuple  # ("title", title, date, author) | ("h", level, runs) | ("p", runs, indent)
Runs = list[tuple[str, str]]  # (style, text); style "", "em", "strong", "em+strong", "code", "br"


# --------------------------------------------------------------------------------------
# the layout


STYLES = ("body", "title", "author", "dateline", "heading2", "heading3", "heading4")  # those set here


def marker_style(layout: Layout) -> TextStyle:
    """The page marker as a text style, with booklet's default leading (1.25 × size)."""
    return TextStyle(layout.marker.font, layout.marker.size, layout.marker.size * 1.25)


def layout_with_body(family: str, folder: Path) -> Path:
    """A copy of the pocket layout whose [fonts] body is `family`."""
    text = LAYOUT.read_text(encoding="utf-8")
    fonts = re.search(r"(?ms)^\[fonts\]\n.*?(?=^\[|\Z)", text)
    table = re.sub(r'(?m)^body\s*=\s*"[^"]*"', f'body = "{family}"', fonts.group(0))
    path = folder / "pocket.toml"
    path.write_text(text[:fonts.start()] + table + text[fonts.end():], encoding="utf-8")
    return path


def font_files(family: str) -> dict[str, Path]:
    """The bundled files of a family by face (Regular, Bold, Italic, BoldItalic)."""
    prefix = family.replace(" ", "")
    faces = {face: FONT_DIR / f"{prefix}-{face}.ttf" for face in ("Regular", "Bold", "Italic", "BoldItalic")}
    return {face: path for face, path in faces.items() if path.is_file()}


# --------------------------------------------------------------------------------------
# corpora


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
    runs: Runs = []
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
    merged: Runs = []
    for style, text in runs:
        text = re.sub(r"[ \t\n]+", " ", text)
        if merged and merged[-1][0] == style and style != "br":
            merged[-1] = (style, merged[-1][1] + text)
        else:
            merged.append((style, text))
    return merged


def read_article(path: Path, md: MarkdownIt) -> list[Block]:
    """Title block, then the top-level headings and paragraphs; a paragraph is indented when
    the block before it in the source is a paragraph (as booklet does)."""
    text = path.read_text(encoding="utf-8")
    meta = {}
    if m := FRONT.match(text):
        meta = yaml.safe_load(m.group(1)) or {}
        text = text[m.end():]
    blocks: list[Block] = [("title", *(str(meta.get(k, "")) for k in ("title", "date", "author")))]
    previous_paragraph = False
    tokens = md.parse(text)
    for i, token in enumerate(tokens):
        if token.level != 0 or token.type.endswith("_close") or token.type == "inline":
            continue
        is_paragraph = False
        if token.type == "heading_open":
            blocks.append(("h", min(max(int(token.tag[1]), 2), 4), inline_runs(tokens[i + 1])))
        elif token.type == "paragraph_open":
            runs = inline_runs(tokens[i + 1])
            is_paragraph = any(t.strip() for s, t in runs if s != "br")  # not an image alone
            if is_paragraph:
                blocks.append(("p", runs, previous_paragraph))
        previous_paragraph = is_paragraph
    return blocks


def read_corpus(folder: Path) -> list[list[Block]]:
    meta = yaml.safe_load((folder / "booklet.yaml").read_text(encoding="utf-8"))
    md = markdown_parser()
    return [read_article(folder / name, md) for name in meta["articles"]]


# --------------------------------------------------------------------------------------
# LaTeX

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\textasciicircum{}", "_": r"\_", "~": r"\textasciitilde{}", "%": r"\%",
    # TeX ligatures (fontspec's default Ligatures=TeX) would turn these into quotes
    "`": r"\textasciigrave{}", "'": r"\textquotesingle{}", '"': r"\textquotedbl{}",
    "\u00a0": "~",
}
URLISH = re.compile(r"\S*(?:://|www\.)\S*")


def latex_escape(text: str) -> str:
    """Escaped text; in a URL "/" may break (\\slash), as in Typst and booklet."""
    def esc(s: str) -> str:
        return "".join(LATEX_SPECIALS.get(c, c) for c in s)
    out, pos = [], 0
    for m in URLISH.finditer(text):
        out += [esc(text[pos:m.start()]), r"\slash{}".join(esc(part) for part in m.group(0).split("/"))]
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


LATEX_STYLES = {"code": r"\texttt{%s}", "em": r"\emph{%s}", "strong": r"\textbf{%s}",
                "em+strong": r"\textbf{\emph{%s}}", "": "%s"}
HEADING_COMMANDS = {2: "ii", 3: "iii", 4: "iv"}  # \headingii … (TeX names have no digits)


def latex_runs(runs: Runs) -> str:
    return "".join(r"\\" if style == "br" else LATEX_STYLES[style] % latex_escape(text)
                   for style, text in runs).strip()


def latex_family(family: str, command: str) -> str:
    """fontspec declaration of a bundled family (only the faces it has)."""
    files = font_files(family)
    options = "".join(f", {face}Font={path.stem}" for face, path in files.items() if face != "Regular")
    return rf"\{command}{{{files['Regular'].stem}}}[Path={FONT_DIR}/, Extension=.ttf{options}]"


def latex_family_command(family: str) -> str:
    return "fam" + re.sub(r"[^A-Za-z]", "", family)


def mm(points: float) -> str:
    """A page length in the layout file's millimetres: TeX rounds a length to sp in the unit it
    is written in, so the same length in bp could move the geometry by a sp or two."""
    return f"{round(points / MM, 10)}mm"


def latex_font(style: TextStyle, layout: Layout) -> str:
    """Font switch for a style: family, size/leading in bp, weight and shape."""
    family = layout.fonts[style.font]
    family = "" if family == layout.fonts["body"] else r"\%s" % latex_family_command(family)
    series = (r"\bfseries" if style.bold else "") + (r"\itshape" if style.italic else "")
    return rf"\normalfont{family}\fontsize{{{style.size}bp}}{{{style.leading}bp}}\selectfont{series}"


def latex_document(articles: list[list[Block]], layout: Layout, microtype: bool, extra: dict[str, str]) -> str:
    s, fonts, margins = layout.styles, layout.fonts, layout.margins
    body = s["body"]
    used = [s[name] for name in STYLES] + [marker_style(layout)]
    families = sorted({fonts[st.font] for st in used} - {fonts["body"]})
    heads = []
    for level in (2, 3, 4):
        h = s[f"heading{level}"]
        # a negative space before suppresses the indent of the next paragraph
        heads.append(rf"\newcommand\heading{HEADING_COMMANDS[level]}[1]{{\@startsection"
                     rf"{{h{level}}}{{{level}}}{{0pt}}{{-{max(h.space_before, 0.01)}bp}}"
                     rf"{{{max(h.space_after, 0.01)}bp}}"
                     rf"{{{latex_font(h, layout)}\raggedright\hyphenpenalty=10000}}*{{#1}}}}")
    before, after = (latex_escape(x) for x in layout.marker.format.split("{n}", 1))
    marker = rf"\hfil{{{latex_font(marker_style(layout), layout)}{before}\thepage{{}}{after}}}\hfil"
    lines = [
        r"\documentclass[twoside]{article}",
        rf"\usepackage[paperwidth={mm(layout.page_width)}, paperheight={mm(layout.page_height)}, "
        rf"inner={mm(margins.inner)},",
        rf"  outer={mm(margins.outer)}, top={mm(margins.top)}, bottom={mm(margins.bottom)},",
        rf"  footskip={mm(margins.bottom - layout.marker.baseline)}, twoside]{{geometry}}  % footskip: marker baseline",
        r"\usepackage[english]{babel}",
        r"\usepackage{fontspec}",
        latex_family(fonts["body"], "setmainfont"),
        latex_family(fonts["mono"], "setmonofont"),
        *(latex_family(f, "newfontfamily\\" + latex_family_command(f)) for f in families),
        r"\usepackage[protrusion=true, expansion=true]{microtype}" if microtype else "% (no microtype)",
        r"\makeatletter",
        # sizes in bp (1/72 in, the point of booklet, Typst and the metric); TeX's pt is 1/72.27 in
        rf"\renewcommand\normalsize{{\@setfontsize\normalsize{{{body.size}bp}}{{{body.leading}bp}}}}",
        r"\normalsize",
        rf"\setlength\topskip{{{body.size}bp}}",
        rf"\setlength\parindent{{{body.first_indent}bp}}",
        r"\setlength\parskip{0pt}",
        *heads,
        r"\newcommand\titleblock[3]{\clearpage",
        *(rf"  \ifx&#{n}&\else{{\noindent{latex_font(s[name], layout)}\raggedright"
          rf"\hyphenpenalty=10000 #{n}\par}}\vspace{{{s[name].space_after}bp}}\fi"
          for n, name in ((1, "title"), (3, "author"), (2, "dateline"))),
        r"  \@afterindentfalse\@afterheading}",
        rf"\def\ps@plain{{\let\@oddhead\@empty\let\@evenhead\@empty"
        rf"\def\@oddfoot{{{marker}}}\let\@evenfoot\@oddfoot}}",
        r"\makeatother",
        r"\raggedbottom   % lines stay on the body grid, as in booklet (twoside would set \flushbottom)",
        r"\frenchspacing  % one word space after a full stop, as booklet and Typst",
        r"\pagestyle{plain}",
        r"\widowpenalty=10000 \clubpenalty=10000",
        *(rf"\{key}={value}" for key, value in extra.items()),
        r"\begin{document}",
        rf"\lefthyphenmin={layout.hyphenation.min_before} \righthyphenmin={layout.hyphenation.min_after}",
    ]
    for article in articles:
        for block in article:
            if block[0] == "title":
                lines.append(r"\titleblock{%s}{%s}{%s}" % tuple(latex_escape(x) for x in block[1:]))
            elif block[0] == "h":
                lines.append(r"\heading%s{%s}" % (HEADING_COMMANDS[block[1]], latex_runs(block[2])))
            else:
                lines.append(("" if block[2] else r"\noindent ") + latex_runs(block[1]))
            lines.append("")
    return "\n".join(lines) + "\n\\end{document}\n"


def build_latex(articles: list[list[Block]], layout: Layout, microtype: bool, work: Path, pdf: Path,
                extra: dict[str, str]) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    (work / "doc.tex").write_text(latex_document(articles, layout, microtype, extra), encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.run(["lualatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                          cwd=work, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or not (work / "doc.pdf").exists():
        raise RuntimeError(f"lualatex failed in {work}:\n{proc.stdout[-3000:]}")
    shutil.copy(work / "doc.pdf", pdf)
    log = (work / "doc.log").read_text(encoding="latin-1")
    overfull = [float(x) for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\) in paragraph", log)]
    return {"seconds": round(seconds, 1), "overfull_hboxes": len(overfull),
            "overfull_max_pt": max(overfull, default=0.0),
            "underfull_hboxes": len(re.findall(r"Underfull \\hbox \(badness \d+\) in paragraph", log))}


# --------------------------------------------------------------------------------------
# Typst


def typst_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


TYPST_STYLES = {"code": "#raw(%s)", "em": "#emph(%s)", "strong": "#strong(%s)",
                "em+strong": "#strong(emph(%s))", "": "#%s"}


def typst_runs(runs: Runs) -> str:
    """Every piece of text goes in as a string literal, so no Typst markup needs escaping."""
    return "".join("#linebreak()" if style == "br" else TYPST_STYLES[style] % typst_str(text)
                   for style, text in runs if text or style == "br")


def typst_text(style: TextStyle, layout: Layout) -> str:
    """Arguments of text() for a style; line boxes are 1 em high (0.8 em above the baseline,
    0.2 em below), so par leading = style leading - size puts baselines a leading apart."""
    return (f'font: "{layout.fonts[style.font]}", size: {style.size}pt, '
            f'weight: "{"bold" if style.bold else "regular"}", style: "{"italic" if style.italic else "normal"}"')


def typst_document(articles: list[list[Block]], layout: Layout, extra: dict[str, str]) -> str:
    s, margins = layout.styles, layout.margins
    body, marker = s["body"], marker_style(layout)
    before, after = (typst_str(x) for x in layout.marker.format.split("{n}", 1))
    # the footer's first line box starts footer-descent below the text area; its baseline is
    # 0.8 em lower
    descent = f"{margins.bottom - layout.marker.baseline}pt - {0.8 * marker.size:.3f}pt"
    gap = round(body.leading - body.size, 3)
    out = [
        f"#set page(width: {layout.page_width}pt, height: {layout.page_height}pt,",
        f"  margin: (inside: {margins.inner}pt, outside: {margins.outer}pt,",
        f"    top: {margins.top}pt, bottom: {margins.bottom}pt),",
        f"  footer-descent: {descent}, footer: context align(center, text({typst_text(marker, layout)},",
        f"    {before} + str(counter(page).get().first()) + {after})))",
        f'#set text({typst_text(body, layout)}, lang: "en", region: "us", hyphenate: true,',
        "  top-edge: 0.8em, bottom-edge: -0.2em)",
        f"#set par(justify: true, leading: {gap}pt, spacing: {gap}pt, first-line-indent: {body.first_indent}pt)",
        f'#show raw: set text(font: "{layout.fonts["mono"]}")',
        "#show heading: set text(hyphenate: false)",
        "#show heading: set par(justify: false)",
    ]
    for level in (2, 3, 4):
        h = s[f"heading{level}"]
        out += [f"#show heading.where(level: {level}): set text({typst_text(h, layout)})",
                f"#show heading.where(level: {level}): set par(leading: {round(h.leading - h.size, 3)}pt)",
                f"#show heading.where(level: {level}): set block(above: {h.space_before}pt, below: {h.space_after}pt)"]
    out += ["#let titleblock(title, date, author) = {",
            "  pagebreak(weak: true)",
            "  set par(justify: false)",
            "  set text(hyphenate: false)"]
    for arg, name in (("title", "title"), ("author", "author"), ("date", "dateline")):
        st = s[name]
        out.append(f'  if {arg} != "" {{ block(below: {st.space_after}pt, sticky: true, '
                   f"par(leading: {round(st.leading - st.size, 3)}pt, text({typst_text(st, layout)}, {arg}))) }}")
    out.append("}")
    # variants: costs.NAME=PCT → text.costs; spacing.max / spacing.min → par.justification-limits
    costs = {k[6:]: v for k, v in extra.items() if k.startswith("costs.")}
    if costs:
        out.append("#set text(costs: (%s))" % ", ".join(f"{k}: {v}" for k, v in costs.items()))
    limits = {k[8:]: v for k, v in extra.items() if k.startswith("spacing.")}
    if limits:
        limits = {"min": "100% * 2 / 3", "max": "150%", **limits}
        out.append(f"#set par(justification-limits: (spacing: (min: {limits['min']}, max: {limits['max']})))")
    out.append("")
    for article in articles:
        for block in article:
            if block[0] == "title":
                out.append("#titleblock(%s, %s, %s)" % tuple(typst_str(x) for x in block[1:]))
            elif block[0] == "h":
                out.append("=" * block[1] + " " + typst_runs(block[2]))
            elif block[2]:
                out.append(typst_runs(block[1]))
            else:
                out.append("#par(first-line-indent: 0pt)[%s]" % typst_runs(block[1]))
            out.append("")
    return "\n".join(out) + "\n"


def build_typst(articles: list[list[Block]], layout: Layout, work: Path, pdf: Path, extra: dict[str, str]) -> dict:
    import typst
    work.mkdir(parents=True, exist_ok=True)
    source = work / "doc.typ"
    source.write_text(typst_document(articles, layout, extra), encoding="utf-8")
    start = time.perf_counter()
    typst.compile(str(source), output=str(pdf), font_paths=[str(FONT_DIR)], ignore_system_fonts=True)
    return {"seconds": round(time.perf_counter() - start, 1)}


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
        for number, page in enumerate(doc.pages, start=1):
            rows = collections.defaultdict(list)
            for word in page.extract_words():
                rows[round(word["bottom"])].append(word)
            if len(rows) < 10:
                continue
            left = collections.Counter(round(min(w["x0"] for w in ws), 1) for ws in rows.values()).most_common(1)[0][0]
            right = collections.Counter(round(max(w["x1"] for w in ws), 1) for ws in rows.values()).most_common(1)[0][0]
            measures.append(right - left)
            lefts[number % 2][left] += 1
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
    report["natural_space"]["metric_detected_em"] = detected
    return report, true_em


def cell(report: dict, path: tuple[str, str]) -> str:
    value = (report.get(path[0]) or {}).get(path[1])
    if isinstance(value, list):
        return str(len(value))
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def table(rows: list[tuple[str, dict, dict]]) -> str:
    heads = ["engine", *(c[0] for c in COLUMNS), "page measure pt", "overfull"]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for name, report, info in rows:
        over = info.get("overfull_hboxes")
        over = "" if over is None else f"{over} (max {info['overfull_max_pt']:.1f} pt)"
        cells = [name, *(cell(report, c[1]) for c in COLUMNS), str(info.get("median_page_measure_pt")), over]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def versions(out: Path, engines: list[str]) -> dict:
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

    layout_body = load_layout(str(LAYOUT)).fonts["body"]
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
