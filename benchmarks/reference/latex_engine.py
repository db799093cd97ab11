"""Blocks → a LuaLaTeX document in the layout's pages (fontspec, optionally microtype) → PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from booklet.layouts import Layout, TextStyle
from booklet.paper import MM
from reference.corpus import Block, Heading, Paragraph, Runs, Title, write_blocks
from reference.layout import FONT_DIR, font_files, marker_affixes, marker_style

STYLES = ("body", "title", "author", "dateline", "heading2", "heading3", "heading4")  # those set here
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\textasciicircum{}", "_": r"\_", "~": r"\textasciitilde{}", "%": r"\%",
    # TeX ligatures (fontspec's default Ligatures=TeX) would turn these into quotes
    "`": r"\textasciigrave{}", "'": r"\textquotesingle{}", '"': r"\textquotedbl{}",
    "\u00a0": "~",
}
URLISH = re.compile(r"\S*(?:://|www\.)\S*")
LATEX_STYLES = {"code": r"\texttt{%s}", "em": r"\emph{%s}", "strong": r"\textbf{%s}",
                "em+strong": r"\textbf{\emph{%s}}", "": "%s"}
HEADING_COMMANDS = {2: "ii", 3: "iii", 4: "iv"}  # \headingii … (TeX names have no digits)


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


def latex_runs(runs: Runs) -> str:
    """Styled runs as escaped LaTeX; a line break is \\\\."""
    return "".join(r"\\" if style == "br" else LATEX_STYLES[style] % latex_escape(text)
                   for style, text in runs).strip()


def latex_block(block: Block) -> str:
    """One block as LaTeX: the \\titleblock and \\heading… commands of the preamble, or a paragraph."""
    match block:
        case Title(title, date, author):
            return r"\titleblock{%s}{%s}{%s}" % (latex_escape(title), latex_escape(date), latex_escape(author))
        case Heading(level, runs):
            return r"\heading%s{%s}" % (HEADING_COMMANDS[level], latex_runs(runs))
        case Paragraph(runs, indent):
            return ("" if indent else r"\noindent ") + latex_runs(runs)


def latex_family(family: str, command: str) -> str:
    """fontspec declaration of a bundled family (only the faces it has)."""
    files = font_files(family)
    options = "".join(f", {face}Font={path.stem}" for face, path in files.items() if face != "Regular")
    return rf"\{command}{{{files['Regular'].stem}}}[Path={FONT_DIR}/, Extension=.ttf{options}]"


def latex_family_command(family: str) -> str:
    """The name of the font switch declared for a family other than the body's."""
    return "fam" + re.sub(r"[^A-Za-z]", "", family)


def mm(points: float) -> str:
    """A page length in the layout file's millimetres: TeX rounds a length to sp in the unit it
    is written in, so the same length in bp could move the geometry by a sp or two."""
    return f"{round(points / MM, 10)}mm"


def latex_font(style: TextStyle, layout: Layout) -> str:
    """Font switch for a style: family, size/leading in bp, weight and shape."""
    family = layout.fonts[style.font].name
    family = "" if family == layout.fonts["body"].name else r"\%s" % latex_family_command(family)
    series = (r"\bfseries" if style.bold else "") + (r"\itshape" if style.italic else "")
    return rf"\normalfont{family}\fontsize{{{style.size}bp}}{{{style.leading}bp}}\selectfont{series}"


def latex_document(articles: list[list[Block]], layout: Layout, microtype: bool, extra: dict[str, str]) -> str:
    """The whole document; `extra` sets TeX parameters (NAME=VALUE) in the preamble."""
    s, fonts, margins = layout.styles, layout.fonts, layout.margins
    body = s["body"]
    used = [s[name] for name in STYLES] + [marker_style(layout)]
    families = sorted({fonts[st.font].name for st in used} - {fonts["body"].name})
    heads = []
    for level in (2, 3, 4):
        h = s[f"heading{level}"]
        # a negative space before suppresses the indent of the next paragraph
        heads.append(rf"\newcommand\heading{HEADING_COMMANDS[level]}[1]{{\@startsection"
                     rf"{{h{level}}}{{{level}}}{{0pt}}{{-{max(h.space_before, 0.01)}bp}}"
                     rf"{{{max(h.space_after, 0.01)}bp}}"
                     rf"{{{latex_font(h, layout)}\raggedright\hyphenpenalty=10000}}*{{#1}}}}")
    before, after = (latex_escape(x) for x in marker_affixes(layout))
    marker = rf"\hfil{{{latex_font(marker_style(layout), layout)}{before}\thepage{{}}{after}}}\hfil"
    lines = [
        r"\documentclass[twoside]{article}",
        rf"\usepackage[paperwidth={mm(layout.page_width)}, paperheight={mm(layout.page_height)}, "
        rf"inner={mm(margins.inner)},",
        rf"  outer={mm(margins.outer)}, top={mm(margins.top)}, bottom={mm(margins.bottom)},",
        rf"  footskip={mm(margins.bottom - layout.marker.baseline)}, twoside]{{geometry}}  % footskip: marker baseline",
        r"\usepackage[english]{babel}",
        r"\usepackage{fontspec}",
        latex_family(fonts["body"].name, "setmainfont"),
        latex_family(fonts["mono"].name, "setmonofont"),
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
        *write_blocks(articles, latex_block),
    ]
    return "\n".join(lines) + "\n\\end{document}\n"


def build_latex(articles: list[list[Block]], layout: Layout, microtype: bool, work: Path, pdf: Path,
                extra: dict[str, str]) -> dict:
    """work/doc.tex set by LuaLaTeX into `pdf`; build seconds and the log's over- and underfull boxes."""
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
