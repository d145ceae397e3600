"""Measures computed per sentence or statement (stance, and more to come)."""
