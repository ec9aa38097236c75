"""The article store: TinyDB files on disk, written atomically, and the keys that recognise an article again.

Nothing is imported here: each module is imported where it is needed.
"""
