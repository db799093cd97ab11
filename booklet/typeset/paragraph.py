"""Styled runs of text → a paragraph flowable that breaks into lines and across pages."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as RLParagraph

from ..layouts import Hyphenation, TextStyle

ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


@dataclass(frozen=True)
class Run:
    """A piece of text in one face; a run whose text is "\\n" is a forced line break."""

    text: str
    font: str  # a registered ReportLab font name
    size: float
    link: str | None = None


def make_paragraph(runs: list[Run], style: TextStyle, language: str, hyphenation: Hyphenation) -> Flowable:
    """A paragraph flowable for `runs` set in `style`.

    Every character reaches ReportLab escaped, so text such as `<font size=40>` prints as written.
    """
    markup = "".join(_markup(run) for run in runs)
    first = runs[0] if runs else None
    paragraph_style = ParagraphStyle(
        "booklet",
        fontName=first.font if first else "Helvetica",
        fontSize=style.size,
        leading=style.leading,
        alignment=ALIGNMENTS[style.align],
        firstLineIndent=style.first_indent,
        spaceBefore=style.space_before,
        spaceAfter=style.space_after,
        allowWidows=0,
        allowOrphans=0,
    )
    return RLParagraph(markup, paragraph_style)


def _markup(run: Run) -> str:
    if run.text == "\n":
        return "<br/>"
    text = escape(run.text)
    body = f"<font name={quoteattr(run.font)} size={run.size:g}>{text}</font>"
    if run.link:
        return f"<a href={quoteattr(run.link)}>{body}</a>"
    return body
