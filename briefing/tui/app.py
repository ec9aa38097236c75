"""BriefingApp: the reader's frame. It owns quit, help, the palette, keys and notices.

The reading itself is `ReaderScreen` (screens/reader.py), the default screen. Start-up
must stay fast, so nothing heavy (facts engine, HTTP, feed parsing, refresh) is
imported here at module level.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from briefing.core.errors import BriefingError
from briefing.core.library import Library
from briefing.tui.bidi import strip_bidi
from briefing.tui.keymap import load_keymap
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.article_view import ArticleView
from briefing.tui.widgets.facts_pane import FactsList
from briefing.tui.widgets.topics_sidebar import TopicList

if TYPE_CHECKING:
    from briefing.tui.screens.help import HelpSection


@cache
def own_bindings(cls: type) -> list[Binding]:
    """The bindings a class of ours declares (its bases' too), without Textual's own."""
    found: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("briefing.") or "BINDINGS" not in klass.__dict__:
            continue
        for binding in klass.__dict__["BINDINGS"]:
            if isinstance(binding, Binding):
                found[binding.id or binding.action] = binding
    return list(found.values())


class BriefingApp(App[None]):
    """The reader. Give it an open library; it never closes it (the caller owns it)."""

    CSS_PATH = "app.tcss"
    TITLE = "briefing"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Save filters and quit"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
        Binding("ctrl+p", "command_palette", "Commands", id="command-palette", show=False,
                priority=True, tooltip="Every action by name"),
    ]

    def __init__(
        self,
        library: Library,
        *,
        config_path: Path | None = None,
        refresh_on_timer: bool = True,
        handle_signals: bool = False,
        log_crashes: bool = False,
    ) -> None:
        super().__init__()
        self.library = library
        self.config_path = config_path
        """config.toml to read keys from instead of the user's (tests)."""
        self.refresh_on_timer = refresh_on_timer
        self.handle_signals = handle_signals
        self.log_crashes = log_crashes
        self.tends_collector = False
        """The launcher paused the cyclic collector for start-up: the reader sets aside
        what it loads (see `set_aside_loaded`)."""
        self.keymap: dict[str, str] = {}
        self.crash_log: Path | None = None
        self.crashed: BaseException | None = None
        """An unexpected error that ended the app (when run for real, see `run_reader`)."""
        self.reader = ReaderScreen(library, refresh_on_timer=refresh_on_timer)
        """The reader screen, under whatever screens are pushed over it."""

    def get_default_screen(self) -> Screen[Any]:
        return self.reader

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Toasts wrap where no widget of ours draws them: no explicit bidi controls there."""
        super().notify(strip_bidi(message), title=strip_bidi(title), severity=severity,
                       timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        # Every remap applies from the first frame; the ids are checked after it, once the
        # screens declaring the rest of them are imported.
        keymap, problems = load_keymap(self.config_path, None)
        self.keymap = keymap
        if keymap:
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, severity="warning", markup=False, timeout=8)
        if self.handle_signals:
            self._install_signal_handlers()

    def first_frame_painted(self) -> None:
        """The reader's first frame is on screen: what start-up deferred happens now."""
        self.tends_collector = _resume_collector() or self.tends_collector
        if self.keymap:
            from briefing.tui.keymap import unknown_ids

            known = [b.id for _, bindings in self.binding_sections(screens=True) for b in bindings if b.id]
            for problem in unknown_ids(self.config_path, self.keymap, known):
                self.notify(problem, severity="warning", markup=False, timeout=8)

    def set_aside_loaded(self) -> None:
        """What the reader just loaded lives until its next load: when the collector is
        ours to tend (the launcher paused it), its full passes skip that from now on (a
        pass over 500k articles' ids, positions and topics took a second, landing on
        whatever key came next). A later load drops it to reference counting: it holds
        no cycles."""
        if self.tends_collector:
            import gc

            gc.freeze()

    def key_of(self, binding_id: str) -> str:
        """The first key bound to a binding id, after the analyst's remaps."""
        from briefing.tui.keymap import keys_for

        for _, bindings in self.binding_sections():
            for binding in bindings:
                if binding.id == binding_id:
                    return keys_for(binding, self.keymap).split(",")[0]
        return ""

    # -- quitting ----------------------------------------------------------------------------

    def save_ui_state(self) -> None:
        if self.reader.is_mounted:
            self.reader.save_ui_state()

    def _install_signal_handlers(self) -> None:
        """SIGTERM, SIGHUP and SIGINT quit like `q`: filters saved, terminal restored."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self._signalled, int(signum))
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                return

    def _handle_exception(self, error: Exception) -> None:
        """Run for real, a bug ends the reader with one line and a log file, not a
        traceback over the analyst's terminal; under tests it is raised as usual."""
        if not self.log_crashes:
            super()._handle_exception(error)
            return
        from briefing.core.crash import write_crash_log

        self.crashed = error
        self.crash_log = write_crash_log(error)
        self.exit(return_code=1)

    def _signalled(self, signum: int) -> None:
        self.save_ui_state()
        self.exit(return_code=128 + signum)

    async def action_quit(self) -> None:
        self.save_ui_state()
        self.exit()

    # -- help and the palette --------------------------------------------------------------------

    def binding_sections(self, *, screens: bool = False) -> list[HelpSection]:
        from briefing.tui.screens.feeds import FeedsScreen
        from briefing.tui.screens.help import HelpScreen
        from briefing.tui.screens.search import SearchScreen

        mine = own_bindings(type(self))
        palette = [b for b in mine if b.action == "command_palette"]
        reader = [b for b in mine if b.action != "command_palette"] + own_bindings(ReaderScreen) + palette
        sections: list[HelpSection] = [
            ("Reader", reader),
            ("Article list", own_bindings(ArticleList)),
            ("Topics sidebar", own_bindings(TopicList)),
            ("Article text", own_bindings(ArticleView)),
            ("Key facts", own_bindings(FactsList)),
        ]
        if screens:
            sections += [
                ("Help screen", own_bindings(HelpScreen)),
                ("Search", own_bindings(SearchScreen)),
                ("Feeds screen", own_bindings(FeedsScreen)),
            ]
        return sections

    def action_help(self) -> None:
        from briefing.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_sections(screens=True), self.keymap))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        reader = self.reader
        mine = {b.action for b in own_bindings(type(self))}
        targets: dict[str, Any] = {
            "Article list": lambda: reader.article_list,
            "Topics sidebar": lambda: reader.sidebar.topic_list,
            "Article text": lambda: reader.article_view,
            "Key facts": lambda: reader.facts_list,
        }
        for section, bindings in self.binding_sections():
            for binding in bindings:
                if binding.action == "command_palette":
                    continue
                title = binding.description
                if section == "Reader":
                    target = (lambda: self) if binding.action in mine else (lambda: reader)
                else:
                    target = targets[section]
                    title = f"{section}: {title}"
                yield SystemCommand(
                    title,
                    binding.tooltip or f"{binding.description} ({binding.id})",
                    partial(self._run_command, target, binding.action),
                )

    async def _run_command(self, target: Any, action: str) -> None:
        await self.run_action(action, target())


def _resume_collector() -> bool:
    """Turn the cyclic collector back on if the launcher paused it for start-up (True).

    What start-up built lives as long as the reader, so it is frozen first: later
    collections then skip it instead of walking it again on every full pass.
    """
    import gc

    if gc.isenabled():
        return False
    gc.freeze()
    gc.enable()
    return True


def run_reader(home: str | None, feeds: str | None) -> int:
    """Open the library of `home` (or the default data home) and run the reader on it."""
    import os
    import sys

    from briefing.core.errors import exit_code

    try:
        library = Library.open(home, feeds=feeds)
    except BriefingError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return exit_code(exc)
    app = BriefingApp(library, handle_signals=True, log_crashes=True)
    try:
        app.run()
    finally:
        app.save_ui_state()
        library.close()
    code = app.return_code or 0
    if app.crashed is not None:
        from briefing.core.crash import crash_line

        print(crash_line(app.crashed, app.crash_log), file=sys.stderr)
    if app.reader.gateway.threads_running:
        # A refresh still waits on the network: its thread can write nothing now (the store
        # is closed), and the fetch's own pools would hold the interpreter's exit.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
