"""How fast untrusted text is cleaned, beside the cost of reading it at all.

Cleaning runs on every feed title and body; a regex that backtracks on hostile input
would show here as a ratio far above its usual value. Times `clean_text` on ~100 KB of
ordinary text and of hostile text (escape sequences, controls, bidi marks), against a
plain `str.translate` pass over the same text. Ends with
`clean_ms_per_100kb=N clean_hostile_ms_per_100kb=N clean_vs_translate=R`.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing.core.text.clean import clean_text  # noqa: E402

PLAIN = ("Paragraph with some words, a link and ünïcödé. " * 40 + "\n\n") * 50
HOSTILE = ("\x1b[31mred\x1b]8;;http://x\x07link\x1b]8;;\x07 \u202etxt\u202c \x00\x08\x7f" * 400 + "\n\n") * 10


def median_ms(fn: object, text: str, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    table = str.maketrans({"\x00": None})
    plain = median_ms(clean_text, PLAIN) * 100_000 / len(PLAIN)
    hostile = median_ms(clean_text, HOSTILE) * 100_000 / len(HOSTILE)
    base = median_ms(lambda t: t.translate(table), PLAIN) * 100_000 / len(PLAIN)
    print(f"clean_ms_per_100kb={plain:.2f} clean_hostile_ms_per_100kb={hostile:.2f} "
          f"clean_vs_translate={plain / base:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
