"""Typography benchmark (issue #4): a corpus → a pocket booklet → typo_metrics.

Run from the repository root after installing: `python benchmarks/typography.py [--corpus C]`.

Three corpora: `example` (default), the example booklet in examples/zine, about 9,200 words of
prose in a preface and three articles written for the project; `licences`, read at run time
from /usr/share/common-licenses (GPL-3, GFDL-1.3 and Apache-2.0: about 11,000 words of legal
English, whose long words are the hard case; nothing of it is committed); `generated`, the
booklet of benchmarks/build.py (tests/corpus.py). Each is built in the default `pocket` layout
through the real pipeline, once with booklet's own paragraphs (Knuth–Plass) and once with
ReportLab's greedy `Paragraph` patched in (what main used before, and the same with pyphen
hyphenation). Each reading PDF is measured with
`../shared/tools/typo_metrics.py READ.pdf --sources SOURCE --compact`, and the numbers are
printed next to the issue's targets, with the build times (best of several runs, in a child
process each, interpreter start included).

The project's tests do not depend on the shared tool; only this script does.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METRICS = ROOT.parent / "shared" / "tools" / "typo_metrics.py"
LICENSES = Path("/usr/share/common-licenses")
ARTICLES = (
    ("GPL-3", "The GNU General Public License", "29 June 2007"),
    ("GFDL-1.3", "The GNU Free Documentation License", "3 November 2008"),
    ("Apache-2.0", "The Apache License", "January 2004"),
)

# A child process builds one booklet: `ours`, `greedy` (main's ReportLab Paragraph, no
# hyphenation) or `greedy-pyphen` (the same with ReportLab's pyphen hook).
DRIVER = r'''
import sys, time
from pathlib import Path
mode, source, outdir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
if mode != "ours":
    from xml.sax.saxutils import escape, quoteattr
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph
    import booklet.typeset.story as story
    ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
    def markup(run):
        if run.text == "\n":
            return "<br/>"
        body = f"<font name={quoteattr(run.font)} size={run.size:g}>{escape(run.text)}</font>"
        return f"<a href={quoteattr(run.link)}>{body}</a>" if run.link else body
    def greedy_paragraph(runs, style, language, hyphenation):
        extra = {}
        if mode == "greedy-pyphen" and style.hyphenate:
            extra = dict(hyphenationLang={"en": "en_US", "uk": "uk_UA", "ru": "ru_RU"}.get(language, language),
                         hyphenationMinWordLength=hyphenation.min_before + hyphenation.min_after,
                         embeddedHyphenation=1, uriWasteReduce=0.3)
        ps = ParagraphStyle("booklet", fontName=runs[0].font if runs else "Helvetica", fontSize=style.size,
                            leading=style.leading, alignment=ALIGN[style.align], firstLineIndent=style.first_indent,
                            spaceBefore=style.space_before, spaceAfter=style.space_after,
                            allowWidows=0, allowOrphans=0, **extra)
        ps.size = style.size  # what booklet's page builder reads of a paragraph's style
        return Paragraph("".join(markup(r) for r in runs), ps)
    story.make_paragraph = greedy_paragraph
    Paragraph.min_width = Paragraph.minWidth  # and of a caption's paragraph
from booklet.build import build
build(source, outdir)
'''

TARGETS = [
    # (label, path in the report, target text, test)
    ("p95 gap ratio", ("justified_spacing", "p95"), "<= 1.45", lambda v: v <= 1.45),
    ("lines > 1.5", ("justified_spacing", "loose_gt_1_5"), "<= 5 %", lambda v: v <= 0.05),
    ("lines > 2.0", ("justified_spacing", "very_loose_gt_2_0"), "none", lambda v: v == 0),
    ("hyphenated lines", ("hyphenation", "share_of_body_lines"), "<= 6 %", lambda v: v <= 0.06),
    ("longest hyphen run", ("hyphenation", "max_consecutive"), "<= 2", lambda v: v <= 2),
    ("widow pages", ("widows_orphans", "widow_pages"), "0", lambda v: len(v) == 0),
    ("orphan pages", ("widows_orphans", "orphan_pages"), "0", lambda v: len(v) == 0),
    ("stranded headings", ("widows_orphans", "heading_at_page_bottom_pages"), "0", lambda v: len(v) == 0),
    ("fidelity", ("fidelity", "share_found"), "100 %", lambda v: v >= 0.9995),
    ("overflow lines", ("overflow", "lines_outside_box"), "0", lambda v: v == 0),
]


def licence_markdown(text: str, title: str, date: str) -> str:
    """A plain-text licence → Markdown: paragraphs joined, short capitalised or numbered lines
    as headings, everything else escaped so that it prints as written."""
    # typewriter conventions the Markdown typographer would turn into other words than the
    # metric's source reader sees: "--" (a dash) and "(C)" (©)
    text = text.replace("--", "\u2014").replace("(C)", "\u00a9").replace("(c)", "\u00a9")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    out = ["---", f"title: {title}", f"date: {date}", "---", ""]
    for number, block in enumerate(blocks):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        joined = " ".join(lines)
        words = joined.split()
        if number < 2 and re.search(r"\bVersion \d", joined):
            continue  # the licence's own title block: the article title replaces it
        is_heading = len(words) <= 9 and not joined.endswith((",", ";", ":")) and (
            joined.isupper() or re.match(r"^(\d+|[A-Z])\.\s+[A-Z]", joined) and len(words) <= 8)
        escaped = re.sub(r"([\\`*_{}\[\]<>#+!|~])", r"\\\1", joined)
        escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)  # "1." would start a list
        escaped = re.sub(r"^-", r"\\-", escaped)
        out += [f"## {escaped}" if is_heading else escaped, ""]
    return "\n".join(out)


def make_corpus(folder: Path) -> tuple[Path, int]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number, (name, title, date) in enumerate(ARTICLES, start=1):
        text = (LICENSES / name).read_text(encoding="utf-8")
        file_name = f"{number:02d}-{name.lower()}.md"
        (folder / file_name).write_text(licence_markdown(text, title, date), encoding="utf-8")
        names.append(file_name)
    meta = ["title: Free Licences", "subtitle: Three texts every Debian system ships",
            "author: Their authors", "publisher: booklet benchmarks", "date: 2026", "language: en",
            "articles:", *[f"  - {n}" for n in names]]
    (folder / "booklet.yaml").write_text("\n".join(meta) + "\n", encoding="utf-8")
    words = sum(len(re.findall(r"\w+", (folder / n).read_text())) for n in names)
    return folder, words


def build(mode: str, source: Path, outdir: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one build in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", DRIVER, mode, str(source), str(outdir)], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(pdf: Path, source: Path) -> dict:
    result = subprocess.run([sys.executable, str(METRICS), str(pdf), "--sources", str(source), "--compact"],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def value(report: dict, path: tuple[str, str]):
    section = report.get(path[0]) or {}
    return section.get(path[1])


def show(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, list):
        return str(len(v)) + (f" {v[:6]}" if v else "")
    return str(v)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed builds per engine (best is reported)")
    parser.add_argument("--keep", type=Path, help="keep the corpus and PDFs in this folder")
    parser.add_argument("--corpus", choices=("example", "licences", "generated"), default="example",
                        help="the example booklet (default: 9,200 words of prose, a preface and three articles), "
                             "the licence texts Debian ships (legal English, long words), or the "
                             "generated 12,000-word booklet of benchmarks/build.py (tests/corpus.py: "
                             "common words drawn evenly, photos, every block kind)")
    args = parser.parse_args()
    if not METRICS.is_file():
        sys.exit(f"typo_metrics.py not found at {METRICS}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(args.keep) if args.keep else Path(folder)
        if args.corpus == "example":
            source = ROOT / "examples" / "zine"
            words = sum(len(re.findall(r"\w+", p.read_text())) for p in source.glob("*.md"))
            described = "the example booklet examples/zine (a preface and three articles)"
        elif args.corpus == "licences":
            source, words = make_corpus(work / "licences")
            described = f"{len(ARTICLES)} articles from {LICENSES}"
        else:
            sys.path.insert(0, str(ROOT / "tests"))
            from corpus import make_booklet

            source = make_booklet(work / "generated", articles=4, words_per_article=2700, photo_size=(1600, 1100))
            words = sum(len(re.findall(r"\w+", p.read_text())) for p in source.glob("*.md"))
            described = "4 articles and a preface generated by tests/corpus.py"
        modes = ("greedy", "greedy-pyphen", "ours")
        reports, times, cpu = {}, {m: [] for m in modes}, {m: [] for m in modes}
        outs = {m: work / f"out-{m}" for m in modes}
        for mode in modes:
            outs[mode].mkdir(parents=True, exist_ok=True)
            build(mode, source, outs[mode])  # warm caches
        for _ in range(args.runs):  # round robin, so that a busy moment hits every engine alike
            for mode in modes:
                wall, used = build(mode, source, outs[mode])
                times[mode].append(wall)
                cpu[mode].append(used)
        for mode in modes:
            reports[mode] = measure(outs[mode] / f"{source.name}-read.pdf", source)
        print(f"corpus: {words} words in {described}, layout pocket")
        print(f"command: python {METRICS} READ.pdf --sources {source} --compact\n")
        header = f"{'metric':22}{'target':>10}" + "".join(f"{m:>16}" for m in modes) + "   met"
        print(header)
        print("-" * len(header))
        for label, path, target, test in TARGETS:
            values = [value(reports[m], path) for m in modes]
            ok = values[-1] is not None and test(values[-1])
            print(f"{label:22}{target:>10}" + "".join(f"{show(v):>16}" for v in values) + f"   {'yes' if ok else 'NO'}")
        pages = [reports[m]["pages"]["count"] for m in modes]
        print(f"{'pages':22}{'':>10}" + "".join(f"{p:>16}" for p in pages))
        best = {m: min(t) for m, t in times.items()}
        med = {m: statistics.median(t) for m, t in times.items()}
        ratio = best["ours"] / best["greedy"]
        print(f"{'build time best (s)':22}{'<= 1.3x':>10}" + "".join(f"{best[m]:>16.3f}" for m in modes)
              + f"   {'yes' if ratio <= 1.3 else 'NO'} ({ratio:.2f}x)")
        print(f"{'build time median (s)':22}{'':>10}" + "".join(f"{med[m]:>16.3f}" for m in modes))
        cpu_best = {m: min(t) for m, t in cpu.items()}
        cpu_ratio = cpu_best["ours"] / cpu_best["greedy"]
        print(f"{'build CPU best (s)':22}{'<= 1.3x':>10}" + "".join(f"{cpu_best[m]:>16.3f}" for m in modes)
              + f"   {'yes' if cpu_ratio <= 1.3 else 'NO'} ({cpu_ratio:.2f}x)")
        loosest = reports["ours"]["justified_spacing"].get("loosest", [])[:3]
        for line in loosest:
            print(f"  loosest: p{line['page']} {line['ratio']:.2f} {line['text']}")


if __name__ == "__main__":
    main()
