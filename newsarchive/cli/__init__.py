"""The ``newsarchive`` command: a thin click layer over the database,
extraction and crawl modules. Each group of commands lives in its own module
and registers itself on ``main`` here."""
from __future__ import annotations

import click

from newsarchive import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsarchive")
def main() -> None:
    """Keep a clean, queryable archive of news sites.

    \b
    Example:
      newsarchive demo --dir /tmp/demo
      newsarchive search 'putin AND syria' --since 2016-01-01
    """


def _register() -> None:
    # Each module owns its commands; importing them here keeps this file a list.
    from newsarchive.cli import archive_commands, crawl_commands, extract_commands

    for module in (archive_commands, crawl_commands, extract_commands):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
