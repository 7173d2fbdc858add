"""Real servers and clients for the tests: PostgreSQL, the live service, an API client."""
