"""Does the facts engine give the same output as before? A dump of every text we have.

Refactors and speed passes must not change what the engine says. This runs
`extract_facts` over every text the project can reach (../shared: seed, meantime-dev and
the article-extraction pages' bodies; the bundled samples; bench/heldout*; the facts
speed bench's and the ingest bench's generated items) and writes one JSON line per text
with the facts as `briefing facts --json` gives them.

    python bench/facts_identity.py --out /tmp/before.jsonl      # on the old code
    python bench/facts_identity.py --out /tmp/after.jsonl       # on the new code
    python bench/facts_identity.py --compare /tmp/before.jsonl /tmp/after.jsonl

`--compare` prints the texts whose facts differ (and which fields) and exits 1 if any do.
`--write-texts DIR` writes every text as a file, to compare `briefing facts --json DIR/*`
itself before and after a change of the command.
Ends with `texts=N failures=N` (a failure is an exception from the engine).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import traceback
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
PUBLISHED = date(2019, 11, 16)


def _text_files() -> Iterator[tuple[str, str]]:
    folders = [SHARED / "seed", SHARED / "eval" / "meantime-dev", ROOT / "briefing" / "samples",
               ROOT / "bench" / "heldout", ROOT / "bench" / "heldout2"]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".txt", ".md"} or path.name in {"LICENSE.txt", "README.md"}:
                continue
            yield str(path.relative_to(ROOT.parent)), path.read_text(encoding="utf-8")


def _extraction_bodies() -> Iterator[tuple[str, str]]:
    truth = SHARED / "eval" / "article-extraction" / "ground-truth.json"
    if not truth.is_file():
        return
    data = json.loads(truth.read_text(encoding="utf-8"))
    for key in sorted(data):
        body = str(data[key].get("articleBody") or "")
        if body.strip():
            yield f"article-extraction/{key}", "Untitled\n\n" + body


def _bench_items() -> Iterator[tuple[str, str]]:
    from bench.facts_speed import _paragraphs, build_articles

    for i, (_, title, body) in enumerate(build_articles(_paragraphs())):
        yield f"facts-speed/{i}", f"{title}\n\n{body}"
    from bench.ingest import _sentence

    rng = random.Random(7)
    for i in range(200):
        paras = ["  ".join(_sentence(rng) for _ in range(3)) for _ in range(4)]
        yield f"ingest-bench/{i}", _sentence(rng)[:90] + "\n\n" + "\n\n".join(paras)


def texts() -> Iterator[tuple[str, str]]:
    yield from _text_files()
    yield from _extraction_bodies()
    yield from _bench_items()


def dump(out: Path) -> int:
    from briefing.core.facts import extract_facts
    from briefing.core.text.textfile import parse_plain_article

    count = failures = 0
    with out.open("wb") as handle:
        for name, raw in texts():
            count += 1
            raw = _FRONT_MATTER.sub("", raw, count=1)
            plain = parse_plain_article(raw)
            try:
                facts = extract_facts(plain.title, plain.body, plain.published or PUBLISHED).to_dict()
            except Exception:  # noqa: BLE001 - counted and shown, the dump goes on
                failures += 1
                facts = {"error": traceback.format_exc(limit=3)}
                print(f"{name}: {traceback.format_exc(limit=1).splitlines()[-1]}", file=sys.stderr)
            handle.write(orjson.dumps({"name": name, "facts": facts}, option=orjson.OPT_SORT_KEYS) + b"\n")
    print(f"texts={count} failures={failures}")
    return 1 if failures else 0


def write_texts(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for count, (name, raw) in enumerate(texts(), start=1):
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        suffix = ".md" if name.endswith(".md") else ".txt"
        (folder / f"{count:04d}_{safe[-80:]}{suffix}").write_text(raw, encoding="utf-8")
    print(f"texts={count}")
    return 0


def compare(before: Path, after: Path) -> int:
    def load(path: Path) -> dict[str, dict[str, object]]:
        rows = (orjson.loads(line) for line in path.read_bytes().splitlines() if line)
        return {row["name"]: row["facts"] for row in rows}

    old, new = load(before), load(after)
    differ = 0
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        differ += 1
        if a is None or b is None:
            print(f"{name}: only in {'after' if a is None else 'before'}")
            continue
        fields = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        print(f"{name}: {', '.join(fields)}")
    print(f"texts={len(old.keys() | new.keys())} differ={differ}")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="write the dump here")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--write-texts", type=Path, metavar="DIR", help="write every text as a file")
    args = parser.parse_args(argv)
    if args.write_texts:
        return write_texts(args.write_texts)
    if args.compare:
        return compare(*args.compare)
    if args.out:
        return dump(args.out)
    parser.error("give --out FILE or --compare BEFORE AFTER")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
