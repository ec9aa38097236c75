"""Screens pushed over the reader: help, feeds and search."""
