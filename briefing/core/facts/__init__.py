"""The key-facts engine: who, what, when, where, how much and who said it, for any article.

Rules and general word lists only (no models, no network); `extract_facts` is the one
entry point. Never imports the UI.
"""

from briefing.core.facts.pipeline import extract_facts

__all__ = ["extract_facts"]
