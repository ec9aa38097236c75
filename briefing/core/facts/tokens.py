"""Word tokens with character offsets, the common currency of the fact extractors.

Splits possessives off names ("Turkey’s" -> "Turkey" + "’s") and hyphenated words whose
parts differ in case ("EADS-led" -> "EADS" + "-led") so neither ever splits an entity.
Never loses offsets: every token's text is exactly `sentence_text[start:end]`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from briefing.core.facts.lexicon import role_words

_TOKEN = re.compile(
    r"""
    (\s*)(                                        # the space before, then the token:
    (?:[A-Za-z]\.){2,}(?![A-Za-z])                # U.S.  N.V.  e.g.
    |\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s)?\b        # 1,099  3.5  7/8/07  1990s  2nd
    |\w+(?:[-'’.&]\w+)*                           # O’Brien  Wal-Mart  Detik.com  AT&T
    |\S)
    """,
    re.X,
)
_POSSESSIVES = frozenset({"'s", "’s", "'S", "’S"})


class Token(NamedTuple):
    text: str
    start: int
    """Offset in the sentence text."""
    end: int
    is_word: bool
    """Starts with a letter."""
    is_cap: bool
    """Starts a name: capitalised ("Boeing"), lower-camel ("iPhone") or "3G"-like."""


def _is_cap(t: str) -> bool:
    c = t[0]
    if c.isupper():
        return True
    if c.islower():
        return len(t) > 1 and not t.islower() and any(ch.isupper() for ch in t[1:])
    return c.isdigit() and not t.isdigit() and any(ch.isupper() for ch in t)


_AFFIXES = frozenset(
    """led based made run era born style like wide owned held bound backed linked class sized
    type free only area zone level scale grade ready proof rich heavy ruled flagged friendly
    funded""".split()
)


def _hyphenated_given_name(parts: list[str]) -> bool:
    """"Jae-june", "Jae-in": a short capitalised syllable and a short lower-case one, as in
    romanised Korean given names, stay one word; "China-made" and "Iran-led" are split."""
    if len(parts) != 2:
        return False
    a, b = parts
    return (
        1 < len(a) <= 5
        and 1 < len(b) <= 5
        and a[0].isupper()
        and a[1:].islower()
        and b.isalpha()
        and b.islower()
        and b not in _AFFIXES
    )


_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ud", "ul"})
"""Arabic articles written in lower case before a name: "al-Qaeda", "el-Sisi", "ash-Sham"."""


def _arabic_article(parts: list[str]) -> bool:
    """"al-Qaeda", "al-Shabaab", "el-Sisi" are one name: split, "Qaeda" and "Shabaab" were
    left as the name and a stray "al" made other names lose their "Al-" ("Al-Bab" -> "Al")."""
    return len(parts) == 2 and parts[0] in _ARTICLES and bool(parts[1]) and parts[1][0].isupper()


def without_article(word: str) -> str | None:
    """"Assad" for "al-Assad" (any case of the article; "assad" for the folded "al-assad"),
    the form a name takes said alone; None for a word with no Arabic article."""
    head, dash, rest = word.partition("-")
    if (dash and head.casefold() in _ARTICLES and rest[:1].isalpha() and "-" not in rest
            and (rest[0].isupper() or word.islower())):
        return rest
    return None


_TITLE_TAILS = frozenset({"designate", "elect"})
_TITLE_PREFIXES = frozenset({"ex", "vice", "co"})


def _title_word(parts: list[str]) -> bool:
    """"Minister-designate", "ex-President": one title, not a name and a word."""
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return False
    heads = role_words().get("head", frozenset())
    a, b = parts[0].casefold(), parts[1].casefold()
    return (b in _TITLE_TAILS and a in heads) or (a in _TITLE_PREFIXES and b in heads)


_FLAGS: dict[str, tuple[bool, bool]] = {}


def make_token(text: str, start: int, end: int) -> Token:
    flags = _FLAGS.get(text)
    if flags is None:
        flags = (text[0].isalpha(), _is_cap(text))
        if len(_FLAGS) < 200_000:
            _FLAGS[text] = flags
    return Token(text, start, end, flags[0], flags[1])


_new = tuple.__new__


# Words that tokenize never splits (no possessive, no split hyphen), with their flags.
_PLAIN: dict[str, tuple[bool, bool]] = {}


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    append = out.append
    flags_of = _FLAGS
    plain = _PLAIN
    at = 0
    for space, word in _TOKEN.findall(text):
        start = at + len(space)
        end = at = start + len(word)
        flags = plain.get(word)
        if flags is not None:
            append(_new(Token, (word, start, end, flags[0], flags[1])))
            continue
        if len(word) > 2 and word[-2:] in _POSSESSIVES and word[0].isalpha():
            append(make_token(word[:-2], start, end - 2))
            append(make_token(word[-2:], end - 2, end))
            continue
        if "-" in word and word[0].isalpha() and not word.isupper():
            parts = word.split("-")
            caps = [bool(p) and (p[0].isupper() or p[0].isdigit()) for p in parts]
            if (
                any(caps)
                and not all(caps)
                and not _hyphenated_given_name(parts)
                and not _title_word(parts)
                and not _arabic_article(parts)
            ):
                pos = start
                for part in parts:
                    if part:
                        append(make_token(part, pos, pos + len(part)))
                    pos += len(part) + 1
                continue
        flags = flags_of.get(word)
        if flags is None:
            token = make_token(word, start, end)
            flags = (token.is_word, token.is_cap)
            append(token)
        else:
            append(_new(Token, (word, start, end, flags[0], flags[1])))
        if len(plain) < 200_000:
            plain[word] = flags
    return out
