"""Alerts raised by watch-listed plates, and their acknowledgement by operators."""
