"""What an article gives the topic index, and which names can be topics at all.

Kept apart from the index itself: these rules read one article or one name, the index
reads the whole store, and the ingest pipeline needs only these.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.core.text.fold import fold_key

if TYPE_CHECKING:
    from briefing.core.models.article import Article

_FUNCTION_WORDS = frozenset(
    """a an the of for and or in on at to with by from as into onto over after before about
    is are was were be been has have had will not but than this that its his her their""".split()
)
"""Words that inside a name, capitalised, show title-case text ("Moon For The First Time")."""
_NAME_LINKS = frozenset(
    """of for the and & de du des da di do dos das del della van von der den ter al el bin ibn
    bint abu la le y e upon on""".split()
)
"""Lower-case words a real name may hold: "Court for the Southern District", "da Silva"."""


@lru_cache(maxsize=65536)
def junk_topic(name: str, kind: str) -> bool:
    """Whether a name cannot be a topic: no real name has fewer than two letters or digits
    (nor none but digits), opens or
    ends on a lone letter ("V Roger Revelle" from "R/V", "Meeting C"), or reads like a piece
    of a sentence ("Moon For The First Time", "Argentina an Argentine"). Two letters make a
    topic only in capitals ("EU", "UN"); feed tags are the feed's own words and kept."""
    letters = sum(c.isalpha() for c in name)
    if not letters or sum(c.isalnum() for c in name) < 2:
        return True
    if kind == "tag":
        return False
    words = name.split()
    if letters == 2 and len(words) == 1 and not name.isupper():
        return True
    if kind == "phrase":
        return any(len(w) < 3 for w in words)
    if len(words) > 7:
        return True
    if len(words) > 1:
        if _lone_letter(words[0]) or (_lone_letter(words[-1]) and not _letter_series(words[0])):
            return True
        shouted = name.isupper()
        for w in words[1:]:
            low = w.casefold()
            if low in _FUNCTION_WORDS and (w[:1].isupper() and (not shouted or len(words) > 2)):
                if low != "the" or not shouted:
                    return True
            if w.islower() and w.isalpha() and low not in _NAME_LINKS:
                return True
    return False


def _lone_letter(word: str) -> bool:
    return len(word) == 1 and word.isalpha()


_FACTS_DATA = Path(__file__).resolve().parents[1] / "facts" / "data"
"""The facts engine's word lists, read here directly: importing the engine to read three
short lists would cost the reader's start a quarter of a second."""


def _data_lines(name: str) -> list[str]:
    try:
        raw = (_FACTS_DATA / name).read_text(encoding="utf-8")
    except OSError:
        return []
    return [ln for ln in raw.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _section(name: str, section: str) -> frozenset[str]:
    """The words of one [section] of a word-list file, lower case."""
    out: set[str] = set()
    current = ""
    for ln in _data_lines(name):
        s = ln.strip()
        if s.startswith("[") and s.endswith("]"):
            current = s[1:-1]
        elif current == section:
            out.update(w.casefold() for w in s.split())
    return frozenset(out)


@cache
def _letter_series_heads() -> frozenset[str]:
    return _section("name_words.txt", "letter_series")


def _letter_series(word: str) -> bool:
    """"Plan B", "Vitamin D", "Group A": a head that names things by a letter."""
    return word.casefold() in _letter_series_heads()


@cache
def place_names() -> dict[str, str]:
    """Folded other names of places -> the folded name the gazetteer gives ("kiev" -> "kyiv"):
    the short hand-written list only, so the store's topics never load the gazetteer."""
    out: dict[str, str] = {}
    for line in _data_lines("place_aliases.txt"):
        alias, _, canonical = line.partition("\t")
        if canonical.strip():
            out[fold_key(alias)] = fold_key(canonical)
    return out


@cache
def _company_suffixes() -> frozenset[str]:
    return frozenset(fold_key(w).rstrip(".") for w in _section("org_words.txt", "suffix"))


def without_company_suffix(key: str) -> str:
    """"apple inc." -> "apple", "daimler ag" -> "daimler": the company, however registered."""
    words = key.split()
    suffixes = _company_suffixes()
    while len(words) > 1 and words[-1].rstrip(".,") in suffixes:
        words.pop()
    return " ".join(words)


_TRANSLIT_END = re.compile(r"(?:iy|yy|ij|ii)$")
_DOUBLE = re.compile(r"([a-z])\1")


@lru_cache(maxsize=65536)
def spelling_key(key: str) -> str:
    """One key for the ways one name is transliterated: doubled letters and the endings
    "-iy", "-yy", "-ij" of the same sound ("zelenskyy" = "zelenskiy" = "zelensky"). Only
    words of six letters or more change: short words differ by too little to tell."""
    out = []
    for w in key.split():
        if len(w) >= 6 and w.isalpha():
            w = _DOUBLE.sub(r"\1", _TRANSLIT_END.sub("y", w))
        out.append(w)
    return " ".join(out)



def capitals(name: str) -> int:
    return sum(c.isupper() for c in name)


def topics_of(article: Article) -> list[list[str]]:
    """The (name, kind) pairs of an article's index row: its facts' topics, then its tags.

    The outlet's own name ("Duvar English", "Reuters" for a Reuters story, its site's
    name) and its byline are where the article comes from, not what it is about: no topic.
    """
    kinds: dict[str, str] = {}
    if article.facts:
        for entity in article.facts.entities:
            kinds[entity.name] = entity.type
    own = _own_names(article)
    pairs: list[list[str]] = []
    for name in article.facts.topics if article.facts else ():
        kind = kinds.get(name) or _unnamed_kind(name)
        if kind == "place" or not _is_own_name(fold_key(name), own):
            pairs.append([name, kind])
    seen = {name for name, _ in pairs}
    pairs += [[tag, "tag"] for tag in article.tags if tag not in seen]
    return pairs


def links_of(article: Article) -> list[list[str]]:
    """The (alias, topic name) pairs an article's own facts show: the other spellings of
    each entity among its topics ("NATO" of "North Atlantic Treaty Organization", written
    in brackets after it; "Erdoğan" of "Recep Tayyip Erdoğan"). With them the store joins
    an article that writes only the alias to the same topic."""
    if not article.facts:
        return []
    topics = set(article.facts.topics)
    out: list[list[str]] = []
    for entity in article.facts.entities:
        if entity.name not in topics:
            continue
        key = fold_key(entity.name)
        for alias in entity.aliases:
            a = fold_key(alias)
            if a == key or junk_topic(alias, entity.type):
                continue
            if entity.type == "person" and not key.endswith(" " + a):
                continue  # a person is linked by the surname, never by a given name alone
            if entity.type != "person" and " " not in a and not (alias.isupper() or capitals(alias) >= 2):
                continue  # "Commission", "Pro": a lone word no reader links by
            out.append([alias, entity.name])
    return out


def _unnamed_kind(name: str) -> str:
    """A topic that is no entity: a country said only through its adjective ("Turkish" ->
    "Turkey"), or a key phrase ("air defense")."""
    return "place" if name in _adjective_places() else "phrase"


@cache
def _adjective_places() -> frozenset[str]:
    return frozenset(
        place.strip() for ln in _data_lines("demonyms.txt") if (place := ln.partition("\t")[2]).strip()
    )


_BYLINE = re.compile(r"^\s*(?:by|from)\s+", re.I)
_DOMAIN = re.compile(r"^[a-z][a-z0-9+.-]*://(?:www\d?\.|m\.|amp\.|rss\.|feeds?\.|news\.)?([^/:?#]+)", re.I)


def _own_names(article: Article) -> tuple[str, ...]:
    """Folded names of where the article comes from: its source, byline and site."""
    names: list[str] = []
    for text in (article.source, article.author):
        if text:
            key = fold_key(_BYLINE.sub("", text))
            if key:
                names.append(key)
    if article.link:
        m = _DOMAIN.match(article.link)
        if m:
            labels = m.group(1).casefold().split(".")
            if len(labels) >= 3 and labels[-2] in {"co", "com", "org", "net", "gov"}:
                names.append(labels[-3])  # "bbc.co.uk"
            elif len(labels) >= 2:
                names.append(labels[-2])
    return tuple(names)


def _is_own_name(key: str, own: tuple[str, ...]) -> bool:
    """"Guardian" for "The Guardian", "Duvar" for "Duvar English", "Reuters" for the site
    reuters.com: the whole of an own name, its first words, or the site's name unspaced."""
    if not key or not own:
        return False
    bare = key.removeprefix("the ")
    squashed = bare.replace(" ", "")
    for name in own:
        name = name.removeprefix("the ")
        if bare == name or name.startswith(bare + " ") or squashed == name.replace(" ", ""):
            return True
        if len(squashed) >= 4 and squashed in {name.replace(" ", ""), "the" + name}:
            return True
    return False
