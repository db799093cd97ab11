"""Imposition: reading-order pages → printer sheets (plan is pure; writer alone touches pypdf)."""
