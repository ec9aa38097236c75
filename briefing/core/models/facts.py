"""Key facts of one article: sentences, entities, dates, quantities, quotes, key sentences.

Every fact carries the index of its sentence, so the reader can light it up in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

EntityType = Literal["person", "organization", "place", "other"]
QuantityKind = Literal["money", "percent", "quantity"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, so every fact can point back at its source."""

    text: str
    start: int
    """Offset of the sentence in the article body; -1 for the title (sentence 0)."""
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical real-world entity: one per person, however many spellings."""

    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    role: str | None = None
    """Title or apposition, e.g. "senior aide to Turkish President Recep Tayyip Erdoğan"."""
    mentions: int = 1
    sentence: int = 0
    """Index (into Facts.sentences) of the first mention."""


@dataclass(frozen=True, slots=True)
class DateRef:
    text: str
    value: str
    """Normalised: YYYY, YYYY-MM or YYYY-MM-DD."""
    sentence: int = 0
    future: bool = False
    """The date lies after the publication date (a later day, month or year), as the text
    reads it: "will resume on Monday" in a Saturday's article is the Monday after."""


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    kind: QuantityKind
    value: float | None = None
    unit: str | None = None
    """Currency code for money ("USD"), "%" for percent, the counted noun otherwise."""
    sentence: int = 0
    high: float | None = None
    """The upper end when the text gives a range ("20 to 30 percent": value 20, high 30)."""


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None = None
    """The canonical name of the entity who speaks, when the text names or points at one."""
    sentence: int = 0
    speaker_description: str | None = None
    """How the text describes a speaker it does not name ("a Turkish energy official", "an
    energy consultant who advises Balkan utilities", "analysts"); None when it names them."""


def quote_attribution(speaker: str | None, description: str | None) -> str:
    """Who says a quote, for a reader: the name, how the text describes an unnamed speaker
    ("a Turkish energy official"), both when they differ, or "unattributed"."""
    if speaker and description:
        if speaker.casefold() in description.casefold():
            return description  # "a Gazprom spokesman" already names Gazprom
        return f"{speaker} ({description})"
    return speaker or description or "unattributed"



@dataclass(frozen=True, slots=True)
class Facts:
    """Everything extracted from one article; computed at ingest, stored with it."""

    title: str = ""
    published: str | None = None
    """YYYY-MM-DD the facts were normalised against."""
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    dates: tuple[DateRef, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    key_sentences: tuple[int, ...] = ()
    """Indexes into `sentences`, most important first."""
    topics: tuple[str, ...] = ()
    """Canonical names of the salient entities plus a few key phrases."""
    failures: tuple[str, ...] = ()
    """The kinds of fact whose extractor failed on this article, each as "kind: Error"
    ("quantities: IndexError"). Those kinds are empty; the others are kept (those that build
    on a failed kind know less: quotes have no speakers when entities failed)."""

    def key_sentence_texts(self) -> list[str]:
        return [self.sentences[i].text for i in self.key_sentences if 0 <= i < len(self.sentences)]

    def to_dict(self) -> dict[str, Any]:
        """The public JSON schema of `briefing facts --json` (plus sentence indexes).

        "failures" is there only when some extractor failed, so the facts of every article
        that was extracted whole keep the shape they always had."""
        out: dict[str, Any] = {
            "title": self.title,
            "published": self.published,
            "entities": [
                {
                    "name": e.name,
                    "type": e.type,
                    "aliases": list(e.aliases),
                    "role": e.role,
                    "mentions": e.mentions,
                    "sentence": e.sentence,
                }
                for e in self.entities
            ],
            "dates": [
                {"text": d.text, "value": d.value, "sentence": d.sentence, "future": d.future}
                for d in self.dates
            ],
            "quantities": [_quantity_dict(q) for q in self.quantities],
            "quotes": [
                {
                    "text": q.text,
                    "speaker": q.speaker,
                    "speaker_description": q.speaker_description,
                    "sentence": q.sentence,
                }
                for q in self.quotes
            ],
            "key_sentences": self.key_sentence_texts(),
            "key_sentence_ids": list(self.key_sentences),
            "topics": list(self.topics),
            "sentences": [[s.text, s.start, s.end] for s in self.sentences],
        }
        if self.failures:
            out["failures"] = list(self.failures)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Facts:
        return cls(
            title=str(data.get("title", "")),
            published=data.get("published"),
            sentences=tuple(Sentence(str(t), int(a), int(b)) for t, a, b in data.get("sentences", [])),
            entities=tuple(
                Entity(
                    name=e["name"],
                    type=e["type"],
                    aliases=tuple(e.get("aliases", ())),
                    role=e.get("role"),
                    mentions=int(e.get("mentions", 1)),
                    sentence=int(e.get("sentence", 0)),
                )
                for e in data.get("entities", [])
            ),
            dates=tuple(
                DateRef(d["text"], d["value"], int(d.get("sentence", 0)), bool(d.get("future", False)))
                for d in data.get("dates", [])
            ),
            quantities=tuple(_quantity_from(q) for q in data.get("quantities", [])),
            quotes=tuple(
                Quote(q["text"], q.get("speaker"), int(q.get("sentence", 0)), q.get("speaker_description"))
                for q in data.get("quotes", [])
            ),
            key_sentences=tuple(int(i) for i in data.get("key_sentence_ids", [])),
            topics=tuple(data.get("topics", [])),
            failures=tuple(str(f) for f in data.get("failures", ())),
        )


def _quantity_dict(q: Quantity) -> dict[str, Any]:
    out = {"text": q.text, "kind": q.kind, "value": q.value, "unit": q.unit, "sentence": q.sentence}
    if q.high is not None:  # only ranges carry it: every other quantity keeps its old shape
        out["high"] = q.high
    return out


def _quantity_from(q: dict[str, Any]) -> Quantity:
    sentence = int(q.get("sentence", 0))
    return Quantity(q["text"], q["kind"], q.get("value"), q.get("unit"), sentence, q.get("high"))
