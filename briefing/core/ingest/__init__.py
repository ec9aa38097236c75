"""Articles into the store: the one ingest path (facts, clusters,
search), the worker pool, file importers, samples.

Nothing is imported here: each module is imported where it is needed.
"""
