"""Chorus: structured group music-therapy activities on Discord."""

__version__ = "0.1.0"
