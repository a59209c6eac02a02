"""Writing results safely: atomic files, output folders checked before any work, staged folders.

A file that exists is complete (written under a temporary name, then renamed); a command checks its
output folder before it computes anything, and creates it only when there is something to write.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file next to ``path``, then rename it to ``path``.

    The temporary name keeps the suffix (``.name.PID.tmp.png``) so writers that infer the format
    from it (matplotlib, pandas) still work. Creates the parent folder if needed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _existing_parent(path: Path) -> Path:
    """The nearest ancestor of ``path`` that exists."""
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def folder_problem(path: Path) -> str | None:
    """Why ``path`` cannot be used (or created) as an output folder, or None if it can.

    Nothing is left behind: a missing folder is tested by creating and removing a scratch folder
    in its nearest existing parent (permission bits alone do not tell, e.g. for root or /proc).
    """
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            return f"{path} is a file, not a folder"
        probe_in = path
    else:
        probe_in = _existing_parent(path)
        if not probe_in.is_dir():
            return f"cannot create {path}: {probe_in} is a file, not a folder"
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".write-test-", dir=probe_in))
    except OSError as exc:
        return f"cannot write in {probe_in}: {exc.strerror or exc}"
    return None


@contextmanager
def staged_folder(dest: Path) -> Iterator[Path]:
    """A scratch folder whose files move into ``dest`` only if the block succeeds.

    On success each file is renamed into ``dest`` (created then; other files there stay); on any
    error the scratch folder is removed and ``dest`` is untouched.
    """
    dest = Path(dest)
    stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=_existing_parent(dest)))
    try:
        yield stage
        dest.mkdir(parents=True, exist_ok=True)
        for item in sorted(stage.iterdir()):
            os.replace(item, dest / item.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
