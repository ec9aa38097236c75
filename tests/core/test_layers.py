"""The core never imports the UI toolkit: it must run headless (CLI, workers, tests)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import briefing.core


def _core_modules() -> list[str]:
    names = ["briefing.core"]
    for info in pkgutil.walk_packages(briefing.core.__path__, "briefing.core."):
        names.append(info.name)
    return names


def test_core_modules_import_without_textual_or_rich() -> None:
    modules = _core_modules()
    assert "briefing.core.store.store" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core pulled in: {out.stdout.strip()}"


def test_cli_help_does_not_import_the_tui() -> None:
    code = (
        "import sys\n"
        "from briefing import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "ui = sorted(m for m in sys.modules if m.startswith(('textual', 'briefing.tui')))\n"
        "print('MODS:' + ','.join(ui))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "MODS:"
