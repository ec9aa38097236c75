"""Bidi controls balanced on every drawn row.

`clean_text` balances embeddings, overrides and isolates per paragraph, but Rich then
wraps and crops text into rows, so an override opened on one row could run into the
rest of that row (other panes included) on a bidi-aware terminal. Widgets that draw
feed text mix in `BidiBalanced`: each strip they hand the compositor is re-balanced.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.geometry import Region

_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
            "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_CLOSERS = frozenset({"\u202c", "\u2069"})
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def balance_strip(strip: Strip) -> Strip:
    """The strip with every bidi opener closed on it and every stray closer dropped."""
    segments = list(strip)
    if not any(BIDI_CONTROL.search(s.text) for s in segments if not s.control):
        return strip
    expected: list[str] = []
    out: list[Segment] = []
    for segment in segments:
        if segment.control or not BIDI_CONTROL.search(segment.text):
            out.append(segment)
            continue
        chars: list[str] = []
        for char in segment.text:
            closer = _OPENERS.get(char)
            if closer is not None:
                expected.append(closer)
            elif char in _CLOSERS:
                if not expected or expected[-1] != char:
                    continue  # closes nothing opened on this row
                expected.pop()
            chars.append(char)
        out.append(Segment("".join(chars), segment.style, segment.control))
    if expected:
        style = next((s.style for s in reversed(out) if not s.control), None)
        out.append(Segment("".join(reversed(expected)), style))
    return Strip(out, strip.cell_length)


def strip_bidi(text: str) -> str:
    """One-line notices (toasts wrap where we cannot see): no explicit bidi controls."""
    return BIDI_CONTROL.sub("", text)


class BidiBalanced:
    """Mixin for widgets: every row drawn has its bidi controls balanced."""

    def render_lines(self, crop: Region) -> list[Strip]:
        strips: list[Strip] = super().render_lines(crop)  # type: ignore[misc]
        return [balance_strip(strip) for strip in strips]


class FeedText(BidiBalanced, Static):
    """A `Static` for text that came from feeds or files (always given `Text`, never markup)."""
