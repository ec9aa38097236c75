"""pagemeta.py: headline, date, outlet, author and address from a page's own metadata."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from briefing.core.text.pagemeta import page_date, read_page_meta, same_words

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def head(*tags: str, body: str = "") -> str:
    return f"<html><head>{''.join(tags)}</head><body>{body}</body></html>"


def test_open_graph_and_article_properties() -> None:
    page = head(
        '<title>Port strike spreads to Antwerp - Harbour Times</title>',
        '<meta property="og:title" content="Port strike spreads to Antwerp - Harbour Times">',
        '<meta property="og:site_name" content="Harbour Times">',
        '<meta property="article:published_time" content="2024-03-05T07:30:00+01:00">',
        '<meta name="author" content="By Ana Lima">',
        '<link rel="canonical" href="https://harbour.example/2024/03/port-strike?utm=x">',
    )
    meta = read_page_meta(page, now=NOW)
    assert meta.title == "Port strike spreads to Antwerp"
    assert meta.source == "Harbour Times"
    assert meta.published == datetime(2024, 3, 5, 7, 30, tzinfo=timezone(timedelta(hours=1)))
    assert meta.author == "Ana Lima"
    assert meta.url == "https://harbour.example/2024/03/port-strike?utm=x"


def test_json_ld_graph_with_publisher_and_authors() -> None:
    ld = """{"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "ignored"},
        {"@type": ["NewsArticle"], "headline": "Grain deal extended",
         "datePublished": "2023-07-17T09:00:00Z", "url": "/world/grain-deal",
         "author": [{"@type": "Person", "name": "Jo Park"}, {"name": "Li Wei"}],
         "publisher": {"@type": "Organization", "name": "Wire Daily"}}]}"""
    page = head(f'<script type="application/ld+json">{ld}</script>', "<title>Wire Daily</title>")
    meta = read_page_meta(page, base_url="https://wire.example/x/y", now=NOW)
    assert meta.title == "Grain deal extended"
    assert meta.published == datetime(2023, 7, 17, 9, tzinfo=UTC)
    assert meta.source == "Wire Daily"
    assert meta.author == "Jo Park, Li Wei"
    assert meta.url == "https://wire.example/world/grain-deal"  # relative, resolved against the page


@pytest.mark.parametrize(
    "ld",
    [
        '{"@type": "ReportageNewsArticle", "datePublished": "2019-11-19T09:44:09+00:00"}',
        '{"@type": "ClaimReview", "datePublished": "2019-11-19T09:44:09+00:00"}',  # a fact-check
        '[{"@type": "Organization", "name": "X", "foundingDate": "1990-01-01"},'
        ' {"@type": "MedicalWebPage", "datePublished": "2019-11-19T09:44:09Z"}]',
        # Hand-written JSON: a raw line break inside a string and a trailing comma.
        '{"@type": "NewsArticle", "description": "two\nlines", "datePublished": "2019-11-19T09:44:09Z",}',
    ],
)
def test_json_ld_as_sites_write_it(ld: str) -> None:
    page = head(f'<script type="application/ld+json">{ld}</script>')
    assert read_page_meta(page, now=NOW).published == datetime(2019, 11, 19, 9, 44, 9, tzinfo=UTC)


def test_a_meta_with_several_itemprops_and_a_placeholder_date() -> None:
    page = head('<script type="application/ld+json">{"@type": "NewsArticle", '
                '"datePublished": "0001-01-01T00:00:00Z"}</script>',
                '<meta itemprop="datePublished dateCreated" content="2019-11-19T11:00:09.000Z">')
    assert read_page_meta(page, now=NOW).published == datetime(2019, 11, 19, 11, 0, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "site", "h1", "url", "expected"),
    [
        ("Talks collapse | Reuters", None, None, None, "Talks collapse"),  # short tail after a bar
        ("Talks collapse in Geneva - BBC News", "BBC News", None, None, "Talks collapse in Geneva"),
        ("BBC News - Talks collapse in Geneva", "BBC News", None, None, "Talks collapse in Geneva"),
        ("Talks collapse in Geneva — Sky News", None, None, "https://news.sky.com/story/1",
         "Talks collapse in Geneva"),
        ("Brexit - what comes next", None, None, None, "Brexit - what comes next"),  # the headline's dash
        ("Inflation: the long view | Money | The Ledger", None, "Inflation: the long view", None,
         "Inflation: the long view"),
        ("Plain headline", "Site", None, None, "Plain headline"),
    ],
)
def test_the_site_name_is_taken_off_the_title(title: str, site: str | None, h1: str | None, url: str | None,
                                              expected: str) -> None:
    tags = [f"<title>{title}</title>"]
    if site:
        tags.append(f'<meta property="og:site_name" content="{site}">')
    meta = read_page_meta(head(*tags, body=f"<h1>{h1}</h1>" if h1 else ""), base_url=url, now=NOW)
    assert meta.title == expected
    assert title in meta.headlines  # every stated form is kept, to recognise it atop the body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-11-19T10:00:00.000+0000", datetime(2019, 11, 19, 10, tzinfo=UTC)),
        ("2019-11-19T10:00:00Z", datetime(2019, 11, 19, 10, tzinfo=UTC)),
        ("2019-11-19", datetime(2019, 11, 19, 12, tzinfo=UTC)),  # a bare day: noon UTC
        ("2019-11-19 10:00", datetime(2019, 11, 19, 10, tzinfo=UTC)),  # no zone: UTC
        ("Tue, 19 Nov 2019 10:00:00 GMT", datetime(2019, 11, 19, 10, tzinfo=UTC)),
        ("November 19, 2019", datetime(2019, 11, 19, 12, tzinfo=UTC)),
        ("2019-11-19T10:00:00 EST", datetime(2019, 11, 19, 12, tzinfo=UTC)),  # odd tail: the day stays
        ("1969-12-31", None),
        ("2024-05-10", None),  # more than two days after NOW
        ("yesterday", None),
        ("", None),
    ],
)
def test_page_dates(value: str, expected: datetime | None) -> None:
    assert page_date(value, now=NOW) == expected


def test_date_sources_in_order_of_trust() -> None:
    page = head('<meta name="date" content="2020-01-02">',
                '<meta property="article:published_time" content="2020-01-01T08:00:00Z">')
    assert read_page_meta(page, now=NOW).published == datetime(2020, 1, 1, 8, tzinfo=UTC)
    page = head(body='<article><time itemprop="datePublished" datetime="2021-06-01T10:00:00Z">June 1'
                     '</time><time datetime="2021-06-09">comment</time></article>')
    assert read_page_meta(page, now=NOW).published == datetime(2021, 6, 1, 10, tzinfo=UTC)
    undated = head(body="<article><time datetime='2021-06-09'>a comment's time</time></article>")
    assert read_page_meta(undated, now=NOW).published is None  # an unmarked <time> is no publication date


def test_hostile_metadata_is_cleaned_and_bounded() -> None:
    big = '{"@type": "NewsArticle", "headline": "' + "x" * 300_000 + '"}'
    page = head(
        '<meta property="og:title" content="Real \x1b[31mtitle\x1b]0;pwned\x07 &#x202e;txt.exe">',
        '<meta property="og:site_name" content="https://www.example.org/">',
        '<link rel="canonical" href="javascript:alert(1)">',
        '<meta property="og:url" content="https://user:pw@evil.example/">',
        '<meta name="author" content="https://example.org/staff/jo">',
        f'<script type="application/ld+json">{big}</script>',
        '<script type="application/ld+json">{not json</script>',
        '<script type="application/ld+json">' + "[" * 5000 + "]" * 5000 + "</script>",
    )
    meta = read_page_meta(page, now=NOW)
    assert meta.title is not None and "\x1b" not in meta.title and "pwned" not in meta.title
    assert meta.title.startswith("Real title") and meta.title.count("\u202e") == meta.title.count("\u202c")
    assert meta.source == "example.org"  # a site named by its address is its host
    assert meta.url is None and meta.author is None


def test_a_page_without_metadata_says_nothing() -> None:
    meta = read_page_meta("<p>just text</p>", now=NOW)
    assert (meta.title, meta.published, meta.source, meta.url, meta.author) == (None, None, None, None, None)


def test_same_words() -> None:
    assert same_words("Talks collapse — in Geneva!", "talks collapse in geneva")
    assert not same_words("Talks collapse", "Talks collapse in Geneva")
    assert not same_words("", "")
