"""Packaging: one version, the licence in the metadata."""

from __future__ import annotations

import importlib.metadata

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
