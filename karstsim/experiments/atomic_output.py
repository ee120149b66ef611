"""Results that appear whole or not at all.

A command writes its results into a temporary folder (or file) beside the target and
renames it into place once everything is written; a previous results folder is replaced
only then (moved aside, the new one renamed in, the old one deleted). When writing fails
half-way (the disk fills, permission is lost) the temporary copy is deleted, the target is
left as it was, and the error names the target and the cause.

Every results folder holds a marker file, :data:`MARKER`: a folder with it was written by
karstsim and may be replaced by a later run; an existing folder without it (and not empty)
is refused, so that ``--out`` never replaces a folder of other files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from karstsim.model.parameters import InputError

MARKER = ".karstsim-results"
"""Written last into every results folder."""

TEMPORARY = ".tmp-"
"""Prefix of the files written under a temporary name before they are renamed."""


class OutputError(InputError):
    """Results that cannot be written: the message names the path and the cause."""


def ensure_writable(folder: Path) -> Path:
    """Create ``folder`` if needed and check that files can be written in it."""
    _check_writable(folder, folder, "folder")
    return folder


def check_target(target: Path, *, folder: bool = True) -> Path:
    """Check before any work that results can be written to ``target`` (a folder, or a file
    if ``folder`` is false): its parent is writable and a previous target may be replaced."""
    kind = "folder" if folder else "file"
    _check_writable(target.parent, target, kind)
    if folder and target.exists() and not _replaceable(target):
        raise OutputError(
            f"output folder {target}: exists and holds files karstsim did not write; "
            "choose a new folder with --out (or an earlier karstsim results folder)"
        )
    if not folder and target.is_dir():
        raise OutputError(f"output file {target}: is a folder; give a file name with --out")
    return target


def _check_writable(folder: Path, target: Path, kind: str) -> None:
    """Create ``folder`` if needed and write a file in it; an error names ``target``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".karstsim-write-test"):
            pass
    except OSError as error:
        raise OutputError(
            f"output {kind} {target}: not writable ({error.strerror or error}); "
            f"choose a {kind} you can write to with --out"
        ) from None


def _replaceable(target: Path) -> bool:
    return target.is_dir() and ((target / MARKER).is_file() or not any(target.iterdir()))


def current_umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, sync it and rename it."""
    temporary = path.with_name(f"{TEMPORARY}{os.getpid()}-{path.name}")
    try:
        with open(temporary, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextlib.contextmanager
def results_folder(target: Path) -> Iterator[Path]:
    """A new, empty folder beside ``target`` to write into; renamed to ``target`` when the
    block ends without error, deleted if it raises (an ``OSError`` becomes an
    :class:`OutputError` naming ``target`` and the cause)."""
    check_target(target)
    with _failures_named(target):
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{TEMPORARY}", dir=target.parent))
        staging.chmod(0o777 & ~current_umask())  # mkdtemp makes it 700: follow the umask
    try:
        with _failures_named(target):
            yield staging
            (staging / MARKER).write_text("written by karstsim; complete\n", "utf-8")
            _swap_into_place(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def results_file(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write one file to; renamed to ``target`` when
    the block ends without error, deleted if it raises (as :func:`results_folder`)."""
    check_target(target, folder=False)
    staging = target.with_name(f".{target.name}{TEMPORARY}{uuid.uuid4().hex[:8]}")
    try:
        with _failures_named(target):
            yield staging
            os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


@contextlib.contextmanager
def _failures_named(target: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        kept = "the previous results are unchanged" if target.exists() else "nothing was written"
        raise OutputError(
            f"{target}: cannot write the results ({error.strerror or error}); {kept}; "
            "check the free space and permissions there, or choose another --out"
        ) from None


def _swap_into_place(staging: Path, target: Path) -> None:
    """Rename ``staging`` to ``target``; a previous ``target`` is moved aside first and
    deleted only once the new one is in place (restored if the rename fails)."""
    if not target.exists():
        os.rename(staging, target)
        return
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
