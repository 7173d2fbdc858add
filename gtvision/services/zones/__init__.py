"""Zones: where a tenant's cameras are (a district, a square), with a map position."""
