"""Exporting the visible list as a briefing, and opening the last one written.

The file name is ours (`Library.default_export_path`, a time stamp), never anything from
a feed; the viewer is the analyst's own `$PAGER` (Markdown) or `$BROWSER` (HTML), run
without a shell with the path as its last argument.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from textual import on

from briefing.tui.messages import BriefingExported
from briefing.tui.screens.reader_base import ReaderBase

EXPORT_LIMIT = 500
"""At most this many of the visible articles (the newest) go into one exported briefing."""


def viewer_command(path: Path, env: Mapping[str, str]) -> list[str] | None:
    """The command that shows `path`: `$PAGER` for Markdown, `$BROWSER` for HTML (its
    first entry; "%s" stands for the path as in Python's webbrowser), None when unset."""
    html = path.suffix.lower() in (".html", ".htm")
    setting = (env.get("BROWSER") if html else env.get("PAGER")) or ""
    first = setting.split(os.pathsep)[0].strip() if html else setting.strip()
    try:
        words = shlex.split(first)
    except ValueError:
        return None
    if not words:
        return None
    if any("%s" in word for word in words):
        return [word.replace("%s", str(path)) for word in words]
    return [*words, str(path)]


class ExportActions(ReaderBase):
    """`e`/`E` write a briefing of the visible list; `O` opens the last one (`o` is the
    article's link, as in newsboat)."""

    def action_export(self, fmt: str) -> None:
        if fmt not in ("html", "md"):
            return
        shown = self.state.shown
        chosen = shown[:EXPORT_LIMIT]
        if not chosen:
            self.app.notify("Nothing to export: the list is empty.", severity="warning", timeout=4)
            return
        if len(shown) > EXPORT_LIMIT:
            self.app.notify(f"Exporting the newest {EXPORT_LIMIT} of {len(shown)} articles; "
                            "filter the list to choose others.", timeout=5)
        self.status.set_parts(progress="writing the briefing…")
        kind: Literal["md", "html"] = "html" if fmt == "html" else "md"
        self.gateway.export(kind, [a.id for a in chosen], self.state.scope_title())

    @on(BriefingExported)
    def _briefing_exported(self, message: BriefingExported) -> None:
        self.status.set_parts(progress="")
        if message.error or message.path is None:
            self.app.notify(f"could not write the briefing: {message.error}", title="Export",
                            severity="error", markup=False, timeout=8)
            return
        path = Path(message.path).absolute()
        self.last_export = path
        key = self.briefing_app.key_of("open-export") or "O"
        viewer = viewer_command(path, os.environ)
        self.status.set_parts(export=f"exported {path}" + (f" ({key} opens)" if viewer else ""))
        self.refresh_bindings()
        hint = f"\n{key} opens it" if viewer else ""
        self.app.notify(f"{message.stories} stor{'y' if message.stories == 1 else 'ies'} written to "
                        f"{path}{hint}", title="Briefing", markup=False, timeout=10)

    def action_open_export(self) -> None:
        """Show the last briefing in $PAGER (Markdown) or $BROWSER (HTML)."""
        path = self.last_export
        if path is None:
            self.app.notify("No briefing exported yet (e: HTML, E: Markdown).", timeout=4)
            return
        command = viewer_command(path, os.environ)
        if command is None:
            variable = "BROWSER" if path.suffix.lower() in (".html", ".htm") else "PAGER"
            self.app.notify(f"Set ${variable} to open briefings from here; this one is {path}",
                            severity="warning", markup=False, timeout=8)
            return
        self._run_viewer(command)

    def _run_viewer(self, command: list[str]) -> None:
        import subprocess

        from textual.app import SuspendNotSupported

        def run() -> int:
            try:
                return subprocess.run(command, check=False).returncode
            except OSError as exc:
                self.app.notify(f"could not run {command[0]}: {exc.strerror or exc}", severity="error",
                                markup=False, timeout=8)
                return -1

        try:
            with self.app.suspend():
                run()
        except SuspendNotSupported:
            if not self.app.is_headless:  # a terminal we cannot hand over: do not draw on it
                self.app.notify("This terminal cannot hand the screen to a viewer.", severity="warning")
                return
            run()  # tests: a viewer that does not need the terminal
