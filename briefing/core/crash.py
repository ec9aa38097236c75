"""What an unexpected error leaves behind: its traceback in a log file, one line on screen.

A bug must never show the analyst a traceback, nor lose it for whoever fixes it; both
the CLI and the reader write it here and print where it went.
"""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

from briefing import __version__


def write_crash_log(error: BaseException) -> Path | None:
    """The traceback in a new file of the log directory; None if it cannot be written."""
    from briefing.core.paths import log_dir

    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        text = "".join(traceback.format_exception(error))
        path.write_text(f"briefing {__version__}\n{text}", encoding="utf-8")
    except OSError:
        return None
    return path


def crash_line(error: BaseException, path: Path | None) -> str:
    """The one line the user sees."""
    where = f"; the details are in {path}" if path else ""
    return f"briefing: unexpected error ({type(error).__name__}){where}. Please report it."
