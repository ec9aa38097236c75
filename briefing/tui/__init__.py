"""The reader: a keyboard-driven Textual app over the core store.

Only this package imports textual; it reads and writes the store through core APIs.
"""
