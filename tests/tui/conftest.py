"""Small real stores for the reader's tests, a fixed clock, and helpers to read the screen.

Stores are built with the real `Store` and hand-made articles and facts (never mocks);
every path points into tmp_path so the developer's own data and config never leak in.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from briefing.core.ingest.pipeline import facts_version
from briefing.core.library import Library
from briefing.core.models.article import Article
from briefing.core.models.facts import DateRef, Entity, Facts, Quantity, Quote, Sentence
from briefing.core.store.store import Store
from briefing.tui.app import BriefingApp

NOW = datetime(2019, 11, 20, 12, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@dataclass
class Spec:
    """One test article: paragraphs of sentences, and the facts about them."""

    id: str
    title: str
    paragraphs: Sequence[Sequence[str]]
    people: Sequence[tuple[str, str | None, int]] = ()
    """(name, role, sentence index)."""
    places: Sequence[tuple[str, int]] = ()
    orgs: Sequence[tuple[str, int]] = ()
    dates: Sequence[tuple[str, str, int]] = ()
    numbers: Sequence[tuple[str, int]] = ()
    quotes: Sequence[tuple[str, str | None, int]] = ()
    key: Sequence[int] = ()
    hours_ago: float = 1.0
    source: str = "Test Wire"
    link: str | None = None
    cluster: str | None = None
    tags: Sequence[str] = field(default_factory=tuple)
    feed: str = "test"
    text_kind: Literal["full", "summary"] = "full"


def build_article(spec: Spec) -> Article:
    sentences = [Sentence(spec.title, -1, -1)]
    parts: list[str] = []
    offset = 0
    for paragraph in spec.paragraphs:
        if parts:
            parts.append("\n\n")
            offset += 2
        for i, sentence in enumerate(paragraph):
            if i:
                parts.append(" ")
                offset += 1
            sentences.append(Sentence(sentence, offset, offset + len(sentence)))
            parts.append(sentence)
            offset += len(sentence)
    entities = [Entity(n, "person", role=r, sentence=s) for n, r, s in spec.people]
    entities += [Entity(n, "place", sentence=s) for n, s in spec.places]
    entities += [Entity(n, "organization", sentence=s) for n, s in spec.orgs]
    facts = Facts(
        title=spec.title,
        sentences=tuple(sentences),
        entities=tuple(entities),
        dates=tuple(DateRef(t, v, s) for t, v, s in spec.dates),
        quantities=tuple(Quantity(t, "quantity", sentence=s) for t, s in spec.numbers),
        quotes=tuple(Quote(t, w, s) for t, w, s in spec.quotes),
        key_sentences=tuple(spec.key),
        topics=tuple(e.name for e in entities),
    )
    return Article(
        id=spec.id,
        title=spec.title,
        text="".join(parts),
        source=spec.source,
        feed=spec.feed,
        link=spec.link if spec.link is not None else f"https://example.com/{spec.id}",
        published=NOW - timedelta(hours=spec.hours_ago),
        tags=tuple(spec.tags),
        facts=facts,
        text_kind=spec.text_kind,
        # Hand-made facts stand for this engine's: the reader redoes older ones on open.
        extra={"facts_version": facts_version(), **({"cluster": spec.cluster} if spec.cluster else {})},
    )


CORPUS = [
    Spec(
        id="a00000000001",
        title="Putin planning visit to Turkey in January: Erdoğan aide",
        paragraphs=[
            [
                "Russian President Vladimir Putin is planning a visit to Turkey in January.",
                "İbrahim Kalın, a senior aide to Recep Tayyip Erdoğan, said so on Nov. 15.",
            ],
            [
                "Kalın said the two leaders will discuss the TurkStream pipeline.",
                "“We are starting to work on it as I speak,” said Kalın.",
                "Turkey paid $2.5 billion for the S-400 system.",
            ],
        ],
        people=[
            ("Vladimir Putin", "Russian President", 1),
            ("Recep Tayyip Erdoğan", "Turkish President", 2),
            ("İbrahim Kalın", "senior aide to Recep Tayyip Erdoğan", 2),
        ],
        places=[("Turkey", 1)],
        dates=[("January", "2020-01", 1), ("Nov. 15", "2019-11-15", 2)],
        numbers=[("$2.5 billion", 5)],
        quotes=[("We are starting to work on it as I speak", "İbrahim Kalın", 4)],
        key=[1, 3],
        hours_ago=2,
    ),
    Spec(
        id="b00000000002",
        title="Trump hosts Erdoğan at the White House",
        paragraphs=[["Donald Trump met Recep Tayyip Erdoğan in Washington.",
                     "They talked about the S-400 purchase."]],
        people=[("Donald Trump", "U.S. President", 1), ("Recep Tayyip Erdoğan", None, 1)],
        orgs=[("White House", 1)],
        hours_ago=30,
        source="Capitol Desk",
    ),
    Spec(
        id="c00000000003",
        title="Sochi deal: Putin and Erdoğan agree on YPG withdrawal",
        paragraphs=[["Vladimir Putin and Recep Tayyip Erdoğan agreed in Sochi.",
                     "The YPG must withdraw within 150 hours."]],
        people=[("Vladimir Putin", None, 1), ("Recep Tayyip Erdoğan", None, 1)],
        places=[("Sochi", 1)],
        orgs=[("YPG", 2)],
        hours_ago=80,
        source="Levant Dispatch",
    ),
    Spec(
        id="d00000000004",
        title="Greece expels Libyan ambassador over maritime deal",
        paragraphs=[["Greece expelled the Libyan ambassador on Friday."]],
        places=[("Greece", 1), ("Libya", 1)],
        hours_ago=200,
        source="Athens Brief",
    ),
]


def make_store(home: Path, specs: Sequence[Spec] = CORPUS) -> None:
    with Store.open(home) as store:
        store.add_articles([build_article(s) for s in specs])
        store.set_info(samples_loaded=True)


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio through anyio's pytest plugin (anyio comes with httpx)."""
    return "asyncio"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data home holding the test corpus; BRIEFING_HOME points at it too, and the config
    home at an empty directory of tmp_path."""
    data = tmp_path / "home"
    monkeypatch.setenv("BRIEFING_HOME", str(data))
    # the developer's own config.toml and watch.toml never leak in
    monkeypatch.setenv("BRIEFING_CONFIG_HOME", str(tmp_path / "config"))
    make_store(data)
    return data


@pytest.fixture
def feeds_file(tmp_path: Path) -> Path:
    """A feeds.toml with no feeds (so nothing ever touches the network)."""
    path = tmp_path / "feeds.toml"
    path.write_text("[settings]\nrefresh_minutes = 0\n", encoding="utf-8")
    return path


class Reader:
    """Opens apps on one home, closing every store it opened."""

    def __init__(self, home: Path, feeds: Path | str | None) -> None:
        self.home = home
        self.feeds = feeds
        self.stores: list[Store] = []

    def app(self, **kwargs: object) -> BriefingApp:
        store = Store.open(self.home)
        self.stores.append(store)
        kwargs.setdefault("refresh_on_timer", False)
        library = Library(store, feeds=self.feeds, clock=clock)
        return BriefingApp(library, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        for store in self.stores:
            store.close()
        self.stores.clear()


@pytest.fixture
def reader(home: Path, feeds_file: Path) -> Iterator[Reader]:
    r = Reader(home, feeds_file)
    yield r
    r.close()


def _settled(app: BriefingApp) -> bool:
    if not app.reader.state.fully_loaded or app.reader.busy or any(w.is_running for w in app.workers):
        return False
    if not isinstance(app.screen, type(app.screen_stack[0])) or len(app.screen_stack) > 1:
        return True
    current = app.reader.article_list.current
    if current is None or current.id == app.reader.unreadable:
        return True
    return app.reader.article is not None and app.reader.article.id == current.id


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the list is fully loaded, the article under the cursor is shown and no
    worker runs (loading posts, then the article loads); at most ~10 s."""
    app = pilot.app
    assert isinstance(app, BriefingApp)
    for _ in range(500):
        with contextlib.suppress(WorkerCancelled):  # a newer one of its group replaced it
            await app.workers.wait_for_complete()
        await pilot.pause()
        if _settled(app):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def shown(pilot: Pilot[None], *texts: str, seconds: float = 10.0) -> str:
    """The screen's text once it holds every one of `texts` (a pane redraws a frame or two
    after its data changed, later on a loaded machine), or as it is after `seconds`."""
    app = pilot.app
    assert isinstance(app, BriefingApp)
    deadline = time.monotonic() + seconds
    while not all(text in (drawn := screen_text(app)) for text in texts) and time.monotonic() < deadline:
        await pilot.pause(0.02)
    return drawn


def screen_text(app: BriefingApp) -> str:
    """The plain text of what the screen would draw right now."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def screen_segments(app: BriefingApp) -> list[str]:
    return [seg.text for strip in app.screen._compositor.render_strips() for seg in strip]


def list_titles(app: BriefingApp) -> list[str]:
    return [a.title for a in app.reader.article_list.articles]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)
