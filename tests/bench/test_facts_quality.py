"""The scorer's matching rules, on tiny hand-made gold (never on the blind set)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import facts_quality as fq
from briefing.core.models.facts import DateRef, Facts, Quantity, Quote


def _gold(**over: Any) -> dict[str, Any]:
    gold: dict[str, Any] = {
        "doc": "t",
        "dct": "2024-03-06",
        "entities": [
            {"descriptor": "Jane Doe", "type": "PER", "dbpedia": None, "names": ["Jane Doe", "Doe"],
             "mentions": 2, "premodifier_only": False},
        ],
        "other_entities": [],
        "dates": [],
        "values": [],
    }
    gold.update(over)
    return gold


def test_value_matches_within_half_a_percent() -> None:
    assert fq.value_matches(9.0, 9.0)
    assert fq.value_matches(3e9, 3.01e9)
    assert not fq.value_matches(3e9, 3.2e9)
    assert not fq.value_matches(9.0, None)
    assert fq.value_matches(0.0, 0.0)


def test_money_by_value_needs_the_same_kind() -> None:
    gold = _gold(values=[
        {"type": "PERCENT", "text": "nine percent", "value": 9, "unit": "%"},
        {"type": "MONEY", "text": "three billion euros", "value": 3e9, "unit": "EUR"},
        {"type": "MONEY", "text": "$5", "value": 5, "unit": "USD"},
    ])
    facts = Facts(quantities=(
        Quantity("nine percent", "percent", 9.0, "%"),
        Quantity("3 billion euros", "money", 3e9, "EUR"),
        Quantity("5 people", "quantity", 5.0, "people"),
    ))
    report = fq.Report()
    fq.score_doc(facts, gold, report, "t")
    assert (report.value_found, report.value_total) == (2, 3)
    # the old digit check skips texts without digits and finds "5" inside "5 people"
    assert (report.money_found, report.money_total) == (1, 1)


def test_text_overlap_containment_and_token_f1() -> None:
    assert fq.text_overlap("we will win", "“We will win,” she said") == 1.0
    assert fq.text_overlap("a b c d", "a b x y") == pytest.approx(0.5)
    assert fq.text_overlap("nothing alike", "completely different") == 0.0


def test_quotes_match_one_to_one_and_score_speakers() -> None:
    gold = _gold(quotes=[
        {"text": "We will rebuild the bridge by April", "speaker": "Jane Doe", "speaker_description": None},
        {"text": "There is no deal yet", "speaker": None,
         "speaker_description": "a senior European official"},
        {"text": "Prices will fall", "speaker": "Jane Doe", "speaker_description": None},
    ])
    facts = Facts(quotes=(
        Quote("We will rebuild the bridge by April,", speaker="Doe"),  # surname only: right
        Quote("There is no deal yet", speaker=None),
        Quote("An unrelated sentence about weather", speaker="Doe"),
    ))
    report = fq.Report()
    fq.score_doc(facts, gold, report, "t")
    assert (report.quotes.tp, report.quotes.fp, report.quotes.fn) == (2, 1, 1)
    assert (report.speaker_right, report.speaker_total, report.speaker_named_total) == (1, 1, 2)
    # no prediction carries speaker_description: the figure is n/a, not zero
    assert not report.desc_predicted and report.desc_total == 1


def test_wrong_speaker_is_counted() -> None:
    gold = _gold(quotes=[{"text": "We will win", "speaker": "Jane Doe", "speaker_description": None}])
    report = fq.Report()
    fq.score_doc(Facts(quotes=(Quote("We will win", speaker="John Smith"),)), gold, report, "t")
    assert (report.speaker_right, report.speaker_total) == (0, 1)


def test_speaker_description_recall_when_predicted() -> None:
    class DescQuote:
        def __init__(self, text: str, speaker: str | None, speaker_description: str | None) -> None:
            self.text, self.speaker, self.speaker_description = text, speaker, speaker_description
            self.sentence = 0

    gold = _gold(quotes=[{"text": "No deal yet", "speaker": None,
                          "speaker_description": "a senior European official"}])
    facts = Facts(quotes=(DescQuote("No deal yet", None, "senior European official"),))  # type: ignore[arg-type]
    report = fq.Report()
    fq.score_doc(facts, gold, report, "t")
    assert report.desc_predicted and (report.desc_right, report.desc_total) == (1, 1)


def test_future_dates_are_found_by_value() -> None:
    gold = _gold(dates=[
        {"value": "2024-03-11", "texts": ["Monday"], "future": True},
        {"value": "2024-04", "texts": ["April"], "future": True},
        {"value": "2024-03-04", "texts": ["Monday"], "future": False},
    ])
    facts = Facts(dates=(DateRef("Monday", "2024-03-11"), DateRef("Monday", "2024-03-04")))
    report = fq.Report()
    fq.score_doc(facts, gold, report, "t")
    assert (report.future_found, report.future_total) == (1, 2)
    assert (report.dates.tp, report.dates.fp, report.dates.fn) == (2, 0, 1)


def _write_set(folder: Path, blind: bool) -> None:
    folder.mkdir()
    text = "A title\n\nMarch 6, 2024\n\nJane Doe said on Monday.\n"
    (folder / "one.txt").write_text(text, encoding="utf-8")
    gold = _gold(dates=[{"value": "2024-03-04", "texts": ["Monday"], "future": False}], quotes=[])
    (folder / "one.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    if blind:
        (folder / "BLIND").write_text("blind\n", encoding="utf-8")


def test_failures_are_counted_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_set(tmp_path / "set", blind=False)

    def boom(*_: object) -> Facts:
        raise RuntimeError("engine fell over")

    monkeypatch.setattr(fq, "extract_facts", boom)
    report = fq.evaluate(tmp_path / "set")
    assert report.failures == 1 and report.docs == 1
    assert report.entity.fn == 1 and report.entity.tp == 0


def test_blind_folder_refuses_per_document_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "blind"
    _write_set(folder, blind=True)
    assert fq.main([str(folder), "--verbose"]) == 2
    assert fq.main([str(folder)]) == 2
    assert "blind set" in capsys.readouterr().err
    assert fq.main([str(folder), "--aggregate-only"]) == 0
    out = capsys.readouterr().out
    assert "one:" not in out
    last = out.strip().splitlines()[-1]
    for key in ("entityF1=", "typedF1=", "dateF1=", "moneyPctRecall=", "moneyPctValueRecall=",
                "quoteF1=", "speakerAcc=", "futureAcc=", "failures=0"):
        assert key in last
    assert fq.main([str(folder), "--verbose", "--i-am-not-tuning"]) == 0


def test_open_folder_keeps_verbose(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_set(tmp_path / "open", blind=False)
    assert fq.main([str(tmp_path / "open"), "--verbose"]) == 0
    assert fq.main([str(tmp_path / "open"), "--bogus"]) == 2
