"""What links articles: topics across the store, story clusters of one event, related stories.

Nothing is imported here: each module is imported where it is needed.
"""
