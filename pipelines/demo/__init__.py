"""The deterministic demo: realistic input files built on the real programme cities and pairings."""
