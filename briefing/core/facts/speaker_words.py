"""The words, shapes and small readers that speakers.py reads attributions by: which verbs
say, which words end a subject, what a name or a title looks like."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from briefing.core.facts.lexicon import common_words, demonyms, fold, speech_verbs, word_lists
from briefing.core.facts.roles import is_role_word

_SPEAKING = frozenset({"person", "organization", "place"})
_PRONOUNS = frozenset({"he", "she", "it", "they"})
_DETERMINERS = frozenset(
    """a an the one another some several many most two three four five six other two
    both few all each any""".split()
)
_PREPOSITIONS = frozenset(
    """of for at in on with from to by about against among between into over under after
    before during without within across around near toward towards via per like than""".split()
)
_RELATIVES = frozenset({"who", "whom", "whose", "which", "that", "where"})
_REFLEXIVE = frozenset({"himself", "herself", "itself", "themselves"})
_INTRO_WORDS = frozenset(
    """in on at after before during when while as if although though because since until
    asked speaking writing according however meanwhile separately earlier later still also
    yet but and so then now hours days weeks months years minutes moments""".split()
)
_FEMALE_PRONOUNS = re.compile(r"\b(?:she|herself)\b", re.I)
_MALE_PRONOUNS = re.compile(r"\b(?:he|himself)\b", re.I)
_OPENS_WITH = re.compile(r"\s*(?:(?P<f>She)|(?P<m>He))\b")
_WORD = re.compile(r"[^\W\d_][\w.'’&-]*|\d[\w.,-]*|\S")
_QUOTED_AS = re.compile(
    r"[\s,;:—–-]*(?:[^.;:!?“”\"\n]|\.(?=\w)){0,80}?\bquoted\s+(?P<who>(?:[^.;:!?“”\"\n]|\.(?=\w)){1,100}?)"
    r"\s+as\s+(?:saying|telling)\b"
)
_ABBREVIATION = re.compile(
    r"(?:[A-Za-z]\.)+|(?:Sen|Rep|Gov|Gen|Dr|Mr|Mrs|Ms|Jr|Sr|St|Lt|Col|Capt|Sgt|Prof|Rev|Adm|Inc|Corp|Co|Ltd)\.",
)
_THE_TITLE = re.compile(r"\b[Tt]he\s+(?:[a-z][a-z-]*\s+){0,2}(?P<head>[a-z]+)\b(?!\s+of\b|['’])")
_NOT_SPACE = re.compile(r"\S")
_UNREAL = frozenset(
    "will would could can may might should must to not never n't won't wouldn't can't cannot".split()
)
_PARTY_STATE = re.compile(r"[RDI]-[A-Z][\w.]*")
_AGED = re.compile(r"\d+-year-old")
_LABEL = re.compile(r"\s*([A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,4})\s*:\s*")
_PLURAL_NOUNS = frozenset(
    """official analyst expert critic witnesse resident protester doctor investor economist
    diplomat observer scientist researcher authoritie democrat republican supporter villager
    organizer organiser prosecutor lawmaker trader farmer worker voter activist rebel survivor
    leader member student teacher parent nurse soldier officer source aide adviser advisor""".split()
)
"""Nouns for groups of people, singular, that open a sentence capitalised: "Analysts say"."""
_THAT = re.compile(r"\b(?:that|because|when|if|after|as)\s+(?=(?:he|she|they|it|the|a|an|[A-Z])\b)")
_DATELINE = re.compile(r"^.*?\b[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Za-z.'-]*)*\s*(?:—|–|--+|-)\s+")
_TRAILING = re.compile(
    r"\s+(?:in\s+(?:a|an|the|his|her|their|its)\s+[a-z]|on\s+condition\b|at\s+(?:a|an|the)\s+[a-z]"
    r"|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|on\s+(?:Twitter|X|Facebook"
    r"|television|radio|(?:the\s+)?phone)\b|by\s+(?:phone|telephone|email|e-mail)\b|via\b"
    r"|during\b|after\b|before\b|when\b|while\b|as\s+(?:he|she|they|it)\b|last\s+(?:week|month|year"
    r"|night)\b|earlier\b|later\b|yesterday\b|today\b|tonight\b|this\s+(?:week|month|morning"
    r"|afternoon|evening)\b|told\b|asking\b|speaking\b|adding\b|who\s+(?:asked|spoke|declined"
    r"|requested|was\s+not|is\s+not|were\s+not|are\s+not)\b)",
)
"""Where a described speaker's phrase gives way to how or when they spoke: "a diplomat in
Brussels" keeps its place, "an official on Monday" and "an aide who asked not to be named"
lose the rest."""


@cache
def _words() -> dict[str, frozenset[str]]:
    return {k: frozenset(fold(w) for w in v) for k, v in word_lists("speaker_words.txt").items()}


def _section(name: str) -> frozenset[str]:
    return _words().get(name, frozenset())


@cache
def _org_nouns() -> frozenset[str]:
    return _section("org_nouns") | frozenset(word_lists("context_words.txt").get("org_nouns", ()))


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a quote's attribution names: a canonical `speaker`, a `description` of one the
    text does not name, both ("a Gazprom spokesman" speaks for Gazprom) or neither. `found`
    is true when an attributing clause was read at all, so no other quote's speaker is
    carried over to this one; `entity` is the speaker's index into the entities."""

    speaker: str | None = None
    description: str | None = None
    found: bool = False
    entity: int = -1
    after: bool = False
    """Read from a clause after the closing mark (`," a Gazprom spokesman said`)."""


NOBODY = Attribution()


class _Loc(NamedTuple):
    start: int
    end: int
    """Offsets in the body."""
    sent: int
    entity: int
    """Index into the entities; -1 for a mention left out of every entity."""
    kind: str
    possessive: bool
    after_prep: bool


_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z]|\bMrs?|\bMs|\bDr|\bSt|\bJr|\bSr|\bLt|\bSen|\bRep|\bGov|\bGen|\bCol|\bAdm|\bProf|\bCapt)\.$"
)
"""A full stop that ends an initial or a title ("J.", "Mr.", "Sen."), not a sentence."""


@dataclass(frozen=True, slots=True)
class _Verbs:
    said: frozenset[str]
    """Verbs of saying (speech_verbs.txt, view "quote"), lower case."""
    partial: frozenset[str]
    """Verbs that introduce a quoted fragment ("called the plan "...")."""
    participles: frozenset[str]
    between: frozenset[str]
    trailing: re.Pattern[str]
    """Adverbs and auxiliaries between a subject and its verb, at the end of a text."""


@cache
def _verbs() -> _Verbs:
    between = _section("between")
    alt = "|".join(sorted(between, key=len, reverse=True))
    return _Verbs(
        said=frozenset(speech_verbs("quote") - {"according"}),
        partial=_section("partial"),
        participles=_section("participles"),
        between=between,
        trailing=re.compile(rf"(?:\s+(?:{alt}|[a-z]+ly))+\s*$"),
    )


class _Verb(NamedTuple):
    start: int
    end: int
    kind: str
    """"acc" (according to), "part" (a participle) or "verb"."""
    word: str


_ALPHA = re.compile(r"[A-Za-z]+")
_ACCORDING_TO = re.compile(r"according\s+to\b", re.I)
_LEAD = re.compile(r"[\s,;:—–-]*")
_CLAUSE_END = re.compile(r"[.;:!?“”\"«»\n]")


def _verbs_in(text: str, a: int, b: int) -> list[_Verb]:
    """The verbs of saying (and participles, "according to") in text[a:b], in order: a
    look-up of each word in a set, far cheaper than one pattern of every verb."""
    v = _verbs()
    out: list[_Verb] = []
    for m in _ALPHA.finditer(text, a, b):
        w = m.group().casefold()
        if w == "according":
            acc = _ACCORDING_TO.match(text, m.start(), b)
            if acc is not None:
                out.append(_Verb(m.start(), acc.end(), "acc", w))
        elif w in v.participles:
            out.append(_Verb(m.start(), m.end(), "part", w))
        elif w in v.said or w in v.partial:
            out.append(_Verb(m.start(), m.end(), "verb", w))
    return out



_ADJECTIVE_ENDS = ("al", "ic", "ive", "ous", "ful", "ent", "ant", "ary", "ial", "less", "new", "ing")
_VERBISH = frozenset(
    {
        "is",
        "was",
        "were",
        "are",
        "has",
        "had",
        "have",
        "did",
        "does",
        "spoke",
        "took",
        "gave",
        "made",
        "went",
        "came",
        "met",
        "won",
        "lost",
        "left",
        "sent",
        "held",
        "got",
    }
)


def _before_verb(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The words of a subject up to the first that reads as a verb ("The minister visited
    the site and" -> "The minister"): a lower-case past form followed by a determiner, a
    preposition, a name or nothing; a word of a relative clause ("who served") stays."""
    for k, (ws, we) in enumerate(words):
        w = text[ws:we]
        lw = w.casefold()
        if lw in _RELATIVES:
            return words
        if k == 0 or not w[:1].islower():
            continue
        if lw in _VERBISH or lw in speech_verbs("quote"):
            return words[:k]
        prev = text[words[k - 1][0] : words[k - 1][1]].casefold()
        if lw.endswith("ed") and not _title_word(w) and "-" not in w and prev not in _DETERMINERS:
            nxt = text[words[k + 1][0] : words[k + 1][1]] if k + 1 < len(words) else ""
            if (
                not nxt
                or not nxt[:1].islower()
                or nxt.casefold() in _DETERMINERS
                or nxt.casefold() in _PREPOSITIONS
            ):
                return words[:k]
    return words


def _all_titles(text: str) -> bool:
    words = [w.strip(",").casefold() for w in text.split()]
    return bool(words) and all(is_role_word(w) or w in {"and", "&", "the"} for w in words)


def _unknown_name(text: str) -> bool:
    """ "Parise", "Ana Lobo": capitalised words, none of them a common word, a title or a
    demonym-like adjective: a name the entity pass did not find."""
    words = text.split()
    if not 1 <= len(words) <= 3:
        return False
    for w in words:
        bare = w.strip(".,'’")
        if not bare[:1].isupper() or not bare.replace("-", "").isalpha() or bare.isupper():
            return False
        key = fold(bare)
        forms = {key, key[:-1], key[:-2], key[:-3] + "y"} if key.endswith("s") else {key}
        if any(f in common_words() or is_role_word(f) or f in demonyms() for f in forms if f):
            return False  # "Officials", "Analysts", "Democrats": people the text does not name
        if len(words) == 1 and key.endswith("s") and key[:-1] in _PLURAL_NOUNS:
            return False
    return True


def _role_has(role: str, word: str) -> bool:
    abbreviations = {"senator": "sen", "governor": "gov", "representative": "rep", "general": "gen"}
    return word in role.split() or abbreviations.get(word, "\0") in role.split() or word in role


def _title_word(word: str) -> bool:
    """A word a title before a name may hold: a role word, a capitalised word, or one of
    speaker_words.txt's title words ("presidential", "nominee", "then-")."""
    if not word:
        return False
    if word[0].isupper():
        return True
    lw = word.casefold()
    if lw.startswith(("then-", "ex-")):
        return True
    return is_role_word(lw) or fold(lw) in _section("title_words")


def _tokens(text: str, a: int, b: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text, a, b)]


def _segments(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Comma-separated parts of text[a:b] (brackets kept whole), blank ones left out."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = a
    for i in range(a, b):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")" and depth:
            depth -= 1
        elif c == "," and not depth:
            if text[start:i].strip():
                out.append((start, i))
            start = i + 1
    if text[start:b].strip():
        out.append((start, b))
    return out
