"""OPML: parsing, tags from folders and categories, round trip, hostile files, the CLI."""

from __future__ import annotations

import os
import random
import re
import time
import tomllib
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.core.config import load_config
from briefing.core.feeds.opml import OpmlError, export_opml, import_opml, parse_opml, plan_import, read_opml
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


# -- lists from the wild: each fault alone and combined (fixtures/opml/) ----------------------

FIXTURES = Path(__file__).parent / "fixtures" / "opml"

Expected = tuple[list[tuple[str, str, tuple[str, ...]]], list[str]]
WILD: dict[str, Expected] = {
    "bare-ampersands.opml": (
        [("News & Headlines", "https://portal.example.org/index.php?page=backend&lang=en", ()),
         ("Lab Notes", "http://lab.example.net/feed?format=rss&cat=3&sort=new", ("Science & Tech",)),
         ("Q&A Weekly", "https://qa.example.com/rss?tag=c&c++", ("Science & Tech",))],
        ["bare '&'"]),
    "html-entities.opml": (
        [("Le Quotidien — À la une", "https://quotidien.example.fr/rss/une.xml", ("Économie",)),
         ("Marchés & Bourse", "https://quotidien.example.fr/rss/marches.xml", ("Économie",)),
         ("Editor’s Picks © Wire &bogus; édition \ufffd", "https://wire.example.com/picks.rss", ())],
        ["HTML entities", "unknown entities", "character references to no character"]),
    "lt-in-attributes.opml": (
        [("Rates <2% watch", "https://rates.example.com/feed.xml", ()),
         ("<i>Quiet</i> Corner", "https://quiet.example.org/index.xml", ())],
        ["'<' inside attribute values", "unescaped '<' in text"]),
    "latin1-declared-utf8.opml": (
        [("Zürcher Wirtschaft", "https://wirtschaft.example.ch/rss", ("Économie",)),
         ("Le Soir – À la une", "https://soir.example.be/une.rss", ("Économie",))],
        ["declares UTF-8 but is not; read as Windows-1252"]),
    "utf8-declared-latin1.opml": (
        [("Łódź Daily", "https://lodz.example.pl/rss.xml", ()),
         ("Ελληνικά Νέα", "https://nea.example.gr/feed", ()),
         ("Zürich heute", "https://zuerich.example.ch/feed", ())],
        ["declares ISO-8859-1 but is UTF-8"]),
    "no-declaration-latin1.opml": (
        [("Café Society", "http://cafe.example.com/rss", ()),
         ("Señal Norte", "http://senal.example.com/rss", ())],
        ["not UTF-8 and declares no encoding"]),
    "bom-utf8-leading-space.opml": ([("Morning Brief", "https://brief.example.com/morning.xml", ())], []),
    "utf16-bom.opml": ([("Nachrichten für Sie", "https://nachrichten.example.de/rss", ())], []),
    "unquoted-duplicate-attributes.opml": (
        [("Harbour Log", "http://harbour.example/rss.xml", ()),
         ("Single Quotes", "https://single.example.org/atom.xml", ())],
        ["unquoted attribute values", "repeated attributes (the first kept)"]),
    "unclosed-outlines.opml": (
        [("Global Desk", "https://global.example.com/rss", ("World",)),
         ("Border Report", "https://border.example.com/rss", ("World",)),
         ("Match Day", "https://matchday.example.com/rss", ("World", "Sport"))],
        ["elements never closed"]),
    "truncated.opml": (
        [("Chip Talk", "https://chips.example.com/feed", ("Tech",)),
         ("Open Source Weekly", "https://osw.example.org/rss", ("Tech",))],
        ["truncated?"]),
    "combined-wild.opml": (
        [("Résumé Weekly", "https://resume.example.fr/rss?lang=fr&format=full", ("Café & Culture", "News")),
         ("Prices < 5€", "https://deals.example.fr/feed", ("Café & Culture", "shopping", "deals")),
         ("Stage Door", "https://stage.example.com/rss", ("Café & Culture",)),
         ("Wire — Top", "https://wire.example.com/top.xml", ("Café & Culture", "News"))],
        ["declares UTF-8 but is not", "bare '&'", "HTML entities", "'<' inside attribute values",
         "unquoted attribute values", "elements never closed"]),
}


@pytest.mark.parametrize("name", sorted(WILD))
def test_lists_from_the_wild_are_read_and_say_how(name: str) -> None:
    expected, notes = WILD[name]
    listing = read_opml((FIXTURES / name).read_bytes())
    # Names as clean_line leaves them (a no-break space is a space).
    assert [(f.name, f.url, f.tags) for f in listing.feeds] == expected
    for fragment in notes:
        assert any(fragment in note for note in listing.notes), (fragment, listing.notes)
    if not notes:
        assert listing.notes == []  # a well-formed file in its declared encoding: nothing to say
    assert all("\n" not in note for note in listing.notes)


def test_folders_categories_duplicates_and_what_is_skipped() -> None:
    listing = read_opml((FIXTURES / "nested-folders-categories.opml").read_bytes())
    feeds = {f.name: f for f in listing.feeds}
    assert feeds["Balkan Wire"].tags == ("World", "Europe", "Balkans", "region", "balkans", "politics")
    # Filed under World/Europe and again under Energy (in another case): one feed, both folders.
    assert feeds["Euro Desk"].tags == ("World", "Europe", "Energy")
    assert "Euro Desk (energy)" not in feeds
    assert feeds["Pipeline Watch"].tags == ("Energy", "gas", "oil")
    skipped = dict(listing.skipped)
    assert "listed again in Energy" in skipped["Euro Desk (energy)"]
    assert "not followed" in skipped["Shared list"]
    assert "web page, not a feed" in skipped["Energy ministry homepage"]
    assert "web page, not a feed" in skipped["Podcast site"]
    assert "no feed address" in skipped["Broken entry"]
    assert "Just a note to self" not in skipped and "Empty folder" not in skipped  # outliner notes, no feeds
    assert listing.notes == []
    report = plan_import(listing.feeds, [])
    assert [i.name for i, _ in report.refused] == ["Bookmarklet"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("doctype-in-broken.opml", "DOCTYPE or ENTITY"),
        ("html-page.opml", "an HTML page"),
        ("rss-feed.opml", "the root element is <rss>, not <opml>"),
    ],
)
def test_what_is_not_opml_is_refused_even_when_broken(name: str, reason: str) -> None:
    with pytest.raises(OpmlError, match=re.escape(reason)):
        read_opml((FIXTURES / name).read_bytes())


def test_a_declaration_stays_refused_in_every_encoding_and_spelling() -> None:
    for data in (
        b'<?xml version="1.0" encoding="windows-1252"?><!DOCTYPE x [<!ENTITY a "b">]><opml/>',
        b'\xef\xbb\xbf<opml><body>&amp & <!ENTITY x SYSTEM "file:///etc/passwd"></body></opml>',
        '<!DOCTYPE opml SYSTEM "http://evil.example/x.dtd"><opml/>'.encode("utf-16-be"),  # no BOM
        "<opml>\u00e9<!doctype x><body/></opml>".encode("latin-1"),
    ):
        with pytest.raises(OpmlError, match="DOCTYPE or ENTITY"):
            read_opml(data)


def test_garbage_never_escapes_as_a_traceback() -> None:
    base = (FIXTURES / "combined-wild.opml").read_bytes()
    rng = random.Random(7)
    for _ in range(300):
        data = bytearray(base)
        for _ in range(rng.randint(1, 12)):
            pos = rng.randrange(len(data))
            if rng.random() < 0.5:
                del data[pos : pos + rng.randint(1, 20)]
            else:
                data[pos:pos] = bytes([rng.choice(b"<>&\"'/=;#!?\x00\xff\xe9 ")])
        try:
            read_opml(bytes(data))
        except OpmlError as exc:
            assert "\n" not in str(exc)


def test_a_large_broken_list_is_read_in_linear_time() -> None:
    outline = '<outline text="Feed {i} & more" type=rss xmlUrl="https://f{i}.example.com/rss?a=1&b=2"/>\n'
    data = ("<opml><body>" + "".join(outline.format(i=i) for i in range(30_000))).encode()
    assert len(data) < 5 * 2**20
    started = time.perf_counter()
    listing = read_opml(data)
    assert time.perf_counter() - started < 5
    assert len(listing.feeds) == 30_000


def test_cli_reports_notes_skips_and_duplicates_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds_toml = tmp_path / "feeds.toml"
    feeds_toml.write_text('[[feeds]]\nname = "Wire"\nurl = "https://wire.example.com/top.xml"\n')
    assert main(["--feeds", str(feeds_toml), "opml", "import", str(FIXTURES / "combined-wild.opml")]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0] == "note: combined-wild.opml: it declares UTF-8 but is not; read as Windows-1252"
    assert lines[1].startswith("note: combined-wild.opml: not well-formed XML (")
    assert "duplicate: Wire — Top is already subscribed as 'Wire'" in lines
    assert any(line.startswith("skipped: Résumé Weekly (again) (listed again in Café & Culture/News;")
               for line in lines)
    assert "added: Prices < 5€ https://deals.example.fr/feed [Café & Culture, shopping, deals]" in out
    assert out.rstrip().endswith("3 feed(s) added to " + str(feeds_toml)
                                 + ", 1 duplicate(s), 0 refused, 1 outline(s) skipped")
    _, feeds = load_config(feeds_toml)
    assert [f.name for f in feeds] == ["Wire", "Résumé Weekly", "Prices < 5€", "Stage Door"]
    assert feeds[1].url == "https://resume.example.fr/rss?lang=fr&format=full"


def test_feed_schemes_and_doubly_escaped_names() -> None:
    data = (b'<opml><body>'
            b'<outline text="Old Safari link" xmlUrl="feed://news.example.com/rss"/>'
            b'<outline text="Feed https" xmlUrl="feed:https://secure.example.com/atom"/>'
            b'<outline text="Podcast" xmlUrl="itpc://pod.example.org/feed.xml"/>'
            b'<outline text="News &amp;amp; Views &amp;#8212; daily" xmlUrl="https://nv.example.com/rss"/>'
            b'<outline text="AT&amp;T &amp; Q&amp;A" xmlUrl="https://att.example.com/rss"/>'
            b"</body></opml>")
    assert [(f.name, f.url) for f in parse_opml(data)] == [
        ("Old Safari link", "http://news.example.com/rss"),
        ("Feed https", "https://secure.example.com/atom"),
        ("Podcast", "http://pod.example.org/feed.xml"),
        ("News & Views — daily", "https://nv.example.com/rss"),
        ("AT&T & Q&A", "https://att.example.com/rss"),
    ]
