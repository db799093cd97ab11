"""Data flows one way: no stage imports a later one, and each library stays in its stage."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "booklet"
if not PACKAGE.is_dir():  # tests run against an installed package
    import booklet

    PACKAGE = Path(booklet.__file__).parent

# pipeline order: a module may import only from stages at or before its own
STAGES = ["errors", "files", "cache", "paper", "model", "fonts", "layouts", "sources", "parse", "imageformats", "preflight",
          "images", "typeset", "impose", "build", "preview", "watch", "starter", "cli"]
FORBIDDEN_LIBRARIES = {
    "cache": ("reportlab", "pypdf", "PIL"),
    "paper": ("reportlab", "pypdf", "PIL"),
    "model": ("reportlab", "pypdf", "PIL", "markdown_it"),
    "sources": ("reportlab", "pypdf", "markdown_it"),
    "parse": ("reportlab", "pypdf"),
    "imageformats": ("reportlab", "pypdf", "svglib"),
    "images": ("reportlab", "pypdf", "svglib"),
    "typeset": ("pypdf",),
    "impose": ("reportlab.platypus",),
}


def stage_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def imports(path: Path) -> list[str]:
    """Absolute names imported by a module (relative imports resolved against the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = ["booklet", *path.relative_to(PACKAGE).parent.parts]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                names += [module] if node.module else [f"{module}.{a.name}" for a in node.names]
            else:
                names.append(node.module or "")
    return names


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if stage_of(p) in STAGES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_stage_imports_a_later_one(path: Path):
    stage = stage_of(path)
    for name in imports(path):
        if name.startswith("booklet."):
            target = name.split(".")[1]
            if target in STAGES:
                assert STAGES.index(target) <= STAGES.index(stage), f"{stage} imports later stage {name}"
        for library in FORBIDDEN_LIBRARIES.get(stage, ()):
            assert not (name == library or name.startswith(library + ".")), f"{stage} must not use {library}"


# inside impose/: the data types first, the schemes on them, the table of schemes, the planner
IMPOSE_ORDER = ["slots", "cut_stack", "quarto", "saddle_2up", "mini_zine", "schemes", "plan"]


@pytest.mark.parametrize("name", IMPOSE_ORDER)
def test_impose_plan_and_schemes_depend_one_way(name: str):
    path = PACKAGE / "impose" / f"{name}.py"
    for imported in imports(path):
        if imported.startswith("booklet.impose."):
            target = imported.split(".")[2]
            assert target in IMPOSE_ORDER[:IMPOSE_ORDER.index(name)], f"impose/{name} imports {target}"


def test_modules_inside_typeset_import_one_way():
    """docs/architecture.md §5: the modules of typeset/ form no cycle (regression: story and
    figures imported each other)."""
    folder = PACKAGE / "typeset"
    graph = {p.stem: {name.split(".")[2] for name in imports(p)
                      if name.startswith("booklet.typeset.") and len(name.split(".")) > 2}
             for p in folder.glob("*.py")}
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, f"import cycle: {' → '.join((*trail, module))}"
        if module in done:
            return
        for target in graph.get(module, ()):
            visit(target, (*trail, module))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_imposing_a_pdf_does_not_load_the_typesetter(tmp_path: Path):
    """`booklet impose` of a PDF made elsewhere needs pypdf, not ReportLab's fonts and pages."""
    code = ("import sys, booklet.cli, booklet.impose, booklet.impose.writer; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'markdown_it', 'yaml'}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
