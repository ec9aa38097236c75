"""clean.py: terminal injection, controls, bidi and zero-width characters, links."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.core.text.clean import LINE_MAX, clean_line, clean_text, safe_link

# Nothing a terminal could act on: C0 but \n, DEL, C1, ESC, lone surrogates.
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
BIDI_OPENERS = "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"


def assert_balanced(text: str) -> None:
    for line in text.split("\n"):
        depth = 0
        for char in line:
            if char in BIDI_OPENERS:
                depth += 1
            elif char in "\u202c\u2069":
                depth -= 1
                assert depth >= 0, repr(line)
        assert depth == 0, repr(line)


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("red \x1b[31mtext\x1b[0m", "red text"),
        ("CSI 8-bit \x9b2J\x9b1;31mgone", "CSI 8-bit gone"),
        ("title \x1b]0;pwned\x07 ok", "title ok"),
        ("link \x1b]8;;http://evil/\x1b\\here\x1b]8;;\x1b\\ done", "link here done"),
        ("clip \x1b]52;c;ZXZpbA==\x07 board", "clip board"),
        ("osc 8-bit \x9d0;x\x9c end", "osc 8-bit end"),
        ("dcs \x1bPq#0;2;0;0;0\x1b\\ end", "dcs end"),
        ("dcs 8-bit \x90data\x9c end", "dcs 8-bit end"),
        ("apc \x1b_payload\x1b\\ pm \x1b^x\x1b\\ sos \x1bXy\x1b\\ end", "apc pm sos end"),
        ("charset \x1b(0lqqk\x1b(B", "charset lqqk"),
        ("reset \x1bc screen", "reset screen"),
        ("unterminated \x1b]0;rest of line\nnext", "unterminated\nnext"),
        ("bell\x07 nul\x00 del\x7f bs\x08 c1\x85x\x9f", "bell nul del bs c1\nx"),
        ("lone \ud800 surrogate \udfff", "lone surrogate"),
        ("zero\u200bwidth\u2060joiner\ufeffbom", "zerowidthjoinerbom"),
    ],
)
def test_escape_sequences_and_controls_are_removed_with_parameters(dirty: str, clean: str) -> None:
    assert clean_text(dirty) == clean


def test_line_endings_and_paragraphs() -> None:
    assert clean_text("a\r\nb\rc\n\n\n\nd\u2028e\x0cf") == "a\nb\nc\n\nd\ne\nf"
    assert clean_text("  lead \t tabs  \n\n  para  ") == "lead tabs\n\npara"


def test_entities_are_decoded_only_when_asked() -> None:
    assert clean_text("AT&amp;T") == "AT&amp;T"
    # html.unescape drops references to controls, so what is left is inert text.
    decoded = clean_text("AT&amp;T &#27;[31mred &#x1b;]0;t&#7; &#x9b;", entities=True)
    assert decoded == "AT&T [31mred ]0;t ›"


def test_rtl_text_survives_and_bidi_controls_are_balanced_per_line() -> None:
    arabic = "قال الرئيس إن الزيارة ستتم"
    hebrew = "שלום עולם"
    assert clean_text(f"{arabic}\n{hebrew}") == f"{arabic}\n{hebrew}"
    spoof = "invoice \u202egnp.exe\nnext line \u2066isolated"
    cleaned = clean_text(spoof)
    assert_balanced(cleaned)
    assert cleaned.split("\n")[1].startswith("next line")
    # Unmatched closers are dropped; a PDI closes embeddings opened inside its isolate.
    assert clean_text("a\u202c\u2069b") == "ab"
    assert clean_text("\u2067x\u202by\u2069z") == "\u2067x\u202by\u202c\u2069z"
    assert_balanced(clean_line("\u202e" * 100 + "deep"))


def test_joiners_kept_inside_words_of_scripts_that_need_them() -> None:
    persian = "می\u200cخواهم"  # ZWNJ inside a Persian word
    hindi = "क्\u200dष"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(persian) == persian
    assert clean_text(hindi) == hindi
    assert clean_text(family) == family
    assert clean_text("ad\u200dmin \u200cx\u200d") == "admin x"


def test_clean_line_is_one_line_collapsed_and_capped() -> None:
    assert clean_line("  Breaking:\n\tnews \x1b[1mnow\x1b[0m  ") == "Breaking: news now"
    long = clean_line("word " * 400)
    assert len(long) <= LINE_MAX + 1 and long.endswith("…")
    assert clean_line("x" * 10_000, limit=50) == "x" * 50 + "…"


@pytest.mark.parametrize(
    ("link", "safe"),
    [
        ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
        ("  \nhttp://example.org/x\n ", "http://example.org/x"),
        ("HTTPS://Example.org/", "https://Example.org/"),
        ("http://例え.jp/パス", "http://例え.jp/パス"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("data:text/html,<script>", None),
        ("mailto:a@b.c", None),
        ("//example.org/relative", None),
        ("/relative", None),
        ("http://", None),
        ("http://user:pass@example.org/", None),
        ("http://example.org:99999/", None),
        ("http://example.org/a b", None),
        ("http://example.org/\x1b[31m", None),
        ("http://example.org/\u202egnp", None),
        ("http://exa\u200bmple.org/", None),
        ("http://example.org\\@evil.com/", None),
        ("http://example.org/" + "a" * 5000, None),
        ("", None),
        (None, None),
    ],
)
def test_safe_link(link: str | None, safe: str | None) -> None:
    assert safe_link(link) == safe


@given(st.text())
def test_clean_text_never_leaves_anything_unsafe(text: str) -> None:
    cleaned = clean_text(text)
    assert not UNSAFE.search(cleaned)
    assert_balanced(cleaned)
    assert clean_text(cleaned) == cleaned  # idempotent


@given(st.text())
def test_clean_line_never_leaves_anything_unsafe(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line and not UNSAFE.search(line)
    assert_balanced(line)

