"""Named entities: people, organisations, places and other named things, one per real thing.

Capitalised runs are cut at titles, possessives and nationality adjectives, typed from
structure (given names, titles, organisation and place words, the gazetteer, digits) and
merged across spellings ("Recep Tayyip Erdoğan" = "Erdoğan", "USAF" = "United States Air
Force"). Knows no particular article or name list beyond general word lists.
"""

from __future__ import annotations

from briefing.core.facts.entities.document import Mention
from briefing.core.facts.entities.extract import EntityResult, extract_entities

__all__ = ["EntityResult", "Mention", "extract_entities"]
