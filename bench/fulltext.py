"""How well main text is extracted from real pages, scored by the benchmark's own F1.

Runs over `../shared/eval/article-extraction` (181 real pages with the article body a person
marked on each; MIT, see its README) and scores, side by side in one run:
  (a) fulltext   - `extract_article`, what full-text fetches store;
  (b) import     - `briefing import` of each page written to a temporary .html file;
  (c) trafilatura - trafilatura alone, with its defaults, where installed;
  (d) readability - readability-lxml alone, where installed (not a dependency).
The scoring is the benchmark's `evaluate.py` itself, imported from the data folder: token
4-gram shingles, precision and recall averaged over pages, F1 of the two averages. Times
are the median CPU time per page of this process (a busy shared machine disturbs CPU time
far less than wall time); wall-clock medians are printed beside them.
Ends with `fulltext_f1=N import_f1=N ms_per_page_median=N [trafilatura_f1=N] [readability_f1=N]`.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.core.feeds.fulltext import decode_page  # noqa: E402
from briefing.core.text.extract import extract_article  # noqa: E402

BENCHMARK = ROOT.parent / "shared" / "eval" / "article-extraction"

Extractor = Callable[[bytes, str | None], str]


def load_scorer(folder: Path = BENCHMARK) -> ModuleType:
    """The benchmark's evaluate.py as a module: its tokenisation and scoring, unchanged."""
    spec = importlib.util.spec_from_file_location("article_extraction_evaluate", folder / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_truth(folder: Path = BENCHMARK) -> dict[str, dict[str, Any]]:
    truth: dict[str, dict[str, Any]] = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return truth


def pages(truth: dict[str, dict[str, Any]], ids: list[str] | None = None,
          folder: Path = BENCHMARK) -> Iterator[tuple[str, bytes, str | None]]:
    """(id, the page's bytes as fetched, its URL) in id order."""
    for key in ids if ids is not None else sorted(truth):
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        yield key, raw, truth[key].get("url")


def score(scorer: ModuleType, truth: dict[str, dict[str, Any]],
          predicted: dict[str, str]) -> dict[str, float]:
    """F1, precision and recall over the predicted pages, as evaluate.py computes them."""
    rows = [scorer.string_shingle_matching(true=truth[k].get("articleBody", ""), pred=v)
            for k, v in predicted.items()]
    metrics: dict[str, float] = scorer.metrics_from_tp_fp_fns(rows)
    metrics["accuracy"] = statistics.mean(
        scorer.get_accuracy(true=truth[k].get("articleBody", ""), pred=v) for k, v in predicted.items())
    return metrics


def fulltext(raw: bytes, url: str | None) -> str:
    """What a full-text fetch stores: the page decoded as the fetcher does, then extracted."""
    return extract_article(decode_page(raw, None), url=url).text


def make_import(folder: Path) -> Extractor:
    """`briefing import` of the page saved as a file (no URL: a saved page has none)."""
    from briefing.core.ingest.importers import read_file

    def run(raw: bytes, url: str | None) -> str:
        path = folder / "page.html"
        path.write_bytes(raw)
        result = read_file(path)
        return result.articles[0].text if result.articles else ""

    return run


def trafilatura_alone() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(raw: bytes, url: str | None) -> str:
        return trafilatura.extract(raw) or ""

    return run


def readability_alone() -> Extractor | None:
    try:
        from readability import Document  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None
    from selectolax.lexbor import LexborHTMLParser

    def run(raw: bytes, url: str | None) -> str:
        summary = Document(raw.decode("utf-8", "replace")).summary(html_partial=True)
        body = LexborHTMLParser(summary).body if summary.strip() else None
        return body.text(separator=" ") if body is not None else ""

    return run


def measure(name: str, extractor: Extractor, scorer: ModuleType, truth: dict[str, dict[str, Any]],
            ids: list[str] | None = None) -> tuple[dict[str, float], float]:
    """Score one extractor on the pages; returns its metrics and its median ms per page."""
    predicted: dict[str, str] = {}
    cpu: list[float] = []
    wall: list[float] = []
    for key, raw, url in pages(truth, ids):
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            predicted[key] = extractor(raw, url)
        except Exception as exc:  # noqa: BLE001 - a crash on one page scores as an empty answer
            print(f"{name}: {key[:12]} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            predicted[key] = ""
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    metrics = score(scorer, truth, predicted)
    ms = statistics.median(cpu)
    print(f"{name:<12} F1 {metrics['f1']:.4f}  precision {metrics['precision']:.4f}  "
          f"recall {metrics['recall']:.4f}  accuracy {metrics['accuracy']:.3f}  "
          f"{ms:.1f} ms/page CPU ({statistics.median(wall):.1f} wall)", flush=True)
    return metrics, ms


def main() -> int:
    if not (BENCHMARK / "ground-truth.json").is_file():
        print(f"{BENCHMARK} is absent; nothing to measure (it sits beside the repo in the team's workspace)")
        return 0
    import logging

    logging.disable(logging.WARNING)  # trafilatura logs every page it finds little in
    scorer, truth = load_scorer(), load_truth()
    print(f"{len(truth)} pages from {BENCHMARK}")
    results: dict[str, str] = {}
    full, ms = measure("fulltext", fulltext, scorer, truth)
    with tempfile.TemporaryDirectory() as tmp:
        imported, _ = measure("import", make_import(Path(tmp)), scorer, truth)
    results["fulltext_f1"] = f"{full['f1']:.4f}"
    results["import_f1"] = f"{imported['f1']:.4f}"
    results["ms_per_page_median"] = f"{ms:.1f}"
    for name, extractor in (("trafilatura", trafilatura_alone()), ("readability", readability_alone())):
        if extractor is None:
            print(f"{name}: not installed, not measured")
            continue
        metrics, _ = measure(name, extractor, scorer, truth)
        results[f"{name}_f1"] = f"{metrics['f1']:.4f}"
    print(" ".join(f"{k}={v}" for k, v in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
