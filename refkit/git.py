"""The one place refkit runs git: which files changed since a revision (for `check --changed-since`),
and where a repository's root is (baselines store paths relative to it)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import ConfigError


def _git(arguments: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False
        )
    except OSError as error:
        raise ConfigError(f"--changed-since needs git: {error.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit status {done.returncode}"
        raise ConfigError(f"git {' '.join(arguments[:2])}: {message}")
    return done.stdout


def changed_files(revision: str, cwd: Path) -> list[Path]:
    """Absolute paths of files added or modified since `revision` (committed, staged or not) and
    of untracked files git does not ignore; deleted files are left out."""
    if revision.startswith("-"):
        raise ConfigError(f"--changed-since: {revision!r} is not a revision")
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    changed = _git(["diff", "--name-only", "-z", "--diff-filter=d", revision, "--"], top).split("\0")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    return sorted({top / name for name in (*changed, *untracked) if name})


def toplevel(folder: Path) -> Path | None:
    """The root of the git work tree holding `folder`; None outside one, or without git."""
    try:
        top = _git(["rev-parse", "--show-toplevel"], folder).strip()
    except ConfigError:
        return None
    return Path(top) if top else None
