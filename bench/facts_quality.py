"""Score the facts engine against gold key facts, the way meantime-dev's README says.

Usage: python bench/facts_quality.py [DIR] [--verbose | --aggregate-only] [--i-am-not-tuning].
DIR defaults to ../shared/eval/meantime-dev next to the repository. Prints entity
precision/recall/F1 (untyped and typed), date-value F1, money/percent recall, then the seed
check, and ends with one line of key=value figures: `entityF1=... typedF1=... dateF1=...
moneyPctRecall=...` followed by the newer figures (n/a where the gold has no such fields):

- `moneyPctValueRecall`: a gold MONEY/PERCENT with a numeric `value` is found when a predicted
  quantity of the same kind has the same value within 0.5% ("nine percent" == 9.0);
  `moneyPctRecall` stays the old check (the gold text's digits inside a predicted text).
- `quoteF1`: gold `quotes` against predicted quotes, one to one; a pair matches when one
  text contains the other or their token F1 is at least 0.5 (after the entity folding).
- `speakerAcc`: over matched gold quotes with a named `speaker`, the predicted speaker
  matches it by the entity name rules (surname-only included).
- `speakerDescRecall`: over matched gold quotes with a `speaker_description`, the
  prediction's `speaker_description` (if the engine gives one) overlaps it like quote texts.
- `futureAcc`: over gold dates marked `future: true`, the predicted date values include it.
- `failures`: texts on which extraction raised; they are scored as empty predictions.

`--verbose` prints per-document misses. A folder holding a `BLIND` file is a blind set:
there the script runs only with `--aggregate-only` (summary figures, nothing per document)
unless `--i-am-not-tuning` is given. Calls Python, not the CLI.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.core.facts import extract_facts  # noqa: E402
from briefing.core.models.facts import Entity, Facts, Quote  # noqa: E402
from briefing.core.text.textfile import parse_plain_article  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_DIR = SHARED / "eval" / "meantime-dev"
SEED = SHARED / "seed" / "putin-turkey.txt"
SEED_GOLD = SHARED / "seed" / "putin-turkey.facts.json"
TYPES = {"PER": "person", "ORG": "organization", "LOC": "place"}
SCORED = {"person", "organization", "place"}


def norm(text: str) -> str:
    """Accent-folded, casefolded, without "the", possessive 's and punctuation."""
    text = text.replace("ı", "i").replace("İ", "I").replace("’", "'")
    text = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", "", text)
    words = [w for w in text.split() if w != "the"]
    return " ".join(words)


def _suffix(short: str, long: str) -> bool:
    s, lw = short.split(), long.split()
    return 0 < len(s) < len(lw) and lw[-len(s) :] == s


def _looks_like_surname(word: str) -> bool:
    return len(word) >= 2 and word.isalpha()


def names_match(pred: list[str], gold: set[str], gold_type: str) -> bool:
    for p in pred:
        if p in gold:
            return True
        for g in gold:
            if not p or not g:
                continue
            short, long = (p, g) if len(p.split()) < len(g.split()) else (g, p)
            if not _suffix(short, long):
                continue
            if gold_type == "PER":
                if _looks_like_surname(short.split()[-1]):
                    return True
            elif len(short.split()) >= 2:
                return True
    return False


def _other_match(pred: list[str], others: list[set[str]]) -> bool:
    for p in pred:
        for names in others:
            for g in names:
                gw, pw = g.split(), p.split()
                if not pw:
                    continue
                if p == g or gw[: len(pw)] == pw or gw[-len(pw) :] == pw:
                    return True
    return False


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Report:
    entity: Counts = field(default_factory=Counts)
    typed: Counts = field(default_factory=Counts)
    dates: Counts = field(default_factory=Counts)
    money_found: int = 0
    money_total: int = 0
    value_found: int = 0
    value_total: int = 0
    quotes: Counts = field(default_factory=Counts)
    quote_docs: int = 0
    speaker_right: int = 0
    speaker_total: int = 0
    speaker_named_total: int = 0
    desc_right: int = 0
    desc_total: int = 0
    desc_predicted: bool = False
    future_found: int = 0
    future_total: int = 0
    docs: int = 0
    failures: int = 0
    misses: list[str] = field(default_factory=list)


def _pred_names(e: Entity) -> list[str]:
    return [norm(n) for n in (e.name, *e.aliases)]


def _match(
    preds: list[Entity], golds: list[dict[str, Any]], typed: bool
) -> tuple[set[int], set[int]]:
    used_p: set[int] = set()
    used_g: set[int] = set()
    for exact in (True, False):
        for gi, g in enumerate(golds):
            if gi in used_g:
                continue
            gnames = {norm(n) for n in [g["descriptor"], g.get("dbpedia") or "", *g["names"]]}
            gnames.discard("")
            for pi, p in enumerate(preds):
                if pi in used_p or (typed and p.type != TYPES[g["type"]]):
                    continue
                pn = _pred_names(p)
                ok = bool(set(pn) & gnames) if exact else names_match(pn, gnames, g["type"])
                if ok:
                    used_p.add(pi)
                    used_g.add(gi)
                    break
    return used_p, used_g


def score_doc(facts: Facts, gold: dict[str, Any], report: Report, doc: str) -> None:
    preds = [e for e in facts.entities if e.type in SCORED]
    golds = gold["entities"]
    others = [{norm(n) for n in [o["descriptor"], *o["names"]]} for o in gold["other_entities"]]
    for typed, counts in ((False, report.entity), (True, report.typed)):
        used_p, used_g = _match(preds, golds, typed)
        counts.tp += len(used_g)
        counts.fn += len(golds) - len(used_g)
        for pi, p in enumerate(preds):
            if pi in used_p:
                continue
            if _other_match(_pred_names(p), others):
                continue
            if typed:
                # A typed-only miss that matched untyped still costs precision here.
                pass
            counts.fp += 1
            if not typed:
                report.misses.append(f"{doc}: FP {p.type} {p.name!r}")
        if not typed:
            for gi, g in enumerate(golds):
                if gi not in used_g:
                    report.misses.append(f"{doc}: FN {g['type']} {g['names']}")
    pred_dates = {d.value for d in facts.dates}
    gold_dates = {d["value"] for d in gold["dates"]}
    report.dates.tp += len(pred_dates & gold_dates)
    report.dates.fp += len(pred_dates - gold_dates)
    report.dates.fn += len(gold_dates - pred_dates)
    for v in sorted(pred_dates - gold_dates):
        report.misses.append(f"{doc}: date FP {v}")
    for v in sorted(gold_dates - pred_dates):
        texts = [d["texts"] for d in gold["dates"] if d["value"] == v]
        report.misses.append(f"{doc}: date FN {v} {texts}")
    for v in gold["values"]:
        if v["type"] not in {"MONEY", "PERCENT"}:
            continue
        m = re.search(r"\d[\d,.]*\d|\d", v["text"])
        if not m:
            continue
        report.money_total += 1
        if any(m.group() in q.text for q in facts.quantities):
            report.money_found += 1
        else:
            report.misses.append(f"{doc}: value FN {v['type']} {v['text']!r}")
    score_values_by_number(facts, gold, report, doc)
    score_future(facts, gold, report, doc)
    if "quotes" in gold:
        score_quotes(facts, gold, report, doc)


def value_matches(gold_value: float, predicted: float | None) -> bool:
    """Same number within 0.5% (exact for zero)."""
    if predicted is None:
        return False
    if gold_value == 0:
        return predicted == 0
    return abs(predicted - gold_value) <= 0.005 * abs(gold_value)


def score_values_by_number(facts: Facts, gold: dict[str, Any], report: Report, doc: str) -> None:
    for v in gold["values"]:
        if v["type"] not in {"MONEY", "PERCENT"} or not isinstance(v.get("value"), int | float):
            continue
        report.value_total += 1
        kind = v["type"].lower()
        if any(q.kind == kind and value_matches(float(v["value"]), q.value) for q in facts.quantities):
            report.value_found += 1
        else:
            report.misses.append(f"{doc}: value-by-number FN {v['type']} {v['text']!r} = {v['value']}")


def score_future(facts: Facts, gold: dict[str, Any], report: Report, doc: str) -> None:
    values = {d.value for d in facts.dates}
    for d in gold["dates"]:
        if d.get("future") is True:
            report.future_total += 1
            if d["value"] in values:
                report.future_found += 1
            else:
                report.misses.append(f"{doc}: future date FN {d['value']} {d['texts']}")


def _tokens(text: str) -> list[str]:
    return norm(text).split()


def text_overlap(a: str, b: str) -> float:
    """1.0 when one folded text contains the other, else their token F1."""
    fa, fb = " ".join(_tokens(a)), " ".join(_tokens(b))
    if not fa or not fb:
        return 0.0
    if fa in fb or fb in fa:
        return 1.0
    ta, tb = _tokens(a), _tokens(b)
    common = sum(min(ta.count(t), tb.count(t)) for t in set(ta))
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


QUOTE_MATCH = 0.5


def match_quotes(preds: list[Quote], golds: list[dict[str, Any]]) -> dict[int, int]:
    """Gold index -> prediction index, one to one, best overlap first."""
    scored = (
        (text_overlap(g["text"], p.text), gi, pi) for gi, g in enumerate(golds) for pi, p in enumerate(preds)
    )
    pairs = sorted(scored, key=lambda t: -t[0])
    out: dict[int, int] = {}
    used: set[int] = set()
    for score, gi, pi in pairs:
        if score < QUOTE_MATCH:
            break
        if gi in out or pi in used:
            continue
        out[gi] = pi
        used.add(pi)
    return out


def speaker_matches(predicted: str | None, gold_speaker: str, gold: dict[str, Any]) -> bool:
    """The entity rules: exact folded name, or a suffix that looks like a surname."""
    if not predicted:
        return False
    names = {norm(gold_speaker)}
    gtype = "PER"
    for e in gold.get("entities", []):
        if norm(e["descriptor"]) == norm(gold_speaker):
            names |= {norm(n) for n in e["names"]}
            gtype = e["type"]
    names.discard("")
    return names_match([norm(predicted)], names, gtype)


def score_quotes(facts: Facts, gold: dict[str, Any], report: Report, doc: str) -> None:
    golds: list[dict[str, Any]] = gold["quotes"]
    preds = list(facts.quotes)
    report.quote_docs += 1
    matched = match_quotes(preds, golds)
    report.quotes.tp += len(matched)
    report.quotes.fn += len(golds) - len(matched)
    report.quotes.fp += len(preds) - len(matched)
    if any(getattr(p, "speaker_description", None) is not None for p in preds):
        report.desc_predicted = True
    for gi, g in enumerate(golds):
        pi = matched.get(gi)
        if pi is None:
            report.misses.append(f"{doc}: quote FN {g['text'][:60]!r}")
            if g.get("speaker"):
                report.speaker_named_total += 1
            continue
        p = preds[pi]
        if g.get("speaker"):
            report.speaker_named_total += 1
            report.speaker_total += 1
            if speaker_matches(p.speaker, g["speaker"], gold):
                report.speaker_right += 1
            else:
                report.misses.append(f"{doc}: quote speaker {p.speaker!r}, gold {g['speaker']!r}")
        if g.get("speaker_description"):
            report.desc_total += 1
            desc = getattr(p, "speaker_description", None)
            if isinstance(desc, str) and text_overlap(desc, g["speaker_description"]) >= QUOTE_MATCH:
                report.desc_right += 1
    for pi, p in enumerate(preds):
        if pi not in matched.values():
            report.misses.append(f"{doc}: quote FP {p.text[:60]!r}")


def evaluate(folder: Path) -> Report:
    report = Report()
    for gold_path in sorted(folder.glob("*.gold.json")):
        doc = gold_path.name[: -len(".gold.json")]
        text_path = folder / f"{doc}.txt"
        if not text_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        report.docs += 1
        try:
            article = parse_plain_article(text_path.read_text(encoding="utf-8"))
            published = date.fromisoformat(gold["dct"]) if gold.get("dct") else article.published
            facts = extract_facts(article.title, article.body, published)
        except Exception as exc:  # a crash is a figure here, not a stop
            report.failures += 1
            report.misses.append(f"{doc}: extraction raised {type(exc).__name__}: {exc}")
            facts = Facts()
        score_doc(facts, gold, report, doc)
    return report


def _fold(text: str) -> str:
    return norm(text)


def check_seed() -> list[str]:
    """Failures against the seed's gold (empty when every entry passes)."""
    if not SEED.exists() or not SEED_GOLD.exists():
        return ["seed not found (../shared absent)"]
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    article = parse_plain_article(SEED.read_text(encoding="utf-8"))
    facts = extract_facts(article.title, article.body, date.fromisoformat(gold["published"]))
    return seed_failures(facts, gold)


def seed_failures(facts: Facts, gold: dict[str, Any]) -> list[str]:
    fails: list[str] = []
    for g in gold["entities"]:
        names = {_fold(n) for n in g["names"]}
        types = {g["type"], g.get("also_type", g["type"])}
        hit = [
            e for e in facts.entities if {_fold(n) for n in (e.name, *e.aliases)} & names
        ]
        if not hit:
            fails.append(f"entity missing: {g['names'][0]}")
            continue
        if not any(e.type in types for e in hit):
            fails.append(f"entity type: {g['names'][0]} is {[e.type for e in hit]}")
        want = g.get("role_contains")
        if want and not any(e.role and want.casefold() in e.role.casefold() for e in hit):
            fails.append(f"role: {g['names'][0]} has {[e.role for e in hit]}, wants {want!r}")
    bad = {_fold(n) for n in gold.get("must_not", [])}
    for e in facts.entities:
        if _fold(e.name) in bad:
            fails.append(f"must_not entity: {e.name!r}")
    values = {d.value for d in facts.dates}
    for d in gold.get("dates", []):
        if d["value"] not in values:
            fails.append(f"date missing: {d['text']} -> {d['value']}")
    for q in gold.get("quotes", []):
        start = _fold(q["starts"])
        found = [x for x in facts.quotes if _fold(x.text).startswith(start)]
        if not found:
            fails.append(f"quote missing: {q['starts']!r}")
        elif not any(x.speaker and _fold(x.speaker) == _fold(q["speaker"]) for x in found):
            fails.append(f"quote speaker: {q['starts']!r} -> {[x.speaker for x in found]}")
    keys = [_fold(t) for t in facts.key_sentence_texts()]
    wants = [_fold(t) for t in gold.get("key_sentences_include_one_of", [])]
    if wants and not any(k.startswith(w) for k in keys for w in wants):
        fails.append("key sentences miss the lead")
    topics = {_fold(t) for t in facts.topics}
    for t in gold.get("topics_include", []):
        if _fold(t) not in topics:
            fails.append(f"topic missing: {t}")
    return fails


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "n/a"


def is_blind(folder: Path) -> bool:
    """A blind set carries a BLIND file; its figures may only be read in aggregate."""
    return (folder / "BLIND").exists()


USAGE_FLAGS = {"--verbose", "-v", "--aggregate-only", "--i-am-not-tuning"}


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("-")]
    unknown = [a for a in argv if a.startswith("-") and a not in USAGE_FLAGS]
    if unknown:
        print(f"unknown option(s): {' '.join(unknown)}", file=sys.stderr)
        return 2
    verbose = "--verbose" in argv or "-v" in argv
    aggregate_only = "--aggregate-only" in argv
    not_tuning = "--i-am-not-tuning" in argv
    folder = Path(args[0]) if args else DEFAULT_DIR
    if not folder.is_dir():
        print(f"no eval folder at {folder}; nothing to score")
        return 0
    if is_blind(folder) and not not_tuning and (verbose or not aggregate_only):
        print(
            f"{folder} is a blind set: run it with --aggregate-only (summary figures only); "
            "per-document output needs --i-am-not-tuning, and whoever reads it may no longer tune "
            "the engine on anything it shows",
            file=sys.stderr,
        )
        return 2
    if aggregate_only and verbose:
        print("--aggregate-only and --verbose contradict each other", file=sys.stderr)
        return 2
    report = evaluate(folder)
    if verbose:
        print("\n".join(report.misses))
    ep, er, ef = report.entity.prf()
    tp, tr, tf = report.typed.prf()
    dp, dr, df = report.dates.prf()
    qp, qr, qf = report.quotes.prf()
    money = report.money_found / report.money_total if report.money_total else 0.0
    value_recall = _ratio(report.value_found, report.value_total)
    quote_f1 = f"{qf:.3f}" if report.quote_docs else "n/a"
    speaker_acc = _ratio(report.speaker_right, report.speaker_total)
    desc_recall = _ratio(report.desc_right, report.desc_total) if report.desc_predicted else "n/a"
    future_acc = _ratio(report.future_found, report.future_total)
    print(f"entities  P={ep:.3f} R={er:.3f} F1={ef:.3f}  {report.entity}")
    print(f"typed     P={tp:.3f} R={tr:.3f} F1={tf:.3f}  {report.typed}")
    print(f"dates     P={dp:.3f} R={dr:.3f} F1={df:.3f}  {report.dates}")
    print(f"money/pct recall={money:.3f} ({report.money_found}/{report.money_total})")
    print(f"money/pct by value recall={value_recall} ({report.value_found}/{report.value_total})")
    if report.quote_docs:
        print(f"quotes    P={qp:.3f} R={qr:.3f} F1={qf:.3f}  {report.quotes}")
        print(
            f"speakers  acc={speaker_acc} ({report.speaker_right}/{report.speaker_total} "
            f"matched named quotes; {report.speaker_named_total} named in gold)"
        )
        print(f"speaker descriptions recall={desc_recall} ({report.desc_right}/{report.desc_total})")
    print(f"future dates found={future_acc} ({report.future_found}/{report.future_total})")
    print(f"documents={report.docs} extraction failures={report.failures}")
    fails = check_seed()
    print("seed: " + ("all gold entries pass" if not fails else f"{len(fails)} failing"))
    for f in fails:
        print("  seed " + f)
    print(
        f"entityF1={ef:.3f} typedF1={tf:.3f} dateF1={df:.3f} moneyPctRecall={money:.3f} "
        f"moneyPctValueRecall={value_recall} quoteF1={quote_f1} speakerAcc={speaker_acc} "
        f"speakerDescRecall={desc_recall} futureAcc={future_acc} failures={report.failures}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
