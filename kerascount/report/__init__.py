"""Reporters: they format results and compute nothing."""
