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
    sources = [generated_booklet, image_modes(tmp_path_factory.mktemp("modes"))]
    sources += [EXAMPLE] if EXAMPLE.is_dir() else []
    paths = []
    for source in sources:
        run("build", "--quiet", str(source), "-o", str(folder))
        paths += [folder / f"{source.stem}-read.pdf", folder / f"{source.stem}-print.pdf"]
    reading = paths[0]
    for scheme in SCHEMES:
        output = folder / f"imposed-{scheme}.pdf"
        run("impose", "--quiet", str(reading), "-o", str(output), "--scheme", scheme, "--marks", "all")
        paths.append(output)
    return paths


def image_modes(folder: Path) -> Path:
    """A booklet with an image in every colour mode and format people bring (all embedded as-is
    or converted by the image stage: each must still make a valid PDF)."""
    from PIL import Image

    base = Image.linear_gradient("L").resize((600, 400))
    rgb = Image.merge("RGB", (base, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT), base))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° by its EXIF orientation
    images = {
        "rgb.jpg": lambda p: rgb.save(p), "cmyk.jpg": lambda p: rgb.convert("CMYK").save(p),
        "gray.jpg": lambda p: rgb.convert("L").save(p), "progressive.jpg": lambda p: rgb.save(p, progressive=True),
        "rotated.jpg": lambda p: rgb.save(p, exif=exif), "rgba.png": lambda p: rgb.convert("RGBA").save(p),
        "palette.png": lambda p: rgb.convert("P").save(p, transparency=0), "bw.png": lambda p: rgb.convert("1").save(p),
        "gray-alpha.png": lambda p: rgb.convert("LA").save(p), "deep.png": lambda p: rgb.convert("I;16").save(p),
        "anim.gif": lambda p: rgb.save(p, save_all=True, append_images=[rgb.rotate(10)]),
        "img.webp": lambda p: rgb.save(p), "img.tiff": lambda p: rgb.save(p),
    }
    book = folder / "modes"
    book.mkdir()
    lines = ["---", "title: Image modes", "---", "", "# Every kind of image", ""]
    for name, save in images.items():
        save(book / name)
        lines += [f"![{name}]({name})", "", f"Text after {name}.", ""]
    (book / "modes.md").write_text("\n".join(lines), encoding="utf-8")
    return book / "modes.md"


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
