"""The README's quick start is what CI runs: its two commands are `.ci/run`'s, word for word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"

pytestmark = pytest.mark.skipif(not (README.is_file() and CI.is_file()),
                                reason="tests run against an installed package, without the repository")


def quick_start_commands() -> list[str]:
    """The commands of the README's sh blocks under "Quick start", in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)
            for line in block.splitlines() if line.strip()]


def test_ci_runs_exactly_the_readme_commands():
    commands = quick_start_commands()
    ci_lines = [line.strip() for line in CI.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert ci_lines[-2:] == commands


def test_first_command_makes_a_virtual_environment_and_builds_the_example():
    """PEP 668: Debian's and Ubuntu's Python refuse `pip install` outside a virtual environment."""
    first, second = quick_start_commands()
    assert first.startswith("python3 -m venv .venv && .venv/bin/pip install . ")
    assert "booklet build examples/" in first
    example = first.rsplit("booklet build ", 1)[1].split()[0]
    assert (ROOT / example / "booklet.yaml").is_file()
    assert second.startswith(".venv/bin/pip install '.[test]'") and second.endswith(".venv/bin/pytest")
