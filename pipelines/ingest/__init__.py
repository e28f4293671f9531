"""Ingestion: read a file, validate every row, load what passes and quarantine the rest."""
