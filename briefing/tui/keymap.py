"""User key remaps: `[keys]` in config.toml maps a binding id to "key,key".

A bad entry is reported and skipped, never fatal: a typo in the config must not lock
the analyst out of the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from textual.binding import Binding

_KEY = re.compile(r"^[A-Za-z0-9_+\-?/\\\[\]{}!@#$%^&*()=<>.,;:'\"`~| ]+$")


def config_file() -> Path:
    """$XDG_CONFIG_HOME/briefing/config.toml (or $BRIEFING_CONFIG_HOME/config.toml)."""
    from briefing.core.paths import config_home

    return config_home() / "config.toml"


def load_keymap(
    path: Path | None, known_ids: Iterable[str] | None
) -> tuple[dict[str, str], list[str]]:
    """The `[keys]` table of the config file as a keymap, plus one problem per bad entry.

    With `known_ids` None every id is taken (the reader checks them after its first frame,
    once the screens that declare the rest are imported: see `unknown_ids`)."""
    path = path or config_file()
    if not path.is_file():
        return {}, []
    import tomllib  # only when there is a config to read: not on every start-up

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"{path}: cannot read the key remaps ({exc}); using the default keys"]
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        return {}, [f"{path}: [keys] must be a table of binding-id = \"key,key\""]
    known = set(known_ids) if known_ids is not None else None
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        if known is not None and binding_id not in known:
            problems.append(f"{path}: [keys] {binding_id!r} is not a binding id (see the help, ?)")
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: [keys] {binding_id} must be a string like \"j,down\"")
            continue
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts or not all(_KEY.match(part) for part in parts):
            problems.append(f"{path}: [keys] {binding_id} = {value!r} is not a list of keys")
            continue
        keymap[binding_id] = ",".join(parts)
    return keymap, problems


def unknown_ids(path: Path | None, keymap: dict[str, str], known_ids: Iterable[str]) -> list[str]:
    """One problem per remapped id that no binding has."""
    known = set(known_ids)
    shown = path or config_file()
    return [f"{shown}: [keys] {binding_id!r} is not a binding id (see the help, ?)"
            for binding_id in keymap if binding_id not in known]


def binding_ids(bindings: Iterable[Binding | tuple[str, ...]]) -> list[str]:
    return [b.id for b in bindings if isinstance(b, Binding) and b.id]


def keys_for(binding: Binding, keymap: dict[str, str]) -> str:
    """The keys that trigger a binding once the user's remaps apply."""
    if binding.id and binding.id in keymap:
        return keymap[binding.id]
    return binding.key
