"""``--help`` of the command and of every subcommand prints its help and exits 0.

The subcommands are enumerated from the parser, so a new command is covered without
editing this file.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from karstsim.experiments.cli import build_parser, main


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """``()`` for the parser itself, then the path of every subcommand, nested ones too."""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield from command_paths(subparser, (*prefix, name))


COMMANDS = list(command_paths(build_parser()[0]))


def test_every_command_is_enumerated():
    names = {path[0] for path in COMMANDS if path}
    assert {"run", "sweep", "sweep-status", "fast-track", "viz", "sensitivity"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "karstsim")
def test_help_exits_0(path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*path, "--help"])
    printed = capsys.readouterr()
    assert exit_info.value.code == 0, printed.err
    assert printed.out.startswith("usage: karstsim")
    assert "Traceback" not in printed.err


@pytest.mark.parametrize("path", [p for p in COMMANDS if p], ids=" ".join)
def test_an_unknown_option_is_reported_by_its_command(path, capsys):
    """One line from the command that did not know the option, pointing to that command's
    help (argparse alone reports it as ``karstsim``'s and points to the top help)."""
    with pytest.raises(SystemExit) as exit_info:
        main([*path, "--no-such-option"])
    err = capsys.readouterr().err.strip().splitlines()
    assert exit_info.value.code == 2
    name = " ".join(("karstsim", *path))
    required = f"{name}: error: the following arguments are required"
    unknown = f"{name}: error: unrecognized arguments: --no-such-option (see '{name} --help')"
    assert len(err) == 1 and (err[0] == unknown or err[0].startswith(required)), err


def test_fast_track_help_keeps_its_percent_sign(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "64 % by 2025" in capsys.readouterr().out


def test_karstsim_help_in_a_fresh_process():
    done = subprocess.run(
        [sys.executable, "-m", "karstsim", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "fast-track" in done.stdout and not done.stderr
