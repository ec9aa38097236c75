"""The CLI side of issue 13: `export` with no window, `list --topic` that matches
nothing, `show` by id prefix, `feeds` with unread and last success, and
`feeds import-newsboat`. Real stores in tmp_path, real exit codes.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.core.feeds.newsboat import read_urls
from briefing.core.models.article import Article
from briefing.core.models.feeds import FeedState
from briefing.core.store.store import Store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def article(title: str, *, days_ago: float = 400, feed: str = "wire") -> Article:
    """Published long ago (so "the last 24 hours" by publication finds nothing), stored now;
    tagged Ankara (a feed tag is a topic)."""
    return Article(id="", title=title, text=f"{title}. Officials in Ankara said so on Monday.",
                   source="Test Wire", feed=feed, link=f"https://wire.example/{abs(hash(title))}",
                   published=datetime.now(UTC) - timedelta(days=days_ago), tags=("Ankara",))


def store_with(home: Path, *titles: str) -> None:
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        store.add_articles([article(t) for t in titles])


# -- export with no arguments ------------------------------------------------------------


def test_export_defaults_to_what_is_new_since_the_last_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    store_with(home, "Old news stored today", "More old news stored today")
    code, out, err = run(capsys, "--home", str(home), "export")
    assert code == 0
    assert "Old news stored today" in out and "More old news stored today" in out
    assert "briefing: 2 stories, stored in the last 24 hours (no earlier export)" in err
    # The second export says which window it used, and finds nothing new.
    code, out, err = run(capsys, "--home", str(home), "export")
    assert code == 0 and "Old news" not in out
    assert "briefing: 0 stories, new since the last export (" in err
    store_with(home, "Fresh after the export")
    out_file = tmp_path / "brief.md"
    code, _, err = run(capsys, "--home", str(home), "export", "-o", str(out_file))
    text = out_file.read_text(encoding="utf-8")
    assert code == 0 and "Fresh after the export" in text and "Old news" not in text
    assert "new since the last export" in text  # the document says its window too
    assert f"wrote {out_file}" in err


def test_export_since_takes_a_date_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        store.add_articles([article("Ancient", days_ago=800), article("Recent-ish", days_ago=30)])
    since = (datetime.now(UTC) - timedelta(days=90)).strftime("%Y-%m-%d")
    code, out, err = run(capsys, "--home", str(home), "export", "--since", since)
    assert code == 0 and "Recent-ish" in out and "Ancient" not in out
    assert f"briefing: 1 story, published: since {since}" in err


def test_an_export_of_one_topic_is_not_the_last_export(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    store_with(home, "Ankara talks")
    with Store.open(home) as store:
        topic = store.topic_index().ranked(0.0)[0].name
    assert run(capsys, "--home", str(home), "export", "--topic", topic)[0] == 0
    _, _, err = run(capsys, "--home", str(home), "export")
    assert "no earlier export" in err  # only whole-store briefings move the window


# -- list, show, feeds -------------------------------------------------------------------


def test_list_with_an_unknown_topic_fails_with_suggestions(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    store_with(home, "Ankara talks")
    code, out, err = run(capsys, "--home", str(home), "list", "--topic", "nosuch")
    assert code == 1 and out == ""
    assert err.startswith("briefing: no topic matches 'nosuch'; ")
    assert "briefing topics" not in err  # no such command to point at
    code, _, err = run(capsys, "--home", str(home), "list", "--topic", "ankra")
    assert code == 1 and "did you mean 'Ankara'" in err


def test_show_takes_a_unique_id_prefix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    store_with(home, "Ankara talks", "Berlin talks")
    with Store.open(home) as store:
        ids = [m.id for m in store.articles()]
    code, out, _ = run(capsys, "--home", str(home), "show", ids[0][:6])
    assert code == 0 and out.splitlines()[0] in ("Ankara talks", "Berlin talks")
    code, _, err = run(capsys, "--home", str(home), "show", "")
    assert code == 1


def test_feeds_lists_unread_last_success_and_last_error_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feeds]]\nname = "Wire"\nurl = "https://wire.example/rss"\n', encoding="utf-8")
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        store.add_articles([article("One", feed="Wire"), article("Two", feed="Wire")])
        store.set_read([store.articles()[0].id])
        store.save_feed_states([FeedState("https://wire.example/rss",
                                          last_fetch=datetime(2019, 11, 20, 12, 0, tzinfo=UTC),
                                          last_success=datetime(2019, 11, 19, 8, 30, tzinfo=UTC),
                                          last_error="HTTP 503")])
    code, out, _ = run(capsys, "--home", str(home), "--feeds", str(feeds), "feeds")
    assert code == 0
    assert out == ("Wire\t1/2 unread\tfull text 2/2\tlast success 2019-11-19 08:30\t"
                   "last error 2019-11-20 12:00: HTTP 503\n")


# -- newsboat ------------------------------------------------------------------------------

URLS = r'''# my newsboat feeds
https://feeds.bbci.co.uk/news/world/rss.xml world "~BBC World" news
   https://www.aljazeera.com/xml/rss/all.xml "middle east" ! news
"https://meduza.io/rss/en/all" russia "~Meduza (English)"
"query:Unread Turkey:unread = \"yes\" and title =~ \"Turkey\""
exec:~/bin/make-feed.sh
"filter:~/bin/clean.sh:https://example.com/feed.xml" tech
https://feeds.bbci.co.uk/news/world/rss.xml europe
gopher://old.example.org/feed
https://unbalanced.example.com/feed "~Oops

https://www.theguardian.com/world/rss
'''


def test_read_urls_takes_tags_renames_and_skips_what_is_no_feed() -> None:
    listing = read_urls(URLS)
    assert [(f.name, f.url, f.tags) for f in listing.feeds] == [
        ("BBC World", "https://feeds.bbci.co.uk/news/world/rss.xml", ("world", "news", "europe")),
        ("", "https://www.aljazeera.com/xml/rss/all.xml", ("middle east", "news")),
        ("Meduza (English)", "https://meduza.io/rss/en/all", ("russia",)),
        ("", "gopher://old.example.org/feed", ()),
        ("", "https://www.theguardian.com/world/rss", ()),
    ]
    reasons = dict(listing.skipped)
    assert "query feed" in reasons["line 5: Unread Turkey"]
    assert "never runs one" in reasons["line 6: exec:~/bin/make-feed.sh"]
    assert "never runs one" in reasons["line 7: filter:~/bin/clean.sh:https://example.com/feed.xml"]
    assert "listed again" in reasons["line 8: https://feeds.bbci.co.uk/news/world/rss.xml"]
    assert "cannot be read" in reasons["line 10"]


def test_import_newsboat_writes_feeds_toml_as_opml_import_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "make-feed.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    script.chmod(0o755)
    urls = tmp_path / "urls"
    urls.write_text(URLS + f"exec:{script}\n\"filter:{script}:https://x.example/f\"\n", encoding="utf-8")
    target = tmp_path / "feeds.toml"
    target.write_text('# mine\n[[feeds]]\nname = "Guardian"\nurl = "https://www.theguardian.com/world/rss"\n',
                      encoding="utf-8")
    before = target.read_text(encoding="utf-8")
    code, out, err = run(capsys, "--feeds", str(target), "feeds", "import-newsboat", str(urls))
    assert code == 1  # gopher: refused
    assert not marker.exists()  # exec: and filter: programs are never run
    text = target.read_text(encoding="utf-8")
    assert text.startswith(before) and "# -- imported from newsboat urls on " in text
    data = tomllib.loads(text)
    assert [(f["name"], f.get("tags")) for f in data["feeds"]] == [
        ("Guardian", None),
        ("BBC World", ["world", "news", "europe"]),
        ("www.aljazeera.com", ["middle east", "news"]),
        ("Meduza (English)", ["russia"]),
    ]
    assert "added: BBC World https://feeds.bbci.co.uk/news/world/rss.xml [world, news, europe]" in out
    assert out.rstrip().endswith(f"3 feed(s) added to {target}, 1 duplicate(s), 1 refused, 7 line(s) skipped")
    assert "duplicate: https://www.theguardian.com/world/rss is already subscribed as 'Guardian'" in err
    assert "refused: gopher://old.example.org/feed (only http(s) feeds are imported" in err
    assert "skipped: line 6: exec:~/bin/make-feed.sh (an exec: feed runs a program" in err
    # Importing again adds nothing and leaves the file alone.
    assert run(capsys, "--feeds", str(target), "feeds", "import-newsboat", str(urls))[0] == 1
    assert target.read_text(encoding="utf-8") == text


def test_import_newsboat_reads_the_default_urls_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".newsboat").mkdir()
    (tmp_path / ".newsboat" / "urls").write_text("https://news.example.org/rss russia\n", encoding="utf-8")
    target = tmp_path / "feeds.toml"
    code, out, _ = run(capsys, "--feeds", str(target), "feeds", "import-newsboat")
    assert code == 0 and "added: news.example.org https://news.example.org/rss [russia]" in out
    assert "[[feeds]]" in target.read_text(encoding="utf-8")  # created from the bundled list
    code, _, err = run(capsys, "--feeds", str(target), "feeds", "import-newsboat", str(tmp_path / "none"))
    assert code == 1 and "cannot read" in err
