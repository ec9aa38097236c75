"""Per-document state, set up in one pass before any name is looked for.

Cues that need the whole text (words capitalised mid-sentence, sentence-initial words that
act like companies) are counted once here, so later stages ask about a word in O(1).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from briefing.core.facts import roles
from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.casing import recase
from briefing.core.facts.entities.links import without_addresses
from briefing.core.facts.entities.shapes import looks_title_cased
from briefing.core.facts.gazetteer import Place
from briefing.core.facts.lexicon import (
    common_words,
    demonyms,
    event_words,
    fold,
    given_names,
    org_words,
    person_named_companies,
    place_words,
    world_given_names,
)
from briefing.core.facts.tokens import Token, make_token, tokenize, without_article


@dataclass(slots=True)
class Mention:
    sentence: int
    start: int
    """Offset in the sentence text."""
    end: int
    text: str
    votes: dict[str, float] = field(default_factory=dict)
    role: str | None = None
    place: Place | None = None
    key: str = ""
    group: int = -1
    acronym_of: int = -1
    """Index of the mention this one abbreviates: "(EADS)" after the long name."""
    traded: bool = False
    """Said of it only of a listed company: "shares of X", "X shares fell", "X's profit"."""

    def vote(self, kind: str, weight: float) -> None:
        self.votes[kind] = self.votes.get(kind, 0.0) + weight


@cache
def _org_suffixes() -> frozenset[str]:
    return frozenset(fold(w) for w in org_words().get("suffix", frozenset()))


@cache
def _org_keywords() -> frozenset[str]:
    return frozenset(fold(w) for w in org_words().get("keyword", frozenset()))


@cache
def _org_head_first() -> frozenset[str]:
    return frozenset(fold(w) for w in org_words().get("head_first", frozenset()))


@cache
def _org_keywords_and_heads() -> frozenset[str]:
    return _org_keywords() | _org_head_first()


@cache
def _vessel_words() -> frozenset[str]:
    return vocab.VESSEL_NOUNS | vocab.VESSEL_PREFIXES


@cache
def _person_companies_by_first() -> dict[str, tuple[str, ...]]:
    """The person-named companies by their first word, so a document looks up only the
    words it has (a short article has few of them) rather than every company."""
    out: dict[str, tuple[str, ...]] = {}
    for n in sorted(person_named_companies()):
        first = n.partition(" ")[0]
        out[first] = (*out.get(first, ()), n)
    return out


class Doc:
    """State of one extraction: the sentences, their tokens and the mentions found."""

    current_text: str = ""

    def __init__(self, sentences: list[str]) -> None:
        sentences = recase(without_addresses(sentences))  # capitals-only sentences: capitals are no evidence
        self.sentences = sentences
        self.tokens = [tokenize(s) for s in sentences]
        self.full_text = "\n".join(sentences)
        # Folded word counts, counted in C: `fold` is memoised, so mapping it over every word
        # costs less than a Python loop over the distinct ones.
        self.token_counts: Counter[str] = Counter(
            map(fold, [t.text for toks in self.tokens for t in toks if t.is_word])
        )
        counts = self.token_counts
        total = sum(counts.values())
        foreign = sum(counts[w] for w in counts.keys() & vocab.NOUN_CAPITALISING)
        english = sum(counts.get(w, 0) for w in ("the", "and", "of", "to", "is", "that", "for"))
        self.nouns_capitalised = total >= 20 and foreign * 12 >= total and foreign > 2 * english
        self.vessel_cues = "/" in self.full_text or not counts.keys().isdisjoint(_vessel_words())
        """A ship may be named: a vessel's noun or prefix, or an "R/V", is in the text."""
        """A text in a language that capitalises every noun (German): capitals are no name."""
        raw_tokens = self.tokens
        self.tokens = [
            self._split_compounds(toks) if "-" in s else toks
            for s, toks in zip(sentences, self.tokens, strict=True)
        ]
        self.title_case = bool(sentences) and looks_title_cased(sentences[0], raw_tokens[0])
        self.mentions: list[Mention] = []
        self.countries: list[str] = []
        self.mid_caps: set[str] = set()
        self.name_ends: set[str] = set()
        self.suffixes = _org_suffixes()
        self.place_words = place_words()
        self.head_first = _org_head_first()
        self.keywords = _org_keywords_and_heads()
        self.events = event_words()
        self.common = common_words()
        self.given = given_names()
        self.world_given = world_given_names()
        self.person_companies = person_named_companies()
        # "Lilly" after "Eli Lilly", "Schwab" after "Charles Schwab": the company's short form.
        by_first = _person_companies_by_first()
        named = [n for first in counts.keys() & by_first.keys() for n in by_first[first]]
        low = self.full_text.casefold() if named else ""
        self.company_short = {n.rsplit(" ", 1)[-1] for n in named if n in low}
        self.demonyms = demonyms()
        self.company_cues: Counter[str] = Counter()
        self.company_strong: set[str] = set()
        mid_raw: set[str] = set()
        self.titled: set[int] = {0} if self.title_case else set()
        """Sentences written in title case (the headline, subheadings in the body): their
        capitals are no evidence of a name; a name there must be written so elsewhere."""
        connectors = vocab.TITLE_CONNECTORS
        for si, toks in enumerate(self.tokens):
            self._count_company_cue(toks)
            if si == 0 and self.title_case:
                continue
            first = True
            caps: list[str] = []
            titled = False
            for t in toks:
                if not t.is_word:
                    if t.text in vocab.OPENERS:
                        first = True
                    continue
                if not first and t.is_cap:
                    caps.append(t.text)
                    titled = titled or t.text in connectors
                first = False
            if titled and looks_title_cased(sentences[si], toks):
                self.titled.add(si)  # "But The Price Tag Isn't Cheap" between paragraphs
            else:
                mid_raw.update(caps)
        self.mid_caps.update(map(fold, mid_raw))
        # "Assad" opening a sentence is the "al-Assad" named mid-sentence elsewhere.
        self.mid_caps.update([fold(bare) for w in mid_raw if "-" in w and (bare := without_article(w))])

    def _count_company_cue(self, toks: list[Token]) -> None:
        """Score sentence-initial words by what follows them: 2 for a strong cue, 1 weak."""
        k = 0
        while k < len(toks) and not toks[k].is_word:
            k += 1
        if k + 1 >= len(toks) or not toks[k].text[:1].isupper():
            return
        nxt = toks[k + 1].text.casefold()
        if nxt not in vocab.COMPANY_CUES:
            return  # the commonest case, so tested before the word itself
        f = fold(toks[k].text)
        if f in vocab.SECTORS or f in self.keywords or f in self.place_words:
            return  # "Oil shares fell", "Bank shares rose": a kind of company
        if nxt in vocab.POSSESSIVE and k + 2 < len(toks):
            if nxt in {"'", "’"} and not toks[k].text.endswith("s"):
                return
            if toks[k + 2].text.casefold() in vocab.COMPANY_OWNS:
                self.company_cues[f] += 2
                self.company_strong.add(f)
        elif nxt in vocab.STRONG_COMPANY_NEXT:
            self.company_cues[f] += 2
            self.company_strong.add(f)
        elif nxt in vocab.WEAK_COMPANY_NEXT and not toks[k].text.endswith("s"):
            self.company_cues[f] += 1

    def company_cued(self, f: str) -> bool:
        return self.company_cues.get(f, 0) >= 2 and f not in self.common

    def _split_compounds(self, toks: list[Token]) -> list[Token]:
        """"Boeing-Air Force" is two names when "Boeing" also stands alone in the text."""
        out: list[Token] = []
        for t in toks:
            if "-" in t.text and t.is_word and t.is_cap and not roles.is_head(t.text):
                parts = t.text.split("-")
                if len(parts) == 2 and all(p[:1].isupper() for p in parts) and any(
                    self.token_counts.get(fold(p), 0) > 0 for p in parts
                ) and without_article(t.text) is None:  # "Al-Bab" is no "Al" and "Bab"
                    cut = t.start + len(parts[0])
                    out.append(make_token(parts[0], t.start, cut))
                    out.append(make_token("-", cut, cut + 1))
                    out.append(make_token(parts[1], t.end - len(parts[1]), t.end))
                    continue
            out.append(t)
        return out
