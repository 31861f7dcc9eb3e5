"""Writing a return's files so that an interrupted run leaves nothing half-written.

Each file is written beside its destination under a hidden temporary name, then renamed into
place: a reader sees the whole file or none of it.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from caseline.apps.returns.years import ReturnInputError


class WriteFailed(ReturnInputError):
    """The return's files could not be written (a full disk, a file too large): nothing
    half-written was left behind."""


def write_failed(what: str, out: Path, error: OSError) -> WriteFailed:
    """The clear message for ``error``, met while writing ``what`` to ``out``."""
    reason = error.strerror or str(error)
    if error.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
        reason += " (the disk is full, or the file is larger than this system allows)"
    return WriteFailed(
        f"Could not write the {what} to {out}: {reason}. Nothing half-written was kept; "
        "make room and produce it again."
    )


def check_writable_file(path: Path) -> None:
    """Refuse, with a clear message, a file path a return cannot be written to."""
    if path.is_dir():
        raise ReturnInputError(f"--out {path} is a folder; give the name of the file to write.")
    _check_writable_folder(path.parent, f"--out {path}")
    remove_leftovers(path)


def remove_leftovers(path: Path) -> None:
    """Remove the hidden temporary files an earlier run writing ``path`` left when it was
    killed part way (a process killed outright cannot tidy up after itself)."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.partial"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def check_writable_folder(path: Path) -> None:
    """Refuse, with a clear message, a folder a return's files cannot be written into.

    The folder is created when it does not exist and its parent can be written.
    """
    if path.exists() and not path.is_dir():
        raise ReturnInputError(f"--out {path} is a file; give a folder for the return's tables.")
    if not path.exists():
        _check_writable_folder(path.parent, f"--out {path}")
        path.mkdir()
    _check_writable_folder(path, f"--out {path}")
    for leftover in path.glob(".*.partial"):  # an earlier run's, killed part way
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _check_writable_folder(folder: Path, what: str) -> None:
    if not folder.is_dir():
        raise ReturnInputError(f"{what}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReturnInputError(f"{what}: the folder {folder} cannot be written to.")


def _temporary_beside(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)


@contextlib.contextmanager
def atomic_output(path: Path, *, mode: str = "w", newline: str | None = None) -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; on success rename it to ``path``, else delete it."""
    handle, temporary = _temporary_beside(path)
    os.close(handle)
    try:
        with open(temporary, mode, encoding="utf-8", newline=newline) as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def atomic_binary_output(path: Path) -> Iterator[IO[bytes]]:
    """As :func:`atomic_output`, for bytes (XML written by a streaming writer)."""
    handle, temporary = _temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
