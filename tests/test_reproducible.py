"""The same input → the same bytes: fixed dates and document ID, SOURCE_DATE_EPOCH honoured."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.cli import main
from booklet.starter import create_starter


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("source") / "zine"
    create_starter(folder)
    return folder


def build(source: Path, outdir: Path) -> tuple[bytes, bytes]:
    """Build with the CLI; the bytes of the reading and the print PDF."""
    outdir.mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(main, ["build", "--quiet", str(source), "-o", str(outdir)])
    assert result.exit_code == 0, result.output
    return (outdir / f"{source.name}-read.pdf").read_bytes(), (outdir / f"{source.name}-print.pdf").read_bytes()


def test_two_builds_are_byte_identical(starter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build(starter, tmp_path / "one")
    second = build(starter, tmp_path / "two")
    assert first[0] == second[0], "reading PDFs differ"
    assert first[1] == second[1], "print PDFs differ"


def test_output_does_not_depend_on_where_the_source_is_or_the_time_zone(
        starter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    here = build(starter, tmp_path / "one")
    elsewhere = tmp_path / "deeper" / "folder" / starter.name
    shutil.copytree(starter, elsewhere)
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    monkeypatch.chdir(tmp_path)
    assert build(elsewhere, tmp_path / "two") == here


def test_source_date_epoch_sets_the_dates(starter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    reading, printing = build(starter, tmp_path / "one")
    info = PdfReader(tmp_path / "one" / f"{starter.name}-read.pdf").metadata
    assert info["/CreationDate"].startswith("D:20231114221320")
    assert info["/ModDate"].startswith("D:20231114221320")
    for name in ("read", "print"):  # a date the print PDF carries is the same one
        meta = PdfReader(tmp_path / "one" / f"{starter.name}-{name}.pdf").metadata or {}
        for key in ("/CreationDate", "/ModDate"):
            if key in meta:
                assert meta[key].startswith("D:20231114221320"), (name, key, meta[key])
    assert build(starter, tmp_path / "two") == (reading, printing)


def test_without_source_date_epoch_the_date_is_fixed_not_now(
        starter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build(starter, tmp_path)
    info = PdfReader(tmp_path / f"{starter.name}-read.pdf").metadata
    assert info["/CreationDate"].startswith("D:20000101000000")


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "99999999999999"])
def test_a_malformed_source_date_epoch_is_a_usage_error(value: str, starter: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = CliRunner().invoke(main, ["build", str(starter), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("booklet: SOURCE_DATE_EPOCH must be a whole number of seconds")
    assert list(tmp_path.iterdir()) == []
