"""The words the entity rules look for in and around names, shared by every rule.

The lists live in data/ like every list of the engine and are read on first use, so
importing the engine reads no file; only marks and connectors stay in code.
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.core.facts.lexicon import speech_verbs, word_lists

OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", ":", "—", "–", "-", "…"})
"""Marks after which a capitalised word opens a phrase, as at a sentence's start."""
CONNECT = frozenset({"of", "and", "&", "the", "for", "'s", "’s"})
"""Connectors inside a name that never start or end one."""
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
OF_FOR = frozenset({"of", "for"})
TITLE_CONNECTORS = frozenset(
    {"A", "An", "The", "Of", "For", "And", "Or", "In", "On", "At", "To", "By", "From", "As", "Is",
     "Are", "Was", "Were", "Be", "With"}
)
"""Short words a name writes in lower case: capitalised inside a capital run they show a
title-case headline ("Moon For The First Time"), where the run is cut."""
APPOSITION_ENDS = frozenset({",", ".", ";", "who", "whose", "which", "that", "based", "owned", "—", "–"})
"""What closes an apposition like ", a trade group" (see `classify.org_apposition`)."""

# Read from data/ on first use by `__getattr__` below; then plain module attributes.
# name_words.txt
PARTICLES: frozenset[str]
DOT_ABBR: frozenset[str]
OF_HEADS: frozenset[str]
OF_WORDS: frozenset[str]
DETERMINERS: frozenset[str]
ORDINALS: frozenset[str]
RACE_WORDS: frozenset[str]
ZONES_AND_SCALES: frozenset[str]
CURRENCY_TOKENS: frozenset[str]
DISEASES: frozenset[str]
COMPASS: frozenset[str]
PLACE_FIRST: frozenset[str]
AMBIGUOUS_TITLES: frozenset[str]
GENITIVE_HEADS: frozenset[str]
CLASSIFIERS: frozenset[str]
KEY_DROP: frozenset[str]
OFFICE_HEADS: frozenset[str]
PROGRAMME: frozenset[str]
UN_FIRST: frozenset[str]
LETTER_SERIES: frozenset[str]
# context_words.txt
LOCATIVE: frozenset[str]
TOWN_LOCATIVES: frozenset[str]
STRONG_PLACE_PREPS: frozenset[str]
SWORN: frozenset[str]
STAKE_NOUNS: frozenset[str]
MOTION_VERBS: frozenset[str]
GEO_NOUNS: frozenset[str]
ORG_NOUNS: frozenset[str]
PRODUCT_NOUNS: frozenset[str]
MEMBERS: frozenset[str]
PERSON_VERBS: frozenset[str]
PERSON_PASSIVES: frozenset[str]
NOT_MODIFIERS: frozenset[str]
FUNDING_NEXT: frozenset[str]
VESSEL_NOUNS: frozenset[str]
VESSEL_PREFIXES: frozenset[str]
COLLECTIVE_NOUNS: frozenset[str]
NOUN_CAPITALISING: frozenset[str]
# company_words.txt
STRONG_COMPANY_NEXT: frozenset[str]
COMPANY_OWNS: frozenset[str]
TRADED_BEFORE: frozenset[str]
TRADED_OWNS: frozenset[str]
MARKET_MOVES: frozenset[str]
SECTORS: frozenset[str]
COMPANY_HEADS: frozenset[str]
# speech_verbs.txt, alone or with company_words.txt
SAID: frozenset[str]
"""Verbs of saying right after a person's name ("Ana Lobo said")."""
OPENER_SAID: frozenset[str]
"""Verbs of saying after a sentence's first word that make it a name ("Novatek reported")."""
OFFICE_SPEAKS: frozenset[str]
"""Verbs after a place's name that make it the office speaking ("Downing Street said")."""
COMPANY_NEXT: frozenset[str]
"""After a name, what a company does or has: "X said", "X shares", "X chief executive"."""
WEAK_COMPANY_NEXT: frozenset[str]
# Unions of the above, built once.
COMPANY_NEXT_OR_OWNS: frozenset[str]
COMPANY_CUES: frozenset[str]
"""What after a sentence's first word can make it a company (see `Doc._count_company_cue`)."""
LINK_WORDS: frozenset[str]
"""Words that may carry a capital run on (see `runs._may_link`)."""

_SECTIONS: dict[str, tuple[str, str]] = {
    "PARTICLES": ("name_words.txt", "particles"),
    "DOT_ABBR": ("name_words.txt", "dot_abbreviations"),
    "OF_HEADS": ("name_words.txt", "of_heads"),
    "OF_WORDS": ("name_words.txt", "of_words"),
    "DETERMINERS": ("name_words.txt", "determiners"),
    "ORDINALS": ("name_words.txt", "ordinals"),
    "RACE_WORDS": ("name_words.txt", "race_words"),
    "ZONES_AND_SCALES": ("name_words.txt", "zones_and_scales"),
    "CURRENCY_TOKENS": ("name_words.txt", "currency_codes"),
    "DISEASES": ("name_words.txt", "diseases"),
    "COMPASS": ("name_words.txt", "compass"),
    "PLACE_FIRST": ("name_words.txt", "place_first"),
    "AMBIGUOUS_TITLES": ("name_words.txt", "ambiguous_titles"),
    "GENITIVE_HEADS": ("name_words.txt", "genitive_heads"),
    "CLASSIFIERS": ("name_words.txt", "classifiers"),
    "KEY_DROP": ("name_words.txt", "key_drop"),
    "OFFICE_HEADS": ("name_words.txt", "office_heads"),
    "PROGRAMME": ("name_words.txt", "programme"),
    "UN_FIRST": ("name_words.txt", "un_first"),
    "LETTER_SERIES": ("name_words.txt", "letter_series"),
    "LOCATIVE": ("context_words.txt", "locative"),
    "TOWN_LOCATIVES": ("context_words.txt", "town_locatives"),
    "STRONG_PLACE_PREPS": ("context_words.txt", "strong_place_preps"),
    "SWORN": ("context_words.txt", "sworn"),
    "STAKE_NOUNS": ("context_words.txt", "stake_nouns"),
    "MOTION_VERBS": ("context_words.txt", "motion_verbs"),
    "GEO_NOUNS": ("context_words.txt", "geo_nouns"),
    "ORG_NOUNS": ("context_words.txt", "org_nouns"),
    "PRODUCT_NOUNS": ("context_words.txt", "product_nouns"),
    "MEMBERS": ("context_words.txt", "members"),
    "PERSON_VERBS": ("context_words.txt", "person_verbs"),
    "PERSON_PASSIVES": ("context_words.txt", "person_passives"),
    "NOT_MODIFIERS": ("context_words.txt", "not_modifiers"),
    "FUNDING_NEXT": ("context_words.txt", "funding_next"),
    "VESSEL_NOUNS": ("context_words.txt", "vessel_nouns"),
    "VESSEL_PREFIXES": ("context_words.txt", "vessel_prefixes"),
    "COLLECTIVE_NOUNS": ("context_words.txt", "collective_nouns"),
    "NOUN_CAPITALISING": ("context_words.txt", "noun_capitalising"),
    "STRONG_COMPANY_NEXT": ("company_words.txt", "strong_company_next"),
    "COMPANY_OWNS": ("company_words.txt", "company_owns"),
    "TRADED_BEFORE": ("company_words.txt", "traded_before"),
    "TRADED_OWNS": ("company_words.txt", "traded_owns"),
    "MARKET_MOVES": ("company_words.txt", "market_moves"),
    "SECTORS": ("company_words.txt", "sectors"),
    "COMPANY_HEADS": ("company_words.txt", "company_heads"),
}


def _list(name: str) -> frozenset[str]:
    value = globals().get(name)
    return value if isinstance(value, frozenset) else __getattr__(name)


_BUILT: dict[str, Callable[[], frozenset[str]]] = {
    "SAID": lambda: speech_verbs("after_name"),
    "OPENER_SAID": lambda: (speech_verbs("after_name") | speech_verbs("company")) - {"added", "adds"},
    "OFFICE_SPEAKS": lambda: speech_verbs("office"),
    "COMPANY_NEXT": lambda: speech_verbs("company") | word_lists("company_words.txt")["company_next"],
    "WEAK_COMPANY_NEXT": lambda: (
        speech_verbs("company") | word_lists("company_words.txt")["weak_company_next"]
    ),
    "COMPANY_NEXT_OR_OWNS": lambda: _list("COMPANY_NEXT") | _list("COMPANY_OWNS"),
    "COMPANY_CUES": lambda: POSSESSIVE | _list("STRONG_COMPANY_NEXT") | _list("WEAK_COMPANY_NEXT"),
    "LINK_WORDS": lambda: _list("PARTICLES") | CONNECT | {"&"},
}


def __getattr__(name: str) -> frozenset[str]:
    """A list named above, read on its first use and then kept as a module attribute, so
    later uses are plain attribute lookups that never come back here."""
    where = _SECTIONS.get(name)
    if where is not None:
        value = word_lists(where[0])[where[1]]
    elif name in _BUILT:
        value = _BUILT[name]()
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
