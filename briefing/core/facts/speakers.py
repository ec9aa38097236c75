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

from dataclasses import replace

from briefing.core.facts.lexicon import common_words, fold, given_names
from briefing.core.facts.roles import is_role_word
from briefing.core.facts.speaker_phrases import Phrases
from briefing.core.facts.speaker_words import (
    _ABBREVIATION,
    _ABBREVIATION_END,
    _ACCORDING_TO,
    _ADJECTIVE_ENDS,
    _ALPHA,
    _CLAUSE_END,
    _DETERMINERS,
    _INTRO_WORDS,
    _LABEL,
    _LEAD,
    _PARTY_STATE,
    _PREPOSITIONS,
    _QUOTED_AS,
    _RELATIVES,
    _THAT,
    _UNREAL,
    NOBODY,
    Attribution,
    _all_titles,
    _segments,
    _verbs,
    _verbs_in,
)


class SpeakerFinder(Phrases):
    """The attributions of one article's quotes; built once per article."""

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
