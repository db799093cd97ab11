"""booklet: Markdown articles in, a print-ready pocket booklet out."""

__version__ = "0.1.0"
