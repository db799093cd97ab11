"""Typesetting: the model and a layout → the reading PDF (the only user of reportlab.platypus)."""
