"""Text as the analyst reads it: cleaning untrusted text, HTML to text, the plain-text article format.

Nothing is imported here: each module is imported where it is needed.
"""
