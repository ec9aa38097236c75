"""Errors a user can cause, as one class tree with messages a person can act on.

The CLI prints `str(error)` on one line and never a traceback; the exit code follows
the class: 2 for `UsageError` and `ConfigError` (nothing was done), 3 for `StoreError`
(the store is busy or unusable), 1 for any other failure.
"""


class BriefingError(Exception):
    """Base of every error the user can cause or fix."""


class UsageError(BriefingError):
    """A command was given something it cannot use (an option value, a file argument)."""


class ConfigError(BriefingError):
    """feeds.toml or the settings are wrong; the message names file, key and fix."""


class StoreError(BriefingError):
    """The store cannot be opened or written."""


class StoreBusyError(StoreError):
    """Another briefing process kept the store's write lock past the wait allowed."""


class StoreVersionError(StoreError):
    """The store was written by a newer briefing."""


class ImportFileError(BriefingError):
    """One file could not be imported; the batch goes on."""


class FetchError(BriefingError):
    """One feed could not be fetched or parsed; the batch goes on."""


def exit_code(error: BriefingError) -> int:
    """The one rule for every command: 2 nothing was done (usage, configuration), 3 the
    store is busy or unusable, 1 anything else that failed."""
    if isinstance(error, UsageError | ConfigError):
        return 2
    if isinstance(error, StoreError):
        return 3
    return 1
