"""Two tiny benchmarks for tests/bench/test_main.py: one that runs, one that fails."""
