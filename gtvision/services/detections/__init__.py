"""Plate-read search and export: exact, prefix and fuzzy, every search audited (LGPD)."""
