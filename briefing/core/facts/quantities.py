"""Money, percentages and counted things, with a numeric value and a unit.

"$15 billion" -> money 1.5e10 USD, "€2.3bn" -> money EUR, "15-20%" -> percent, "179 new
aerial refueling tankers" -> quantity of tankers. Numbers that are dates or years are never
quantities.
"""

from __future__ import annotations

import math
import re

from briefing.core.facts.dates import date_spans, skip_finditer
from briefing.core.facts.lexicon import common_words, fold
from briefing.core.models import Quantity

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:trillion|billion|million|thousand|crores?|lakhs?|lacs?|bn|mn|tn|m|b|k)\b"
# Currency letters are case-sensitive and start a word: "A$5" is Australian, "a $5" is not.
_PREFIX = (
    r"(?P<pre>(?-i:\b(?:US|U\.S\.|USD|A|AU|AUD|C|CA|CAD|NZ|HK|S|R|NT))?\s?\$|€|£|¥|₹|₽|₺|₩|₪|"
    r"(?-i:\bGB)\s?#|#(?=\s?\d[\d,.]*\s?(?:billion|million|bn|m)\b)|"
    r"(?-i:\b(?:USD|EUR|GBP|JPY|CNY|RMB|CHF|INR|RUB|TRY|Rs\.?|Rp|R))\s)"
)
_CURRENCY_WORD = (
    r"(?P<cw>(?:US\s|U\.S\.\s|American\s|Canadian\s|Australian\s|Hong\s+Kong\s|Singapore\s|"
    r"New\s+Zealand\s|Taiwan\s)?dollars?|euros?|pounds?(?:\s+sterling)?|sterling|yen|yuan|"
    r"renminbi|rupees?|rubles?|roubles?|lira|liras|francs?|pesos?|won|riyals?|dirhams?|rand|"
    r"kronor|kronas?|krone|zloty|reais|real|ringgit|baht|dinars?|shekels?|hryvnias?|naira|"
    r"rupiah|shillings?|crowns?|korunas?|forints?|lei|leu|levs?|kwacha|cedis?|birr|taka|kyats?|"
    r"dong|rials?|tenge|manats?|lari|pula|som|soms|hryvni)\b"
)
# "a $20-billion deal", "a 3-billion-euro plan": the hyphenated style of Canadian and AP copy.
_HYPHEN_SCALE = r"-(?=(?:trillion|billion|million|thousand)\b)"
_RANGE = rf"(?:\s?(?:-|–|to|and)\s?(?:\$|€|£)?(?:{_NUM})(?:\s?(?P<rs>{_SCALE}))?)?"
# The look-ahead admits only what a match can start with (a currency sign or digit, a
# space right before "$", the first capital of a case-sensitive code): the engine skips
# every other offset at once instead of trying each currency alternative there.
_MONEY = re.compile(
    r"(?=[$€£¥₹₽₺₩₪#\d]|\s\$|(?-i:[ACEGHIJNRSTU]))"
    rf"(?:{_PREFIX}\s?(?P<n>{_NUM})(?:(?:\s?|{_HYPHEN_SCALE})(?P<s>{_SCALE}))?{_RANGE}"
    rf"(?:\s?\(?(?:USD|US\s+dollars?|dollars?)\b\)?)?"
    rf"|(?P<n2>{_NUM})(?:(?:\s?|{_HYPHEN_SCALE})(?P<s2>{_SCALE}))?[\s-]{_CURRENCY_WORD})",
    re.I,
)
_PERCENT = re.compile(
    rf"(?P<n>{_NUM})(?:\s?(?:-|–|to)\s?(?:{_NUM}))?\s?(?:%|per\s?cent\b|percent\b)"
    r"(?![\s-]points?\b)",
    re.I,
)
# "3 percentage points", "a 10-percentage-point lead": a difference of rates, not a rate.
_POINTS = re.compile(rf"(?P<n>{_NUM})[\s-](?:percentage|percent)[\s-]points?\b", re.I)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "hundreds": 100, "thousands": 1000,
    "dozens": 12,
}  # fmt: skip
_COUNT = re.compile(
    rf"\b(?P<n>{_NUM}|(?:{'|'.join(_NUMBER_WORDS)}))\b(?:\s(?P<s>million|billion|thousand))?"
    r"(?P<unit>(?:\s[a-z][a-z-]*){1,4})?",
    re.I,
)
# Where a count can start: a run of digits, or a word whose first letter and rest could
# make a number word (a superset; `_COUNT` decides).
_COUNT_STARTS = re.compile(
    rf"[\d{''.join(sorted({w[0] + w[0].upper() for w in _NUMBER_WORDS}))}](?<!\w.)"
    rf"(?:(?<=\d)|(?i:{'|'.join(sorted({w[1:] for w in _NUMBER_WORDS}))}))"
)
_HAS_DIGIT = re.compile(r"\d")
_NUMBER_WORD = re.compile("|".join(_NUMBER_WORDS))
_CURRENCY_CHARS = re.compile(r"[$€£¥₹₽₺₩₪#]")
_CURRENCY_HINTS = (
    "dollar", "euro", "pound", "sterling", "yen", "yuan", "renminbi", "rupee", "ruble",
    "rouble", "lira", "franc", "peso", "riyal", "dirham", "kron", "zloty", "ringgit", "baht",
    "dinar", "shekel", "hryvnia", "naira", "rupiah", "shilling", "crown", "koruna", "forint",
    "lei", "leu", "lev", "kwacha", "cedi", "birr", "taka", "kyat", "dong", "rial", "tenge",
    "manat", "lari", "pula",
)  # fmt: skip
# "USD", "Rs", "R" as a word (first letter found by a fast scan, the rest checked after it),
# or a number before "won", "real", "reais" or "rand".
_CURRENCY_CODES = re.compile(
    r"[CEGIJRTU](?<!\w.)(?:(?<=U)SD|(?<=E)UR|(?<=G)BP|(?<=J)PY|(?<=C)NY|(?<=R)MB|(?<=C)HF"
    r"|(?<=I)NR|(?<=R)UB|(?<=T)RY|(?<=R)s|(?<=R)p|(?<=R))\b"
)
_CURRENCY_WORD_AFTER_NUMBER = re.compile(r"\d\s(?:[bmtr]+illion\s)?(?:won|real|reais|rand)\b")


_HINT_WORDS: dict[str, bool] = {}


def _has_currency_hint(low: str) -> bool:
    """Whether any of _CURRENCY_HINTS is in `low`, word by word: a hint holds no space, so
    it lies inside one word, and each word's answer is remembered (news repeats its words);
    forty-odd substring searches in every sentence with a digit cost more than the pattern."""
    known = _HINT_WORDS
    for word in low.split():
        hit = known.get(word)
        if hit is None:
            hit = any(map(word.__contains__, _CURRENCY_HINTS))
            if len(known) < 100_000:
                known[word] = hit
        if hit:
            return True
    return False


def _money_hint(text: str, low: str) -> bool:
    """Cheap test that a sentence could name money, before the costly pattern runs."""
    return (
        _CURRENCY_CHARS.search(text) is not None
        or _has_currency_hint(low)
        or _CURRENCY_CODES.search(text) is not None
        or _CURRENCY_WORD_AFTER_NUMBER.search(text) is not None
    )
_SCALES = {
    "trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6,
    "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3, "crore": 1e7, "crores": 1e7, "lakh": 1e5,
    "lakhs": 1e5, "lac": 1e5, "lacs": 1e5,
}  # fmt: skip
_CODES = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "usd$": "USD", "usd": "USD", "a$": "AUD",
    "au$": "AUD", "aud": "AUD", "c$": "CAD", "ca$": "CAD", "cad": "CAD", "nz$": "NZD",
    "hk$": "HKD", "s$": "SGD", "r$": "BRL", "nt$": "TWD", "€": "EUR", "eur": "EUR", "£": "GBP",
    "gbp": "GBP", "gb#": "GBP", "#": "GBP", "¥": "JPY", "jpy": "JPY", "₹": "INR", "rs": "INR",
    "rs.": "INR", "inr": "INR", "₽": "RUB", "rub": "RUB", "₺": "TRY", "try": "TRY", "₩": "KRW",
    "₪": "ILS", "cny": "CNY", "rmb": "CNY", "chf": "CHF", "rp": "IDR", "r": "ZAR",
}  # fmt: skip
_WORD_CODES = {
    "dollar": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "ruble": "RUB", "rouble": "RUB",
    "lira": "TRY", "franc": "CHF", "peso": "MXN", "won": "KRW", "riyal": "SAR", "dirham": "AED",
    "rand": "ZAR", "krona": "SEK", "kronor": "SEK", "krone": "NOK", "zloty": "PLN", "real": "BRL",
    "reais": "BRL", "ringgit": "MYR", "baht": "THB", "dinar": "KWD", "shekel": "ILS",
    "hryvnia": "UAH", "naira": "NGN", "rupiah": "IDR", "shilling": "KES", "crown": "CZK",
    "koruna": "CZK", "forint": "HUF", "lei": "RON", "leu": "RON", "lev": "BGN",
    "kwacha": "ZMW", "cedi": "GHS", "birr": "ETB", "taka": "BDT", "kyat": "MMK", "dong": "VND",
    "rial": "IRR", "tenge": "KZT", "manat": "AZN", "lari": "GEL", "pula": "BWP", "som": "KGS",
}  # fmt: skip


_SCORE_AFTER = re.compile(r"\s?[-–]\s?\d")
_UNITS = frozenset(
    """km kg mph kph mw gw kw kwh mwh gwh twh mm cm m ft ha acre acres mile miles tonne ton
    hectare metre meter litre liter barrel gallon pound ounce degree celsius fahrenheit""".split()
)
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w&.-]*|[A-Z]{2,}) $")


def _plural(word: str) -> bool:
    return len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _name_before(text: str, start: int) -> bool:
    """A number right after a capitalised word mid-sentence names a thing: "S&P 500"."""
    m = _NAME_BEFORE.search(text, max(0, start - 30), start)
    if m is None or m.start() == 0:
        return False
    before = text[: m.start()].rstrip()
    return bool(before) and before[-1] not in ".!?:\"“"


def _number(raw: str) -> float | None:
    """The value of digits or a number word; None for what is no finite number ("9" * 400)."""
    raw = raw.lower()
    if raw in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[raw])
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _scaled(n: str, scale: str | None) -> float | None:
    value = _number(n)
    if value is None:
        return None
    if scale:
        value *= _SCALES.get(fold(scale), 1.0)  # fold: "bİllion" is matched as "billion"
    return value if math.isfinite(value) else None


def _currency_of_word(word: str) -> str:
    w = word.lower().split()[-1]
    if "canadian" in word.lower():
        return "CAD"
    if "australian" in word.lower():
        return "AUD"
    if "hong" in word.lower():
        return "HKD"
    for stem, code in _WORD_CODES.items():
        if w.startswith(stem):
            return code
    return "USD" if "dollar" in w else w.upper()


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def extract_quantities(
    sentences: list[str], date_spans_of: list[list[tuple[int, int]]] | None = None
) -> list[Quantity]:
    """Quantities of sentences (0 = title); numbers inside the given date spans are skipped."""
    out: list[Quantity] = []
    stop = common_words()
    for si, text in enumerate(sentences):
        digits = _HAS_DIGIT.search(text) is not None
        low = text.lower()
        if not digits and _NUMBER_WORD.search(low) is None:
            continue
        taken = list(date_spans_of[si]) if date_spans_of is not None else date_spans(text)
        found: list[tuple[int, Quantity]] = []
        money = list(_MONEY.finditer(text)) if digits and _money_hint(text, low) else []
        has_pct = "%" in text or "per" in low
        percent = list(_PERCENT.finditer(text)) if digits and has_pct else []
        counts = skip_finditer(_COUNT, _COUNT_STARTS, text)
        for m in money:
            if _overlaps(m.span(), taken):
                continue
            if m.group("n") is not None:
                pre = re.sub(r"\s", "", m.group("pre") or "").lower()
                unit = _CODES.get(pre, _CODES.get(pre.rstrip("$") + "$", "USD"))
                # "$20-30 billion": the scale of the range is the lower bound's too.
                value = _scaled(m.group("n"), m.group("s") or m.group("rs"))
            else:
                unit = _currency_of_word(m.group("cw"))
                value = _scaled(m.group("n2"), m.group("s2"))
            word = m.group().strip()
            if word.count("(") > word.count(")"):  # "$5 (USD" with no ")": the code is left out
                word = word[: word.rindex("(")].rstrip()
            elif word.count(")") > word.count("("):
                word = word.rstrip(")")
            found.append((m.start(), Quantity(word, "money", value, unit, si)))
            taken.append(m.span())
        for m in _POINTS.finditer(text) if digits and has_pct else ():
            if _overlaps(m.span(), taken):
                continue
            value = _number(m.group("n"))
            found.append((m.start(), Quantity(m.group(), "quantity", value, "percentage points", si)))
            taken.append(m.span())
        for m in percent:
            if _overlaps(m.span(), taken):
                continue
            found.append((m.start(), Quantity(m.group(), "percent", _number(m.group("n")), "%", si)))
            taken.append(m.span())
        for m in counts:
            if _overlaps(m.span("n"), taken):
                continue
            n = m.group("n")
            if n.isdigit() and len(n) == 4 and 1600 <= int(n) <= 2099:
                continue
            start = m.start()
            if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "$£€#.-/:"):
                continue
            if _SCORE_AFTER.match(text, m.end("n")) or _name_before(text, start):
                continue  # "6-1, 7-6"; "Nikkei 225", "Boeing 737"
            words = (m.group("unit") or "").split()
            unit_words: list[str] = []
            for w in words:
                lw = w.lower()
                if lw in stop or lw in {"of", "and", "or", "the", "a"}:
                    if unit_words:
                        break
                    if lw in {"of", "the", "a", "and", "or"}:
                        break
                    continue
                unit_words.append(w)
                if lw in _UNITS or _plural(lw):
                    break  # "310 arrests overnight" ends at "arrests"
            else:
                # No counted noun ("500 rose"): keep the words only if they end in one.
                if unit_words and not (
                    unit_words[-1].lower() in _UNITS or _plural(unit_words[-1].lower())
                ):
                    unit_words = []
            is_word = not n[:1].isdigit()
            if not unit_words and not m.group("s"):
                continue  # a bare number is no fact
            if is_word and not (unit_words and unit_words[-1].endswith("s")):
                continue  # "twelve submarines"; "the five thousand mark" is no count of marks
            count_unit = unit_words[-1] if unit_words else None
            end = m.end("s") if m.group("s") else m.end("n")
            if unit_words:
                end = text.find(unit_words[-1], end) + len(unit_words[-1])
            value = _scaled(n, m.group("s"))
            found.append((start, Quantity(text[start:end], "quantity", value, count_unit, si)))
            taken.append((start, end))
        found.sort(key=lambda t: t[0])
        out.extend(q for _, q in found)
    return out
