"""Stored article files of every format, and the files that must be refused."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from briefing.core.ingest.importers import iter_files, read_file
from briefing.core.ingest.pipeline import import_paths
from briefing.core.store.store import Store
from tests.conftest import shared_path


def test_seed_imports_with_title_and_source() -> None:
    result = read_file(shared_path("seed", "putin-turkey.txt"))
    assert result.error is None
    (article,) = result.articles
    assert article.title == "Putin planning visit to Turkey in January: Erdoğan aide"
    assert article.source == "Duvar English"
    assert "Duvar English" not in article.text
    assert article.text.startswith("Russian President Vladimir Putin is expected")


def test_plain_text_dateline_and_source(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Ships collide off Crete\n\nMarch 3, 2021\n\nAegean Post\n\nTwo ships collided.\n\n"
                    "Nobody was hurt.\n")
    (article,) = read_file(path).articles
    assert article.published == datetime(2021, 3, 3, 12, tzinfo=UTC)
    assert article.source == "Aegean Post"
    assert article.text == "Two ships collided.\n\nNobody was hurt."


def test_plain_text_header_lines_without_blank_lines_between(tmp_path: Path) -> None:
    """Pasted articles often stack the outlet and the date right under the title."""
    path = tmp_path / "a.txt"
    path.write_text("Bank cuts jobs as dealmaking slumps\nWire Service\nMarch 3, 2025\n\n"
                    "The bank will cut jobs.\nShort wrapped line.\n\nSecond paragraph.\n")
    (article,) = read_file(path).articles
    assert article.title == "Bank cuts jobs as dealmaking slumps"
    assert article.source == "Wire Service"
    assert article.published == datetime(2025, 3, 3, 12, tzinfo=UTC)
    assert article.text == "The bank will cut jobs. Short wrapped line.\n\nSecond paragraph."


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Gas deal signed\nsource: Energy Desk\npublished: 2020-01-08\n"
                    "url: https://energy.example/deal?utm_source=x\ntags: [energy, \"turkey\"]\n---\n"
                    "# Ignored heading\n\nThe **deal** was [signed](https://x.example) today.\n\n"
                    "- first point\n- second point\n")
    (article,) = read_file(path).articles
    assert article.title == "Gas deal signed"
    assert article.source == "Energy Desk"
    assert article.published is not None and article.published.date().isoformat() == "2020-01-08"
    assert article.tags == ("energy", "turkey")
    assert "The deal was signed today." in article.text
    assert "**" not in article.text and "](" not in article.text


def test_markdown_heading_is_the_title_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text("# Talks resume in Geneva\n\nDelegations met on Monday.\n")
    (article,) = read_file(path).articles
    assert article.title == "Talks resume in Geneva"
    assert article.text == "Delegations met on Monday."


def test_markdown_is_rendered_not_regexed(tmp_path: Path) -> None:
    """What a Markdown reader shows: no underscores, escapes, reference definitions, fences or pipes."""
    path = tmp_path / "brief.md"
    path.write_text(
        "---\ntitle: Pipeline brief\nsource: Energy Desk\npublished: 2020-01-08\n---\n"
        "The _TurkStream_ line opened on __Wednesday__, with gas sold at \\$5 per unit\\* and a "
        "[statement][gov] from the \\[ministry\\].\n\n"
        "[gov]: https://gov.example/statement \"Statement\"\n\n"
        "```text\nvolume  15.75 bcm\n```\n\n"
        "| Country | Share |\n|---|---:|\n| Turkey | 50% |\n| Bulgaria | 20% |\n\n"
        "> It is a historic day, the minister said.\n\n"
        "![Map of the route](map.png)\n\n"
        "1. First phase\n2. Second phase\n   - with a branch\n\n"
        "Line one  \nline two <sup>1</sup> ~~old~~ `code` &amp; AT&T\n")
    (article,) = read_file(path).articles
    assert article.title == "Pipeline brief" and article.source == "Energy Desk"
    assert article.text.split("\n\n") == [
        "The TurkStream line opened on Wednesday, with gas sold at $5 per unit* and a statement from the "
        "[ministry].",
        "volume 15.75 bcm",
        "Country | Share\nTurkey | 50%\nBulgaria | 20%",
        "It is a historic day, the minister said.",
        "Map of the route",
        "1. First phase\n2. Second phase\n• with a branch",
        "Line one\nline two 1 old code & AT&T",
    ]


def test_markdown_setext_heading_is_the_title_and_later_headings_stay(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text("Talks *resume* in \\_Geneva\\_\n=====\n\nDelegations met.\n\n"
                    "## Next steps\n\nMore talks.\n")
    (article,) = read_file(path).articles
    assert article.title == "Talks resume in _Geneva_"
    assert article.text == "Delegations met.\n\nNext steps\n\nMore talks."


def test_html_main_text(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text("<html><head><title>Summit ends</title><script>alert(1)</script></head><body>"
                    "<nav>Home | World</nav><article><h1>Summit ends</h1><p>Leaders met in London "
                    "for two days of talks.</p><p>They agreed a joint declaration &amp; a new fund."
                    "</p></article><footer>© site</footer></body></html>")
    (article,) = read_file(path).articles
    assert article.title == "Summit ends"
    assert "Leaders met in London" in article.text
    assert "joint declaration & a new fund" in article.text
    assert "alert" not in article.text and "Home | World" not in article.text


def test_html_page_keeps_its_metadata_and_drops_the_repeated_headline(tmp_path: Path) -> None:
    """A page saved from a browser: headline, date, outlet, author and address from its metadata."""
    ld = ('{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Ferry strike ends",'
          ' "datePublished": "2023-10-02T06:15:00+02:00", "author": {"@type": "Person", "name": "Mia Berg"}}')
    paragraphs = [f"Crews returned to work on route {i} after the union accepted a pay offer worth "
                  f"{i + 3} percent, the operator said on Monday morning in a statement." for i in range(6)]
    path = tmp_path / "saved.html"
    path.write_text(
        "<html><head><title>Ferry strike ends - Nordic Wire</title>"
        '<meta property="og:title" content="Ferry strike ends">'
        '<meta property="og:site_name" content="Nordic Wire">'
        '<link rel="canonical" href="https://nordic.example/ferry-strike-ends">'
        f'<script type="application/ld+json">{ld}</script></head><body><nav>Home | News</nav>'
        "<article><h1>Ferry strike ends</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article><footer>© Nordic Wire</footer></body></html>")
    (article,) = read_file(path).articles
    assert article.title == "Ferry strike ends"
    assert article.source == "Nordic Wire"
    assert article.published is not None and article.published.isoformat() == "2023-10-02T06:15:00+02:00"
    assert article.author == "Mia Berg"
    assert article.link == "https://nordic.example/ferry-strike-ends"
    assert article.text.split("\n\n") == paragraphs  # no headline line, no menu, no footer


def test_html_page_without_a_site_name_is_sourced_by_its_host(tmp_path: Path) -> None:
    path = tmp_path / "bare.html"
    path.write_text('<html><head><title>Budget passed</title><link rel="canonical" '
                    'href="https://www.city-herald.example/budget"></head><body><p>The council passed '
                    "the budget on Thursday by nine votes to four after a long debate.</p></body></html>")
    (article,) = read_file(path).articles
    assert (article.title, article.source) == ("Budget passed", "city-herald.example")
    assert article.published is None


def test_json_one_or_many(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_bytes(orjson.dumps({"title": "A", "text": "Alpha text.", "published": "2020-01-02"}))
    many = tmp_path / "many.json"
    many.write_bytes(orjson.dumps([{"title": "B", "text": "Beta."}, {"title": "C", "body": "Gamma."}]))
    assert [a.title for a in read_file(one).articles] == ["A"]
    assert [a.text for a in read_file(many).articles] == ["Beta.", "Gamma."]
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert read_file(bad).error == "item 0 is not an object"


def test_refused_files_give_one_line_reasons(tmp_path: Path) -> None:
    (tmp_path / "garbage.txt").write_bytes(os.urandom(2048) + b"\x00" * 10)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "empty.txt").write_text("")
    os.mkfifo(tmp_path / "pipe.txt")
    sparse = tmp_path / "huge.txt"
    with open(sparse, "wb") as handle:
        handle.truncate(2 * 1024**3)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "loop").symlink_to(tmp_path, target_is_directory=True)
    (sub / "good.txt").write_text("Good title\n\nGood body.\n")

    reasons: dict[str, str] = {}
    for path, refused in iter_files([tmp_path]):
        reason = refused or read_file(path).error
        if reason:
            reasons[path.name] = reason
    assert reasons["garbage.txt"] == "binary or not UTF-8 text"
    assert "unknown file type '.docx'" in reasons["notes.docx"]
    assert "no article found" in reasons["empty.txt"]
    assert "not a regular file" in reasons["pipe.txt"]
    assert reasons["huge.txt"].startswith("too large (2048 MiB")
    assert "symbolic link" in reasons["loop"]
    assert "good.txt" not in reasons
    assert all("\n" not in r for r in reasons.values())


def test_import_directory_is_idempotent(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "nested").mkdir(parents=True)
    (docs / "a.txt").write_text("First story\n\nThe first body.\n")
    (docs / "nested" / "b.md").write_text("---\ntitle: Second story\n---\nThe second body.\n")
    (docs / "c.bin").write_bytes(b"\x00\x01")
    with Store.open(tmp_path / "home") as store:
        results, added = import_paths(store, [docs])
        assert len(added.added) == 2
        assert sum(1 for r in results if r.error) == 1
        results, again = import_paths(store, [docs])
        assert again.added == () and again.duplicates == 2
        assert sorted(a.title for a in store.articles()) == ["First story", "Second story"]


@pytest.mark.parametrize("name", ["x.txt", "x.md"])
def test_control_characters_are_cleaned_on_import(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("Title \x1b[31mred\x1b[0m\x07\n\nBody \x1b]0;pwned\x07 text \x9b2J ok.\n")
    (article,) = read_file(path).articles
    assert "\x1b" not in article.title + article.text and "\x07" not in article.title
    assert "\x9b" not in article.text
    assert article.title == "Title red"


def test_sample_tag_marks_the_article_and_is_not_a_topic(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_text("---\ntitle: Sample story\ntags: [sample, energy]\n---\nBody.\n")
    (article,) = read_file(path).articles
    assert article.sample is True
    assert article.tags == ("energy",)


def test_saved_page_in_a_legacy_encoding_is_read_in_it(tmp_path: Path) -> None:
    path = tmp_path / "novosti.html"
    path.write_bytes(
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Новости дня</title></head><body><article><p>Правительство утвердило бюджет на "
        "следующий год после долгих обсуждений в парламенте и в регионах страны.</p></article>"
        "</body></html>".encode("cp1251"))
    (article,) = read_file(path).articles
    assert article.title == "Новости дня"
    assert article.text.startswith("Правительство утвердило бюджет")
