"""Every PDF booklet writes passes `qpdf --check` and opens with pypdf in strict mode."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zine"
SCHEMES = ("cut-stack", "quarto", "saddle-2up", "mini-zine")
QPDF = shutil.which("qpdf")


def run(*args: str) -> None:
    result = CliRunner().invoke(main, [*args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, generated_booklet: Path) -> list[Path]:
    """Reading and print PDFs of the example and a generated booklet, and the reading PDF imposed
    in every scheme with all marks."""
    folder = tmp_path_factory.mktemp("pdfs")
    sources = [generated_booklet] + ([EXAMPLE] if EXAMPLE.is_dir() else [])
    paths = []
    for source in sources:
        run("build", "--quiet", str(source), "-o", str(folder))
        paths += [folder / f"{source.name}-read.pdf", folder / f"{source.name}-print.pdf"]
    reading = paths[0]
    for scheme in SCHEMES:
        output = folder / f"imposed-{scheme}.pdf"
        run("impose", "--quiet", str(reading), "-o", str(output), "--scheme", scheme, "--marks", "all")
        paths.append(output)
    return paths


@pytest.mark.skipif(QPDF is None, reason="qpdf is not installed (Debian package qpdf); cannot run qpdf --check")
def test_qpdf_check_passes(outputs: list[Path]) -> None:
    for path in outputs:
        result = subprocess.run([QPDF, "--check", str(path)], capture_output=True, text=True)
        # exit 0: no problems; 3: warnings only (also a failure here: we want clean files)
        assert result.returncode == 0, f"{path.name}:\n{result.stdout}{result.stderr}"
        assert "No syntax or stream encoding errors found" in result.stdout, f"{path.name}:\n{result.stdout}"


def test_pypdf_reads_strictly_without_warnings(outputs: list[Path], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pypdf")
    for path in outputs:
        reader = PdfReader(path, strict=True)
        assert not reader.is_encrypted
        assert len(reader.pages) > 0
        for page in reader.pages:
            page.mediabox  # noqa: B018 - reading the box must not fail
            page.get_contents()
        reader.metadata  # noqa: B018
        reader.outline  # noqa: B018
    assert not caplog.records, [record.getMessage() for record in caplog.records]
