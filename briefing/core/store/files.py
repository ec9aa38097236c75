"""A TinyDB storage that never loses the previous file.

Every flush writes a temporary file, fsyncs it, keeps the old file as `.bak` (a hard
link, no copy) and `os.replace`s the new one in, then fsyncs the directory. A file that
does not parse is never read as empty: it is moved aside and the backup is used.
Data is cached in memory, so TinyDB's read-modify-write cycle parses nothing.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from briefing.core.errors import StoreError

Notice = Callable[[str], None]


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _scrub(value: Any) -> Any:
    """Make data orjson can always write: no NaN, no lone surrogates, no huge ints."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else str(value)
    if isinstance(value, dict):
        return {str(_scrub(k)): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return str(value)


def dump_bytes(data: Any) -> bytes:
    try:
        return orjson.dumps(data)
    except (TypeError, orjson.JSONEncodeError):
        return orjson.dumps(_scrub(data))


def atomic_write(path: Path, payload: bytes, *, keep_backup: bool = True, durable: bool = True) -> None:
    """Replace `path` with `payload` so that a crash leaves the old or the new file.

    `durable=False` skips the fsyncs, for files that only signal (a power cut may then
    lose the new file, never leave half of it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if keep_backup and path.exists():
            bak = path.with_name(path.name + ".bak")
            bak_tmp = path.with_name(f".{path.name}.{os.getpid()}.baktmp")
            with contextlib.suppress(FileNotFoundError):
                os.unlink(bak_tmp)
            try:
                os.link(path, bak_tmp)
            except OSError:
                bak_tmp.write_bytes(path.read_bytes())
            os.replace(bak_tmp, bak)
        os.replace(tmp, path)
        if durable:
            _fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        reason = exc.strerror or str(exc)
        raise StoreError(f"{path}: could not write ({reason}); the previous file is intact") from exc


def load_json_file(
    path: Path, *, expect: type = dict, notice: Notice | None = None
) -> Any | None:
    """Parse a store file; on damage quarantine it and fall back to `.bak`.

    Returns None when neither the file nor a backup exists (a new store).
    """
    bak = path.with_name(path.name + ".bak")
    if not path.exists():
        if bak.exists():
            data = _try_load(bak, expect)
            if data is not None:
                if notice:
                    notice(f"{path.name} was missing; restored the last good copy")
                return data
        return None
    data = _try_load(path, expect)
    if data is not None:
        return data
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}-{os.getpid()}")
    try:
        os.replace(path, aside)
    except OSError as exc:
        raise StoreError(f"{path}: damaged and could not be moved aside ({exc.strerror})") from exc
    if bak.exists() and (data := _try_load(bak, expect)) is not None:
        if notice:
            notice(f"{path.name} was damaged; moved it to {aside.name} and restored the last good copy")
        return data
    raise StoreError(
        f"{path}: damaged and no good backup exists; moved it to {aside.name}. "
        "Nothing was overwritten; restore a copy or remove the store directory to start anew."
    )


def _try_load(path: Path, expect: type) -> Any | None:
    try:
        raw = path.read_bytes()
        data = orjson.loads(raw)
    except (OSError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, expect) else None


Signature = tuple[int, int, int] | None
"""A file as last read: inode, size and modification time (None: it did not exist).
Every write replaces the file (a new inode), so a changed signature means another
process wrote it."""


def signature(path: Path) -> Signature:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class AtomicJSONStorage(Storage):
    """TinyDB storage: cached in memory, flushed atomically, deferrable for batches.

    The cache knows the file it came from (`signature`), so a process can tell when
    another one has replaced it (`forget_if_stale`) and read it again.
    """

    def __init__(self, path: str | Path, notice: Notice | None = None, readonly: bool = False,
                 guard: Callable[[Path], None] | None = None):
        self.path = Path(path)
        self._notice = notice
        self._readonly = readonly
        self._guard = guard
        self._data: dict[str, Any] | None = None
        self._missing = False
        self._dirty = False
        self._signature: Signature = None
        self._seen = False
        """Whether `_signature` records a read or write (it is kept when the cache is closed)."""
        self.deferred = False

    def read(self) -> dict[str, Any] | None:
        if self._data is None and not self._missing:
            self._signature = signature(self.path)
            self._seen = True
            self._data = load_json_file(self.path, notice=self._notice)
            # Remember a missing file: stores have many never-written shards, and a stat
            # per lookup at 50k articles costs a second.
            self._missing = self._data is None
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self._dirty = True
        if not self.deferred:
            self.flush()

    def flush(self) -> None:
        if not self._dirty or self._data is None:
            return
        if self._readonly:
            raise StoreError(f"{self.path}: store opened read-only")
        if self._guard is not None:
            self._guard(self.path)
        atomic_write(self.path, dump_bytes(self._data))
        self._signature = signature(self.path)
        self._seen = True
        self._missing = False
        self._dirty = False

    @property
    def dirty(self) -> bool:
        return self._dirty

    def assume_read(self, taken: Signature) -> None:
        """Judge later changes against `taken`, as if the file had been read here with that
        signature: its content came from a copy of it (the columns cache). Without this a
        process never noticed another's writes to a segment it had from the cache."""
        if not self.cached:
            self._signature, self._seen = taken, True

    @property
    def signature(self) -> Signature:
        """The file's signature when the cached content was read or written."""
        return self._signature

    @property
    def cached(self) -> bool:
        """Whether anything (a content, or that the file is missing) is remembered."""
        return self._data is not None or self._missing

    def forget_if_stale(self) -> bool:
        """Drop the cache if another process replaced the file since it was last read or
        written here (even if that read was forgotten since); True if so."""
        if self._dirty or not self._seen or signature(self.path) == self._signature:
            return False
        self._data = None
        self._missing = False
        self._seen = False
        return True

    def discard(self) -> None:
        """Forget unflushed changes (after a failed batch) so memory matches the disk."""
        if self._dirty:
            self._data = None
            self._missing = False
            self._dirty = False

    def close(self) -> None:
        self._data = None
        self._missing = False
