"""boilerplate.py: the links and footers feeds append, stripped from the end only."""

from __future__ import annotations

import time

import pytest

from briefing.core.text.boilerplate import strip_trailing_boilerplate

LEDE = "Ministers met in Baku on Tuesday to agree the next phase of the gas corridor."


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (f"{LEDE}\n\nThe post Gas corridor expands appeared first on Caspian Energy Report.", LEDE),
        (f"{LEDE}\n\nThe post Gas corridor expands first appeared on Caspian Energy Report.", LEDE),
        (f"{LEDE}\n\nRead more\n\nThe post Gas corridor expands appeared first on Caspian.", LEDE),
        (f"{LEDE} […] Continue reading →", LEDE),
        (f"{LEDE}\n\nContinue reading “Gas corridor expands” →", LEDE),
        (f"{LEDE}\n\nRead the full story at Caspian Energy Report", LEDE),
        (f"{LEDE}\n\n[Read more]", LEDE),
        (f"{LEDE} Continue reading at Wire Daily", LEDE),
        (f"{LEDE} Read More", LEDE),
        (f"{LEDE} READ MORE »", LEDE),
        (f"{LEDE} Lire la suite", LEDE),
        (f"{LEDE} Weiterlesen »", LEDE),
        (f"{LEDE}\n\nDer Beitrag Gaskorridor erschien zuerst auf Energie Heute.", LEDE),
        (f"{LEDE}\n\nL'article Le corridor est apparu en premier sur Énergie.", LEDE),
        ("Ministers met in Baku to agree [&hellip;]", "Ministers met in Baku to agree…"),
        ("Ministers met in Baku to agree the […]", "Ministers met in Baku to agree the…"),
        ("Ministers met in Baku (more…)", "Ministers met in Baku…"),
        ("Ministers met in Baku… Read more »", "Ministers met in Baku…"),
        ("Read more", ""),
    ],
)
def test_appended_links_and_footers_go(body: str, expected: str) -> None:
    assert strip_trailing_boilerplate(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Officials urged people to read more.",
        "He wanted more.",
        "The minister said: read more books.",
        f"Read more about the plan below. {LEDE}",
        f"Continue reading the report, the minister said.\n\n{LEDE}",
        f"{LEDE}\n\nThe post office reopened first on Main Street.",
        f"{LEDE}\n\nThis article first appeared on The Conversation.",  # provenance stays
        "Ministers met in Baku…",  # the writer's own ellipsis
        f"{LEDE}\n\nThe post Gas corridor expands appeared first on Caspian.\n\n{LEDE}",  # not at the end
        "",
    ],
)
def test_text_that_only_mentions_reading_stays(body: str) -> None:
    assert strip_trailing_boilerplate(body) == body


def test_work_is_bounded_on_pathological_bodies() -> None:
    started = time.perf_counter()
    bodies = ("The post " * 100_000, "Read more " * 100_000 + "x", "[" * 200_000 + "…", "the post. " * 50_000)
    for body in bodies:
        strip_trailing_boilerplate(body)
    assert time.perf_counter() - started < 2
