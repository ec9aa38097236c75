"""The store's write lock: one process writes a store at a time, and says which.

An advisory `flock` on `store/lock`; the holder's PID is written into the file so the
one refused can name it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from briefing.core.errors import StoreLockedError


class WriteLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            finally:
                os.close(fd)
            raise StoreLockedError(
                f"the store at {self.path.parent} is in use by another briefing (PID {holder}); "
                "close it first, or refresh from inside the reader with r"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)
            self.fd = None
