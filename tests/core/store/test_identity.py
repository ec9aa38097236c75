"""The keys an article is recognised by must not change across releases: a store written
by an older version dedupes against them."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.models.article import Article
from briefing.core.store.identity import content_hash
from briefing.core.store.store import Store

# Hashes written by the release before content_hash's whitespace was collapsed by
# str.split instead of a regular expression.
RELEASED = [
    ("Title", "d030f5942a5d1a9cd8afb7a5"),
    (" Leading\u2003and\x1ctrailing \t\n\n  spaces\u00a0here\u2028 ", "c597a2ddf1f07d1b8a7805c0"),
    ("\uff26\uff35\uff2c\uff2c\u3000width Stra\u00dfe", "c3d3635c2b00d76f4000a6af"),
    ("", "5a125f03bc430b7b9e60b002"),
]


@pytest.mark.parametrize(("text", "expected"), RELEASED)
def test_content_hash_is_what_earlier_releases_stored(text: str, expected: str) -> None:
    assert content_hash("T \u200b", text) == expected


def test_every_whitespace_character_collapses_as_before() -> None:
    """Each character Python calls whitespace is one space between words, none at the ends."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        assert content_hash("t", f"{space}a{space}{space}b{space}") == content_hash("t", "a b")
    assert content_hash("t", "a\u200bb") != content_hash("t", "a b")  # a zero-width space is none


def test_keys_from_the_parse_worker_dedupe_like_the_stores_own(tmp_path: Path) -> None:
    from briefing.core.ingest.pipeline import with_keys

    plain = Article(id="", title="Talks resume", text="Officials met in Ankara.",
                    link="https://www.example.com/a?utm_source=x", guid="g1")
    with Store.open(tmp_path) as store:
        assert len(store.add_articles([with_keys(plain)]).added) == 1
        same_text = Article(id="", title="Talks resume", text="Officials  met in\nAnkara.",
                            link="https://other.example/b", guid="g2")
        same_link = Article(id="", title="Other", text="Other text.", link="https://example.com/a", guid="g3")
        result = store.add_articles([same_text, with_keys(same_link)])
        assert result.added == () and result.duplicates == 2
