"""Benchmarks: a scaled demo warehouse, then ingest, callback, baseline, server and browser timings.

Run `make bench` (1 million participation rows) or `make bench SCALE=10000000`; see `benchmarks.run`.
"""
