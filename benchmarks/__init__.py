"""`make bench` (python -m benchmarks): the report log at national scale, PostgreSQL vs DuckDB.

See docs/performance.md for the method and the results."""
