"""Feed text on screen: markup, escape sequences and odd links show literally or
cleaned, never act, never crash, and nothing from a feed reaches the terminal raw.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import Reader, Spec, make_store, screen_segments, screen_text, settle

pytestmark = pytest.mark.anyio

HOSTILE_TITLES = [
    "[bold]Not bold[/bold] and [@click=app.quit]click me[/]",
    "Broken [/ markup and [link=file:///etc/passwd]secret[/link]",
    "Costs $x and ${y} with back\\slash \\[escaped] end",
    "Escape \x1b[31mred\x1b[0m and \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 title",
]


@pytest.fixture
def hostile_home(tmp_path: Path) -> Path:
    home = tmp_path / "hostile"
    specs = [
        Spec(
            id=f"e0000000000{i}",
            title=title,
            paragraphs=[[f"Body [bold]{i}[/bold] with [@click=app.quit]x[/] and \x1b[2J."]],
            people=[("[red]Mallory[/red]", "[@click=app.quit]role[/]", 1)],
            hours_ago=i + 1,
            source="[blink]Src[/blink]",
            link="file:///etc/passwd" if i == 0 else "javascript:alert(1)",
        )
        for i, title in enumerate(HOSTILE_TITLES)
    ]
    make_store(home, specs)
    return home


async def test_hostile_titles_render_literally(hostile_home: Path, feeds_file: Path) -> None:
    reader = Reader(hostile_home, feeds_file)
    app = reader.app()
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(200, 50)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "[bold]Not bold[/bold] and [@click=app.quit]click me[/]" in text
            assert "Broken [/ markup and [link=file:///etc/passwd]secret[/link]" in text
            assert "Costs $x and ${y} with back\\slash \\[escaped] end" in text
            assert "Escape [31mred[0m and" in text or "Escape red and" in text
            assert "Body [bold]0[/bold] with [@click=app.quit]x[/]" in text
            assert "[red]Mallory[/red] — " in text and "[@click=app.quit]role[/]" in text
            assert "[blink]Src[/blink]" in text
            assert "link not openable: file:///etc/passwd" in text
            assert not any("\x1b" in s or "\x07" in s for s in screen_segments(app))
            # Clicking and pressing everything acts on nothing hidden in the text.
            await pilot.click("#article-list", offset=(10, 1), times=2)
            await pilot.click("#article-text", offset=(5, 0))
            for key in ("enter", "o", "3", "o", "4", "enter", "j", "enter"):
                await pilot.press(key)
            await settle(pilot)
            assert app.is_running
            assert opened == []
            await pilot.press("2", "j", "j", "j")
            await settle(pilot)
            assert "\x1b" not in screen_text(app)
            assert app.reader.article is not None and app.reader.article.title == HOSTILE_TITLES[3]
            assert "javascript" in screen_text(app) and app.reader.article_view.link is None
            await pilot.press("slash", *"click", "enter")
            await settle(pilot)
            assert app.is_running
    finally:
        reader.close()


async def test_only_http_links_are_opened(reader: Reader) -> None:
    app = reader.app()
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3", "o")
        assert opened == ["https://example.com/a00000000001"]
