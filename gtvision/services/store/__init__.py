"""PostgreSQL through SQLAlchemy 2 (async, asyncpg): models, sessions, tenant scope, migrations."""
