"""How fast the facts engine is: median ms per article by length, and import time.

Builds a few hundred articles of varied length (100 to 1,600 words) by joining the eval
and sample texts (../shared when present, else briefing/samples, else synthetic text), runs
`extract_facts` on each on one core, and times `import briefing.core.facts` in a fresh
interpreter. Per-article times are CPU time of this process (one core), which a busy shared
machine disturbs far less than wall time; wall-clock medians are printed beside them.
Ends with `facts_ms_median_800w=N import_ms=N`.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.core.facts import extract_facts  # noqa: E402
from briefing.core.text.textfile import parse_plain_article  # noqa: E402

SHARED = ROOT.parent / "shared"
LENGTHS = (100, 200, 400, 800, 1200, 1600)
ARTICLES = 300
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def _paragraphs() -> list[str]:
    paths: list[Path] = []
    for folder in (SHARED / "eval" / "meantime-dev", SHARED / "seed", ROOT / "briefing" / "samples"):
        if folder.is_dir():
            paths.extend(p for p in sorted(folder.rglob("*")) if p.suffix in {".txt", ".md"})
    paras: list[str] = []
    for path in paths:
        if path.name in {"LICENSE.txt", "README.md"}:
            continue
        raw = _FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
        body = parse_plain_article(raw).body if path.suffix == ".txt" else raw
        paras.extend(p.strip() for p in body.split("\n\n") if len(p.split()) >= 8)
    if not paras:  # no texts at all: plausible synthetic news paragraphs
        for i in range(200):
            paras.append(
                f"Officials in Ankara said on Tuesday that President Recep Tayyip Erdoğan would "
                f"meet Chancellor Angela Merkel in Berlin on March {i % 28 + 1}, 2020, to discuss "
                f"a $1.{i % 10} billion aid package. \"We expect progress,\" said Ibrahim Kalın, "
                f"a senior aide, adding that {i % 90 + 5}% of the funds would go to refugees."
            )
    return paras


def build_articles(paras: list[str]) -> list[tuple[int, str, str]]:
    """(target words, title, body) for ARTICLES articles cycling through LENGTHS."""
    out: list[tuple[int, str, str]] = []
    pos = 0
    for i in range(ARTICLES):
        target = LENGTHS[i % len(LENGTHS)]
        chosen: list[str] = []
        words = 0
        while words < target:
            p = paras[pos % len(paras)]
            pos += 1
            need = target - words
            split = p.split()
            if len(split) > need + 20:
                p = " ".join(split[:need]).rstrip(",;") + "."
            chosen.append(p)
            words += len(p.split())
        title = " ".join(chosen[0].split()[:10])
        out.append((target, title, "\n\n".join(chosen)))
    return out


def import_ms(runs: int = 5) -> float:
    code = (
        "import time; t = time.perf_counter(); import briefing.core.facts; "
        "print((time.perf_counter() - t) * 1000)"
    )
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def main() -> int:
    articles = build_articles(_paragraphs())
    published = date(2019, 11, 16)
    t0 = time.perf_counter()
    extract_facts(articles[0][1], articles[0][2], published)
    first_ms = (time.perf_counter() - t0) * 1000
    by_len: dict[int, list[float]] = {n: [] for n in LENGTHS}
    wall: dict[int, list[float]] = {n: [] for n in LENGTHS}
    for target, title, body in articles:
        c = time.process_time()
        t = time.perf_counter()
        extract_facts(title, body, published)
        wall[target].append((time.perf_counter() - t) * 1000)
        by_len[target].append((time.process_time() - c) * 1000)
    print(f"articles={len(articles)} first_call_ms={first_ms:.1f} (loads word lists, gazetteer)")
    for n in LENGTHS:
        ms = by_len[n]
        print(
            f"  {n:>5} words: median {statistics.median(ms):6.2f} ms cpu "
            f"({statistics.median(wall[n]):6.2f} ms wall)  max {max(ms):6.2f} ms cpu"
        )
    imp = import_ms()
    med800 = statistics.median(by_len[800])
    print(f"facts_ms_median_800w={med800:.2f} import_ms={imp:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
