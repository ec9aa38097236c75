"""parse.py: feed bytes to clean Articles; malformed and hostile feeds fail cleanly."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.core.errors import FetchError
from briefing.core.feeds.parse import MAX_ENTRIES, ParsedFeed, parse_feed
from briefing.core.models.feeds import Feed

FIXTURES = Path(__file__).parents[1] / "fixtures" / "feeds"
FETCHED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
FEED = Feed(name="Loopback", url="https://feeds.example.org/world.xml", tags=("world", "energy"))
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def parse(data: bytes, headers: dict[str, str] | None = None, feed: Feed = FEED) -> ParsedFeed:
    return parse_feed(data, headers or {}, feed, fetched=FETCHED)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rss(items: str, channel: str = "<title>T</title>") -> bytes:
    return f'<rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


def test_rss2_entries_become_clean_articles() -> None:
    parsed = parse(fixture("rss2.xml"))
    assert parsed.title == "Loopback World News"
    assert parsed.link == "https://news.example.org/"
    assert parsed.warning is None
    first, second, third = parsed.articles
    assert first.id == ""
    assert first.title == "Talks on the pipeline resume in Ankara"
    # content:encoded wins over the description; the script is gone, the list kept.
    assert first.text == ("Negotiators met on Tuesday & agreed to continue.\n\n• Gas volumes\n• Transit fees")
    assert first.link == "https://news.example.org/world/pipeline-talks"  # resolved
    assert first.guid == "urn:example:1"
    assert first.author == "Ayşe Yılmaz"
    assert first.published == datetime(2025, 2, 4, 6, 30, tzinfo=UTC)
    assert first.fetched == FETCHED
    assert first.feed == "Loopback" and first.source == "Loopback World News"
    assert first.tags == ("world", "energy")
    assert second.text == "First paragraph.\n\nSecond paragraph."
    assert third.title.startswith("An item with no title")
    assert third.link is None and third.published is None


def test_atom_entries() -> None:
    parsed = parse(fixture("atom.xml"))
    assert parsed.title == "Atom Desk"
    first, second = parsed.articles
    assert first.title == "Energy ministers meet"  # type="html" title rendered as text
    assert first.text == "Ministers met in Baku.\n\nThey discussed transit."
    assert first.author == "Desk Editor"
    assert first.published == datetime(2025, 2, 6, 7, 45, tzinfo=UTC)  # updated, no published
    assert second.text == "Plain <not a tag> summary."  # type="text" is not HTML
    assert second.published == datetime(2025, 2, 5, 8, 0, tzinfo=UTC)


def test_rdf_entries() -> None:
    (article,) = parse(fixture("rdf.xml")).articles
    assert (article.title, article.text) == ("Wire item", "Wire body.")
    assert article.published == datetime(2025, 2, 1, 6, 0, tzinfo=UTC)


def test_source_falls_back_to_the_feed_name() -> None:
    parsed = parse(rss("<item><title>x</title></item>", channel=""))
    assert parsed.title is None
    assert parsed.articles[0].source == "Loopback"


# --- hostile content -----------------------------------------------------------------


def test_terminal_injection_and_unsafe_links_are_cleaned() -> None:
    parsed = parse(fixture("hostile.xml"))
    first, second = parsed.articles
    assert first.title.startswith("Breaking")
    assert first.title.count("\u202e") == first.title.count("\u202c")  # balanced
    assert "\u200b" not in first.title
    assert first.link is None  # javascript:
    assert second.link is None  # file:
    assert "alert" not in first.text and "passwd" not in first.text
    assert first.text == "Body text\n\ncleared?"


def test_raw_control_bytes_never_reach_an_article() -> None:
    parsed = parse(fixture("raw_controls.xml"))
    assert parsed.title == "Raw Controls"
    (article,) = parsed.articles
    for value in (article.title, article.text, article.author or "", parsed.title or ""):
        assert not UNSAFE.search(value), repr(value)
    assert article.author == "Eve"


@pytest.mark.parametrize("name", ["billion_laughs_one_line.xml", "billion_laughs_multiline.xml", "xxe.xml"])
def test_entity_declarations_are_refused_fast(name: str) -> None:
    started = time.perf_counter()
    with pytest.raises(FetchError, match="declares XML entities"):
        parse(fixture(name))
    assert time.perf_counter() - started < 0.1


def test_entity_declarations_in_utf16_are_refused() -> None:
    data = (
        fixture("billion_laughs_multiline.xml")
        .decode()
        .replace('version="1.0"', 'version="1.0" encoding="utf-16"')
    )
    with pytest.raises(FetchError, match="declares XML entities"):
        parse(data.encode("utf-16"))


def test_feedparser_crash_cases_do_not_crash() -> None:
    with pytest.raises(FetchError):
        parse(fixture("doctype_backslash.xml"))
    parsed = parse(rss("<item><title>a &#1114112; b &#55296; c &#x110000; &#x1F600;</title></item>"))
    assert parsed.articles[0].title == "a \ufffd b \ufffd c \ufffd \U0001f600"


def test_external_dtd_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.dtd"
    secret.write_text('<!ENTITY leak "TOP-SECRET">')
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{secret.as_uri()}">'
        '<rss version="2.0"><channel><title>t</title><item><title>x &amp; y</title>'
        "</item></channel></rss>"
    ).encode()
    parsed = parse(data)
    assert "TOP-SECRET" not in repr(parsed)
    assert parsed.articles[0].title == "x & y"


def test_pathological_author_is_bounded_in_time() -> None:
    author = "a@" + "a." * 200_000
    data = rss(
        f"<item><title>x</title><author>{author}</author>"
        f'<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/"><![CDATA[{author}]]></dc:creator>'
        "</item>"
    )
    started = time.perf_counter()
    parsed = parse(data)
    assert time.perf_counter() - started < 1.0
    author_line = parsed.articles[0].author
    assert author_line is not None and len(author_line) <= 201


def test_too_many_entries_are_capped_with_a_warning() -> None:
    items = "".join(f"<item><title>n{i}</title><guid>g{i}</guid></item>" for i in range(MAX_ENTRIES + 50))
    parsed = parse(rss(items))
    assert len(parsed.articles) == MAX_ENTRIES
    assert parsed.warning == f"feed has {MAX_ENTRIES + 50} entries; only the first {MAX_ENTRIES} read"


def test_huge_fields_are_capped() -> None:
    parsed = parse(rss(f"<item><title>{'word ' * 20_000}</title><guid>{'g' * 50_000}</guid></item>"))
    article = parsed.articles[0]
    assert len(article.title) <= 501
    assert article.guid is not None and len(article.guid) <= 2049


# --- malformed feeds ------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"", b"   \n\t  "])
def test_empty_body_is_an_error(body: bytes) -> None:
    with pytest.raises(FetchError, match="empty body"):
        parse(body)


def test_html_page_is_an_error() -> None:
    with pytest.raises(FetchError, match="HTML page"):
        parse(fixture("html_page.html"), {"content-type": "text/html"})
    with pytest.raises(FetchError, match="HTML page"):
        parse(b"\xef\xbb\xbf  <!-- hi --><html><body>x</body></html>")


@pytest.mark.parametrize("body", [b"garbage \xff\xfe\x00 binary", b'{"json": true}', b"<foo>"])
def test_not_a_feed_is_an_error(body: bytes) -> None:
    with pytest.raises(FetchError, match="not a"):
        parse(body)


def test_truncated_xml_gives_a_partial_result_with_a_warning() -> None:
    parsed = parse(fixture("truncated.xml"))
    assert parsed.articles[0].title == "Whole item"
    assert parsed.articles[0].link is None  # a guid that is no URL is no link
    assert parsed.warning is not None and parsed.warning.startswith("feed is malformed")
    assert "\n" not in parsed.warning


def test_charset_from_headers_and_wrong_charsets() -> None:
    latin1 = rss("<item><title>Café Müller</title></item>").decode().encode("latin-1")
    parsed = parse(latin1, {"Content-Type": "application/rss+xml; charset=iso-8859-1"})
    assert parsed.articles[0].title == "Café Müller"
    # Invalid UTF-8 and UTF-16 without a BOM: no crash, either an error or clean text.
    for data in (latin1, rss("<item><title>x</title></item>").decode().encode("utf-16-le")):
        try:
            result = parse(data)
        except FetchError:
            continue
        for article in result.articles:
            assert not UNSAFE.search(article.title)


def test_missing_fields_and_duplicate_guids() -> None:
    parsed = parse(rss("<item><guid>same</guid></item><item><guid>same</guid><title>b</title></item>"))
    assert [a.guid for a in parsed.articles] == ["same", "same"]  # the store deduplicates
    assert parsed.articles[0].title == "(untitled)"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Sat, 01 Mar 2025 10:00:00 GMT", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
        ("2025-02-28T23:00:00-02:00", datetime(2025, 3, 1, 1, 0, tzinfo=UTC)),
        ("Mon, 01 Jan 0000 00:00:00 GMT", None),
        ("Mon, 01 Jan 10000 00:00:00 GMT", None),
        ("Tue, 31 Jun 2025 10:00:00 GMT", None),
        ("Thu, 01 Jan 1960 00:00:00 GMT", None),
        ("Fri, 07 Mar 2025 00:00:00 GMT", None),  # six days after it was fetched
        ("yesterday-ish", None),
        ("01 Mar 25 10:00 GMT", datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
    ],
)
def test_dates(date: str, expected: datetime | None) -> None:
    parsed = parse(rss(f"<item><title>x</title><pubDate>{date}</pubDate></item>"))
    published = parsed.articles[0].published
    assert published == expected
    assert published is None or published.tzinfo is not None


def test_relative_links_resolve_against_the_base_url_only_when_it_is_http() -> None:
    items = "<item><title>x</title><link>story/1</link></item>"
    parsed = parse_feed(rss(items), {}, FEED, fetched=FETCHED, base_url="https://cdn.example.org/f/")
    assert parsed.articles[0].link == "https://cdn.example.org/f/story/1"
    local = Feed(name="local", url="file:///tmp/feed.xml")
    assert parse(rss(items), feed=local).articles[0].link is None


def test_parse_is_picklable_for_a_process_pool() -> None:
    import pickle

    parsed = parse(fixture("rss2.xml"))
    assert pickle.loads(pickle.dumps(parsed)) == parsed


def test_trailing_boilerplate_is_stripped_from_entry_bodies() -> None:
    """Real-shaped endings: WordPress excerpts and footers, "Read more" links, localised ones."""
    items = [
        # WordPress: an excerpt with its "[…]" and the plugin footer, in the description.
        ("<description><![CDATA[<p>The council approved the harbour budget on Monday after a long "
         "debate about dredging costs and the [&#8230;]</p>\n<p>The post <a href=\"https://port.example/b/\" "
         "rel=\"nofollow\">Harbour budget passes</a> appeared first on <a href=\"https://port.example\" "
         "rel=\"nofollow\">Port Gazette</a>.</p>]]></description>",
         "The council approved the harbour budget on Monday after a long debate about dredging costs "
         "and the…"),
        # A theme's more-link with an arrow, inside the last paragraph.
        ("<description><![CDATA[<p>Grain exports rose by 12 percent in March, the ministry said. "
         "<a class=\"more-link\" href=\"https://grain.example/x\">Continue reading <span class=\"meta-nav\">"
         "&rarr;</span></a></p>]]></description>",
         "Grain exports rose by 12 percent in March, the ministry said."),
        # Full content followed by its own "Read the full story" paragraph.
        ("<description><![CDATA[<p>Ferry crews returned to work.</p><p>The union accepted the offer.</p>"
         "<p><a href=\"https://wire.example/ferry\">Read the full story at Nordic Wire</a></p>"
         "]]></description>",
         "Ferry crews returned to work.\n\nThe union accepted the offer."),
        # A news site's "Read more »" after an ellipsis.
        ("<description>Police said three people were detained near the border&#8230; "
         "&lt;a href='https://n.example/1'&gt;Read more &#187;&lt;/a&gt;</description>",
         "Police said three people were detained near the border…"),
        # A German WordPress footer.
        ("<description><![CDATA[<p>Die Ministerin trat am Montag zurück.</p><p>Der Beitrag "
         "<a href=\"https://d.example/r\">Rücktritt</a> erschien zuerst auf <a href=\"https://d.example\">"
         "Tagesblatt</a>.</p>]]></description>",
         "Die Ministerin trat am Montag zurück."),
        # Mid-text mentions stay: only the end is boilerplate.
        ("<description><![CDATA[<p>Read more about the plan below.</p><p>Officials urged people to "
         "read more.</p><p>The post office reopened first on Main Street.</p>]]></description>",
         "Read more about the plan below.\n\nOfficials urged people to read more.\n\n"
         "The post office reopened first on Main Street."),
    ]
    parsed = parse(rss("".join(f"<item><title>t{i}</title>{body}</item>"
                               for i, (body, _) in enumerate(items))))
    assert [a.text for a in parsed.articles] == [expected for _, expected in items]
