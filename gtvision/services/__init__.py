"""The headless GT-Vision service: REST + WebSocket API over PostgreSQL.

Each area (``auth``, ``tenants``, ``users``, ``zones``, ``cameras``, ``audit``) is a folder with
thin ``routes``, a ``service`` layer that holds the rules, and queries that go through
:mod:`gtvision.services.store`, whose tenant scope adds the tenant filter to every query.
"""
