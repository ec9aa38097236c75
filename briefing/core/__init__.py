"""The headless core: models, config, store, fetch, parse, facts, topics.

Nothing under this package may import textual or rich (tests/core/test_layers.py).
"""
