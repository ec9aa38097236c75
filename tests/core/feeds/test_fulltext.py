"""Full text over loopback: summary-only feeds get their pages, failures keep the summary."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.core.feeds.fulltext import decode_page, extract_main_text, fetch_full_text, private_address
from briefing.core.feeds.refresh import refresh_feeds
from briefing.core.models.article import Article
from briefing.core.models.feeds import Feed, Settings
from briefing.core.store.store import Store
from tests.httpserver import FeedServer

PARAGRAPHS = [
    "Energy ministers from Azerbaijan, Georgia and Turkey met in Baku on Tuesday to agree the "
    "next phase of the Southern Gas Corridor, officials said.",
    "The three governments will spend $2.5 billion on new compressor stations, raising the "
    "capacity of the line by 20 percent by 2027, according to a joint statement.",
    "\u201cThis corridor is a guarantee of supply for Europe,\u201d said Parviz Shahbazov, "
    "Azerbaijan's energy minister, after the signing ceremony.",
    "European Commission officials attended the meeting as observers and welcomed the plan.",
]
PAGE = ("<html><head><title>Gas corridor expands</title><script>track()</script></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article><h1>Gas corridor expands</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article><footer>Copyright Example News. All rights reserved.</footer></body></html>")


def feed_xml(link: str) -> bytes:
    return (f"<rss version='2.0'><channel><title>Summaries</title><item><title>Gas corridor expands"
            f"</title><link>{link}</link><guid>gc-1</guid><description>Ministers met in Baku."
            f"</description></item></channel></rss>").encode()


def test_full_text_feed_stores_the_page_text_and_redoes_facts(tmp_path: Path) -> None:
    with FeedServer() as server:
        page = server.reply("/story", body=PAGE.encode(),
                            headers={"Content-Type": "text/html; charset=utf-8"})
        server.reply("/feed.xml", body=feed_xml(page), headers={"Content-Type": "application/rss+xml"})
        feed = Feed("Summaries", server.url("/feed.xml"), full_text=True)
        with Store.open(tmp_path) as store:
            (outcome,) = refresh_feeds(store, [feed], Settings(timeout=5, deadline=10))
            assert outcome.added == 1
            (meta,) = store.articles()
            article = store.get(meta.id)
            assert article is not None and article.facts is not None
            assert "compressor stations" in article.text and "track()" not in article.text
            assert "Home" not in article.text and "Copyright" not in article.text
            assert article.text.count("\n\n") >= 3  # paragraphs kept
            assert any(e.name == "Parviz Shahbazov" for e in article.facts.entities)
            assert any(q.kind == "money" for q in article.facts.quantities)


def test_failures_keep_the_summary_and_say_why(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.reply("/gone", status=404, body=b"no")
        short = server.reply("/short", body=b"<html><body><p>Short.</p></body></html>",
                             headers={"Content-Type": "text/html"})
        with Store.open(tmp_path) as store:
            summary = "Ministers met in Baku on Tuesday to discuss the gas corridor and its costs."
            ids = store.add_articles([
                Article(id="", title="A", text=summary, link=server.url("/gone")),
                Article(id="", title="B", text=summary + " B", link=short),
                Article(id="", title="C", text=summary + " C", link="javascript:alert(1)"),
            ]).added
            settings = Settings(timeout=5, deadline=10)
            results = [fetch_full_text(store, aid, settings, trusted_hosts={"127.0.0.1"}) for aid in ids]
            assert [r.ok for r in results] == [False, False, False]
            assert "404" in (results[0].reason or "")
            assert results[1].reason == "the page holds no more text than the summary"
            assert results[2].reason == "the article has no http(s) link"
            assert [store.get(aid).text for aid in ids] == [  # type: ignore[union-attr]
                summary, summary + " B", summary + " C"]


def test_on_demand_full_text_and_search_sees_it(tmp_path: Path) -> None:
    from briefing.core.search.index import search_index

    with FeedServer() as server:
        page = server.reply("/story", body=PAGE.encode("cp1252", "replace"),
                            headers={"Content-Type": "text/html; charset=windows-1252"})
        with Store.open(tmp_path) as store:
            (aid,) = store.add_articles([Article(id="", title="Gas corridor", text="Ministers met.",
                                                 link=page)]).added
            result = fetch_full_text(store, aid, Settings(timeout=5, deadline=10),
                                     trusted_hosts={"127.0.0.1"})
            assert result.ok and result.chars > 300
            assert [h.id for h in search_index(store).search("compressor")] == [aid]


def test_decode_and_extract_helpers() -> None:
    assert decode_page("café".encode("latin-1"), "text/html; charset=ISO-8859-1") == "café"
    assert decode_page(b'<meta charset="utf-8">caf\xc3\xa9', None).endswith("café")
    assert decode_page(b"\xff\xfe broken", "text/html; charset=nonsense").startswith("\ufffd")
    text = extract_main_text(PAGE)
    assert text.startswith("Energy ministers") or "Energy ministers" in text
    assert "\x1b" not in extract_main_text("<p>x\x1b[31m red " + "word " * 80 + "</p>")


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "10.1.2.3", "169.254.169.254", "[::1]", "0.0.0.0"]
)
def test_links_into_private_networks_are_refused(tmp_path: Path, host: str) -> None:
    with Store.open(tmp_path) as store:
        (aid,) = store.add_articles([Article(id="", title="T", text="Summary.",
                                             link=f"http://{host}:9/admin")]).added
        result = fetch_full_text(store, aid, Settings(timeout=2, deadline=3))
        assert not result.ok
        assert "private network" in (result.reason or "")
        assert store.get(aid).text == "Summary."  # type: ignore[union-attr]


def test_private_address_check() -> None:
    assert private_address("127.0.0.1") == "127.0.0.1"
    assert private_address("192.168.1.1") == "192.168.1.1"
    assert private_address("8.8.8.8") is None
    assert private_address("no-such-host.invalid") is None  # left for the fetch to report


def test_a_redirect_into_a_private_network_is_refused(tmp_path: Path) -> None:
    """The link's own host is trusted (it serves a feed), but it redirects elsewhere."""
    with FeedServer() as server:
        server.reply("/admin", body=PAGE.encode(), headers={"Content-Type": "text/html"})
        hop = server.reply("/story", status=302,
                           headers={"Location": f"http://localhost:{server.port}/admin"})
        with Store.open(tmp_path) as store:
            (aid,) = store.add_articles([Article(id="", title="T", text="Summary.", link=hop)]).added
            result = fetch_full_text(store, aid, Settings(timeout=5, deadline=10),
                                     trusted_hosts={"127.0.0.1"})
            assert not result.ok
            assert "localhost is in a private network" in (result.reason or "")
            assert server.hits("/admin") == []
            assert store.get(aid).text == "Summary."  # type: ignore[union-attr]


def test_the_page_states_what_the_feed_lacked(tmp_path: Path) -> None:
    """Title, date, outlet and address come back from the page's metadata; the page's date
    anchors the facts' relative dates when the feed gave none."""
    meta = ('<meta property="og:site_name" content="Caspian Energy Report">'
            '<meta property="article:published_time" content="2019-03-05T09:00:00Z">'
            '<link rel="canonical" href="https://energy.example/gas-corridor">')
    body = PAGE.replace("<title>Gas corridor expands</title>", "<title>Gas corridor expands | Caspian Energy "
                        "Report</title>" + meta).replace("on Tuesday", "on Monday")
    with FeedServer() as server:
        link = server.reply("/story", body=body.encode(), headers={"Content-Type": "text/html"})
        with Store.open(tmp_path) as store:
            (aid,) = store.add_articles([Article(id="", title="Untitled", text="Ministers met.",
                                                 link=link)]).added
            result = fetch_full_text(store, aid, Settings(timeout=5, deadline=10),
                                     trusted_hosts={"127.0.0.1"}, now=datetime(2024, 1, 1, tzinfo=UTC))
            assert result.ok
            assert result.title == "Gas corridor expands"
            assert result.source == "Caspian Energy Report"
            assert result.published == datetime(2019, 3, 5, 9, tzinfo=UTC)
            assert result.url == "https://energy.example/gas-corridor"
            article = store.get(aid)
            assert article is not None and article.facts is not None
            assert not article.text.startswith("Gas corridor expands")
            assert "2019-03-04" in {d.value for d in article.facts.dates}  # "on Monday" before the 5th


def test_a_refused_page_still_says_what_it_states(tmp_path: Path) -> None:
    page = ('<html><head><meta property="og:title" content="Short note"></head><body><p>Too short to keep.'
            "</p></body></html>")
    with FeedServer() as server:
        link = server.reply("/note", body=page.encode(), headers={"Content-Type": "text/html"})
        with Store.open(tmp_path) as store:
            (aid,) = store.add_articles([Article(id="", title="N", text="A summary.", link=link)]).added
            result = fetch_full_text(store, aid, Settings(timeout=5, deadline=10),
                                     trusted_hosts={"127.0.0.1"})
            assert not result.ok and result.title == "Short note" and result.chars == 0
