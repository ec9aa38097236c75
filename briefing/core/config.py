"""feeds.toml -> Settings and Feeds, strictly: unknown keys and bad values are errors.

Which file is read:

    | file                                    | read when                          |
    |-----------------------------------------|------------------------------------|
    | `--feeds PATH` (any command)            | given                              |
    | `$XDG_CONFIG_HOME/briefing/feeds.toml`  | it exists                          |
    | the repo's / package's `feeds.toml`     | otherwise (the bundled defaults)   |

Every error names the file, the line or key, and what to do; none is a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefing.core.errors import ConfigError
from briefing.core.models.feeds import Feed, FullTextMode, Settings

_SETTINGS_TYPES: dict[str, tuple[type, ...]] = {
    "refresh_minutes": (int,),
    "concurrency": (int,),
    "timeout": (int, float),
    "deadline": (int, float),
    "max_bytes": (int,),
    "max_redirects": (int,),
    "lock_wait": (int, float),
    "keep_days": (int,),
    "full_text_budget": (int,),
    "full_text_gap": (int, float),
}
_FEED_KEYS = {"name", "url", "tags", "full_text", "timeout", "max_bytes", "keep_days"}
_LIMITS: dict[str, tuple[float, float]] = {
    "refresh_minutes": (0, 24 * 60),
    "concurrency": (1, 64),
    "timeout": (0.1, 600),
    "deadline": (0.5, 3600),
    "max_bytes": (1024, 1024**3),
    "max_redirects": (0, 20),
    "lock_wait": (0, 3600),
    "keep_days": (0, 36500),
    "full_text_budget": (0, 100_000),
    "full_text_gap": (0, 60),
}
_FULL_TEXT_HELP = 'true, false or "auto" (fetch the pages of articles whose feed gives a summary)'


def _full_text_mode(value: object) -> FullTextMode | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    return None


def find_feeds_file(explicit: str | Path | None = None) -> Path:
    from briefing.core.paths import bundled_feeds_toml, config_home

    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"{path}: no such feeds file; check the --feeds path")
        return path
    user = config_home() / "feeds.toml"
    if user.is_file():
        return user
    return bundled_feeds_toml()


def _line_of(text: str, pattern: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern in line:
            return number
    return None


def _where(path: Path, text: str, needle: str) -> str:
    line = _line_of(text, needle)
    return f"{path}:{line}" if line else str(path)


def load_config(path: Path, problems: list[str] | None = None) -> tuple[Settings, list[Feed]]:
    """Read and validate a feeds file.

    With `problems`, a bad `[[feeds]]` entry is reported there (one line naming file, line
    and key) and skipped, so one typo does not stop every other feed; anything else wrong
    (the file, the TOML, `[settings]`) still raises: nothing is fetched with a wrong setting.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc}); check the file exists and is UTF-8") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return parse_config(data, path, text, problems)


def parse_config(
    data: dict[str, Any], path: Path, text: str = "", problems: list[str] | None = None
) -> tuple[Settings, list[Feed]]:
    unknown = set(data) - {"settings", "feeds"}
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(
            f"{_where(path, text, key)}: unknown top-level key '{key}'; "
            "expected only [settings] and [[feeds]]"
        )
    settings = _parse_settings(data.get("settings", {}), path, text)
    raw_feeds = data.get("feeds", [])
    if not isinstance(raw_feeds, list):
        raise ConfigError(f"{path}: 'feeds' must be an array of tables, written [[feeds]]")
    feeds: list[Feed] = []
    seen_urls: dict[str, str] = {}
    seen_names: set[str] = set()
    for i, raw in enumerate(raw_feeds, start=1):
        try:
            feed = _parse_feed(raw, i, path, text)
            if feed.url in seen_urls:
                raise ConfigError(
                    f"{_where(path, text, feed.url)}: feeds[{i}] '{feed.name}' repeats the url of "
                    f"'{seen_urls[feed.url]}'; remove one of them"
                )
            if feed.name in seen_names:
                raise ConfigError(
                    f"{_where(path, text, feed.name)}: feeds[{i}] repeats the name '{feed.name}'; "
                    "names must be unique"
                )
        except ConfigError as exc:
            if problems is None:
                raise
            problems.append(f"{exc} (this feed is skipped)")
            continue
        seen_urls[feed.url] = feed.name
        seen_names.add(feed.name)
        feeds.append(feed)
    return settings, feeds


def _parse_settings(raw: object, path: Path, text: str) -> Settings:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [settings] must be a table")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "full_text":
            mode = _full_text_mode(value)
            if mode is None:
                raise ConfigError(f"{_where(path, text, key)}: settings.full_text must be {_FULL_TEXT_HELP}")
            values[key] = mode
            continue
        if key not in _SETTINGS_TYPES:
            known = ", ".join(f.name for f in fields(Settings))
            raise ConfigError(
                f"{_where(path, text, key)}: unknown setting '{key}'; known settings: {known}"
            )
        types = _SETTINGS_TYPES[key]
        if isinstance(value, bool) or not isinstance(value, types):
            raise ConfigError(
                f"{_where(path, text, key)}: settings.{key} must be a "
                f"{'number' if float in types else 'whole number'}, not {type(value).__name__}"
            )
        low, high = _LIMITS[key]
        assert isinstance(value, int | float)
        if not low <= value <= high:
            raise ConfigError(
                f"{_where(path, text, key)}: settings.{key} = {value} is out of range "
                f"({low} to {high})"
            )
        values[key] = float(value) if float in types else value
    return Settings(**values)


def normalise_feed_url(url: str, base: Path) -> str | None:
    """http(s) URLs as they are; `file:` URLs and paths as absolute file URLs."""
    if re.match(r"^https?://", url, re.I):
        parts = urlsplit(url)
        return url if parts.hostname else None
    if url.lower().startswith("file:"):
        parts = urlsplit(url)
        candidate = Path(parts.path)
    elif "://" in url or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return None  # another scheme (ftp:, javascript:, ...)
    else:
        candidate = Path(url).expanduser()
    if not candidate.is_absolute():
        candidate = (base / candidate).resolve()
    return candidate.as_uri()


def _parse_feed(raw: object, i: int, path: Path, text: str) -> Feed:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: feeds[{i}] must be a table")
    label = raw.get("name") or raw.get("url") or f"feeds[{i}]"
    where = _where(path, text, str(label))
    unknown = set(raw) - _FEED_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(
            f"{_where(path, text, key)}: feeds[{i}] has unknown key '{key}'; "
            f"allowed: {', '.join(sorted(_FEED_KEYS))}"
        )
    for key in ("name", "url"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{where}: feeds[{i}] needs a non-empty string '{key}'")
    url = normalise_feed_url(raw["url"].strip(), path.parent)
    if url is None:
        raise ConfigError(
            f"{_where(path, text, raw['url'])}: feeds[{i}] url '{raw['url']}' is not http(s), "
            "a file: URL or a path"
        )
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"{where}: feeds[{i}].tags must be a list of strings, e.g. [\"turkey\"]")
    full_text = _full_text_mode(raw["full_text"]) if "full_text" in raw else None
    if "full_text" in raw and full_text is None:
        raise ConfigError(f"{where}: feeds[{i}].full_text must be {_FULL_TEXT_HELP}")
    timeout = raw.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)):
        raise ConfigError(f"{where}: feeds[{i}].timeout must be a number of seconds")
    max_bytes = raw.get("max_bytes")
    if max_bytes is not None and (isinstance(max_bytes, bool) or not isinstance(max_bytes, int)):
        raise ConfigError(f"{where}: feeds[{i}].max_bytes must be a whole number")
    keep_days = raw.get("keep_days")
    if keep_days is not None and (isinstance(keep_days, bool) or not isinstance(keep_days, int)
                                  or not 0 <= keep_days <= 36500):
        raise ConfigError(f"{where}: feeds[{i}].keep_days must be a whole number of days (0: keep all)")
    return Feed(
        name=raw["name"].strip(),
        url=url,
        tags=tuple(t.strip() for t in tags if t.strip()),
        full_text=full_text,
        timeout=float(timeout) if timeout is not None else None,
        max_bytes=max_bytes,
        keep_days=keep_days,
    )
