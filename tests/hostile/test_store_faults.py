"""Store files damaged, disks full, schema too new, hostile values: the store is never
read as empty, the damaged file is moved aside (not deleted), the last good copy is
used, and the user is told; a failed write leaves the previous file and a retry works.

tests/core/store/test_store.py covers the index segment kinds of damage, a read-only directory
during an ingest, disk full during an ingest, a newer schema and hostile values in one
article; this suite covers every other kind of store file and the paths a user sees.
"""

from __future__ import annotations

import errno
import json
import math
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from briefing.cli import main
from briefing.core.errors import StoreError, StoreVersionError
from briefing.core.ingest.pipeline import import_paths
from briefing.core.library import Library
from briefing.core.models.article import Article
from briefing.core.models.facts import Facts
from briefing.core.models.feeds import FeedState
from briefing.core.store.store import Store
from tests.tui.conftest import settle

FEED_A = "https://a.example/feed.xml"
FEED_B = "https://b.example/feed.xml"


def make(i: int, **kw: Any) -> Article:
    base: dict[str, Any] = dict(id="", title=f"Story {i}", text=f"Body of story {i}.", feed="wire",
                                link=f"https://news.example/{i}", guid=f"g{i}",
                                published=datetime(2019, 11, i, 12, tzinfo=UTC))
    base.update(kw)
    return Article(**base)


def build(home: Path) -> tuple[str, str]:
    """Two articles and two feeds, written so every file has a last good copy (.bak):
    the .bak of each holds article 1 / feed A / article 1 read but not yet starred."""
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        (first,) = store.add_articles([make(1)]).added
        store.save_feed_states([FeedState(url=FEED_A, etag='"a"')])
        store.set_read([first])
        (second,) = store.add_articles([make(2)]).added
        store.set_starred([first])
        store.save_feed_states([FeedState(url=FEED_B)])
    return first, second


def store_file(home: Path, kind: str) -> Path:
    root = home / "store"
    if kind == "store.json":
        return root / "store.json"
    (path,) = sorted((root / kind).glob("*.json"))
    return path


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda good: good[: len(good) // 2],
    "zero bytes": lambda good: b"",
    "trailing garbage": lambda good: good + b'\x00{"garbage": ',
    "a list": lambda good: b"[]",
    "a string": lambda good: b'"store"',
    "null": lambda good: b"null",
    "binary": lambda good: bytes(range(256)),
}
KINDS = ["store.json", "index", "bodies", "state"]


def check_recovered(store: Store, kind: str, first: str, second: str) -> None:
    """What the last good copy of each kind of file holds, read back."""
    if kind == "store.json":
        assert store.info().get("schema") == 1 and store.info().get("samples_loaded") is True
        assert set(store.feed_states()) == {FEED_A}  # the copy from before feed B was saved
        assert len(store) == 2
    elif kind == "index":
        assert [a.id for a in store.articles()] == [first]
    elif kind == "bodies":
        article = store.get(first)
        assert article is not None and article.text == "Body of story 1."
    else:
        meta = store.meta(first)
        assert meta is not None and meta.read and not meta.starred


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("kind", KINDS)
def test_damaged_file_is_quarantined_and_the_last_good_copy_used(
    tmp_path: Path, kind: str, damage: str
) -> None:
    first, second = build(tmp_path)
    path = store_file(tmp_path, kind)
    bad = DAMAGE[damage](path.read_bytes())
    path.write_bytes(bad)
    notices: list[str] = []
    with Store.open(tmp_path, notice=notices.append) as store:
        check_recovered(store, kind, first, second)
        assert len(notices) == 1, notices
        assert notices[0].startswith(f"{path.name} was damaged; moved it to {path.name}.corrupt-")
        assert notices[0].endswith("restored the last good copy")
        (aside,) = path.parent.glob(f"{path.name}.corrupt-*")
        assert aside.read_bytes() == bad  # kept for the user, byte for byte
        # A write after recovery works and is kept.
        store.add_articles([make(3)])
    with Store.open(tmp_path) as store:
        assert {a.title for a in store.articles()} >= {"Story 1", "Story 3"}


@pytest.mark.parametrize("kind", ["store.json", "index", "state"])
def test_damaged_file_without_a_good_copy_is_refused_not_emptied(tmp_path: Path, kind: str) -> None:
    first, _ = build(tmp_path)
    path = store_file(tmp_path, kind)
    path.with_name(path.name + ".bak").write_bytes(b"{also damaged")
    path.write_bytes(b"\x00")
    with pytest.raises(StoreError, match="damaged and no good backup exists; moved it to"):
        with Store.open(tmp_path) as store:
            store.meta(first)  # the state shards are read on first use
    assert list(path.parent.glob(f"{path.name}.corrupt-*"))
    assert not path.exists()  # moved aside, never overwritten with an empty store


def test_damaged_body_segment_without_a_good_copy_fails_that_read_only(tmp_path: Path) -> None:
    first, second = build(tmp_path)
    path = store_file(tmp_path, "bodies")
    path.with_name(path.name + ".bak").unlink()
    path.write_bytes(b"{trunc")
    with Store.open(tmp_path) as store:
        assert len(store) == 2  # the index is intact: the list still opens
        with pytest.raises(StoreError, match="damaged and no good backup"):
            store.get(first)
        assert store.meta(first) is not None


@pytest.mark.parametrize("kind", KINDS)
def test_the_cli_tells_the_user(tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = build(tmp_path)
    path = store_file(tmp_path, kind)
    path.write_bytes(b"")
    argv = ["show", first, "--json", "--home", str(tmp_path)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert f"briefing: {path.name} was damaged; moved it to {path.name}.corrupt-" in err
    assert orjson.loads(out)["id"] == first


def test_newer_schema_is_refused_by_the_cli_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(tmp_path)
    main_file = tmp_path / "store" / "store.json"
    data = orjson.loads(main_file.read_bytes())
    data["meta"]["1"]["schema"] = 2
    main_file.write_bytes(orjson.dumps(data))
    before = {p: p.read_bytes() for p in (tmp_path / "store").rglob("*.json")}
    for argv in (["list"], ["import", str(tmp_path / "nothing.txt")]):
        assert main([*argv, "--home", str(tmp_path)]) == 3  # the store is unusable
        _, err = capsys.readouterr()
        assert err.count("\n") == 1 and "written by a newer briefing (schema 2" in err
    with pytest.raises(StoreVersionError):
        Store.open(tmp_path, readonly=True)
    assert {p: p.read_bytes() for p in (tmp_path / "store").rglob("*.json")} == before


# -- failed writes -----------------------------------------------------------------------------


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def read_only(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if str(path).endswith(".tmp"):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(os, "open", read_only)


WRITES: dict[str, tuple[str, Callable[[Store, str], None]]] = {
    "mark read": ("state", lambda store, aid: store.set_starred([aid], False)),
    "feed states": ("store.json", lambda store, aid: store.save_feed_states([FeedState(url="https://c.example/")])),
    "ui state": ("store.json", lambda store, aid: store.save_ui_state({"filters": {"topics": ["x"]}})),
    "new facts": ("bodies", lambda store, aid: store.update_article(aid, text="Rewritten body.")),
    "ingest": ("index", lambda store, aid: None if store.add_articles([make(4)]) else None),
}


@pytest.mark.parametrize("fault", ["disk full", "read-only"])
@pytest.mark.parametrize("write", list(WRITES))
def test_failed_write_is_clear_keeps_the_file_and_a_retry_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str, fault: str
) -> None:
    first, _ = build(tmp_path)
    kind, act = WRITES[write]
    files = sorted((tmp_path / "store").rglob("*.json"))
    with Store.open(tmp_path) as store:
        before = {p: p.read_bytes() for p in files}
        with monkeypatch.context() as patch:
            (_full_disk if fault == "disk full" else _read_only)(patch)
            reason = "No space left on device" if fault == "disk full" else "Read-only file system"
            message = f"could not write \\({reason}\\); the previous file is intact"
            with pytest.raises(StoreError, match=message):
                act(store, first)
        assert {p: p.read_bytes() for p in files} == before
        assert not list((tmp_path / "store").rglob(".*.tmp"))
        # The store in memory went back to what is on disk, and the retry goes through.
        meta = store.meta(first)
        assert meta is not None and meta.starred and len(store) == 2
        act(store, first)
    with Store.open(tmp_path) as store:
        after = {p: p.read_bytes() for p in files}
        assert after != before
        assert store_file(tmp_path, kind) in {p for p in files if after[p] != before[p]}


# -- hostile values ------------------------------------------------------------------------


def _strict_json(raw: bytes) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"{name} in a store file")

    return json.loads(raw.decode("utf-8"), parse_constant=refuse)


def test_nan_surrogates_and_huge_numbers_never_reach_a_store_file(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "numbers.json").write_text(
        '[{"title": "Numbers", "text": "Body.", "published": 1e308, "source": 123456789012345678901234567890,'
        ' "author": -1e-400, "tags": [1e308, 18446744073709551616, "ok"], "url": 5}]')
    (drop / "nan.json").write_text('{"title": "NaN", "text": NaN}')
    (drop / "surrogate.json").write_text('{"title": "lone \\ud800 surrogate", "text": "x"}')
    (drop / "surrogate.txt").write_bytes(b"Encoded surrogate \xed\xa0\x80 title\n\nbody \xed\xb0\x80\n")
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        results, added = import_paths(store, [drop])
        reasons = {r.path.name: r.error for r in results}
        assert reasons["nan.json"] is not None and "not valid JSON" in reasons["nan.json"]
        assert reasons["surrogate.json"] is not None and "not valid JSON" in reasons["surrogate.json"]
        assert reasons["numbers.json"] is None
        # The store's own API given what no parser should produce.
        facts = Facts(title="t\ud800", topics=("x\udfff",))
        (aid,) = store.add_articles([make(9, title="t \ud800", text="b \udc00", author="\ud83d",
                                          tags=("\ud800tag",), facts=facts,
                                          extra={"n": math.nan, "i": math.inf, "big": 10**40,
                                                 "neg": -(10**30), "\ud800": [math.nan]})]).added
        store.save_ui_state({"filters": {"topics": ["\ud800"]}, "zoom": math.inf, "n": 10**100})
        store.save_feed_states([FeedState(url="https://x.example/\ud800", last_error="e\udfff")])
        store.update_article(aid, text="again \ud800")
    for path in (home / "store").rglob("*.json"):
        _strict_json(path.read_bytes())  # valid UTF-8, valid JSON, no NaN/Infinity
    with Store.open(home) as store:
        titles = {a.title for a in store.articles()}
        assert "Numbers" in titles
        article = store.get(aid)
        assert article is not None and article.text.startswith("again ")


# -- the reader on a damaged store ---------------------------------------------------------


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_the_reader_tells_the_user_about_a_restored_body_segment(tmp_path: Path) -> None:
    from briefing.tui.app import BriefingApp

    build(tmp_path)
    path = store_file(tmp_path, "bodies")
    path.write_bytes(b"{trunc")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("[settings]\nrefresh_minutes = 0\n")
    store = Store.open(tmp_path)
    app = BriefingApp(Library(store, feeds=feeds), refresh_on_timer=False)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            await settle(pilot)
            messages = [n.message for n in app._notifications]
            assert any(m.startswith(f"{path.name} was damaged") for m in messages), messages
            assert app.is_running
    finally:
        store.close()


@pytest.mark.anyio
async def test_the_reader_survives_a_body_segment_without_a_good_copy(tmp_path: Path) -> None:
    from briefing.tui.app import BriefingApp

    build(tmp_path)
    path = store_file(tmp_path, "bodies")
    path.with_name(path.name + ".bak").unlink()
    path.write_bytes(b"{trunc")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("[settings]\nrefresh_minutes = 0\n")
    store = Store.open(tmp_path)
    app = BriefingApp(Library(store, feeds=feeds), refresh_on_timer=False)
    crashed: BaseException | None = None
    messages: list[str] = []
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("j")
            await settle(pilot)
            messages = [n.message for n in app._notifications]
    except Exception as exc:  # noqa: BLE001 - run_test re-raises the worker's failure
        crashed = exc
    finally:
        store.close()
    assert crashed is None, f"the reader crashed: {crashed!r}"
    assert any("damaged and no good backup" in m for m in messages), messages
