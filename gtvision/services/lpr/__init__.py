"""Plate recognition in the service: per-camera workers, one vote per vehicle pass, storage.

frames (source) → engine (batched PlateReader) → tracker (votes a pass) → spool (durable, on
disk) → writer (object store + PostgreSQL + events + watch-list alerts, exactly once).
"""
