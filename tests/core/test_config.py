"""feeds.toml validation: every mistake is one line naming file, line/key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.config import find_feeds_file, load_config
from briefing.core.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_feeds_file_is_valid_and_useful() -> None:
    settings, feeds = load_config(REPO / "feeds.toml")
    assert 10 <= len(feeds) <= 20
    assert all(f.url.startswith("https://") for f in feeds)
    tags = {t for f in feeds for t in f.tags}
    assert {"world", "turkey", "russia", "defence", "energy"} <= tags
    assert settings.concurrency >= 1


def test_settings_and_feed_overrides(tmp_path: Path) -> None:
    (tmp_path / "local.xml").write_text("<rss/>")
    path = write(tmp_path, """
[settings]
concurrency = 3
timeout = 2.5

[[feeds]]
name = "Local"
url = "local.xml"
tags = ["turkey", "energy"]
full_text = true
timeout = 4
""")
    settings, feeds = load_config(path)
    assert settings.concurrency == 3 and settings.timeout == 2.5
    feed = feeds[0]
    assert feed.url == (tmp_path / "local.xml").resolve().as_uri()
    assert feed.tags == ("turkey", "energy") and feed.full_text and feed.timeout == 4.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[settings]\nconcurency = 3\n", r"feeds.toml:2: unknown setting 'concurency'; known settings"),
        ("[settings]\ntimeout = \"fast\"\n", r"feeds.toml:2: settings.timeout must be a number"),
        ("[settings]\nconcurrency = 0\n", r"settings.concurrency = 0 is out of range"),
        ('[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\ncolour = "red"\n',
         r"feeds.toml:4: feeds\[1\] has unknown key 'colour'"),
        ('[[feeds]]\nname = "A"\nurl = "ftp://a.example/rss"\n',
         r"feeds.toml:3: feeds\[1\] url 'ftp://a.example/rss' is not http\(s\)"),
        ('[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\n'
         '[[feeds]]\nname = "B"\nurl = "https://a.example/rss"\n',
         r"feeds\[2\] 'B' repeats the url of 'A'; remove one of them"),
        ('[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\ntags = "turkey"\n',
         r"feeds\[1\].tags must be a list of strings"),
        ('[[feeds]]\nurl = "https://a.example/rss"\n', r"feeds\[1\] needs a non-empty string 'name'"),
        ("[[feeds]\n", r"not valid TOML"),
        ("colour = 1\n", r"unknown top-level key 'colour'"),
    ],
)
def test_mistakes_are_one_line_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=expected) as info:
        load_config(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


def test_user_file_takes_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_feeds_file() == REPO / "feeds.toml"
    config = tmp_path / "config" / "briefing"
    config.mkdir(parents=True)
    (config / "feeds.toml").write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert find_feeds_file() == config / "feeds.toml"
    explicit = write(tmp_path, "")
    assert find_feeds_file(explicit) == explicit
    with pytest.raises(ConfigError, match="no such feeds file"):
        find_feeds_file(tmp_path / "missing.toml")


def test_xdg_locations_agree_with_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    from platformdirs import user_config_path, user_data_path

    from briefing.core.paths import config_home, data_home

    if not sys.platform.startswith("linux"):
        pytest.skip("the shortcut applies on Linux only")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    assert data_home() == user_data_path("briefing", appauthor=False) == tmp_path / "d" / "briefing"
    assert config_home() == user_config_path("briefing", appauthor=False) == tmp_path / "c" / "briefing"
    monkeypatch.setenv("BRIEFING_HOME", str(tmp_path / "h"))
    assert data_home() == tmp_path / "h"
    assert data_home(str(tmp_path / "x")) == tmp_path / "x"


def test_a_bad_feed_entry_is_skipped_with_its_line_and_the_others_kept(tmp_path: Path) -> None:
    path = write(tmp_path, """
[settings]
concurrency = 2

[[feeds]]
name = "Good"
url = "https://good.example/rss"

[[feeds]]
name = "Typo"
url = "https://typo.example/rss"
colour = "red"

[[feeds]]
name = "Also good"
url = "https://also.example/rss"
""")
    problems: list[str] = []
    settings, feeds = load_config(path, problems)
    assert [f.name for f in feeds] == ["Good", "Also good"] and settings.concurrency == 2
    assert len(problems) == 1 and f"{path}:12" in problems[0] and "'colour'" in problems[0]
    assert "skipped" in problems[0]
    with pytest.raises(ConfigError):  # strict without a list for problems
        load_config(path)


def test_a_bad_setting_still_stops_everything(tmp_path: Path) -> None:
    path = write(tmp_path, '[settings]\nconcurency = 3\n\n[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\n')
    with pytest.raises(ConfigError, match="unknown setting"):
        load_config(path, [])
