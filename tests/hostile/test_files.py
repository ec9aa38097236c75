"""`briefing import` of a directory full of traps: each bad entry is refused with a
one-line reason on stderr, the rest of the batch is imported, the exit code is 1, and
nothing blocks (a FIFO) or loops (a symlink loop) or reads gigabytes (a sparse file).

Reading single files is covered in tests/core/ingest/test_importers.py; here it is the command.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import orjson
import pytest

from briefing.cli import main
from briefing.core.store.store import Store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def trap_dir(tmp_path: Path) -> Path:
    root = tmp_path / "drop"
    nested = root / "nested" / "deeper"
    nested.mkdir(parents=True)
    (root / "good-one.txt").write_text("Ankara resumes talks\n\nTurkish officials met on Monday.\n")
    (nested / "good-two.md").write_text("---\ntitle: Brussels weighs sanctions\n---\nThe EU met.\n")
    (root / "good-three.json").write_text('[{"title": "Moscow hosts envoys", "text": "Envoys met."}]')
    (root / "loop").symlink_to(root, target_is_directory=True)  # a loop back to the top
    (nested / "up").symlink_to(root / "nested", target_is_directory=True)
    (root / "passwd.txt").symlink_to("/etc/passwd")  # a link out of the tree is not followed
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    os.mkfifo(root / "pipe.txt")  # opening it for reading would block forever
    with open(root / "huge.txt", "wb") as handle:
        handle.truncate(2 * 1024**3)  # 2 GiB, sparse: costs nothing on disk
    (root / "garbage.txt").write_bytes(bytes(range(256)) * 32)
    (root / "garbage.json").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(512))
    (root / "slides.docx").write_bytes(b"PK\x03\x04" + os.urandom(64))
    (root / "program.exe").write_bytes(b"MZ" + os.urandom(64))
    (root / "README").write_text("no extension")
    (root / "broken.json").write_text('{"title": "x", "text": ')
    (root / "wrong-types.json").write_text('{"title": ["x"], "text": 3}')
    (root / "empty.md").write_text("")
    (root / "nul-in-text.txt").write_bytes(b"Title\n\nBody with a NUL \x00 in it.\n")
    return root


REFUSED = {
    "loop": "symbolic link",
    "up": "symbolic link",
    "passwd.txt": "symbolic link",
    "dangling.txt": "symbolic link",
    "pipe.txt": "not a regular file",
    "huge.txt": "too large",
    "garbage.txt": "binary",
    "garbage.json": "binary",
    "slides.docx": "unknown file type",
    "program.exe": "unknown file type",
    "README": "unknown file type",
    "broken.json": "not valid JSON",
    "wrong-types.json": "must be strings",
    "empty.md": "no article found",
    "nul-in-text.txt": "binary",
}


def test_import_of_a_trapped_directory(
    trap_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    started = time.monotonic()
    code, out, err = run(capsys, "import", "--home", str(home), str(trap_dir))
    assert time.monotonic() - started < 20  # (facts for the bundled samples take most of it)
    assert code == 1
    assert "Traceback" not in err
    reasons: dict[str, str] = {}
    for line in err.strip().splitlines():
        if line.startswith("briefing: "):
            continue  # a notice, not a refused file
        path, _, reason = line.partition(": ")
        reasons[Path(path).name] = reason
    assert set(reasons) == set(REFUSED), reasons
    for name, expected in REFUSED.items():
        assert expected in reasons[name], (name, reasons[name])
    assert f"imported 3 new article(s), 0 already stored, {len(REFUSED)} file(s) refused" in out
    with Store.open(home, readonly=True) as store:
        titles = {a.title for a in store.articles() if a.feed == "import" and not a.sample}
    assert titles == {"Ankara resumes talks", "Brussels weighs sanctions", "Moscow hosts envoys"}
    # Again: the same reasons, nothing new, nothing lost.
    code, out, _ = run(capsys, "import", "--home", str(home), str(trap_dir))
    assert code == 1 and "imported 0 new article(s), 3 already stored" in out


def test_top_level_fifo_and_missing_path_are_refused_without_blocking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text("Sochi memo signed\n\nThe memo was signed.\n")
    started = time.monotonic()
    code, out, err = run(capsys, "import", "--home", str(tmp_path / "home"), str(fifo),
                         str(tmp_path / "missing.txt"), str(good))
    assert time.monotonic() - started < 20
    assert code == 1
    assert f"{fifo}: not a regular file" in err
    assert f"{tmp_path / 'missing.txt'}: cannot read (No such file or directory)" in err
    assert "imported 1 new article(s)" in out


def test_hostile_file_names_are_stored_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "report \x1b]0;EVILNAME\x07 \u202e.txt").write_text("Putin visits Ankara\n\nHe went.\n")
    code, _, _ = run(capsys, "import", "--home", str(tmp_path / "home"), str(drop))
    assert code == 0
    with Store.open(tmp_path / "home", readonly=True) as store:
        raw = b"".join(p.read_bytes() for p in (tmp_path / "home" / "store").rglob("*.json"))
        (meta,) = [a for a in store.articles() if a.feed == "import" and not a.sample]
        article = store.get(meta.id)
    assert article is not None
    assert "EVILNAME" not in orjson.dumps(article.extra).decode()
    assert b"EVILNAME" not in raw and b"\\u001b" not in raw


def test_hostile_file_names_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "slides \x1b]0;EVILNAME\x07\x1b[2J.docx").write_bytes(b"PK\x03\x04")
    code, out, err = run(capsys, "import", "--home", str(tmp_path / "home"), str(drop))
    assert code == 1
    assert "unknown file type" in err
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", out + err), repr(err)
