"""`make bench` (python -m benchmarks): the report log at national scale, PostgreSQL vs DuckDB.

See docs/performance.md for the method and the results."""

from urllib.parse import urlsplit, urlunsplit


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database a benchmark names if the server does not have it yet, so
    `make bench` runs on a machine where only the server and its `postgres` database exist."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
