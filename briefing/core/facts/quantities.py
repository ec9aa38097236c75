"""Money, percentages and counted things, with a numeric value and a unit.

"$15 billion" -> money 1.5e10 USD, "three billion euros" -> money EUR, "15-20%" -> percent
15 (high 20), "nine percent", "179 new aerial refueling tankers" -> quantity of tankers,
"tens of thousands of protesters" -> a quantity with no value, "a third of voters" -> a share
of 33.33 percent. Numbers that are dates or years are never quantities. Never raises.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import NamedTuple

from briefing.core.facts.dates import date_spans, skip_finditer
from briefing.core.facts.lexicon import common_words, fold, given_names, number_words
from briefing.core.facts.numbers import WordNumber, find_word_numbers
from briefing.core.models.facts import Quantity, QuantityKind

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:trillion|billion|million|thousand|crores?|lakhs?|lacs?|bn|mn|tn|m|b|k)\b"
# Currency letters are case-sensitive and start a word: "A$5" is Australian, "a $5" is not.
_PREFIX = (
    r"(?P<pre>(?-i:\b(?:US|U\.S\.|USD|A|AU|AUD|C|CA|CAD|NZ|HK|S|R|NT))?\s?\$|€|£|¥|₹|₽|₺|₩|₪|"
    r"(?-i:\bGB)\s?#|#(?=\s?\d[\d,.]*\s?(?:billion|million|bn|m)\b)|"
    r"(?-i:\b(?:USD|EUR|GBP|JPY|CNY|RMB|CHF|INR|RUB|TRY|Rs\.?|Rp|R))\s)"
)
# National adjectives before a currency word name its code: "Hong Kong dollars" are HKD.
_CURRENCY_ADJECTIVES = {
    "us": "USD", "u.s.": "USD", "american": "USD", "canadian": "CAD", "australian": "AUD",
    "hong kong": "HKD", "singapore": "SGD", "new zealand": "NZD", "taiwan": "TWD",
    "taiwanese": "TWD", "swiss": "CHF", "egyptian": "EGP", "pakistani": "PKR", "sri lankan": "LKR",
    "nepalese": "NPR", "indian": "INR", "argentine": "ARS", "argentinian": "ARS",
    "mexican": "MXN", "chilean": "CLP", "colombian": "COP", "philippine": "PHP", "danish": "DKK",
    "norwegian": "NOK", "swedish": "SEK", "icelandic": "ISK", "czech": "CZK", "saudi": "SAR",
    "qatari": "QAR", "omani": "OMR", "kuwaiti": "KWD", "bahraini": "BHD", "jordanian": "JOD",
    "iraqi": "IQD", "libyan": "LYD", "tunisian": "TND", "algerian": "DZD", "lebanese": "LBP",
    "syrian": "SYP", "sudanese": "SDG", "nigerian": "NGN", "kenyan": "KES", "ugandan": "UGX",
    "tanzanian": "TZS", "south african": "ZAR", "brazilian": "BRL", "russian": "RUB",
    "turkish": "TRY", "japanese": "JPY", "chinese": "CNY", "south korean": "KRW",
    "iranian": "IRR", "jamaican": "JMD", "zimbabwean": "ZWL",
}  # fmt: skip
_CURRENCY_NAMES = (
    # One or two capitalised words first are a nationality: "Hong Kong dollars", "U.S. dollars".
    r"(?:(?-i:(?:[A-Z][A-Za-z.]*\s){1,2}))?(?:dollars?|euros?|pounds?(?:\s+sterling)?|sterling|"
    r"yen|yuan|renminbi|rupees?|rubles?|roubles?|lira|liras|francs?|pesos?|won|riyals?|dirhams?|"
    r"rand|kronor|kronas?|kroner|krone|kronur|zloty|zlotys|reais|real|ringgit|baht|dinars?|"
    r"shekels?|hryvnias?|naira|rupiah|shillings?|crowns?|korunas?|forints?|lei|leu|levs?|kwacha|"
    r"cedis?|birr|taka|kyats?|dong|rials?|tenge|manats?|lari|pula|som|soms|hryvni|soles|"
    r"bolivars?|bolivares|quetzals?|quetzales|colones|guaranies|afghanis?|ariary|leones?)"
)
_CURRENCY_WORD = rf"(?P<cw>{_CURRENCY_NAMES})\b"
# "a $20-billion deal", "a 3-billion-euro plan": the hyphenated style of Canadian and AP copy.
_HYPHEN_SCALE = r"-(?=(?:trillion|billion|million|thousand)\b)"
_RANGE = rf"(?:(?P<rj>\s?(?:-|–|to|and)\s?)(?:\$|€|£)?(?P<hi>{_NUM})(?:\s?(?P<rs>{_SCALE}))?)?"
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
# A range is found from its upper end back: "15-20%", "between two and five percent",
# "20 to 30 million euros" (see `_range_start`).
_PERCENT = re.compile(rf"(?P<n>{_NUM})\s?(?:%|per\s?cent\b|percent\b)(?![\s-]points?\b)", re.I)
# "3 percentage points", "a 10-percentage-point lead": a difference of rates, not a rate.
_POINTS = re.compile(rf"(?P<n>{_NUM})[\s-](?:percentage|percent)[\s-]points?\b", re.I)
_COUNT = re.compile(rf"\b(?P<n>{_NUM})\b(?:\s(?P<s>million|billion|thousand))?", re.I)
_COUNT_STARTS = re.compile(r"\d(?<!\w.)")
_HAS_DIGIT = re.compile(r"\d")
_CURRENCY_CHARS = re.compile(r"[$€£¥₹₽₺₩₪#]")
_CURRENCY_HINTS = (
    "dollar", "euro", "pound", "sterling", "yen", "yuan", "renminbi", "rupee", "ruble",
    "rouble", "lira", "franc", "peso", "riyal", "dirham", "kron", "zloty", "ringgit", "baht",
    "dinar", "shekel", "hryvnia", "naira", "rupiah", "shilling", "crown", "koruna", "forint",
    "lei", "leu", "lev", "kwacha", "cedi", "birr", "taka", "kyat", "dong", "rial", "tenge",
    "manat", "lari", "pula", "sole", "bolivar", "quetzal", "colones", "guarani", "afghani",
    "ariary", "leone",
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
    "kronur": "ISK", "sol": "PEN", "bolivar": "VES", "quetzal": "GTQ",
    "colon": "CRC", "guarani": "PYG", "afghani": "AFN", "ariary": "MGA", "leone": "SLE",
}  # fmt: skip


_SCORE_AFTER = re.compile(r"\s?[-–]\s?\d")
_UNITS = frozenset(
    """km kg mph kph mw gw kw kwh mwh gwh twh mm cm m ft ha acre acres mile miles tonne ton
    hectare metre meter litre liter barrel gallon pound ounce degree celsius fahrenheit foot
    inch yard horsepower hp bhp ps lb-ft nm db dba ghz mhz gb tb mb mah min sec hr point""".split()
)
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w&.-]*|[A-Z]{2,}) $")

# What follows a number and says what it counts.
_NEXT_WORD = re.compile(r"\s([A-Za-z][A-Za-z-]*)")
_MODIFIERS = frozenset(
    "more new other old big small large long short high low good bad great little early late "
    "major minor fewer extra".split()
)
"""Common words that may stand between a number and its noun: "12 more people"."""
_HYPHENS = frozenset("-‐‑")
# The lower end of a range, found back from its upper end: "15-", "two to ", "between 2 and ".
_JOIN_BEFORE = re.compile(r"(?:\s?[-–]\s?|\s(?:to|and)\s)$", re.I)
_LOW_DIGITS = re.compile(rf"(?P<lo>{_NUM})(?:\s?(?P<ls>{_SCALE}))?\s?%?$", re.I)
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
_FROM = re.compile(r"\bfrom\s+$", re.I)


# Currency words that are other words too ("the team won", "three crowns"): money after a
# number in words only with a scale ("five million won").
_AMBIGUOUS_MONEY = frozenset("won real rand dong lei leu som soms crown crowns pula lari soles".split())


class _WordPatterns(NamedTuple):
    """What may follow a number in words, compiled on first use: importing the engine stays
    cheap, and most articles hold no number in words."""

    percent: re.Pattern[str]
    points: re.Pattern[str]
    fraction_point: re.Pattern[str]
    """ "-point" after a fraction: "a quarter-point cut"."""
    money: re.Pattern[str]
    """A currency word right after the number: "three billion euros"."""
    vague_money: re.Pattern[str]
    """One after "of" for a vague magnitude: "hundreds of millions of dollars"."""
    vague_lead: re.Pattern[str]
    """ "thousands of protesters", "thousands more residents"."""
    share_lead: re.Pattern[str]
    """What stands between a fraction and its whole: "a third of the country's voters"."""
    word_or_model: re.Pattern[str]
    """A word, or a model number: "five new 737 aircraft"."""
    hyphen_word: re.Pattern[str]
    first_word: re.Pattern[str]


@cache
def _word_patterns() -> _WordPatterns:
    return _WordPatterns(
        percent=re.compile(r"\s?(?:%|per\s?cent\b|percent\b)(?![\s-]points?\b)", re.I),
        points=re.compile(r"[\s-](?:percentage|percent|per\s?cent)[\s-]points?\b", re.I),
        fraction_point=re.compile(r"-points?\b", re.I),
        money=re.compile(rf"[\s-]{_CURRENCY_WORD}", re.I),
        vague_money=re.compile(rf"\s+of\s+{_CURRENCY_WORD}", re.I),
        vague_lead=re.compile(r"\s+(?:of|more)(?=\s)", re.I),
        share_lead=re.compile(
            r"(?P<of>\s+of)?(?P<det>\s+(?:the|its|their|his|her|our|all|those|these))?"
            r"(?:\s+[A-Za-z]+['’]s)?",
            re.I,
        ),
        word_or_model=re.compile(r"\s([A-Z]?\d{2,}[A-Za-z0-9-]*|[A-Za-z][A-Za-z-]*)"),
        hyphen_word=re.compile(r"[-‐‑]([A-Za-z]+)"),
        first_word=re.compile(r"[A-Za-z]+"),
    )


def _plural(word: str) -> bool:
    """A regular plural: "tankers", "Israelis"; not "this", "crisis", "bus", "glass", "Chris"."""
    low = word.lower()
    if len(low) <= 2 or not low.endswith("s") or low.endswith(("ss", "us")):
        return False
    if low.endswith("is"):  # a people ("Israelis", "Iraqis"), never a given name
        return word[0].isupper() and fold(word) not in given_names()
    return True


def _name_before(text: str, start: int) -> bool:
    """A number right after a capitalised word mid-sentence names a thing: "S&P 500"."""
    m = _NAME_BEFORE.search(text, max(0, start - 30), start)
    if m is None or m.start() == 0:
        return False
    before = text[: m.start()].rstrip()
    return bool(before) and before[-1] not in '.!?:"“'


def _number(raw: str) -> float | None:
    """The value of digits; None for what is no finite number ("9" * 400)."""
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _scale(word: str | None) -> float:
    return _SCALES.get(fold(word), 1.0) if word else 1.0  # fold: "bİllion" is "billion"


def _scaled(n: str, scale: str | None) -> float | None:
    value = _number(n)
    if value is None:
        return None
    value *= _scale(scale)
    return value if math.isfinite(value) else None


def _currency_of_word(word: str) -> str:
    """The ISO code of a currency word: "Hong Kong dollars" -> HKD, "euros" -> EUR."""
    low = " ".join(word.lower().split())
    for adjective, code in _CURRENCY_ADJECTIVES.items():
        if low.startswith(adjective + " "):
            return code
    w = low.split()[-1] if low else ""
    for stem, code in _WORD_CODES.items():
        if w.startswith(stem):
            return code
    return "USD" if "dollar" in w else w.upper()


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


@cache
def _counting_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Nouns plural without an s, singular nouns a share is taken of, and every number word."""
    lists = number_words()
    vocabulary = {
        w for name in ("unit", "ten", "scale", "dozen", "fraction", "vague") for w in lists.get(name, {})
    }
    return frozenset(lists.get("plural", {})), frozenset(lists.get("whole", {})), frozenset(vocabulary)


def _counted_noun(
    text: str, pos: int, stop: frozenset[str], models: bool = False
) -> tuple[str, int] | None:
    """The noun a number at `pos` counts and where it ends: "179 new aerial refueling tankers",
    "5,000 people"; None when a function word, another number or four words come first.
    With `models`, a model number may stand between: "five new 737 aircraft"."""
    plurals, _, numbers = _counting_words()
    for _ in range(4):
        m = (_word_patterns().word_or_model if models else _NEXT_WORD).match(text, pos)
        if m is None:
            return None
        word = m.group(1)
        low = word.lower()
        if (low in stop and low not in _MODIFIERS and not word.isupper()) or low in numbers:
            return None  # a function word ("us"), but "13,000 US troops" goes on
        pos = m.end()
        if word[0].isdigit() and not low.endswith("s"):
            continue  # "737" in "five new 737 aircraft"
        if word.isupper() and len(word) <= 4 and not text.isupper():
            continue  # "SLS", "CLPS": acronyms, not plurals
        if low in plurals:
            after = _NEXT_WORD.match(text, pos)  # "30 staff vacancies", "500 police officers"
            if after is not None and _plural(after.group(1)) and after.group(1).lower() not in stop:
                return after.group(1), after.end()
            return word, pos
        if low in _UNITS or _plural(word):
            return word, pos
    return None


class _Sentence:
    """The quantities of one sentence as they are found, and the spans already taken."""

    def __init__(self, text: str, si: int, taken: list[tuple[int, int]], numbers: list[WordNumber]) -> None:
        self.text = text
        self.si = si
        self.taken = taken
        self.found: list[tuple[int, Quantity]] = []
        """Each quantity with where it starts, to be put in reading order."""
        self.stop = common_words()
        self.word_ends = {n.end: n for n in numbers}

    def add(
        self,
        start: int,
        end: int,
        kind: QuantityKind,
        value: float | None,
        unit: str | None,
        scale: float = 0.0,
    ) -> None:
        """One quantity at text[start:end]; with a `scale` (1 for none), also the lower end
        of a range before it, which becomes the value ("20 to 30 percent": 20, high 30)."""
        high = None
        low = self._range_start(start, value, scale) if scale and value is not None else None
        if low is not None:
            start, value, high = low[0], low[1], value
        self.found.append((start, Quantity(self.text[start:end], kind, value, unit, self.si, high)))
        self.taken.append((start, end))

    def _range_start(self, start: int, high: float, scale: float) -> tuple[int, float] | None:
        """Where a range ending in the number at `start` (worth `high`, holding a multiplier
        `scale`) begins, and its low end. The low end takes the multiplier when it is smaller
        than what is multiplied: "two to three million" is 2e6; "75 to one hundred" is 75."""
        text = self.text
        base = high / scale
        join = _JOIN_BEFORE.search(text, max(0, start - 6), start)
        if join is None:
            return None
        at = join.start()
        word = self.word_ends.get(at)
        value: float | None
        if word is not None:
            if word.kind != "cardinal" or word.value is None:
                return None
            low_start, value = word.start, word.value
            if word.scale == 1 and value < base:
                value *= scale
        else:
            digits = _LOW_DIGITS.search(text, max(0, at - 30), at)
            if digits is None:
                return None
            low_start = digits.start()
            if low_start > 0 and (text[low_start - 1].isalnum() or text[low_start - 1] in "-.,/"):
                return None
            value = _number(digits.group("lo"))
            if value is not None and digits.group("ls"):
                value *= _scale(digits.group("ls"))
            elif value is not None and value < base:
                value *= scale
        if value is None or _overlaps((low_start, at), self.taken):
            return None
        if not _range_joiner_ok(text, low_start, join.group()):
            return None
        return low_start, value


def _range_joiner_ok(text: str, start: int, joiner: str) -> bool:
    """ "and" joins a range only after "between"; "to" never after "from" ("rose from 20 to
    30 percent" is a change, not a range)."""
    joiner = joiner.strip().lower()
    before = text[max(0, start - 10) : start]
    if joiner == "and":
        return _BETWEEN.search(before) is not None
    return not (joiner == "to" and _FROM.search(before))


def extract_quantities(
    sentences: list[str], date_spans_of: list[list[tuple[int, int]]] | None = None
) -> list[Quantity]:
    """Quantities of sentences (0 = title); numbers inside the given date spans are skipped."""
    out: list[Quantity] = []
    for si, text in enumerate(sentences):
        digits = _HAS_DIGIT.search(text) is not None
        low = text.lower()
        numbers = find_word_numbers(text, low)
        if not digits and not numbers:
            continue
        if date_spans_of is not None and si < len(date_spans_of):
            taken = list(date_spans_of[si])
        else:
            taken = date_spans(text)
        sentence = _Sentence(text, si, taken, numbers)
        if digits:
            if _money_hint(text, low):
                _money(sentence)
            if "%" in text or "per" in low:
                _rates(sentence)
        if numbers:
            _word_quantities(sentence, numbers)
        if digits:
            _counts(sentence)
        sentence.found.sort(key=lambda found: found[0])
        out.extend(q for _, q in sentence.found)
    return out


def _money(s: _Sentence) -> None:
    """ "$15 billion", "€2.3bn", "US$7.2 bn", "40 euros", "$20-30 billion"."""
    text = s.text
    pos = 0
    while (m := _MONEY.search(text, pos)) is not None:
        pos = max(m.end(), pos + 1)
        start = m.start() + (text[m.start()].isspace())  # " $5": the match may take the space
        ranged = m.group("rj") is not None
        if ranged and not _range_joiner_ok(text, start, m.group("rj")):
            ranged = False  # "$5 million and $3 million": two sums, the second found next
            pos = m.end("rj")
        end = m.end() if ranged else m.start("rj") if m.group("rj") is not None else m.end()
        if _overlaps((m.start(), end), s.taken):
            continue
        high = None
        if m.group("n") is not None:
            pre = re.sub(r"\s", "", m.group("pre") or "").lower()
            unit = _CODES.get(pre, _CODES.get(pre.rstrip("$") + "$", "USD"))
            # "$20-30 billion": the scale of the range is the lower bound's too.
            value = _scaled(m.group("n"), m.group("s") or (m.group("rs") if ranged else None))
            if ranged:
                high = _scaled(m.group("hi"), m.group("rs") or m.group("s"))
            scale = 0.0  # a range is in the pattern
        else:
            unit = _currency_of_word(m.group("cw"))
            value = _scaled(m.group("n2"), m.group("s2"))
            scale = _scale(m.group("s2"))
        word = text[start:end].rstrip()
        if word.count("(") > word.count(")"):  # "$5 (USD" with no ")": the code is left out
            word = word[: word.rindex("(")].rstrip()
        elif word.count(")") > word.count("("):
            word = word.rstrip(")")
        if high is not None:
            s.found.append((start, Quantity(word, "money", value, unit, s.si, high)))
            s.taken.append((start, start + len(word)))
        else:
            s.add(start, start + len(word), "money", value, unit, scale)


def _rates(s: _Sentence) -> None:
    """ "3 percentage points", "61.5%", "3.1 per cent", "15-20%"."""
    for m in _POINTS.finditer(s.text):
        if not _overlaps(m.span(), s.taken):
            s.add(m.start(), m.end(), "quantity", _number(m.group("n")), "percentage points", 1.0)
    for m in _PERCENT.finditer(s.text):
        if not _overlaps(m.span(), s.taken):
            s.add(m.start(), m.end(), "percent", _number(m.group("n")), "%", 1.0)


def _counts(s: _Sentence) -> None:
    """ "179 new aerial refueling tankers", "45 arrests", "2.5 million" (a scale alone will do)."""
    text = s.text
    for m in skip_finditer(_COUNT, _COUNT_STARTS, text):
        if _overlaps(m.span("n"), s.taken):
            continue
        n = m.group("n")
        if n.isdigit() and len(n) == 4 and 1600 <= int(n) <= 2099:
            continue
        start = m.start()
        if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "$£€#.-/:"):
            continue
        if _SCORE_AFTER.match(text, m.end("n")) or _name_before(text, start):
            continue  # "6-1, 7-6"; "Nikkei 225", "Boeing 737"
        noun = _counted_noun(text, m.end(), s.stop)
        if noun is None and not m.group("s"):
            continue  # a bare number is no fact
        end = noun[1] if noun else m.end()
        if not _overlaps((start, end), s.taken):
            unit = noun[0] if noun else None
            s.add(start, end, "quantity", _scaled(n, m.group("s")), unit, _scale(m.group("s")))


def _word_quantities(s: _Sentence, numbers: list[WordNumber]) -> None:
    """Numbers in words: "nine percent", "three billion euros", "a million people",
    "tens of thousands of protesters", "half a percentage point", "two-thirds of voters"."""
    titled: bool | None = None
    for number in numbers:
        if _overlaps((number.start, number.end), s.taken) or not _stands_alone(s, number):
            continue
        if _capitalised_mid_sentence(s.text, number.start):
            if titled is None:
                titled = s.si == 0 and _title_case(s.text)
            if not titled:
                continue  # "One Direction", "the Group of Seven"
        _word_quantity(s, number)


def _word_quantity(s: _Sentence, number: WordNumber) -> None:
    """What one number in words is a number of, if anything, added to `s`."""
    text, pos, value = s.text, number.end, number.value
    ranged = number.scale if number.kind == "cardinal" else 0.0  # a fraction starts no range
    if number.kind == "share":
        end = _share_end(s, number)
        if end is not None and value is not None:
            s.add(number.start, end, "percent", round(value * 100, 2), "%")
        return
    p = _word_patterns()
    m = p.points.match(text, pos)
    if m is None and number.kind == "fraction":
        m = p.fraction_point.match(text, pos)
    if m is not None:
        s.add(number.start, m.end(), "quantity", value, "percentage points", ranged)
        return
    if (m := p.percent.match(text, pos)) is not None:
        s.add(number.start, m.end(), "percent", value, "%", ranged)
        return
    if number.kind == "fraction":
        return  # "half a" with no percent after it
    m = (p.vague_money if number.kind == "vague" else p.money).match(text, pos)
    currency = m.group("cw") if m is not None else ""
    if m is not None and (currency.lower().split()[-1] not in _AMBIGUOUS_MONEY or number.scale >= 1000):
        s.add(number.start, m.end(), "money", value, _currency_of_word(currency), ranged)
        return
    if number.kind == "vague":
        lead = p.vague_lead.match(text, pos)
        noun = _counted_noun(text, lead.end() if lead else pos, s.stop)
        if noun is not None:  # "thousands fled" says no more than that
            s.add(number.start, noun[1], "quantity", None, noun[0])
        return
    noun = _counted_noun(text, pos, s.stop, models=True)
    if noun is not None and not (value == 1 and number.scale == 1):  # "one day", "one of"
        s.add(number.start, noun[1], "quantity", value, noun[0], ranged)
    elif noun is None and number.scale >= 1000 and not (value is not None and 1900 <= value < 2100):
        s.add(number.start, number.end, "quantity", value, None, ranged)  # "five thousand"
    # (and "two thousand and twenty" alone is a year, as "2020" is)


def _stands_alone(s: _Sentence, number: WordNumber) -> bool:
    """Not part of a longer word or a compound: "Covid-nineteen", "a five-year plan", "two-day";
    "twenty-thirty percent" and "a billion-dollar deal" are numbers."""
    text = s.text
    if number.start > 0:
        before = text[number.start - 1]
        if before.isalnum() or before in "'’_":
            return False
        if before in _HYPHENS and number.start - 1 not in s.word_ends:
            return False
    p = _word_patterns()
    m = p.hyphen_word.match(text, number.end)
    if m is None:
        return True
    _, _, vocabulary = _counting_words()
    return (
        m.group(1).lower() in vocabulary
        or p.money.match(text, number.end) is not None
        or p.points.match(text, number.end) is not None
        or (number.kind == "fraction" and p.fraction_point.match(text, number.end) is not None)
    )


def _capitalised_mid_sentence(text: str, start: int) -> bool:
    """A number word with a capital inside a sentence names something: "One Direction"."""
    word = _word_patterns().first_word.match(text, start)
    if word is None or not word.group()[0].isupper() or word.group().isupper() and len(word.group()) > 1:
        return False
    before = text[:start].rstrip()
    return bool(before) and (before[-1].isalnum() or before[-1] in ",;&")


def _title_case(text: str) -> bool:
    """A headline in title case ("Police Say Twelve Died In Crash"), where capitals say nothing."""
    words = [w for w in _word_patterns().first_word.findall(text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _share_end(s: _Sentence, number: WordNumber) -> int | None:
    """Where the whole a fraction is a share of ends: "a third of voters", "half the staff",
    "two-thirds of the country's members"; None when it is no share ("half an hour")."""
    m = _word_patterns().share_lead.match(s.text, number.end)
    if m is None:
        return None
    half = s.text[number.start : number.end].lower() == "half"
    if not m.group("of") and not (half and m.group("det")):
        return None
    _, wholes, _ = _counting_words()
    word = _NEXT_WORD.match(s.text, m.end())
    if word is not None and word.group(1).lower() in wholes:
        return word.end()
    noun = _counted_noun(s.text, m.end(), s.stop)
    return noun[1] if noun else None
