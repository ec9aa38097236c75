"""Full-text search over titles and bodies, an index derived from the store.

Nothing is imported here: each module is imported where it is needed.
"""
