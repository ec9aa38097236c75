"""OPML: parsing, tags from folders and categories, round trip, hostile files, the CLI."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.core.config import load_config
from briefing.core.feeds.opml import OpmlError, export_opml, import_opml, parse_opml, plan_import
from briefing.core.models.feeds import Feed
from briefing.core.paths import bundled_feeds_toml

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="World">
      <outline text="Europe">
        <outline type="rss" text="DW" title="DW News" xmlUrl="https://rss.dw.com/rdf/rss-en-all"/>
      </outline>
      <outline type="rss" text="Al Jazeera" xmlUrl="https://www.aljazeera.com/xml/rss/all.xml"
               category="/middle-east,world"/>
    </outline>
    <outline type="rss" text="Loose feed" xmlUrl="http://example.org/feed.xml"/>
    <outline type="rss" text="Local file" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
  </body>
</opml>"""


def test_folders_and_categories_become_tags() -> None:
    feeds = {f.name: f for f in parse_opml(OPML)}
    assert feeds["DW News"].tags == ("World", "Europe")
    assert feeds["Al Jazeera"].tags == ("World", "middle-east", "world")
    assert feeds["Loose feed"].tags == ()
    assert feeds["Local file"].url == "file:///etc/passwd"  # parsed; refused later, with a reason


def test_plan_refuses_non_http_and_reports_duplicates_by_url() -> None:
    existing = [Feed("Deutsche Welle", "https://RSS.DW.com/rdf/rss-en-all")]
    report = plan_import(parse_opml(OPML), existing)
    assert [f.name for f in report.added] == ["Al Jazeera", "Loose feed"]
    assert [(i.name, name) for i, name in report.duplicates] == [("DW News", "Deutsche Welle")]
    refused = {i.name: reason for i, reason in report.refused}
    assert set(refused) == {"Local file", "Script"}
    assert "http(s)" in refused["Local file"] and "file:" in refused["Local file"]
    assert "javascript:" in refused["Script"]


def test_round_trip_keeps_names_urls_and_tags() -> None:
    feeds = [
        Feed("BBC World", "https://feeds.bbci.co.uk/news/world/rss.xml", ("world",)),
        Feed("Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml", ("world", "middle-east")),
        Feed("Duvar & \"friends\" <b>", "https://www.duvarenglish.com/rss", ("turkey", "world")),
        Feed("No tags", "http://example.org/rss"),
        Feed("Local", "file:///tmp/feed.xml", ("local",)),
    ]
    data, skipped = export_opml(feeds)
    assert [f.name for f in skipped] == ["Local"]
    back = plan_import(parse_opml(data), []).added
    assert [(f.name, f.url, f.tags) for f in back] == [(f.name, f.url, f.tags) for f in feeds[:4]]


@pytest.mark.parametrize(
    "hostile",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<opml><body><outline text="&lol2;" xmlUrl="http://a.example/"/></body></opml>',
        # XXE
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<opml><body><outline text="&xxe;" xmlUrl="http://a.example/"/></body></opml>',
        # a DOCTYPE hidden from a byte scan by UTF-16
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE opml [<!ENTITY e "x">]>'
        '<opml><body><outline text="&e;" xmlUrl="http://a.example/"/></body></opml>'.encode("utf-16"),
        # whitespace and case games
        b'<?xml version="1.0"?><!  doctype opml SYSTEM "http://evil.example/x.dtd"><opml/>',
    ],
)
def test_declarations_are_refused_before_parsing(hostile: bytes) -> None:
    with pytest.raises(OpmlError, match="DOCTYPE or ENTITY|not well-formed"):
        parse_opml(hostile)


def test_broken_or_foreign_files_are_refused_with_a_reason() -> None:
    with pytest.raises(OpmlError, match="not well-formed"):
        parse_opml(b"<opml><body><outline")
    with pytest.raises(OpmlError, match="not <opml>"):
        parse_opml(b"<rss><channel/></rss>")
    with pytest.raises(OpmlError, match="no <body>"):
        parse_opml(b"<opml><head/></opml>")
    deep = b"<opml><body>" + b'<outline text="x">' * 40 + b"</outline>" * 40 + b"</body></opml>"
    with pytest.raises(OpmlError, match="nested deeper"):
        parse_opml(deep)


def test_hostile_names_become_valid_toml(tmp_path: Path) -> None:
    opml = (
        b'<opml><body><outline text="Evil&#10;[[feeds]]&#10;name = &quot;x&quot; \\ &#x202E;gnp.exe"'
        b' xmlUrl="https://evil.example/rss" category="a&quot;b,c\\d"/></body></opml>'
    )
    target = tmp_path / "feeds.toml"
    target.write_text('[[feeds]]\nname = "Mine"\nurl = "https://mine.example/rss"\n')
    report = import_opml(opml, target, bundled=bundled_feeds_toml())
    assert len(report.added) == 1
    _, feeds = load_config(target)
    assert [f.name for f in feeds][0] == "Mine" and len(feeds) == 2
    assert "\n" not in feeds[1].name and '= "x" \\' in feeds[1].name
    assert feeds[1].tags == ('a"b', "c\\d")


def test_cli_import_creates_user_file_from_bundled_and_keeps_its_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml_file = tmp_path / "subs.opml"
    opml_file.write_bytes(OPML)
    user = Path(os.environ["XDG_CONFIG_HOME"]) / "briefing" / "feeds.toml"
    assert not user.exists()
    assert main(["opml", "import", str(opml_file)]) == 1  # some feeds were refused
    out, err = capsys.readouterr()
    bundled = bundled_feeds_toml().read_text(encoding="utf-8")
    text = user.read_text(encoding="utf-8")
    assert text.startswith(bundled)  # nothing of the existing file was rewritten
    assert "added: Loose feed http://example.org/feed.xml" in out
    assert "refused: Local file" in err and "refused: Script" in err
    assert "duplicate: DW News is already subscribed as 'DW News'" in err  # the bundled list has DW
    tomllib.loads(text)
    # Importing again adds nothing and reports every http feed as a duplicate.
    assert main(["opml", "import", str(opml_file)]) == 1
    out, err = capsys.readouterr()
    assert "0 feed(s) added" in out and err.count("duplicate:") == 3
    assert user.read_text(encoding="utf-8") == text


def test_cli_refuses_hostile_file_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><opml/>')
    assert main(["opml", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DOCTYPE or ENTITY" in err
    assert not (Path(os.environ["XDG_CONFIG_HOME"]) / "briefing" / "feeds.toml").exists()


def test_cli_export_to_stdout_and_file_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds_toml = tmp_path / "feeds.toml"
    feeds_toml.write_text(
        '[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\ntags = ["x", "y"]\n'
        '[[feeds]]\nname = "B"\nurl = "https://b.example/rss"\n'
    )
    assert main(["--feeds", str(feeds_toml), "opml", "export"]) == 0
    stdout = capsys.readouterr().out
    assert stdout.startswith("<?xml") and 'xmlUrl="https://a.example/rss"' in stdout
    out_file = tmp_path / "out.opml"
    assert main(["--feeds", str(feeds_toml), "opml", "export", "-o", str(out_file)]) == 0
    back = parse_opml(out_file.read_bytes())
    assert [(f.name, f.url, f.tags) for f in back] == [
        ("A", "https://a.example/rss", ("x", "y")), ("B", "https://b.example/rss", ())]
