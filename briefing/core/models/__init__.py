"""The nouns of briefing, one module per family, so each front end imports only what it draws.

    meta.py      ArticleMeta: what lists and filters hold for each article; AddResult
    feeds.py     Feed and Settings (feeds.toml), FeedState (what the store remembers)
    facts.py     Facts and its parts: sentences, entities, dates, quantities, quotes
    article.py   Article: a stored story, text and facts

Frozen dataclasses with plain-data round trips (`to_dict`/`from_dict`), so the store, the
CLI's JSON and the TUI agree on one shape. Nothing here does I/O. Nothing is imported
here: the reader's first screen needs only `meta`, and building every model class
costs it ~10 ms.
"""
