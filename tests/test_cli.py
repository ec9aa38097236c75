"""The CLI end to end: real store in tmp_path, real HTTP on 127.0.0.1, real exit codes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from briefing.cli import main
from tests.conftest import shared_path
from tests.httpserver import FeedServer, RequestHandler

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback Wire</title><link>http://127.0.0.1/</link>
<item><title>Erdoğan meets Putin in Sochi</title><link>http://127.0.0.1/a?utm_source=rss</link>
<guid>loop-a</guid><pubDate>Tue, 22 Oct 2019 18:00:00 GMT</pubDate>
<description>&lt;p&gt;Turkish President Recep Tayyip Erdoğan met Russian President Vladimir Putin
in Sochi on Tuesday.&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;</description></item>
<item><title>[bold]Markup[/bold] title</title><link>http://127.0.0.1/b</link><guid>loop-b</guid>
<pubDate>Wed, 23 Oct 2019 09:00:00 GMT</pubDate><description>Plain body.</description></item>
</channel></rss>"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def feeds_file(tmp_path: Path, server: FeedServer) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(f"""
[settings]
timeout = 2
deadline = 5

[[feeds]]
name = "Loopback"
url = "{server.url('/feed.xml')}"
tags = ["loopback"]

[[feeds]]
name = "Missing"
url = "{server.url('/missing.xml')}"
""")
    return path


def test_fetch_stores_then_not_modified_and_reports_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(tmp_path / "home")
    with FeedServer() as server:
        def conditional(handler: RequestHandler) -> None:
            if handler.headers.get("If-None-Match") == '"v1"':
                handler.send(304)
            else:
                handler.send(200, RSS.encode(), {"Content-Type": "application/rss+xml", "ETag": '"v1"'})

        server.handle("/feed.xml", conditional)
        server.reply("/missing.xml", status=404, body=b"nope")
        feeds = str(feeds_file(tmp_path, server))

        code, out, err = run(capsys, "fetch", "--home", home, "--feeds", feeds)
        assert code == 1
        assert "Loopback: 2 new" in out
        assert err.strip().startswith("Missing: ") and "404" in err
        assert "Traceback" not in err

        code, out, _ = run(capsys, "fetch", "--home", home, "--feeds", feeds)
        assert "Loopback: not modified" in out
        assert server.hits("/feed.xml")[-1].headers.get("if-none-match") == '"v1"'

        code, out, _ = run(capsys, "list", "--home", home, "--json", "--topic", "loopback")
    articles = orjson.loads(out)
    assert code == 0
    assert {a["title"] for a in articles} == {"Erdoğan meets Putin in Sochi", "[bold]Markup[/bold] title"}
    for a in articles:
        assert set(a) >= {"id", "title", "source", "feed", "link", "published", "topics", "read", "starred"}
        assert a["feed"] == "Loopback" and a["source"] == "Loopback Wire"
        assert a["published"].startswith("2019-10-2")
    sochi = next(a for a in articles if a["title"].startswith("Erdoğan"))
    code, out, _ = run(capsys, "show", sochi["id"], "--home", home, "--json")
    shown = orjson.loads(out)
    assert "evil" not in shown["text"] and "Sochi on Tuesday" in shown["text"]


def test_first_run_loads_the_samples_with_the_seed_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list", "--home", str(tmp_path), "--json")
    articles = orjson.loads(out)
    assert code == 0
    assert len(articles) >= 26
    titles = {a["title"] for a in articles}
    assert "Putin planning visit to Turkey in January: Erdoğan aide" in titles
    assert all(a["sample"] for a in articles)
    assert any(a["feed"] not in ("import", None) for a in articles), "the bundled feeds are loaded too"


def test_import_reports_bad_files_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("A good story\n\nWith a body.\n")
    (docs / "bad.json").write_text("{broken")
    code, out, err = run(capsys, "import", "--home", str(tmp_path / "home"), str(docs))
    assert code == 1
    assert "imported 1 new article(s)" in out
    assert err.count("\n") == 1 and "bad.json: not valid JSON" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["facts", "--published", "16/11/2019", "x.txt"])
    assert info.value.code == 2
    assert "is not a date like 2019-11-16" in capsys.readouterr().err


def test_show_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "nope", "--home", str(tmp_path))
    assert code == 1 and err == "briefing: no article with id 'nope'; see `briefing list`\n"


def test_facts_json_on_the_seed(capsys: pytest.CaptureFixture[str]) -> None:
    seed = shared_path("seed", "putin-turkey.txt")
    code, out, _ = run(capsys, "facts", "--json", "--published", "2019-11-16", str(seed))
    data = orjson.loads(out)
    assert code == 0
    assert data["title"] == "Putin planning visit to Turkey in January: Erdoğan aide"
    assert data["published"] == "2019-11-16"
    assert set(data) >= {"entities", "dates", "quantities", "quotes", "key_sentences", "topics"}
    names = {e["name"] for e in data["entities"]}
    assert "Vladimir Putin" in names


def test_facts_jsonl_for_several_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Gas talks\n\nMarch 3, 2021\n\nEnergy ministers met in Baku on Monday.\n")
    b = tmp_path / "b.txt"
    b.write_text("Budget\n\nThe budget grew 5% to $2 billion.\n")
    code, out, _ = run(capsys, "facts", "--json", str(a), str(b))
    lines = [orjson.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [x["path"] for x in lines] == [str(a), str(b)]
    assert lines[0]["published"] == "2021-03-03"


def test_global_options_work_before_and_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "a.txt"
    docs.write_text("Placement story\n\nBody.\n")
    home = tmp_path / "home"
    assert main(["--home", str(home), "import", str(docs)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "list", "--home", str(home), "--json")
    assert "Placement story" in {a["title"] for a in orjson.loads(out)}
    missing = str(tmp_path / "nope.toml")
    for argv in (["--feeds", missing, "fetch"], ["fetch", "--feeds", missing]):
        code, _, err = run(capsys, "--home", str(home), *argv)
        assert code == 2 and "no such feeds file" in err  # a configuration error


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {"home": None, "feeds": None}),
        (["--home", "/h"], {"home": "/h", "feeds": None}),
        (["--feeds=/f.toml", "--home=/h"], {"home": "/h", "feeds": "/f.toml"}),
        (["--home"], None),
        (["--home", "--feeds"], None),
        (["list"], None),
        (["--version"], None),
    ],
)
def test_the_reader_fast_path_takes_only_its_own_options(
    argv: list[str], expected: dict[str, str | None] | None
) -> None:
    from briefing.cli import _reader_options

    assert _reader_options(argv) == expected


def test_missing_option_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--home"])
    assert info.value.code == 2
    assert "expected one argument" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_and_a_log_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefing import commands

    def broken(args: object) -> int:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setenv("BRIEFING_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(commands, "cmd_list", broken)  # a fault injected into one command
    assert main(["--home", str(tmp_path / "home"), "list"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unexpected error (RuntimeError)" in err
    (log,) = (tmp_path / "logs").glob("crash-*.log")
    assert str(log) in err
    assert "a bug deep inside" in log.read_text() and "Traceback" in log.read_text()


def test_fetch_skips_a_bad_feed_entry_fetches_the_rest_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "local.xml"
    local.write_text("<rss version='2.0'><channel><title>L</title><item><title>Local story</title>"
                     "<link>http://127.0.0.1/l/1</link><description>Officials met.</description></item>"
                     "</channel></rss>", encoding="utf-8")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[settings]\nrefresh_minutes = 0\n\n[[feeds]]\nname = "Local"\nurl = "{local}"\n\n'
                     '[[feeds]]\nname = "Typo"\nurl = "https://typo.example/rss"\ncolour = "red"\n',
                     encoding="utf-8")
    home = str(tmp_path / "home")
    assert main(["--home", home, "--feeds", str(feeds), "fetch"]) == 1
    out, err = capsys.readouterr()
    assert "Local: 1 new" in out and "feeds.toml:11" in err and "'colour'" in err
    assert main(["--home", home, "--feeds", str(tmp_path / "none.toml"), "fetch"]) == 2


def test_help_says_where_the_files_live_and_the_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFING_CONFIG_HOME", str(tmp_path / "conf"))
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert str(tmp_path / "conf" / "feeds.toml") in out and str(tmp_path / "conf" / "watch.toml") in out
    assert "BRIEFING_HOME" in out and "exit codes" in out and "3 the store is busy" in out
    assert "143 terminated (SIGTERM)" in out


# -- full text: backfill, what the JSON says, offline ------------------------------------------

PAGE = ("<html><head><title>Gas</title></head><body><nav>Home</nav><article><h1>Gas corridor expands</h1>"
        + "".join(f"<p>Paragraph {i}: energy ministers from Azerbaijan, Georgia and Turkey met in Baku to "
                  "agree the next phase of the Southern Gas Corridor, officials said.</p>" for i in range(8))
        + "</article></body></html>").encode()


def summary_feed(server: FeedServer, names: list[str], dated: str = "Mon, 12 Jan 2026 14:00:00 GMT"
                 ) -> bytes:
    items = "".join(f"<item><title>{n}</title><link>{server.url('/p/' + n)}</link><guid>{n}</guid>"
                    f"<pubDate>{dated}</pubDate>"
                    f"<description>Ministers met in Baku ({n}).</description></item>" for n in names)
    return f"<rss version='2.0'><channel><title>Summaries</title>{items}</channel></rss>".encode()


def test_fetch_full_text_backfills_stored_summaries_and_they_read_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(tmp_path / "home")
    with FeedServer() as server:
        server.reply("/p/good", body=PAGE, headers={"Content-Type": "text/html"})
        server.reply("/p/gone", status=404)
        server.reply("/p/never", body=PAGE, headers={"Content-Type": "text/html"})
        server.reply("/a.xml", body=summary_feed(server, ["good", "gone"]))
        server.reply("/b.xml", body=summary_feed(server, ["never"]))
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[settings]\ntimeout = 2\ndeadline = 5\nfull_text_gap = 0\n'
                         f'[[feeds]]\nname = "A"\nurl = "{server.url("/a.xml")}"\n'
                         f'[[feeds]]\nname = "B"\nurl = "{server.url("/b.xml")}"\nfull_text = false\n')
        common = ["--home", home, "--feeds", str(feeds)]
        code, _, _ = run(capsys, "fetch", *common)  # the default (false): no page is fetched
        assert code == 0 and not server.hits("/p/good")
        code, out, _ = run(capsys, "list", *common, "--json")
        assert {a["title"]: a["text_kind"] for a in orjson.loads(out) if a["feed"] in "AB"} == {
            "good": "summary", "gone": "summary", "never": "summary"}

        code, out, err = run(capsys, "fetch", *common, "--full-text", "--progress", "json")
        assert code == 1  # a page failed
        events = [orjson.loads(line) for line in out.splitlines()]
        assert [(e["pages"], e["pages_total"]) for e in events if e["event"] == "full_text"][-1] == (2, 2)
        assert any(e["event"] == "enriched" for e in events)
        assert err.count("\n") == 1 and "gone: HTTP 404 Not Found" in err
        assert not server.hits("/p/never")  # its feed says full_text = false
        code, out, _ = run(capsys, "fetch", *common, "--full-text")
        assert code == 1 and "full text stored for 0 of 1 summary-only article(s), 1 failed" in out
        assert len(server.hits("/p/good")) == 1

    # The network is gone: everything is read from the store.
    code, out, _ = run(capsys, "list", *common, "--json")
    listed = {a["title"]: a for a in orjson.loads(out)}
    assert listed["good"]["text_kind"] == "full" and listed["gone"]["text_kind"] == "summary"
    code, out, _ = run(capsys, "show", *common, listed["good"]["id"], "--json")
    shown = orjson.loads(out)
    assert code == 0 and "Paragraph 7: energy ministers" in shown["text"]
    assert shown["text_kind"] == "full" and shown["lede"] == "Ministers met in Baku (good)."
    assert shown["page"]["host"] == "127.0.0.1" and shown["page"]["failures"] == 0
    assert shown["facts"] is not None and listed["good"]["facts_pending"] is False
    code, out, _ = run(capsys, "show", *common, listed["gone"]["id"])
    assert "summary only · the page failed: HTTP 404 Not Found" in out
    code, out, _ = run(capsys, "show", *common, listed["good"]["id"])
    assert "full text · fetched " in out and " from 127.0.0.1" in out
    code, out, _ = run(capsys, "feeds", *common)
    assert "A\t2/2 unread\tfull text 1/2" in out and "B\t1/1 unread\tfull text 0/1" in out


def test_fetch_full_text_since_leaves_older_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    home = str(tmp_path / "home")
    with FeedServer() as server:
        server.reply("/p/new", body=PAGE, headers={"Content-Type": "text/html"})
        server.reply("/p/old", body=PAGE, headers={"Content-Type": "text/html"})
        recent = format_datetime(datetime.now(UTC) - timedelta(days=1))
        server.reply("/new.xml", body=summary_feed(server, ["new"], recent))
        server.reply("/old.xml", body=summary_feed(server, ["old"], "Tue, 22 Oct 2019 18:00:00 GMT"))
        feeds = tmp_path / "feeds.toml"
        feeds.write_text('[settings]\nfull_text_gap = 0\n'
                         f'[[feeds]]\nname = "N"\nurl = "{server.url("/new.xml")}"\n'
                         f'[[feeds]]\nname = "O"\nurl = "{server.url("/old.xml")}"\n')
        common = ["--home", home, "--feeds", str(feeds)]
        assert run(capsys, "fetch", *common)[0] == 0
        code, out, _ = run(capsys, "fetch", *common, "--full-text", "--since", "7d")
        assert code == 0 and "full text stored for 1 of 1 summary-only article(s), 0 failed" in out
        assert server.hits("/p/new") and not server.hits("/p/old")
        code, _, err = run(capsys, "fetch", *common, "--since", "7d")
        assert code == 2 and "--since goes with --full-text" in err


def test_a_command_gives_sigterm_back_as_it_found_it(tmp_path: Path) -> None:
    """A command turns SIGTERM into a clean stop while it runs (tests/hostile/test_kill.py
    checks the stop); a caller running commands in-process keeps its own handler after."""
    import signal

    def mine(signum: int, frame: object) -> None:
        raise AssertionError("not called")

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        assert main(["--home", str(tmp_path / "home"), "list", "--limit", "1"]) == 0
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, previous)
