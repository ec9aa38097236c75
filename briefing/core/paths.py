"""Every location briefing reads or writes, in one place.

The data home is XDG's user data dir unless `--home` or BRIEFING_HOME says otherwise;
tests always point it at a temporary directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "briefing"


def data_home(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding the store and the reader's state."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("BRIEFING_HOME")
    if env:
        return Path(env).expanduser()
    if (xdg := _xdg("XDG_DATA_HOME")) is not None:
        return xdg / APP
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def _xdg(variable: str) -> Path | None:
    """On Linux an absolute $XDG_* is what platformdirs would answer; reading it directly
    keeps platformdirs' import off the reader's start-up."""
    value = os.environ.get(variable, "")
    if sys.platform.startswith("linux") and value and os.path.isabs(value):
        return Path(value)
    return None


def config_home() -> Path:
    """Where the user's own feeds.toml and config.toml live."""
    env = os.environ.get("BRIEFING_CONFIG_HOME")
    if env:
        return Path(env).expanduser()
    if (xdg := _xdg("XDG_CONFIG_HOME")) is not None:
        return xdg / APP
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def store_dir(home: Path) -> Path:
    return home / "store"


def bundled_feeds_toml() -> Path:
    """The default feeds.toml: inside the package in a wheel, at the repo top otherwise."""
    packaged = Path(__file__).resolve().parents[1] / "feeds.toml"
    return packaged if packaged.is_file() else Path(__file__).resolve().parents[2] / "feeds.toml"


def samples_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "samples"


def log_dir() -> Path:
    """Where crash logs go: $XDG_STATE_HOME/briefing/log or the platform's user log dir."""
    env = os.environ.get("BRIEFING_LOG_DIR")
    if env:
        return Path(env).expanduser()
    if (xdg := _xdg("XDG_STATE_HOME")) is not None:
        return xdg / APP / "log"
    from platformdirs import user_log_path

    return user_log_path(APP, appauthor=False)
