"""The noun phrases of attributions: a name at the head of a subject, a description of an
unnamed speaker ("a Turkish energy official"), a definite description ("the minister") and
a pronoun, each resolved to the article's entities. speakers.py reads the clauses around a
quote and asks this for the phrase it finds."""

from __future__ import annotations

from briefing.core.facts.entities import Mention
from briefing.core.facts.lexicon import fold
from briefing.core.facts.roles import is_head, is_role_word
from briefing.core.facts.speaker_words import (
    _AGED,
    _DATELINE,
    _DETERMINERS,
    _FEMALE_PRONOUNS,
    _INTRO_WORDS,
    _MALE_PRONOUNS,
    _NOT_SPACE,
    _OPENS_WITH,
    _PREPOSITIONS,
    _PRONOUNS,
    _REFLEXIVE,
    _RELATIVES,
    _SPEAKING,
    _THE_TITLE,
    _TRAILING,
    _VERBISH,
    NOBODY,
    Attribution,
    _before_verb,
    _Loc,
    _org_nouns,
    _role_has,
    _section,
    _tokens,
    _unknown_name,
)
from briefing.core.models.facts import Entity, Sentence


class Phrases:
    """The mentions of one article's names, and how a phrase reads against them."""

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
