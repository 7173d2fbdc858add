"""The tenant-scoped event stream: stored for resuming, delivered live through NOTIFY."""
