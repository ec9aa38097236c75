"""The store's write lock: one writer at a time, for one batch; readers never take it.

An advisory `flock` on `store/lock`, held while a batch is written (a few milliseconds
to a second), not while a process has the store open: a reader stays open all day
beside a scheduled `briefing fetch`. The holder's PID is written into the file so one
that waits too long can name it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

from briefing.core.errors import StoreBusyError

POLL = 0.05
"""Seconds between tries while another process holds the lock."""


class WriteLock:
    def __init__(self, path: Path, doing: str = "written") -> None:
        self.path = path
        self.doing = doing
        """What the holder is doing, for the message of one that waited too long."""
        self.fd: int | None = None

    @property
    def held(self) -> bool:
        return self.fd is not None

    def acquire(self, wait: float) -> int:
        """Take the lock, waiting up to `wait` seconds for another writer's batch.

        Returns the lock's generation before this taking: it counts every taking, so a
        holder that sees the generation it left knows nobody wrote in between (even one
        killed before it could say so)."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    raise StoreBusyError(
                        f"the store at {self.path.parent} is being {self.doing} by another briefing "
                        f"(PID {holder}) and stayed busy for {wait:g} s; try again, or raise "
                        "lock_wait in feeds.toml's [settings]"
                    ) from None
                time.sleep(POLL)
        previous = self._generation(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {previous + 1}".encode(), 0)
        self.fd = fd
        return previous

    @staticmethod
    def _generation(fd: int) -> int:
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int(os.pread(fd, 64, 0).split()[1])
        return 0

    @staticmethod
    def _holder(fd: int) -> str:
        with contextlib.suppress(OSError):
            return os.pread(fd, 64, 0).decode("ascii", "replace").split(" ")[0].strip() or "unknown"
        return "unknown"

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):  # no holder now; the generation stays
                generation = self._generation(self.fd)
                os.ftruncate(self.fd, 0)
                os.pwrite(self.fd, f"- {generation}".encode(), 0)
            os.close(self.fd)  # closing drops the flock
            self.fd = None
