"""Score the facts engine against gold key facts, the way meantime-dev's README says.

Usage: python bench/facts_quality.py [DIR] [--verbose]. DIR defaults to
../shared/eval/meantime-dev next to the repository. Prints entity precision/recall/F1
(untyped and typed), date-value F1, money/percent recall, then the seed check, and ends
with `entityF1=... typedF1=... dateF1=... moneyPctRecall=...`. Calls Python, not the CLI.
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
from briefing.core.models.facts import Entity, Facts  # noqa: E402
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


def evaluate(folder: Path) -> Report:
    report = Report()
    for gold_path in sorted(folder.glob("*.gold.json")):
        doc = gold_path.name[: -len(".gold.json")]
        text_path = folder / f"{doc}.txt"
        if not text_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        article = parse_plain_article(text_path.read_text(encoding="utf-8"))
        published = date.fromisoformat(gold["dct"]) if gold.get("dct") else article.published
        facts = extract_facts(article.title, article.body, published)
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


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("-")]
    verbose = "--verbose" in argv or "-v" in argv
    folder = Path(args[0]) if args else DEFAULT_DIR
    if not folder.is_dir():
        print(f"no eval folder at {folder}; nothing to score")
        return 0
    report = evaluate(folder)
    if verbose:
        print("\n".join(report.misses))
    ep, er, ef = report.entity.prf()
    tp, tr, tf = report.typed.prf()
    dp, dr, df = report.dates.prf()
    money = report.money_found / report.money_total if report.money_total else 0.0
    print(f"entities  P={ep:.3f} R={er:.3f} F1={ef:.3f}  {report.entity}")
    print(f"typed     P={tp:.3f} R={tr:.3f} F1={tf:.3f}  {report.typed}")
    print(f"dates     P={dp:.3f} R={dr:.3f} F1={df:.3f}  {report.dates}")
    print(f"money/pct recall={money:.3f} ({report.money_found}/{report.money_total})")
    fails = check_seed()
    print("seed: " + ("all gold entries pass" if not fails else f"{len(fails)} failing"))
    for f in fails:
        print("  seed " + f)
    print(f"entityF1={ef:.3f} typedF1={tf:.3f} dateF1={df:.3f} moneyPctRecall={money:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
