"""A build's outputs are replaced as a set: killed at any step, the output folder holds the
previous set or the new one, never a mix, and the next build leaves no temporary behind; two
builds into one folder take turns (regression: issue #14, paired outputs)."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet import files
from booklet.build import build
from booklet.cli import main
from booklet.impose import ImposeOptions

ARTICLE = "---\ntitle: Pairs\n---\n# {version}\n\n" + "Words of version {version}, printed and folded. " * 40 + "\n"


def write_source(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "pairs.md"
    source.write_text(ARTICLE.format(version=version), encoding="utf-8")
    return source


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def build_set(source: Path, outdir: Path) -> None:
    build(source, outdir, options=ImposeOptions(), shop=True, guide=True)


def killed_build(source: Path, outdir: Path, step: int) -> bool:
    """Build in a child process that kills itself (SIGKILL: no cleanup, no finally) just before
    its `step`-th file operation in `outdir`; False when the build finished before that step."""
    child = os.fork()
    if child == 0:  # pragma: no cover (the child never returns)
        try:
            count = 0

            def before(operation):
                def wrapped(*args, **kwargs):
                    nonlocal count
                    paths = [str(a) for a in (*args, *kwargs.values()) if isinstance(a, (str, os.PathLike))]
                    if any(str(outdir) in os.path.abspath(p) for p in paths):
                        count += 1
                        if count == step:
                            os.kill(os.getpid(), signal.SIGKILL)
                    return operation(*args, **kwargs)
                return wrapped

            # every step of writing a set: create a temporary, flush it, rename, remove
            tempfile.mkstemp = before(tempfile.mkstemp)
            os.replace = before(os.replace)
            os.unlink = before(os.unlink)
            files._sync = before(files._sync)
            Path.write_bytes = before(Path.write_bytes)
            build_set(source, outdir)
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(child, 0)
    if os.WIFEXITED(status):
        assert os.WEXITSTATUS(status) == 0, "the build failed instead of being killed"
        return False
    assert os.WTERMSIG(status) == signal.SIGKILL
    return True


def test_a_build_killed_at_any_step_leaves_the_old_set_or_the_new(tmp_path: Path) -> None:
    old_source = write_source(tmp_path / "old", "A")
    new_source = write_source(tmp_path / "new", "B")
    reference = tmp_path / "reference"
    build_set(new_source, reference)
    new = visible(reference)
    assert sorted(new) == ["pairs-print-guide.pdf", "pairs-print.pdf", "pairs-read.pdf", "pairs-shop.pdf"]
    out = tmp_path / "out"
    build_set(old_source, out)
    old = visible(out)
    assert old.keys() == new.keys() and all(old[name] != new[name] for name in old if "guide" not in name)

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pairs.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    states = []
    step = 1
    while killed_build(new_source, out, step):
        state = visible(out)
        if not (out / files.JOURNAL).exists():
            assert state in (old, new), f"killed at step {step}: a mix of old and new files"
        else:  # killed while renaming: the next booklet run into the folder finishes the set,
            # even a build that fails at once (here: broken metadata)
            result = CliRunner().invoke(main, ["build", str(broken / "pairs.md"), "-o", str(out)])
            assert result.exit_code == 1
            assert visible(out) == new, f"killed at step {step}: the interrupted set was not finished"
        states.append("new" if visible(out) == new else "old")
        for name, data in old.items():  # back to the old set for the next kill; the temporaries
            (out / name).write_bytes(data)  # left are the next build's to remove
        step += 1
    assert step > 10  # every temporary, flush, the journal and each rename were a kill point
    assert "old" in states and "new" in states
    build_set(new_source, out)
    assert visible(out) == new and not hidden(out)


def test_a_second_build_into_the_folder_waits_then_stops_with_one_line(tmp_path: Path, monkeypatch) -> None:
    source = write_source(tmp_path, "A")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(files, "LOCK_WAIT", 0.3)
    with files._folder_lock(out):  # as a build writing there holds it
        # the second build in a process of its own (its own open of the folder: flock conflicts)
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child never returns)
            result = CliRunner().invoke(main, ["build", str(source), "-o", str(out)])
            one_line = "another booklet is writing into this folder" in result.stderr and \
                len(result.stderr.splitlines()) == 1
            os._exit(10 + result.exit_code if one_line else 99)
        _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 11  # exit code 1, one line
    assert not list(out.iterdir())
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--quiet"])  # free again
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["pairs-print.pdf", "pairs-read.pdf"]


def test_stale_temporaries_of_killed_builds_are_removed(tmp_path: Path) -> None:
    """The hidden temporaries of builds killed by earlier versions (`.NAME.XXXX.tmp`, `.part`)
    and by this one (`.booklet-…tmp`) go at the next build; other hidden files stay."""
    source = write_source(tmp_path, "A")
    out = tmp_path / "out"
    out.mkdir()
    stale = [".pairs-read.pdf.k2j4h1x0.tmp", ".pairs-print.pdf.abcd1234.part",
             ".booklet-pairs-read.pdf.zzzz0000.tmp", ".booklet-commit.q1w2e3r4.tmp"]
    for name in [*stale, ".keep-me"]:
        (out / name).write_bytes(b"x" * 1000)
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert hidden(out) == [".keep-me"]


def test_a_missing_output_folder_is_created_with_its_parents(tmp_path: Path) -> None:
    """Issue #11: `-o` names a folder that need not exist yet."""
    source = write_source(tmp_path, "A")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "a" / "b" / "c"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "a" / "b" / "c").iterdir()) == ["pairs-print.pdf", "pairs-read.pdf"]


def test_a_failed_build_creates_no_folder(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "bad.md"), "-o", str(tmp_path / "new")])
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()


def test_a_build_not_asked_for_the_shop_pdf_and_guide_removes_the_earlier_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_set(write_source(tmp_path / "a", "A"), out)
    build(write_source(tmp_path / "b", "B"), out, options=ImposeOptions())
    assert sorted(visible(out)) == ["pairs-print.pdf", "pairs-read.pdf"] and not hidden(out)
    # a commit killed between its renames and the removals: the journal's removals are finished
    (out / "pairs-shop.pdf").write_bytes(b"of an earlier set")
    (out / files.JOURNAL).write_text('[[null, "pairs-shop.pdf"], [null, "../outside.pdf"]]', encoding="utf-8")
    (tmp_path / "outside.pdf").write_bytes(b"not the folder's")
    files.finish_interrupted(out)
    assert sorted(visible(out)) == ["pairs-print.pdf", "pairs-read.pdf"] and (tmp_path / "outside.pdf").exists()
