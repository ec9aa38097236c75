"""briefing: a terminal briefing reader for analysts."""

# The one place the version is written: pyproject.toml reads it from here (hatchling's
# [tool.hatch.version]), so the installed metadata and `briefing --version` agree.
__version__ = "0.1.0"
