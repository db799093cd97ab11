"""Dependencies point one way: impose/ never imports the typesetter or Platypus, and only
impose/writer.py imports pypdf."""

from __future__ import annotations

import ast
from pathlib import Path

import booklet.impose

PACKAGE = Path(booklet.impose.__file__).parent


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
    return names


def test_one_way_dependencies():
    for path in sorted(PACKAGE.glob("*.py")):
        names = imports(path)
        assert not any(n.startswith("reportlab.platypus") for n in names), path
        assert not any("typeset" in n for n in names), path
        uses_pypdf = any(n == "pypdf" or n.startswith("pypdf.") for n in names)
        assert uses_pypdf == (path.name == "writer.py"), path


def test_plan_and_scheme_modules_are_pure():
    for name in ("slots.py", "schemes.py", "plan.py", "cut_stack.py", "quarto.py", "saddle_2up.py", "mini_zine.py",
                 "geometry.py", "marks.py", "instructions.py", "verify.py", "annotations.py", "shop.py"):
        names = imports(PACKAGE / name)
        assert not any(n.split(".")[0] in ("pypdf", "reportlab", "pdfplumber") for n in names), name


def test_every_module_opens_with_a_docstring():
    for path in PACKAGE.glob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path
