"""Real texts and hostile mutations of them, for proving the facts engine never fails.

`real_texts()` reads every article the workspace holds (../shared: seed, meantime-dev and the
article-extraction bodies; the bundled samples; bench/heldout) as (name, title, body);
`mutations()` turns each into variants real feeds produce: numbers spelled out, quotes
split across paragraphs, capitals, stray quotes, mixed scripts, control characters. All
randomness comes from a seeded `random.Random`, so a failure names a text that reproduces.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from briefing.core.text.textfile import parse_plain_article

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)

Text = tuple[str, str, str]
"""(name, title, body)."""


def _from_file(path: Path) -> tuple[str, str]:
    raw = path.read_text(encoding="utf-8")
    front = _FRONT_MATTER.match(raw)
    if front:
        title = next(
            (ln.split(":", 1)[1].strip() for ln in front.group(1).splitlines() if ln.startswith("title:")),
            "",
        )
        return title, raw[front.end() :].strip()
    article = parse_plain_article(raw)
    return article.title, article.body


@cache
def real_texts() -> tuple[Text, ...]:
    """Every real or team-written article reachable from the repo, in a stable order."""
    out: list[Text] = []
    folders = [
        SHARED / "seed",
        SHARED / "eval" / "meantime-dev",
        REPO / "briefing" / "samples",
        REPO / "bench" / "heldout",
    ]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".txt", ".md"} or path.name in {"LICENSE.txt", "README.md"}:
                continue
            title, body = _from_file(path)
            out.append((str(path.relative_to(REPO.parent)), title, body))
    truth = SHARED / "eval" / "article-extraction" / "ground-truth.json"
    if truth.is_file():
        data = json.loads(truth.read_text(encoding="utf-8"))
        for key in sorted(data):
            body = str(data[key].get("articleBody") or "")
            if body.strip():
                out.append((f"article-extraction/{key}", "", body))
    return tuple(out)


def shared_present() -> bool:
    return (SHARED / "eval" / "meantime-dev").is_dir()


# -- numbers spelled out ------------------------------------------------------------------

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALE_WORDS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def in_words(n: int) -> str:
    """Cardinal words of a non-negative integer, as a newsroom writes them."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + (f"-{_UNITS[unit]}" if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_UNITS[hundreds]} hundred" + (f" and {in_words(rest)}" if rest else "")
    for size, word in _SCALE_WORDS:
        if n >= size:
            high, rest = divmod(n, size)
            return f"{in_words(high)} {word}" + (f" {in_words(rest)}" if rest else "")
    return str(n)


_SPELLABLE = re.compile(
    r"(?P<cur>[$€£])?(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:(?P<rng>-|–| to )(?P<n2>\d+(?:\.\d+)?))?"
    r"(?:\s?(?P<s>billion|million|thousand|bn|m)\b)?(?P<pct>\s?%|\s(?:percent|per cent)\b)?"
)
_SCALE_OF = {"bn": "billion", "m": "million"}
_CURRENCY_OF = {"$": "dollars", "€": "euros", "£": "pounds"}


def _number_words(raw: str, rng: random.Random) -> str | None:
    value = float(raw.replace(",", ""))
    whole = int(value)
    frac = value - whole
    if whole > 10**13:
        return None
    if frac == 0:
        return in_words(whole)
    if abs(frac - 0.5) < 1e-9:
        return f"{in_words(whole)} and a half" if whole else "half a"
    digits = raw.split(".", 1)[1]
    return f"{in_words(whole)} point " + " ".join(_UNITS[int(d)] for d in digits)


def spell_numbers(text: str, rng: random.Random) -> str:
    """Digits to words: "12%" -> "twelve percent", "$3 billion" -> "three billion dollars"."""

    def one(m: re.Match[str]) -> str:
        n = m.group("n")
        if re.fullmatch(r"1[6-9]\d\d|20\d\d", n) and not (m.group("cur") or m.group("pct")):
            return m.group()  # a year stays a year
        words = _number_words(n, rng)
        high = _number_words(m.group("n2"), rng) if m.group("n2") else None
        if words is None or (m.group("n2") and high is None):
            return m.group()
        if high is not None:
            joiner = rng.choice([" to ", " and "])
            words = ("between " if joiner == " and " else "") + words + joiner + high
        if m.group("s"):
            words += " " + _SCALE_OF.get(m.group("s"), m.group("s"))
        if m.group("pct"):
            words += rng.choice([" percent", " per cent"])
        if m.group("cur"):
            words += " " + _CURRENCY_OF[m.group("cur")]
        return words

    return _SPELLABLE.sub(one, text)


# -- other mutations ----------------------------------------------------------------------

_FOREIGN = [
    "Москва", "заявил", "الرئيس", "قال", "北京", "习近平", "東京", "서울", "😀", "🇺🇦",
    "👩‍👩‍👧", "\u200f", "\u202e", "\u200d", "\ufeff", "e\u0301", "a\u0308\u0323", "İstanbul",
    "ſ", "\u212a", "ﬁnance", "Ⅻ", "٣٤", "१२", "½", "²", "\u00a0", "\u2028", "\u0085",
]  # fmt: skip
_CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\r", "\r\n", "\t"]
_STRAY = ['"', "“", "”", "‘", "’", "'", "(", ")", "[", "]", "«", "»", "„", "—", "…", "$", "%", "£"]


def _insert(text: str, pieces: list[str], rng: random.Random, count: int) -> str:
    if not text:
        return rng.choice(pieces)
    cuts = sorted(rng.randrange(len(text) + 1) for _ in range(count))
    out, prev = [], 0
    for cut in cuts:
        out.append(text[prev:cut])
        out.append(rng.choice(pieces))
        prev = cut
    out.append(text[prev:])
    return "".join(out)


def split_quotes(text: str, rng: random.Random) -> str:
    """A paragraph break inside each quotation, as long quotes run over paragraphs."""

    def cut(m: re.Match[str]) -> str:
        inner = m.group()
        spaces = [i for i, c in enumerate(inner) if c == " "]
        if not spaces:
            return inner
        at = rng.choice(spaces)
        return inner[:at] + "\n\n" + rng.choice(["“", '"', ""]) + inner[at + 1 :]

    return re.sub(r"[“\"][^”\"\n]{10,400}[”\"]", cut, text)


def mixed_scripts(text: str, rng: random.Random) -> str:
    return _insert(text, _FOREIGN, rng, max(3, len(text) // 200))


def stray_marks(text: str, rng: random.Random) -> str:
    return _insert(text, _STRAY, rng, max(3, len(text) // 150))


def control_chars(text: str, rng: random.Random) -> str:
    return _insert(text, _CONTROL, rng, max(3, len(text) // 150))


def combining_marks(text: str, rng: random.Random) -> str:
    marks = ["\u0301", "\u0308", "\u0327", "\u0323", "\u20dd"]
    return "".join(c + rng.choice(marks) if c.isalpha() and rng.random() < 0.1 else c for c in text)


Mutation = Callable[[str, str, random.Random], tuple[str, str]]

MUTATIONS: dict[str, Mutation] = {
    "spelled": lambda t, b, r: (spell_numbers(t, r), spell_numbers(b, r)),
    "split-quotes": lambda t, b, r: (t, split_quotes(b, r)),
    "caps-title": lambda t, b, r: (t.upper(), b),
    "upper": lambda t, b, r: (t.upper(), b.upper()),
    "lower": lambda t, b, r: (t.lower(), b.lower()),
    "stray": lambda t, b, r: (stray_marks(t, r), stray_marks(b, r)),
    "scripts": lambda t, b, r: (mixed_scripts(t, r), mixed_scripts(b, r)),
    "combining": lambda t, b, r: (combining_marks(t, r), combining_marks(b, r)),
    "control": lambda t, b, r: (control_chars(t, r), control_chars(b, r)),
    "one-paragraph": lambda t, b, r: (t, " ".join(b.split())),
    "no-title": lambda t, b, r: ("", b),
    "title-only": lambda t, b, r: (t, ""),
}

TINY = [
    "", " ", "\n", "\n\n\n", "\t \r\n", "a", "A", ".", "…", "?!", "“", '"', "(", "$", "%", "5",
    "1234567890", "0.5", "9" * 400, "1,000,000,000,000,000,000", "$", "$$$", "...", "—", "-- --",
    "“”", "((((", "))))", "\x00", "\u200f", "😀", "北京", "ſ", "İ", "\u0301", "Mr.", "Nov. 15",
    "five", "Five thousand.", "the five thousand mark", "one", "half", "a quarter of a",
    "tens of", "hundreds of millions of", "between two and", "twenty-", "-five", "$20-",
    "twelve percent percent", "a third of", "the", "May", "said", "“He said",
]  # fmt: skip


def mutations(texts: tuple[Text, ...], seed: int = 20240611) -> Iterator[tuple[str, str, str]]:
    """(name, title, body) for every mutation of every text, then the long and tiny ones."""
    rng = random.Random(seed)
    for name, title, body in texts:
        for kind, mutate in MUTATIONS.items():
            t, b = mutate(title, body, rng)
            yield f"{name}#{kind}", t, b
    for i in range(0, max(1, len(texts)), 30):
        chunk = texts[i : i + 30]
        yield f"long#{i}", chunk[0][1] if chunk else "", "\n\n".join(b for _, _, b in chunk)
    for i, tiny in enumerate(TINY):
        yield f"tiny#{i}", tiny, tiny
        yield f"tiny-body#{i}", "Title", tiny
