"""Start-up cost: importing the reader must not pull in the facts engine, HTTP, feed
parsing or refresh code; they load lazily inside workers when first needed.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("briefing.core.facts", "briefing.core.refresh", "briefing.core.fetch",
         "briefing.core.parse", "briefing.core.clusters", "briefing.core.search",
         "briefing.core.watch", "briefing.core.export", "briefing.core.related",
         "briefing.core.fulltext", "briefing.tui.screens", "httpx", "feedparser", "selectolax",
         "trafilatura")


def test_app_import_stays_light() -> None:
    code = (
        "import sys, briefing.tui.app\n"
        f"heavy = [m for m in sys.modules if m.startswith({HEAVY!r})]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
