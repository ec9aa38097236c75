"""How text becomes what the search index stores, and a query an SQLite FTS5 expression.

SQLite's `unicode61` tokeniser folds case and most diacritics itself, fast, in C; what
it cannot know is left to the project's folding here: "ı", "ø", "ł" and the like become
plain letters (`text.fold.FOLD_TABLE`), and a hyphenated name is stored both split and
joined ("S-400" -> s 400 s400), so "s400", "S-400" and "s-400 system" all find it.
Documents and queries go through the same steps, which is what makes phrases match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.core.text.fold import FOLD_TABLE, STOPWORDS, WORD, fold_text

TOKENIZER = "unicode61 remove_diacritics 2"
"""The FTS5 tokeniser the index is created with; `index_text` prepares text for it."""

_SPECIAL = re.compile("[" + "".join(chr(c) for c in FOLD_TABLE if chr(c) != "`") + "]")
_QUERY = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def _with_joined(text: str) -> str:
    """Each hyphenated word followed by its joined form. Found from the hyphens, which
    are few, outward: a regex over every word cost ten times the rest of indexing."""
    out: list[str] = []
    last, start, n = 0, 0, len(text)
    while (p := text.find("-", start)) != -1:
        i = p
        while i > 0 and text[i - 1].isalnum():
            i -= 1
        j = p + 1
        while j < n and (text[j].isalnum() or (text[j] == "-" and j + 1 < n and text[j + 1].isalnum())):
            j += 1
        if i < p and j > p + 1:
            out += (text[last:j], " ", text[i:j].replace("-", ""))
            last = j
        start = max(j, p + 1)
    out.append(text[last:])
    return "".join(out)


def _plain(match: re.Match[str]) -> str:
    return match.group().translate(FOLD_TABLE)


def index_text(text: str) -> str:
    """A title or body as the index stores it: folded letters, hyphenated words also joined.

    (`str.translate` walks every character through a dict: searching for the few letters
    that need it is ten times faster on news text.)"""
    if not text.isascii():
        text = _SPECIAL.sub(_plain, text)
    return _with_joined(text) if "-" in text else text


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: expressions every match has, and expressions none has."""

    must: tuple[str, ...]
    """FTS5 expressions: "term", "term"* or "a phrase"."""
    must_not: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.must

    def match(self) -> str:
        """The FTS5 MATCH expression."""
        expr = " AND ".join(self.must)
        if self.must_not:
            expr = f"({expr}) NOT ({' OR '.join(self.must_not)})"
        return expr


def _quoted(text: str) -> str:
    return '"' + text.replace('"', " ") + '"'


def _content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(fold_text(text.translate(FOLD_TABLE))) if w not in STOPWORDS]


def parse_query(text: str) -> Query:
    """Words are ANDed; "quoted words" must be a phrase; `word*` is a prefix; `-word` excludes.

    Case and diacritics never matter ("erdogan" finds "Erdoğan"); very common words are
    ignored, so a query of only those is empty (it finds nothing rather than everything).
    """
    must: list[str] = []
    must_not: list[str] = []
    for found in _QUERY.finditer(text):
        if found.group(2) is not None:
            negated, raw, quoted = found.group(1) == "-", found.group(2), True
        else:
            negated, raw, quoted = found.group(3) == "-", found.group(4), False
        prefix = not quoted and raw.endswith("*")
        words = _content_words(raw.rstrip("*"))
        if not words:
            continue
        target = must_not if negated else must
        if quoted:
            target.append(_quoted(index_text(raw)))
        elif prefix and len(words) == 1:
            target.append(_quoted(words[0]) + "*")
        else:
            # "S-400" means the compound: its joined form is indexed for exactly this.
            target.extend(_quoted(w.replace("-", "")) for w in dict.fromkeys(words))
    return Query(tuple(dict.fromkeys(must)), tuple(dict.fromkeys(must_not)))
