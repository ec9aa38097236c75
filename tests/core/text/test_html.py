"""htmltext.py: HTML fragments and pages to clean, readable paragraphs."""

from __future__ import annotations

import time

from briefing.core.text.html import html_to_text, main_text


def test_paragraphs_breaks_and_inline_markup() -> None:
    html = "<p>Hello &amp; <b>wel</b>come</p><p>Second<br>line</p><div>Third</div>"
    assert html_to_text(html) == "Hello & welcome\n\nSecond\nline\n\nThird"


def test_lists_become_bullets_and_numbers() -> None:
    html = "<p>Points:</p><ul><li>one</li><li><p>two</p></li></ul><ol><li>a<li>b</ol>"
    assert html_to_text(html) == "Points:\n\n• one\n• two\n\n1. a\n2. b"


def test_scripts_styles_and_page_furniture_are_dropped() -> None:
    html = (
        "<header>Site</header><nav>Menu</nav><script>alert('x')</script>"
        "<style>p { color: red }</style><noscript>enable js</noscript>"
        "<iframe src='http://evil'>frame</iframe><svg><text>svg</text></svg>"
        "<form><input value='q'><button>Go</button></form><p>Story</p>"
        "<aside>Related</aside><footer>Copyright</footer><p hidden>secret</p>"
        "<!-- comment -->"
    )
    assert html_to_text(html) == "Story"


def test_nested_lists_stay_one_list() -> None:
    html = ("<ol><li>First</li><li>Second<ul><li>branch<ol><li>leaf</li></ol></li></ul>tail</li>"
            "<li>Third</li></ol><p>After</p>")
    assert html_to_text(html) == "1. First\n2. Second\n• branch\n1. leaf\ntail\n3. Third\n\nAfter"


def test_whitespace_collapses_and_headings_are_paragraphs() -> None:
    html = "<h2>  Title\n  here </h2>\n\n<p>  lots   of\n\n spaces  </p>"
    assert html_to_text(html) == "Title here\n\nlots of spaces"


def test_entities_and_escapes_in_html_never_reach_the_text() -> None:
    html = "<p>a &#27;[31mred&#x1b;]0;title&#7; &#x9b;2J \x1b[2J &#0; \x00 &#x202e;x</p>"
    text = html_to_text(html)
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    assert "\x00" not in text
    assert text.count("\u202e") == text.count("\u202c")


def test_plain_text_passes_straight_to_clean_text() -> None:
    assert html_to_text("no markup at all\r\n\r\nsecond") == "no markup at all\n\nsecond"
    assert html_to_text("") == ""


def test_tables_and_images() -> None:
    html = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table><img alt='A map'>"
    assert html_to_text(html) == "a | b\nc\n\nA map"


def test_a_table_with_head_and_body_is_one_block() -> None:
    html = ("<table><thead><tr><th>Country</th><th>Share</th></tr></thead>"
            "<tbody><tr><td>Turkey</td><td>50%</td></tr></tbody><tfoot><tr><td>All</td><td>100%</td></tr>"
            "</tfoot></table><p>Source: ministry.</p>")
    assert html_to_text(html) == "Country | Share\nTurkey | 50%\nAll | 100%\n\nSource: ministry."


def test_table_columns_are_separated_but_empty_cells_leave_no_trace() -> None:
    html = ("<table><tr><th>District</th><th>Votes</th><th></th></tr>"
            "<tr><td></td><td>North</td><td> 1,204 </td></tr>"
            "<tr><td><p>layout cell</p></td></tr></table>")
    assert html_to_text(html) == "District | Votes\nNorth | 1,204\n\nlayout cell"


def test_deep_nesting_does_not_recurse() -> None:
    html = "<div>" * 20_000 + "deep" + "</div>" * 20_000
    assert html_to_text(html) == "deep"


def test_rtl_text_survives() -> None:
    assert html_to_text("<p dir='rtl'>مرحبا بالعالم</p>") == "مرحبا بالعالم"


def test_large_fragment_is_fast() -> None:
    html = "<p>" + "A sentence with <a href='x'>a link</a> and <em>emphasis</em>. " * 30 + "</p>"
    html *= 100  # ~250 KB
    started = time.perf_counter()
    text = html_to_text(html)
    assert time.perf_counter() - started < 0.5
    assert text.count("\n\n") == 99


def test_main_text_prefers_article() -> None:
    page = """<html><head><title>Site | Story &amp; more</title></head><body>
        <nav><a href="/">Home</a></nav>
        <div class="sidebar"><p>Subscribe now to our newsletter for daily updates</p></div>
        <article><h1>Story</h1><p>First paragraph.</p><p>Second paragraph.</p></article>
        <footer>Footer</footer></body></html>"""
    assert main_text(page) == (
        "Site | Story & more",
        "Story\n\nFirst paragraph.\n\nSecond paragraph.",
    )


def test_main_text_og_title_wins_and_densest_paragraph_block_is_chosen() -> None:
    page = """<html><head><meta property="og:title" content="The \x1b[31mreal title">
        <title>Site</title></head><body>
        <div id="promo"><p>Short promo.</p></div>
        <div id="story"><p>A long first paragraph of the story, with details.</p>
        <p>A long second paragraph of the story, with more details.</p></div>
        </body></html>"""
    title, text = main_text(page)
    assert title == "The real title"
    assert text.startswith("A long first paragraph") and "promo" not in text


def test_main_text_without_paragraphs_falls_back_to_body() -> None:
    assert main_text("<body><h1>Heading</h1>Loose text</body>") == (
        "Heading",
        "Heading\n\nLoose text",
    )
    assert main_text("") == (None, "")
