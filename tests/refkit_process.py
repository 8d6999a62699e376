"""Run refkit as its own process, as CI and users do: a real interpreter, real signals, real files.

The environment is cleaned of the caller's REFKIT_* settings and the user cache is moved into the
test's folder, so a test never reads or writes the store of whoever runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
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


def run_refkit(*args: str, env: Mapping[str, str], cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run one refkit command to its end; stdout and stderr as text."""
    return subprocess.run(
        [*REFKIT, *args], env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def start_refkit(*args: str, env: Mapping[str, str], cwd: Path | None = None) -> subprocess.Popen[str]:
    """Start one refkit command and return at once (for kill and concurrency tests)."""
    return subprocess.Popen(
        [*REFKIT, *args], env=dict(env), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
