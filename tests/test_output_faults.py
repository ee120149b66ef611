"""Results appear whole or not at all: a fault while writing (the disk fills, permission
is lost) leaves no folder that looks finished, keeps previous results untouched, and ends
in one line naming the path and the cause."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from karstsim.experiments import calibration, compare, fast_track, figures, sensitivity, validation
from karstsim.experiments.cli import main

NO_SPACE = os.strerror(errno.ENOSPC)  # "No space left on device"
MARKER = ".karstsim-results"  # what karstsim writes last into a results folder


def half_way(*args, **kwargs):
    """A writer that writes part of its output, then finds the disk full."""
    path = next(arg for arg in args if isinstance(arg, Path))
    if path.is_dir():
        (path / "summary.json").write_text("{}")
    else:
        path.write_text("part of a file")
    raise OSError(errno.ENOSPC, NO_SPACE, str(path))


# command line, its output (folder or file), the slow work replaced by canned results,
# and the writer that fails half-way
COMMANDS = {
    "run": (["run", "--grid", "8x8", "--years", "2020:2021"], "folder", [], (figures, "dashboard")),
    "compare": (
        ["compare", "plan14", "no_new_policy", "--grid", "8x8"],
        "folder",
        [(compare, "compare", {})],
        (compare, "write"),
    ),
    "validate": (
        ["validate", "--grid", "8x8"],
        "folder",
        [(validation, "run_validation", {}), (validation, "evaluate", {})],
        (validation, "write_report"),
    ),
    "calibrate": (
        ["calibrate", "--grid", "8x8"],
        "folder",
        [(calibration, "calibrate", {})],
        (calibration, "write"),
    ),
    "fast-track": (
        ["fast-track", "--grid", "8x8"],
        "file",
        [(fast_track, "search", {"best": {"levers": {}}})],
        (fast_track, "write"),
    ),
    "sensitivity": (
        ["sensitivity", "SWEEP", "--outputs", "forest_cover_pct"],
        "folder",
        [(sensitivity, "analyse", [])],
        (sensitivity, "write"),
    ),
}


@pytest.mark.parametrize("previous", [False, True], ids=["new", "replacing"])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_fault_while_writing_leaves_nothing_that_looks_finished(
    command, previous, tmp_path, monkeypatch, capsys
):
    argv, kind, canned, (module, writer) = COMMANDS[command]
    for target_module, name, value in canned:
        monkeypatch.setattr(target_module, name, lambda *args, value=value, **kw: value)
    monkeypatch.setattr(module, writer, half_way)
    parent = tmp_path / "results"
    parent.mkdir()
    out = parent / ("fast.toml" if kind == "file" else "out")
    if previous and kind == "file":
        out.write_text("earlier results")
    elif previous:
        out.mkdir()
        (out / MARKER).write_text("")
        (out / "summary.json").write_text("earlier results")
    before = sorted(
        (p.relative_to(parent), p.read_bytes()) for p in parent.rglob("*") if p.is_file()
    )
    argv = [str(tmp_path) if arg == "SWEEP" else arg for arg in argv]

    code = main([*argv, "--out", str(out)])

    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    assert str(out) in err and NO_SPACE in err and "Traceback" not in err
    after = sorted(
        (p.relative_to(parent), p.read_bytes()) for p in parent.rglob("*") if p.is_file()
    )
    assert after == before  # the old results untouched, or nothing at all
    assert [p.name for p in parent.iterdir()] == ([out.name] if previous else [])


def test_a_run_replaces_its_earlier_results_and_refuses_a_folder_of_other_files(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["run", "--grid", "8x8", "--years", "2020:2021", "--out", str(out)]
    assert main(argv) == 0
    (out / "stale.txt").write_text("from before")
    assert (out / MARKER).is_file()
    assert main([*argv[:-1], str(out)]) == 0
    assert not (out / "stale.txt").exists() and (out / "summary.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    other = tmp_path / "papers"
    other.mkdir()
    (other / "thesis.tex").write_text("precious")
    capsys.readouterr()
    assert main([*argv[:-1], str(other)]) == 2
    err = capsys.readouterr().err
    assert str(other) in err and "holds files karstsim did not write" in err
    assert [p.name for p in other.iterdir()] == ["thesis.tex"]
