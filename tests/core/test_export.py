"""Briefing export: a golden Markdown document, HTML checked for structure and safety, the CLI."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.core.export import build_briefing, md_escape, write_briefing
from briefing.core.models.article import Article
from briefing.core.models.facts import DateRef, Entity, Facts, Quantity, Quote, Sentence
from briefing.core.models.meta import ArticleMeta
from briefing.core.select import ArticleFilter, parse_since, select_articles
from briefing.core.store.store import Store

GOLDEN = Path(__file__).parent / "fixtures" / "export" / "briefing.md"
NOW = datetime(2019, 10, 23, 12, 0, tzinfo=UTC)
HOSTILE_TITLE = '<script>alert("x")</script> *Breaking* [click](javascript:alert(1)) # not a heading'


def facts(title: str, sentences: list[str], **kinds: object) -> Facts:
    spans, pos = [Sentence(title, -1, -1)], 0
    for s in sentences:
        spans.append(Sentence(s, pos, pos + len(s)))
        pos += len(s) + 1
    return Facts(title=title, sentences=tuple(spans), key_sentences=tuple(range(1, len(spans))),
                 **kinds)  # type: ignore[arg-type]


def story_articles() -> list[Article]:
    sochi_a = ["Russia and Turkey agreed in Sochi on Tuesday that Kurdish YPG fighters must withdraw.",
               "Russian military police will patrol the border from Oct. 23.",
               "The withdrawal must be completed within 150 hours."]
    sochi_b = ["Putin and Erdoğan agreed on joint patrols.", "The deal covers a 30 km zone."]
    return [
        Article(
            id="", title="Russia and Turkey agree in Sochi on YPG withdrawal", text=" ".join(sochi_a),
            source="Sample Wire", feed="wire", link="https://wire.example/sochi",
            published=NOW - timedelta(hours=20),
            facts=facts(
                "Russia and Turkey agree in Sochi on YPG withdrawal", sochi_a,
                entities=(Entity("Vladimir Putin", "person", role="Russian President"),
                          Entity("Recep Tayyip Erdoğan", "person", role="Turkish President"),
                          Entity("Sochi", "place")),
                dates=(DateRef("Tuesday", "2019-10-22", 1), DateRef("Oct. 23", "2019-10-23", 2)),
                quantities=(Quantity("150 hours", "quantity", 150.0, "hours", 3),),
                quotes=(Quote("We agreed on every point", "Vladimir Putin", 1),),
                topics=("Vladimir Putin", "Sochi"),
            ),
            extra={"cluster": "sochi"},
        ),
        Article(
            id="", title="Sochi deal hands Russia a central role", text=" ".join(sochi_b),
            source="Atlantic Notes", feed="notes", link="https://notes.example/sochi?id=1",
            published=NOW - timedelta(hours=10),
            facts=facts(
                "Sochi deal hands Russia a central role", sochi_b,
                entities=(Entity("Recep Tayyip Erdoğan", "person"), Entity("Sergei Lavrov", "person")),
                quantities=(Quantity("30 km", "quantity", 30.0, "km", 2),),
                topics=("Sochi",),
            ),
            extra={"cluster": "sochi"},
        ),
        Article(
            id="", title=HOSTILE_TITLE,
            text="- A list marker at the start. 1. And a number. <img src=x onerror=alert(1)> Third.",
            source="# Evil | Outlet", feed="evil", link="javascript:alert(1)",
            published=NOW - timedelta(hours=5),
        ),
        Article(
            id="", title="Too old for the briefing", text="Last week's news.", source="Sample Wire",
            feed="wire", link="https://wire.example/old", published=NOW - timedelta(days=9),
        ),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "home")
    s.add_articles(story_articles())
    return s


def within(store: Store, since: str) -> list[ArticleMeta]:
    return select_articles(store.articles(), ArticleFilter(since=parse_since(since, NOW)))


def test_markdown_matches_the_golden_briefing(store: Store) -> None:
    _, text, _ = write_briefing(store, within(store, "48h"), fmt="md", now=NOW, title="Morning briefing",
                                scope="last 48 hours")
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_stories_group_by_cluster_and_respect_since(store: Store) -> None:
    metas = within(store, "48h")
    briefing = build_briefing(store, metas, now=NOW)
    assert [s.headline for s in briefing.stories][1] == "Sochi deal hands Russia a central role"
    sochi = briefing.stories[1]
    assert sochi.outlets == ["Sample Wire", "Atlantic Notes"]
    assert ("Vladimir Putin", "Russian President") in sochi.people
    assert ("Recep Tayyip Erdoğan", "Turkish President") in sochi.people  # the role from either article
    assert ("We agreed on every point", "Vladimir Putin") in sochi.quotes
    assert len(briefing.stories) == 2
    everything = within(store, "all")
    assert len(build_briefing(store, everything, now=NOW).stories) == 3


def test_markdown_escapes_structure_in_untrusted_text() -> None:
    assert md_escape("# heading") == "\\# heading"
    assert md_escape("- item") == "\\- item"
    assert md_escape("1. item") == "1\\. item"
    assert md_escape("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md_escape("<b>*hi*</b>\nnext") == "\\<b\\>\\*hi\\*\\</b\\> next"
    assert md_escape("AT&T &copy; &lt;b&gt;") == "AT\\&T \\&copy; \\&lt;b\\&gt;"  # no entity is decoded


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.text.setdefault(self.stack[-1], []).append(data)


def test_html_is_self_contained_safe_and_one_section_per_story(store: Store) -> None:
    _, page, _ = write_briefing(store, within(store, "48h"), fmt="html", now=NOW,
                                title="Morning <b>briefing</b>")
    parsed = Outline()
    parsed.feed(page)
    assert parsed.text["title"] == ["Morning <b>briefing</b>"]
    sections = [v for tag, k, v in parsed.attrs if tag == "section" and k == "class"]
    assert sections == ["story", "story"]
    assert "script" not in parsed.tags and "img" not in parsed.tags and "iframe" not in parsed.tags
    assert "link" not in parsed.tags  # no external stylesheet
    assert not [a for a in parsed.attrs if a[1] in ("src", "onerror", "onclick", "srcset")]
    hrefs = [v for _, k, v in parsed.attrs if k == "href"]
    assert hrefs and all(v is not None and v.startswith(("https://", "http://")) for v in hrefs)
    assert "https://notes.example/sochi?id=1" in hrefs
    assert HOSTILE_TITLE in "".join(parsed.text["h2"])  # shown as text, never as markup
    assert "<script" not in page and "javascript:" not in page.replace("javascript:alert(1))", "")
    assert "@media print" in page and "Content-Security-Policy" in page


def test_parse_since_takes_durations_and_dates() -> None:
    assert parse_since("24h", NOW) == (NOW - timedelta(hours=24)).timestamp()
    assert parse_since("90m", NOW) == (NOW - timedelta(minutes=90)).timestamp()
    assert parse_since("7d", NOW) == (NOW - timedelta(days=7)).timestamp()
    assert parse_since("2020-01-01", NOW) == datetime(2020, 1, 1, tzinfo=UTC).timestamp()
    assert parse_since("2020-01-01T08:00", NOW) == datetime(2020, 1, 1, 8, tzinfo=UTC).timestamp()
    assert parse_since("all", NOW) is None and parse_since("", NOW) is None
    with pytest.raises(Exception, match="neither a duration"):
        parse_since("yesterday", NOW)


def test_cli_export_by_topic_to_html_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        articles = story_articles()
        store.add_articles([*articles[:2], articles[2]])
    out = tmp_path / "brief.html"
    assert main(["--home", str(home), "export", "--topic", "sochi", "--since", "all", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<section class="story"') == 1
    assert main(["--home", str(home), "export", "--since", "all"]) == 0
    assert capsys.readouterr().out.startswith("# Briefing")
    assert main(["--home", str(home), "export", "--since", "soon"]) == 1
    assert "neither a duration" in capsys.readouterr().err


def test_cli_export_by_watchlist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("briefing.core.watch", reason="watchlists (briefing/core/watch.py) are not built yet")
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        store.add_articles(story_articles())
    assert main(["--home", str(home), "export", "--watch", "no-such-watchlist", "--since", "all"]) == 1
    assert "no-such-watchlist" in capsys.readouterr().err
