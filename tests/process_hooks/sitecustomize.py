"""Loaded by the refkit processes of kill tests (their PYTHONPATH starts with this folder): stops the
process for good at one point of writing a file atomically, at the OS boundary, so the test knows
where its SIGKILL lands. Set by tests/refkit_process.py `paused_at`:

- REFKIT_TESTS_PAUSE_AT: `temp-created` (a hidden `.<name>.*.tmp` was just created, still empty),
  `before-replace` (the temporary file is written, the target not yet replaced) or `after-replace`;
- REFKIT_TESTS_PAUSE_MARKER: the file created when the point is reached.

Also loaded by the start-up test: REFKIT_TESTS_INTERRUPT_IMPORT names a module whose import raises
KeyboardInterrupt, as Ctrl-C pressed while Python loads it does.

And by the page cache tests: REFKIT_TESTS_LOG_READS names a file to which every page (`.md`,
`.markdown`) the process or its workers open is appended, one line each; REFKIT_TESTS_KEEP_RECENT
lets the process keep the scan of a page changed just now (a test cannot set a file's ctime back,
and would otherwise wait two seconds after writing its pages).

Without these variables nothing changes."""

import os
import time

_POINT = os.environ.get("REFKIT_TESTS_PAUSE_AT")
_MARKER = os.environ.get("REFKIT_TESTS_PAUSE_MARKER")


def _stop_here() -> None:
    with open(_MARKER, "w", encoding="utf-8") as marker:
        marker.write(f"{os.getpid()}\n")
    while True:  # until the test kills the process
        time.sleep(60)


def _is_temporary(path: object) -> bool:
    name = os.path.basename(os.fsdecode(path))
    return name.startswith(".") and name.endswith(".tmp")


if _POINT and _MARKER:
    _open, _replace = os.open, os.replace

    def _paused_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        descriptor = _open(path, flags, *args, **kwargs)
        if _POINT == "temp-created" and flags & os.O_CREAT and _is_temporary(path):
            _stop_here()
        return descriptor

    def _paused_replace(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _is_temporary(source) and _POINT == "before-replace":
            _stop_here()
        _replace(source, target, *args, **kwargs)
        if _is_temporary(source) and _POINT == "after-replace":
            _stop_here()

    os.open, os.replace = _paused_open, _paused_replace


_INTERRUPTED_IMPORT = os.environ.get("REFKIT_TESTS_INTERRUPT_IMPORT")

if _INTERRUPTED_IMPORT:
    import sys

    class _InterruptedImport:
        def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
            if name == _INTERRUPTED_IMPORT:
                raise KeyboardInterrupt
            return None

    sys.meta_path.insert(0, _InterruptedImport())


_READS_LOG = os.environ.get("REFKIT_TESTS_LOG_READS")

if _READS_LOG:
    import builtins
    import io

    _io_open = io.open

    def _logged_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, bytes, os.PathLike)) and os.fsdecode(file).endswith((".md", ".markdown")):
            with _io_open(_READS_LOG, "a", encoding="utf-8") as log:
                log.write(os.fsdecode(file) + "\n")
        return _io_open(file, *args, **kwargs)

    io.open = builtins.open = _logged_open


if os.environ.get("REFKIT_TESTS_KEEP_RECENT"):
    import refkit.page_cache

    refkit.page_cache._RECENT_NS = 0
