"""Errors a user can cause, as one class tree with messages a person can act on.

The CLI prints `str(error)` on one line and exits non-zero; it never shows a traceback
for a BriefingError.
"""


class BriefingError(Exception):
    """Base of every error the user can cause or fix."""


class ConfigError(BriefingError):
    """feeds.toml or the settings are wrong; the message names file, key and fix."""


class StoreError(BriefingError):
    """The store cannot be opened or written."""


class StoreLockedError(StoreError):
    """Another briefing process holds the store's write lock."""


class StoreVersionError(StoreError):
    """The store was written by a newer briefing."""


class ImportFileError(BriefingError):
    """One file could not be imported; the batch goes on."""


class FetchError(BriefingError):
    """One feed could not be fetched or parsed; the batch goes on."""
