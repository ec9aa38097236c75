"""briefing: a terminal briefing reader for analysts."""

__version__ = "0.1.0"
