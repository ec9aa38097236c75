"""Word tokens with character offsets, the common currency of the fact extractors.

Splits possessives off names ("Turkey’s" -> "Turkey" + "’s") and hyphenated words whose
parts differ in case ("EADS-led" -> "EADS" + "-led") so neither ever splits an entity.
Never loses offsets: every token's text is exactly `sentence_text[start:end]`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TOKEN = re.compile(
    r"""
    (?:[A-Za-z]\.){2,}(?![A-Za-z])                # U.S.  N.V.  e.g.
    |\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s)?\b        # 1,099  3.5  7/8/07  1990s  2nd
    |\w+(?:[-'’.&]\w+)*                           # O’Brien  Wal-Mart  Detik.com  AT&T
    |\S
    """,
    re.X,
)
_POSSESSIVE = re.compile(r"['’][sS]$")


class Token(NamedTuple):
    text: str
    start: int
    """Offset in the sentence text."""
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_cap(self) -> bool:
        """Starts a name: capitalised ("Boeing"), or lower-camel ("iPhone")."""
        t = self.text
        c = t[0]
        if c.isupper():
            return True
        if c.islower() and len(t) > 1:
            return any(ch.isupper() for ch in t[1:])
        return c.isdigit() and any(ch.isalpha() for ch in t) and any(ch.isupper() for ch in t)


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        if len(word) > 2 and word[0].isalpha() and _POSSESSIVE.search(word):
            out.append(Token(word[:-2], start, end - 2))
            out.append(Token(word[-2:], end - 2, end))
            continue
        if "-" in word and word[0].isalpha() and not word.isupper():
            parts = word.split("-")
            caps = [bool(p) and (p[0].isupper() or p[0].isdigit()) for p in parts]
            if any(caps) and not all(caps):
                pos = start
                for part in parts:
                    if part:
                        out.append(Token(part, pos, pos + len(part)))
                    pos += len(part) + 1
                continue
        out.append(Token(word, start, end))
    return out
