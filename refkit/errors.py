"""refkit's own exceptions. An exception means refkit itself could not go on;
problems found in the wiki are Findings (data), never exceptions."""


class RefkitError(Exception):
    """Base class: the CLI turns any of these into one line and exit status 2."""


class ConfigError(RefkitError):
    """A configuration file, key, value or option is wrong."""


class PageError(RefkitError):
    """A page cannot be read; the message names the file (and line where known)."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        self.file = file
        self.reason = reason
        self.line = line
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None]]:
        # Pages are read in worker processes; the error must cross back intact.
        return (PageError, (self.file, self.reason, self.line))


class SourceError(RefkitError):
    """A registry client cannot be used as refkit needs it (its library changed under it)."""


class StoreError(RefkitError):
    """The local store cannot be opened, read or written."""


class ExportError(RefkitError):
    """An export cannot be written."""


class ExportRefused(ExportError):
    """An export that would lose data (nothing to export, or most entries of the file dropped);
    the CLI says so and exits 1 unless --force."""
