"""Blocks → a Typst document in the layout's pages → PDF, with the typst Python package."""

from __future__ import annotations

import time
from pathlib import Path

from booklet.layouts import Layout, TextStyle
from reference.corpus import Block, Heading, Paragraph, Runs, Title, write_blocks
from reference.layout import FONT_DIR, marker_affixes, marker_style

TYPST_STYLES = {"code": "#raw(%s)", "em": "#emph(%s)", "strong": "#strong(%s)",
                "em+strong": "#strong(emph(%s))", "": "#%s"}


def typst_str(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def typst_runs(runs: Runs) -> str:
    """Every piece of text goes in as a string literal, so no Typst markup needs escaping."""
    return "".join("#linebreak()" if style == "br" else TYPST_STYLES[style] % typst_str(text)
                   for style, text in runs if text or style == "br")


def typst_block(block: Block) -> str:
    """One block as Typst: the preamble's #titleblock, a heading, or a paragraph."""
    match block:
        case Title(title, date, author):
            return "#titleblock(%s, %s, %s)" % (typst_str(title), typst_str(date), typst_str(author))
        case Heading(level, runs):
            return "=" * level + " " + typst_runs(runs)
        case Paragraph(runs, indent):
            return typst_runs(runs) if indent else "#par(first-line-indent: 0pt)[%s]" % typst_runs(runs)


def typst_text(style: TextStyle, layout: Layout) -> str:
    """Arguments of text() for a style; line boxes are 1 em high (0.8 em above the baseline,
    0.2 em below), so par leading = style leading - size puts baselines a leading apart."""
    return (f'font: "{layout.fonts[style.font].name}", size: {style.size}pt, '
            f'weight: "{"bold" if style.bold else "regular"}", style: "{"italic" if style.italic else "normal"}"')


def typst_document(articles: list[list[Block]], layout: Layout, extra: dict[str, str]) -> str:
    """The whole document; `extra` holds costs.NAME and spacing.min/max overrides."""
    s, margins = layout.styles, layout.margins
    body, marker = s["body"], marker_style(layout)
    before, after = (typst_str(x) for x in marker_affixes(layout))
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
        f'#show raw: set text(font: "{layout.fonts["mono"].name}")',
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
    out += ["", *write_blocks(articles, typst_block)]
    return "\n".join(out) + "\n"


def build_typst(articles: list[list[Block]], layout: Layout, work: Path, pdf: Path, extra: dict[str, str]) -> dict:
    """work/doc.typ compiled into `pdf` with the bundled fonts only; build seconds."""
    import typst
    work.mkdir(parents=True, exist_ok=True)
    source = work / "doc.typ"
    source.write_text(typst_document(articles, layout, extra), encoding="utf-8")
    start = time.perf_counter()
    typst.compile(str(source), output=str(pdf), font_paths=[str(FONT_DIR)], ignore_system_fonts=True)
    return {"seconds": round(time.perf_counter() - start, 1)}
