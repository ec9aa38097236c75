"""Feed furniture at the end of an entry's body: "Read more", "Continue reading →", "[…]",
"The post X appeared first on Y." and their kin.

Feeds append these to every summary; in an offline reader they are links to nowhere and
noise in the facts. Only the end of a body is touched, paragraph by paragraph and then the
tail of the last one, and only text that is nothing but such a phrase: a sentence that
merely mentions reading more stays. A body cut short keeps an ellipsis to say so.
"""

from __future__ import annotations

import re

__all__ = ["strip_trailing_boilerplate"]

_TAIL_CHARS = 800
"""Only this much of the end is examined: the patterns' work stays bounded."""
_ROUNDS = 4

# The phrases, in the languages WordPress and the big platforms ship them in.
_MORE = (
    r"(?:read\s+more|continue\s+reading|keep\s+reading|read\s+on|more|"
    r"read\s+(?:the\s+)?(?:full|whole|entire|complete)\s+(?:story|article|post|entry|report|piece|text)|"
    r"read\s+the\s+rest(?:\s+of\s+(?:this|the)\s+(?:entry|post|article|story))?|"
    r"(?:click|tap)\s+here\s+to\s+(?:read\s+more|continue(?:\s+reading)?|read\s+the\s+(?:full\s+)?(?:story|article))|"
    r"full\s+(?:story|article)|view\s+(?:the\s+)?(?:full\s+)?(?:article|story|post)|"
    r"lire\s+la\s+suite|weiterlesen|mehr\s+lesen|leer\s+m[aá]s|seguir\s+leyendo|leia\s+mais|"
    r"continua\s+a\s+leggere|leggi\s+(?:tutto|di\s+pi[uù])|lees\s+verder|czytaj\s+dalej|devam[ıi]n[ıi]\s+oku)"
)
# What may follow the phrase: where ("at Reuters"), what ("“The title”"), an arrow.
_MORE_TAIL = (
    r"(?:\s+(?:at|on|in|from|via)\s+[^\n.!?]{1,80}|\s*[:\-–—]?\s*[“\"«‘'][^\n]{1,200}?[”\"»’'])?"
    r"\s*(?:\.{3}|…)?\s*[\]\)]?\s*[»›→>⟶➔…:.!]*"
)
_ELLIPSIS_MARK = r"(?:\[\s*(?:…|\.{3}|&hellip;)\s*\]|\(\s*more\s*(?:…|\.{3})?\s*\)|…|\.{3})"

_WHOLE_PARAGRAPH = re.compile(
    rf"(?:{_ELLIPSIS_MARK}\s*)?[\[\(]?\s*{_MORE}{_MORE_TAIL}"  # "Read more »", "[Continue reading]"
    rf"|{_ELLIPSIS_MARK}"  # "[…]" alone
    r"|the\s+post\s+.{1,300}?\s+(?:appeared\s+first|first\s+appeared)\s+on\s+.{1,150}"
    r"|(?:der|dieser)\s+beitrag\s+.{1,300}?\s+erschien\s+zuerst\s+auf\s+.{1,150}"
    r"|l[’']article\s+.{1,300}?\s+est\s+apparu\s+en\s+premier\s+sur\s+.{1,150}"
    r"|la\s+entrada\s+.{1,300}?\s+se\s+public[óo]\s+primero\s+en\s+.{1,150}"
    r"|o\s+post\s+.{1,300}?\s+apareceu\s+primeiro\s+em\s+.{1,150}",
    re.IGNORECASE | re.DOTALL,
)

# A phrase appended to the last sentence: after a sentence's end, an ellipsis or a bracket
# in any case; after a plain space only when capitalised as a link label is ("... Read More").
_BOUNDARY = r"(?:(?<=[.!?…\]\)”\"»:;])|(?<=\.\.\.))"
_TAIL = re.compile(
    rf"(?:{_BOUNDARY}\s*(?i:[\[\(]?\s*{_MORE}{_MORE_TAIL})"
    rf"|\s+[\[\(]?\s*(?:Read\s+[Mm]ore|READ\s+MORE|Continue\s+[Rr]eading|Keep\s+[Rr]eading|Read\s+[Oo]n|"
    rf"Read\s+the\s+(?:[Ff]ull|[Rr]est)\b[^\n.!?]{{0,40}}|Full\s+[Ss]tory|Lire\s+la\s+suite|Weiterlesen)"
    rf"(?i:{_MORE_TAIL})"
    rf"|{_BOUNDARY}\s*(?i:the\s+post\s+.{{1,300}}?\s+(?:appeared\s+first|first\s+appeared)\s+on\s+"
    rf"[^\n]{{1,150}}))\s*$",
    re.DOTALL,
)
_ELLIPSIS_TAIL = re.compile(rf"\s*{_ELLIPSIS_MARK}\s*$")
_SENTENCE_END = re.compile(r"[.!?…\"”’'»)\]]$")


def _strip_once(text: str) -> str:
    head, sep, last = text.rpartition("\n\n")
    if len(last) <= _TAIL_CHARS and _WHOLE_PARAGRAPH.fullmatch(last.strip()):
        return head.rstrip() if sep else ""
    cut = _TAIL.search(last, max(0, len(last) - _TAIL_CHARS))
    if cut is not None and cut.start() > 0:
        last = last[: cut.start()].rstrip()
    else:
        # "[…]" or "(more…)" ends the text: the link to the rest. A bare "…" is the writer's own.
        mark = _ELLIPSIS_TAIL.search(last, max(0, len(last) - 40))
        if mark is None or mark.start() == 0 or not ("[" in mark.group(0) or "more" in mark.group(0).lower()):
            return text
        last = last[: mark.start()].rstrip()
    if last and not _SENTENCE_END.search(last):
        last += "…"  # the feed cut the text short; say so
    return f"{head}{sep}{last}" if sep else last


def strip_trailing_boilerplate(text: str) -> str:
    """The body without the "Read more" links and platform footers a feed appended to it."""
    if not text:
        return text
    for _ in range(_ROUNDS):
        stripped = _strip_once(text)
        if stripped == text:
            break
        text = stripped
    return text
