"""The HTTP layer: app factory, middleware, errors as problem+json, health and metrics."""
