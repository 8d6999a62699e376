"""Atomic file writing: a reader sees the old file or the whole new one, never half of it.

The text goes to a temporary file in the target's own folder (so the final rename never crosses
a file system), is flushed and fsynced, then renamed over the target with `os.replace`. If the
writing fails, the temporary file is removed and the target is untouched; if the process is
killed, the target is untouched and at worst a hidden `.<name>.*.tmp` file is left behind."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO


def _new_file_mode(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus the umask
    (mkstemp's private 0600 would surprise whoever shares the exported file)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_writer(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text stream whose content replaces `path` when the `with` block ends without an error.

    Newlines are written as `\\n` on every platform, so the bytes do not depend on the OS."""
    with _atomic_file(path, "w", encoding=encoding, newline="\n") as stream:
        yield stream


@contextmanager
def _atomic_file(path: str | os.PathLike[str], mode: str, **open_arguments: str) -> Iterator[Any]:
    """A file opened with `mode` beside `path` that replaces it when the block ends without an
    error (flushed and fsynced first); on any error, or an interrupt, the old file stays."""
    target = Path(path)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    permissions = _new_file_mode(target)
    import tempfile  # only a command that writes a file needs it, not every start of refkit

    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, mode, **open_arguments) as stream:  # type: ignore[call-overload]
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, permissions)
        os.replace(temporary, target)
    except BaseException:
        # Also on KeyboardInterrupt: the old file stays, the partial one goes.
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); platforms without directory fsync skip it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_text_atomically(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Replace `path` with `text` atomically."""
    with atomic_writer(path, encoding=encoding) as stream:
        stream.write(text)


def write_bytes_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace `path` with exactly `data` atomically (pages keep their own line endings)."""
    with _atomic_file(path, "wb") as stream:
        stream.write(data)
