"""The ``karstsim`` command ends its process at once (``process_exit.exit_now``), yet does
everything an exit must: the exit status, the exit handlers, the streams' last bytes, and
waiting for a thread that is still at work."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from karstsim.experiments.process_exit import status_of


def _python(code: str) -> subprocess.CompletedProcess:
    """``code`` run by a fresh Python, its stdout block-buffered as usual for a pipe."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_exit_handlers_run_and_buffered_output_is_written(tmp_path):
    marker = tmp_path / "handler ran"
    done = _python(
        "import atexit, pathlib, sys, tempfile\n"
        "from karstsim.experiments.process_exit import exit_now\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).touch)\n"
        "kept = tempfile.TemporaryDirectory()\n"
        f"pathlib.Path({str(tmp_path / 'where')!r}).write_text(kept.name)\n"
        "for line in range(5000): print(line)\n"  # the last few lines still in the buffer
        "sys.stderr.write('last words')\n"
        "exit_now(3)\n"
    )
    assert done.returncode == 3
    assert done.stdout.splitlines() == [str(line) for line in range(5000)]
    assert done.stderr == "last words"
    assert marker.exists()
    # the temporary folder's finaliser (an exit handler of weakref.finalize) removed it
    assert not (tmp_path / (tmp_path / "where").read_text()).exists()


def test_a_thread_still_at_work_is_waited_for(tmp_path):
    written = tmp_path / "written by the thread"
    done = _python(
        "import pathlib, threading, time\n"
        "from karstsim.experiments.process_exit import exit_now\n"
        "def work():\n"
        "    time.sleep(0.3)\n"
        f"    pathlib.Path({str(written)!r}).write_text('done')\n"
        "threading.Thread(target=work).start()\n"
        "exit_now(5)\n"
    )
    assert done.returncode == 5
    assert written.read_text() == "done"


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (2, 2), ("a message", 1)])
def test_the_status_of_a_system_exit_is_pythons(code, status, capsys):
    assert status_of(SystemExit(code)) == status
    assert capsys.readouterr().err == ("a message\n" if status == 1 else "")


def test_the_command_exits_with_its_status_and_output(tmp_path):
    """``python -m karstsim`` goes through ``console``: --help's usage, a usage error's
    status 2 and message, and a run's files and status."""
    command = [sys.executable, "-m", "karstsim"]
    helped = subprocess.run([*command, "--help"], capture_output=True, text=True)
    assert helped.returncode == 0
    assert helped.stdout.startswith("usage: karstsim")
    wrong = subprocess.run([*command, "run", "--grid", "nowhere"], capture_output=True, text=True)
    assert wrong.returncode == 2
    assert wrong.stderr.count("\n") == 1 and "nowhere" in wrong.stderr
    out = tmp_path / "run"
    ran = subprocess.run(
        [*command, "run", "--grid", "classroom", "--years", "2020:2022", "--no-maps",
         "--out", str(out)], capture_output=True, text=True,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    rows = (out / "timeseries.csv").read_text().splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["2020", "2021", "2022"]
