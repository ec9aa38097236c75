"""One way to fold, split and skip words, for every part that compares text.

Topics, watchlists, search, story clustering and the facts engine all need "Erdoğan" to
equal "erdogan" and "S-400" to stay one word; when each folded in its own way, a topic
found by one part was missed by the next. Everything here is pure and cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FOLD_TABLE = str.maketrans(
    {
        "ı": "i", "İ": "I", "’": "'", "‘": "'", "`": "'", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
        "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    }
)
"""Letters NFKD does not take apart, and the typographic apostrophes, to their plain forms."""

WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
"""A word: letters and digits, hyphenated parts kept together ("S-400", "al-Assad")."""


def fold_chars(text: str) -> str:
    """Case- and diacritic-insensitive: "Erdoğan" -> "erdogan", "Ørsted" -> "orsted"."""
    text = text.translate(FOLD_TABLE)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.casefold()


@lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """A topic's key: folded, with hyphens, underscores and runs of spaces as one space,
    so "united-states" (a feed tag) and "United States" (an entity) are one topic."""
    return " ".join(fold_chars(text).replace("-", " ").replace("_", " ").split())


@lru_cache(maxsize=16384)
def fold_word(word: str) -> str:
    """`fold_chars` for one word of a text, cached: words repeat, whole texts do not."""
    return word.casefold() if word.isascii() else fold_chars(word)


_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")


def fold_text(text: str) -> str:
    """`fold_chars` for a whole text without filling a cache with bodies.

    Most news text is ASCII: it needs only casefolding, and the per-character diacritic
    pass runs only over the words that need it.
    """
    if text.isascii():
        return text.casefold()
    return _NON_ASCII_WORD.sub(lambda m: fold_word(m.group()), text).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text in order, hyphenated words whole ("s-400")."""
    return [fold_word(w) for w in WORD.findall(text)]


STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i in is it its of on or "
    "s said says she t that the their they this to was were which will with".split()
)
"""Words in nearly every article: search leaves them out of its index."""

STORY_STOPWORDS = STOPWORDS | frozenset(
    """
    nor do does did them our we you us who whom whose what when where while why how after before
    over under into onto about than then also not no yes would could should may might must can
    shall say saying told tells new more most other some such any all each both few many much own
    same so too very just only again further once there here out off up down via per amid among
    against between during through until since without within upon toward towards across behind
    beyond near one two three four five first last next week weeks year years day days month
    months today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday jan
    feb mar apr jun jul aug sep sept oct nov dec january february march april may june july august
    september october november december mr mrs ms cent percent according reported report reports
    statement officials official being these those is
    """.split()
)
"""Story matching also skips words every report of any story uses: reporting verbs,
dates and counting words say nothing about which event an article is about."""
