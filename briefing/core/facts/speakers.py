"""Who says a quote, read from the clause that attributes it, as a careful reader would.

The attribution is the clause right after the closing mark (`," Lee said`, `," said a
diplomat in Brussels`, `," he added`), the clause before the opening mark (`Lee told
reporters: "`, `according to the ministry, "`, `Lee called the plan "`) or, for a quote that
opens a paragraph, the previous sentence ending in a colon. Its subject is read as a noun
phrase: a name at its head (past titles and possessives: "Gazprom chief executive Alexei
Miller") is the speaker; a pronoun is the nearest fitting person or organisation before it
(gender from honorifics, titles, given names and the pronouns the text uses with a name);
anything else is a description ("a Turkish energy official", "an energy consultant who
advises Balkan utilities", "analysts"), never a name taken from inside it. A definite
description ("the minister", "the company") is the person with that title or the body named
last, when the article has one; "a Gazprom spokesman" speaks for Gazprom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from briefing.core.facts.entities import Mention
from briefing.core.facts.lexicon import common_words, demonyms, fold, given_names, speech_verbs, word_lists
from briefing.core.facts.roles import is_head, is_role_word
from briefing.core.models.facts import Entity, Sentence

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


class SpeakerFinder:
    """The attributions of one article's quotes; built once per article."""

    def __init__(
        self,
        body: str,
        sentences: list[Sentence],
        mentions: list[Mention],
        entities: list[Entity],
        quoted: list[tuple[int, int]],
    ) -> None:
        self.body = body
        self.sentences = sentences
        self.entities = entities
        parts: list[str] = []
        pos = 0
        for a, b in sorted(quoted):
            a = max(a, pos)
            if b <= a:
                continue
            parts += [body[pos:a], _NOT_SPACE.sub("·", body[a:b])]
            pos = b
        parts.append(body[pos:])
        self.masked = "".join(parts)
        """The body with quoted words blotted out (offsets kept): no verb or name inside a
        quote is ever read as part of an attribution."""
        locs: list[_Loc] = []
        n_entities = len(entities)
        for m in mentions:
            si = m.sentence
            if si <= 0 or si >= len(sentences):
                continue
            offset = sentences[si].start
            start, end = offset + m.start, offset + m.end
            group = m.group if 0 <= m.group < n_entities else -1
            kind = entities[group].type if group >= 0 else "other"
            after = body[end : end + 2]
            words = body[max(0, start - 24) : start].rsplit(None, 2)
            if words and words[-1].endswith("-") and not body[start - 1 : start].isspace():
                words.pop()  # "than Rose-Lynn": the word before "Rose-"
            possessive = after[:1] in "'’" and (after[1:2].isalnum() or after[1:2] == "_")
            locs.append(
                _Loc(
                    start,
                    end,
                    si,
                    group,
                    kind,
                    possessive,
                    bool(words) and words[-1].casefold() in _PREPOSITIONS,
                )
            )
        locs.sort(key=lambda loc: loc.start)
        self.locs = locs
        self._starts = {loc.start: loc for loc in locs}
        self._with_described: list[_Loc] | None = None
        self._genders: dict[int, str] | None = None
        self.spoken: list[tuple[int, int]] = []
        """(sentence, entity) of the speakers found so far, for pronouns to come."""

    def _people(self) -> list[_Loc]:
        """The mentions, with the definite descriptions of titled people among them."""
        if self._with_described is None:
            self._with_described = sorted(
                self.locs + self._described_people(self.locs), key=lambda x: x.start
            )
        return self._with_described

    def _described_people(self, locs: list[_Loc]) -> list[_Loc]:
        """ "the minister", "the actress": a definite description naming the title of a
        person named before it is another mention of that person, for pronouns to find."""
        titled = [
            (loc, fold(self.entities[loc.entity].role or ""))
            for loc in locs
            if loc.kind == "person" and loc.entity >= 0 and self.entities[loc.entity].role
        ]
        if not titled:
            return []
        out: list[_Loc] = []
        for m in _THE_TITLE.finditer(self.masked):
            head = m.group("head").casefold()
            if not is_head(head) or head in _section("voices"):
                continue
            wanted = [fold(w) for w in m.group(0).split()[1:]]
            best = None
            for loc, role in titled:
                if loc.start >= m.start():
                    break
                if all(_role_has(role, w) for w in wanted):
                    best = loc
            if best is not None:
                before = self.masked[max(0, m.start() - 12) : m.start()].split()
                prep = bool(before) and before[-1].casefold() in _PREPOSITIONS
                si = self._sentence_of(m.start())
                out.append(_Loc(m.start(), m.end(), si, best.entity, "person", False, prep))
        return out

    def label(self, start: int, open_at: int) -> Attribution:
        """`ANN LEE: "..."`: a transcript's speaker label in capitals before the quote, the
        entity of that name when the article has one."""
        m = _LABEL.fullmatch(self.body, start, open_at)
        if m is None:
            return NOBODY
        label = " ".join(m.group(1).split())
        key = fold(label)
        for e in self.entities:
            if e.type == "person" and (fold(e.name) == key or fold(e.name).split()[-1:] == key.split()[-1:]):
                return Attribution(e.name, None, True)
        if all(fold(w) in common_words() or is_role_word(w) for w in label.split()):
            return Attribution(None, label.lower(), True)  # "NARRATOR:", "REPORTER:"
        return Attribution(label.title(), None, True)

    def names_between(self, a: int, b: int) -> bool:
        """Whether a person or organisation is named outside quotes between two offsets."""
        return any(
            a <= loc.start < b and loc.kind in {"person", "organization"} and not self._in_quote(loc.start)
            for loc in self.locs
        )

    # -- reading one quote's attribution -------------------------------------------------

    def after(self, close: int, limit: int) -> Attribution:
        """The attribution right after a closing mark at `close` (up to `limit`); when the
        clause goes on first (`" announced in May, said Lee`), the one after its comma."""
        start = close + 1
        for _ in range(3):
            got = self._after_at(start, limit)
            if got.found:
                return replace(got, after=True)
            comma = self.masked.find(",", start, limit)
            if comma < 0 or "·" in self.masked[start:comma]:
                break
            start = comma + 1
        return NOBODY

    def _after_at(self, start: int, limit: int) -> Attribution:
        text = self.masked
        if "quoted" in text[start:limit]:
            q = _QUOTED_AS.match(text, start, limit)
            if q is not None:  # `," the paper quoted Lee as saying`
                return self._noun_phrase(q.start("who"), q.end("who"), subject=False)
        lead = _LEAD.match(text, start, limit)
        at = lead.end() if lead is not None else start
        acc = _ACCORDING_TO.match(text, at, limit)
        if acc is not None:
            return self._object(acc.end(), limit)
        v = _verbs()
        # the clause ends at the first full stop that ends no initial or title
        stop = min(limit, at + 160)
        for c in _CLAUSE_END.finditer(text, at, stop):
            if c.group() != "." or not _ABBREVIATION_END.search(text, max(0, c.start() - 5), c.start() + 1):
                stop = c.start()
                break
        words = list(_ALPHA.finditer(text, at, stop))
        k = 1 if words and words[0].group().casefold() in v.between else 0
        if k < len(words) and text[at if k == 0 else words[0].end() : words[k].start()].strip() == "":
            w = words[k].group().casefold()
            if w in v.said:  # `," said Lee`
                if w in {"told", "tells", "asked", "asks"}:
                    return NOBODY  # `," told reporters` has no subject after it
                rest = words[k].end()
                if rest < limit and text[rest].isspace() and text[rest + 1 : rest + 2].strip():
                    return self._object(rest + 1, limit)
                return NOBODY
        for n, word in enumerate(words):
            w = word.group().casefold()
            perfect = w == "written" and n > 0 and words[n - 1].group().casefold() in {"has", "have"}
            if (w in v.said or perfect) and word.start() > at:
                return self._subject(at, word.start(), after_quote=True)
        return NOBODY

    def before(self, open_at: int, clause_start: int) -> Attribution:
        """The attribution of the clause before an opening mark at `open_at`."""
        if "quoted" in self.masked[clause_start:open_at]:
            q = next(reversed(list(_QUOTED_AS.finditer(self.masked, clause_start, open_at))), None)
            if q is not None and not self.masked[q.end() : open_at].strip(" ,:"):
                return self._noun_phrase(q.start("who"), q.end("who"), subject=False)
        found = _verbs_in(self.masked, clause_start, open_at)
        partial = _verbs().partial
        while found:
            v = found.pop()
            vs = v.start
            if self._passive(vs) or self._unreal(vs):
                continue
            if v.kind == "verb" and self._noun_not_verb(vs, v.word):
                continue  # "two critical reports that ...": a noun
            if v.kind == "acc":
                return self._object(v.end, open_at)
            if v.kind == "part":
                return self._clause_subject(clause_start, vs)
            if v.word in partial and not self.masked[v.end : open_at].strip():
                continue  # "a song called "...": a name, not words someone said
            if self._coordinated(clause_start, vs):
                # "Lee said profits rose and called the plan "...": the verb's subject is
                # the earlier verb's.
                found = [e for e in found if e.kind != "acc"]
                if found:
                    continue
                return NOBODY
            # `"...," Lee said, and then "...`: the subject follows the last closing mark
            closed = max(self.masked.rfind(c, clause_start, vs) for c in '”"»')
            if closed >= clause_start:
                got = self._subject(closed + 1, vs, after_quote=False)
                if got.found:
                    return got
            return self._subject(clause_start, vs, after_quote=False)
        return NOBODY

    def _unreal(self, verb_start: int) -> bool:
        """"will say", "would never admit", "to claim": no words said, so no attribution
        ("Lee countered that the governor will say "anything"" is Lee's)."""
        before = self.masked[max(0, verb_start - 16) : verb_start].split()
        return bool(before) and before[-1].casefold() in _UNREAL

    def _noun_not_verb(self, verb_start: int, verb: str) -> bool:
        """ "reports", "claims", "notes" after an article, a number, "of" or an adjective
        are nouns: "two critical reports", "the claims of"."""
        if not verb.endswith("s"):
            return False
        before = self.masked[max(0, verb_start - 24) : verb_start].split()
        if not before:
            return False
        prev = before[-1].casefold()
        return (
            prev in _DETERMINERS
            or prev in {"of", "his", "her", "its", "their", "our", "these", "those", "such"}
            or prev[:1].isdigit()
            or (prev.isalpha() and before[-1].islower() and prev.endswith(_ADJECTIVE_ENDS))
        )

    def _coordinated(self, start: int, verb: int) -> bool:
        """Whether the verb at `verb` follows "and", "but" or "then" (past adverbs): it
        shares the subject of an earlier verb."""
        text = self.masked[start:verb]
        tail = _verbs().trailing.search(text)
        if tail is not None:
            text = text[: tail.start()]
        words = text.replace(",", " ").split()
        return bool(words) and words[-1].casefold() in {"and", "but", "or", "then"}

    def _passive(self, verb_start: int) -> bool:
        """ "it is said", "was described as": no speaker before the verb."""
        before = self.masked[max(0, verb_start - 12) : verb_start].split()
        return bool(before) and before[-1].casefold() in {"is", "are", "was", "were", "be", "been", "being"}

    def _object(self, start: int, limit: int) -> Attribution:
        """`said X...` / `according to X...`: the phrase after the verb, to the next comma."""
        text = self.masked
        end = start
        while end < limit and text[end] not in ',;.!?()—–\n“”"':
            end += 1
        if end < limit and text[end] == "." and self._dot_inside(end):
            while (
                end < limit
                and text[end] not in ',;!?()—–\n“”"'
                and not (text[end] == "." and not self._dot_inside(end))
            ):
                end += 1
        got = self._noun_phrase(start, end, subject=False)
        if got.speaker is None and end < limit and text[end] == ",":
            appos = self._apposition(end + 1, limit)
            if appos is not None:
                return appos
        return got

    def _dot_inside(self, i: int) -> bool:
        """A full stop inside a name or title ("Sen.", "U.S.", "J."): not a phrase's end."""
        j = i
        while j > 0 and not self.body[j - 1].isspace():
            j -= 1
        word = self.body[j : i + 1]
        if i + 1 >= len(self.body) or self.body[i + 1] == "\n":
            return False
        return _ABBREVIATION.fullmatch(word) is not None

    def _apposition(self, start: int, limit: int) -> Attribution | None:
        """`the head of the agency, Ann Lee,`: an apposition that is one person's name."""
        text = self.masked
        while start < limit and text[start].isspace():
            start += 1
        loc = self._starts.get(start)
        if loc is None or loc.kind != "person" or loc.possessive:
            return None
        rest = text[loc.end : limit].lstrip()
        if rest and rest[0] not in ",.;)—–":
            return None
        return self._named(loc)

    def _subject(self, start: int, end: int, after_quote: bool) -> Attribution:
        """The subject of a verb of saying: the text from `start` (a clause start or the
        closing mark) to `end`, made of intro phrases, the subject and appositions."""
        text = self.masked
        core_end = end
        tail = _verbs().trailing.search(text, start, end)
        if tail is not None and tail.start() >= start:
            core_end = tail.start()
        if not after_quote:
            # "the aide recalled that he said": the subject after the last "that"
            for m in _THAT.finditer(text, start, core_end):
                start = m.end()
        segs = _segments(text, start, core_end)
        if not segs:
            return NOBODY
        # Intro phrases ("In a statement,", "Speaking in Ankara,", "Hours later,") come first;
        # the subject is the first segment that is none; the ones after it are appositions.
        k = 0
        while k < len(segs) - 1 and self._intro(*segs[k]):
            k += 1
        if not after_quote and len(segs) > 1:
            # Before a quote, a clause may hold more than one comma: the subject is the
            # segment the verb follows, past appositions.
            k = self._subject_segment(segs)
        a, b = segs[k]
        got = self._noun_phrase(a, b, subject=True)
        j = k
        while got.speaker is None and got.description and _all_titles(got.description) and j + 1 < len(segs):
            j += 1  # "chairman, CEO and president Ann Lee": one title written with commas
            got = self._noun_phrase(a, segs[j][1], subject=True)
            if got.speaker is not None:
                return got
        if got.speaker is None and got.description and _all_titles(got.description):
            got = self._noun_phrase(a, b, subject=True)
        if got.speaker is None and k + 1 < len(segs):
            appos = self._apposition(segs[k + 1][0], segs[k + 1][1] + 1)
            if appos is not None:
                return appos
        return got

    def _subject_segment(self, segs: list[tuple[int, int]]) -> int:
        k = len(segs) - 1
        while k > 0 and self._appositive(*segs[k]):
            k -= 1
        while k < len(segs) - 1 and self._intro(*segs[k]):
            k += 1
        return k

    def _appositive(self, a: int, b: int) -> bool:
        words = self.masked[a:b].split()
        if not words:
            return True
        w = words[0]
        lw = w.casefold()
        if lw in {"but", "and", "yet", "while", "whereas", "although", "though"} and len(words) > 1:
            return not words[1][:1].isupper()  # ", but General Ann Lee told": a new clause
        if (
            lw in _RELATIVES
            or lw in {"a", "an", "aged", "who", "now", "formerly", "former", "and"}
            or w[0].isdigit()
        ):
            return True
        if len(words) == 1 and _PARTY_STATE.fullmatch(w):
            return True  # "Sen. Ann Lee, R-Texas, said"
        if w[0].islower() and lw != "the":
            return True
        if lw == "the":
            return len(words) > 1 and (
                words[1][0].islower() or self._has_prep(words) or words[-1][0].islower()
            )
        loc = self._starts.get(a + (len(self.masked[a:b]) - len(self.masked[a:b].lstrip())))
        if loc is not None and loc.possessive:
            return True  # ", Teresa's husband and Tor's editor,"
        return loc is not None and loc.kind == "place" and b <= loc.end + 1

    @staticmethod
    def _has_prep(words: list[str]) -> bool:
        return any(w.casefold() in _PREPOSITIONS for w in words[1:])

    def _intro(self, a: int, b: int) -> bool:
        words = self.masked[a:b].split()
        if not words:
            return True
        first, last = words[0].casefold(), words[-1].casefold()
        if first in {"but", "and", "yet"} and len(words) > 1 and words[1][:1].isupper():
            return False  # ", but General Ann Lee": a clause of its own, with its subject
        if first in _INTRO_WORDS or last in {"later", "earlier", "ago", "however", "meanwhile"}:
            return True
        return words[0][0].isupper() and first.endswith(("ing", "ed")) and first not in given_names()

    def _clause_subject(self, clause_start: int, verb: int) -> Attribution:
        """`Lee spoke for an hour, saying "..."`: the subject of the clause the participle
        hangs from, which opens the sentence (past intro phrases)."""
        segs = _segments(self.masked, clause_start, verb)
        if not segs:
            return NOBODY
        k = 0
        while k < len(segs) - 1 and self._intro(*segs[k]):
            k += 1
        got = self._noun_phrase(*segs[k], subject=True)
        if got.speaker is None and k + 1 < len(segs):
            appos = self._apposition(segs[k + 1][0], segs[k + 1][1] + 1)
            if appos is not None:
                return appos  # "Ryanair's chief, Ann Lee, ended by saying"
        return got

    # -- the noun phrase -----------------------------------------------------------------

    def _noun_phrase(self, a: int, b: int, subject: bool) -> Attribution:
        """What the phrase text[a:b] says of who speaks: a name at its head, a pronoun, or
        a description (never a name from inside one)."""
        text = self.masked
        dateline = _DATELINE.match(text, a, b) if subject else None
        if dateline is not None:
            a = dateline.end()  # "ISTANBUL — Turkish President ..."
        while a < b and text[a] in " \t\n,":
            a += 1
        while b > a and text[b - 1] in " \t\n,":
            b -= 1
        cut = _TRAILING.search(text, a, b)
        if cut is not None and cut.start() > a:
            b = cut.start()
        words = _tokens(text, a, b)
        while len(words) > 1 and text[words[0][0] : words[0][1]].casefold() in {
            "and",
            "but",
            "so",
            "yet",
            "or",
        }:
            words = words[1:]  # "But he said"
        if words:
            a = words[0][0]
        if subject:
            words = _before_verb(text, words)
        if not words or len(words) > 18:
            return NOBODY
        b = words[-1][1]
        first = text[words[0][0] : words[0][1]]
        if first.casefold() in _PRONOUNS and not (len(words) > 1 and text[words[1][0]].isupper()):
            rest = [text[ws:we] for ws, we in words[1:]]
            if len(rest) <= 1 and all(w.islower() and w.isalpha() for w in rest):
                return self._pronoun(first.casefold(), a)  # "he instead told"
            return NOBODY
        named = self._head_first(text, words) or self._head_last(text, words)
        if named is not None:
            return self._named(named)
        lead = first.casefold()
        if (
            lead in _INTRO_WORDS
            or lead in _PREPOSITIONS
            or lead in _RELATIVES
            or lead in _VERBISH
            or lead in {"or", "nor", "and", "but", "that's", "that’s", "it's", "it’s", "there"}
        ):
            return NOBODY  # "and the crowd", "as officials": no noun phrase of a speaker
        description = " ".join(text[a:b].split())
        if not any(c.isalpha() for c in description) or "·" in description:
            return NOBODY
        if _unknown_name(description):
            return Attribution(description, None, True)  # a name the entity pass left out
        return self._described(description, a, b)

    def _head_first(self, text: str, words: list[tuple[int, int]]) -> _Loc | None:
        """A name heading the phrase, after modifiers only, and followed by nothing that
        could be its head: "Lee", "the 14th-ranked Lee", "Lee of Capital Economics", "Lee
        himself", "Lee and Park"."""
        i = 0
        while i < len(words):
            ws, we = words[i]
            if ws in self._starts:
                break
            w = text[ws:we]
            lw = w.casefold()
            if (i == 0 and lw in {"the", "a", "an"}) or (
                lw not in _DETERMINERS
                and lw not in _PREPOSITIONS
                and lw not in _RELATIVES
                and lw not in {"and", "&", "or"}
                and (w[:1].isalnum())
            ):
                i += 1
                continue
            return None
        if i >= len(words):
            return None
        loc = self._starts[words[i][0]]
        if loc.possessive:
            return None
        k = i
        while k < len(words) and words[k][0] < loc.end:
            k += 1
        if k >= len(words):
            return loc if i == 0 or loc.kind == "person" else None
        nxt = text[words[k][0] : words[k][1]]
        lnxt = nxt.casefold()
        if nxt in {"(", "—", "–", "-"} or lnxt in _REFLEXIVE or lnxt in _RELATIVES or lnxt in {"and", "&"}:
            return loc
        if lnxt in _PREPOSITIONS and loc.kind == "person":
            return loc  # "Lee of Capital Economics"
        return None

    def _head_last(self, text: str, words: list[tuple[int, int]]) -> _Loc | None:
        """A name closing the phrase after titles, possessives and modifiers: "Gazprom
        chief executive Alexei Miller", "Russia's foreign minister Sergei Lavrov", "NASA
        planetary scientist Ann Lee"; none when a preposition, a relative or an article
        inside the phrase puts the name in a complement ("an analyst at Capital Economics")."""
        end = words[-1][1]
        last = None
        for loc in self.locs:
            if loc.end == end or (loc.end < end and loc.end >= words[-1][0]):
                last = loc
                break
        if last is None or last.possessive or last.start < words[0][0]:
            return None
        for k, (ws, we) in enumerate(words):
            if ws >= last.start:
                break
            w = text[ws:we]
            lw = w.casefold()
            if k == 0 and lw in {"the", "a", "an"}:
                continue
            if (
                w == ","
                and 0 < k < len(words) - 1
                and all(is_role_word(text[words[j][0] : words[j][1]]) for j in (k - 1, k + 1))
            ):
                continue  # "chairman, CEO and president Ann Lee"
            if lw in _RELATIVES or lw in _DETERMINERS or w in {"(", ")", "—", "–", ",", ";", ":"}:
                return None
            if lw in _PREPOSITIONS:
                # "of" and "for" inside a capitalised title: "Secretary of State Ann Lee"
                before = text[words[k - 1][0] : words[k - 1][1]] if k else ""
                if lw not in {"of", "for"} or not (
                    is_role_word(before) and before[:1].isupper() and text[words[k + 1][0]].isupper()
                ):
                    return None
            if w[:1].islower() and lw in _VERBISH:
                return None
        return last

    def _described(self, description: str, a: int, b: int) -> Attribution:
        words = description.split()
        lw = [fold(w) for w in words]
        if (
            lw[0] in {"a", "an", "the", "one", "another", "some", "two", "three", "several"}
            and words[0][0].isupper()
        ):
            description = words[0].lower() + description[len(words[0]) :]
        head = lw[-1].rstrip(".")
        # "a Gazprom spokesman", "a spokeswoman for the ministry", "the head of the agency":
        # the body speaks through them (not "a former head", who speaks for no one).
        stop = next((k for k, w in enumerate(lw) if w in _PREPOSITIONS or w in _RELATIVES), len(lw))
        voice = stop > 0 and lw[stop - 1].rstrip(".,") in _section("voices")
        if voice and not any(w in {"former", "ex", "retired"} or w.startswith("ex-") for w in lw[:stop]):
            for loc in self.locs:
                if a <= loc.start < b and loc.entity >= 0 and loc.kind in {"organization", "person"}:
                    return Attribution(self._name(loc), description, True, loc.entity)
        if lw[0] == "the" and len(words) <= 4 and not any(w in _PREPOSITIONS or w in _RELATIVES for w in lw):
            resolved = self._definite(lw[1:], head, a)
            if resolved is not None:
                return resolved
        return Attribution(None, description, True)

    def _definite(self, words: list[str], head: str, at: int) -> Attribution | None:
        """ "the minister" is the person with that title named before; "the company" is the
        organisation named last before it."""
        if any("'" in w or "’" in w for w in words):
            return None  # "the ministry's spokesman": someone unnamed
        if head in _org_nouns():
            loc = self._nearest(at, {"organization"}, max_back=8)
            return self._named(loc) if loc is not None else None
        if _AGED.fullmatch(head):
            loc = self._nearest(at, {"person"}, max_back=3)  # "the 56-year-old said"
            return self._named(loc) if loc is not None else None
        if not is_head(head):
            return None
        wanted = [w for w in words if w]
        best: _Loc | None = None
        for loc in self.locs:
            if loc.start >= at:
                break
            if loc.kind != "person" or loc.entity < 0 or self._in_quote(loc.start):
                continue
            role = fold(self.entities[loc.entity].role or "")
            if role and all(_role_has(role, w) for w in wanted):
                best = loc
        if best is None and self.spoken:
            # "said the actor" right after the quotes of someone the text has not called so:
            # the one who spoke last, when that was a person and a few sentences back
            si, ent = self.spoken[-1]
            if self.entities[ent].type == "person" and self._sentence_of(at) - si <= 3:
                named = [loc for loc in self.locs if loc.entity == ent and loc.start < at]
                best = named[-1] if named else None
        return self._named(best) if best is not None else None

    # -- names and pronouns --------------------------------------------------------------

    def _name(self, loc: _Loc) -> str:
        return (
            self.entities[loc.entity].name
            if 0 <= loc.entity < len(self.entities)
            else self.body[loc.start : loc.end]
        )

    def _named(self, loc: _Loc) -> Attribution:
        if loc.kind not in _SPEAKING:
            return Attribution(None, None, True)
        return Attribution(self._name(loc), None, True, loc.entity)

    def _in_quote(self, pos: int) -> bool:
        return self.masked[pos : pos + 1] == "·"

    def _pronoun(self, pronoun: str, at: int) -> Attribution:
        if pronoun in {"it", "they"}:
            loc = self._nearest(at, {"organization"}, max_back=3 if pronoun == "they" else 6)
        else:
            loc = self._nearest(at, {"person"}, max_back=12, gender="f" if pronoun == "she" else "m")
        if loc is None:
            return Attribution(None, None, True)
        return self._named(loc)

    def _sentence_of(self, pos: int) -> int:
        lo, hi = 1, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _nearest(self, at: int, kinds: set[str], max_back: int, gender: str = "") -> _Loc | None:
        """The person or organisation a pronoun (or "the company") at `at` points back to.

        Nearer sentences win; within a sentence the first one named; a name after a
        preposition or in a possessive ("talks with Lee", "Lee's plan") counts as a sentence
        further back (and not at all in the pronoun's own sentence); one of unknown gender
        as half a sentence further back than one whose gender the text gives; the speaker
        of an earlier quote as a little nearer than where it stands."""
        here = self._sentence_of(at)
        best: _Loc | None = None
        best_score = float("inf")
        ranks: dict[int, int] = {}
        for loc in self._people():
            if loc.start >= at:
                break
            if (
                loc.sent < here - max_back
                or loc.kind not in kinds
                or loc.entity < 0
                or self._in_quote(loc.start)
            ):
                continue
            known = self._gender(loc.entity) if gender else ""
            if known and known != gender:
                continue
            weak = loc.after_prep or loc.possessive
            if loc.sent == here and weak:
                continue
            rank = ranks.get(loc.sent, 0)
            ranks[loc.sent] = rank + 1
            penalty = (1.2 if loc.kind == "person" else 2.5) if weak else 0.0  # "said on Twitter"
            score = here - loc.sent + penalty + (0.3 if gender and not known else 0.0) + 0.05 * rank
            if score < best_score:
                best, best_score = loc, score
        for si, ent in self.spoken:
            if si < here - max_back or self.entities[ent].type not in kinds:
                continue
            known = self._gender(ent) if gender else ""
            if known and known != gender:
                continue
            score = here - si - 0.2 + (0.3 if gender and not known else 0.0)
            if score < best_score:
                named = [loc for loc in self._people() if loc.entity == ent and loc.start < at]
                if named:
                    best, best_score = named[-1], score
        return best

    def _gender(self, entity: int) -> str:
        if self._genders is None:
            self._genders = self._read_genders()
        return self._genders.get(entity, "")

    def _read_genders(self) -> dict[int, str]:
        """Per person entity, "f", "m" or nothing: an honorific or gendered title before a
        mention, its role, its given name, then the subject pronouns ("he", "she") that
        follow it in the sentences it opens and open the sentence after."""
        female, male = _section("female_words"), _section("male_words")
        fnames, mnames = _section("female_names"), _section("male_names")
        votes: dict[int, list[int]] = {}
        strong: dict[int, str] = {}
        by_sentence: dict[int, list[_Loc]] = {}
        for loc in self.locs:
            if loc.kind == "person":
                by_sentence.setdefault(loc.sent, []).append(loc)
        for loc in self.locs:
            if loc.kind != "person" or loc.entity < 0:
                continue
            v = votes.setdefault(loc.entity, [0, 0])
            before = self.body[max(0, loc.start - 16) : loc.start].split()
            word = fold(before[-1]).rstrip(".") if before else ""
            if word in female:
                strong.setdefault(loc.entity, "f")
            elif word in male:
                strong.setdefault(loc.entity, "m")
            if self._in_quote(loc.start):
                continue
            people = by_sentence[loc.sent]
            if people[0] is not loc or loc.after_prep:
                continue  # only the first person named in a sentence, as its subject
            others = [o for o in people if o.entity != loc.entity]
            following = self.masked[loc.end : others[0].start if others else self.sentences[loc.sent].end]
            v[0] += len(_FEMALE_PRONOUNS.findall(following))
            v[1] += len(_MALE_PRONOUNS.findall(following))
            if not others and loc.sent + 1 < len(self.sentences):
                # the next sentence opens with "She" or "He"
                nxt = _OPENS_WITH.match(self.sentences[loc.sent + 1].text)
                if nxt is not None:
                    v[0 if nxt.group("f") else 1] += 1
        out: dict[int, str] = {}
        for ent, (f, m) in votes.items():
            if ent in strong:
                out[ent] = strong[ent]
                continue
            role = set(fold(self.entities[ent].role or "").split())
            if role & female:
                out[ent] = "f"
                continue
            if role & male:
                out[ent] = "m"
                continue
            given = fold(self.entities[ent].name.split()[0]) if self.entities[ent].name.split() else ""
            if given in fnames:
                out[ent] = "f"
            elif given in mnames:
                out[ent] = "m"
            elif f > m:
                out[ent] = "f"
            elif m > f:
                out[ent] = "m"
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
