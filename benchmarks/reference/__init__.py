"""The reference engines' side of benchmarks/reference_engines.py: the corpus as blocks, the pocket
layout's fonts and marker, and the LaTeX and Typst documents built from them."""
