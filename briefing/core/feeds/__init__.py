"""Feeds in: fetching over HTTP, parsing, refreshing every feed, full text of summary-only feeds, OPML.

Nothing is imported here: each module is imported where it is needed.
"""
