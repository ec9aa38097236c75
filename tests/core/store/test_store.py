"""The store on real files: persistence, dedupe, batching, crashes, damage and locks."""

from __future__ import annotations

import itertools
import os
import signal
import struct
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from briefing.core.errors import StoreBusyError, StoreError, StoreVersionError
from briefing.core.models.article import Article
from briefing.core.models.facts import Entity, Facts
from briefing.core.store import files as storage
from briefing.core.store.store import Store


def make(i: int, **kw: object) -> Article:
    base: dict[str, object] = dict(
        id="",
        title=f"Story {i}",
        text=f"Body of story {i}. " * 5,
        link=f"https://news.example/story/{i}",
        guid=f"guid-{i}",
        published=datetime(2019, 11, 1 + i % 28, 12, tzinfo=UTC),
        feed="wire",
        source="Wire",
    )
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


def test_articles_persist_with_facts_and_flags(tmp_path: Path) -> None:
    facts = Facts(title="Story 1", entities=(Entity("Recep Tayyip Erdoğan", "person"),),
                  topics=("Recep Tayyip Erdoğan", "S-400"))
    with Store.open(tmp_path) as store:
        result = store.add_articles([make(1, facts=facts, tags=("turkey",)), make(2)])
        assert len(result.added) == 2
        first = result.added[0]
        store.set_read([first])
        store.set_starred([first])
    with Store.open(tmp_path) as store:
        assert len(store) == 2
        article = store.get(first)
        assert article is not None
        assert article.read and article.starred
        assert article.facts == facts
        assert article.text.startswith("Body of story 1.")
        meta = store.meta(first)
        assert meta is not None
        assert meta.topics == (("Recep Tayyip Erdoğan", "person"), ("S-400", "phrase"), ("turkey", "tag"))
        assert [a.title for a in store.articles()] == ["Story 2", "Story 1"]


def test_duplicates_by_guid_link_and_content(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles([make(1)])
        same_guid = make(2, guid="guid-1")
        tracked_link = make(3, guid=None, link="https://www.news.example/story/1/?utm_source=rss#top")
        same_text = make(4, guid=None, link=None, title="Story 1", text=make(1).text)
        result = store.add_articles([same_guid, tracked_link, same_text, make(5)])
        assert result.duplicates == 3
        assert len(result.added) == 1
        # within one batch too
        result = store.add_articles([make(6), make(6)])
        assert (len(result.added), result.duplicates) == (1, 1)
    with Store.open(tmp_path) as store:
        assert store.add_articles([make(1)]).duplicates == 1


def test_a_batch_of_1000_articles_is_a_handful_of_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[Path] = []
    real = storage.atomic_write

    def counting(path: Path, payload: bytes, *, keep_backup: bool = True) -> None:
        writes.append(path)
        real(path, payload, keep_backup=keep_backup)

    monkeypatch.setattr(storage, "atomic_write", counting)
    with Store.open(tmp_path) as store:
        writes.clear()
        store.add_articles([make(i) for i in range(1000)])
        assert len(store) == 1000
    # the segment summary (an upper bound), three body segments, then the three index
    # segments that name them (the commit point)
    assert [p.name for p in writes][0] == "segments.json"
    assert [p.parent.name for p in writes][1:] == ["bodies"] * 3 + ["index"] * 3, writes


def test_marking_read_rewrites_one_small_shard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(tmp_path) as store:
        ids = store.add_articles([make(i) for i in range(300)]).added
        writes: list[Path] = []
        real = storage.atomic_write

        def counting(path: Path, payload: bytes, *, keep_backup: bool = True) -> None:
            writes.append(path)
            real(path, payload, keep_backup=keep_backup)

        monkeypatch.setattr(storage, "atomic_write", counting)
        store.set_read([ids[0]])
        assert [p.parent.name for p in writes] == ["state"]
        assert store.articles()[[a.id for a in store.articles()].index(ids[0])].read


def test_corrupt_index_is_quarantined_and_backup_used(tmp_path: Path) -> None:
    notices: list[str] = []
    with Store.open(tmp_path) as store:
        store.add_articles([make(1)])
        store.add_articles([make(2)])
    index = tmp_path / "store" / "index" / "000001.json"
    good = index.read_bytes()
    index.write_bytes(good[: len(good) // 2])  # truncated
    with Store.open(tmp_path, notice=notices.append) as store:
        assert len(store) == 1  # the previous good state: article 1 only
    assert any("damaged" in n for n in notices)
    assert list((tmp_path / "store" / "index").glob("000001.json.corrupt-*"))


@pytest.mark.parametrize("content", [b"", b"[1, 2, 3]", b'{"meta": {}} trailing', b"\x00\x01garbage"])
def test_damaged_index_is_never_treated_as_empty(tmp_path: Path, content: bytes) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles([make(1)])
        store.add_articles([make(2)])
    (tmp_path / "store" / "index" / "000001.json").write_bytes(content)
    with Store.open(tmp_path) as store:
        assert len(store) == 1


def test_damaged_without_backup_refuses_clearly(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "store.json").write_bytes(b"{not json")
    with pytest.raises(StoreError, match="damaged and no good backup"):
        Store.open(tmp_path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with Store.open(tmp_path):
        pass
    index = tmp_path / "store" / "store.json"
    data = orjson.loads(index.read_bytes())
    data["meta"]["1"]["schema"] = 99
    index.write_bytes(orjson.dumps(data))
    with pytest.raises(StoreVersionError, match="newer briefing"):
        Store.open(tmp_path)


def test_read_only_directory_keeps_previous_file_and_retry_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores directory permissions, so the read-only file system is simulated at
    # the one call that creates the temporary file.
    import errno

    with Store.open(tmp_path) as store:
        store.add_articles([make(1)])
        index = tmp_path / "store" / "index" / "000001.json"
        before = index.read_bytes()
        real_open = os.open

        def read_only(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
            if str(path).endswith(".tmp"):
                raise OSError(errno.EROFS, "Read-only file system")
            return real_open(path, flags, mode)

        monkeypatch.setattr(os, "open", read_only)
        with pytest.raises(StoreError, match="Read-only file system.*previous file is intact"):
            store.add_articles([make(2)])
        monkeypatch.setattr(os, "open", real_open)
        assert index.read_bytes() == before
        assert len(store) == 1
        assert len(store.add_articles([make(2)]).added) == 1
    with Store.open(tmp_path) as store:
        assert len(store) == 2


def test_disk_full_during_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles([make(1)])
        before = (tmp_path / "store" / "index" / "000001.json").read_bytes()
        real_write = os.write

        def full(fd: int, data: bytes | memoryview) -> int:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        with pytest.raises(StoreError, match="No space left"):
            store.add_articles([make(2)])
        monkeypatch.setattr(os, "write", real_write)
        assert (tmp_path / "store" / "index" / "000001.json").read_bytes() == before
        assert not list((tmp_path / "store").rglob(".*.tmp"))
        assert len(store.add_articles([make(2)]).added) == 1


def test_hostile_values_never_reach_the_file(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles([make(1, title="lone \ud800 surrogate", extra={"x": float("nan"), "big": 10**40})])
    raw = (tmp_path / "store" / "index" / "000001.json").read_bytes()
    orjson.loads(raw)  # valid JSON
    with Store.open(tmp_path) as store:
        assert store.articles()[0].title.startswith("lone ")


def _holder(tmp_path: Path, seconds: float) -> subprocess.Popen[str]:
    """A process that holds the write lock in a batch for `seconds`, then commits."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from pathlib import Path
            from briefing.core.store.store import Store
            s = Store.open(Path({str(tmp_path)!r}))
            with s.batch():
                s.set_info(holder=True)
                print("locked", flush=True)
                time.sleep({seconds})
            print("done", flush=True)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_writer_waits_for_the_batch_and_names_a_holder_that_stays_too_long(tmp_path: Path) -> None:
    Store.open(tmp_path).close()  # the store exists
    holder = _holder(tmp_path, 30)
    try:
        impatient = Store.open(tmp_path)  # opening takes no lock: any number may open
        impatient.lock_wait = 0.3
        with pytest.raises(StoreBusyError, match=f"PID {holder.pid}"):
            impatient.set_read(["000000000000"])
        with Store.open(tmp_path, readonly=True) as reader:  # readers need no lock
            assert len(reader) == 0
    finally:
        holder.kill()
        holder.wait()
    with Store.open(tmp_path) as store:  # the lock dies with its holder, even killed mid-batch
        store.lock_wait = 0.5
        store.set_info(after=True)
        assert store.info().get("after") is True and "holder" not in store.info()


def test_a_writer_waits_for_another_writers_batch_then_builds_on_it(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.add_articles([Article(id="", title="First", text="one", link="https://a.example/1")])
    holder = _holder(tmp_path, 0.5)
    try:
        store.set_info(mine=True)  # waits for the holder's batch, then reads its store.json
        assert store.info().get("holder") is True and store.info().get("mine") is True
    finally:
        holder.wait(timeout=10)
        store.close()


WRITER = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from briefing.core.models.article import Article
    from briefing.core.store.store import Store
    store = Store.open(Path(sys.argv[1]))
    start = len(store)
    batch = 0
    while True:
        arts = [Article(id="", title=f"kill {start} {batch} {i}", text="x " * 400,
                        link=f"https://k.example/{start}/{batch}/{i}",
                        published=datetime(2019, 11, 16, tzinfo=UTC)) for i in range(50)]
        added = store.add_articles(arts).added
        print(" ".join(added), flush=True)
        batch += 1
""")


@pytest.mark.slow
def test_sigkill_mid_batch_never_loses_committed_articles(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    home = tmp_path / "home"
    committed: set[str] = set()
    # At least 20 kills, and more while fewer than 100 articles were committed: on a loaded
    # machine a writer may be killed before its imports finish, proving nothing that round.
    for round_no in itertools.count():
        if round_no >= 20 and len(committed) > 100 or round_no >= 80:
            break
        proc = subprocess.Popen([sys.executable, str(script), str(home)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        time.sleep(0.35 + (round_no % 5) * 0.07)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        for line in out.splitlines():
            committed.update(line.split())
        with Store.open(home) as store:
            stored = {a.id for a in store.articles()}
            missing = committed - stored
            assert not missing, f"round {round_no}: lost {len(missing)} committed articles"
            for aid in list(committed)[:5]:
                article = store.get(aid)
                assert article is not None and article.text.startswith("x x")
    assert len(committed) > 100


def test_update_article_patches_views_and_persists(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        aid = store.add_articles([make(1, facts=Facts(topics=("Old Topic",)))]).added[0]
        index = store.topic_index()
        store.articles()
        store.update_article(aid, facts=Facts(topics=("New Topic",)), cluster="c1", facts_version="v2")
        assert index.get("Old Topic") is None
        new = index.get("New Topic")
        assert new is not None and new.articles == {aid}
        assert store.articles()[0].cluster == "c1"
        assert store.stale_facts("v2") == []
        assert store.stale_facts("v3") == [aid]
    with Store.open(tmp_path) as store:
        article = store.get(aid)
        assert article is not None and article.facts is not None
        assert article.facts.topics == ("New Topic",)
        assert store.articles()[0].topic_names == ("New Topic",)


def test_set_clusters_names_many_across_segments_and_persists(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        ids = list(store.add_articles([make(i) for i in range(900)]).added)  # three segments
        store.articles()  # the sorted view exists, so it must be patched too
        named = {aid: ids[0] if i % 2 else aid for i, aid in enumerate(ids)}
        store.set_clusters(named)
        assert {m.id: m.cluster for m in store.articles()} == named
        assert store.meta(ids[1]).cluster == ids[0]  # type: ignore[union-attr]
        with pytest.raises(StoreError):
            store.set_clusters({"000000000000": "x"})
    with Store.open(tmp_path) as store:
        assert {m.id: m.cluster for m in store.articles()} == named


def test_first_screen_reads_only_the_newest_segments(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        # 1,200 articles over three segments, oldest ingested first
        for start in range(0, 1200, 400):
            store.add_articles([make(i, published=datetime(2019, 1, 1, tzinfo=UTC)
                                     + timedelta(hours=i)) for i in range(start, start + 400)])
    with Store.open(tmp_path, readonly=True) as store:
        newest = store.recent(50)
        assert [a.title for a in newest[:2]] == ["Story 1199", "Story 1198"]
        assert len(store._unloaded) == 2  # only the newest segment was read
        assert store.meta(newest[0].id) is not None
        assert len(store._unloaded) == 2
        assert len(store.articles()) == 1200 and not store._unloaded


def test_out_of_order_publication_still_gives_the_true_newest(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles([make(i, published=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=i))
                            for i in range(400)])  # segment 1 holds the newest
        store.add_articles([make(i, published=datetime(2018, 1, 1, tzinfo=UTC) + timedelta(hours=i))
                            for i in range(400, 800)])
    with Store.open(tmp_path, readonly=True) as store:
        assert store.recent(3)[0].title == "Story 399"


def test_dedupe_in_a_fresh_process_reads_no_index_segment(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        for start in range(0, 1200, 400):
            store.add_articles([make(i) for i in range(start, start + 400)])
    with Store.open(tmp_path) as store:
        assert store.is_known(make(5)) and store.is_known(make(2000, guid="guid-7"))
        assert not store.is_known(make(2000))
        assert len(store._unloaded) == 3  # answered from keys.bin alone
        assert len(store.add_articles([make(2000), make(3)]).added) == 1
        assert len(store._unloaded) == 3  # no segment's rows were needed to add one


@pytest.mark.parametrize("damage", ["missing", "truncated", "stale"])
def test_key_file_out_of_step_is_rebuilt(tmp_path: Path, damage: str) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles([make(i) for i in range(10)])
        keys = tmp_path / "store" / "keys.bin"
        before = keys.read_bytes()
        store.add_articles([make(10)])
    if damage == "missing":
        keys.unlink()
    elif damage == "truncated":
        keys.write_bytes(keys.read_bytes()[:-5])
    else:  # a crash after the batch was on disk but before its keys were appended
        keys.write_bytes(before)
    with Store.open(tmp_path) as store:
        assert store.is_known(make(10))
        assert store.add_articles([make(10)]).duplicates == 1
    assert len(keys.read_bytes()) == 11 * 32


def test_dedupe_keys_come_sorted_from_keys_sorted_and_its_tail(tmp_path: Path) -> None:
    first = [make(i) for i in range(50)]
    with Store.open(tmp_path) as store:
        store.add_articles(first)
    with Store.open(tmp_path) as store:  # a fresh process sorts keys.bin once and keeps it
        assert all(store.is_known(a) for a in first) and not store.is_known(make(999))
    sorted_file = tmp_path / "store" / "keys.sorted"
    assert sorted_file.exists()
    later = [make(100 + i) for i in range(30)]
    with Store.open(tmp_path) as store:
        store.add_articles(later)  # appended to keys.bin after what keys.sorted covers
    with Store.open(tmp_path) as store:
        assert all(store.is_known(a) for a in first + later) and not store.is_known(make(998))
    (tmp_path / "store" / "keys.bin").rename(tmp_path / "store" / "keys.bin.old")  # a rebuilt keys.bin
    with Store.open(tmp_path) as store:  # keys.sorted no longer matches it: not trusted
        assert all(store.is_known(a) for a in first + later)


def test_removal_takes_its_keys_out_and_leaves_keys_sorted_valid(tmp_path: Path) -> None:
    articles = [make(i) for i in range(40)]
    with Store.open(tmp_path) as store:
        ids = store.add_articles(articles).added
    with Store.open(tmp_path) as store:
        assert store.remove_articles(ids[:10])[0] == 10
    root = tmp_path / "store"
    kept = (root / "keys.bin").read_bytes()
    assert len(kept) == 30 * 32
    (root / "keys.bin").unlink()  # rebuilt from the index rows: what removal must have left
    with Store.open(tmp_path) as store:
        assert store.is_known(articles[20])
    assert sorted(_chunks((root / "keys.bin").read_bytes())) == sorted(_chunks(kept))
    with Store.open(tmp_path) as store:
        store.remove_articles(ids[10:12])
    sorted_file = (root / "keys.sorted").read_bytes()
    inode, covered = struct.unpack_from("<2Q", sorted_file)
    assert (inode, covered) == (os.stat(root / "keys.bin").st_ino, 28)  # the next process sorts nothing
    with Store.open(tmp_path) as store:
        assert all(store.is_known(a) for a in articles)  # the removed ones as tombstones
        assert store.add_articles(articles).added == ()


def _chunks(data: bytes) -> list[bytes]:
    return [data[i:i + 32] for i in range(0, len(data), 32)]


def test_ids_in_storage_order_group_by_segment_newest_first(tmp_path: Path) -> None:
    """Phase 2 takes its work in this order, so each batch parses one segment, not all."""
    with Store.open(tmp_path) as store:
        ids = list(store.add_articles([make(i) for i in range(900)]).added)  # segments of 400
        given = ids[::2][::-1] + ["000000000000", "not-an-id"] + ids[1::2]
        ordered = store.in_storage_order(given)
    assert sorted(ordered) == sorted(ids)  # unknown ids left out, none lost
    segment = {aid: 1 + i // 400 for i, aid in enumerate(ids)}  # 900 stored: 400, 400, 100
    runs = [segment[aid] for aid in ordered]
    assert runs == sorted(runs, reverse=True) and runs[0] == 3  # the newest segment first
    for number in (1, 2, 3):
        mine = [aid for aid in ordered if segment[aid] == number]
        assert mine == [aid for aid in given if segment.get(aid) == number]  # the given order kept
