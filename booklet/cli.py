"""The `booklet` command: parse options, call the API, turn a BookletError into one line."""

from __future__ import annotations

import functools
import sys
from typing import Callable

import click

from . import __version__
from .errors import BookletError, UsageError


def reports_errors(command: Callable) -> Callable:
    """Print a BookletError as `booklet: FILE:LINE: message` and exit 1 (2 for usage errors).

    With --debug the traceback is shown instead.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BookletError as exc:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"booklet: {exc}", err=True)
            sys.exit(2 if isinstance(exc, UsageError) else 1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
@click.option("--debug", is_flag=True, help="Show a traceback instead of a one-line error.")
def main(debug: bool) -> None:
    """Typeset Markdown articles into a print-ready pocket booklet."""
