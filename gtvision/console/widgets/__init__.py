"""Console widgets: they render and forward gestures; services do the work."""
