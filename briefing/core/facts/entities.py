"""Named entities: people, organisations, places and other named things, one per real thing.

Capitalised runs are cut at titles, possessives and nationality adjectives, typed from
structure (given names, titles, organisation and place words, the gazetteer, digits) and
merged across spellings ("Recep Tayyip Erdoğan" = "Erdoğan", "USAF" = "United States Air
Force"). Knows no particular article or name list beyond general word lists.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from briefing.core.facts import roles
from briefing.core.facts.gazetteer import BIG_CITY_POPULATION, Place, lookup
from briefing.core.facts.lexicon import (
    ACRONYM_STOP,
    MONTHS,
    NOT_NAMES_EXTRA,
    WEEKDAYS,
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
from briefing.core.models.facts import Entity, EntityType

OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", ":", "—", "–", "-", "…"})
PARTICLES = frozenset(
    "de du des da di del della dos das van von der den ter al el bin ibn bint abu la le".split()
)
_DOT_ABBR = frozenset(
    "mr mrs ms dr st mt ft gen sen rep gov lt col capt sgt prof rev adm maj cmdr hon jr sr "
    "inc corp co ltd bros".split()
)
_OF_HEADS = frozenset("republic kingdom states isle islands people horn".split())
_CONNECT = frozenset({"of", "and", "&", "the", "for", "'s", "’s"})
LOCATIVE = frozenset(
    "in at near from to outside of into across around via towards toward within".split()
)
PRODUCT_NOUNS = frozenset(
    """pipeline pipelines system systems jet jets fighter fighters missile missiles airliner
    airliners jetliner jetliners plane planes helicopter helicopters drone drones tank tanks
    rifle rifles warship warships submarine submarines satellite satellites rocket rockets
    vaccine vaccines drug drugs phone phones smartphone smartphones handset handsets device
    devices laptop laptops tablet tablets software app apps browser console consoles processor
    processors chip chips engine engines car cars vehicle vehicles truck trucks reactor
    reactors platform operating superjumbo superjumbos""".split()
)
_AMBIGUOUS_TITLES = frozenset("general major chief senior state national royal first".split())
_DETERMINERS = frozenset("the a an this that these those its his her their our".split())
_DISEASES = frozenset(
    "ebola zika marburg lassa nipah mpox covid covid-19 sars mers hiv aids h5n1 chikungunya".split()
)
"""Diseases news names with a capital: no organisation, and never a quote's speaker."""
_NOT_NAMES = frozenset(
    "GMT UTC ET EST EDT CT CST CDT PT PST PDT BST CET CEST EET EEST MSK IST JST AEST AEDT "
    "Fahrenheit Celsius".split()
)
"""Time zones and temperature scales: capitalised, never the name of anything in a story."""
_KEY_DROP = frozenset("group holding holdings".split())
_NAME_PREFIXES = ("mc", "mac", "o'", "o’", "d'", "d’", "fitz", "de", "di", "du", "la", "le")
_DIGIT = re.compile(r"\d")
_CAMEL = re.compile(r"[a-zß-ÿ][A-ZÀ-Þ]")
_YEARLIKE = range(1900, 2100)
_PLACE_FIRST = frozenset(
    # Place words that lead a name in other languages: "Place de la Concorde", "Rua Augusta".
    """place plaza piazza praca rue rua calle via avenida lago rio isla ile monte jabal jebel wadi
    mount mt lake cape isle""".split()
)
_GEO_NOUNS = frozenset(
    # Lower-case geographic nouns after a name make it a place: "the Tarn river", "Lhotse peak".
    """river rivers peak peaks mountain mountains range ranges valley valleys lake lakes sea
    strait straits desert island islands peninsula region province state county district
    glacier volcano delta basin plateau canyon gorge creek bay coast highlands hills hill
    archipelago estuary lagoon reservoir waterfall falls forest ridge massif""".split()
)
_ORG_NOUNS = frozenset(
    # Lower-case nouns an organisation's name follows: "the law firm Clifford Chance".
    """firm company companies group startup start-up lender bank insurer carmaker automaker
    retailer broadcaster newspaper publisher airline carrier chipmaker conglomerate brand
    label agency club charity consultancy manufacturer supplier association union
    organisation organization nonprofit non-profit""".split()
)
_PERSON_VERBS = frozenset(
    # Verbs right after a name of two or more words that only people do.
    """resigned married divorced coached testified pleaded smiled laughed retired apologised
    apologized scored""".split()
)
_PERSON_PASSIVES = frozenset(
    "born appointed elected sworn arrested sentenced jailed knighted nominated hired".split()
)
_ORDINALS = frozenset(
    """first second third fourth fifth sixth seventh eighth ninth tenth final opening last
    1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th""".split()
)
_OFFICE_HEADS = frozenset("department ministry".split())
_FUNDING_NEXT = frozenset("round rounds funding financing".split())
_RACE_WORDS = frozenset("black white brown indigenous".split())
_MOTION_VERBS = frozenset(
    """moved move moves flew fly flies travelled traveled travel travels returned return returns
    went go goes fled flee relocated relocate headed heading deployed sailed drove came come
    comes arrived evacuated migrated""".split()
)
_COMPANY_NEXT = frozenset(
    """said says announced reported posted shares stock stocks chief executive ceo founder
    board investors customers employees workers plans""".split()
)
_CLASSIFIERS = frozenset(
    """clade type phase stage category class grade level variant strain subtype lineage serotype
    tier article section chapter schedule group model version""".split()
)
_OF_WORDS = frozenset("of for de del du des da di do dos das".split())
_COMPASS = frozenset(
    """east west north south northern southern eastern western central upper lower greater
    northeast northwest southeast southwest north-east north-west south-east south-west""".split()
)
_SAID = frozenset(
    """said says told tells added adds explained insisted argued warned claimed recalled wrote
    stressed admitted noted replied""".split()
)
# After a sentence-initial word, what makes it a company: strong cues alone ("Apple shares
# rose", "Siemens' profit fell"), weak ones ("Nvidia said") only when said twice.
_STRONG_COMPANY_NEXT = frozenset("shares stock stocks".split())
_COMPANY_OWNS = frozenset(
    """shares stock profit profits revenue revenues sales earnings chief ceo board stake
    market products""".split()
)
_COMPANY_NEXT_OR_OWNS = _COMPANY_NEXT | _COMPANY_OWNS
_PROGRAMME = frozenset({"programme", "program"})
_NOT_MODIFIERS = frozenset("of for in at with and or who which that whose".split())
_APPOSITION_ENDS = frozenset({",", ".", ";", "who", "whose", "which", "that", "based", "owned", "—", "–"})
_GENITIVE_HEADS = frozenset("women men people children workers veterans".split())
"""Plural nouns that open a name through "'s": "Women's World Cup", "People's Bank"."""
_MEMBERS = frozenset(
    """officials analysts economists researchers scientists executives staff employees workers
    members lawyers experts engineers investors shareholders directors managers""".split()
)
_UN_FIRST = frozenset({"world", "un", "united"})
# What only a listed company has, for names that otherwise read like a person's.
_TRADED_BEFORE = frozenset("shares stock shareholders stake".split())
_TRADED_OWNS = frozenset("shares stock shareholders profit profits revenue revenues earnings".split())
_MARKET_MOVES = frozenset(
    """rose fell jumped slid dropped gained climbed tumbled slumped surged soared sank plunged
    rallied slipped edged added lost were are have had closed ended traded""".split()
)
_WEAK_COMPANY_NEXT = frozenset(
    "said says announced reported posted plans will has unveiled launched".split()
)
_SECTORS = frozenset(
    """oil gas energy power tech technology bank banks banking mining miner miners airline
    airlines chip chipmaker property retail retailer auto automaker carmaker steel insurance
    insurer utility utilities defence defense pharma pharmaceutical biotech telecom telecoms
    media shipping construction travel consumer food healthcare housing market markets
    stock equity""".split()
)
_OF_FOR = frozenset({"of", "for"})
_OFFICE_SPEAKS = frozenset("said says announced confirmed denied insisted added".split())
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_COMPANY_CUES = _POSSESSIVE | _STRONG_COMPANY_NEXT | _WEAK_COMPANY_NEXT
"""What after a sentence's first word can make it a company (see `_count_company_cue`)."""
_CURRENCY_TOKENS = frozenset("rs rp usd eur gbp jpy cny rmb chf inr rub aud cad".split())
_STRONG_PLACE_PREPS = frozenset("in near across outside throughout around within".split())
_SWORN = frozenset("sworn swore swear swears swearing".split())
"""'Swore in X' is a person taking office, not something happening in a place."""
_STAKE_NOUNS = frozenset(
    "stake stakes investment investments shares interest interests role job jobs".split()
)


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


@dataclass(frozen=True, slots=True)
class _Static:
    folded: tuple[str, ...]
    place: Place | None
    known_place: bool
    kind: str
    """The type the words alone give ("" for none), and its weight."""
    weight: float
    camel: bool
    digits: bool


_STATIC_CACHE: dict[tuple[str, tuple[str, ...]], _Static] = {}
_STATIC_ONE: dict[str, _Static] = {}
"""`_STATIC_CACHE` for names of one word, keyed by the word alone."""
_SINGLE_BAD: dict[str, bool] = {}


@dataclass(slots=True)
class EntityResult:
    entities: list[Entity]
    mentions: list[Mention]
    """Every mention, with `group` = index into `entities`."""
    countries: list[str]
    """Places named only through adjectives ("Turkish" -> Turkey), in order of appearance."""


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
def _person_company_firsts() -> tuple[tuple[str, str], ...]:
    """Each person-named company with its first word, split once, not per document."""
    return tuple((n.partition(" ")[0], n) for n in person_named_companies())


_ACRONYMS: dict[str, bool] = {}


def _is_acronym(word: str) -> bool:
    hit = _ACRONYMS.get(word)
    if hit is None:
        letters = word.replace(".", "").replace("&", "")
        hit = 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper()
        if len(_ACRONYMS) < 100_000:
            _ACRONYMS[word] = hit
    return hit


_PLAIN_NAMES: dict[str, str | None] = {}


def _plain_name_fold(doc: _Doc, word: str, is_word: bool) -> str | None:
    """The folded word if, standing alone, nothing in its letters rules it out as a name
    (no determiner, month, title, nationality, connector or other `_single_bad` word);
    None if something may. The same for every document, so memoised per word."""
    if word in _PLAIN_NAMES:
        return _PLAIN_NAMES[word]
    f = fold(word)
    bad = (
        f in _DETERMINERS
        or f in MONTHS
        or f in WEEKDAYS
        or roles.is_honorific(word)
        or f in doc.demonyms
        or word.casefold() in _CONNECT
        or doc._single_bad(word, is_word)
    )
    out = None if bad else f
    if len(_PLAIN_NAMES) > 100_000:
        _PLAIN_NAMES.clear()
    _PLAIN_NAMES[word] = out
    return out


_LINK_WORDS = PARTICLES | _CONNECT | {"&"}
_LINKS: dict[str, bool] = {}
"""Memo of `_may_link`."""


def _may_link(word: str) -> bool:
    """Whether a token that is no name's start may still carry a run on: a number
    ("Apollo 11"), an abbreviation's dot, a particle ("von der"), "of", "and", "&", "the"
    or a possessive. Any other ends the run, whatever follows (see `_Doc.runs`)."""
    return word.isdigit() or word == "." or word in _POSSESSIVE or word.casefold() in _LINK_WORDS


def _is_year(word: str) -> bool:
    return word.isdigit() and len(word) == 4 and int(word) in _YEARLIKE


def _title_case(title: str, tokens: list[Token] | None = None) -> bool:
    if tokens is None:
        tokens = tokenize(title)
    words = [w for w in tokens if w.is_word and len(w.text) > 3]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w.text[0].isupper())
    return caps / len(words) >= 0.7


class _Doc:
    """State of one extraction: the sentences, their tokens and the mentions found."""

    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences
        self.tokens = [tokenize(s) for s in sentences]
        self.full_text = "\n".join(sentences)
        # Folded word counts, counted in C: `fold` is memoised, so mapping it over every word
        # costs less than a Python loop over the distinct ones.
        self.token_counts: Counter[str] = Counter(
            map(fold, [t.text for toks in self.tokens for t in toks if t.is_word])
        )
        counts = self.token_counts
        raw_tokens = self.tokens
        self.tokens = [
            self._split_compounds(toks) if "-" in s else toks
            for s, toks in zip(sentences, self.tokens, strict=True)
        ]
        self.title_case = bool(sentences) and _title_case(sentences[0], raw_tokens[0])
        self.mentions: list[Mention] = []
        self.countries: list[str] = []
        self.mid_caps: set[str] = set()
        self.name_ends: set[str] = set()
        self.suffixes = _org_suffixes()
        self.keywords = _org_keywords()
        self.place_words = place_words()
        self.head_first = _org_head_first()
        self.keywords = _org_keywords_and_heads()
        self.events = event_words()
        self.common = common_words()
        self.given = given_names()
        self.world_given = world_given_names()
        self.person_companies = person_named_companies()
        # "Lilly" after "Eli Lilly", "Schwab" after "Charles Schwab": the company's short form.
        named = [n for first, n in _person_company_firsts() if first in counts]
        low = self.full_text.casefold() if named else ""
        self.company_short = {n.rsplit(" ", 1)[-1] for n in named if n in low}
        self.demonyms = demonyms()
        self.company_cues: Counter[str] = Counter()
        self.company_strong: set[str] = set()
        mid_raw: set[str] = set()
        add_mid = mid_raw.add
        skip_title = self.title_case
        for si, toks in enumerate(self.tokens):
            self._count_company_cue(toks)
            if si == 0 and skip_title:
                continue
            first = True
            for t in toks:
                if not t.is_word:
                    if t.text in OPENERS:
                        first = True
                    continue
                if not first and t.is_cap:
                    add_mid(t.text)
                first = False
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
        if nxt not in _COMPANY_CUES:
            return  # the commonest case, so tested before the word itself
        f = fold(toks[k].text)
        if f in _SECTORS or f in self.keywords or f in self.place_words:
            return  # "Oil shares fell", "Bank shares rose": a kind of company
        if nxt in _POSSESSIVE and k + 2 < len(toks):
            if nxt in {"'", "’"} and not toks[k].text.endswith("s"):
                return
            if toks[k + 2].text.casefold() in _COMPANY_OWNS:
                self.company_cues[f] += 2
                self.company_strong.add(f)
        elif nxt in _STRONG_COMPANY_NEXT:
            self.company_cues[f] += 2
            self.company_strong.add(f)
        elif nxt in _WEAK_COMPANY_NEXT and not toks[k].text.endswith("s"):
            self.company_cues[f] += 1

    def _company_cued(self, f: str) -> bool:
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

    # -- runs -------------------------------------------------------------------------

    def runs(self, toks: list[Token]) -> list[list[int]]:
        out: list[list[int]] = []
        cur: list[int] = []
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            if not cur and not t.is_cap:
                i += 1
                continue
            if (
                not cur
                and i >= 2
                and toks[i - 1].text == "."
                and toks[i - 1].start == toks[i - 2].end
                and toks[i - 1].end == t.start
                and toks[i - 2].text.isdigit()
            ):
                i += 1  # "1.54C": the tail of a number with its unit, not a name
                continue
            w = t.text
            nxt0 = toks[i + 1] if i + 1 < n else None
            if nxt0 is not None and t.is_cap and (
                (nxt0.text == "$" and nxt0.start == t.end)
                or nxt0.text.casefold() in {"dollar", "dollars"}
            ):
                # "US$", "US dollars": a currency, not a place.
                if cur:
                    out.append(cur)
                    cur = []
                i += 1
                continue
            if t.is_cap and (t.is_word or not cur or not _is_year(w)):
                cur.append(i)
                i += 1
                continue
            if cur:
                link = _LINKS.get(w)
                if link is None:
                    link = _may_link(w)
                    if len(_LINKS) > 100_000:
                        _LINKS.clear()
                    _LINKS[w] = link
                if not link:  # the common end of a run: a lower-case word, a comma
                    out.append(cur)
                    cur = []
                    i += 1
                    continue
                prev = toks[i - 1]
                nxt = toks[i + 1] if i + 1 < n else None
                lw = w.casefold()
                if (
                    w.isdigit()
                    and not _is_year(w)
                    and prev.is_word
                    and prev.end + 1 == t.start
                    and prev.text.casefold() not in _CURRENCY_TOKENS
                ):
                    score = (  # "England 1-0", "Barcelona 3–1": a result, not "Apollo 11"
                        nxt is not None
                        and nxt.text in {"-", "–"}
                        and nxt.start == t.end
                        and i + 2 < n
                        and toks[i + 2].text.isdigit()
                        and len(w) <= 2
                        and len(toks[i + 2].text) <= 2  # "Boeing 737-800" is a model
                    )
                    if not score and (nxt is None or nxt.text not in {"%", "percent", "million", "billion"}):
                        cur.append(i)
                        i += 1
                        continue
                if w == "." and prev.end == t.start and prev.text.casefold() in _DOT_ABBR:
                    cur.append(i)
                    ends_org = fold(prev.text) in self.suffixes
                    if nxt is not None and nxt.is_cap and not (
                        ends_org and fold(nxt.text) in self.given
                    ):
                        i += 1
                        continue
                    out.append(cur)
                    cur = []
                    i += 1
                    continue
                if (
                    lw in PARTICLES
                    and nxt is not None
                    and nxt.text.casefold() in PARTICLES
                    and i + 2 < n
                    and toks[i + 2].is_cap
                    and toks[i + 2].is_word
                ):
                    cur.extend((i, i + 1))  # "Place de la Concorde", "Ursula von der Leyen"
                    i += 2
                    continue
                if (
                    lw in {"of", "for"}
                    and nxt is not None
                    and nxt.text == "the"
                    and i + 2 < n
                    and toks[i + 2].is_cap
                    and toks[i + 2].is_word
                    and self._of_joinable(toks, cur)
                ):
                    cur.extend((i, i + 1))  # "Court for the Southern District"
                    i += 2
                    continue
                if (
                    w in _POSSESSIVE
                    and len(cur) <= 2
                    and fold(toks[cur[-1]].text) in _GENITIVE_HEADS
                    and nxt is not None
                    and nxt.is_cap
                    and nxt.is_word
                ):
                    cur.append(i)  # "Women's World Cup", "People's Liberation Army"
                    i += 1
                    continue
                if nxt is not None and nxt.is_cap and nxt.is_word:
                    if lw in PARTICLES or lw == "&":
                        cur.append(i)
                        i += 1
                        continue
                    if lw in {"of", "for"} and self._of_joinable(toks, cur):
                        cur.append(i)
                        i += 1
                        continue
                    if lw == "the" and toks[i - 1].text.casefold() in {"of", "for"}:
                        cur.append(i)
                        i += 1
                        continue
                    if (
                        lw in {"'s", "’s"}
                        and self.token_counts.get(fold(prev.text), 0) == 1
                        and self._keyword_ahead(toks, i + 1)
                    ):
                        cur.append(i)
                        i += 1
                        continue
                    if lw == "and" and self._and_joinable(toks, cur, i):
                        cur.append(i)
                        i += 1
                        continue
                out.append(cur)
                cur = []
            i += 1
        if cur:
            out.append(cur)
        for run in out:  # a run never ends on a connector
            while run and toks[run[-1]].text.casefold() in _CONNECT:
                run.pop()
        return [r for r in out if r]

    def _of_joinable(self, toks: list[Token], cur: list[int]) -> bool:
        last = toks[cur[-1]].text.casefold()
        f = fold(last)
        return (
            f in self.keywords
            or f in self.place_words
            or _singular(f) in self.place_words
            or _singular(f) in self.keywords
            or f in _OF_HEADS
            or roles.is_head(last)
            or f in {"minister", "secretary", "department", "ministry", "university"}
        )

    def _open_title(self, toks: list[Token], cur: list[int]) -> bool:
        """Whether the run so far is a title whose "of" object may go on: "Minister of Trade"."""
        for k in range(len(cur) - 2):
            if toks[cur[k + 1]].text.casefold() in {"of", "for"} and roles.is_head(toks[cur[k]].text):
                return all(
                    roles.is_role_word(toks[c].text) or toks[c].text.casefold() in _CONNECT
                    for c in cur[k + 2 :]
                )
        return False

    def _inside_of_name(self, toks: list[Token], cur: list[int], i: int, j: int) -> bool:
        """"Institute of Marine and Polar Science", "Department of Health and Human Services":
        "and" inside the object of an organisation's "of", joining words found nowhere else."""
        of_at = next(
            (k for k, c in enumerate(cur) if toks[c].text.casefold() in {"of", "for"} and k > 0),
            -1,
        )
        if of_at < 0 or j - i > 3:
            return False
        head = _singular(fold(toks[cur[of_at - 1]].text))
        if head not in self.keywords and head not in self.place_words:
            return False
        obj = self.current_text[toks[cur[of_at + 1]].start : toks[cur[-1]].end]
        if lookup(obj) is not None:
            return False  # "Bank of Japan and ...": the name is already complete
        right = [fold(toks[k].text) for k in range(i + 1, j)]
        if any(w in self.keywords or w in self.suffixes or lookup(w) for w in right):
            return False
        return all(self.token_counts.get(w, 0) <= 1 for w in right)

    def _keyword_ahead(self, toks: list[Token], j: int) -> bool:
        k = j
        while k < len(toks) and k - j < 5 and (toks[k].is_cap or toks[k].text == "of"):
            if fold(toks[k].text) in self.keywords or fold(toks[k].text) in self.place_words:
                return True
            k += 1
        return False

    def _and_joinable(self, toks: list[Token], cur: list[int], i: int) -> bool:
        if self._open_title(toks, cur) and fold(toks[i + 1].text) not in self.given:
            return True  # "Minister of Trade and Industry Piyush Goyal"
        left = fold(toks[cur[-1]].text)
        if left in self.keywords or left in self.suffixes:
            return False
        j = i + 1
        last = ""
        while j < len(toks) and j - i <= 5 and toks[j].is_cap and toks[j].is_word:
            last = fold(toks[j].text)
            j += 1
        core = [c for c in cur if toks[c].text.casefold() != "the"]
        if (
            len(core) == 1
            and core[0] > 0
            and toks[core[0] - 1].text.casefold() == "the"
            and j - i == 3
            and last in self.keywords
            and self.token_counts.get(left, 0) <= 1
            and lookup(toks[core[0]].text) is None
        ):
            return True  # "the Food and Drug Administration": one body, not "Food"
        if (
            j + 2 < len(toks)
            and j - i <= 4
            and len(cur) <= 3
            and toks[j].text == "("
            and _is_acronym(toks[j + 1].text.replace("i", "I"))
            and toks[j + 2].text == ")"
        ):
            return True  # "Law and Order (LO)": an acronym names the whole phrase
        if self._inside_of_name(toks, cur, i, j):
            return True
        # "Smith and Nephew plc" is one name; "Ford and General Motors" two: a right side
        # that is a complete organisation name of its own does not join.
        if last and (
            last in self.suffixes or (last in self.keywords and last != "air" and j - i == 2)
        ):
            return True
        start = toks[cur[0]].start
        joined = self.current_text[start : toks[j - 1].end] if j - 1 > i else ""
        place = lookup(joined) if joined else None
        return place is not None and place.kind != "city"

    # -- spans ------------------------------------------------------------------------

    def extract(self) -> None:
        for si, toks in enumerate(self.tokens):
            self.current_text = self.sentences[si]
            first_word = next((k for k, t in enumerate(toks) if t.is_word), -1)
            for run in self.runs(toks):
                self._process_run(si, toks, run, first_word)

    current_text: str = ""

    def _process_run(self, si: int, toks: list[Token], run: list[int], first_word: int) -> None:
        initial = run[0] == first_word or (run[0] > 0 and toks[run[0] - 1].text in OPENERS)
        if len(run) == 1:  # the common case: one capitalised word
            w0 = toks[run[0]].text
            if w0 in _NOT_NAMES:
                return
            f0 = _plain_name_fold(self, w0, toks[run[0]].is_word)
            if f0 is not None:
                # A word none of the checks below rejects by its letters: only its context
                # can still make it no name. `_add_span` would test what `_code_like` does.
                if self._common_phrase(toks, run[0], f0) or self._code_like(toks, run[0]):
                    return
                self._finish_span(si, toks, run, w0, f0, initial, False, None)
                return
            f0 = fold(w0)
            if f0 in _DETERMINERS or f0 in MONTHS or f0 in WEEKDAYS:
                return
            if self._common_phrase(toks, run[0], f0):
                return
            if initial and f0 in self.common and not _is_acronym(w0):
                return
            # What the general loop below does with one word: an honorific alone or a
            # nationality adjective is no name; anything else is a span of its own.
            if roles.is_honorific(w0):
                return
            if f0 in self.demonyms:
                place = self.demonyms.get(f0)
                if place:
                    self.countries.append(place)
                return
            self._add_span(si, toks, run, initial, False)
            return
        if self._title_of(si, toks, run):
            return
        words = run[:]
        person_ev = False
        j = 0
        stripped_upto = 0
        while j < len(words):
            t = toks[words[j]]
            w = t.text
            f = fold(w)
            if w == ".":
                j += 1
                continue
            if roles.is_honorific(w):
                person_ev = True
                j += 1
                continue
            at_start = initial and j == stripped_upto
            if not _is_acronym(w) and (
                f in MONTHS
                or f in WEEKDAYS
                or f in _DETERMINERS
                or (at_start and f in self.common and not self._place_starts(toks, words, j, True))
            ):  # "New rules" loses its "New"; "New Zealand", "New York" keep theirs
                j += 1
                stripped_upto = j
                continue
            dem = self._demonym_len(toks, words, j)
            if dem and j + dem < len(words) and self._place_starts(toks, words, j):
                break  # "Saudi Arabia", "Democratic Republic of the Congo"
            if dem:
                rest = words[j + dem :]
                place = self.demonyms.get(fold(" ".join(toks[k].text for k in words[j : j + dem])))
                if place:
                    self.countries.append(place)
                if not rest or not self._ends_in_org_word(toks, rest):
                    j += dem
                    continue
                break
            k = self._role_prefix(toks, words, j)
            if k > j:
                rest = words[k:]
                if rest and toks[rest[0]].text.casefold() in {"of", "for"}:
                    j = k + 1
                    person_ev = False
                    continue
                person_ev = True
                j = k
                continue
            break
        words = [k for k in words[j:] if toks[k].text != "."] if j else words
        # "9 p.m. ET Monday", "minus 4 degrees Fahrenheit": clock zones, weekdays and scales
        # at the end of a run name nothing.
        while words and (toks[words[-1]].text in _NOT_NAMES or fold(toks[words[-1]].text) in WEEKDAYS):
            words.pop()
        if not words:
            return
        stripped = j > 0
        # A title inside the run: "U.S. President Donald Trump", "Apple CEO Steve Jobs".
        split = self._inner_role(toks, words)
        if split is not None:
            left, right = split
            if left:
                self._add_span(si, toks, left, initial and not stripped, False)
            self._add_span(si, toks, right, False, True)
            return
        # A title at the end: "Ryanair CEO".
        while (
            len(words) > 1
            and fold(toks[words[0]].text) not in self.given
            and roles.is_head(toks[words[-1]].text)
            and toks[words[-2]].text.casefold() not in {"of", "the", "for", "and", "&"}
            and fold(toks[words[-1]].text) not in self.keywords
        ):
            words.pop()
            while len(words) > 1 and roles.is_role_word(toks[words[-1]].text):
                words.pop()
            if all(roles.is_role_word(toks[k].text) for k in words):
                return  # "the Prime Minister": a title with no name
        self._add_span(si, toks, words, initial and not stripped, person_ev)

    def _common_phrase(self, toks: list[Token], k: int, f: str) -> bool:
        """A capitalised word in a common phrase, no name: "the fourth Test", "the first Black
        woman", "the January-March quarter"."""
        nxt = toks[k + 1].text if k + 1 < len(toks) else ""
        prev = toks[k - 1].text.casefold() if k > 0 else ""
        if "-" in f and all(p in MONTHS or p in WEEKDAYS for p in f.split("-")):
            return True
        if prev in _ORDINALS and (not nxt or not nxt[0].isupper()):
            return not _is_acronym(toks[k].text)
        return f in _RACE_WORDS and nxt.isalpha() and nxt.islower()

    def _title_of(self, si: int, toks: list[Token], run: list[int]) -> bool:
        """A title with "of" before a name: "U.S. Secretary of State Mike Pompeo", "Governor
        of the Bank of England Andrew Bailey". The name is a person with the whole title as
        role; a place or body before the title or inside its object is a name of its own;
        a title with no name after it ("the Chief of Staff") is no entity."""
        if len(run) < 4 or not any(toks[k].text in _OF_FOR for k in run):
            return False
        words = [k for k in run if toks[k].text != "."]
        while words and fold(toks[words[0]].text) in _DETERMINERS:
            words = words[1:]
        n = len(words)
        h = -1
        for k in range(min(n - 2, 5)):
            w = toks[words[k]].text
            if w[0].isupper() and roles.is_head(w) and toks[words[k + 1]].text.casefold() in {
                "of",
                "for",
            }:
                h = k
                break
            if not (roles.is_role_word(w) or _is_acronym(w) or lookup(w) is not None):
                return False
        if h < 0:
            return False
        obj = h + 2
        name = next(
            (k for k in range(obj + 1, n - 1) if fold(toks[words[k]].text) in self.given), -1
        )
        if name < 0:
            name = obj
            after_and = True  # the object's first word is never the name
            while name < n:
                t = toks[words[name]].text
                f = fold(t)
                place_end = self._place_end(toks, words, name)
                if place_end > name:
                    name = place_end  # "King of Saudi Arabia"
                    after_and = False
                    continue
                if not (
                    after_and
                    or f in _CONNECT
                    or roles.is_role_word(t)
                    or f in self.keywords
                    or f in self.suffixes
                    or f in self.place_words
                    or f in self.demonyms
                    or _known_place(lookup(t))
                ):
                    break
                after_and = f in {"and", "&", "of", "for", "the"}  # never end on a connector
                name += 1
        rest = words[name:]
        if len(rest) > 4:
            return False
        # The title's own names: "U.S." before it, "the Bank of England" after "of".
        pre = words[:h]
        while pre and roles.is_role_word(toks[pre[-1]].text):
            pre = pre[:-1]
        if pre:
            dem = self._demonym_len(toks, pre, 0)
            if dem == len(pre):
                place = self.demonyms.get(fold(" ".join(toks[k].text for k in pre)))
                if place:
                    self.countries.append(place)
            else:
                self._add_span(si, toks, pre, False, False)
        inner = words[obj:name]
        while inner and toks[inner[0]].text.casefold() in _CONNECT:
            inner = inner[1:]
        while inner and toks[inner[-1]].text.casefold() in _CONNECT:
            inner = inner[:-1]
        if any(
            toks[k].is_cap and not roles.is_role_word(toks[k].text) for k in inner
        ):
            self._add_span(si, toks, inner, False, False)
        if rest:
            last = name - 1
            while last > h and toks[words[last]].text.casefold() in _CONNECT:
                last -= 1
            role = self.current_text[toks[words[0]].start : toks[words[last]].end]
            self._add_span(si, toks, rest, False, True, role)
        return True

    def _place_end(self, toks: list[Token], words: list[int], j: int) -> int:
        """End of the longest gazetteer place of two or more words at words[j], or j."""
        start = toks[words[j]].start
        for e in range(min(len(words), j + 4), j + 1, -1):
            if _known_place(lookup(self.current_text[start : toks[words[e - 1]].end])):
                return e
        return j

    def _place_starts(
        self, toks: list[Token], words: list[int], j: int, big_cities: bool = False
    ) -> bool:
        """Whether words[j:] starts with a country or region of the gazetteer (or a big city)."""
        start = toks[words[j]].start
        for e in range(len(words), j + 1, -1):
            place = lookup(self.current_text[start : toks[words[e - 1]].end])
            if place is not None and (place.kind != "city" or (big_cities and _known_place(place))):
                return True
        return False

    def _demonym_len(self, toks: list[Token], words: list[int], j: int) -> int:
        if j + 1 < len(words):
            two = fold(toks[words[j]].text + " " + toks[words[j + 1]].text)
            if two in self.demonyms:
                return 2
            if fold(toks[words[j]].text) in _COMPASS and fold(toks[words[j + 1]].text) in self.demonyms:
                return 2  # "South American", "West African"
        if fold(toks[words[j]].text) in self.demonyms:
            return 1
        return 0

    def _ends_in_org_word(self, toks: list[Token], words: list[int]) -> bool:
        heads = [k for k in words if not toks[k].text[0].isdigit()]
        last = fold(toks[(heads or words)[-1]].text)
        return last in self.keywords or last in self.suffixes or last in self.place_words

    def _role_prefix(self, toks: list[Token], words: list[int], j: int) -> int:
        """End of a leading title ("Prime Minister", "Secretary of State"), or j if none."""
        k = j
        last_head = -1
        while k < len(words):
            w = toks[words[k]].text
            if roles.is_head(w):
                last_head = k
            elif not (roles.is_role_word(w) or w.casefold() in {"of", "for", "and", "&"}):
                break
            k += 1
        while k > last_head + 1 and toks[words[k - 1]].text.casefold() in {"and", "&"}:
            k -= 1
        if last_head < 0:
            return j
        end = k if k > last_head + 1 and toks[words[last_head + 1]].text.casefold() not in {
            "of",
            "for",
        } else last_head + 1
        if k > last_head + 1 and toks[words[last_head + 1]].text.casefold() in {"of", "for"}:
            # "Secretary of State Mike Pompeo": the title runs up to the given name.
            m = last_head + 2
            while m < len(words) and fold(toks[words[m]].text) not in self.given:
                m += 1
            end = m if m < len(words) else last_head + 1
        rest = words[end:]
        if not rest:
            return j
        if len(rest) == 1 and fold(toks[rest[-1]].text) in self.keywords | self.suffixes:
            return j
        head = toks[words[last_head]].text.casefold()
        if head in _AMBIGUOUS_TITLES and len(rest) < 2:
            return j
        return end

    def _inner_role(
        self, toks: list[Token], words: list[int]
    ) -> tuple[list[int], list[int]] | None:
        for h in range(1, len(words) - 1):
            w = toks[words[h]].text
            if not (w[0].isupper() and roles.is_head(w)):
                continue
            if fold(w) in self.keywords:
                continue
            if toks[words[h - 1]].text.casefold() in {"of", "the", "for"}:
                continue
            r = h + 1
            while r < len(words) and roles.is_role_word(toks[words[r]].text):
                r += 1
            right = words[r:]
            if not right or toks[right[0]].text.casefold() in _CONNECT:
                continue
            if self._ends_in_org_word(toks, right):
                continue
            b = h
            while b - 1 >= 0 and roles.is_role_word(toks[words[b - 1]].text):
                b -= 1
            left = words[:b]
            while left and toks[left[-1]].text.casefold() in _CONNECT:
                left.pop()
            if left and self._demonym_len(toks, left, 0) == len(left):
                place = self.demonyms.get(fold(" ".join(toks[k].text for k in left)))
                if place:
                    self.countries.append(place)
                left = []
            return left, right
        return None

    def _add_span(
        self,
        si: int,
        toks: list[Token],
        words: list[int],
        initial: bool,
        person_ev: bool,
        role: str | None = None,
    ) -> None:
        while words and toks[words[0]].text.casefold() in _CONNECT:
            words = words[1:]
        if not words:
            return
        text = self.current_text[toks[words[0]].start : toks[words[-1]].end]
        if len(words) == 1:
            # One word: what its letters alone rule out is known from any earlier mention.
            bad = _SINGLE_BAD.get(text)
            if bad is None:
                bad = self._single_bad(text, toks[words[0]].is_word)
                if len(_SINGLE_BAD) > 100_000:
                    _SINGLE_BAD.clear()
                _SINGLE_BAD[text] = bad
            if bad or self._code_like(toks, words[0]):
                return
            self._finish_span(si, toks, words, text, fold(text), initial, person_ev, role)
            return
        f = fold(text)
        if (f in self.common and not _is_acronym(text)) or f in NOT_NAMES_EXTRA:
            return
        if f in MONTHS or f in WEEKDAYS:
            return
        if f in self.demonyms:
            return
        if (
            len(words) == 2
            and f.startswith("series ")
            and len(toks[words[1]].text) == 1
            and words[-1] + 1 < len(toks)
            and toks[words[-1] + 1].text.casefold() in _FUNDING_NEXT
        ):
            return  # "a Series B round"
        if self._hyphen_adjective(toks, words[0]):
            words = words[1:]  # "sub-Saharan Africa" is Africa
            self._add_span(si, toks, words, False, person_ev)
            return
        if self._split_place_prefix(si, toks, words, initial, person_ev):
            return
        if len(words) > 2:
            flight = next(
                (
                    k
                    for k in range(1, len(words) - 1)
                    if toks[words[k]].text.casefold() == "flight"
                    and toks[words[k + 1]].text.isdigit()
                ),
                0,
            )
            if flight:
                self._add_span(si, toks, words[:flight], initial, False)
        if all(roles.is_role_word(toks[k].text) for k in words) and any(
            roles.is_head(toks[k].text) for k in words
        ):
            return
        self._finish_span(si, toks, words, text, f, initial, person_ev, role)

    def _single_bad(self, text: str, is_word: bool) -> bool:
        """Whether one word is no name whatever its context: a common word, a month, a
        nationality, a currency code, a title alone ("President"), no letters at all."""
        f = fold(text)
        return (
            (f in self.common and not _is_acronym(text))
            or f in NOT_NAMES_EXTRA
            or f in MONTHS
            or f in WEEKDAYS
            or f in self.demonyms
            or f in ACRONYM_STOP
            or f in _CURRENCY_TOKENS
            or (len(f) > 3 and f.endswith("s") and f[:-1] in self.demonyms)
            or (not is_word and not any(c.isalpha() for c in text))
            or (roles.is_role_word(text) and roles.is_head(text))
        )

    def _finish_span(
        self,
        si: int,
        toks: list[Token],
        words: list[int],
        text: str,
        f: str,
        initial: bool,
        person_ev: bool,
        role: str | None,
    ) -> None:
        single = len(words) == 1
        w0 = toks[words[0]].text
        if si == 0 and self.title_case and not self._in_body(f):
            return
        if initial and single and not person_ev:
            known = (
                f in self.mid_caps
                or _known_place(lookup(text))
                or f in self.name_ends
                or (_is_acronym(w0) and len(w0) > 1)
                or _DIGIT.search(text) is not None
                or (w0[0].islower())
                or any(c.isupper() for c in w0[1:])
                or self._company_cued(f)
                or self._org_apposition(toks, words[-1])
            )
            if not known:
                return
        m = Mention(si, toks[words[0]].start, toks[words[-1]].end, text, role=role)
        self._type(m, toks, words, person_ev)
        self.mentions.append(m)
        if not single:  # "Harrow" after "Harrow Dynamics", "Kembleton" after "Oduya Kembleton"
            self.name_ends.add(fold(w0))
            self.name_ends.add(fold(toks[words[-1]].text))

    def _code_like(self, toks: list[Token], k: int) -> bool:
        """"RTS,S", "clade Ib", "phase III": codes and classes, not names."""
        text = self.current_text
        t = toks[k]
        if t.end + 1 < len(text) and text[t.end] == "," and text[t.end + 1].isalnum():
            return True
        if t.start >= 2 and text[t.start - 1] == "," and text[t.start - 2].isalnum():
            return True
        return (
            k > 0
            and len(t.text) <= 4
            and toks[k - 1].text in _CLASSIFIERS
            and not lookup(t.text)
        )

    def _hyphen_adjective(self, toks: list[Token], k: int) -> bool:
        if k == 0 or self.current_text[toks[k].start - 1 : toks[k].start] != "-":
            return False
        prev, word = toks[k - 1], toks[k].text
        return (
            prev.end == toks[k].start - 1
            and prev.text.islower()
            and word.endswith(("an", "ian", "ese", "ic", "ish", "ist", "ern"))
        )

    def _split_place_prefix(
        self, si: int, toks: list[Token], words: list[int], initial: bool, person_ev: bool
    ) -> bool:
        """"UK RAF", "U.S. Air Force": a place glued to a name that also stands alone."""
        for size in (3, 2, 1):
            if size >= len(words):
                continue
            prefix = self.current_text[toks[words[0]].start : toks[words[size - 1]].end]
            place = lookup(prefix)
            if place is None or (place.kind == "city" and place.population < BIG_CITY_POPULATION):
                continue
            rest = self.current_text[toks[words[size]].start : toks[words[-1]].end]
            if self._stands_alone(rest):
                self._add_span(si, toks, words[:size], initial, False)
                self._add_span(si, toks, words[size:], False, person_ev)
                return True
            return False
        return False

    def _stands_alone(self, name: str) -> bool:
        """Whether `name` occurs somewhere not glued to a capitalised word before it."""
        text = self.full_text
        i = text.find(name)
        while i >= 0:
            j = i - 1
            while j >= 0 and text[j] == " ":
                j -= 1
            k = j
            while k >= 0 and (text[k].isalnum() or text[k] in ".'’-&"):
                k -= 1
            before = text[k + 1 : j + 1]
            if not before or not before[0].isupper() or fold(before) in self.common:
                end = i + len(name)
                if end >= len(text) or not text[end].isalnum():
                    return True
            i = text.find(name, i + 1)
        return False

    def _in_body(self, f: str) -> bool:
        return f in self.mid_caps or all(part in self.mid_caps for part in f.split())

    # -- typing -----------------------------------------------------------------------

    def _static(self, text: str, wtexts: tuple[str, ...]) -> _Static:
        """What a name's words alone say about it; the same for every mention, so cached."""
        key = (text, wtexts)
        hit = _STATIC_CACHE.get(key)
        if hit is not None:
            return hit
        folded = tuple(fold(w) for w in wtexts)
        heads = [f for f in folded if not f[:1].isdigit()]
        last = (heads or folded)[-1]
        n = len(wtexts)
        place = lookup(text)
        known_place = _known_place(place)
        # The head word decides: "University of Cape Town" and "Banco Base" are organisations,
        # "Gulf of Mexico" and "East Kalimantan" places, whatever else they contain.
        head, connector = _of_head(list(folded))
        if not head and n > 1 and (folded[0] in self.head_first or folded[0] in _PLACE_FIRST):
            head = folded[0]
        # "Centre for Policy Studies": places are "of" something, bodies are "for" something.
        body_for = connector == "for" and _singular(head) in self.place_words
        org_word = any(f in self.suffixes for f in folded) or (
            any(f in self.keywords for f in folded[1:]) or (folded[0] in self.keywords and n > 1)
        )
        kind, weight = "", 0.0
        if body_for or (
            head and (head in self.keywords or head in self.suffixes) and head not in self.events
        ):
            kind, weight = "organization", 3.0
        elif head and (_singular(head) in self.place_words or head in _PLACE_FIRST) and not known_place:
            kind, weight = "place", 3.0
        elif last in _PROGRAMME and n > 1 and folded[0] in _UN_FIRST:
            kind, weight = "organization", 3.0  # "World Food Programme": a UN agency, not a plan
        elif n == 1 and last in _DISEASES:
            kind, weight = "other", 3.0  # "Ebola vaccines", not a body that can speak
        elif last in self.events and n > 1:
            kind, weight = "other", 3.0
        elif last in self.place_words and n > 1 and last not in self.keywords:
            kind, weight = "place", 3.0
        elif known_place:
            pass
        elif org_word:
            only_air = all(f == "air" for f in folded if f in self.keywords) and not any(
                f in self.suffixes for f in folded
            )
            kind, weight = "organization", 1.5 if only_air else 3.0
        elif last in self.place_words and n > 1:
            kind, weight = "place", 2.0
        elif n > 1 and any(_is_acronym(w) and len(w) > 1 for w in wtexts):
            kind, weight = "organization", 2.5  # "Africa CDC": an acronym beside a name
        elif (
            n > 1
            and folded[0] in _COMPASS
            and not self._has_name_word(list(folded))
            and " ".join(folded[1:]) not in self.demonyms
        ):
            kind, weight = "place", 2.5  # "East Kalimantan", "Northern Cape"
        out = _Static(
            folded=folded,
            place=place,
            known_place=known_place,
            kind=kind,
            weight=weight,
            camel=any(_camel(w) for w in wtexts),
            digits=_DIGIT.search(text) is not None,
        )
        if len(_STATIC_CACHE) > 100_000:
            _STATIC_CACHE.clear()
        _STATIC_CACHE[key] = out
        return out

    def _type(self, m: Mention, toks: list[Token], words: list[int], person_ev: bool) -> None:
        n = len(words)
        first_k = words[0]
        last_k = words[-1]
        if n == 1:
            # One word (most names): its text is the mention's, so it alone keys the cache.
            first = toks[first_k].text
            st1 = _STATIC_ONE.get(first)
            if st1 is None:
                st1 = self._static(first, (first,))
                if len(_STATIC_ONE) > 100_000:
                    _STATIC_ONE.clear()
                _STATIC_ONE[first] = st1
            st = st1
        else:
            wtexts = tuple([toks[k].text for k in words])
            st = self._static(m.text, wtexts)
            first = wtexts[0]
        folded = st.folded
        votes = m.votes
        get = votes.get
        place = st.place
        if place is not None:
            m.place = place
            if st.known_place:
                votes["place"] = get("place", 0.0) + 2.5
            elif self._locative(toks, words):
                votes["place"] = get("place", 0.0) + 2.0
            else:
                votes["place"] = get("place", 0.0) + 0.4
        if person_ev:
            votes["person"] = get("person", 0.0) + 3.0
        kind = st.kind
        if kind:
            votes[kind] = get(kind, 0.0) + st.weight
            if kind == "place" and n > 1 and not st.known_place and self._speaks(toks, last_k):
                # "Downing Street said": the office
                votes["organization"] = get("organization", 0.0) + (st.weight + 0.5)
        camel, digits = st.camel, st.digits
        ntoks = len(toks)
        word_before = toks[first_k - 1].text if first_k > 0 else ""
        word_after = toks[last_k + 1].text if last_k + 1 < ntoks else ""
        if word_before.islower() and word_before in _ORG_NOUNS and not st.known_place:
            # "the law firm Clifford Chance"
            votes["organization"] = get("organization", 0.0) + 3.5
        elif word_before == "based" and self.current_text[max(0, toks[first_k - 1].start - 1)] == "-":
            # "Paris-based Suez": a place is never based somewhere, even one named like a town
            votes["organization"] = get("organization", 0.0) + 4.0
        elif (
            word_after == "," and not person_ev and not st.known_place and self._org_apposition(toks, last_k)
        ):
            # "NetChoice, a trade group whose members..."
            votes["organization"] = get("organization", 0.0) + 3.5
        elif word_after.islower() and word_after in _GEO_NOUNS and kind != "organization":
            votes["place"] = get("place", 0.0) + 3.0  # "the Tarn river", "Lhotse peak"
        if (
            n == 1
            and first[0].isupper()
            and (camel or folded[0] in self.company_strong)
            and self._acts_like_company(toks, last_k)
        ):
            # "BlueHarbor said", "BlueHarbor shares fell"
            votes["organization"] = get("organization", 0.0) + 3.0
        if digits:
            votes["other"] = get("other", 0.0) + 2.5
        elif first[0].islower() and without_article(first) is None:  # "iPhone", not "al-Qaeda"
            votes["other"] = get("other", 0.0) + 2.5
        elif camel and folded[0] not in self.given:
            votes["other"] = get("other", 0.0) + 2.2
        if n == 1 and not person_ev and folded[0] in self.company_short:
            votes["organization"] = get("organization", 0.0) + 3.0
        elif n >= 2 and not person_ev:
            if " ".join(folded) in self.person_companies:
                votes["organization"] = get("organization", 0.0) + 4.0  # "Morgan Stanley"
            elif self._traded(toks, first_k, last_k):
                m.traded = True  # "shares of Lang Kessler": a company, whatever its name
                votes["organization"] = get("organization", 0.0) + 3.0
        org_typed = get("organization", 0) >= 3.0
        if n >= 2 and folded[0] in self.given and not person_ev and not org_typed:
            votes["person"] = get("person", 0.0) + 2.0
        elif (
            2 <= n <= 4
            and folded[0] in self.world_given
            and not person_ev
            and not org_typed
            and not kind
            and not st.known_place
        ):
            # "Kwame Asante", "Priya Raman": a given name of the world
            votes["person"] = get("person", 0.0) + 1.5
        if n == 1 and _is_acronym(first):
            votes["organization"] = get("organization", 0.0) + 1.0
        if (not votes or max(votes.values()) < 1.0) and not camel and not digits:
            self._context_votes(m, toks, words, n)
        if n == 1 and (not votes or max(votes.values()) < 1.0):
            # a lone unknown word, said again and again: a company
            votes["organization"] = get("organization", 0.0) + 0.5
        typed_elsewise = (
            get("organization", 0) >= 3.0 or get("other", 0) >= 2.2 or get("place", 0) >= 2.0
        )
        if typed_elsewise:
            after = None
            strong = False
        else:
            role = m.role or roles.role_before(self.current_text, toks, first_k)
            if role:
                m.role = role
                if n <= 4 and not get("organization") and not get("other"):
                    votes["person"] = get("person", 0.0) + 1.5
            # An apposition, like an age below, starts with a comma after the name.
            after, strong = (
                roles.role_after(self.current_text, toks, last_k) if word_after == "," else (None, False)
            )
        if after:
            m.role = m.role or after
            if strong and not get("organization"):
                votes["person"] = get("person", 0.0) + 2.0
            elif n >= 2 and not get("organization") and not self._has_name_word(list(folded)):
                # "Ann Lee, the acting head of ..."
                votes["person"] = get("person", 0.0) + 1.5
        if not typed_elsewise and word_after == "," and roles.age_after(toks, last_k):
            votes["person"] = get("person", 0.0) + 3.0
        nxt = last_k + 1
        for k in range(nxt, min(nxt + 3, ntoks)):
            tk = toks[k].text
            if tk.casefold() in PRODUCT_NOUNS:
                votes["other"] = get("other", 0.0) + (1.0 if camel or digits else 0.4)
                break
            if not tk.isalpha() or not tk.islower():
                break

    def _speaks(self, toks: list[Token], last: int) -> bool:
        j = last + 1
        return j < len(toks) and toks[j].text.casefold() in _OFFICE_SPEAKS

    def _org_apposition(self, toks: list[Token], last: int) -> bool:
        """", a trade group", ", the US lender": an apposition whose head is a kind of body."""
        i = last + 1
        if i + 2 >= len(toks) or toks[i].text != "," or toks[i + 1].text.casefold() not in {"a", "an", "the"}:
            return False
        for k in range(i + 2, min(i + 6, len(toks))):
            word = toks[k].text
            if word.casefold() in _ORG_NOUNS and word.islower():
                # closed like an apposition: not "Separately, the bank said"
                after = toks[k + 1].text.casefold() if k + 1 < len(toks) else "."
                return after in _APPOSITION_ENDS
            if not word.isalpha() or word.casefold() in _NOT_MODIFIERS:
                return False
        return False

    def _traded(self, toks: list[Token], first: int, last: int) -> bool:
        """"Shares of X", "a stake in X", "X shares fell", "X's profit": a listed company."""
        if (
            first >= 2
            and toks[first - 1].text.casefold() in {"of", "in"}
            and toks[first - 2].text.casefold() in _TRADED_BEFORE
        ):
            return True
        j = last + 1
        if j + 1 < len(toks) and toks[j].text.casefold() in _STRONG_COMPANY_NEXT:
            return toks[j + 1].text.casefold() in _MARKET_MOVES  # not "X shares his view"
        return (
            j + 1 < len(toks)
            and toks[j].text in _POSSESSIVE
            and toks[j + 1].text.casefold() in _TRADED_OWNS
        )

    def _acts_like_company(self, toks: list[Token], last: int) -> bool:
        j = last + 1
        if j < len(toks) and toks[j].text in _POSSESSIVE:
            j += 1
        return j < len(toks) and toks[j].text.casefold() in _COMPANY_NEXT_OR_OWNS

    def _has_name_word(self, folded: list[str]) -> bool:
        return any(
            f in self.keywords or f in self.suffixes or f in self.events or f in self.given
            for f in folded
        )

    def _context_votes(self, m: Mention, toks: list[Token], words: list[int], n: int) -> None:
        """Cues around a name nothing else types: "X said", "Mr X", "in X", "X's deputy"."""
        i, j = words[0] - 1, words[-1] + 1
        nxt = toks[j].text.casefold() if j < len(toks) else ""
        nxt2 = toks[j + 1].text if j + 1 < len(toks) else ""
        prev = toks[i].text.casefold() if i >= 0 else ""
        prev2 = toks[i - 1].text.casefold() if i >= 1 else ""
        if nxt in {"'s", "’s"} and nxt2 and roles.is_head(nxt2) and nxt2.islower():
            if prev == "the":
                m.vote("organization", 2.0)  # "the Taliban's chief spokesman"
            else:
                m.vote("person", 2.0)  # "Ueda's predecessor"
            return
        if prev in {"at", "of", "from"} and prev2 in _MEMBERS:
            m.vote("organization", 2.0)  # "officials at X", "analysts from X", "members of X"
            return
        if n >= 2 and (
            nxt in _PERSON_VERBS
            or (nxt in {"was", "is", "has", "had"} and nxt2 in _PERSON_PASSIVES)
            or (nxt in _SAID and nxt2.casefold() in {"he", "she"})
        ):
            m.vote("person", 2.0)  # "Kami Rita resigned", "Ana Lobo was born", "X said she"
            return
        if n >= 2:
            if nxt in _SAID or (nxt == "," and nxt2.casefold() == "who") or nxt == "of":
                m.vote("person", 1.5)
                return
            if (prev == "to" and prev2 == "according") or (
                prev in _SAID and nxt in {",", ".", ";", ""}
            ):
                m.vote("person", 1.0)
                return
        if prev == "of" and _singular(prev2) in self.place_words and prev2 not in self.keywords:
            m.vote("place", 2.0)  # "the island of X", "the province of X"
            return
        if prev in {"to", "into"} and prev2 in _MOTION_VERBS:
            m.vote("place", 1.0)  # "flew to X", "moved into X"
            return
        if prev == "in" and prev2 in _SWORN:
            m.vote("person", 1.0)  # "swore in Dinesh Gunawardena as prime minister"
            return
        if prev in _STRONG_PLACE_PREPS and prev2 not in _STAKE_NOUNS and nxt not in {"'s", "’s"}:
            m.vote("place", 1.0 if prev in _STRONG_PLACE_PREPS else 0.6)

    def _locative(self, toks: list[Token], words: list[int]) -> bool:
        i = words[0] - 1
        if i >= 0 and toks[i].text.casefold() in LOCATIVE:
            return not (toks[i].text.casefold() == "in" and i >= 1 and toks[i - 1].text.casefold() in _SWORN)
        j = words[-1] + 1
        if j + 1 < len(toks) and toks[j].text == "," and toks[j + 1].is_cap:
            nxt = lookup(toks[j + 1].text)
            if nxt is not None and nxt.kind in {"state", "country", "region"}:
                return True
        return j < len(toks) and toks[j].text.casefold() in {"based", "-based"}


def _known_place(place: Place | None) -> bool:
    return place is not None and (place.kind != "city" or place.population >= BIG_CITY_POPULATION)


def _of_head(folded: list[str]) -> tuple[str, str]:
    """The word before the first "of"/"for"/"de" of a name ("university" of "University of X"),
    and that connector."""
    for k in range(1, len(folded) - 1):
        if folded[k] in _OF_WORDS:
            return folded[k - 1], folded[k]
    return "", ""


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# -- merging ------------------------------------------------------------------------------


def _camel(word: str) -> bool:
    """"TurkStream", "MacBook": an inner capital after a lower-case letter, not "McCain"
    nor "al-Qaeda", nor a short acronym written in mixed case ("BoE", "DoD": a body)."""
    if _CAMEL.search(word) is None:
        return False
    if len(word) <= 4 and _mixed_case_acronym(word):
        return False
    bare = without_article(word)
    if bare is not None:
        return _camel(bare)
    low = word.casefold()
    for prefix in _NAME_PREFIXES:
        if low.startswith(prefix) and word[len(prefix) : len(prefix) + 1].isupper():
            return _CAMEL.search(word[len(prefix) :]) is not None  # "McCain", "DeSantis"
    return True


_KEY_CACHE: dict[tuple[str, frozenset[str]], str] = {}


def _mention_key(m: Mention, suffixes: frozenset[str]) -> str:
    if m.place is not None and m.votes.get("place", 0) >= 2.0:
        return "place:" + fold(m.place.name)
    cache_key = (m.text, suffixes)
    key = _KEY_CACHE.get(cache_key)
    if key is None:
        key = _text_key(m.text, suffixes)
        if len(_KEY_CACHE) > 100_000:
            _KEY_CACHE.clear()
        _KEY_CACHE[cache_key] = key
    return key


def _text_key(text: str, suffixes: frozenset[str]) -> str:
    """The grouping key of a name from its words alone."""
    parts = fold(text).replace("’", "'").split()
    while len(parts) > 1 and (parts[-1] in suffixes or parts[-1] in _KEY_DROP):
        parts.pop()
    if parts and parts[0] == "the" and len(parts) > 1:
        parts = parts[1:]
    if 2 <= len(parts) <= 3 and parts[-1] in _OFFICE_HEADS and "of" not in parts:
        parts = [parts[-1], "of", *parts[:-1]]  # "Justice Department" = "Department of Justice"
    key = " ".join(parts)
    if len(key) > 2 and key.endswith("s") and key[-2].isdigit():
        key = key[:-1]
    return key


def _initials(words: list[str]) -> str:
    return "".join(
        w[0] for w in words if w and w.casefold() not in {"of", "and", "&", "the", "for", "de"}
    ).upper()


def _mixed_case_acronym(word: str) -> bool:
    """"BoE", "DoD", "PiS": a short word with two or more capitals, written like an acronym."""
    return (
        2 <= len(word) <= 5
        and word[0].isupper()
        and word.isalpha()
        and sum(c.isupper() for c in word) >= 2
    )


_LOCATIVES = frozenset("in at from to near outside inside into across around toward towards via".split())


def _after_locative(doc: _Doc, m: Mention) -> bool:
    """The mention follows a preposition of place ("in Lucena", "near Lucena")."""
    before = doc.sentences[m.sentence][: m.start].split()
    return bool(before) and before[-1].casefold() in _LOCATIVES


def _bracket_acronym(word: str, name: str) -> bool:
    """An acronym in brackets after `name`: "RAF", "Ministry of Defence (MoD)", or the
    acronym of the name in its own language ("Law and Justice (PiS)")."""
    return _is_acronym(word) or _mixed_case_acronym(word)


def _best_type(votes: dict[str, float]) -> EntityType:
    # Nothing known about a name: an organisation, the commonest kind of unknown name in news.
    get = votes.get
    best: EntityType = "organization"
    score = 0.0
    v = get("person", 0.0)
    if v > score:
        best, score = "person", v
    v = get("place", 0.0)
    if v > score:
        best, score = "place", v
    v = get("organization", 0.0)
    if v > score:
        best, score = "organization", v
    if get("other", 0.0) > score:
        best = "other"
    return best


@dataclass(slots=True)
class _Group:
    key: str
    mentions: list[Mention]
    votes: dict[str, float]
    parent: int = -1


def _surname_votes(groups: list[_Group], doc: _Doc, root: Callable[[int], int]) -> None:
    """A name of two to four words with no organisation word whose last word also stands
    alone ("Wassim Mansouri" ... "Mansouri") is a person: organisations are shortened to their
    first word ("Northrop" for "Northrop Grumman"), people to their last."""
    singles: dict[str, int] = {}
    for gi, g in enumerate(groups):
        if groups[gi].parent < 0 and g.mentions and " " not in g.key and not g.key.startswith("place:"):
            singles[g.key] = gi
    if not singles:
        return
    for gi, g in enumerate(groups):
        parts = g.key.split()
        if groups[gi].parent >= 0 or not g.mentions or not 2 <= len(parts) <= 4:
            continue
        if g.key.startswith("place:") or _typed_otherwise(g.votes, 2.0):
            continue
        if any(p in doc.keywords or p in doc.suffixes or p in doc.place_words for p in parts):
            continue
        si = singles.get(parts[-1])
        if si is None or si == gi or _typed_otherwise(groups[si].votes, 3.0):
            continue
        if parts[-1] in doc.common or _is_acronym(groups[si].mentions[0].text):
            continue
        short = groups[si].votes
        g.votes["person"] = g.votes.get("person", 0.0) + 2.0 + sum(short.values())


def _position(m: Mention) -> tuple[int, int]:
    return (m.sentence, m.start)


def _first_at(g: _Group) -> tuple[int, int]:
    return min(((m.sentence, m.start) for m in g.mentions), default=(1 << 30, 0))


def _city_only(g: _Group) -> bool:
    return all(m.place is None or m.place.kind == "city" for m in g.mentions) and any(
        m.place is not None for m in g.mentions
    )


def _company_name(g: _Group, suffixes: frozenset[str]) -> bool:
    """A name with a company word after its first: "Toyota Motor Corp", "Acme Holdings Ltd"."""
    return _best_type(g.votes) == "organization" and any(
        fold(w) in suffixes for m in g.mentions for w in m.text.split()[1:]
    )


def _typed_otherwise(votes: dict[str, float], bar: float) -> bool:
    return (
        votes.get("organization", 0.0) >= bar
        or votes.get("place", 0.0) >= bar
        or votes.get("other", 0.0) >= 2.2
    )


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")


def _coordinated_votes(
    doc: _Doc, groups: list[_Group], root: Callable[[int], int], kinds: list[EntityType]
) -> None:
    """Names in one list are of one kind: in "Google, Meta and TikTok" the camel-cased
    "TikTok" (a product, by its letters alone) is a company like the two beside it.

    Only a weak "other" (letters alone, under 3 votes, no digits) gives way, and only to
    a kind at least two other members of the list hold. `kinds` (each group's
    `_best_type`) is kept up to date with the votes given.
    """
    by_sentence: dict[int, list[tuple[Mention, int]]] = {}
    for gi, g in enumerate(groups):
        if g.parent < 0:
            for m in g.mentions:
                by_sentence.setdefault(m.sentence, []).append((m, gi))
    for si, ms in by_sentence.items():
        if len(ms) < 3:
            continue
        ms.sort(key=lambda mg: mg[0].start)
        text = doc.sentences[si]
        chains: list[list[int]] = [[ms[0][1]]]
        for (a, _), (b, gb) in zip(ms, ms[1:], strict=False):
            if _LIST_GAP.fullmatch(text, a.end, b.start):
                chains[-1].append(gb)
            else:
                chains.append([gb])
        for chain in chains:
            if len(chain) < 3:
                continue
            chain_kinds = [kinds[root(gi)] for gi in chain]
            others = Counter(k for k in chain_kinds if k != "other")
            if not others:
                continue
            major, count = others.most_common(1)[0]
            if count < 2:
                continue
            for gi, kind in zip(chain, chain_kinds, strict=True):
                r = root(gi)
                g = groups[r]
                votes = g.votes
                if kind != "other" or votes.get("other", 0.0) >= 3.0:
                    continue
                if any(c.isdigit() for m in g.mentions for c in m.text):
                    continue  # "RAV4", "A350": models keep their kind
                votes[major] = votes.get(major, 0.0) + votes.get("other", 0.0) + 0.5
                kinds[r] = _best_type(votes)


def extract_entities(sentences: list[str]) -> EntityResult:
    """Entities of a document whose sentence 0 is the title."""
    doc = _Doc(sentences)
    doc.extract()
    mentions = doc.mentions
    suffixes = doc.suffixes
    # Acronyms in brackets right after a name abbreviate it: "Royal Air Force (RAF)".
    for idx, m in enumerate(mentions):
        if idx == 0:
            continue
        prev = mentions[idx - 1]
        if prev.sentence != m.sentence:
            continue
        between = doc.sentences[m.sentence][prev.end : m.start]
        if between.strip() == "(" and _bracket_acronym(m.text.replace(" ", ""), prev.text):
            m.acronym_of = idx - 1

    groups: list[_Group] = []
    by_key: dict[str, int] = {}
    traded: set[int] = set()
    for m in mentions:
        m.key = _mention_key(m, suffixes)
        gi = by_key.get(m.key)
        if gi is None:
            gi = len(groups)
            by_key[m.key] = gi
            groups.append(_Group(m.key, [], {}))
        g = groups[gi]
        g.mentions.append(m)
        if m.traded:
            traded.add(gi)
        for k, v in m.votes.items():
            g.votes[k] = g.votes.get(k, 0.0) + v
    for gi in sorted(traded):
        g = groups[gi]
        # One "shares of X" outweighs any number of plain "X said": people have no shares.
        if not any(m.role for m in g.mentions):
            person = g.votes.get("person", 0.0)
            if g.votes.get("organization", 0.0) <= person:
                g.votes["organization"] = person + 1.0

    def root(i: int) -> int:
        while groups[i].parent >= 0:
            i = groups[i].parent
        return i

    # Each group's type, `_best_type(votes)`, read by every merging rule below: kept up to
    # date by `merge` (the only change to votes between `_surname_votes` and
    # `_coordinated_votes`) instead of being worked out again in each pass.
    kinds: list[EntityType] = ["organization"] * len(groups)

    def merge(child: int, parent: int) -> None:
        c, p = root(child), root(parent)
        if c == p:
            return
        groups[c].parent = p
        pv = groups[p].votes
        for k, v in groups[c].votes.items():
            pv[k] = pv.get(k, 0.0) + v
        kinds[p] = _best_type(pv)
        groups[p].mentions.extend(groups[c].mentions)
        groups[c].mentions = []

    for m in mentions:
        if m.acronym_of >= 0:
            long_form = mentions[m.acronym_of]
            if (
                not _known_place(long_form.place)
                and len(long_form.text.split()) > 1
                and long_form.votes.get("other", 0.0) < 2.2
            ):
                m.vote("organization", 3.5)  # "National Cyber Security Centre (NCSC)": a body
                gl = groups[root(by_key[long_form.key])]
                gl.votes["organization"] = gl.votes.get("organization", 0.0) + 3.5
            merge(by_key[m.key], by_key[long_form.key])

    _surname_votes(groups, doc, root)
    kinds[:] = [_best_type(g.votes) for g in groups]
    key_parts = [g.key.split() for g in groups]  # keys never change

    # People: "Erdoğan" and "Tayyip Erdoğan" are "Recep Tayyip Erdoğan".
    person_suffix: dict[str, int] = {}
    person_inner: dict[str, int] = {}
    person_first: dict[str, int] = {}
    ordered = sorted(range(len(groups)), key=lambda i: -len(key_parts[i]))
    for gi in ordered:
        if kinds[gi] != "person":
            continue
        g = groups[gi]
        parts = key_parts[gi]
        if gi != root(gi):
            continue
        target = person_suffix.get(g.key)
        if target is not None and root(target) != gi:
            merge(gi, target)
            continue
        for s in range(1, len(parts)):
            person_suffix.setdefault(" ".join(parts[s:]), gi)
        bare = without_article(parts[-1]) if len(parts) > 1 else None
        if bare:  # "Assad" for "Bashar al-Assad"
            person_suffix.setdefault(bare, gi)
        for part in parts[1:-1]:  # "Lula" in "Luiz Inácio Lula da Silva"
            if part not in PARTICLES and len(part) > 2:
                person_inner.setdefault(part, gi)
        if len(parts) >= 3:  # "Tedros" for "Tedros Adhanom Ghebreyesus"; one such name only
            person_first[parts[0]] = -1 if parts[0] in person_first else gi
    for gi, g in enumerate(groups):
        if groups[gi].parent >= 0 or not g.mentions:
            continue
        target = person_suffix.get(g.key)
        if target is None and " " not in g.key:
            target = person_inner.get(g.key)
            if target is None and person_first.get(g.key, -1) >= 0:
                target = person_first[g.key]
        if target is None or root(target) == gi:
            continue
        if g.votes.get("organization", 0) >= 3.0 or g.votes.get("other", 0) >= 2.5:
            continue
        if g.key.startswith("place:"):
            continue
        merge(gi, target)
    # "Lucena said" after "Tibisay Lucena": a surname that is also a town's name is the
    # person, unless a mention is where something happens ("in Lucena").
    for gi, g in enumerate(groups):
        if groups[gi].parent >= 0 or not g.mentions or not g.key.startswith("place:"):
            continue
        place = g.mentions[0].place
        surface = {fold(m.text) for m in g.mentions}
        if place is None or place.kind != "city" or len(surface) != 1:
            continue
        target = person_suffix.get(surface.pop())
        if target is None or root(target) == gi or any(_after_locative(doc, m) for m in g.mentions):
            continue
        merge(gi, target)

    # Organisations: "Lockheed" is "Lockheed Martin"; "GAO" is "Government Accountability
    # Office"; the first-named long form wins when a short form could be several.
    long_first: dict[str, int] = {}
    long_initials: dict[str, int] = {}
    for gi, g in enumerate(groups):
        if groups[gi].parent >= 0 or not g.mentions:
            continue
        if kinds[gi] != "organization":
            continue
        words = g.mentions[0].text.split()
        if len(words) > 1:
            long_first.setdefault(fold(words[0]), gi)
            if fold(g.mentions[0].text) in doc.person_companies:
                long_first.setdefault(fold(words[-1]), gi)  # "Lilly" for "Eli Lilly"
            ini = _initials(words)
            if len(ini) >= 2:
                long_initials.setdefault(ini, gi)
    for gi, g in enumerate(groups):
        if groups[gi].parent >= 0 or not g.mentions or " " in g.mentions[0].text.strip():
            continue
        kind = kinds[gi]
        target = long_first.get(fold(g.mentions[0].text))
        if (
            target is not None
            and kind == "place"
            and _city_only(g)
            and _company_name(groups[root(target)], doc.suffixes)
            and _first_at(groups[root(target)]) < _first_at(g)
        ):
            merge(gi, target)  # "Toyota" after "Toyota Motor Corp": the company, not the city
            continue
        if " " in g.key or g.key.startswith("place:"):
            continue
        if kind == "person" or g.votes.get("place", 0.0) >= 1.0:
            continue  # "Nusantara" is not "Nusantara Capital Authority"
        if any(" " in m.text.strip() for m in g.mentions):
            continue  # "Tata Group" is not "Tata Electronics"
        target = long_first.get(g.key)
        text = g.mentions[0].text
        if target is None and _is_acronym(text):
            target = long_initials.get(text.replace(".", "").upper())
        elif target is None and _mixed_case_acronym(text):  # "BoJ" for "Bank of Japan"
            target = long_initials.get("".join(c for c in text if c.isupper()))
        if target is not None and root(target) != gi:
            if kinds[root(target)] == "person":
                continue
            merge(gi, target)

    # "Africa CDC" is "Africa Centres for Disease Control": same first word, then initials.
    org_groups = [
        gi
        for gi, g in enumerate(groups)
        if kinds[gi] == "organization" and g.parent < 0 and g.mentions
    ]
    for gi in org_groups:
        words = groups[gi].mentions[0].text.split()
        if len(words) != 2 or not _is_acronym(words[1]) or groups[gi].parent >= 0:
            continue
        for gj in org_groups:
            other = groups[gj].mentions[0].text.split()
            if gj != gi and len(other) > 2 and fold(other[0]) == fold(words[0]):
                if _initials(other[1:]).startswith(words[1].replace(".", "").upper()):
                    merge(gi, gj)
                    break

    # "the Commission" is the "European Commission" named before, when only one body so ends.
    last_word: dict[str, int] = {}
    for gi in org_groups:
        if groups[gi].parent >= 0 or not groups[gi].mentions:
            continue
        words = key_parts[gi]
        if len(words) > 1 and words[-1] in doc.keywords:
            last_word[words[-1]] = -1 if words[-1] in last_word else gi
    for gi, g in enumerate(groups):
        target = last_word.get(g.key, -1)
        if target < 0 or groups[gi].parent >= 0 or not g.mentions or root(target) == gi:
            continue
        if _first_at(groups[root(target)]) < _first_at(g):
            merge(gi, target)

    # "Wang" after "Wang Yi": a family name written first, and said alone later.
    heads: dict[str, int] = {}
    for gi, g in enumerate(groups):
        parts = key_parts[gi]
        if len(parts) == 2 and kinds[gi] == "person" and g.parent < 0 and g.mentions:
            heads[parts[0]] = -1 if parts[0] in heads else gi
    for gi, g in enumerate(groups):
        target = heads.get(g.key, -1)
        if target < 0 or groups[gi].parent >= 0 or not g.mentions or root(target) == gi:
            continue
        if _typed_otherwise(g.votes, 2.0) or g.key in person_suffix:
            continue
        merge(gi, target)

    # "China Eastern" is "China Eastern Airlines".
    org_keys = [
        (gi, key_parts[gi])
        for gi, g in enumerate(groups)
        if kinds[gi] == "organization" and g.parent < 0 and g.mentions
    ]
    longer_by_prefix: dict[tuple[str, ...], int] = {}
    for gi, words in org_keys:
        for cut in range(2, len(words)):
            longer_by_prefix.setdefault(tuple(words[:cut]), gi)
    for gi, words in org_keys:
        target = longer_by_prefix.get(tuple(words)) if len(words) >= 2 else None
        if target is not None and target != gi and groups[gi].parent < 0:
            merge(gi, target)

    _coordinated_votes(doc, groups, root, kinds)

    entities: list[Entity] = []
    group_entity: dict[int, int] = {}
    first_of: dict[int, Mention] = {}
    for i, g in enumerate(groups):
        if g.parent < 0 and g.mentions:
            ms = g.mentions
            first_of[i] = ms[0] if len(ms) == 1 else min(ms, key=_position)
    firsts = sorted(first_of, key=lambda i: _position(first_of[i]))
    for gi in firsts:
        g = groups[gi]
        kind = kinds[gi]
        ms = g.mentions
        if len(ms) == 1:
            surfaces = [ms[0].text]
            place = ms[0].place
        else:
            surfaces = list(dict.fromkeys([m.text for m in ms]))
            place = None
            for m in ms:
                if m.place is not None:
                    place = m.place
                    break
        if kind == "place" and place is not None:
            name = place.name
        elif len(surfaces) == 1:
            name = surfaces[0]
        else:
            name = max(surfaces, key=lambda s: (len(s.split()), len(s)))
        if (
            not (kind == "place" and place is not None)
            and len(name) > 2
            and name[-1] == "s"
            and name[-2].isdigit()
        ):
            name = next((s for s in surfaces if s == name[:-1]), name)
        aliases = tuple([s for s in surfaces if s != name])
        role = None
        if kind == "person":
            role = next((m.role for m in ms if m.role), None)
        first = first_of[gi]
        group_entity[gi] = len(entities)
        entities.append(
            Entity(
                name=name,
                type=kind,
                aliases=aliases,
                role=role,
                mentions=len(g.mentions),
                sentence=first.sentence,
            )
        )
    for m in mentions:
        m.group = group_entity.get(root(by_key[m.key]), -1)
    countries = list(dict.fromkeys(c for c in doc.countries if c))
    return EntityResult(entities, mentions, countries)
