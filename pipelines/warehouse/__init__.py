"""The DuckDB warehouse: connections, reference data, marts, atomic publish, status."""
