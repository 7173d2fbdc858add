"""Outbound webhooks: the tenant's events delivered to its external systems, signed, retried."""
