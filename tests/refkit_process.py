"""Run refkit as its own process, as CI and users do: a real interpreter, real signals, real files.

The environment is cleaned of the caller's REFKIT_* settings and the user cache is moved into the
test's folder, so a test never reads or writes the store of whoever runs it."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROCESS_HOOKS = Path(__file__).resolve().parent / "process_hooks"
REFKIT = (sys.executable, "-c", "import sys; sys.argv[0] = 'refkit'; from refkit.cli import main; main()")
"""The command line of refkit, whether or not the package is installed (PYTHONPATH points at the repo);
named `refkit` as the installed script is, so its messages read as users see them."""


def refkit_env(home: Path, **settings: str) -> dict[str, str]:
    """A clean environment: no REFKIT_* of the caller, the cache under `home`, plus `settings`
    as REFKIT_<KEY> variables (e.g. crossref_url="http://127.0.0.1:…")."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("REFKIT_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env.update({f"REFKIT_{key.upper()}": value for key, value in settings.items()})
    return env


def run_refkit(
    *args: str, env: Mapping[str, str], cwd: Path | None = None, timeout: float = 60, preexec_fn: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one refkit command to its end; stdout and stderr as text."""
    return subprocess.run(
        [*REFKIT, *args], env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, preexec_fn=preexec_fn
    )


def start_refkit(*args: str, env: Mapping[str, str], cwd: Path | None = None) -> subprocess.Popen[str]:
    """Start one refkit command and return at once (for kill and concurrency tests)."""
    return subprocess.Popen(
        [*REFKIT, *args], env=dict(env), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
"""From linux/prctl.h and linux/capability.h."""


def file_permissions_apply() -> Callable[[], None]:
    """A `preexec_fn` after which file permissions hold for refkit even when the tests run as root
    (as CI does): root's capabilities to read and search any file are dropped from the child's
    bounding set, so the refkit it then starts has them no more. Nothing to drop for other users."""
    if os.geteuid() != 0:
        return lambda: None
    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: the child after fork only calls it

    def drop() -> None:
        for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
            if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")

    return drop


def paused_at(env: Mapping[str, str], point: str, marker: Path) -> dict[str, str]:
    """`env` for a refkit that stops for good at `point` of writing a file atomically
    (`temp-created`, `before-replace`, `after-replace`; see process_hooks/sitecustomize.py) after
    creating `marker`, so a test can SIGKILL it exactly there."""
    return {
        **env,
        "PYTHONPATH": os.pathsep.join((str(PROCESS_HOOKS), env["PYTHONPATH"])),
        "REFKIT_TESTS_PAUSE_AT": point,
        "REFKIT_TESTS_PAUSE_MARKER": str(marker),
    }


def logging_reads(env: Mapping[str, str], log: Path) -> dict[str, str]:
    """`env` for a refkit that appends each page file it (or a worker) opens to `log`, one line each
    (see process_hooks/sitecustomize.py), so a test can tell which pages were read."""
    return {**env, "PYTHONPATH": os.pathsep.join((str(PROCESS_HOOKS), env["PYTHONPATH"])), "REFKIT_TESTS_LOG_READS": str(log)}
