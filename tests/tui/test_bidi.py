"""Bidi controls balanced per drawn row: an override opened on a row is closed on it, a
closer with nothing open on the row is dropped, and text without controls is untouched."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip

from briefing.tui.bidi import balance_strip, strip_bidi


def test_an_opener_is_closed_on_its_row_in_nesting_order() -> None:
    strip = Strip([Segment("a \u202eb \u2067c"), Segment(" d")])
    balanced = balance_strip(strip)
    assert balanced.text == "a \u202eb \u2067c d\u2069\u202c"
    assert balanced.cell_length == strip.cell_length


def test_a_stray_closer_is_dropped() -> None:
    assert balance_strip(Strip([Segment("x\u202c y \u2069")])).text == "x y "
    # a PDF cannot close an isolate: dropped, and the isolate is closed at the end
    assert balance_strip(Strip([Segment("\u2067a\u202c")])).text == "\u2067a\u2069"


def test_rows_without_controls_are_the_same_strip() -> None:
    strip = Strip([Segment("RTL שלום עולם and مرحبا")])
    assert balance_strip(strip) is strip


def test_notices_carry_no_bidi_controls() -> None:
    assert strip_bidi("a\u202eb\u2069c\u200fd") == "abc\u200fd"
