"""Benchmarks: a synthetic national database (generate.py) and the timings over it (run.py)."""
