"""Every ``karstsim`` command the README shows is one the command line accepts, so the
README cannot drift from the parser (the commands themselves run in the other tests)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from karstsim.experiments.cli import build_parser

README = Path(__file__).parents[1] / "README.md"


def readme_commands() -> list[str]:
    """The ``karstsim`` command lines in the README's code blocks, continuations joined."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text("utf-8"), flags=re.S)
    text = "\n".join(blocks).replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        line = line.split(" #")[0].strip()
        if ".venv/bin/karstsim " in line:
            commands.append(line.split(".venv/bin/karstsim ", 1)[1])
    return commands


def test_the_readme_shows_commands():
    assert len(readme_commands()) >= 20


@pytest.mark.parametrize("command", readme_commands())
def test_each_readme_command_parses(command):
    parser, handlers = build_parser()
    argv = [arg for arg in shlex.split(command) if not arg.startswith("[")]  # [--optional]
    args = parser.parse_args(argv)
    assert args.command in handlers
